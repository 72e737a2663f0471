"""Grade one submitted notebook: run it in its own kernel, then judge every exercise.

The steps, for one file:

1. Read it (anything that is not a notebook gets "error" rows) and tell its lesson
   from the checks it calls or its title; a notebook of another lesson than the
   class's gets "error" rows saying so.
2. Run its code cells in order in a fresh kernel (:mod:`glmlesson.grade.sandbox`),
   each with a time limit, the whole run with another. Cells tagged ``solution``
   are never run (a student who hands in the instructor's notebook has only stubs).
   A cell that raises is noted and the run goes on; a cell that times out is
   interrupted and the run goes on; student output is not kept.
3. Judge: for each exercise of the lesson, run in the same kernel a cell that applies
   the check to the student's object as it stands after the run
   (:func:`glmlesson.exercises.registry.judge`) and returns the verdict as JSON.
   If the kernel has died (``os._exit``, a crash), the exercises not yet judged are
   "error".

Introduced in 00_start_here (the exercises every lesson grades).
"""

from __future__ import annotations

import ast
import asyncio
import json
import logging
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from glmlesson.exercises.registry import exercises, lesson_of_check
from glmlesson.grade.sandbox import kernel_environment, kernel_manager, resolve_sandbox

__all__ = ["Limits", "Verdict", "Graded", "read_notebook", "notebook_lesson", "grade_notebook"]

SOLUTION_TAG = "solution"
TIMEOUT_NAME = "GradingTimeout"
MAX_FILE_BYTES = 200 * 2**20
_CHECK_CALL = re.compile(r"\b(check_\w+)\s*\(")
_TITLE = re.compile(r"^#\s*Lesson\s+(\d{1,2})\b", re.M)
# nbclient and jupyter_client log every timeout, interrupt and dead kernel; the grader
# reports those itself (in the messages and the run notes), so their logs stay quiet.
_QUIET_LOG = logging.getLogger("glmlesson.grade.kernels")
_QUIET_LOG.addHandler(logging.NullHandler())
_QUIET_LOG.propagate = False


@dataclass(frozen=True)
class Limits:
    """Time limits in seconds: per cell (also per exercise check), per notebook run, for
    the kernel's start; and the kernel's memory (address space) in megabytes, 0 for none."""

    cell: float = 60.0
    notebook: float = 600.0
    startup: float = 60.0
    memory_mb: float = 4096.0

    def __post_init__(self):
        for name in ("cell", "notebook", "startup"):
            if not getattr(self, name) > 0:
                raise ValueError(f"the {name} time limit must be a positive number of seconds, "
                                 f"got {getattr(self, name)!r}")
        if not (self.memory_mb == 0 or self.memory_mb >= 512):
            raise ValueError(f"the memory limit must be 0 (none) or at least 512 MB (a kernel "
                             f"with numpy and matplotlib needs about 300), got {self.memory_mb!r}")


@dataclass(frozen=True)
class Verdict:
    """One row of grades.csv."""

    student: str
    exercise: str
    status: str
    message: str


@dataclass
class Graded:
    """Everything known about one student's submission after grading."""

    student: str
    source: str
    lesson: str | None
    verdicts: list[Verdict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


class NotANotebook(ValueError):
    """The submitted file cannot be read as a Jupyter notebook."""


def read_notebook(path: Path):
    """The notebook at ``path`` (nbformat v4); NotANotebook says why it is not one."""
    path = Path(path)
    if path.suffix.lower() != ".ipynb":
        raise NotANotebook(f"{path.name} is not a notebook (.ipynb); hand in the lesson's "
                           ".ipynb file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise NotANotebook(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB; clear "
                           "the outputs (Edit > Clear Outputs of All Cells) and hand it in again")
    try:
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # nbformat raises several kinds; all mean "not a notebook"
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise NotANotebook(f"{path.name} cannot be read as a notebook: {reason[:200]}") from None
    return nb


def _tags(cell) -> list:
    tags = cell.get("metadata", {}).get("tags", [])
    return tags if isinstance(tags, list) else []


def notebook_lesson(nb) -> str | None:
    """The lesson a notebook is from: the lesson of most of the checks its code cells
    call, else the number in a "# Lesson NN" title, else None."""
    votes = Counter()
    for cell in nb.cells:
        if cell.cell_type == "code":
            for name in _CHECK_CALL.findall(cell.source):
                lesson = lesson_of_check(name)
                if lesson is not None:
                    votes[lesson] += 1
    if votes:
        return votes.most_common(1)[0][0]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _TITLE.search(cell.source)
            if match:
                return match.group(1).zfill(2)
    return None


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:60]
    return ""


