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
:attr:`LiveFigure.last_warnings`, and an explorer that wants to tell the
student something says it in its status line, an HTML label just above the
picture (text laid out by the browser costs the kernel nothing; the same text
rasterised into the PNG cost about 25 ms a frame). An exception in a drawing function
is shown in full under the picture when a control triggered it, and raised
when the notebook called :meth:`LiveFigure.render` directly.

The explorers are small classes on :class:`Explorer`: each ``__init__`` computes
what every frame shares and builds the artists once, each ``draw`` updates them.
Part I: :func:`family_explorer` (02), :func:`learning_rate_explorer` (04, also
01 and 07), :func:`link_explorer` (06). Part II: :func:`tweedie_explorer` (11),
:func:`penalty_explorer` (12), :func:`random_intercept_explorer` (13),
:func:`ordinal_explorer` (14).

Defined for 04_poisson_regression; used by every explorer in the course.
"""

from __future__ import annotations

import contextlib
import io
import logging
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Explorer",
    "LearningRateExplorer",
    "LinkExplorer",
    "FamilyExplorer",
    "RandomInterceptExplorer",
    "OrdinalExplorer",
    "AscentRun",
    "DistributionState",
    "LiveFigure",
    "live_controls",
    "learning_rate_explorer",
    "link_explorer",
    "family_explorer",
    "random_intercept_explorer",
    "ordinal_explorer",
    "tweedie_explorer",
    "penalty_explorer",
    "TweedieExplorer",
    "PenaltyExplorer",
    "TweedieState",
    "category_probabilities",
    "RandomInterceptCurves",
    "CategoryProbabilities",
]


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
        subplot_kw, gridspec_kw: passed to :meth:`matplotlib.figure.Figure.subplots`.
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
        layout_rect: the part of the figure (left, bottom, right, top, as
            fractions) that ``tight_layout`` fills; the rest stays free for text.
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
        gridspec_kw: Mapping[str, Any] | None = None,
        tight_layout: bool | str = "once",
        compress_level: int = 1,
    ) -> None:
        import ipywidgets
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.draw = draw
        self.figure = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(
            nrows, ncols, subplot_kw=dict(subplot_kw or {}), gridspec_kw=dict(gridspec_kw or {})
        )
        self.tight_layout = tight_layout
        self.compress_level = compress_level
        self.image = ipywidgets.Image(format="png")
        self.errors = ipywidgets.Output()
        self.widget = ipywidgets.VBox([self.image, self.errors])
        self.last_warnings: list[warnings.WarningMessage] = []
        self.full_redraws = 0
        self.layout_rect = (0.0, 0.0, 1.0, 1.0)
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
                figure.tight_layout(rect=self.layout_rect)
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
        found = [text for text in self.figure.texts if text.get_animated() and text.get_visible()]
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


# --------------------------------------------------------------------------- explorers
_STYLE = {"description_width": "initial"}
_WIDE = {"width": "640px"}
_CACHE_SIZE = 512
_STATUS_COLOURS = {"good": "#1a7f37", "slow": "#9a6700", "bad": "#cf222e"}


class Explorer:
    """An explorer on screen: its controls, its live figure and what it shows now.

    Display it as the last expression of a cell. Keep a name for it to read
    the current state in later cells::

        explorer = learning_rate_explorer(X, y, "poisson")
        explorer                # the sliders and the picture
        explorer.result         # (next cell) what the picture shows now

    Each explorer is a small subclass: its ``__init__`` computes what every
    frame shares, builds the figure's artists and the controls, and calls
    :meth:`_show`; its :meth:`draw` updates the artists for the controls'
    values. A frame never rebuilds what it can update.

    Attributes:
        controls: name -> ipywidgets control; set ``controls[name].value`` to
            move a control from code (the picture follows).
        live: the :class:`LiveFigure` (``live.figure`` is the matplotlib Figure).
        widget: the ipywidgets Box that holds controls and picture.
        result: what the picture shows now (each explorer documents its type).
        message: the message the picture shows to the student now ("" if none).
    """

    kind = "explorer"
    live: LiveFigure
    controls: dict[str, Any]
    widget: Any
    result: Any = None
    message: str = ""
    status: Any = None
    tone: str = ""

    def draw(self, axes, **values: Any) -> None:
        """Update the figure for the controls' ``values`` (subclasses implement it)."""
        raise NotImplementedError

    def _show(self, controls: Mapping[str, Any]) -> None:
        """Wire ``controls`` to the figure, draw the first frame and lay out controls,
        status line (if the explorer has messages) and picture, top to bottom."""
        import ipywidgets

        self.controls = dict(controls)
        box = live_controls(self.live, self.controls)
        panel, picture = box.children
        shown = [panel, picture] if self.status is None else [panel, self.status, picture]
        self.widget = ipywidgets.VBox(shown)

    def _say(self, message: str, tone: str) -> None:
        """Show ``message`` in the status line above the picture, coloured by ``tone``
        (good, slow or bad). The browser lays out the text: no glyphs are rasterised in
        the kernel, which keeps a step cheap."""
        import html

        self.message, self.tone = message, tone
        lines = "<br>".join(html.escape(line) for line in message.split("\n"))
        self.status.value = (f'<div style="color:{_STATUS_COLOURS[tone]};font-size:13px;'
                             f'line-height:1.35;max-width:1000px">{lines}</div>')

    @property
    def values(self) -> dict[str, Any]:
        """Current value of every control."""
        return {name: control.value for name, control in self.controls.items()}

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        settings = ", ".join(f"{name}={value!r}" for name, value in self.values.items())
        return f"<{type(self).__name__} {self.kind}: {settings}>"


def _remember(cache: dict, key, compute: Callable[[], Any]):
    """``cache[key]``, computed once; the oldest entry goes when the cache is full."""
    if key not in cache:
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = compute()
    return cache[key]


def _horizontal_axis(X, x):
    """The variable on the horizontal axis, and the design rows to draw curves at.

    With X = [1, x] (an intercept and one covariate) curves are drawn on a
    200-point grid; otherwise at the observed rows, sorted by x.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-d design matrix (n rows, p columns), got shape {X.shape}")
    one_covariate = X.shape[1] == 2 and np.allclose(X[:, 0], 1.0)
    if x is None:
        if not one_covariate:
            raise ValueError(
                "cannot tell which variable to plot: X is not [1, x]; pass x=... "
                "(one value per row of X) for the horizontal axis"
            )
        x = X[:, 1]
    x = np.asarray(x, dtype=float).ravel()
    if x.shape[0] != X.shape[0]:
        raise ValueError(
            f"x has {x.shape[0]} values but X has {X.shape[0]} rows; pass one x per row"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values; drop or fill those rows first")
    if one_covariate and np.allclose(X[:, 1], x):
        grid = np.linspace(x.min(), x.max(), 200)
        return x, grid, np.column_stack([np.ones_like(grid), grid])
    order = np.argsort(x, kind="stable")
    return x, x[order], X[order]


def _coefficients(beta) -> str:
    values = [f"{b:.4g}" for b in np.ravel(beta)[:4]]
    return "(" + ", ".join(values) + (", …" if np.size(beta) > 4 else "") + ")"


def _fit_quietly(*args, **kwargs):
    """``fit`` with its warnings collected, not shown: (result, [messages])."""
    from glmlesson.fitting import fit

    caught: list = []
    with _quiet(caught):
        result = fit(*args, **kwargs)
    return result, [str(w.message) for w in caught]


def _status_line():
    """The explorer's message line: an HTML label above the picture."""
    import ipywidgets

    return ipywidgets.HTML(layout={"height": "4.4em", "overflow": "auto"})  # no reflow


def _slider_range(name, low, high, value):
    if not (np.isfinite(low) and np.isfinite(high) and 0 < low < high):
        raise ValueError(
            f"{name} must be a pair (low, high) with 0 < low < high, got ({low}, {high})"
        )
    if not low <= value <= high:
        raise ValueError(
            f"{name[:-1]} {value} lies outside {name} ({low}, {high}); widen the range"
        )


