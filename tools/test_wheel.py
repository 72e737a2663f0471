"""Check that the course works installed from a wheel, away from the checkout.

Usage::

    python tools/test_wheel.py [--keep]

What ``make test`` runs after the unit and notebook tests. In a temporary
folder outside the repository it

1. copies the files git knows about (tracked, and new files not ignored), so
   nothing ignored or left over in ``build/`` can leak into the wheel;
2. builds the wheel (``pip wheel --no-deps``, what ``pip install .`` and
   ``pip install git+URL`` build too) and checks its contents: every module of
   ``glmlesson`` and its subpackages (``glmlesson/exercises/``...), and every
   ``data/*.csv`` byte for byte as ``glmlesson/datasets/``;
3. makes a fresh virtual environment, installs the wheel (its dependencies come
   from the wheel's metadata) with ipykernel, nbval and pytest;
4. from a third folder, with ``PYTHONPATH`` and ``GLMLESSON_DATA`` removed from
   the environment, runs a copy of lesson 05 (real data and exercises) under
   strict nbval, plus a check that every ``glmlesson`` module, in pytest and in
   the notebook's kernel, comes from the new environment and none from the
   checkout, and that every data set loads from the installed package;
5. runs Binder's ``.binder/postBuild`` in that environment (it reinstalls the
   course from the source copy) and checks the installed course again.

Installing needs the package index (or pip's cache): the course itself reads
nothing from the network when it runs. The script prints the time of each
step and exits with status 1, naming what failed, if anything does.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON = Path("notebooks/05_logistic_regression.ipynb")
SANITIZE = Path("tests/sanitize.cfg")
TEST_TOOLS = ["ipykernel", "nbval", "pytest"]
SCRATCH_BYTES = 2 * 1024**3  # /dev/shm is used for the venv only with this much free
# Variables that could make Python import the checkout or read its data/.
SCRUBBED = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "GLMLESSON_DATA", "VIRTUAL_ENV")

# Run in the installed environment, by pytest and inside the lesson's kernel.
LOCATION_CHECK = """\
import sys
from pathlib import Path

def assert_installed(checkout):
    prefix = Path(sys.prefix).resolve()
    loaded = {name: getattr(module, "__file__", None) or ""
              for name, module in list(sys.modules.items())}
    ours = {name: path for name, path in loaded.items()
            if name == "glmlesson" or name.startswith("glmlesson.")}
    assert "glmlesson" in ours, "glmlesson was not imported"
    outside = {n: p for n, p in ours.items() if not Path(p).resolve().is_relative_to(prefix)}
    assert not outside, f"glmlesson modules imported from outside {prefix}: {outside}"
    from_checkout = {n: p for n, p in loaded.items()
                     if p and Path(p).resolve().is_relative_to(checkout)}
    assert not from_checkout, f"modules imported from the checkout: {from_checkout}"
"""

INSTALLED_TESTS = """\
from pathlib import Path

import glmlesson
import glmlesson.exercises
from glmlesson import data
from location_check import assert_installed

CHECKOUT = Path({checkout!r})


def test_glmlesson_comes_from_the_new_environment():
    assert_installed(CHECKOUT)


def test_every_data_set_loads_from_the_installed_package():
    assert data.data_dir() == Path(glmlesson.__file__).resolve().parent / "datasets"
    for name in data.available():
        assert data.load(name).n_rows > 0, name
"""

KERNEL_CELL = """\
# Added by tools/test_wheel.py: the kernel imported glmlesson from the wheel.
from location_check import assert_installed
assert_installed(Path({checkout!r}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="glmlesson-wheel-", dir=scratch_folder())).resolve()
    if work.is_relative_to(ROOT):
        raise SystemExit(f"test_wheel: the temporary folder {work} is inside the checkout")
    started = time.perf_counter()
    try:
        run_all(work)
    except StepFailed as failure:
        print(f"test_wheel: FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"test_wheel: kept {work}")
        else:
            with step(f"remove {work.name}"):
                shutil.rmtree(work, ignore_errors=True)
    print(f"test_wheel: passed in {time.perf_counter() - started:.0f} s")
    return 0


def scratch_folder() -> str | None:
    """Where to make the temporary folder: $TMPDIR if set, else a roomy /dev/shm, else default.

    The venv is about 400 MB in 16,000 files. On a disk mounted with online
    discard, deleting it takes about a minute; in memory (Linux's /dev/shm
    tmpfs) it takes a moment. Containers often give /dev/shm only 64 MB, hence
    the free-space test.
    """
    shm = Path("/dev/shm")
    if os.environ.get("TMPDIR") or not (shm.is_dir() and os.access(shm, os.W_OK)):
        return None
    return str(shm) if shutil.disk_usage(shm).free > SCRATCH_BYTES else None


class StepFailed(Exception):
    """A step of the wheel check failed; the message says which and why."""


def run_all(work: Path) -> None:
    source, dist, venv, run = (work / name for name in ("src", "dist", "venv", "run"))
    with step("copy the sources git knows about"):
        copy_sources(ROOT, source)
    with step("build the wheel"):
        wheel = build_wheel(source, dist)
    with step("check the wheel's contents"):
        problems = check_wheel(wheel, source)
        if problems:
            raise StepFailed(f"{wheel.name}:\n  " + "\n  ".join(problems))
    env = scrubbed_env(venv)
    python = venv / "bin" / "python"
    with step("fresh venv; install the wheel, " + ", ".join(TEST_TOOLS)):
        run_command([sys.executable, "-m", "venv", str(venv)], work, env)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--no-compile"]
        run_command([*pip, str(wheel), *TEST_TOOLS], work, env)
    with step(f"lesson 05 under nbval from {run.name}/, and the import checks"):
        prepare_run_folder(source, run)
        command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "--nbval", "--nbval-current-env", "--nbval-sanitize-with", SANITIZE.name,
                   "test_installed.py", LESSON.name]  # fmt: skip
        run_command(command, run, env)
    with step("Binder's .binder/postBuild in the same venv"):
        run_command(["bash", str(source / ".binder" / "postBuild")], source, env)
        command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "test_installed.py"]  # fmt: skip
        run_command(command, run, env)


