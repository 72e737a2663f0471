"""Fixtures shared by every test directory: one headless Chromium per session.

Playwright's sync API allows one running instance per thread, so the browser
tests (tests/browser/) and the classroom-build tests (test_classroom.py) share
this session-wide browser instead of each starting their own. Without
Chromium (or Playwright) the tests that use it skip with a message that says
how to install it; with ``CI=true`` they fail instead, so CI cannot pass by
skipping them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))

import jupyter_harness as harness  # noqa: E402


def in_ci() -> bool:
    """True when ``CI`` is set to true (GitHub Actions, GitLab, ``.ci/run``)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def skip_or_fail(message: str) -> None:
    """Skip the test, or fail it when running in CI."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: browser tests are required)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the system Chromium (skips, or fails in CI, if there is none)."""
    path = harness.find_chromium()
    if path is None:
        skip_or_fail(harness.MISSING_CHROMIUM.format(", ".join(harness.CHROMIUM_CANDIDATES)))
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """A headless Chromium shared by the session (Playwright driving the system binary)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        chromium = harness.launch_chromium(playwright, chromium_path)
        try:
            yield chromium
        finally:
            chromium.close()
