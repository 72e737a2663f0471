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
    "distribution_moments",
    "distribution_support",
    "residuals",
    "variance_vs_mean",
    "profile_loglik",
    "class_probabilities",
    "loglik_grid",
    "loglik_contours",
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


def distribution_moments(family, theta, scale=1.0):
    """E[y] = A'(θ) and sd(y) = √(φ·A''(θ)) for one θ, as two floats.

    A'(θ) is ``family.mean(theta)`` times the trials of a Binomial (its μ is the
    success probability); A''(θ) is V(μ) times the trials. ``scale`` is φ.

    Introduced in 02_exponential_family.
    """
    family = get_family(family)
    mu = float(np.ravel(family.mean(theta))[0])
    trials = getattr(family, "trials", 1)
    return mu * trials, float(np.sqrt(scale * family.variance(mu) * trials))


def distribution_support(family, mean_y, sd):
    """Points where p(y) is worth drawing: 0 … mean + 4 sd for a discrete family
    (at least 0 … trials for a Binomial), a 400-point grid for a continuous one.

    Introduced in 02_exponential_family.
    """
    family = get_family(family)
    trials = getattr(family, "trials", 1)
    if family.is_discrete:
        return np.arange(0, int(max(mean_y + 4 * sd, trials if trials > 1 else 1)) + 1)
    low = max(mean_y - 4 * sd, family.mean_range[0] + 1e-6)  # positive families start above 0
    return np.linspace(low, mean_y + 4 * sd, 400)


def distribution(family, theta, *, ax=None, scale=1.0, support=None, title=None):
    """Draw p(y | θ) in exponential-family form, marking μ = A'(θ) and μ ± √Var(y).

    For discrete families bars over ``support`` (default: 0 … a high quantile);
    for continuous ones a curve. ``scale`` is φ (Normal variance, Gamma 1/shape).

    Introduced in 02_exponential_family.
    """
    family = get_family(family)
    ax = _axes(ax)
    mean_y, sd = distribution_moments(family, theta, scale)
    if support is None:
        support = distribution_support(family, mean_y, sd)
    y = np.asarray(support, dtype=float)
    mu = float(np.ravel(family.mean(theta))[0])
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


def variance_vs_mean(means, variances, curves=None, *, sizes=None, ax=None, title=None):
    """Sample variance against sample mean of groups of y, with variance functions.

    ``curves`` maps a label to a function V(μ), e.g. ``{"Poisson: var = μ":
    lambda m: m}``; each is drawn over the range of the means. ``sizes`` (group
    sizes) scale the markers.

    Introduced in 08_overdispersion.
    """
    ax = _axes(ax)
    means, variances = np.asarray(means, dtype=float), np.asarray(variances, dtype=float)
    marker_sizes = 30 if sizes is None else 6.0 * np.asarray(sizes, dtype=float)
    ax.scatter(means, variances, s=marker_sizes, color="C0", alpha=0.7, label="groups of y",
               zorder=3)
    grid = np.linspace(0.0, 1.1 * float(np.max(means)), 200)
    for index, (label, function) in enumerate((curves or {}).items()):
        ax.plot(grid, function(grid), lw=2, color=f"C{index + 1}", label=label)
    ax.set(xlabel="mean of y in the group", ylabel="variance of y in the group")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


def profile_loglik(values, logliks, *, best=None, ax=None, xlabel="parameter", logx=False,
                   title=None):
    """The maximised log-likelihood as a function of a fixed parameter (a profile),
    with a vertical line at ``best``.

    Introduced in 08_overdispersion.
    """
    ax = _axes(ax)
    ax.plot(values, logliks, lw=2, color="C0", label="profile log-likelihood")
    if best is not None:
        ax.axvline(best, color="C1", ls="--", lw=1.5, label=f"maximum at {best:.3g}")
    if logx:
        ax.set_xscale("log")
    ax.set(xlabel=xlabel, ylabel="log-likelihood")
    if title:
        ax.set_title(title)
    ax.legend(loc="lower center")
    return ax


