"""Every lesson follows DESIGN.md's template and notebook conventions.

These read the committed notebooks (nbval re-executes them separately).
"""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from glmlesson.exercises import hint
from glmlesson.exercises.hints import HINTS, plain

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
TEMPLATE = [
    "Objectives",
    "From the notes",
    "Intuition",
    "Data",
    "Implementation",
    "Experiments",
    "Visualizations",
    "Takeaways",
    "Explain it in an interview",
    "Exercises",
]
SOLUTION_FIRST_LINE = "# Solution — click to reveal"
MAX_CODE_LINES = 18
WIDGET_CALL = re.compile(r"\b(\w+_explorer|interact|interactive)\(")
HINT_BLOCK = re.compile(r"<details><summary>Hint</summary>\n\n(.*?)\n\n</details>", re.S)
EXERCISE_HEADING = re.compile(r"^### Exercise (\d+)(.*)$", re.M)
HINT_IMPORT = re.compile(r"from glmlesson\.exercises import (\([^)]*\)|[^\n]*)")
# Words that point at something a student never sees: an older notebook this course
# was built from, or a solution cell that classroom copies leave out.
ORIGIN = re.compile(r"seed lesson|seed objective|the seed's", re.I)
POINTS_AT_A_SOLUTION = re.compile(
    r"(next|following) cell (is|holds) the (hidden )?solution|solution follows", re.I)


def _read(path):
    return nbformat.read(path, as_version=4)


def _source_lines(cell):
    return [line for line in cell.source.splitlines() if line.strip()]


@pytest.fixture(params=LESSONS, ids=[p.stem for p in LESSONS])
def lesson(request):
    return request.param, _read(request.param)


def test_there_are_lessons_00_to_10():
    numbers = [p.name[:2] for p in LESSONS]
    assert numbers == sorted(set(numbers))
    assert numbers and numbers[0] == "00"


def test_first_cell_is_a_numbered_title(lesson):
    path, nb = lesson
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith(f"# Lesson {path.name[:2]}"), first.source[:60]


def test_last_cell_links_to_the_next_lesson(lesson):
    path, nb = lesson
    last = nb.cells[-1]
    assert last.cell_type == "markdown"
    later = [p.name for p in LESSONS if p.name > path.name]
    target = later[0] if later else LESSONS[0].name
    assert f"({target})" in last.source, f"last cell should link to {target}"


def test_sections_follow_the_template(lesson):
    path, nb = lesson
    if path.name.startswith("00"):
        pytest.skip("00_start_here is an orientation page, not a lesson with the template")
    headings = [
        cell.source.splitlines()[0][3:].strip()
        for cell in nb.cells
        if cell.cell_type == "markdown" and cell.source.startswith("## ")
    ]
    order = []
    for heading in headings:
        matches = [name for name in TEMPLATE if heading.startswith(name)]
        assert matches, f"section {heading!r} is not one of the template's {TEMPLATE}"
        order.append(TEMPLATE.index(matches[0]))
    assert order == sorted(order), f"sections out of order: {headings}"
    assert sorted(set(order)) == list(range(len(TEMPLATE))), f"missing sections: {headings}"


def test_every_cell_has_slide_metadata(lesson):
    _, nb = lesson
    for index, cell in enumerate(nb.cells):
        assert "slide_type" in cell.metadata.get("slideshow", {}), f"cell {index} has no slide_type"


def test_code_cells_are_short(lesson):
    _, nb = lesson
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            n_lines = len(_source_lines(cell))
            assert n_lines <= MAX_CODE_LINES, f"cell {index} has {n_lines} lines"


def test_solutions_are_hidden_tagged_and_call_the_check(lesson):
    path, nb = lesson
    cells = nb.cells
    solutions = [i for i, c in enumerate(cells) if "solution" in c.metadata.get("tags", [])]
    minimum = 1 if path.name.startswith("00") else 3
    assert len(solutions) >= minimum, f"{len(solutions)} exercises with solutions"
    for i in solutions:
        cell = cells[i]
        assert cell.cell_type == "code"
        hidden = cell.metadata.get("jupyter", {})
        assert hidden.get("source_hidden") is True, f"solution cell {i}: source not hidden"
        assert hidden.get("outputs_hidden") is True, f"solution cell {i}: outputs not hidden"
        assert cell.source.splitlines()[0] == SOLUTION_FIRST_LINE
        last_line = _source_lines(cell)[-1]
        check = re.match(r"(check_\w+)\(", last_line)
        assert check, f"solution cell {i} should end by calling its check, ends {last_line!r}"
        assert "folded=True" in last_line, (
            f"solution cell {i} should fold its check's verdict (folded=True): JupyterLab "
            "shows a re-run cell's output again, and the verdict would give the answer away")
        stubs = [c for c in cells[:i] if c.cell_type == "code" and check.group(1) in c.source
                 and "solution" not in c.metadata.get("tags", [])]
        assert stubs, f"no student cell calls {check.group(1)} before solution cell {i}"


