"""The conda and Binder environments agree with pyproject.toml.

- ``environment.yml`` (conda users, from a checkout): every package of
  pyproject.toml (runtime and all extras) with the same version bounds, and
  the course itself installed editable (``-e .``).
- ``.binder/environment.yml`` (repo2docker, which installs it before copying the
  repository and reads only an exact ``python=X.Y``): an exact Python allowed
  by ``requires-python``, the runtime and ``[lab]`` packages with the same
  bounds, and none of the ``[dev]`` test tools; ``.binder/postBuild`` installs
  the course from the copied repository. ``tools/test_wheel.py`` (run by
  ``make test``) runs that postBuild in a fresh virtual environment.
"""

import os
import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / ".binder"


def _split(requirement: str) -> tuple[str, str]:
    """("numpy", ">=1.26") from "numpy>=1.26"; the name lower-cased."""
    name, spec = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(.*)", requirement).groups()
    return name.lower(), spec.replace(" ", "")


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _pyproject_packages(*extras: str) -> dict[str, str]:
    """Runtime requirements plus the given extras (all extras if none given)."""
    project = _pyproject()
    chosen = extras or tuple(project["optional-dependencies"])
    requirements = list(project["dependencies"])
    for extra in chosen:
        requirements += project["optional-dependencies"][extra]
    return dict(_split(r) for r in requirements)


def _environment(path: Path) -> tuple[dict[str, str], list[str]]:
    """(package -> version bounds, other pip lines such as "-e .") of a conda file."""
    packages, other = {}, []
    text = path.read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        item = re.match(r"\s*-\s+(.+?)\s*(#.*)?$", line)
        if not item or item.group(1) == "pip:":
            continue
        entry = item.group(1)
        if entry.startswith("-"):
            other.append(entry)
        else:
            name, spec = _split(entry)
            packages[name] = spec
    return packages, other


def test_environment_yml_matches_pyproject():
    packages, _ = _environment(ROOT / "environment.yml")
    packages.pop("python")
    packages.pop("pip")
    assert packages == _pyproject_packages()


def test_environment_yml_installs_the_package_itself():
    _, other = _environment(ROOT / "environment.yml")
    assert other == ["-e ."]


def test_binder_has_an_exact_python_that_pyproject_allows():
    packages, _ = _environment(BINDER / "environment.yml")
    exact = re.fullmatch(r"=(\d+)\.(\d+)", packages["python"])
    assert exact, f"repo2docker needs python=X.Y, found python{packages['python']}"
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", _pyproject()["requires-python"])
    assert tuple(map(int, exact.groups())) >= tuple(map(int, minimum.groups()))


def test_binder_environment_is_runtime_and_lab_only():
    packages, other = _environment(BINDER / "environment.yml")
    packages.pop("python")
    packages.pop("pip")
    assert packages == _pyproject_packages("lab")
    dev_only = set(_pyproject_packages("dev")) - set(_pyproject_packages("lab"))
    assert not dev_only & set(packages)
    assert other == [], "repo2docker installs the environment before copying the repository"


def test_binder_postbuild_installs_the_course_from_the_repository():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild must be executable"
    commands = [
        shlex.split(line)
        for line in post_build.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "set "))
    ]
    assert commands == [["python", "-m", "pip", "install", "--no-deps", "."]]
