"""Grade a class: ``python -m glmlesson.grade SUBMISSIONS --out OUT``.

SUBMISSIONS is a folder with one file per student (``alice.ipynb``: the student
is the file name without ``.ipynb``) or one folder per student holding their
notebook (``alice/04_poisson_regression.ipynb``: the student is the folder's
name). Hidden files are ignored; any other file is a submission, so a file that
is not a notebook gets "error" rows instead of stopping the run.

Every notebook runs in its own kernel (:mod:`glmlesson.grade.submission`), up to
one per core at a time, and every exercise of the class's lesson is judged by
its check on the student's function as it stands after the run. The class's
lesson is ``--lesson`` or, without it, the lesson most submissions are from.
Written to OUT: ``grades.csv`` (student, exercise such as ``04.3``, status —
correct / wrong / not attempted / error — and the check's message) and
``index.html``, an offline table of the same.

Introduced in 00_start_here (the exercises every lesson grades).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import sys
from collections import Counter
from pathlib import Path

from glmlesson.exercises.registry import exercises
from glmlesson.grade.report import write_csv, write_html
from glmlesson.grade.sandbox import SANDBOXES, resolve_sandbox
from glmlesson.grade.submission import (
    Graded,
    Limits,
    NotANotebook,
    error_rows,
    grade_notebook,
    notebook_lesson,
    read_notebook,
)

__all__ = ["find_submissions", "class_lesson", "grade_class", "run_coroutine", "main", "Limits"]

PROTECTION = {
    "bwrap": "bubblewrap sandbox (file system read-only except each kernel's own temporary "
             "folder; /tmp and the instructor's home hidden), scrubbed environment",
    "none": "scrubbed environment and a temporary working folder only: NO file-system "
            "sandbox (bubblewrap not used); grade in a container or a throwaway account",
}


def _visible(path: Path | str) -> bool:
    return not Path(path).name.startswith((".", "__"))


def find_submissions(folder: Path) -> list[tuple[str, Path | None, str | None]]:
    """(student, file, problem) for each submission in ``folder``, sorted by student.

    ``file`` is None and ``problem`` says why when a student's folder holds no
    notebook or several.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder: pass the folder that holds the submitted "
                         "notebooks (one file or one folder per student)")
    found = []
    for entry in sorted(filter(_visible, folder.iterdir())):
        if entry.is_file():
            found.append((entry.name.removesuffix(".ipynb") if entry.suffix == ".ipynb"
                          else entry.name, entry, None))
        elif entry.is_dir():
            notebooks = sorted(p for p in entry.rglob("*.ipynb")
                               if all(_visible(part) for part in p.relative_to(entry).parts))
            files = [p for p in sorted(entry.rglob("*")) if p.is_file() and _visible(p)]
            if len(notebooks) == 1:
                found.append((entry.name, notebooks[0], None))
            elif notebooks:
                names = ", ".join(str(p.relative_to(folder)) for p in notebooks)
                found.append((entry.name, None, f"several notebooks ({names}): leave one"))
            elif files:
                found.append((entry.name, files[0], None))
            else:
                found.append((entry.name, None, f"{entry.name}/ holds no notebook"))
    seen = Counter(student for student, _, _ in found)
    found = [(student if seen[student] == 1 else str(path.relative_to(folder)) if path
              else student, path, problem) for student, path, problem in found]
    if not found:
        raise ValueError(f"{folder} holds no submissions: put one notebook (or one folder) "
                         "per student in it")
    return found


def class_lesson(paths: list[Path]) -> str | None:
    """The lesson most of the readable notebooks among ``paths`` are from (None if none)."""
    votes = Counter()
    for path in paths:
        try:
            lesson = notebook_lesson(read_notebook(path))
        except (NotANotebook, OSError):
            continue
        if lesson is not None:
            votes[lesson] += 1
    return votes.most_common(1)[0][0] if votes else None