# --------------------------------------------------------------------------- gradient ascent
class AscentRun:
    """Gradient ascent as ``fit(method="gradient", tol=0)`` runs it, kept step by step.

    βₜ₊₁ = βₜ + α·Xᵀ[w(y − μ)·(dμ/dη)/V(μ)]/n from β = 0, with the average
    log-likelihood ℓ(βₜ)/n after each step. The steps are computed once, in
    chunks as far as they are needed, so the run after any number of steps k is
    a slice; its fate after k steps is decided by the rules of
    :mod:`glmlesson.iteration` (``judge_ascent_step``, ``close_ascent``) that
    ``fit`` uses, so the explorer and ``fit`` name the same fate.

    Args:
        optimum: an IRLS FitResult on the data (its ``X``, ``y``, ``weights``,
            ``offset``, ``family`` and ``link`` are used).
        learning_rate: α.

    Introduced in 04_poisson_regression.
    """

    CHUNK = 100

    def __init__(self, optimum, learning_rate: float) -> None:
        self.family, self.link = optimum.family, optimum.link
        self.X, self.y = optimum.X, optimum.y
        self.weights, self.offset = optimum.weights, optimum.offset
        y_fit, multiplier = self.family.fit_response(self.y)
        self.y_fit, self.w_fit = y_fit, self.weights * multiplier
        self.n = self.X.shape[0]
        self.learning_rate = float(learning_rate)
        with np.errstate(all="ignore"):
            self.saturated = self.family.loglik(self.y, y_fit, 1.0, self.weights)
            beta = np.zeros(self.X.shape[1])
            self.start_objective = self._average_loglik(self._mean(self._eta(beta))[None, :])[0]
        self.betas = [beta]         # β₀ = 0, β₁, …
        self.gradients: list = []   # the gradient each step used
        self.history = np.empty(0)  # ℓ(βₜ)/n after step t (t = 1, 2, …)
        self.failed_step: int | None = None  # a step whose μ left the range
        self.stop: tuple | None = None  # (step, fate, reason) where fit's rules stop the run
        self._judged_to = 0

    # -- the arithmetic of one step, as fit does it
    def _eta(self, beta):
        return self.X @ beta + self.offset

    def _mean(self, eta):
        low, high = self.family.mean_range
        mu = self.link.g_inv(eta)
        return np.clip(mu, low + _EPS if np.isfinite(low) else None,
                       high - _EPS if np.isfinite(high) else None)

    def _average_loglik(self, mus) -> np.ndarray:
        """ℓ/n = (ℓ(saturated) − D/2)/n for each row of ``mus``."""
        unit = self.family.unit_deviance(self.y[None, :], mus)
        return (self.saturated - 0.5 * np.sum(self.weights * unit, axis=1)) / self.n

    def _extend(self, steps: int) -> None:
        """Compute up to ``steps`` steps, or until a step leaves the mean range."""
        family, link, X = self.family, self.link, self.X
        while self.failed_step is None and len(self.betas) - 1 < steps:
            beta = self.betas[-1]
            eta = self._eta(beta)
            mu = self._mean(eta)
            new_mus = []
            with np.errstate(all="ignore"):
                for _ in range(min(self.CHUNK, steps - (len(self.betas) - 1))):
                    score = self.w_fit * (self.y_fit - mu) * link.mu_eta(eta) / family.variance(mu)
                    gradient = X.T @ score / self.n
                    new_beta = beta + self.learning_rate * gradient
                    new_eta = self._eta(new_beta)
                    if not (np.all(np.isfinite(new_beta))
                            and family.is_valid_mu(link.g_inv(new_eta))):
                        self.failed_step = len(self.betas)
                        break
                    beta, eta, mu = new_beta, new_eta, self._mean(new_eta)
                    self.betas.append(beta)
                    self.gradients.append(gradient)
                    new_mus.append(mu)
                if not new_mus:
                    continue
                objective = self._average_loglik(np.array(new_mus))
            finite = np.isfinite(objective)
            if not np.all(finite):  # fit stops where the deviance is not finite
                keep = len(self.betas) - len(new_mus) + int(np.argmin(finite))
                del self.betas[keep:], self.gradients[keep - 1:]
                objective = objective[:int(np.argmin(finite))]
                self.failed_step = keep
            self.history = np.concatenate([self.history, objective])

    def _state_after(self, k: int):
        """fit's IterationState after step k ≥ 1 (before closing), its last steps, and
        whether fit's rules stop the run there."""
        from glmlesson import iteration

        state = iteration.IterationState(beta=self.betas[k], n_iter=k,
                                         history=list(self.history[max(0, k - 12):k]))
        state.relative_change = iteration.relative_change(self.betas[k - 1], self.betas[k])
        steps = [self.betas[j] - self.betas[j - 1] for j in range(max(1, k - 3), k + 1)]
        stop = iteration.judge_ascent_step(state, self.gradients[k - 1],
                                           iteration.ASCENT_JUDGE_TOL, 0.0, steps,
                                           self.start_objective)
        return state, steps, stop

    def _judge_until(self, k: int) -> None:
        """Find whether fit's rules stop the run (diverged) at some step ≤ k.

        Only a step after which the objective fell, or lies below its start, or whose
        direction reverses the last one can be judged "diverged"; only those are judged.
        """
        last = min(k, len(self.betas) - 1)
        if self.stop is not None:
            return
        history = self.history
        for j in range(self._judged_to + 1, last + 1):
            fell = j >= 2 and history[j - 1] < history[j - 2]
            below = history[j - 1] < self.start_objective
            reverses = j >= 2 and float(self.gradients[j - 1] @ self.gradients[j - 2]) < 0
            if not (fell or below or reverses):
                continue
            state, _, stop = self._state_after(j)
            if stop:
                self.stop = (j, state.fate, state.reason)
                del self.betas[j + 1:], self.gradients[j:]
                self.history = self.history[:j]
                self.failed_step = None
                break
        self._judged_to = max(self._judged_to, last)

    def after(self, k: int):
        """(β, history, fate, reason, steps taken) as ``fit(max_iter=k, tol=0)`` ends."""
        from glmlesson import iteration

        self._extend(k)
        self._judge_until(k)
        if self.stop is not None and k >= self.stop[0]:
            j, fate, reason = self.stop
            return self.betas[j], self.history[:j], fate, reason, j
        if self.failed_step is not None and k >= self.failed_step:
            j = self.failed_step - 1  # fit keeps the last finite iterate
            return (self.betas[j], self.history[:j], iteration.DIVERGED,
                    "μ left the range or the log-likelihood became infinite", j)
        state, steps, _ = self._state_after(k)
        iteration.close_ascent(state, steps, self.start_objective)
        return self.betas[k], self.history[:k], state.fate, state.reason, k


_EPS = np.finfo(float).eps

_FATE_TONES = {"converged": "good", "still climbing": "slow", "oscillating": "bad",
               "diverged": "bad", "separated": "bad", "at the edge": "bad"}


def _ascent_message(fate: str, reason: str, steps: int, gap: float, learning_rate: float) -> str:
    """One line, in fit's vocabulary, on how gradient ascent stands after ``steps`` steps."""
    plural = "s" if steps != 1 else ""
    if fate == "converged":
        return f"Converged after {steps} step{plural}: at the maximum (gap {max(gap, 0):.1g})."
    if fate == "still climbing" and gap < 1e-9:
        return (f"Still climbing after {steps} step{plural}: the log-likelihood is within 1e-9 "
                "of the maximum, but β is still moving (more than 1e-10 relative to its size), "
                "so more steps are needed.")
    if fate == "still climbing":
        return (f"Still climbing after {steps} step{plural}: {gap:.2g} below the maximum; "
                "more steps (or a larger rate) are needed.")
    if fate == "oscillating":
        return (f"Oscillating after {steps} step{plural}: {reason}, {gap:.2g} below the maximum "
                f"for good. α = {learning_rate:.3g} is too large: lower it.")
    if steps == 0:
        return (f"Diverged at the first step: {reason}. Showing the start, β = 0; lower the "
                "learning rate.")
    return (f"Diverged after {steps} step{plural}: {reason}. Showing the last finite iterate; "
            "lower the learning rate.")


class LearningRateExplorer(Explorer):
    """Gradient ascent with a learning-rate and an iterations slider.

    Built by :func:`learning_rate_explorer`. ``.result`` is the FitResult of
    ``fit(method="gradient", learning_rate=α, max_iter=k, tol=0)`` at the
    sliders' values (computed when read); ``.fate`` is its fate, the word the
    picture shows; ``.optimum`` is the IRLS fit.
    """

    kind = "learning rate"
    optimum: Any  # the IRLS FitResult
    fate: str = ""  # the fate on screen, in fit's words
    coef: np.ndarray  # β after the steps on screen
    shown: tuple  # (learning rate, iterations) on screen
    runs: dict  # learning rate → AscentRun
    curve: Any  # the mean after the steps (left)
    history_line: Any  # ℓ/n after each step (right)

    def __init__(self, X, y, family, link, *, x, learning_rate, iterations, max_iterations,
                 learning_rates, fit_options):
        from glmlesson import plots

        low, high = (float(v) for v in learning_rates)
        _slider_range("learning_rates", low, high, learning_rate)
        if not (isinstance(max_iterations, (int, np.integer)) and max_iterations >= 10):
            raise ValueError(f"max_iterations must be an integer ≥ 10, got {max_iterations!r}")
        if not (isinstance(iterations, (int, np.integer)) and 10 <= iterations <= max_iterations
                and iterations % 10 == 0):
            raise ValueError(
                f"iterations must be a multiple of 10 between 10 and max_iterations="
                f"{max_iterations} (the slider moves in steps of 10), got {iterations!r}")
        self.fit_arguments = (X, y, family, link, fit_options)
        self.x, self.grid, self.X_grid = _horizontal_axis(X, x)
        self.optimum, _ = _fit_quietly(X, y, family, link, **fit_options)
        self.best = float(self.optimum.history[-1])
        self.runs: dict = {}
        self._results: dict = {}

        self.live = LiveFigure(self.draw, ncols=2, figsize=(10, 4.0))
        ax_data, ax_history = self.live.axes
        self.status = _status_line()
        plots.data_and_mean(self.x, y, self.grid, self.optimum.predict(self.X_grid), ax=ax_data,
                            mean_label="maximum likelihood (IRLS)",
                            ylabel="y and fitted mean μ")
        ax_data.lines[-1].set(color="k", linestyle="--", linewidth=1.5)
        self.data_limits = ax_data.get_ylim()
        (self.curve,) = ax_data.plot(self.grid, self.grid * np.nan, color="C1", lw=2.5,
                                     label="gradient ascent", animated=True)
        ax_data.legend(loc="upper left")
        plots.loglik_history([], optimum=self.best, ax=ax_history, label="gradient ascent")
        self.history_line = ax_history.lines[0]
        self.history_line.set_animated(True)
        self._show({
            "learning_rate": _rate_slider(learning_rate, low, high),
            "iterations": _iterations_slider(iterations, max_iterations),
        })

    def run(self, learning_rate: float) -> AscentRun:
        """The (cached) run at this learning rate."""
        return _remember(self.runs, float(learning_rate),
                         lambda: AscentRun(self.optimum, float(learning_rate)))

    def draw(self, axes, learning_rate, iterations) -> None:
        ax_data, ax_history = axes
        beta, history, fate, reason, steps = self.run(learning_rate).after(int(iterations))
        self.shown = (float(learning_rate), int(iterations))
        self.fate, self.coef = fate, beta
        self.curve.set_ydata(self.link_mean(beta))
        self.history_line.set_data(np.arange(1, history.size + 1), history)
        top = _nice_ceiling(int(iterations))
        if ax_history.get_xlim() != (0, top):  # moves in a few jumps: most steps are blits
            ax_history.set_xlim(0, top)
        start = self.run(learning_rate).start_objective
        shown = np.concatenate([history[np.isfinite(history)], [start, self.best]])
        _follow(ax_history, float(shown.min()), self.best + 0.02 * (self.best - shown.min()) + 1e-9)
        gap = self.best - (float(history[-1]) if history.size else start)
        message = _ascent_message(fate, reason, steps, gap, float(learning_rate))
        message += self._follow_curve(ax_data)
        self._say(f"{message}\nβ after the last step = {_coefficients(beta)};   maximum (IRLS) "
                  f"β̂ = {_coefficients(self.optimum.coef)}", _FATE_TONES[fate])

    def _follow_curve(self, ax) -> str:
        """Widen the data axes to show the mean curve when it is near the data (up to
        twice the data's span beyond them); otherwise keep them and say where it is."""
        low, high = self.data_limits
        span = high - low
        curve = self.curve.get_ydata()
        top, bottom = float(np.nanmax(curve)), float(np.nanmin(curve))
        if bottom > high + 2 * span or top < low - 2 * span or not np.isfinite(top + bottom):
            _follow(ax, low, high, margin=0.0)
            return f" (The mean curve is off the picture: μ from {bottom:.3g} to {top:.3g}.)"
        _follow(ax, max(min(low, bottom), low - 2 * span), min(max(high, top), high + 2 * span),
                margin=0.0)
        return ""

    def link_mean(self, beta):
        """μ = g⁻¹(x_gridᵀβ) on the drawing grid."""
        with np.errstate(all="ignore"):
            return self.optimum.link.g_inv(self.X_grid @ beta)

    @property
    def result(self):
        """The FitResult ``fit`` gives at the sliders' values (the one on screen)."""
        learning_rate, iterations = self.shown
        X, y, family, link, options = self.fit_arguments
        return _remember(self._results, self.shown, lambda: _fit_quietly(
            X, y, family, link, method="gradient", learning_rate=learning_rate,
            max_iter=iterations, tol=0, **options)[0])


