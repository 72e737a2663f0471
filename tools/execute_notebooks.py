"""Execute lesson notebooks in place, with clean, reproducible metadata.

Usage::

    python tools/execute_notebooks.py notebooks/01_*.ipynb [--jobs 2] [--timeout 120]

Each notebook runs top to bottom in a fresh ``python3`` kernel of the Python
running this script, with the notebook's own folder as working directory.
Widget state is saved in the notebook metadata (so the HTML build can show the
widgets), widget model ids are renamed deterministically, execution counts
are renumbered 1, 2, 3, ..., per-cell timings are dropped and consecutive
prints to one stream are merged into one output (however the kernel happened to
chunk them on a busy machine), so re-executing
an unchanged notebook gives an unchanged file apart from what the code prints.
Solution cells (tagged ``solution``) are saved with their source and outputs
hidden (``{"jupyter": {"source_hidden": true, "outputs_hidden": true}}``), so a
student sees neither the code nor the answer it prints until they unfold it.

A notebook whose run raises (or leaves an ``error`` output outside cells
tagged ``raises-exception``) is NOT written back; the script names the
notebook and cell and exits with status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
SOLUTION_TAG = "solution"


class NotebookFailed(Exception):
    """A notebook raised, or produced an error output, while executing."""


def first_error(nb) -> tuple[int, dict] | None:
    """Return (cell index, error output) of the first unexpected error, or None.

    Cells tagged ``raises-exception`` are allowed to end in an error.
    """
    for index, cell in enumerate(nb.cells):
        if "raises-exception" in cell.metadata.get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, output
    return None


def describe_error(path: Path, nb, fallback: str = "") -> str:
    """Say which cell of ``nb`` failed and how, in one short paragraph."""
    found = first_error(nb)
    if found is None:
        return f"{path}: execution failed: {fallback}"
    index, output = found
    first_line = nb.cells[index].source.strip().splitlines()[:1] or [""]
    return (
        f"{path}: cell {index} failed ({first_line[0]!r}): "
        f"{output.get('ename')}: {output.get('evalue')}"
    )


def strip_volatile(nb) -> None:
    """Drop timings and renumber execution counts 1..n over executed code cells."""
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is None and not cell.get("outputs"):
            continue
        count += 1
        cell.execution_count = count
        for output in cell.outputs:
            if output.get("output_type") == "execute_result":
                output.execution_count = count


def hide_solutions(nb) -> None:
    """Fold every cell tagged ``solution``: its source and its outputs start hidden.

    Sets ``metadata.jupyter.source_hidden`` and ``outputs_hidden`` to true (the keys
    JupyterLab and Notebook 7 read), keeping any other ``jupyter`` metadata, and
    ``collapsed`` to true, which JupyterLab adds beside ``outputs_hidden`` when it opens
    the notebook (without it, merely opening a lesson marks the file changed).
    """
    for cell in nb.cells:
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            cell.metadata.setdefault("jupyter", {}).update(
                source_hidden=True, outputs_hidden=True)
            cell.metadata["collapsed"] = True


def stable_widget_ids(nb, name: str):
    """Return ``nb`` with widget model ids replaced by ids derived from ``name``.

    Widget model ids are random UUIDs; re-executing a notebook would change
    every one of them. The i-th model gets ``sha1(f"{name}:{i}")[:32]``.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME, {}).get("state", {})
    if not state:
        return nb
    mapping = {
        old: hashlib.sha1(f"{name}:{i}".encode()).hexdigest()[:32]
        for i, old in enumerate(state)
    }
    pattern = re.compile("|".join(re.escape(old) for old in mapping))
    text = pattern.sub(lambda m: mapping[m.group(0)], nbformat.writes(nb))
    return nbformat.reads(text, as_version=4)


def execute_notebook(path: Path, timeout: int = 120, attempts: int = 3) -> str:
    """Execute ``path`` in place; return a one-line report or raise NotebookFailed.

    A kernel that dies while starting (two kernels launched at once can race for the
    same ports: "Kernel died before replying to kernel_info") is started again, up to
    ``attempts`` times; a failure inside the notebook is never retried.
    """
    for attempt in range(1, attempts + 1):
        try:
            return _execute_once(Path(path), timeout)
        except RuntimeError as exc:
            if "before replying to kernel_info" not in str(exc) or attempt == attempts:
                raise NotebookFailed(f"{path}: kernel did not start: {exc}") from None
    raise AssertionError("unreachable")


def _execute_once(path: Path, timeout: int) -> str:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,
        # Quiet the kernel's start-up warning about unencrypted local TCP.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        raise NotebookFailed(describe_error(path, nb, str(exc)[:500])) from None
    except (CellTimeoutError, DeadKernelError) as exc:
        raise NotebookFailed(f"{path}: {type(exc).__name__}: {exc}") from None
    if first_error(nb) is not None:
        raise NotebookFailed(describe_error(path, nb))
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    strip_volatile(nb)
    hide_solutions(nb)
    # the name JupyterLab writes for this kernel when it opens the notebook
    nb.metadata.setdefault("kernelspec", {}).update(
        name="python3", display_name="Python 3 (ipykernel)", language="python")
    nb = stable_widget_ids(nb, path.stem)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return f"executed {path}"


def _run_one(args: tuple[Path, int]) -> tuple[bool, str]:
    """Worker: execute one notebook, return (ok, message) instead of raising."""
    path, timeout = args
    try:
        return True, execute_notebook(path, timeout)
    except NotebookFailed as exc:
        return False, str(exc)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--jobs", "-j", type=int, default=2, help="parallel kernels")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell")
    args = parser.parse_args(argv)
    work = [(path, args.timeout) for path in args.notebooks]
    if args.jobs <= 1 or len(work) == 1:
        results = [_run_one(item) for item in work]
    else:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(_run_one, work))
    for ok, message in results:
        print(message if ok else f"FAILED {message}", file=sys.stdout if ok else sys.stderr)
    failures = sum(not ok for ok, _ in results)
    if failures:
        print(f"{failures} notebook(s) failed; they were not rewritten.", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
