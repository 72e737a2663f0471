"""Matplotlib helpers for the lessons. Each takes ``ax=None`` and returns the Axes.

When ``ax`` is None a new 6×4 inch figure is made; pass an Axes to draw into
an existing figure (the widgets do this to redraw in place).

Introduced in 04_poisson_regression.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from glmlesson.families import get_family

__all__ = [
    "data_and_mean",
    "mean_curves",
    "loglik_history",
    "distribution",
    "residuals",
]


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    return ax


def data_and_mean(
    x, y, x_grid=None, mean=None, *, ax=None, data_label="data", mean_label="fitted mean",
    xlabel="x", ylabel="y", title=None,
):
    """Scatter the data (x, y) and, if given, draw the fitted mean μ(x) over ``x_grid``.

    Introduced in 04_poisson_regression.
    """
    ax = _axes(ax)
    ax.scatter(x, y, alpha=0.6, label=data_label, color="C0")
    if mean is not None:
        grid = x if x_grid is None else x_grid
        ax.plot(grid, mean, color="C1", lw=2, label=mean_label)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


def mean_curves(x_grid, curves, *, x=None, y=None, ax=None, xlabel="x", ylabel="y", title=None):
    """Draw several fitted means {label: μ(x_grid)} over the data, one colour each.

    Introduced in 06_link_functions.
    """
    ax = _axes(ax)
    if x is not None:
        ax.scatter(x, y, alpha=0.5, color="0.5", label="data")
    for index, (label, mu) in enumerate(curves.items()):
        ax.plot(x_grid, mu, lw=2, color=f"C{index + 1}", label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="best")
    return ax


def loglik_history(history, *, optimum=None, ax=None, label=None,
                   ylabel="average log-likelihood", title=None, logx=False):
    """Plot the objective after each iteration; ``optimum`` draws the best value as a line.

    Introduced in 04_poisson_regression.
    """
    ax = _axes(ax)
    steps = np.arange(1, len(history) + 1)
    ax.plot(steps, history, lw=2, label=label)
    if optimum is not None:
        ax.axhline(optimum, color="k", ls="--", lw=1, label="maximum (IRLS)")
    if logx:
        ax.set_xscale("log")
    ax.set(xlabel="iteration", ylabel=ylabel)
    if title:
        ax.set_title(title)
    if label is not None or optimum is not None:
        ax.legend(loc="lower right")
    return ax


def distribution(family, theta, *, ax=None, scale=1.0, support=None, title=None):
    """Draw p(y | θ) in exponential-family form, marking μ = A'(θ) and μ ± √Var(y).

    For discrete families bars over ``support`` (default: 0 … a high quantile);
    for continuous ones a curve. ``scale`` is φ (Normal variance, Gamma 1/shape).

    Introduced in 02_exponential_family.
    """
    family = get_family(family)
    ax = _axes(ax)
    mu = float(np.ravel(family.mean(theta))[0])
    trials = getattr(family, "trials", 1)
    mean_y = mu * trials
    sd = float(np.sqrt(scale * family.variance(mu) * trials))
    if support is None:
        if family.is_discrete:
            support = np.arange(0, int(max(mean_y + 4 * sd, trials if trials > 1 else 1)) + 1)
        else:
            low = mean_y - 4 * sd if family.name == "Normal" else 1e-6
            support = np.linspace(low, mean_y + 4 * sd, 400)
    y = np.asarray(support, dtype=float)
    density = np.exp(family.loglik_obs(y, np.full_like(y, mu), scale))
    if family.is_discrete:
        ax.bar(y, density, width=0.8, color="C0", alpha=0.7, label="p(y)")
    else:
        ax.plot(y, density, color="C0", lw=2, label="p(y)")
    ax.axvline(mean_y, color="C1", lw=2, label=f"mean {mean_y:.3g}")
    ax.axvspan(mean_y - sd, mean_y + sd, color="C1", alpha=0.15, label=f"± sd {sd:.3g}")
    ax.set(xlabel="y", ylabel="probability" if family.is_discrete else "density")
    ax.set_title(title or f"{family.description()}, θ = {float(np.ravel(theta)[0]):.3g}")
    ax.legend(loc="upper right")
    return ax


def residuals(fitted, resid, *, ax=None, kind="Pearson", title=None):
    """Residuals against fitted means with a zero line and ±2 guides.

    Introduced in 09_offsets_and_model_checking.
    """
    ax = _axes(ax)
    ax.scatter(fitted, resid, alpha=0.6, color="C0")
    ax.axhline(0.0, color="k", lw=1)
    for level in (-2.0, 2.0):
        ax.axhline(level, color="0.6", lw=1, ls="--")
    ax.set(xlabel="fitted mean μ̂", ylabel=f"{kind} residual")
    if title:
        ax.set_title(title)
    return ax