def _nice_ceiling(value: int) -> float:
    """The smallest m·10^k ≥ value with m in 1, 1.5, 2, 3, 4, 5, 6, 8."""
    scale = 10.0 ** np.floor(np.log10(max(value, 1)))
    return next(m * scale for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10) if m * scale >= value)


def _rate_slider(value, low, high):
    """The learning-rate slider: log scale, notches 10^0.02 apart."""
    import ipywidgets

    return ipywidgets.FloatLogSlider(
        value=value, base=10, min=np.log10(low), max=np.log10(high), step=0.02,
        readout_format=".3g", description="learning rate α (log scale)", style=_STYLE,
        layout=_WIDE)


def _iterations_slider(value, maximum):
    """The iterations slider: 10 … maximum in steps of 10."""
    import ipywidgets

    return ipywidgets.IntSlider(value=int(value), min=10, max=int(maximum), step=10,
                                description="iterations (gradient steps)", style=_STYLE,
                                layout=_WIDE)


def learning_rate_explorer(
    X,
    y,
    family,
    link=None,
    *,
    x=None,
    learning_rate: float = 0.05,
    iterations: int = 300,
    max_iterations: int = 2000,
    learning_rates: tuple[float, float] = (1e-3, 100.0),
    **fit_options: Any,
) -> LearningRateExplorer:
    """Gradient ascent β ← β + α ∇ℓ(β)/n with a learning-rate and an iterations slider.

    Left: the data, the maximum-likelihood mean (IRLS, dashed) and the mean
    after ``iterations`` steps of ``fit(method="gradient", tol=0)``. Right: the
    average log-likelihood after each step against the maximum. The message
    names the run's fate in ``fit``'s words (``result.fate``): converged, still
    climbing, oscillating (a bounded 2-cycle) or diverged (then the last finite
    iterate is shown). The run is computed once per learning rate and sliced,
    so the iterations slider is cheap.

    Args:
        X, y, family, link: as for :func:`glmlesson.fit` (``**fit_options``
            takes ``offset`` and ``weights``).
        x: the variable on the horizontal axis (default: X's second column
            when X = [1, x]).
        learning_rate, iterations: where the sliders start (0.05 and 300); the
            learning-rate slider is logarithmic over ``learning_rates`` in notches
            10^0.02 apart (…, 0.0631, 0.0661, …, 7.94, …, 19.95, …), the
            iterations slider runs 10 … ``max_iterations`` in steps of 10.

    Returns:
        A :class:`LearningRateExplorer`; ``.result`` is the gradient-ascent
        FitResult on screen, ``.fate`` its fate, ``.optimum`` the IRLS fit.

    Example:
        >>> learning_rate_explorer(X, y, "poisson")  # doctest: +SKIP

    Introduced in 04_poisson_regression (also used in 01 and 07).
    """
    return LearningRateExplorer(X, y, family, link, x=x, learning_rate=learning_rate,
                                iterations=iterations, max_iterations=max_iterations,
                                learning_rates=learning_rates, fit_options=fit_options)


# --------------------------------------------------------------------------- links
def _teaching_invalid_link(family) -> list[str]:
    """One link the family refuses, to show the refusal (empty if it refuses none)."""
    refused = [name for name in ("logit", "log", "inverse", "sqrt")
               if name not in family.valid_links()]
    return refused[:1]


def _wrap(text: str, width: int = 60) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


class LinkExplorer(Explorer):
    """One IRLS fit per link; choosing a link highlights its fitted mean.

    Built by :func:`link_explorer`. ``.result`` is the chosen link's FitResult
    (None for a refused link); ``.fits`` maps link name → FitResult or the
    refusal message.
    """

    kind = "link"
    fits: dict  # link name → FitResult, or the refusal message
    notes: dict  # link name → the warnings its fit raised
    chosen: Any  # the highlighted mean curve
    table: Any  # deviance, log-likelihood, AIC and fate of every link

    def __init__(self, X, y, family, *, x, links, fit_options):
        import ipywidgets

        from glmlesson import plots
        from glmlesson.families import get_family

        family = get_family(family)
        if links is None:
            links = family.valid_links() + _teaching_invalid_link(family)
        links = [str(name) for name in ([links] if isinstance(links, str) else links)]
        if not links:
            raise ValueError("links is empty; pass link names such as ['log', 'identity'] or "
                             "None")
        self.family = family
        self.x, self.grid, self.X_grid = _horizontal_axis(X, x)
        self.fits, self.notes = {}, {}
        for name in links:
            try:
                family.check_link(name)
            except ValueError as refusal:
                self.fits[name], self.notes[name] = str(refusal), []
                continue
            self.fits[name], self.notes[name] = _fit_quietly(X, y, family, name, **fit_options)
        fitted = {name: r for name, r in self.fits.items() if not isinstance(r, str)}
        if not fitted:
            raise ValueError(f"the {family.name} family refuses every link in {links}; "
                             f"use one of {', '.join(family.valid_links())}")

        self.live = LiveFigure(self.draw, ncols=2, figsize=(11, 4.0),
                               gridspec_kw={"width_ratios": [5, 4]})
        ax_data, ax_table = self.live.axes
        self.status = _status_line()
        plots.mean_curves(self.grid, {name: r.predict(self.X_grid) for name, r in fitted.items()},
                          x=self.x, y=y, ax=ax_data, ylabel="y and fitted mean μ",
                          title=f"{family.description()}: fitted means by link")
        for line in ax_data.lines:
            line.set(alpha=0.35, linewidth=1.2)
        ax_data.get_legend().remove()  # beside the table, not over the data
        ax_table.legend(*ax_data.get_legend_handles_labels(), loc="lower left", fontsize=8,
                        ncols=2, title="fitted means")
        ax_data.set(xlim=ax_data.get_xlim(), ylim=ax_data.get_ylim())
        (self.chosen,) = ax_data.plot(self.grid, self.grid * np.nan, lw=3, animated=True)
        self.colours = {name: line.get_color()
                        for name, line in zip(fitted, ax_data.lines, strict=False)}
        ax_table.set_axis_off()
        self.table = ax_table.text(0.0, 1.0, "", va="top", ha="left", family="monospace",
                                   fontsize=8.5, transform=ax_table.transAxes, animated=True)
        default = (family.default_link.name if family.default_link.name in fitted
                   else next(iter(fitted)))
        options = [(name if name in fitted else f"{name} (refused)", name) for name in links]
        self._show({"link": ipywidgets.ToggleButtons(options=options, value=default,
                                                     description="link g", style=_STYLE)})

    def draw(self, axes, link) -> None:
        result = self.fits[link]
        self.result = None if isinstance(result, str) else result
        self.table.set_text(_link_table(self.fits, link))
        if isinstance(result, str):
            self.chosen.set_visible(False)
            self._say("Refused: " + result, "bad")
            return
        self.chosen.set(visible=True, color=self.colours[link])
        self.chosen.set_ydata(result.predict(self.X_grid))
        if result.fate == "at the edge":
            low, high = self.family.mean_range
            self._say(f"At the edge: the {link} link's best fit puts fitted means on the edge of "
                      f"the {self.family.name} mean range ({low:g}, {high:g}): the likelihood "
                      "has no maximum inside the range for this link (more iterations cannot "
                      f"help). Deviance {result.deviance:.4g} at the edge.", "bad")
        elif result.fate != "converged":
            self._say(f"{result.fate.capitalize()}: " + (self.notes[link] or [""])[0], "bad")
        else:
            self._say(f"{link} link: converged; deviance {result.deviance:.4g}, "
                      f"log-likelihood {result.loglik:.4g}", "good")


