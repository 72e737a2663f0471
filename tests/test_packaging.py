"""The wheel carries every subpackage and the data sets; ``load`` finds the CSVs.

- The wheel built from the checkout (as ``pip install .`` and
  ``pip install git+URL`` build it) holds every module of ``glmlesson`` and its
  subpackages, and every ``data/*.csv`` as ``glmlesson/datasets/`` with the
  same bytes (``tools/test_wheel.py``'s ``check_wheel``, itself tested here on
  wheels with a part missing).
- ``glmlesson.data.data_dir`` picks, in this order: ``$GLMLESSON_DATA``, the
  package data ``glmlesson/datasets/`` (an installed wheel), the repository's
  ``data/`` (a checkout). Tested on a copy of the package laid out as a wheel
  installs it, in a subprocess, with CSVs that differ from the checkout's so
  the number of rows says which file was read.

``make test`` also runs ``tools/test_wheel.py``: the wheel installed in a fresh
virtual environment, lesson 05 under nbval from a temporary folder.
"""

from __future__ import annotations

import json
import runpy
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]


# tools/ is not a package: run the script's module body (its main() is not called).
wheel_tool = SimpleNamespace(**runpy.run_path(str(ROOT / "tools" / "test_wheel.py")))


# --- check_wheel on small hand-made sources and wheels -----------------------------------


@pytest.fixture
def source(tmp_path):
    """A minimal source tree: a package with a subpackage, two CSVs and a data README."""
    root = tmp_path / "src"
    for name, text in {
        "glmlesson/__init__.py": "",
        "glmlesson/data.py": "X = 1\n",
        "glmlesson/exercises/__init__.py": "",
        "glmlesson/exercises/lesson05.py": "Y = 2\n",
        "data/a.csv": "x,y\n1,2\n",
        "data/b.csv": "u\n3\n",
        "data/README.md": "# Data\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _wheel(tmp_path: Path, source: Path, drop=(), change=None, extra=None) -> Path:
    """A wheel of ``source`` as setup.py lays it out, minus ``drop``, with edits."""
    entries = {p.relative_to(source).as_posix(): p.read_bytes() for p in source.rglob("*.py")}
    for path in (source / "data").iterdir():
        entries[f"glmlesson/datasets/{path.name}"] = path.read_bytes()
    entries["glmlesson-0.1.0.dist-info/METADATA"] = b"Name: glmlesson\n"
    entries.update(change or {})
    entries.update(extra or {})
    wheel = tmp_path / "glmlesson-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in entries.items():
            if name not in drop:
                archive.writestr(name, data)
    return wheel


def test_check_wheel_accepts_a_complete_wheel(tmp_path, source):
    assert wheel_tool.check_wheel(_wheel(tmp_path, source), source) == []


def test_check_wheel_reports_a_missing_subpackage(tmp_path, source):
    drop = {"glmlesson/exercises/__init__.py", "glmlesson/exercises/lesson05.py"}
    problems = wheel_tool.check_wheel(_wheel(tmp_path, source, drop=drop), source)
    assert problems == [
        "missing module glmlesson/exercises/__init__.py",
        "missing module glmlesson/exercises/lesson05.py",
    ]


def test_check_wheel_reports_missing_and_stale_data(tmp_path, source):
    wheel = _wheel(
        tmp_path,
        source,
        drop={"glmlesson/datasets/b.csv"},
        change={"glmlesson/datasets/a.csv": b"x,y\n1,3\n"},
    )
    assert wheel_tool.check_wheel(wheel, source) == [
        "glmlesson/datasets/a.csv differs from data/a.csv",
        "missing glmlesson/datasets/b.csv (from data/b.csv)",
    ]


def test_check_wheel_reports_files_outside_the_package(tmp_path, source):
    wheel = _wheel(tmp_path, source, extra={"data/a.csv": b"x,y\n1,2\n"})
    assert wheel_tool.check_wheel(wheel, source) == [
        "unexpected file data/a.csv outside glmlesson/"
    ]


# --- the real wheel ------------------------------------------------------------------------


def test_the_wheel_holds_every_subpackage_and_data_set(tmp_path):
    copy = tmp_path / "src"
    wheel_tool.copy_sources(ROOT, copy)
    wheel = wheel_tool.build_wheel(copy, tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert "glmlesson/exercises/__init__.py" in names
    assert "glmlesson/datasets/challenger.csv" in names
    assert wheel_tool.check_wheel(wheel, copy) == []


# --- where load() reads from ---------------------------------------------------------------

REPORT = """
import json, os
from glmlesson import data
os.environ.pop("GLMLESSON_DATA", None)
report = {"dir": str(data.data_dir()), "rows": data.load("challenger").n_rows}
os.environ["GLMLESSON_DATA"] = os.environ["OVERRIDE"]
report["override_dir"] = str(data.data_dir())
report["override_rows"] = data.load("challenger").n_rows
print(json.dumps(report))
"""


def _head(lines: int) -> str:
    """The first ``lines`` data rows of the real challenger.csv, with its header."""
    text = (ROOT / "data" / "challenger.csv").read_text().splitlines()
    return "\n".join(text[: lines + 1]) + "\n"


@pytest.fixture
def installed(tmp_path):
    """A copy of the package as a wheel installs it, beside a checkout-style data/."""
    site = tmp_path / "site"
    shutil.copytree(
        ROOT / "glmlesson", site / "glmlesson", ignore=shutil.ignore_patterns("__pycache__")
    )
    (site / "glmlesson" / "datasets").mkdir()
    (site / "glmlesson" / "datasets" / "challenger.csv").write_text(_head(4))
    (site / "data").mkdir()
    (site / "data" / "challenger.csv").write_text(_head(3))
    (tmp_path / "override").mkdir()
    (tmp_path / "override" / "challenger.csv").write_text(_head(2))
    return site


def _report(site: Path) -> dict:
    env = {"PYTHONPATH": str(site), "OVERRIDE": str(site.parent / "override"), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", REPORT], cwd=site.parent, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_load_reads_the_package_data_of_an_installed_wheel(installed):
    report = _report(installed)
    assert report["dir"] == str(installed / "glmlesson" / "datasets")
    assert report["rows"] == 4


def test_glmlesson_data_overrides_the_package_data(installed):
    report = _report(installed)
    assert report["override_dir"] == str(installed.parent / "override")
    assert report["override_rows"] == 2


def test_load_falls_back_to_the_checkout_data_folder(installed):
    shutil.rmtree(installed / "glmlesson" / "datasets")
    report = _report(installed)
    assert report["dir"] == str(installed / "data")
    assert report["rows"] == 3


def test_this_checkout_reads_its_own_data_folder(monkeypatch):
    from glmlesson import data

    monkeypatch.delenv(data.ENV_VAR, raising=False)
    assert data.data_dir() == ROOT / "data"
