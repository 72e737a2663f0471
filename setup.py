"""Which packages the wheel holds; everything else about the build is in pyproject.toml.

Packages are discovered (``glmlesson`` and every subpackage, such as
``glmlesson.exercises``), and the repository's top-level ``data/`` folder is
mapped onto the package data ``glmlesson/datasets/``: a wheel (``pip install .``,
``pip wheel .``, ``pip install git+URL``) carries the CSVs, while ``data/`` stays
their one source with no second copy in git. pyproject.toml alone cannot say
this: its package discovery ignores folders mapped with ``package-dir``.
``glmlesson.data.load`` reads ``glmlesson/datasets/`` when installed and
``data/`` in a checkout or an editable install.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["glmlesson", "glmlesson.*"]), "glmlesson.datasets"],
    package_dir={"glmlesson.datasets": "data"},
)