def _link_table(fits: Mapping[str, Any], chosen: str) -> str:
    """Deviance, log-likelihood, AIC and fate of every link, the chosen one marked ▶."""
    rows = [f"  {'link':<8}{'deviance':>9}{'loglik':>9}{'AIC':>8}  fate"]
    for name, result in fits.items():
        mark = "▶" if name == chosen else " "
        if isinstance(result, str):
            rows.append(f"{mark} {name:<8}{'—':>9}{'—':>9}{'—':>8}  refused")
        else:
            rows.append(f"{mark} {name:<8}{result.deviance:>9.4g}{result.loglik:>9.4g}"
                        f"{result.aic:>8.4g}  {result.fate}")
    return "\n".join(rows)


def link_explorer(X, y, family, *, x=None, links=None, **fit_options: Any) -> LinkExplorer:
    """Choose a link g and see the fitted mean μ = g⁻¹(Xβ̂), deviance and log-likelihood.

    Every link is fitted once (IRLS) when the explorer is built; choosing one
    highlights its curve over the faint curves of the others, and a table
    beside the plot compares deviance, log-likelihood, AIC and each fit's fate.
    A link the family refuses is offered too (by default one, marked
    "refused"): choosing it shows why ``fit`` refuses it. A link whose best fit
    sits on the edge of the family's mean range (fate "at the edge") says so.

    Args:
        X, y, family: as for :func:`glmlesson.fit` (``**fit_options`` takes
            ``offset`` and ``weights``).
        x: the variable on the horizontal axis (default: X's second column).
        links: link names to offer, in order (default: the family's valid
            links plus one it refuses).

    Returns:
        A :class:`LinkExplorer`; ``.result`` is the FitResult of the chosen link
        (None for a refused one), ``.fits`` maps link name → FitResult or the
        refusal message.

    Example:
        >>> link_explorer(X, y, "bernoulli", x=temperature)  # doctest: +SKIP

    Introduced in 06_link_functions.
    """
    return LinkExplorer(X, y, family, x=x, links=links, fit_options=fit_options)


# --------------------------------------------------------------------------- families
class DistributionState(tuple):
    """What the family explorer shows: (family, theta, scale, mean, variance).

    ``mean`` is E[y] = A'(θ) (for a Binomial the mean count n·p; its μ is p) and
    ``variance`` is Var(y) = φ·A''(θ).
    """

    _fields = ("family", "theta", "scale", "mean", "variance")

    def __new__(cls, family, theta, scale, mean, variance):
        return super().__new__(cls, (family, theta, scale, mean, variance))

    family = property(lambda self: self[0])
    theta = property(lambda self: self[1])
    scale = property(lambda self: self[2])
    mean = property(lambda self: self[3])
    variance = property(lambda self: self[4])

    def __repr__(self) -> str:
        return (f"DistributionState(family={self.family!r}, theta={self.theta:.4g}, "
                f"scale={self.scale:.4g}, mean={self.mean:.4g}, variance={self.variance:.4g})")


def _mean_span(family) -> tuple[float, float]:
    """The means the θ slider spans, from the family's mean range: 2 % inside a bounded
    range, (0.2, 12) for (0, ∞), (−4, 4) for the real line."""
    low, high = family.mean_range
    if np.isfinite(low) and np.isfinite(high):
        return low + 0.02 * (high - low), high - 0.02 * (high - low)
    if np.isfinite(low):
        return low + 0.2, low + 12.0
    return -4.0, 4.0


def _typical_mean(family) -> float:
    """Where the θ slider starts: μ = 0.3 of a bounded range, 3 above a lower edge, or 1."""
    low, high = family.mean_range
    if np.isfinite(low) and np.isfinite(high):
        return low + 0.3 * (high - low)
    return low + 3.0 if np.isfinite(low) else 1.0


class FamilyExplorer(Explorer):
    """p(y) = h(y) exp{T(y)θ − A(θ)} as θ (and n, α or φ) move.

    Built by :func:`family_explorer`; ``.result`` is a :class:`DistributionState`.
    """

    kind = "family"
    family: Any  # the family as given (the exogenous sliders make copies)
    theta_span: tuple  # the θ slider's ends
    support: np.ndarray  # the bars' y values (discrete families)
    density: list  # the bars, or the one density curve
    mean_line: Any
    band: Any
    readout: Any  # the text box with θ, A'(θ), Var(y), Ψ

    def __init__(self, family, theta, *, scale):
        import ipywidgets

        from glmlesson.families import Binomial, get_family

        family = get_family(family)
        if family.multivariate:
            raise ValueError(f"family_explorer draws one-parameter families; {family.name} "
                             "has a vector of probabilities (see lesson 10)")
        if hasattr(family, "power"):
            raise ValueError("the Tweedie law has a point mass at zero as well as a density; "
                             "use tweedie_explorer(power=...)")
        if scale is not None and not family.estimates_scale:
            raise ValueError(f"the dispersion φ is fixed at 1 for the {family.name} family; "
                             "leave scale=None")
        self.family = family
        low, high = sorted(float(family.psi(mu)) for mu in _mean_span(family))
        self.theta_span = (low, high)
        theta = float(family.psi(_typical_mean(family)) if theta is None else theta)
        if not low <= theta <= high:
            raise ValueError(f"theta={theta:g} is outside the slider's range [{low:.3g}, "
                             f"{high:.3g}] for the {family.name} family; pick a θ inside it")
        controls = {"theta": ipywidgets.FloatSlider(
            value=theta, min=low, max=high, step=(high - low) / 200, readout_format=".3f",
            description="canonical parameter θ", style=_STYLE, layout=_WIDE)}
        if isinstance(family, Binomial):
            trials = np.ravel(family.trials)
            if trials.size != 1:
                raise ValueError("family_explorer needs one number of trials, e.g. Binomial(10)")
            controls["trials"] = ipywidgets.IntSlider(
                value=int(trials[0]), min=1, max=max(60, int(trials[0])),
                description="trials n (exogenous)", style=_STYLE, layout=_WIDE)
        elif hasattr(family, "alpha"):
            controls["alpha"] = ipywidgets.FloatLogSlider(
                value=family.alpha, base=10, min=-2, max=1, step=0.05, readout_format=".3g",
                description="α (exogenous: Var y = μ + αμ²)", style=_STYLE, layout=_WIDE)
        elif family.estimates_scale:
            value = 1.0 if scale is None else float(scale)
            controls["scale"] = ipywidgets.FloatSlider(
                value=value, min=0.05, max=max(4.0, value), step=0.05,
                description="dispersion φ (Var y = φ·A''(θ))", style=_STYLE, layout=_WIDE)
        self.live = LiveFigure(self.draw, figsize=(7.5, 4.2))
        self._build(self.live.axes, controls)
        self._show(controls)

    def shown_family(self, name, value):
        """The family with the exogenous parameter ``name`` (trials or alpha) at ``value``."""
        if name == "trials":
            return type(self.family)(int(value))
        if name == "alpha":
            return type(self.family)(float(value))
        return self.family

    def draw(self, ax, theta, **exogenous) -> None:
        name, value = next(iter(exogenous.items()), (None, None))
        family = self.shown_family(name, value)
        phi = float(value) if name == "scale" else 1.0
        self._update(ax, family, float(theta), phi)

    def _build(self, ax, controls) -> None:
        """Axes and artists, once: bars for every y any slider position makes likely
        (discrete families), or a curve whose grid follows the x-axis (continuous)."""
        from glmlesson import plots

        exogenous = next((name for name in controls if name != "theta"), None)
        if exogenous is None:
            settings = [(self.family, 1.0)]
        else:
            slider = controls[exogenous]
            ends = (slider.min, slider.max) if exogenous != "alpha" else (
                slider.base ** slider.min, slider.base ** slider.max)
            settings = [(self.shown_family(exogenous, v), v if exogenous == "scale" else 1.0)
                        for v in ends]
        moments = [plots.distribution_moments(family, t, phi)
                   for family, phi in settings for t in self.theta_span]
        first, phi = settings[0]
        if first.is_discrete:
            support = plots.distribution_support(settings[-1][0], max(m for m, _ in moments),
                                                 max(sd for _, sd in moments))
        else:
            support = plots.distribution_support(first, *moments[0])
        plots.distribution(first, self.theta_span[0], ax=ax, scale=phi, support=support,
                           title=f"{self.family.name}: p(y) = h(y) exp(T(y)θ − A(θ))")
        self.density = ax.containers[0].patches if first.is_discrete else [ax.lines[0]]
        self.mean_line, self.band = ax.lines[-1], ax.patches[-1]
        for artist in [*self.density, self.mean_line, self.band]:
            artist.set_animated(True)
        handle = ax.containers[0] if first.is_discrete else ax.lines[0]
        ax.legend([handle, self.mean_line, self.band],
                  ["p(y)", "mean E[y] = A'(θ)", "E[y] ± √Var(y)"], loc="upper right")
        self.support = np.asarray(support, dtype=float)
        ax.set_ylim(0, 1)
        self.readout = ax.text(0.98, 0.70, "", transform=ax.transAxes, ha="right", va="top",
                               multialignment="left", fontsize=9, family="monospace",
                               animated=True,
                               bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.9,
                                     "edgecolor": "0.7"})

    def _update(self, ax, family, theta, phi) -> None:
        """Move the density, the mean line, the band and the readout to θ; the x-axis
        follows the distribution (mean − 4.5 sd to mean + 4.5 sd, or + 6.5 sd for a
        family with a lower edge, whose right tail is long; within the support)."""
        from glmlesson import plots

        mu = float(np.ravel(family.mean(theta))[0])
        mean_y, sd = plots.distribution_moments(family, theta, phi)
        edge = family.mean_range[0]
        # a range with a lower edge means a long right tail: more room on the right
        right = mean_y + (6.5 if np.isfinite(edge) else 4.5) * sd
        if family.is_discrete:
            last = min(self.support[-1], float(np.ravel(getattr(family, "trials", np.inf))[0]))
            _follow(ax, max(self.support[0], mean_y - 4.5 * sd) - 0.6, min(last, right + 1) + 0.6,
                    axis="x", margin=0.0, room=0.25, bounds=(self.support[0] - 0.6, np.inf))
            support = self.support
        else:
            _follow(ax, max(edge, mean_y - 4.5 * sd), right, axis="x", margin=0.0,
                    room=0.1, bounds=(edge, np.inf))
            support = np.linspace(*ax.get_xlim(), 400)
            if np.isfinite(edge):
                support = support[support > edge]
        with np.errstate(all="ignore"):
            density = np.exp(family.loglik_obs(support, np.full_like(support, mu), phi))
        density = np.nan_to_num(density, nan=0.0, posinf=0.0)
        if family.is_discrete:  # only the bars in view are drawn
            low, high = ax.get_xlim()
            for bar, y, height in zip(self.density, support, density, strict=True):
                bar.set_height(height)
                bar.set_visible(bool(low <= y <= high))
        else:
            self.density[0].set_data(support, density)
        visible = density[np.isfinite(density)]
        top = float(np.max(visible)) if visible.size else 1.0
        if not 0.35 * ax.get_ylim()[1] <= top <= 0.95 * ax.get_ylim()[1]:
            ax.set_ylim(0, 1.5 * top)  # headroom: the next few steps need no full redraw
        self.mean_line.set_xdata([mean_y, mean_y])
        self.band.set_x(mean_y - sd)
        self.band.set_width(2 * sd)
        trials = int(np.ravel(getattr(family, "trials", 1))[0])
        psi = float(family.psi(mu))
        if trials > 1:  # μ is the success probability p (the lesson's and R's convention)
            rows = [("θ", theta), ("μ = p = mean(θ)", mu), ("E[y] = A'(θ) = n·p", mean_y),
                    ("Var(y) = A''(θ)", sd * sd), ("Ψ(p) = log(p/(1−p))", psi)]
        else:
            rows = [("θ", theta), ("E[y] = A'(θ)", mean_y),
                    ("Var(y) = φ·A''(θ)" if family.estimates_scale else "Var(y) = A''(θ)",
                     sd * sd), ("Ψ(μ)", psi)]
        if hasattr(family, "alpha"):
            rows.insert(1, ("α (exogenous)", family.alpha))
        elif trials > 1:
            rows.insert(1, ("n (exogenous)", trials))
        if family.estimates_scale:
            rows.insert(1, ("φ (dispersion)", phi))
        width = max(len(label) for label, _ in rows)
        lines = [f"{label:<{width}} = {value:8.4g}" for label, value in rows]
        self.message = "\n".join(lines)
        self.readout.set_text(self.message)
        self.result = DistributionState(family, theta, phi, mean_y, sd * sd)


