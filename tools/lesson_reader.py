"""Read what the course documents need from the lesson notebooks themselves.

``read_lesson(path)`` returns a :class:`Lesson`: its number and title (the first
cell, "# Lesson NN — Title"), the summary paragraph under the title, the
bullets of its Objectives cell, its exercises (title, task, hint, the check
the stub calls, the solution cell's code and saved output) and an estimated
study time. ``tools/syllabus.py`` and ``tools/instructor_guide.py`` build
``docs/`` from these, so the documents follow the lessons; ``write_or_check``
is how both write their file (or, with ``--check``, say it is out of date).

Estimated study time, in minutes, rounded to 5:
words of markdown / 120 (reading maths-heavy prose) + 1.5 per code cell
(reading, running, looking at the output) + 15 per exercise.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTION_TAG = "solution"
SOLUTION_FIRST_LINE = "# Solution — click to reveal"
WORDS_PER_MINUTE = 120
MINUTES_PER_CODE_CELL = 1.5
MINUTES_PER_EXERCISE = 15

_TITLE = re.compile(r"#\s*Lesson\s+(\d\d)\s*[—–-]+\s*(.+)")
_EXERCISE = re.compile(r"###\s*Exercise\s+(\d+)\s*[—–-]+\s*(.+)")
_HINT = re.compile(r"<details>\s*<summary>\s*Hint\s*</summary>(.*?)</details>", re.S)
_BULLET = re.compile(r"^\s*[-*]\s+")


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson, as its cells hold it."""

    key: str  # "05.1", as the grader and hint() name it
    title: str
    task: str  # the markdown statement, without the folded hint
    hint: str
    check: str  # the check function the stub calls
    check_args: tuple  # literal arguments after the answer: check_inverse_link(f, "probit")
    solution: str  # the solution cell's code, without its first line
    solution_output: str  # what the saved solution cell printed


@dataclass(frozen=True)
class Lesson:
    number: str
    title: str
    path: Path
    summary: str
    objectives: tuple[str, ...]
    exercises: tuple[Exercise, ...]
    minutes: int


def lesson_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The lesson notebooks ``NN_*.ipynb`` of ``folder``, in order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def read_lesson(path: Path) -> Lesson:
    """Read one lesson notebook; raise ValueError naming the cell that breaks the template."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    first = _source(cells[0]).strip()
    match = _TITLE.match(first.splitlines()[0]) if first else None
    if not match:
        raise ValueError(f"{path.name}: the first cell must start '# Lesson NN — Title'")
    number, title = match.group(1), match.group(2).strip()
    summary = _first_paragraph(first.split("\n", 1)[1] if "\n" in first else "")
    return Lesson(
        number=number,
        title=title,
        path=Path(path),
        summary=summary,
        objectives=_objectives(cells),
        exercises=tuple(_exercises(number, cells, path.name)),
        minutes=_minutes(cells),
    )


def _join(text) -> str:
    """A notebook's multi-line string: stored as one string or a list of lines."""
    return text if isinstance(text, str) else "".join(text)


def _source(cell) -> str:
    return _join(cell["source"])


def _first_paragraph(text: str) -> str:
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        if paragraph.strip():
            return " ".join(line.strip() for line in paragraph.splitlines()).strip("* ")
    return ""


def _objectives(cells) -> tuple[str, ...]:
    """The bullets of the "## Objectives" cell (continuation lines joined); () if none."""
    for cell in cells:
        text = _source(cell)
        if cell["cell_type"] == "markdown" and text.lstrip().startswith("## Objectives"):
            bullets: list[str] = []
            for line in text.splitlines()[1:]:
                if _BULLET.match(line):
                    bullets.append(_BULLET.sub("", line).strip())
                elif bullets and line.startswith((" ", "\t")) and line.strip():
                    bullets[-1] += " " + line.strip()
                elif bullets and line.strip():
                    break  # prose after the list
            return tuple(bullets)
    return ()


