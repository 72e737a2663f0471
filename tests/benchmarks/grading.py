"""Grading time: a class of 30 lesson-04 notebooks through ``python -m glmlesson.grade``.

The class comes from tests/fixtures/grade/fixture_class.py (a third right, a
third wrong, a third untouched stubs), is written to a temporary folder and
graded with the command line, as an instructor would, with the default limits,
sandbox and number of parallel kernels (the machine's cores).

Run ``python -m tests.benchmarks.grading [SIZE]`` from the repository root, or
``make bench`` (which runs it with the other benchmarks).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.fixtures.grade import fixture_class

ROOT = Path(__file__).resolve().parents[2]


def grading_time(size: int = 30) -> float:
    """Print and return the wall time to grade ``size`` lesson-04 notebooks."""
    with tempfile.TemporaryDirectory(prefix="glmlesson-bench-") as folder:
        folder = Path(folder)
        fixture_class.bench_class(folder / "class", size=size)
        command = [sys.executable, "-m", "glmlesson.grade", str(folder / "class"),
                   "--out", str(folder / "out"), "--quiet"]
        start = time.perf_counter()
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if completed.returncode != 0:
            raise RuntimeError(f"grading failed:\n{completed.stderr}")
        with (folder / "out" / "grades.csv").open(newline="", encoding="utf-8") as handle:
            statuses = Counter(row["status"] for row in csv.DictReader(handle))
    cores = os.cpu_count()
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    print(f"\nGrading {size} lesson-04 notebooks ({cores} cores, one kernel per core): "
          f"{seconds:.1f} s, {seconds / size:.2f} s per notebook — {summary}")
    return seconds


if __name__ == "__main__":
    grading_time(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
