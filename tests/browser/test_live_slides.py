"""Live slides with working sliders: lesson 04 in JupyterLab's deck mode (jupyterlab-slideshow).

``make present`` writes copies of the lessons for jupyterlab-slideshow (see
``present_notebook`` in tools/classroom.py) and opens JupyterLab on them. Deck
mode shows the real notebook cells as slides, so an explorer on a slide is the
live ipywidgets view: moving its slider redraws the picture through the kernel.
(jupyterlab-rise instead renders ipywidgets 8 outputs as ``VBox(children=(…``
text; see the README.)

The test serves a present copy of lesson 04 from a JupyterLab it starts
(127.0.0.1, free port, random token), with autosave off so that anything that
rewrites the file must be deck mode itself: Run All, start deck mode, walk to
the explorer's slide with the keyboard, move the slider, see a new picture,
and find the file's bytes unchanged afterwards.
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import jupyter_harness as harness
import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
LESSON = REPO / "notebooks" / "04_poisson_regression.ipynb"
DECK_TOGGLE = '[data-command="deck:toggle"]'
ON_SCREEN = ".jp-deck-mod-onscreen"

spec = importlib.util.spec_from_file_location("classroom", REPO / "tools" / "classroom.py")
classroom = importlib.util.module_from_spec(spec)
spec.loader.exec_module(classroom)


@pytest.fixture(scope="module")
def present_lab(chromium_path, tmp_path_factory):
    """JupyterLab (autosave off) serving the present copy of lesson 04."""
    copy = tmp_path_factory.mktemp("present") / LESSON.name
    nbformat.write(classroom.present_notebook(nbformat.read(LESSON, as_version=4)), copy)
    server = harness.JupyterServer("lab", [copy])
    settings = server._tmp / "settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    try:
        yield server.start()
    finally:
        server.stop()


def served_bytes(server) -> bytes:
    return (server.root_dir / LESSON.name).read_bytes()


def start_deck(page) -> None:
    """Select the first cell in command mode and press the toolbar's deck button."""
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Escape")
    page.locator(DECK_TOGGLE).first.click()
    page.locator(ON_SCREEN).first.wait_for(state="visible", timeout=30_000)


def walk_to_slider(page, max_steps: int = 80) -> int:
    """Step through the deck until a slider shows: down through a section's
    subslides while the remote's ↓ is enabled, else right to the next section."""
    for step in range(max_steps):
        if page.locator(f"{ON_SCREEN} .widget-slider").first.is_visible():
            return step
        down = page.locator(".jp-deck-mod-direction-down").first
        can_go_down = "jp-mod-disabled" not in (down.get_attribute("class") or "")
        page.keyboard.press("ArrowDown" if can_go_down else "ArrowRight")
        time.sleep(0.3)
    raise AssertionError(f"no slider on screen after {max_steps} steps through the deck")


def test_deck_mode_does_not_touch_the_file(page, present_lab):
    harness.open_notebook(page, present_lab, LESSON.name)
    # Opening alone marks a notebook changed when JupyterLab normalises its metadata
    # (``collapsed`` beside ``outputs_hidden``, the kernel's display name): save that
    # first, so that any change from here on is deck mode's.
    page.locator(".jp-Notebook").first.click()
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')", timeout=10_000)
    before = served_bytes(present_lab)
    start_deck(page)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
        time.sleep(0.3)
    page.locator(DECK_TOGGLE).first.click()  # stop deck mode
    time.sleep(1.0)
    assert page.locator(".jp-mod-dirty").count() == 0, "deck mode changed the notebook"
    assert served_bytes(present_lab) == before


def test_slider_moves_the_picture_on_a_live_slide(page, present_lab, tmp_path):
    before = served_bytes(present_lab)
    harness.run_all_without_errors(page, present_lab, LESSON.name)
    start_deck(page)
    steps = walk_to_slider(page)
    slider = page.locator(f"{ON_SCREEN} .widget-slider").first
    picture = page.locator(f"{ON_SCREEN} .widget-image").first
    picture.wait_for(state="visible")
    assert not page.get_by_text("VBox(children=").first.is_visible()
    old_src, old_value = picture.get_attribute("src"), slider.locator(
        ".widget-readout").inner_text()
    harness.type_slider_value(page, "0.1", index=0)
    page.wait_for_function(
        "([sel, src]) => document.querySelector(sel)?.src !== src",
        arg=[f"{ON_SCREEN} .widget-image", old_src], timeout=30_000)
    new_value = slider.locator(".widget-readout").inner_text()
    assert new_value != old_value and float(new_value) == pytest.approx(0.1, rel=0.05)
    assert picture.is_visible(), "the picture left the slide"
    box, view = picture.bounding_box(), page.viewport_size
    assert box["y"] >= 0 and box["y"] + box["height"] <= view["height"] + 1
    page.screenshot(path=str(tmp_path / "live-slide.png"))
    print(f"slider found after {steps} deck steps; readout {old_value} -> {new_value}; "
          f"screenshot {tmp_path / 'live-slide.png'}")
    assert served_bytes(present_lab) == before, "presenting rewrote the notebook file"
