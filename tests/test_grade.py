"""Tests of the grader (``python -m glmlesson.grade``) on a fixture class.

The class (tests/fixtures/grade/fixture_class.py) is lesson 04 as students get it
(no solution cells) with answers filled in by the tests: right, wrong, untouched,
the instructor's own notebook, and the hostile or broken cases — an endless loop,
one that ignores interrupts, a syntax error, ``os._exit``, a kernel crash during
a check, a file that is not a notebook, a notebook of another lesson, huge
outputs, and a notebook that tries to write into the repository and the
instructor's folders and to read the instructor's environment. The class is
graded once (small time limits) and each test reads its rows.

The sandbox test needs bubblewrap (``bwrap``; Debian package ``bubblewrap``,
installed by .ci/run): without it it skips, or fails with ``CI=true``.
"""

from __future__ import annotations

import ast
import csv
import importlib.util
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest

from glmlesson.exercises.registry import EXERCISES, exercises, judge
from glmlesson.grade import class_lesson, find_submissions, grade_class, run_coroutine
from glmlesson.grade.report import write_html
from glmlesson.grade.sandbox import bwrap_prefix, bwrap_works, kernel_environment
from glmlesson.grade.submission import Graded, Limits, Verdict, grade_notebook, notebook_lesson

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
SECRET_NAME = "GLMLESSON_GRADE_TEST_TOKEN"
LIMITS = Limits(cell=12, notebook=150)


