"""The documents an instructor reads before adopting the course (docs/, licences).

- ``tools/lesson_reader.py`` reads a lesson's title, Objectives and exercises
  (tested on a small notebook written here, including the ways it can break);
- ``docs/syllabus.md`` and ``docs/instructor_guide.md`` are what the generators
  write from the notebooks and the checks today (re-run ``python
  tools/syllabus.py`` and ``python tools/instructor_guide.py`` when this fails);
- the guide quotes the message a check gives for each catalogued mistake, and
  says so when a check has no catalogue;
- every data set is credited in docs/references.md and has a licence line in
  data/README.md; the licence files the README names exist.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from glmlesson import data, exercises
from glmlesson.exercises._core import Mistake, correct, exercise, wrong

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def tools(monkeypatch):
    """The generators of tools/ as modules (tools/ is not a package)."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    import instructor_guide
    import lesson_reader
    import syllabus

    return lesson_reader, syllabus, instructor_guide


def _cell(kind: str, source: str, tags=(), outputs=()) -> dict:
    cell = {"cell_type": kind, "metadata": {"tags": list(tags)} if tags else {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=list(outputs))
    return cell


def _notebook(folder: Path, name: str, cells: list[dict]) -> Path:
    path = folder / name
    path.write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    return path


def _lesson_cells(check: str = "check_fake_double") -> list[dict]:
    printed = {"output_type": "stream", "name": "stdout", "text": ["✅ Correct: 2x\n"]}
    return [
        _cell("markdown", "# Lesson 05 — Doubling\n\nA *tiny* lesson.\n\nMore prose."),
        _cell(
            "markdown",
            "## Objectives\n\nBy the end you can\n\n- double a number;\n- double an array,\n"
            "  element by element.\n\nEverything is checked.",
        ),
        _cell(
            "markdown",
            "### Exercise 1 — Double it\n\nWrite `double(x)`.\n\n"
            "<details><summary>Hint</summary>\n\nMultiply by 2.\n\n</details>",
        ),
        _cell(
            "code", f"def double(x):\n    raise NotImplementedError\n\n\n{check}(double, 'twice')"
        ),
        _cell(
            "code",
            "# Solution — click to reveal\ndef double(x):\n    return 2 * x\n\n\n"
            f"{check}(double, 'twice')",
            tags=["solution"],
            outputs=[printed],
        ),
    ]


@exercise
def check_fake_double(double, how):
    """A check for the tests: ``double(x)`` must return 2x."""
    if double(3) == 6:
        return correct("2x")
    if double(3) == 9:
        return wrong("you squared x: return 2*x, not x**2")
    return wrong(f"double(3) should be 6, your function gives {double(3)}")


check_fake_double.mistakes = (
    Mistake("squares instead of doubling", lambda x: x**2, "squared", ("twice",)),
    Mistake("catalogued for another argument", lambda x: x, "should be 6", ("thrice",)),
)


# --- lesson_reader ---------------------------------------------------------------------------


def test_reader_finds_title_objectives_and_exercises(tools, tmp_path):
    lesson_reader, _, _ = tools
    lesson = lesson_reader.read_lesson(_notebook(tmp_path, "05_doubling.ipynb", _lesson_cells()))
    assert (lesson.number, lesson.title, lesson.summary) == ("05", "Doubling", "A *tiny* lesson.")
    assert lesson.objectives == ("double a number;", "double an array, element by element.")
    (exercise_,) = lesson.exercises
    assert exercise_.key == "05.1"
    assert exercise_.title == "Double it"
    assert exercise_.task == "Write `double(x)`."
    assert exercise_.hint == "Multiply by 2."
    assert (exercise_.check, exercise_.check_args) == ("check_fake_double", ("twice",))
    assert (
        exercise_.solution
        == "def double(x):\n    return 2 * x\n\n\ncheck_fake_double(double, 'twice')"
    )
    assert exercise_.solution_output == "✅ Correct: 2x"


def test_reader_estimates_study_time_from_the_documented_formula(tools, tmp_path):
    lesson_reader, _, _ = tools
    cells = _lesson_cells()
    words = sum(len(re.findall(r"\w+", c["source"])) for c in cells if c["cell_type"] == "markdown")
    expected = words / 120 + 1 * 1.5 + 1 * 15  # one code cell besides the solution, one exercise
    lesson = lesson_reader.read_lesson(_notebook(tmp_path, "05_doubling.ipynb", cells))
    assert lesson.minutes == 5 * round(expected / 5)


def test_reader_rejects_a_notebook_without_a_lesson_title(tools, tmp_path):
    lesson_reader, _, _ = tools
    cells = [_cell("markdown", "# Doubling"), *_lesson_cells()[1:]]
    with pytest.raises(ValueError, match="first cell must start '# Lesson NN"):
        lesson_reader.read_lesson(_notebook(tmp_path, "05_doubling.ipynb", cells))


def test_reader_rejects_a_stub_that_calls_no_check(tools, tmp_path):
    lesson_reader, _, _ = tools
    cells = _lesson_cells()
    cells[3] = _cell("code", "def double(x):\n    raise NotImplementedError")
    with pytest.raises(ValueError, match="exercise 05.1: the stub calls no check_"):
        lesson_reader.read_lesson(_notebook(tmp_path, "05_doubling.ipynb", cells))


# --- the generated documents ----------------------------------------------------------------


def test_syllabus_is_up_to_date(tools):
    lesson_reader, syllabus, _ = tools
    expected = syllabus.build_syllabus(lesson_reader.lesson_paths())
    assert (ROOT / "docs" / "syllabus.md").read_text(encoding="utf-8") == expected, (
        "docs/syllabus.md is out of date: run python tools/syllabus.py"
    )


def test_instructor_guide_is_up_to_date(tools):
    lesson_reader, _, instructor_guide = tools
    expected = instructor_guide.build_guide(lesson_reader.lesson_paths())
    assert (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8") == expected, (
        "docs/instructor_guide.md is out of date: run python tools/instructor_guide.py"
    )


def test_syllabus_lists_planned_lessons_as_coming_and_refuses_unplanned_ones(
    tools, tmp_path, monkeypatch
):
    _, syllabus, _ = tools
    monkeypatch.setattr(syllabus, "WEEKS", {1: ("05",), 2: ("11",)})
    lesson = _notebook(tmp_path, "05_doubling.ipynb", _lesson_cells())
    text = syllabus.build_syllabus([lesson])
    assert "### 05 — Doubling" in text
    assert "- double an array, element by element.\n" in text
    assert "### 11 — Positive responses: Gamma and Tweedie (coming)" in text
    cells = _lesson_cells()
    cells[0] = _cell("markdown", "# Lesson 15 — Beyond the plan\n\nExtra.")
    extra = _notebook(tmp_path, "15_beyond.ipynb", cells)
    with pytest.raises(ValueError, match=r"lessons \['15'\] are not in the plan"):
        syllabus.build_syllabus([lesson, extra])


def test_syllabus_refuses_a_planned_part_one_lesson_without_notebook(tools, tmp_path):
    _, syllabus, _ = tools
    lesson = _notebook(tmp_path, "05_doubling.ipynb", _lesson_cells())
    with pytest.raises(ValueError, match=r"lessons \['00', '01', '02', '03', '04', '06'"):
        syllabus.build_syllabus([lesson])


def test_guide_quotes_the_checks_message_for_each_catalogued_mistake(tools, tmp_path, monkeypatch):
    _, _, instructor_guide = tools
    monkeypatch.setattr(exercises, "check_fake_double", check_fake_double, raising=False)
    text = instructor_guide.build_guide([_notebook(tmp_path, "05_doubling.ipynb", _lesson_cells())])
    assert "### 05.1 — Double it" in text
    assert "**Check.** `check_fake_double(answer, 'twice')`" in text
    assert "```python\ndef double(x):\n    return 2 * x\n" in text
    assert "```text\n✅ Correct: 2x\n```" in text
    assert "- squares instead of doubling — “you squared x: return 2\\*x, not x\\*\\*2”" in text
    assert "catalogued for another argument" not in text  # its check_args differ
    assert "| [05.1](#051--double-it) | Double it | `check_fake_double` | 1 |" in text


def test_guide_says_when_a_check_has_no_catalogue(tools, tmp_path, monkeypatch):
    _, _, instructor_guide = tools

    @exercise
    def check_fake_double(double, how):
        return correct("2x")

    monkeypatch.setattr(exercises, "check_fake_double", check_fake_double, raising=False)
    text = instructor_guide.build_guide([_notebook(tmp_path, "05_doubling.ipynb", _lesson_cells())])
    assert "*The check lists no typical wrong answers yet.*" in text


# --- references and licences ---------------------------------------------------------------


def test_every_data_set_is_credited_and_has_a_licence():
    references = (ROOT / "docs" / "references.md").read_text(encoding="utf-8")
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", readme, flags=re.M)
    for name in data.available():
        assert f"| `{name}` |" in references, f"docs/references.md does not credit {name}"
        assert f"| `{name}` |" in readme.split("**Licences.**", 1)[1], name
        (section,) = [s for s in sections if s.startswith(f"{name} — ")]
        assert "**Licence.**" in section, f"data/README.md: {name} has no Licence paragraph"


def test_references_name_the_core_texts():
    references = (ROOT / "docs" / "references.md").read_text(encoding="utf-8")
    for author in ("McCullagh, P. and Nelder, J. A.", "Dobson, A. J. and Barnett, A. G.",
                   "Agresti, A.", "Rich, DJ."):  # fmt: skip
        assert author in references


def test_readme_links_to_the_documents_and_licences_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in ("docs/syllabus.md", "docs/instructor_guide.md", "docs/references.md",
                   "LICENSE", "LICENSE-content.md", "data/README.md"):  # fmt: skip
        assert f"]({target})" in readme, target
        assert (ROOT / target).is_file(), target
    assert "CC BY 4.0" in (ROOT / "LICENSE-content.md").read_text(encoding="utf-8")
