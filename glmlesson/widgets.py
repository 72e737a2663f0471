"""Slider explorers for the lessons, and the display mechanism under them.

A slider step must reach the screen fast (the course asks for a median of at
most 100 ms from key press to new picture in JupyterLab). ``interact`` with the
inline backend builds a new pyplot figure on every step and renders it twice
(``bbox_inches="tight"``), which costs about 140 ms here. :class:`LiveFigure`
keeps one :class:`matplotlib.figure.Figure` alive, lets a drawing function
update it, rasterises it with Agg and sends the PNG bytes to an
:class:`ipywidgets.Image`, whose picture the browser swaps in place.

Two things make a step cheap:

* Update artists instead of clearing axes: ``line.set_ydata(...)`` costs a
  redraw; ``ax.clear()`` plus re-plotting costs a redraw plus rebuilding every
  tick and label (about twice as long).
* Artists created with ``animated=True`` are blitted: when nothing else in the
  figure changed since the last frame (matplotlib keeps a ``stale`` flag), the
  saved background (axes, ticks, labels) is restored and only the animated
  artists are drawn. Changing limits, labels or ordinary artists triggers a
  full redraw automatically.

Warnings raised while drawing (matplotlib's, numpy's ``RuntimeWarning``, the
fitting warnings) never reach the notebook: they are kept in
:attr:`LiveFigure.last_warnings`, and a drawing function that wants to tell the
student something writes it into the plot. An exception in a drawing function
is shown in full under the picture when a control triggered it, and raised
when the notebook called :meth:`LiveFigure.render` directly.

Defined for 04_poisson_regression; used by every explorer in the course.
"""

from __future__ import annotations

import contextlib
import io
import logging
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["LiveFigure", "live_controls"]


@contextlib.contextmanager
def _quiet(record: list) -> Iterator[None]:
    """Silence warnings, numpy floating-point complaints and matplotlib's log.

    Args:
        record: list that receives the :class:`warnings.WarningMessage` objects
            raised inside the block (cleared first).
    """
    record.clear()
    mpl_logger = logging.getLogger("matplotlib")
    old_level = mpl_logger.level
    mpl_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            try:
                yield
            finally:
                record.extend(caught)
    finally:
        mpl_logger.setLevel(old_level)


