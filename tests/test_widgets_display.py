"""The display mechanism of glmlesson.widgets: LiveFigure and live_controls."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from glmlesson.widgets import LiveFigure, live_controls

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _pixels(live: LiveFigure) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(bytes(live.image.value))), dtype=int)


def _line_drawer(animated: bool = False):
    artists = {}

    def draw(ax, slope):
        if not artists:
            ax.set_xlim(0, 1)
            ax.set_ylim(-2, 2)
            (artists["line"],) = ax.plot([0, 1], [0, 0], animated=animated)
        artists["line"].set_ydata([0, slope])

    return draw


def test_builds_figure_image_and_layout():
    live = LiveFigure(ncols=2, figsize=(4, 3), dpi=50)
    assert isinstance(live.figure, Figure)
    assert len(live.axes) == 2
    assert isinstance(live.image, ipywidgets.Image)
    assert live.image.format == "png"
    assert bytes(live.image.value) == b""
    assert isinstance(live.widget, ipywidgets.VBox)
    assert live.image in live.widget.children


def test_refresh_returns_png_of_figure_size():
    live = LiveFigure(figsize=(4, 3), dpi=50)
    png = live.refresh()
    assert png.startswith(PNG_SIGNATURE)
    assert bytes(live.image.value) == png
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (200, 150)


@pytest.mark.parametrize("animated", [False, True])
def test_render_changes_the_png(animated):
    live = LiveFigure(_line_drawer(animated), dpi=40)
    live.render(slope=0.5)
    first = bytes(live.image.value)
    live.render(slope=-1.5)
    second = bytes(live.image.value)
    assert first.startswith(PNG_SIGNATURE) and second.startswith(PNG_SIGNATURE)
    assert first != second
    live.render(slope=0.5)
    assert bytes(live.image.value) == first


def test_animated_artists_are_blitted_and_limits_force_a_full_redraw():
    live = LiveFigure(_line_drawer(animated=True), dpi=40)
    live.render(slope=0.1)
    live.render(slope=0.2)
    live.render(slope=0.3)
    assert live.full_redraws == 1
    blitted = bytes(live.image.value)
    live.axes.set_ylim(-3, 3)
    live.render(slope=0.3)
    assert live.full_redraws == 2
    assert bytes(live.image.value) != blitted


def test_blit_matches_full_redraw():
    blitting = LiveFigure(_line_drawer(animated=True), dpi=40)
    plain = LiveFigure(_line_drawer(animated=False), dpi=40)
    for slope in (0.1, 0.7, -1.2):
        blitting.render(slope=slope)
        plain.render(slope=slope)
    assert blitting.full_redraws == 1 and plain.full_redraws == 3
    # Same picture, except where the line crosses the spines (blitted artists
    # are drawn last, above the spines).
    blitted, full = _pixels(blitting), _pixels(plain)
    assert blitted.shape == full.shape
    differ = np.abs(blitted - full).max(axis=2) > 0
    assert differ.mean() < 0.002, f"{differ.sum()} pixels differ"


def test_bad_values_leak_no_warnings(caplog, capsys):
    def draw(ax, scale):
        ax.clear()
        x = np.linspace(-1, 1, 50)
        y = np.log(x) / scale  # RuntimeWarnings: log of negatives, divide by zero
        ax.plot(x, y)
        ax.set_xlim(1, 1)  # matplotlib UserWarning: singular limits
        ax.text(np.nan, np.nan, "no finite values")  # matplotlib logs a warning at draw
        warnings.warn("a warning from the explorer", UserWarning, stacklevel=1)

    live = LiveFigure(draw, dpi=40)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        live.render(scale=0.0)
        live.render(scale=1.0)
    assert bytes(live.image.value).startswith(PNG_SIGNATURE)
    messages = [str(w.message) for w in live.last_warnings]
    assert "a warning from the explorer" in messages
    assert not [r for r in caplog.records if r.levelno >= 30], caplog.text
    assert capsys.readouterr() == ("", "")


def test_exception_from_render_propagates():
    def draw(ax, value):
        raise ZeroDivisionError("division by zero in the explorer")

    live = LiveFigure(draw, dpi=40)
    with pytest.raises(ZeroDivisionError, match="in the explorer"):
        live.render(value=1)


def test_exception_from_a_control_is_shown_under_the_plot():
    calls = []

    def draw(ax, value):
        calls.append(value)
        if value > 5:
            raise ValueError(f"value {value} is too large")
        ax.plot([0, 1], [0, value])

    live = LiveFigure(draw, dpi=40)
    slider = ipywidgets.IntSlider(1, min=0, max=10)
    box = live_controls(live, {"value": slider})
    assert isinstance(box, ipywidgets.VBox)
    assert calls == [1]
    assert live.errors.outputs == ()

    slider.value = 7  # the observer must not raise into the kernel log
    assert calls == [1, 7]
    text = "".join(output["text"] for output in live.errors.outputs)
    assert "Error in the drawing function" in text
    assert "ValueError: value 7 is too large" in text
    assert "Traceback" in text

    slider.value = 3  # a good value clears the message
    assert live.errors.outputs == ()


def test_live_controls_passes_every_control_value():
    seen = []
    live = LiveFigure(lambda ax, a, b: seen.append((a, b)), dpi=40)
    a = ipywidgets.FloatSlider(0.5, min=0, max=1)
    b = ipywidgets.Dropdown(options=["log", "identity"], value="log")
    live_controls(live, {"a": a, "b": b}, side="left")
    b.value = "identity"
    a.value = 0.25
    assert seen == [(0.5, "log"), (0.5, "identity"), (0.25, "identity")]


def test_live_controls_rejects_unknown_side():
    live = LiveFigure(lambda ax, a: None, dpi=40)
    with pytest.raises(ValueError, match="side"):
        live_controls(live, {"a": ipywidgets.IntSlider()}, side="bottom", render=False)


def test_render_without_draw_function_is_a_clear_error():
    with pytest.raises(TypeError, match="no draw function"):
        LiveFigure().render()


def test_initial_render_error_fails_loudly_from_live_controls():
    def draw(ax, value):
        raise RuntimeError("broken explorer")

    live = LiveFigure(draw, dpi=40)
    with pytest.raises(RuntimeError, match="broken explorer"):
        live_controls(live, {"value": ipywidgets.IntSlider()})


def test_importing_does_no_work():
    code = (
        "import sys, glmlesson.widgets; "
        "print('ipywidgets' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
    assert done.stderr == ""