def _load_fixture():
    path = ROOT / "tests" / "fixtures" / "grade" / "fixture_class.py"
    spec = importlib.util.spec_from_file_location("fixture_class", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fc = _load_fixture()
RIGHT = dict(enumerate(fc.solutions("04"), start=1))
KEYS = [exercise.key for exercise in exercises("04")]


def _armed(body: str) -> str:
    """Exercise 04.3 whose function is right while the notebook runs and does ``body``
    once a later cell sets ``ARMED = True``, i.e. when the grader's check calls it."""
    return (RIGHT[3] + "\n_right_ratio = dispersion_ratio\nARMED = False\n\n\n"
            "def dispersion_ratio(y, mu, n_params):\n    if ARMED:\n" + body
            + "\n    return _right_ratio(y, mu, n_params)\n")


INTRUDER = '''import os

def _try_write(path):
    try:
        with open(path, "w") as handle:
            handle.write("written by a submission")
        return "WROTE"
    except OSError as error:
        return f"{{type(error).__name__}}: {{error.strerror}}"


REPO_RESULT = _try_write({repo!r})
FOLDER_RESULT = _try_write({folder!r})
SECRET = os.environ.get({secret!r})


def logistic_gd(X, y, learning_rate, n_steps):
    raise RuntimeError(f"repo write: {{REPO_RESULT}}")


def compare_links(X, y):
    raise RuntimeError(f"instructor folder write: {{FOLDER_RESULT}}")


def dispersion_ratio(y, mu, n_params):
    raise RuntimeError(f"secret: {{SECRET}}")
'''


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """Build the fixture class, grade it once; (rows by student, results, paths)."""
    base = tmp_path_factory.mktemp("grading")
    submissions, instructor = base / "submissions", base / "instructor"
    instructor.mkdir()
    (instructor / "answers.txt").write_text("the instructor's file\n")
    tag = uuid.uuid4().hex[:8]
    targets = {"repo": ROOT / f"GRADE_INTRUDER_{tag}.txt",
               "folder": instructor / f"GRADE_INTRUDER_{tag}.txt"}
    student = fc.student_copy("04")
    right = fc.with_answers("04", RIGHT)
    class_ = {
        "alice": right,
        "bob": fc.with_answers("04", {1: fc.WRONG_04["04.1"], 2: fc.WRONG_04["04.2"],
                                      3: fc.WRONG_04["04.3"]}),
        "instructor_copy": fc.instructor_copy("04"),
        "looper": fc.add_cell(
            fc.with_answers("04", {1: RIGHT[1], 2: RIGHT[2],
                                   3: _armed("        while True:\n            pass")}),
            "while True:\n    pass", before_exercise=1),
        "stubborn": fc.add_cell(right, "import time\nwhile True:\n    try:\n"
                                "        time.sleep(0.1)\n    except KeyboardInterrupt:\n"
                                "        pass", before_exercise=1),
        "syntax_huge": fc.add_cell(
            fc.with_answers("04", {1: RIGHT[1], 2: "def compare_links(X, y)\n    return 1"}),
            "print('x' * 30_000_000)\nfor _ in range(2000):\n    print('y' * 1000)",
            before_exercise=1),
        "exiter": fc.add_cell(right, "import os\nos._exit(1)", before_exercise=1),
        "crasher": fc.with_answers("04", {1: RIGHT[1], 2: RIGHT[2], 3: _armed(
            "        import ctypes\n        ctypes.string_at(0)")}),
        "intruder": fc.add_cell(student, INTRUDER.format(
            repo=str(targets["repo"]), folder=str(targets["folder"]), secret=SECRET_NAME)),
    }
    for name, nb in class_.items():
        fc.write(nb, submissions / f"{name}.ipynb")
    fc.write(fc.correct("05"), submissions / "other_lesson.ipynb")
    (submissions / "dave.ipynb").write_text("print('this is not a notebook')\n")
    (submissions / "frank.pdf").write_bytes(b"%PDF-1.4 not a notebook")
    for folder in ("looper", "crasher"):  # arm the functions after their exercise cells
        path = submissions / f"{folder}.ipynb"
        fc.write(fc.add_cell(nbformat.read(path, as_version=4), "ARMED = True"), path)
    before = {p: p.read_bytes() for p in submissions.iterdir()}
    os.environ[SECRET_NAME] = "s3cret-token"
    try:
        results = grade_class(submissions, base / "out", limits=LIMITS, jobs=3,
                              show_progress=False)
    finally:
        del os.environ[SECRET_NAME]
    with (base / "out" / "grades.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_student = {}
    for row in rows:
        by_student.setdefault(row["student"], {})[row["exercise"]] = row
    return {"rows": rows, "by_student": by_student, "results": results, "out": base / "out",
            "submissions": submissions, "before": before, "targets": targets,
            "instructor": instructor}


def statuses(graded_class, student):
    return {key: row["status"] for key, row in graded_class["by_student"][student].items()}


def messages(graded_class, student):
    return {key: row["message"] for key, row in graded_class["by_student"][student].items()}


# --- the class as a whole ----------------------------------------------------------


def test_every_student_has_a_row_for_every_exercise(graded_class):
    rows = graded_class["rows"]
    assert list(rows[0]) == ["student", "exercise", "status", "message"]
    students = {"alice", "bob", "instructor_copy", "looper", "stubborn", "syntax_huge",
                "exiter", "crasher", "intruder", "other_lesson", "dave", "frank.pdf"}
    assert set(graded_class["by_student"]) == students
    for student in students:
        assert sorted(graded_class["by_student"][student]) == KEYS, student
    assert len(rows) == len(students) * len(KEYS)
    assert {row["status"] for row in rows} <= {"correct", "wrong", "not attempted", "error"}


def test_right_and_wrong(graded_class):
    assert statuses(graded_class, "alice") == dict.fromkeys(KEYS, "correct")
    assert statuses(graded_class, "bob") == dict.fromkeys(KEYS, "wrong")
    assert "wrong sign" in messages(graded_class, "bob")["04.1"]


def test_solution_cells_of_a_submission_are_not_run(graded_class):
    # The instructor's own notebook has every solution, tagged "solution": none is run,
    # so it scores as the untouched student copy does.
    assert statuses(graded_class, "instructor_copy") == dict.fromkeys(KEYS, "not attempted")


def test_endless_loop_times_out_and_the_rest_is_judged(graded_class):
    assert statuses(graded_class, "looper") == {"04.1": "correct", "04.2": "correct",
                                                "04.3": "error"}
    assert "did not finish within 12 s" in messages(graded_class, "looper")["04.3"]
    looper = next(r for r in graded_class["results"] if r.student == "looper")
    assert any("did not finish within 12 s and was interrupted" in n for n in looper.notes)


def test_loop_that_ignores_interrupts_gives_errors(graded_class):
    assert statuses(graded_class, "stubborn") == dict.fromkeys(KEYS, "error")
    assert "stopped responding" in messages(graded_class, "stubborn")["04.1"]


def test_syntax_error_is_an_error_for_that_exercise_only(graded_class):
    # (this student also printed 32 MB before the exercises: huge outputs cost nothing)
    assert statuses(graded_class, "syntax_huge") == {"04.1": "correct", "04.2": "error",
                                                     "04.3": "not attempted"}
    assert "SyntaxError" in messages(graded_class, "syntax_huge")["04.2"]


def test_os_exit_in_a_cell_makes_every_exercise_an_error(graded_class):
    assert statuses(graded_class, "exiter") == dict.fromkeys(KEYS, "error")
    assert "kernel died" in messages(graded_class, "exiter")["04.1"]


def test_crash_during_a_check_keeps_the_verdicts_before_it(graded_class):
    assert statuses(graded_class, "crasher") == {"04.1": "correct", "04.2": "correct",
                                                 "04.3": "error"}
    assert "kernel died" in messages(graded_class, "crasher")["04.3"]


def test_files_that_are_not_notebooks_get_error_rows(graded_class):
    assert statuses(graded_class, "dave") == dict.fromkeys(KEYS, "error")
    assert "cannot be read as a notebook" in messages(graded_class, "dave")["04.1"]
    assert statuses(graded_class, "frank.pdf") == dict.fromkeys(KEYS, "error")
    assert "not a notebook" in messages(graded_class, "frank.pdf")["04.1"]


def test_notebook_of_another_lesson(graded_class):
    assert statuses(graded_class, "other_lesson") == dict.fromkeys(KEYS, "error")
    assert "lesson 05's notebook, not lesson 04's" in messages(graded_class,
                                                               "other_lesson")["04.1"]


def test_submissions_are_left_unchanged(graded_class):
    for path, content in graded_class["before"].items():
        assert path.read_bytes() == content, path


def test_kernel_gets_no_instructor_variables(graded_class):
    message = messages(graded_class, "intruder")["04.3"]
    assert "secret: None" in message and "s3cret" not in message


def test_sandbox_stops_writes_to_the_repository_and_instructor_folders(graded_class):
    if not bwrap_works():
        reason = "bubblewrap (bwrap) is missing or cannot start a sandbox here"
        if IN_CI:
            pytest.fail(f"{reason} (required when CI=true)")
        pytest.skip(reason)
    found = messages(graded_class, "intruder")
    assert "repo write: OSError: Read-only file system" in found["04.1"], found
    assert "instructor folder write:" in found["04.2"] and "WROTE" not in found["04.2"]
    for target in graded_class["targets"].values():
        assert not target.exists(), target
    assert sorted(p.name for p in graded_class["instructor"].iterdir()) == ["answers.txt"]


def test_index_html_is_an_offline_table(graded_class):
    page = (graded_class["out"] / "index.html").read_text(encoding="utf-8")
    assert "<table>" in page and "04.3" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    for student in ("alice", "frank.pdf", "other_lesson"):
        assert f"<th>{student}<br>" in page
    assert page.count("<details><summary>✓ correct</summary>") == 3 + 2 + 2 + 1
    assert "background:#c8e6c9" in page and "background:#ffe0b2" in page


# --- parts ------------------------------------------------------------------------


def test_registry_matches_the_notebooks():
    """Each lesson's solution cells end by calling the checks the registry names, on the
    objects it names, with its extra arguments, in its order."""
    for lesson, entries in EXERCISES.items():
        nb = fc.instructor_copy(lesson)
        calls = []
        for cell in nb.cells:
            if "solution" in cell.metadata.get("tags", []):
                source = cell.source.replace(", folded=True)", ")")  # how it is shown
                check, name, extra = re.findall(r"^(check_\w+)\((\w+)(.*)\)\s*$",
                                                source, re.M)[-1]
                calls.append((check, name, ast.literal_eval(f"({extra.lstrip(', ')},)")
                              if extra else ()))
        assert calls == [(e.check, e.answer, e.args) for e in entries], lesson
        assert notebook_lesson(nb) == lesson
        assert len(fc._exercise_cells(fc.student_copy(lesson), lesson)) == len(entries)


def test_judge_statuses_in_a_namespace():
    def pearson_ratio(y, mu, n_params):  # Pearson χ²/(n − p), written out
        return sum((a - b) ** 2 / b for a, b in zip(y, mu, strict=True)) / (len(y) - n_params)

    assert judge("04.3", {"dispersion_ratio": pearson_ratio})["status"] == "correct"
    assert judge("04.3", {})["status"] == "not attempted"
    assert judge("04.3", {"dispersion_ratio": lambda *a: 1 / 0})["status"] == "wrong"
    with pytest.raises(ValueError, match="no exercise '04.9'"):
        judge("04.9", {})
    with pytest.raises(ValueError, match="no lesson '42'"):
        exercises("42")


def test_kernel_environment_is_minimal(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "nope")
    monkeypatch.setenv("GLMLESSON_DATA", str(tmp_path))
    env = kernel_environment(tmp_path)
    assert "AWS_SECRET_ACCESS_KEY" not in env
    assert env["HOME"] == str(tmp_path) and env["TMPDIR"] == str(tmp_path)
    assert env["GLMLESSON_DATA"] == str(tmp_path)
    assert set(env) <= {"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "PYTHONPATH",
                        "PYTHONNOUSERSITE", "PYTHONDONTWRITEBYTECODE", "MPLCONFIGDIR",
                        "IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
                        "JUPYTER_RUNTIME_DIR", "JUPYTER_PLATFORM_DIRS",
                        "PYDEVD_DISABLE_FILE_VALIDATION", "OMP_NUM_THREADS",
                        "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GLMLESSON_DATA"}


def test_bwrap_command_hides_home_and_tmp(monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    work, private = tmp_path / "work", tmp_path / "private"
    work.mkdir(), private.mkdir()
    command = bwrap_prefix(work, [private])
    pairs = list(zip(command, command[1:], strict=False))
    assert ("--ro-bind", "/") in pairs and ("--tmpfs", "/tmp") in pairs
    assert ("--bind", str(work.resolve())) in pairs
    assert ("--ro-bind", str(private.resolve())) in pairs
    assert command[-1] == "--" and "--unshare-pid" in command
    assert "--unshare-net" not in command


def test_find_submissions_files_and_folders(tmp_path):
    (tmp_path / "alice.ipynb").write_text("{}")
    (tmp_path / ".DS_Store").write_text("")
    (tmp_path / "bob").mkdir()
    fc.write(fc.student_copy("04"), tmp_path / "bob" / "04_poisson_regression.ipynb")
    (tmp_path / "carol").mkdir()
    (tmp_path / "carol" / "a.ipynb").write_text("{}")
    (tmp_path / "carol" / "b.ipynb").write_text("{}")
    found = find_submissions(tmp_path)
    assert [student for student, _, _ in found] == ["alice", "bob", "carol"]
    assert found[1][1].name == "04_poisson_regression.ipynb"
    assert found[2][1] is None and "several notebooks" in found[2][2]
    assert class_lesson([p for _, p, _ in found if p]) == "04"
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="holds no submissions"):
        find_submissions(tmp_path / "empty")


def test_html_escapes_what_students_wrote(tmp_path):
    graded = [Graded("<script>x</script>", "a.ipynb", "04",
                     [Verdict("<script>x</script>", "04.1", "wrong", "<img src=x onerror=y>")])]
    page = write_html(graded, tmp_path / "index.html", "Grades", "none").read_text()
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page


def test_command_line(tmp_path):
    submissions = tmp_path / "class"
    fc.write(fc.student_copy("00"), submissions / "zoe.ipynb")
    (submissions / "yan.ipynb").write_text("nope")
    completed = subprocess.run(
        [sys.executable, "-m", "glmlesson.grade", str(submissions), "--out",
         str(tmp_path / "out"), "--cell-timeout", "30", "--quiet"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert "graded 2 submissions: 1 error, 1 not attempted" in completed.stdout
    rows = list(csv.DictReader((tmp_path / "out" / "grades.csv").open()))
    assert [(r["student"], r["exercise"], r["status"]) for r in rows] == [
        ("yan", "00.1", "error"), ("zoe", "00.1", "not attempted")]
    bad = subprocess.run([sys.executable, "-m", "glmlesson.grade", str(tmp_path / "missing"),
                          "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert bad.returncode == 2 and "is not a folder" in bad.stderr


def test_notebook_time_limit_without_sandbox(tmp_path):
    """The run stops at the notebook's limit; what it defined is still judged (here in a
    kernel without bubblewrap: the scrubbed environment and temporary folder only)."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Lesson 00 — a slow copy"),
        nbformat.v4.new_code_cell("def line(beta, x):\n    return beta[0] + beta[1] * x"),
        *[nbformat.v4.new_code_cell("import time\ntime.sleep(2)") for _ in range(4)],
        nbformat.v4.new_code_cell("def line(beta, x):\n    raise NotImplementedError"),
    ])
    path = fc.write(nb, tmp_path / "slow.ipynb")
    result = run_coroutine(grade_notebook(path, "slow", None, Limits(cell=10, notebook=5),
                                        sandbox="none"))
    assert result.lesson == "00"
    assert [(v.exercise, v.status) for v in result.verdicts] == [("00.1", "correct")]
    assert any("used up its 5 s" in note for note in result.notes), result.notes


@pytest.mark.browser
def test_index_html_in_chromium(graded_class, browser):
    """Offline in Chromium: no request leaves file://, messages open on a click."""
    page = browser.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto((graded_class["out"] / "index.html").as_uri())
        row = page.locator("tr", has=page.locator("th", has_text="bob"))
        message = row.locator("td").nth(0).locator("details p")
        assert not message.is_visible()
        row.locator("td").nth(0).locator("summary").click()
        assert message.is_visible() and "wrong sign" in message.inner_text()
        assert row.locator("td").nth(0).evaluate("e => getComputedStyle(e).backgroundColor") \
            == "rgb(255, 205, 210)"
    finally:
        page.close()
    assert all(url.startswith("file:") for url in requests), requests


def test_memory_limit_gives_a_memory_error_and_the_run_goes_on(tmp_path):
    """A cell asking for 1.5 GB under a 1 GB cap raises MemoryError; the rest is judged."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Lesson 00 — a greedy copy"),
        nbformat.v4.new_code_cell("import numpy as np\nbig = np.zeros(2 * 10**8)\nbig += 1"),
        nbformat.v4.new_code_cell("def line(beta, x):\n    return beta[0] + beta[1] * x"),
    ])
    path = fc.write(nb, tmp_path / "greedy.ipynb")
    result = run_coroutine(grade_notebook(path, "greedy", "00", Limits(memory_mb=1024),
                                        sandbox="auto"))
    assert [(v.exercise, v.status) for v in result.verdicts] == [("00.1", "correct")]
    assert any("raised MemoryError" in note for note in result.notes), result.notes
    with pytest.raises(ValueError, match="at least 512 MB"):
        Limits(memory_mb=100)


def test_bad_arguments_are_clear_errors(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    with pytest.raises(ValueError, match="no lesson '42'"):
        grade_class(tmp_path, tmp_path / "out", lesson="42", show_progress=False)
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        grade_class(tmp_path, tmp_path / "out", jobs=0, show_progress=False)
    with pytest.raises(ValueError, match="sandbox must be one of"):
        grade_class(tmp_path, tmp_path / "out", sandbox="docker", show_progress=False)
    with pytest.raises(ValueError, match="time limit must be a positive"):
        Limits(cell=0)