def _defines(source: str, name: str) -> bool:
    pattern = rf"^\s*(?:async\s+)?def\s+{re.escape(name)}\s*\(|^\s*{re.escape(name)}\s*[:=]"
    return re.search(pattern, source, re.M) is not None


class _QuietClient(NotebookClient):
    """nbclient that keeps no output of student cells (huge outputs cost nothing) and
    only the result of the grader's own cells."""

    keep_results = False

    def output(self, outs, msg, display_id, cell_index):
        if self.keep_results and msg["msg_type"] == "execute_result":
            return super().output(outs, msg, display_id, cell_index)
        return None


class _Run:
    """One kernel running one notebook; records what went wrong on the way."""

    def __init__(self, nb, limits: Limits, sandbox: str):
        self.nb = nb
        self.limits = limits
        self.sandbox = sandbox
        self.notes: list[str] = []
        self.cell_errors: dict[int, str] = {}
        self.dead: str | None = None      # why the kernel can no longer be used
        self.client: _QuietClient | None = None

    async def start(self, workdir: Path, private: Path) -> None:
        manager = kernel_manager(workdir, private, self.sandbox, self.limits.memory_mb)
        manager.log = _QUIET_LOG
        self.client = _QuietClient(
            self.nb, km=manager, timeout=self.limits.cell, startup_timeout=self.limits.startup,
            interrupt_on_timeout=True, allow_errors=False, force_raise_errors=True,
            record_timing=False,
            error_on_timeout={"ename": TIMEOUT_NAME, "evalue": "", "traceback": []},
            iopub_timeout=4, shell_timeout_interval=1, shutdown_kernel="immediate", log=_QUIET_LOG,
        )
        await self.client.async_start_new_kernel(
            env=kernel_environment(workdir), cwd=str(workdir),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        await self.client.async_start_new_kernel_client()

    async def stop(self) -> None:
        if self.client is not None and self.client.km is not None:
            try:
                await self.client._async_cleanup_kernel()
            except Exception:  # a kernel that is already gone needs no shutdown
                pass

    async def execute(self, cell, index: int, timeout: float) -> str | None:
        """Run ``cell``: None when it finished, else "error", "timeout" or "dead"."""
        self.client.timeout = max(1, int(round(timeout)))
        try:
            await self.client.async_execute_cell(cell, index)
        except CellExecutionError as error:
            if error.ename == TIMEOUT_NAME:
                return "timeout"
            self.cell_errors[index] = f"{error.ename}: {error.evalue}"[:300]
            return "error"
        except CellTimeoutError:
            return "timeout"
        except DeadKernelError:
            return "dead"
        return None

    async def responsive(self) -> bool:
        """After an interrupted cell: does the kernel answer a trivial cell within 10 s?"""
        probe = nbformat.v4.new_code_cell("pass")
        self.nb.cells.append(probe)
        outcome = await self.execute(probe, len(self.nb.cells) - 1, timeout=10)
        return outcome is None

    async def run_cells(self) -> None:
        deadline = time.monotonic() + self.limits.notebook
        cells = list(enumerate(self.nb.cells))
        for index, cell in cells:
            if cell.cell_type != "code" or SOLUTION_TAG in _tags(cell):
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                self.notes.append(f"the notebook used up its {self.limits.notebook:g} s: cells "
                                  f"from cell {index + 1} on were not run")
                return
            outcome = await self.execute(cell, index, min(self.limits.cell, left))
            where = f"cell {index + 1} ({_first_line(cell.source)})"
            if outcome == "error":
                self.notes.append(f"{where} raised {self.cell_errors[index]}")
            elif outcome == "timeout":
                self.notes.append(f"{where} did not finish within "
                                  f"{min(self.limits.cell, left):g} s and was interrupted")
                if not await self.responsive():
                    self.dead = (f"the kernel stopped responding after {where} timed out "
                                 "(an endless loop that ignores interrupts?)")
                    return
            elif outcome == "dead":
                self.dead = (f"the kernel died while running {where}: os._exit, a crash or "
                             "running out of memory stops it; nothing could be judged")
                return

    def _missing_because_of_error(self, name: str) -> str | None:
        for index, error in self.cell_errors.items():
            if _defines(self.nb.cells[index].source, name):
                return (f"{name} is not defined after the run: cell {index + 1}, which "
                        f"defines it, raised {error}")
        return None

    async def judge(self, exercise) -> dict:
        """The verdict dict on ``exercise``, judged in this kernel."""
        code = ("__import__('json').dumps(dict(__import__('glmlesson.exercises.registry', "
                f"fromlist=['judge']).judge({exercise.key!r}, globals()), "
                f"defined={exercise.answer!r} in globals()))")
        cell = nbformat.v4.new_code_cell(code)
        self.nb.cells.append(cell)
        self.client.keep_results = True
        try:
            outcome = await self.execute(cell, len(self.nb.cells) - 1, self.limits.cell)
        finally:
            self.client.keep_results = False
        if outcome == "dead":
            self.dead = (f"the kernel died while the check of {exercise.key} ran "
                         f"{exercise.answer}: os._exit, a crash or running out of memory "
                         "stops it")
            return {"status": "error", "message": self.dead}
        if outcome == "timeout":
            message = (f"the check did not finish within {self.limits.cell:g} s running your "
                       f"{exercise.answer} (an endless loop?)")
            if not await self.responsive():
                self.dead = f"the kernel stopped responding after the check of {exercise.key}"
            return {"status": "error", "message": message}
        verdict = _read_verdict(cell)
        if verdict is None:
            return {"status": "error", "message": "the grader could not read the check's verdict"
                    + (f" ({self.cell_errors[len(self.nb.cells) - 1]})" if outcome else "")}
        if verdict["status"] == "not attempted" and not verdict["defined"]:
            because = self._missing_because_of_error(exercise.answer)
            if because:
                return {"status": "error", "message": because}
        return verdict


def _read_verdict(cell) -> dict | None:
    for output in cell.get("outputs", []):
        text = output.get("data", {}).get("text/plain")
        if output.get("output_type") == "execute_result" and text:
            try:
                verdict = json.loads(ast.literal_eval(text))
            except (ValueError, SyntaxError, TypeError):
                return None
            if isinstance(verdict, dict) and {"status", "message"} <= set(verdict):
                return {"status": str(verdict["status"]), "message": str(verdict["message"]),
                        "defined": bool(verdict.get("defined", True))}
    return None


def error_rows(student: str, lesson: str | None, message: str) -> list[Verdict]:
    """An "error" row for every exercise of ``lesson`` (one row if the lesson is unknown)."""
    if lesson is None:
        return [Verdict(student, "", "error", message)]
    return [Verdict(student, exercise.key, "error", message) for exercise in exercises(lesson)]


async def grade_notebook(path: Path, student: str, class_lesson: str | None, limits: Limits,
                         sandbox: str) -> Graded:
    """Grade the submission at ``path``: a row for every exercise of its lesson (of
    ``class_lesson`` if given); ``sandbox`` is "auto", "bwrap" or "none"."""
    sandbox = resolve_sandbox(sandbox)
    started = time.monotonic()
    graded = Graded(student=student, source=Path(path).name, lesson=class_lesson)
    try:
        nb = read_notebook(path)
    except (NotANotebook, OSError) as error:
        graded.verdicts = error_rows(student, class_lesson, str(error))
        return graded
    lesson = notebook_lesson(nb)
    if class_lesson is not None and lesson is not None and lesson != class_lesson:
        graded.verdicts = error_rows(
            student, class_lesson, f"this is lesson {lesson}'s notebook, not lesson "
            f"{class_lesson}'s: hand in lesson {class_lesson} (or grade it with --lesson "
            f"{lesson})")
        return graded
    lesson = class_lesson or lesson
    graded.lesson = lesson
    if lesson is None:
        graded.verdicts = error_rows(student, None, "cannot tell which lesson this notebook is "
                                     "from (no exercise checks, no '# Lesson NN' title)")
        return graded
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    graded.verdicts = await _run_and_judge(nb, student, lesson, limits, sandbox, graded.notes)
    graded.seconds = time.monotonic() - started
    return graded


async def _run_and_judge(nb, student, lesson, limits, sandbox, notes) -> list[Verdict]:
    workdir = Path(tempfile.mkdtemp(prefix="glmlesson-grade-"))
    private = Path(tempfile.mkdtemp(prefix="glmlesson-kernel-"))
    run = _Run(nb, limits, sandbox)
    verdicts = []
    try:
        for attempt in (1, 2):  # a kernel that dies at start-up gets one more chance
            try:
                await run.start(workdir, private)
                break
            except Exception as error:
                await run.stop()
                if attempt == 2:
                    return error_rows(student, lesson, f"the kernel did not start "
                                      f"({type(error).__name__}: {error}); grade it again")
        await run.run_cells()
        for exercise in exercises(lesson):
            if run.dead:
                verdicts.append(Verdict(student, exercise.key, "error", run.dead))
                continue
            verdict = await run.judge(exercise)
            verdicts.append(Verdict(student, exercise.key, verdict["status"], verdict["message"]))
    finally:
        await run.stop()
        notes.extend(run.notes)
        await asyncio.to_thread(shutil.rmtree, workdir, True)
        await asyncio.to_thread(shutil.rmtree, private, True)
    return verdicts