class LiveFigure:
    """One matplotlib Figure shown in an ``ipywidgets.Image`` and redrawn in place.

    Args:
        draw: function called as ``draw(axes, **params)`` by :meth:`render`;
            ``axes`` is :attr:`axes` (one Axes, or an array of them). It may be
            ``None`` if you update :attr:`figure` yourself and call
            :meth:`refresh`.
        nrows, ncols: grid of Axes, as in :func:`matplotlib.pyplot.subplots`.
        figsize: size in inches.
        dpi: dots per inch of the picture sent to the browser; the picture is
            ``figsize * dpi`` pixels and shown at that many CSS pixels.
        subplot_kw: passed to :meth:`matplotlib.figure.Figure.subplots`.
        tight_layout: ``"once"`` (default) lays the axes out with
            ``tight_layout`` before the first frame only; ``True`` before
            every full redraw (about 20 ms each, worth it only when tick
            labels or titles change width); ``False`` never.
        compress_level: zlib level of the PNG (1 is fast, 9 is small).

    Attributes:
        figure: the :class:`matplotlib.figure.Figure` (no pyplot involved).
        axes: what ``figure.subplots`` returned.
        image: the :class:`ipywidgets.Image` that shows the picture.
        errors: an :class:`ipywidgets.Output` under the picture where
            exceptions raised by ``draw`` during control changes are shown.
        widget: an :class:`ipywidgets.VBox` holding ``image`` and ``errors``;
            display it (or use :func:`live_controls`).
        last_warnings: warnings caught during the last :meth:`render`.
        full_redraws: how many frames needed a full redraw (the rest were blits).

    Example:
        >>> live = LiveFigure(lambda ax, slope: ax.plot([0, 1], [0, slope]))
        >>> live.render(slope=2.0)
        >>> live.widget  # doctest: +SKIP
    """

    def __init__(
        self,
        draw: Callable[..., Any] | None = None,
        *,
        nrows: int = 1,
        ncols: int = 1,
        figsize: tuple[float, float] = (6.0, 4.0),
        dpi: float = 100.0,
        subplot_kw: Mapping[str, Any] | None = None,
        tight_layout: bool | str = "once",
        compress_level: int = 1,
    ) -> None:
        import ipywidgets
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.draw = draw
        self.figure = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(nrows, ncols, subplot_kw=dict(subplot_kw or {}))
        self.tight_layout = tight_layout
        self.compress_level = compress_level
        self.image = ipywidgets.Image(format="png")
        self.errors = ipywidgets.Output()
        self.widget = ipywidgets.VBox([self.image, self.errors])
        self.last_warnings: list[warnings.WarningMessage] = []
        self.full_redraws = 0
        self._background = None

    def render(self, **params: Any) -> None:
        """Call ``draw(axes, **params)`` quietly, then :meth:`refresh`.

        Warnings go to :attr:`last_warnings`; an exception propagates (after
        the picture is refreshed with whatever was drawn), so a notebook cell
        that calls ``render`` fails visibly.
        """
        if self.draw is None:
            raise TypeError("LiveFigure has no draw function; update .figure and call refresh()")
        with _quiet(self.last_warnings):
            try:
                self.draw(self.axes, **params)
            except BaseException:
                # Show whatever was drawn, but report the drawing error, not a
                # follow-up error from rendering a half-updated figure.
                with contextlib.suppress(Exception):
                    self._refresh_quietly()
                raise
            self._refresh_quietly()

    def render_from_control(self, **params: Any) -> bool:
        """Like :meth:`render`, but show an exception under the picture.

        Used by control callbacks, where an exception would otherwise go to
        the kernel log that students never see. Returns True on success.
        """
        try:
            self.render(**params)
        except Exception:
            self.errors.outputs = ()
            self.errors.append_stderr(
                "Error in the drawing function (the picture may be out of date):\n"
                + traceback.format_exc()
            )
            return False
        if self.errors.outputs:
            self.errors.outputs = ()
        return True

    def refresh(self) -> bytes:
        """Rasterise :attr:`figure` and show it; returns the PNG bytes.

        Blits (restores the saved background and draws only the animated
        artists) when nothing but animated artists changed since the last
        frame; otherwise redraws everything and saves a new background.
        """
        with _quiet(self.last_warnings):
            return self._refresh_quietly()

    def _refresh_quietly(self) -> bytes:
        figure = self.figure
        canvas = figure.canvas
        if figure.stale or self._background is None:
            if self.tight_layout is True or (
                self.tight_layout == "once" and self.full_redraws == 0
            ):
                figure.tight_layout()
            canvas.draw()  # skips animated artists
            self._background = canvas.copy_from_bbox(figure.bbox)
            self.full_redraws += 1
        else:
            canvas.restore_region(self._background)
        for artist in self._animated_artists():
            figure.draw_artist(artist)
        png = self._encode(canvas)
        self.image.value = png
        return png

    def _animated_artists(self) -> list:
        found = []
        for ax in self.figure.axes:
            found.extend(a for a in ax.get_children() if a.get_animated() and a.get_visible())
        return sorted(found, key=lambda artist: artist.get_zorder())

    def _encode(self, canvas) -> bytes:
        from PIL import Image

        width, height = canvas.get_width_height(physical=True)
        picture = Image.frombuffer(
            "RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
        )
        buffer = io.BytesIO()
        picture.save(buffer, format="png", compress_level=self.compress_level)
        return buffer.getvalue()

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)


def live_controls(
    live: LiveFigure,
    controls: Mapping[str, Any],
    *,
    side: str = "top",
    render: bool = True,
):
    """Wire controls to a :class:`LiveFigure` and lay them out beside it.

    Every change of a control's ``value`` calls
    ``live.render_from_control(**{name: control.value for each control})``.

    Args:
        live: the figure to drive.
        controls: parameter name -> ipywidgets control (anything with a
            ``value`` trait: sliders, dropdowns, toggle buttons).
        side: where the controls go: ``"top"``, ``"left"`` or ``"right"``.
        render: draw the first frame now (raising if ``draw`` fails, so the
            notebook cell fails visibly).

    Returns:
        An :class:`ipywidgets.Box` with the controls and ``live.widget``;
        display it as the last expression of a cell.

    Example:
        >>> from ipywidgets import FloatSlider
        >>> live = LiveFigure(lambda ax, slope: ax.plot([0, 1], [0, slope]))
        >>> box = live_controls(live, {"slope": FloatSlider(1.0, min=0, max=2)})
    """
    import ipywidgets

    controls = dict(controls)

    def current() -> dict[str, Any]:
        return {name: control.value for name, control in controls.items()}

    def on_change(change: Mapping[str, Any]) -> None:
        live.render_from_control(**current())

    for control in controls.values():
        control.observe(on_change, names="value")
    if render:
        live.render(**current())
    panel = ipywidgets.VBox(list(controls.values()))
    if side == "top":
        return ipywidgets.VBox([panel, live.widget])
    if side == "left":
        return ipywidgets.HBox([panel, live.widget])
    if side == "right":
        return ipywidgets.HBox([live.widget, panel])
    raise ValueError(f"side must be 'top', 'left' or 'right', not {side!r}")