class step:
    """Print a step's name and, when it ends, its time in seconds."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.started = time.perf_counter()
        print(f"test_wheel: {self.name} ...", flush=True)

    def __exit__(self, kind, value, traceback) -> None:
        seconds = time.perf_counter() - self.started
        state = "done" if kind is None else "FAILED"
        print(f"test_wheel:   {state} in {seconds:.1f} s", flush=True)


def source_files(root: Path) -> list[Path]:
    """Paths (relative to ``root``) of the files git tracks or would track."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, check=True, capture_output=True,
    ).stdout.decode()  # fmt: skip
    return sorted(Path(name) for name in listed.split("\0") if name and (root / name).is_file())


def copy_sources(root: Path, target: Path) -> None:
    """Copy the files of ``source_files(root)`` into ``target``, keeping modes."""
    for relative in source_files(root):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, destination)


def build_wheel(source: Path, dist: Path) -> Path:
    """Build the wheel of ``source`` into ``dist`` and return its path."""
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
               "--wheel-dir", str(dist), str(source)]  # fmt: skip
    run_command(command, source, None)
    wheels = sorted(dist.glob("glmlesson-*.whl"))
    if len(wheels) != 1:
        raise StepFailed(f"expected one glmlesson wheel in {dist}, found {wheels}")
    return wheels[0]


def check_wheel(wheel: Path, source: Path) -> list[str]:
    """What is wrong with ``wheel`` as the build of ``source``; [] if nothing.

    The wheel must hold every ``.py`` file under ``source/glmlesson`` at the same
    path, and every ``source/data/*.csv`` (and data/README.md, which credits
    the sources) as ``glmlesson/datasets/NAME`` with the same bytes; besides
    ``glmlesson/`` it may hold only its ``*.dist-info/`` folder.
    """
    with zipfile.ZipFile(wheel) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    problems = []
    modules = sorted((source / "glmlesson").rglob("*.py"))
    for module in modules:
        name = module.relative_to(source).as_posix()
        if name not in contents:
            problems.append(f"missing module {name}")
    data_files = sorted((source / "data").glob("*.csv"))
    if not data_files:
        problems.append(f"no data/*.csv in {source} to compare with")
    for original in [*data_files, source / "data" / "README.md"]:
        name = f"glmlesson/datasets/{original.name}"
        if name not in contents:
            problems.append(f"missing {name} (from data/{original.name})")
        elif contents[name] != original.read_bytes():
            problems.append(f"{name} differs from data/{original.name}")
    for name in contents:
        top = name.split("/", 1)[0]
        if top != "glmlesson" and not top.endswith(".dist-info"):
            problems.append(f"unexpected file {name} outside glmlesson/")
    return problems


def scrubbed_env(venv: Path) -> dict[str, str]:
    """The environment for the new venv: its bin/ first, nothing pointing at the checkout."""
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def prepare_run_folder(source: Path, run: Path) -> None:
    """Copy lesson 05 and the nbval sanitize file into ``run``; add the import checks."""
    run.mkdir()
    shutil.copy2(source / SANITIZE, run / SANITIZE.name)
    (run / "location_check.py").write_text(LOCATION_CHECK)
    (run / "test_installed.py").write_text(INSTALLED_TESTS.format(checkout=str(ROOT)))
    notebook = json.loads((source / LESSON).read_text())
    notebook["cells"].append({
        "cell_type": "code",
        "execution_count": None,
        "id": "test-wheel-location-check",
        "metadata": {},
        "outputs": [],
        "source": "from pathlib import Path\n" + KERNEL_CELL.format(checkout=str(ROOT)),
    })  # fmt: skip
    (run / LESSON.name).write_text(json.dumps(notebook, indent=1))


def run_command(command: list[str], cwd: Path, env: dict[str, str] | None) -> None:
    """Run ``command`` in ``cwd``; raise StepFailed with its output if it fails."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise StepFailed(f"{' '.join(command)} (in {cwd}) exited {result.returncode}:\n{output}")


if __name__ == "__main__":
    sys.exit(main())