async def _grade_all(submissions, lesson, limits, sandbox, jobs, progress) -> list[Graded]:
    gate = asyncio.Semaphore(jobs)

    async def one(student, path, problem):
        if path is None:
            return Graded(student, "", lesson, error_rows(student, lesson, problem))
        async with gate:
            result = await grade_notebook(path, student, lesson, limits, sandbox)
        progress.update(1)
        return result

    return list(await asyncio.gather(*(one(*item) for item in submissions)))


def run_coroutine(coroutine):
    """Run ``coroutine`` to its end, also from a notebook (where a loop already runs)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def grade_class(submissions: Path, out: Path, lesson: str | None = None,
                limits: Limits | None = None, sandbox: str = "auto", jobs: int | None = None,
                show_progress: bool = True) -> list[Graded]:
    """Grade every submission in ``submissions``; write ``out/grades.csv`` and
    ``out/index.html``; return the results, one per student."""
    from tqdm import tqdm

    limits = limits or Limits()
    sandbox = resolve_sandbox(sandbox)
    found = find_submissions(submissions)
    if lesson is not None:
        lesson = str(lesson).zfill(2)
        exercises(lesson)  # a ValueError naming the lessons if there is no such lesson
    else:
        lesson = class_lesson([path for _, path, _ in found if path is not None])
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    with tqdm(total=sum(path is not None for _, path, _ in found), desc="grading",
              unit="notebook", disable=not show_progress, file=sys.stderr) as progress:
        graded = run_coroutine(_grade_all(found, lesson, limits, sandbox, jobs, progress))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(graded, out / "grades.csv")
    title = f"Grades — lesson {lesson}" if lesson else "Grades"
    write_html(graded, out / "index.html", title, PROTECTION[sandbox])
    return graded


def main(argv=None) -> int:
    """The command line: ``python -m glmlesson.grade SUBMISSIONS --out OUT``."""
    parser = argparse.ArgumentParser(
        prog="python -m glmlesson.grade",
        description="Run each submitted notebook in its own kernel and judge every exercise "
                    "with its check; write OUT/grades.csv and OUT/index.html.")
    parser.add_argument("submissions", type=Path,
                        help="folder with one notebook (or one folder) per student")
    parser.add_argument("--out", type=Path, required=True, help="folder for the grades")
    parser.add_argument("--lesson", help="the class's lesson, e.g. 04 (default: the lesson "
                        "most submissions are from)")
    parser.add_argument("--cell-timeout", type=float, default=Limits.cell,
                        help="seconds per cell and per exercise check (default %(default)s)")
    parser.add_argument("--notebook-timeout", type=float, default=Limits.notebook,
                        help="seconds for running one notebook (default %(default)s)")
    parser.add_argument("--memory-limit", type=float, default=Limits.memory_mb,
                        help="megabytes of memory per kernel, 0 for no limit (default "
                        "%(default)s)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="notebooks graded at once (default: the number of cores)")
    parser.add_argument("--sandbox", choices=SANDBOXES, default="auto",
                        help="bwrap: require bubblewrap; none: no file-system sandbox; auto "
                        "(default): bubblewrap where it works")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        limits = Limits(cell=args.cell_timeout, notebook=args.notebook_timeout,
                        memory_mb=args.memory_limit)
        sandbox = resolve_sandbox(args.sandbox)
        if sandbox == "none":
            print("glmlesson.grade: no file-system sandbox (bubblewrap missing or unusable): "
                  "student code can change files this account can write. Grade in a container "
                  "or a throwaway account.", file=sys.stderr)
        graded = grade_class(args.submissions, args.out, lesson=args.lesson, limits=limits,
                             sandbox=sandbox, jobs=args.jobs, show_progress=not args.quiet)
    except ValueError as error:
        parser.error(str(error))
    statuses = Counter(v.status for result in graded for v in result.verdicts)
    summary = ", ".join(f"{count} {status}" for status, count in statuses.most_common())
    print(f"graded {len(graded)} submissions: {summary}")
    print(f"wrote {args.out / 'grades.csv'} and {args.out / 'index.html'}")
    return 0