def class_probabilities(x_grid, probabilities, class_names, *, x=None, labels=None, ax=None,
                        xlabel="x", title=None):
    """One curve per class of μ_j(x) (an (n, k) array whose rows sum to 1); with ``x``
    and ``labels`` the observations are drawn as ticks above the curves, one row per class.

    Introduced in 10_softmax_regression.
    """
    ax = _axes(ax)
    probabilities = np.asarray(probabilities, dtype=float)
    for j, name in enumerate(class_names):
        ax.plot(x_grid, probabilities[:, j], lw=2, color=f"C{j}", label=f"P({name})")
        if x is not None:
            chosen = np.asarray(labels) == j
            ax.plot(np.asarray(x)[chosen], np.full(chosen.sum(), 1.06 + 0.04 * j), "|",
                    color=f"C{j}", ms=7)
    ax.set(xlabel=xlabel, ylabel="probability", ylim=(-0.02, 1.08 + 0.04 * len(class_names)))
    if title:
        ax.set_title(title)
    ax.legend(loc="center left")
    return ax


def loglik_grid(X, y, family, beta0_values, beta1_values, *, link=None):
    """ℓ(β) = Σ log p(yᵢ | μᵢ), μ = g⁻¹(Xβ), on a grid of the two coefficients of X.

    Returns an array of shape (len(beta1_values), len(beta0_values)) (rows follow β₁,
    as ``contour`` expects); NaN where μ leaves the family's range.

    Introduced in 07_fitting_glms.
    """
    from glmlesson.links import get_link

    family = get_family(family)
    link = family.default_link if link is None else get_link(link)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"loglik_grid needs X with exactly two columns, got shape {X.shape}")
    b0, b1 = np.meshgrid(np.asarray(beta0_values, float), np.asarray(beta1_values, float))
    with np.errstate(all="ignore"):
        eta = X[:, :1, None] * b0[None] + X[:, 1:, None] * b1[None]  # (n, rows, cols)
        mu = link.g_inv(eta)
        low, high = family.mean_range
        valid = np.all((mu >= low) & (mu <= high), axis=0)
        eps = np.finfo(float).eps  # keep μ a rounding error inside a finite edge
        inside = np.clip(mu, low + eps if np.isfinite(low) else None,
                         high - eps if np.isfinite(high) else None)
        per_obs = family.loglik_obs(y[:, None, None], inside)
        grid = np.sum(per_obs, axis=0)
    return np.where(valid & np.isfinite(grid), grid, np.nan)


def loglik_contours(X, y, family, beta0_range, beta1_range, *, link=None, paths=None,
                    n_grid=150, n_levels=14, optimum=None, ax=None, xlabel="β₀",
                    ylabel="β₁", title=None):
    """Contours of the log-likelihood over two coefficients, with optimisation paths.

    ``paths`` maps a label to an array of iterates (k, 2), drawn as a line with dots
    from its first to its last point; ``optimum`` (β̂) is marked with a star. The
    contour levels sit at ℓ_max − d for d spaced geometrically, so the rings near the
    top are as visible as the ones far away.

    Introduced in 07_fitting_glms.
    """
    ax = _axes(ax)
    beta0_values = np.linspace(*beta0_range, n_grid)
    beta1_values = np.linspace(*beta1_range, n_grid)
    grid = loglik_grid(X, y, family, beta0_values, beta1_values, link=link)
    top = float(np.nanmax(grid))
    drops = np.geomspace(0.05, max(float(np.nanmax(top - grid)), 0.1), n_levels)
    levels = np.sort(top - drops)
    ax.contour(beta0_values, beta1_values, grid, levels=levels, cmap="viridis",
               linewidths=1)
    for index, (label, path) in enumerate((paths or {}).items()):
        path = np.asarray(path, dtype=float)
        ax.plot(path[:, 0], path[:, 1], "-o", ms=3, lw=1.5, color=f"C{index + 1}",
                label=f"{label} ({len(path) - 1} steps)")
    if optimum is not None:
        ax.plot(optimum[0], optimum[1], "*", ms=14, color="k", label="maximum β̂")
    ax.set(xlabel=xlabel, ylabel=ylabel, xlim=beta0_range, ylim=beta1_range)
    if title:
        ax.set_title(title)
    if paths or optimum is not None:
        ax.legend(loc="best")
    return ax
