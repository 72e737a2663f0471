"""Fixtures for the browser tests: a private Jupyter server and Debian's Chromium.

Every test in this directory is marked ``browser``. The session's Chromium
comes from tests/conftest.py: without Chromium (or the Playwright package)
these tests are skipped with a message saying what to install; with
``CI=true`` in the environment they fail instead, so CI cannot pass by
skipping them.

The notebooks served are chosen by the ``notebooks_under_test`` fixture
(default: the stand-in notebook next to this file). A test module overrides
it to serve a lesson::

    @pytest.fixture(scope="module")
    def notebooks_under_test():
        return [REPO / "notebooks" / "04_poisson_regression.ipynb"]

or set ``GLMLESSON_BROWSER_NOTEBOOKS`` to a comma-separated list of paths.
"""

from __future__ import annotations

import os
from pathlib import Path

import jupyter_harness as harness  # on sys.path through tests/conftest.py
import pytest

HERE = Path(__file__).resolve().parent

STAND_IN = HERE / "stand_in.ipynb"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(browser):
    """A fresh page in its own browser context, large enough for a lesson's plots."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def notebooks_under_test() -> list[Path]:
    """Notebooks to serve; override in a test module, or set GLMLESSON_BROWSER_NOTEBOOKS."""
    listed = os.environ.get("GLMLESSON_BROWSER_NOTEBOOKS", "").strip()
    if listed:
        return [Path(p) for p in listed.split(",") if p.strip()]
    return [STAND_IN]


@pytest.fixture(scope="module")
def jupyter_server_factory(chromium_path):
    """Start servers with ``factory(app, notebooks)``; all are stopped at module end."""
    servers = []

    def factory(app: str, notebooks) -> harness.JupyterServer:
        server = harness.JupyterServer(app, notebooks)
        servers.append(server)
        return server.start()

    try:
        yield factory
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="module")
def jupyter_lab(jupyter_server_factory, notebooks_under_test) -> harness.JupyterServer:
    """JupyterLab 4 serving copies (outputs stripped) of ``notebooks_under_test``."""
    return jupyter_server_factory("lab", notebooks_under_test)


@pytest.fixture(scope="module")
def jupyter_notebook(jupyter_server_factory, notebooks_under_test) -> harness.JupyterServer:
    """Notebook 7 serving copies (outputs stripped) of ``notebooks_under_test``."""
    return jupyter_server_factory("notebook", notebooks_under_test)