def family_explorer(family="poisson", theta=None, *, scale=None) -> FamilyExplorer:
    """Slide the canonical parameter θ and watch p(y) = h(y) exp{T(y)θ − A(θ)} change.

    The mean E[y] = A'(θ) is marked with a line and E[y] ± √Var(y), with
    Var(y) = φ·A''(θ), with a band; the x-axis follows the distribution. Where the
    family has an exogenous parameter (Binomial trials n, negative-binomial α) or
    estimates a dispersion φ (Normal: φ = σ²; Gamma: φ = 1/shape, as lesson 02
    defines it) a second slider sets it. For the Binomial the readout follows the
    lesson's convention: μ = p, A'(θ) = n·p, Ψ(p) = log(p/(1 − p)). The θ slider
    spans the means 2 % inside a bounded mean range, (0.2, 12) above an edge at
    0, or (−4, 4) (from ``family.mean_range``).

    Args:
        family: a Family or its name (not Categorical).
        theta: where the θ slider starts (default: θ = Ψ(μ) at a typical mean).
        scale: where the φ slider starts (families that estimate φ only).

    Returns:
        A :class:`FamilyExplorer`; ``.result`` is a :class:`DistributionState`
        (family, theta, scale, mean, variance) of what is on screen.

    Example:
        >>> family_explorer("poisson", theta=1.0)  # doctest: +SKIP

    Introduced in 02_exponential_family (previewed in 00_start_here).
    """
    return FamilyExplorer(family, theta, scale=scale)