def _exercises(number: str, cells, name: str):
    """Each "### Exercise N — Title" cell with the first stub and solution after it."""
    for index, cell in enumerate(cells):
        text = _source(cell)
        match = _EXERCISE.match(text.lstrip()) if cell["cell_type"] == "markdown" else None
        if not match:
            continue
        following = _until_next_exercise(cells[index + 1 :])
        stubs = [c for c in following if c["cell_type"] == "code" and not _is_solution(c)]
        solutions = [c for c in following if _is_solution(c)]
        key = f"{number}.{match.group(1)}"
        if not stubs:
            raise ValueError(f"{name}: exercise {key} has no stub cell right after it")
        check, check_args = _check_call(_source(stubs[0]), f"{name}, exercise {key}")
        solution = _source(solutions[0]) if solutions else ""
        if solution.startswith(SOLUTION_FIRST_LINE):
            solution = solution[len(SOLUTION_FIRST_LINE) :].lstrip("\n")
        hint = _HINT.search(text)
        body = text.split("\n", 1)[1] if "\n" in text else ""
        yield Exercise(
            key=key,
            title=match.group(2).strip(),
            task=_HINT.sub("", body).strip(),
            hint=hint.group(1).strip() if hint else "",
            check=check,
            check_args=check_args,
            solution=solution.rstrip(),
            solution_output=_text_output(solutions[0]) if solutions else "",
        )


def _until_next_exercise(cells) -> list:
    """The cells up to the next exercise heading (or the end of the notebook)."""
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown" and _EXERCISE.match(_source(cell).lstrip()):
            return cells[:index]
    return list(cells)


def _is_solution(cell) -> bool:
    return cell["cell_type"] == "code" and SOLUTION_TAG in cell["metadata"].get("tags", [])


def _check_call(stub: str, where: str) -> tuple[str, tuple]:
    """The name of the ``check_...`` the stub calls, and its literal arguments after the first."""
    for node in ast.walk(ast.parse(stub)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("check_")
        ):
            return node.func.id, tuple(ast.literal_eval(arg) for arg in node.args[1:])
    raise ValueError(f"{where}: the stub calls no check_... function")


def _text_output(cell) -> str:
    """The text a code cell printed or returned, as saved in the notebook."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(_join(output["text"]))
        elif "text/plain" in output.get("data", {}):
            parts.append(_join(output["data"]["text/plain"]) + "\n")
    return "".join(parts).rstrip()


def _minutes(cells) -> int:
    words = sum(len(re.findall(r"\w+", _source(c))) for c in cells if c["cell_type"] == "markdown")
    code = sum(1 for c in cells if c["cell_type"] == "code" and not _is_solution(c))
    exercises = sum(
        1 for c in cells if c["cell_type"] == "markdown" and _EXERCISE.match(_source(c).lstrip())
    )
    minutes = (
        words / WORDS_PER_MINUTE + code * MINUTES_PER_CODE_CELL + exercises * MINUTES_PER_EXERCISE
    )
    return int(5 * round(minutes / 5))


def generator_main(doc: str, output: Path, build, tool: str, argv=None) -> int:
    """The command line of a document generator: ``[--check] [--output FILE]``.

    ``build(lesson_paths())`` makes the text; it is written to ``output`` or,
    with ``--check``, compared with it (exit status 1 when they differ).
    """
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the file is current")
    parser.add_argument("--output", type=Path, default=output)
    args = parser.parse_args(argv)
    return write_or_check(args.output, build(lesson_paths()), args.check, tool)


def write_or_check(output: Path, text: str, check_only: bool, tool: str) -> int:
    """Write ``text`` to ``output``; with ``check_only``, return 1 if the file differs."""
    current = output.read_text(encoding="utf-8") if output.exists() else None
    if check_only:
        if current != text:
            print(f"{output} is out of date: run python tools/{Path(tool).name}", file=sys.stderr)
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0