def test_exercises_have_hints(lesson):
    path, nb = lesson
    tasks = [c for c in nb.cells if c.cell_type == "markdown" and "### Exercise" in c.source]
    if not path.name.startswith("00"):
        assert len(tasks) >= 3
    for cell in tasks:
        assert "<details><summary>Hint</summary>" in cell.source, cell.source[:80]


def test_widget_cells_are_tagged_for_nbval(lesson):
    _, nb = lesson
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and WIDGET_CALL.search(cell.source):
            if "solution" in cell.metadata.get("tags", []):
                continue
            assert "nbval-ignore-output" in cell.metadata.get("tags", []), (
                f"cell {index} shows a widget but is not tagged nbval-ignore-output"
            )


def test_committed_with_clean_outputs(lesson):
    _, nb = lesson
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        assert cell.execution_count is not None, f"cell {index} was not executed"
        for output in cell.outputs:
            assert output.output_type != "error", f"cell {index} has an error output"
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            assert not re.search(r"at 0x[0-9a-f]{6,}", text), f"cell {index}: memory address"
            assert not re.search(r"Wall time|CPU times", text), f"cell {index}: timing"


def _exercise_cells(nb):
    return [c for c in nb.cells if c.cell_type == "markdown" and "### Exercise" in c.source]


def test_exercise_headings_carry_a_title(lesson):
    _, nb = lesson
    for cell in _exercise_cells(nb):
        number, rest = EXERCISE_HEADING.search(cell.source).groups()
        assert re.match(r" — \S", rest), f"Exercise {number} has no title: {rest!r}"


def test_hint_blocks_are_the_hints_of_hints_py(lesson):
    """The folded hint under each exercise is HINTS["NN.k"], word for word."""
    path, nb = lesson
    keys = []
    for cell in _exercise_cells(nb):
        key = f"{path.name[:2]}.{EXERCISE_HEADING.search(cell.source).group(1)}"
        blocks = HINT_BLOCK.findall(cell.source)
        assert len(blocks) == 1, f"{key}: {len(blocks)} hint blocks"
        assert key in HINTS, f"{key} has no hint in glmlesson/exercises/hints.py"
        assert blocks[0].strip() == HINTS[key], f"hint {key} differs from hints.py"
        keys.append(key)
    lesson_keys = sorted(k for k in HINTS if k.startswith(path.name[:2] + "."))
    assert keys == lesson_keys, "hints.py and the notebook list different exercises"


def test_hint_prints_the_same_text(capsys):
    for key, text in HINTS.items():
        hint(key)
        assert capsys.readouterr().out == f"Hint {key}: {plain(text)}\n"
        assert "$" not in text and "\\" not in text, f"hint {key} has LaTeX: it prints raw"


def test_hint_is_imported_where_exercises_are(lesson):
    _, nb = lesson
    first_task = next(i for i, c in enumerate(nb.cells) if c in _exercise_cells(nb))
    imports = [m.group(1) for c in nb.cells[:first_task + 2] if c.cell_type == "code"
               for m in HINT_IMPORT.finditer(c.source)]
    assert any(re.search(r"\bhint\b", names) for names in imports), (
        "no cell before the first exercise imports hint from glmlesson.exercises")


def test_text_points_at_nothing_a_student_lacks(lesson):
    _, nb = lesson
    for index, cell in enumerate(nb.cells):
        if "solution" in cell.metadata.get("tags", []):
            continue
        assert not ORIGIN.search(cell.source), f"cell {index} speaks of an origin lesson"
        assert not POINTS_AT_A_SOLUTION.search(cell.source), (
            f"cell {index} points at a solution cell that student copies do not have")


def test_execute_folds_solutions_and_merges_prints(tmp_path):
    """tools/execute_notebooks.py writes every solution cell with source and outputs hidden,
    and one stream output per cell however the kernel chunked the prints."""
    spec = importlib.util.spec_from_file_location(
        "execute_notebooks", NOTEBOOKS.parent / "tools" / "execute_notebooks.py")
    execute_notebooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(execute_notebooks)
    stub = nbformat.v4.new_code_cell(
        "import time\nprint('first', flush=True)\ntime.sleep(0.3)\nprint('second')")
    solution = nbformat.v4.new_code_cell("# Solution — click to reveal\nprint(42)",
                                         metadata={"tags": ["solution"]})
    path = tmp_path / "folded.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[stub, solution]), path)
    assert execute_notebooks.main([str(path)]) == 0
    stub, solution = nbformat.read(path, as_version=4).cells
    assert solution.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert solution.outputs[0]["text"] == "42\n"
    assert "jupyter" not in stub.metadata
    assert [(o["output_type"], o["text"]) for o in stub.outputs] == [("stream", "first\nsecond\n")]