# --------------------------------------------------------------------------- Part II
def _follow(ax, low: float, high: float, *, axis: str = "y", margin: float = 0.06,
            room: float = 0.0, bounds: tuple[float, float] = (-np.inf, np.inf)) -> None:
    """Keep an axis fitted to the drawn values [low, high]: widen it when they leave it,
    shrink it when they fill less than half of it (a changed limit means a full redraw,
    so the limits move only when they must). ``margin`` pads both ends; ``room`` adds
    that fraction more on each side, so that a value moving on stays inside longer;
    the limits never pass ``bounds``."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return
    if high <= low:
        low, high = low - 0.5, high + 0.5
    pad = margin * (high - low)
    get, set_ = (ax.get_ylim, ax.set_ylim) if axis == "y" else (ax.get_xlim, ax.set_xlim)
    shown_low, shown_high = get()
    outside = low < shown_low or high > shown_high
    too_wide = (high - low) < 0.5 * (shown_high - shown_low)
    if outside or too_wide:
        pad += room * (high - low)
        set_(max(low - pad, bounds[0]), min(high + pad, bounds[1]))


def _check_grid(x, default) -> np.ndarray:
    """The horizontal grid: ``default`` when x is None, else x as a sorted finite array."""
    if x is None:
        return default
    grid = np.asarray(x, dtype=float).ravel()
    if grid.size < 2 or not np.all(np.isfinite(grid)):
        raise ValueError("x must hold at least two finite values (the grid the curves are "
                         "drawn on), e.g. np.linspace(-4, 4, 201)")
    return np.sort(grid)


def _slider(value, low, high, step, description, *, readout=".2f"):
    import ipywidgets

    return ipywidgets.FloatSlider(
        value=float(value), min=float(min(low, value)), max=float(max(high, value)), step=step,
        readout_format=readout, description=description, style=_STYLE, layout=_WIDE)


# Links whose inverse maps every η to a valid mean, so g⁻¹(η + b) exists for every b.
_RANDOM_INTERCEPT_LINKS = ("logit", "probit", "cloglog", "log", "identity")
# (16√3 / (15π))²: logit(E[expit(η + b)]) ≈ η / √(1 + c²σ²) for b ~ N(0, σ²)
_LOGIT_ATTENUATION = (16.0 * np.sqrt(3.0) / (15.0 * np.pi)) ** 2


def _attenuation_formula(link: str, sigma: float):
    """The closed-form factor by which a random intercept flattens the slope, or None.

    logit ≈ 1/√(1 + 0.346σ²) (Zeger, Liang & Albert 1988); probit 1/√(1 + σ²) exactly;
    log and identity 1 exactly (the random intercept only shifts the curve).
    """
    if link == "logit":
        return 1.0 / np.sqrt(1.0 + _LOGIT_ATTENUATION * sigma**2)
    if link == "probit":
        return 1.0 / np.sqrt(1.0 + sigma**2)
    if link in ("log", "identity"):
        return 1.0
    return None


@dataclass(frozen=True, repr=False)
class RandomInterceptCurves:
    """What the random-intercept explorer shows for one σ.

    Attributes:
        sigma: the random-intercept SD σ.
        x: the grid the curves are drawn on.
        intercepts: the subjects' bᵢ = σ·zᵢ.
        subjects: one row g⁻¹(β₀ + β₁x + bᵢ) per subject.
        conditional: the curve at b = 0.
        population_averaged: E_b g⁻¹(β₀ + β₁x + b), b ~ N(0, σ²).
        slope_subject: β₁, every subject's slope on the link scale g(μ).
        slope_population: the slope of g(population-averaged curve) at x = 0.
        attenuation: slope_population / slope_subject (NaN when β₁ = 0).
        approximation: the closed-form factor (None for cloglog).
        mean_slopes_subjects: each subject's slope dμ/dx at x = 0 (mean scale).
        mean_slope_population: the population-averaged curve's dμ/dx at x = 0.
    """

    sigma: float
    x: np.ndarray
    intercepts: np.ndarray
    subjects: np.ndarray
    conditional: np.ndarray
    population_averaged: np.ndarray
    slope_subject: float
    slope_population: float
    attenuation: float
    approximation: float | None
    mean_slopes_subjects: np.ndarray
    mean_slope_population: float

    def __repr__(self) -> str:
        approximation = "None" if self.approximation is None else f"{self.approximation:.4f}"
        return (f"RandomInterceptCurves(sigma={self.sigma:.3g}, slope_subject="
                f"{self.slope_subject:.4g}, slope_population={self.slope_population:.4g}, "
                f"attenuation={self.attenuation:.4f}, approximation={approximation})")


class RandomInterceptExplorer(Explorer):
    """Subject-specific curves and their average under a normal random intercept.

    Built by :func:`random_intercept_explorer`; ``.result`` is a
    :class:`RandomInterceptCurves`.
    """

    kind = "random intercept"
    beta: np.ndarray  # (β₀, β₁)
    link: Any
    x: np.ndarray
    quantiles: np.ndarray  # the subjects' zᵢ = Φ⁻¹((i − ½)/n)
    subject_lines: list
    conditional_line: Any
    average_line: Any
    _QUADRATURE_POINTS = 200  # error below 1e-12 for the logit link at σ ≤ 3
    _SIMULATED_POSITIONS = 13

    def __init__(self, beta, sigma, *, x, n_subjects, link, rng):
        from scipy import stats

        from glmlesson.glmm import quadrature_rule
        from glmlesson.links import get_link

        beta = np.asarray(beta, dtype=float).ravel()
        if beta.shape != (2,) or not np.all(np.isfinite(beta)):
            raise ValueError(f"beta must be two finite numbers (β₀, β₁), got {beta!r}")
        sigma = float(sigma)
        if not 0.0 <= sigma <= 3.0:
            raise ValueError(f"sigma must lie in [0, 3] (the slider's range), got {sigma:g}")
        if not (isinstance(n_subjects, (int, np.integer)) and 2 <= n_subjects <= 200):
            raise ValueError(f"n_subjects must be an integer from 2 to 200, got {n_subjects!r}")
        if str(link) not in _RANDOM_INTERCEPT_LINKS:
            raise ValueError(f"link must be one of {', '.join(_RANDOM_INTERCEPT_LINKS)} (a link "
                             f"whose inverse is defined for every η), got {link!r}")
        self.beta, self.link = beta, get_link(str(link))
        self.x = _check_grid(x, np.linspace(-4.0, 4.0, 201))
        # the subjects sit at fixed normal quantiles: bᵢ = σ·zᵢ, zᵢ = Φ⁻¹((i − ½)/n)
        self.quantiles = stats.norm.ppf((np.arange(n_subjects) + 0.5) / n_subjects)
        self.nodes, self.weights = quadrature_rule(self._QUADRATURE_POINTS)
        self.binary = self.link.limits == (0.0, 1.0)
        positions = np.linspace(self.x[0], self.x[-1], self._SIMULATED_POSITIONS)
        self.positions = positions
        self.uniforms = np.random.default_rng(rng).uniform(size=(n_subjects, positions.size))

        self.live = LiveFigure(self.draw, figsize=(8.5, 4.2))
        ax = self.live.axes
        self.status = _status_line()
        grey = {"color": "0.55", "lw": 0.9, "alpha": 0.7, "animated": True}
        self.subject_lines = [ax.plot(self.x, self.x * np.nan, **grey)[0]
                              for _ in range(n_subjects)]
        (self.conditional_line,) = ax.plot(self.x, self.x * np.nan, "--", color="C3", lw=2,
                                           animated=True)
        (self.average_line,) = ax.plot(self.x, self.x * np.nan, color="C0", lw=3, animated=True)
        handles = [self.subject_lines[0], self.conditional_line, self.average_line]
        labels = ["subject curves g⁻¹(β₀ + β₁x + bᵢ)", "conditional curve (b = 0)",
                  "population-averaged E_b[g⁻¹(β₀ + β₁x + b)]"]
        if self.binary:
            (self.share_points,) = ax.plot(positions, positions * np.nan, "o", color="k", ms=5,
                                           animated=True)
            handles.append(self.share_points)
            labels.append("share of 1s (one simulated 0/1 per subject)")
            ax.set_ylim(-0.02, 1.02)
        ax.set(xlim=(self.x[0], self.x[-1]), xlabel="x",
               ylabel=f"mean μ ({self.link.name} link)")
        ax.legend(handles, labels, loc="upper left", fontsize=8)
        self._show({"sigma": _slider(sigma, 0.0, 3.0, 0.05, "random-intercept SD σ")})

    def curves(self, sigma: float) -> RandomInterceptCurves:
        """Every curve and slope the picture shows at ``sigma`` (see the class fields).

        The population-averaged curve is Σₖ ωₖ g⁻¹(η + σzₖ) over 200 Gauss–Hermite
        nodes zₖ with weights ωₖ (:func:`glmlesson.glmm.quadrature_rule`).
        """
        beta0, beta1 = self.beta
        g_inv, mu_eta = self.link.g_inv, self.link.mu_eta
        eta = beta0 + beta1 * self.x
        intercepts = sigma * self.quantiles
        shifted = eta[None, :] + sigma * self.nodes[:, None]
        at_zero = beta0 + sigma * self.nodes
        mean_slope_population = beta1 * float(self.weights @ mu_eta(at_zero))
        average_at_zero = float(self.weights @ g_inv(at_zero))
        slope_population = float(self.link.g_prime(average_at_zero)) * mean_slope_population
        return RandomInterceptCurves(
            sigma=sigma, x=self.x, intercepts=intercepts,
            subjects=g_inv(eta[None, :] + intercepts[:, None]),
            conditional=g_inv(eta), population_averaged=self.weights @ g_inv(shifted),
            slope_subject=float(beta1), slope_population=slope_population,
            attenuation=slope_population / beta1 if beta1 != 0 else np.nan,
            approximation=_attenuation_formula(self.link.name, sigma),
            mean_slopes_subjects=beta1 * mu_eta(beta0 + intercepts),
            mean_slope_population=mean_slope_population,
        )

    def draw(self, axes, sigma) -> None:
        shown = self.curves(float(sigma))
        self.result = shown
        for line, curve in zip(self.subject_lines, shown.subjects, strict=True):
            line.set_ydata(curve)
        self.conditional_line.set_ydata(shown.conditional)
        self.average_line.set_ydata(shown.population_averaged)
        if self.binary:
            beta0, beta1 = self.beta
            means = self.link.g_inv(beta0 + beta1 * self.positions[None, :]
                                    + shown.intercepts[:, None])
            self.share_points.set_ydata(np.mean(self.uniforms < means, axis=0))
        else:
            _follow(axes, float(np.min(shown.subjects)), float(np.max(shown.subjects)))
        self._say(*self._describe(shown))

    def _describe(self, shown: RandomInterceptCurves) -> tuple[str, str]:
        link, beta1 = self.link.name, self.beta[1]
        if shown.sigma == 0:
            return ("σ = 0: every subject has the same curve, so the population-averaged "
                    "curve is the conditional one.", "good")
        if beta1 == 0:
            return "β₁ = 0: every curve is flat, so there is no slope to flatten.", "good"
        text = (f"σ = {shown.sigma:.2f}: on the {link} scale the population-averaged slope at "
                f"x = 0 is {shown.slope_population:.3f}, {shown.attenuation:.3f} × the "
                f"subject-specific β₁ = {beta1:g}")
        if link == "logit":
            text += f"\n(the approximation 1/√(1 + 0.346σ²) gives {shown.approximation:.3f})"
        elif shown.approximation is not None:
            text += f" (exactly {shown.approximation:.3f} for the {link} link)"
        return text, "good" if shown.attenuation > 0.95 else "slow"


def random_intercept_explorer(beta=(0.0, 1.5), sigma=1.0, *, x=None, n_subjects=12,
                              link="logit", rng=0) -> RandomInterceptExplorer:
    """Slide the random-intercept SD σ and watch the population-averaged curve flatten.

    Each subject i has its own curve μᵢ(x) = g⁻¹(β₀ + β₁x + bᵢ) with bᵢ ~ N(0, σ²);
    the subjects are drawn at fixed normal quantiles bᵢ = σ·Φ⁻¹((i − ½)/n). Their
    average over the whole population, μ̄(x) = E_b[g⁻¹(β₀ + β₁x + b)] (Gauss–Hermite
    quadrature), is flatter than any subject's curve: for the logit link its slope
    on the logit scale is about β₁/√(1 + 0.346σ²), for the probit exactly
    β₁/√(1 + σ²); for the log link the average is e^{σ²/2} times the curve at
    b = 0, with the same slope on the log scale. The message says by how much.

    Args:
        beta: (β₀, β₁), the subject-specific (conditional) coefficients.
        sigma: where the σ slider (0 to 3) starts.
        x: the grid the curves are drawn on (default 201 points on [−4, 4]).
        n_subjects: how many subject curves to draw.
        link: ``"logit"``, ``"probit"``, ``"cloglog"``, ``"log"`` or ``"identity"``.
        rng: seed (or Generator) of the simulated data: for the binary links, one
            0/1 response per subject at 13 values of x, whose share of 1s follows
            the population-averaged curve, not the conditional one.

    Returns:
        A :class:`RandomInterceptExplorer`; ``.result`` is a
        :class:`RandomInterceptCurves` with the curves and the slopes at x = 0
        (``slope_population``, ``slope_subject``, ``attenuation``).

    Example:
        >>> random_intercept_explorer(beta=(0.0, 1.5), sigma=2.0)  # doctest: +SKIP

    Introduced in 13_correlated_data.
    """
    return RandomInterceptExplorer(beta, sigma, x=x, n_subjects=n_subjects, link=link, rng=rng)


@dataclass(frozen=True, repr=False)
class CategoryProbabilities:
    """What the ordinal explorer shows.

    Attributes:
        x: the grid of x values.
        probabilities: ``probabilities[i, j]`` = P(y = j | x = x[i]); rows sum to 1.
        thresholds: θ₀ < … < θ_{K−2}.
        slope: β.
        link: the link's name.
    """

    x: np.ndarray
    probabilities: np.ndarray
    thresholds: np.ndarray
    slope: float
    link: str

    def __repr__(self) -> str:
        theta = ", ".join(f"{t:.3g}" for t in self.thresholds)
        return (f"CategoryProbabilities(link={self.link!r}, thresholds=[{theta}], "
                f"slope={self.slope:.3g}, {self.probabilities.shape[0]} x values × "
                f"{self.probabilities.shape[1]} categories)")


def category_probabilities(x, thresholds, slope, link="logit") -> np.ndarray:
    """P(y = j | x) = F(θⱼ − xβ) − F(θⱼ₋₁ − xβ), F = g⁻¹, θ₋₁ = −∞, θ_{K−1} = +∞.

    Args:
        x: (n,) values of the covariate.
        thresholds: θ₀ < … < θ_{K−2}.
        slope: β (positive: higher categories more likely, as ``MASS::polr``).
        link: a link name, usually ``"logit"``, ``"probit"`` or ``"cloglog"``.

    Returns:
        (n, K) array of probabilities; each row sums to 1.

    Introduced in 14_tables_and_ordered_outcomes.
    """
    from glmlesson.links import get_link

    x = np.asarray(x, dtype=float).ravel()
    cumulative = get_link(link).g_inv(np.asarray(thresholds, dtype=float)[None, :]
                                      - slope * x[:, None])
    ones = np.ones((x.size, 1))
    return np.diff(np.hstack([0.0 * ones, cumulative, ones]), axis=1)


class OrdinalExplorer(Explorer):
    """Category probabilities of a cumulative link model as thresholds and slope move.

    Built by :func:`ordinal_explorer`; ``.result`` is a
    :class:`CategoryProbabilities` (None while the thresholds are out of order).
    """

    kind = "ordinal"
    link: str
    x: np.ndarray
    lines: list  # one curve P(y = j | x) per category
    refusal: Any  # the notice shown while the thresholds are out of order

    def __init__(self, thresholds, slope, *, link, x):
        from glmlesson.ordinal import ORDINAL_LINKS

        thresholds = np.asarray(thresholds, dtype=float).ravel()
        if thresholds.size < 1 or not np.all(np.isfinite(thresholds)):
            raise ValueError("thresholds must be one or more finite numbers θ₀ < θ₁ < …, "
                             f"got {thresholds!r}")
        if np.any(np.diff(thresholds) <= 0):
            raise ValueError(f"thresholds must increase (θ₀ < θ₁ < …), got {list(thresholds)}; "
                             "sort them")
        if not np.isfinite(float(slope)):
            raise ValueError(f"slope must be a finite number, got {slope!r}")
        if str(link) not in ORDINAL_LINKS:
            raise ValueError(f"link must be one of {', '.join(ORDINAL_LINKS)}, got {link!r}")
        self.link = str(link)
        self.x = _check_grid(x, np.linspace(-5.0, 5.0, 201))
        n_categories = thresholds.size + 1
        self.live = LiveFigure(self.draw, figsize=(8.5, 4.0))
        ax = self.live.axes
        self.status = _status_line()
        self.lines = [ax.plot(self.x, self.x * np.nan, lw=2.2, color=f"C{j % 10}",
                              label=f"P(y = {j} | x)", animated=True)[0]
                      for j in range(n_categories)]
        ax.set(xlim=(self.x[0], self.x[-1]), ylim=(-0.02, 1.02), xlabel="x",
               ylabel="probability of each category")
        ax.legend(loc="center right", fontsize=8)
        self.refusal = ax.text(0.5, 0.5, "thresholds out of order:\nno probabilities",
                               transform=ax.transAxes, ha="center", va="center", fontsize=14,
                               color=_STATUS_COLOURS["bad"], visible=False, animated=True)
        controls = {f"threshold_{j}": _slider(value, -5.0, 5.0, 0.1, f"threshold θ{_sub(j)}")
                    for j, value in enumerate(thresholds)}
        controls["slope"] = _slider(float(slope), -3.0, 3.0, 0.05, "slope β")
        self._show(controls)

    def draw(self, axes, slope, **thresholds) -> None:
        theta = np.array([thresholds[f"threshold_{j}"] for j in range(len(thresholds))])
        disorder = np.flatnonzero(np.diff(theta) <= 0)
        if disorder.size:
            j = int(disorder[0])
            for line in self.lines:
                line.set_alpha(0.2)
            self.refusal.set_visible(True)
            self.result = None
            self._say(f"Refused: the thresholds must increase, but θ{_sub(j)} = {theta[j]:g} ≥ "
                      f"θ{_sub(j + 1)} = {theta[j + 1]:g}; a category between them would have a "
                      "negative probability.\nMove θ" + _sub(j + 1) + " above θ" + _sub(j) + ".",
                      "bad")
            return
        probabilities = category_probabilities(self.x, theta, float(slope), self.link)
        for line, column in zip(self.lines, probabilities.T, strict=True):
            line.set(alpha=1.0, ydata=column)
        self.refusal.set_visible(False)
        self.result = CategoryProbabilities(self.x, probabilities, theta, float(slope), self.link)
        at_zero = category_probabilities([0.0], theta, float(slope), self.link)[0]
        shares = ", ".join(f"{p:.2f}" for p in at_zero)
        self._say(f"P(y = j | x) = F(θⱼ − xβ) − F(θⱼ₋₁ − xβ), F the inverse {self.link} link; "
                  f"at x = 0: ({shares})", "good")


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(number: int) -> str:
    return str(number).translate(_SUBSCRIPTS)


def ordinal_explorer(thresholds=(-1.0, 1.0), slope=1.0, *, link="logit",
                     x=None) -> OrdinalExplorer:
    """Move the thresholds θⱼ and the slope β of a cumulative link model.

    P(y ≤ j | x) = F(θⱼ − xβ) with F = g⁻¹, so the category probabilities are
    P(y = j | x) = F(θⱼ − xβ) − F(θⱼ₋₁ − xβ) (θ₋₁ = −∞, θ_{K−1} = +∞), drawn as
    one curve per category over x. Thresholds out of order would give a negative
    probability: the picture says so instead of drawing.

    Args:
        thresholds: θ₀ < θ₁ < … (K − 1 of them for K categories): where the
            sliders start.
        slope: β, where its slider starts (polr's sign: positive β moves
            probability to the higher categories).
        link: ``"logit"`` (proportional odds), ``"probit"`` or ``"cloglog"``.
        x: the grid the curves are drawn on (default 201 points on [−5, 5]).

    Returns:
        An :class:`OrdinalExplorer`; ``.result`` is a :class:`CategoryProbabilities`
        whose ``probabilities[i, j]`` is P(y = j | x[i]) (None while the thresholds
        are out of order).

    Example:
        >>> ordinal_explorer(thresholds=(-1.0, 0.5, 2.0), slope=0.8)  # doctest: +SKIP

    Introduced in 14_tables_and_ordered_outcomes.
    """
    return OrdinalExplorer(thresholds, slope, link=link, x=x)


# --------------------------------------------------------------------------- lessons 11–12
@dataclass(frozen=True, repr=False)
class TweedieState:
    """What the Tweedie explorer shows.

    Attributes:
        power: p (1 < p < 2). mean: μ. dispersion: φ.
        zero_probability: P(y = 0) = exp(−λ), λ = μ^{2−p}/(φ(2 − p)).
        y: the grid of positive y the density is drawn on.
        density: f(y) for y > 0 (it integrates to 1 − P(y = 0)).
        variance: Var(y) = φ·μ^p.
    """

    power: float
    mean: float
    dispersion: float
    zero_probability: float
    y: np.ndarray
    density: np.ndarray
    variance: float

    def __repr__(self) -> str:
        return (f"TweedieState(power={self.power:.3g}, mean={self.mean:.3g}, "
                f"dispersion={self.dispersion:.3g}, zero_probability="
                f"{self.zero_probability:.4g}, variance={self.variance:.4g})")


class TweedieExplorer(Explorer):
    """The compound Poisson–Gamma law: a point mass at zero and a density above it.

    Built by :func:`tweedie_explorer`; ``.result`` is a :class:`TweedieState`.
    """

    kind = "Tweedie"
    dispersion: float
    zero_bar: Any  # P(y = 0)
    curve: Any  # f(y), y > 0
    mean_line: Any

    def __init__(self, power, mean, dispersion):
        from glmlesson.families import Tweedie

        Tweedie(power)  # a clear ValueError for a power outside (1, 2)
        mean, dispersion = float(mean), float(dispersion)
        if not (np.isfinite(mean) and 0.1 <= mean <= 10.0):
            raise ValueError(f"mean must lie in [0.1, 10] (the μ slider's range), got {mean:g}")
        if not (np.isfinite(dispersion) and dispersion > 0):
            raise ValueError(f"dispersion φ must be a positive number, got {dispersion:g}")
        self.dispersion = dispersion
        self.live = LiveFigure(self.draw, ncols=2, figsize=(9.5, 4.0),
                               gridspec_kw={"width_ratios": [1, 5]})
        ax_zero, ax_density = self.live.axes
        self.status = _status_line()
        (self.zero_bar,) = ax_zero.bar([0.0], [0.0], width=0.6, color="C3", animated=True)
        ax_zero.set(xlim=(-0.6, 0.6), ylim=(0, 1.02), xticks=[0], xticklabels=["y = 0"],
                    ylabel="probability", title="point mass")
        (self.curve,) = ax_density.plot([], [], color="C0", lw=2, animated=True)
        self.mean_line = ax_density.axvline(mean, color="C1", lw=1.5, animated=True,
                                            label="mean μ")
        ax_density.set(xlim=(0, 1), ylim=(0, 1), xlabel="y > 0", ylabel="density f(y)",
                       title=f"Tweedie: f(y) for y > 0 (area 1 − P(y = 0)), φ = {dispersion:g}")
        ax_density.legend(loc="upper right")
        self._show({
            "power": _slider(float(power), 1.01, 1.99, 0.01, "power p (V(μ) = μ^p)"),
            "mean": _slider(mean, 0.1, 10.0, 0.05, "mean μ"),
        })

    def state(self, power: float, mean: float) -> TweedieState:
        """P(y = 0) and the density on a grid that covers the distribution."""
        from glmlesson.families import Tweedie

        phi = self.dispersion
        family = Tweedie(power)
        sd = float(np.sqrt(phi * mean**power))
        y = np.linspace(0.0, mean + 6.5 * sd, 401)[1:]
        density = np.exp(family.loglik_obs(y, np.full_like(y, mean), phi))
        zero = float(np.exp(-mean ** (2 - power) / (phi * (2 - power))))
        return TweedieState(power, mean, phi, zero, y, density, sd * sd)

    def draw(self, axes, power, mean) -> None:
        ax_zero, ax_density = axes
        shown = self.state(float(power), float(mean))
        self.result = shown
        self.zero_bar.set_height(shown.zero_probability)
        self.curve.set_data(shown.y, shown.density)
        self.mean_line.set_xdata([shown.mean, shown.mean])
        _follow(ax_density, 0.0, float(shown.y[-1]), axis="x", margin=0.0, room=0.35,
                bounds=(0.0, np.inf))
        visible = shown.density[shown.y <= ax_density.get_xlim()[1]]
        top = float(np.max(visible[np.isfinite(visible)]))
        if not 0.35 * ax_density.get_ylim()[1] <= top <= 0.95 * ax_density.get_ylim()[1]:
            ax_density.set_ylim(0, 1.5 * top)
        count_rate = shown.mean ** (2 - shown.power) / (shown.dispersion * (2 - shown.power))
        self._say(f"P(y = 0) = {shown.zero_probability:.3f}; mean μ = {shown.mean:.3g}, "
                  f"Var(y) = φμ^p = {shown.variance:.3g}\n(a Poisson number of Gamma amounts: "
                  f"λ = μ^(2−p)/(φ(2−p)) = {count_rate:.3g} amounts on average, each with shape "
                  f"(2−p)/(p−1) = {(2 - shown.power) / (shown.power - 1):.3g})", "good")


def tweedie_explorer(power=1.5, mean=1.0, dispersion=1.0) -> TweedieExplorer:
    """Slide the Tweedie power p and the mean μ: a point mass at zero and a density above.

    With 1 < p < 2 the Tweedie law is a Poisson number N of Gamma amounts (N = 0 gives
    y = 0): P(y = 0) = exp(−λ), λ = μ^{2−p}/(φ(2 − p)), drawn as a bar; for y > 0 the
    density f(y) (``Tweedie(p).loglik_obs``, Dunn & Smyth's series) is drawn as a
    curve whose area is 1 − P(y = 0). Var(y) = φ·μ^p.

    Args:
        power: where the p slider (1.01 to 1.99) starts.
        mean: where the μ slider (0.1 to 10) starts.
        dispersion: φ, fixed.

    Returns:
        A :class:`TweedieExplorer`; ``.result`` is a :class:`TweedieState`.

    Example:
        >>> tweedie_explorer(power=1.3, mean=2.0)  # doctest: +SKIP

    Introduced in 11_positive_responses.
    """
    return TweedieExplorer(power, mean, dispersion)


class PenaltyExplorer(Explorer):
    """Coefficient paths of a penalised GLM with the current penalty marked.

    Built by :func:`penalty_explorer`; ``.result`` is the FitResult at the
    slider's penalty, ``.path`` the :class:`glmlesson.penalized.PenaltyPath`.
    """

    kind = "penalty"
    path: Any  # the PenaltyPath
    slopes: list  # the columns drawn (every column but the intercept)
    marker: Any  # the current penalty on the paths
    dots: Any  # the current fit's slopes
    point: Any  # the current fit's deviance
    fits: dict  # penalty → FitResult

    def __init__(self, X, y, family, l1_ratio):
        from glmlesson.fitting import penalty_path

        self.fit_arguments = (X, y, family, float(l1_ratio))
        self.path = penalty_path(X, y, family, l1_ratio=l1_ratio, n_penalties=60)
        design = np.asarray(X, dtype=float)
        self.slopes = [j for j in range(design.shape[1]) if not np.all(design[:, j] == 1.0)]
        names = self.path.names or [f"x{j}" for j in range(design.shape[1])]
        self.names = [str(names[j]) for j in self.slopes]
        log_penalties = np.log10(self.path.penalties)
        self.live = LiveFigure(self.draw, ncols=2, figsize=(10.5, 4.0),
                               gridspec_kw={"width_ratios": [3, 2]})
        ax_paths, ax_deviance = self.live.axes
        self.status = _status_line()
        for k, j in enumerate(self.slopes):
            ax_paths.plot(log_penalties, self.path.coefs[:, j], color=f"C{k % 10}", lw=1.6,
                          label=self.names[k])
        ax_paths.axhline(0.0, color="0.6", lw=0.8)
        ax_paths.set(xlabel="log₁₀ penalty λ", ylabel="coefficient β̂ⱼ(λ)",
                     title=f"paths (l1_ratio = {float(l1_ratio):g})")
        ax_paths.invert_xaxis()  # strong penalty on the left, as glmnet draws it
        if len(self.slopes) <= 10:
            ax_paths.legend(loc="best", fontsize=8)
        self.marker = ax_paths.axvline(log_penalties[0], color="k", lw=1.2, animated=True)
        (self.dots,) = ax_paths.plot([], [], "o", color="k", ms=4, animated=True)
        ax_deviance.plot(log_penalties, self.path.deviances, color="0.3", lw=1.6)
        ax_deviance.invert_xaxis()
        ax_deviance.set(xlabel="log₁₀ penalty λ", ylabel="deviance D(β̂(λ))", title="fit")
        (self.point,) = ax_deviance.plot([], [], "o", color="C3", ms=7, animated=True)
        self.fits: dict = {}
        middle = float(self.path.penalties[len(self.path.penalties) // 4])  # a sparse fit
        slider = _log_slider(middle, self.path.penalties[-1], self.path.penalties[0],
                             "penalty λ (log scale)")
        self._show({"penalty": slider})

    def draw(self, axes, penalty) -> None:
        X, y, family, l1_ratio = self.fit_arguments
        result = _remember(self.fits, float(penalty), lambda: _fit_quietly(
            X, y, family, penalty=float(penalty), l1_ratio=l1_ratio)[0])
        self.result = result
        where = np.log10(float(penalty))
        self.marker.set_xdata([where, where])
        slopes = result.coef[self.slopes]
        self.dots.set_data(np.full(slopes.size, where), slopes)
        self.point.set_data([where], [result.deviance])
        kept = int(np.sum(slopes != 0))
        self._say(f"λ = {float(penalty):.3g}: {kept} of {slopes.size} slopes are not zero; "
                  f"deviance {result.deviance:.4g} (fit: {result.fate})",
                  "good" if result.fate == "converged" else "bad")


def _log_slider(value, low, high, description):
    import ipywidgets

    return ipywidgets.FloatLogSlider(
        value=value, base=10, min=np.log10(low), max=np.log10(high),
        step=(np.log10(high) - np.log10(low)) / 100, readout_format=".3g",
        description=description, style=_STYLE, layout=_WIDE)


def penalty_explorer(X, y, family, l1_ratio=1.0) -> PenaltyExplorer:
    """Slide the penalty λ of an elastic-net GLM along its coefficient paths.

    The paths β̂ⱼ(λ) come from :func:`glmlesson.penalty_path` (60 penalties from
    λ_max, where every slope is 0, down to 10⁻⁴·λ_max); the slider (log scale)
    marks the current λ and fits ``fit(X, y, family, penalty=λ, l1_ratio=a)``,
    which minimises D(β)/(2·Σw) + λ·(a·Σ|βⱼ| + (1 − a)/2·Σβⱼ²), showing its
    coefficients on the paths and its deviance on the deviance curve.

    Args:
        X, y, family: as for :func:`glmlesson.fit` (X with an all-ones intercept
            column, which is not penalised and not drawn).
        l1_ratio: a: 1 is the lasso, 0 ridge, between them the elastic net.

    Returns:
        A :class:`PenaltyExplorer`; ``.result`` is the FitResult at the slider's λ,
        ``.path`` the PenaltyPath.

    Example:
        >>> penalty_explorer(X, y, "bernoulli", l1_ratio=1.0)  # doctest: +SKIP

    Introduced in 12_regularised_glms.
    """
    return PenaltyExplorer(X, y, family, l1_ratio)
