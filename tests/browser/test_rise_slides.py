"""jupyterlab-rise (in the [lab] extra) presents a lesson live from JupyterLab.

The server extension renders a notebook as a reveal.js slideshow at
``/rise/<notebook>``, the page JupyterLab's "Render as slideshow" button opens.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LESSON = REPO / "notebooks" / "04_poisson_regression.ipynb"


@pytest.fixture(scope="module")
def notebooks_under_test():
    return [LESSON]


def test_lesson04_presents_as_live_slides(page, jupyter_lab):
    url = jupyter_lab.notebook_url(LESSON.name).replace("/lab/tree/", "/rise/", 1)
    page.goto(url)
    page.wait_for_selector(".reveal .slides section", timeout=60_000)
    sections = page.locator(".reveal .slides > section")
    assert sections.count() >= 10, "expected one slide per section of the lesson"
    current = page.locator(".reveal .slides section.present").first
    current.wait_for(state="visible")
    assert "Lesson 04" in current.inner_text()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.reveal .slides section.present')"
        ".innerText.includes('Objectives')", timeout=10_000)
    # The objectives hold inline maths, rendered by MathJax.
    page.wait_for_selector(".reveal section.present mjx-container", timeout=20_000)
