"""Generalized estimating equations (GEE) for clustered data.

Rows come in groups (clusters: the repeated measurements of one patient, the
periods of one herd). A GLM's mean model g(μᵢⱼ) = xᵢⱼᵀβ is kept, but the rows of a
group are no longer taken as independent. GEE solves the estimating equations

    U(β) = Σᵢ Dᵢᵀ Vᵢ⁻¹ (yᵢ − μᵢ) = 0,     Dᵢ = ∂μᵢ/∂β = diag(dμ/dη) Xᵢ,
    Vᵢ = Aᵢ^{1/2} R(α) Aᵢ^{1/2},           Aᵢ = diag V(μᵢⱼ),

with a *working* correlation R(α) among the rows of a group: "independence"
(R = I, the GLM's own equations), "exchangeable" (every pair correlated α) or
"ar1" (rows j and k correlated α^|j−k|, in the order the rows of the group appear).
β is population-averaged: it describes the mean over all groups. Even when R is
wrong, β̂ is consistent and the sandwich ("robust") covariance

    B⁻¹ M B⁻¹,   B = Σᵢ Dᵢᵀ Vᵢ⁻¹ Dᵢ,   M = Σᵢ Dᵢᵀ Vᵢ⁻¹ rᵢ rᵢᵀ Vᵢ⁻¹ Dᵢ,   rᵢ = yᵢ − μᵢ,

gives honest standard errors; the "naive" (model-based) covariance is φ·B⁻¹.

Defaults follow statsmodels' ``GEE``: start from the GLM fit, then alternate a
Fisher-scoring step for β with moment estimates from the Pearson residuals
eᵢⱼ = (yᵢⱼ − μᵢⱼ)/√V(μᵢⱼ) (N rows, p columns of X):

    φ = Σ e² / (N − p)                                   (1 for Bernoulli, Poisson,
                                                          negative binomial)
    exchangeable: α = Σᵢ Σ_{j<k} eᵢⱼ eᵢₖ / φ / (Σᵢ nᵢ(nᵢ−1)/2 − p)
    ar1:          α = Σᵢ [Σⱼ eᵢⱼ eᵢ,ⱼ₊₁/(nᵢ−1)] / Σᵢ [Σⱼ eᵢⱼ²/nᵢ]     (groups with nᵢ > 1)

(the AR(1) estimate is statsmodels' ``Autoregressive(grid=True)``, the default
statsmodels announces for future versions).

Introduced in 13_correlated_data.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from glmlesson.families import get_family
from glmlesson.fitting import ConvergenceWarning, fit
from glmlesson.links import get_link

__all__ = ["GEEResult", "fit_gee", "group_codes", "working_correlation", "CORRELATIONS"]

CORRELATIONS = ("independence", "exchangeable", "ar1")
# Families whose dispersion φ is 1 by definition (statsmodels' GEE does not estimate it).
_FIXED_SCALE = ("Bernoulli", "Poisson", "NegativeBinomial")
_GEE_FAMILIES = ("Normal", "Bernoulli", "Poisson", "Gamma", "NegativeBinomial")


@dataclass
class GEEResult:
    """A fitted GEE model.

    Attributes:
        coef: β̂, population-averaged coefficients (one per column of X).
        bse: robust (sandwich) standard errors, √diag(B⁻¹ M B⁻¹).
        bse_naive: model-based standard errors, √diag(φ B⁻¹), right only if the
            working correlation is.
        correlation_param: α̂ of the working correlation (0 for "independence").
        scale: φ̂ (1 for Bernoulli, Poisson and negative binomial).
        cov_robust, cov_naive: the two covariance matrices.
        correlation: the working correlation's name.
        family, link: names.
        n_groups: number of groups; n_iter, converged: iterations and whether β settled.

    Introduced in 13_correlated_data.
    """

    coef: np.ndarray
    bse: np.ndarray
    bse_naive: np.ndarray
    correlation_param: float
    scale: float
    cov_robust: np.ndarray = field(repr=False)
    cov_naive: np.ndarray = field(repr=False)
    correlation: str
    family: str
    link: str
    n_groups: int
    n_iter: int
    converged: bool

    def __repr__(self) -> str:
        coef = ", ".join(f"{b:.4f}" for b in self.coef)
        return (
            f"GEEResult({self.family}, link={self.link!r}, correlation={self.correlation!r}, "
            f"coef=[{coef}], correlation_param={self.correlation_param:.4f}, "
            f"scale={self.scale:.4f}, n_groups={self.n_groups}, converged={self.converged})"
        )


def group_codes(groups, n_rows) -> tuple[np.ndarray, np.ndarray]:
    """Check a group label per row and return (sorted distinct labels, code per row).

    ``codes[i]`` is the position of row i's label in ``labels``.

    Raises:
        ValueError: groups not 1-D, of the wrong length, with missing values, or
            with fewer than two distinct labels.

    Introduced in 13_correlated_data.
    """
    groups = np.asarray(groups)
    if groups.ndim != 1 or groups.size != n_rows:
        raise ValueError(
            f"groups must give one label per row of X ({n_rows} rows), got shape "
            f"{groups.shape}"
        )
    if groups.dtype.kind == "f" and not np.all(np.isfinite(groups)):
        raise ValueError("groups has missing (NaN) labels; every row needs its group")
    if groups.dtype.kind == "O" and any(g is None for g in groups):
        raise ValueError("groups has missing (None) labels; every row needs its group")
    labels, codes = np.unique(groups, return_inverse=True)
    if labels.size < 2:
        raise ValueError(
            "groups has a single group: there is nothing to compare the groups with; "
            "a model for clustered data needs at least two groups (for one group, use fit)"
        )
    return labels, codes.reshape(-1)


def fit_gee(X, y, family, groups, link=None, correlation="exchangeable", max_iter=100,
            tol=1e-10) -> GEEResult:
    """Fit a GLM mean model to clustered data by generalized estimating equations.

    Args:
        X: (n, p) design matrix (include a column of ones for an intercept).
        y: n responses, in the family's support.
        family: a family instance or name: Normal, Bernoulli, Poisson, Gamma,
            or NegativeBinomial.
        groups: n group labels (numbers or strings). Within a group the rows are
            taken in the order they appear: that order is the time order AR(1) uses.
        link: a link or its name; None is the family's canonical link.
        correlation: the working correlation, "independence", "exchangeable" or "ar1".
        max_iter: iterations of (Fisher-scoring step for β, moment update of α).
        tol: stop when every |Δβⱼ| ≤ tol·(1 + |βⱼ|).

    Returns:
        A :class:`GEEResult` (``coef``, ``bse`` robust, ``bse_naive``,
        ``correlation_param``, ``scale``).

    Raises:
        ValueError: unknown correlation, a family GEE does not handle here, groups of
            the wrong length or a single group, no group with two or more rows for a
            correlation that needs pairs, and every error of :func:`glmlesson.fit`
            (bad X or y, a link the family cannot use).

    Warns:
        ConvergenceWarning: β did not settle within ``max_iter`` iterations.

    Introduced in 13_correlated_data.
    """
    if not isinstance(max_iter, int | np.integer) or max_iter < 1:
        raise ValueError(f"max_iter must be a whole number ≥ 1, got {max_iter!r}")
    if correlation not in CORRELATIONS:
        raise ValueError(
            f"unknown correlation {correlation!r}: use one of "
            f"{', '.join(map(repr, CORRELATIONS))}"
        )
    family = get_family(family)
    if family.name not in _GEE_FAMILIES:
        raise ValueError(
            f"fit_gee handles the families {', '.join(_GEE_FAMILIES)}, not {family.name}; "
            "for counts of successes out of trials, give one Bernoulli row per trial"
        )
    n_rows = np.shape(X)[0] if np.ndim(X) >= 1 else 0
    _, codes = group_codes(groups, n_rows)
    sizes = np.bincount(codes)
    if correlation != "independence" and np.all(sizes < 2):
        raise ValueError(
            f"every group has a single row, so a {correlation} correlation has no pairs to "
            "be estimated from; check groups, or use correlation='independence'"
        )
    start = fit(X, y, family, link=link)  # validates X, y and the link
    link = get_link(link if link is not None else family.canonical_link)
    X = np.asarray(X, dtype=float)
    y = family.validate(y)
    # rows of each group, in their original order
    members = np.split(np.argsort(codes, kind="stable"), np.cumsum(sizes)[:-1])
    beta = np.array(start.coef, dtype=float)
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (n_iter is reported)
        mu, mu_eta = _mean(X, beta, link)
        alpha = _correlation_param(y, mu, family, members, correlation, X.shape[1])
        bread, score, _ = _estimating_equations(X, y, mu, mu_eta, family, members,
                                                correlation, alpha)
        step = np.linalg.solve(bread, score)
        beta = beta + step
        if np.all(np.abs(step) <= tol * (1.0 + np.abs(beta))):
            converged = True
            break
    if not converged:
        warnings.warn(
            f"fit_gee: the coefficients did not settle within {max_iter} iterations; "
            "raise max_iter, or check the working correlation (α near ±1)",
            ConvergenceWarning,
            stacklevel=2,
        )
    mu, mu_eta = _mean(X, beta, link)
    bread, _, meat = _estimating_equations(X, y, mu, mu_eta, family, members, correlation,
                                           alpha)
    scale = _scale(y, mu, family, X.shape[1])
    bread_inverse = np.linalg.inv(bread)
    cov_robust = bread_inverse @ meat @ bread_inverse
    cov_naive = scale * bread_inverse
    return GEEResult(
        coef=beta,
        bse=np.sqrt(np.diag(cov_robust)),
        bse_naive=np.sqrt(np.diag(cov_naive)),
        correlation_param=float(alpha),
        scale=float(scale),
        cov_robust=cov_robust,
        cov_naive=cov_naive,
        correlation=correlation,
        family=family.name,
        link=link.name,
        n_groups=len(members),
        n_iter=n_iter,
        converged=converged,
    )


def _mean(X, beta, link):
    eta = X @ beta
    return link.g_inv(eta), link.mu_eta(eta)


def _pearson(y, mu, family):
    """Pearson residuals e = (y − μ)/√V(μ)."""
    return (y - mu) / np.sqrt(family.variance(mu))


def _scale(y, mu, family, n_params):
    """φ̂ = Σ e²/(N − p), or 1 for families whose dispersion is fixed."""
    if family.name in _FIXED_SCALE:
        return 1.0
    return float(np.sum(_pearson(y, mu, family) ** 2) / (y.size - n_params))


def _correlation_param(y, mu, family, members, correlation, n_params):
    """The moment estimate of α from the Pearson residuals (statsmodels' estimators)."""
    if correlation == "independence":
        return 0.0
    resid = _pearson(y, mu, family)
    if correlation == "exchangeable":
        scale = np.sum(resid**2) / (y.size - n_params)
        pair_sum = sum((resid[rows].sum() ** 2 - np.sum(resid[rows] ** 2)) / 2 for rows in members)
        n_pairs = sum(rows.size * (rows.size - 1) / 2 for rows in members)
        return float(pair_sum / scale / (n_pairs - n_params))
    lag1 = sum(np.dot(resid[rows][:-1], resid[rows][1:]) / (rows.size - 1)
               for rows in members if rows.size > 1)
    lag0 = sum(np.sum(resid[rows] ** 2) / rows.size for rows in members if rows.size > 1)
    return float(lag1 / lag0)


def working_correlation(size, alpha, correlation) -> np.ndarray:
    """R(α) for a group of ``size`` rows: I, exchangeable (1 on the diagonal, α off it)
    or AR(1) (α^|j−k|).

    Introduced in 13_correlated_data.
    """
    if correlation == "independence":
        return np.eye(size)
    if correlation == "exchangeable":
        return (1.0 - alpha) * np.eye(size) + alpha
    lags = np.abs(np.subtract.outer(np.arange(size), np.arange(size)))
    return alpha**lags


def _estimating_equations(X, y, mu, mu_eta, family, members, correlation, alpha):
    """B = Σ DᵢᵀVᵢ⁻¹Dᵢ, U = Σ DᵢᵀVᵢ⁻¹rᵢ and M = Σ (DᵢᵀVᵢ⁻¹rᵢ)(DᵢᵀVᵢ⁻¹rᵢ)ᵀ."""
    n_params = X.shape[1]
    bread = np.zeros((n_params, n_params))
    meat = np.zeros((n_params, n_params))
    score = np.zeros(n_params)
    sd = np.sqrt(family.variance(mu))
    for rows in members:
        # Vᵢ⁻¹ = A^{-1/2} R⁻¹ A^{-1/2}: scale D and r by 1/sd, then solve with R.
        d_scaled = X[rows] * (mu_eta[rows] / sd[rows])[:, None]
        r_scaled = (y[rows] - mu[rows]) / sd[rows]
        solved = np.linalg.solve(
            working_correlation(rows.size, alpha, correlation),
            np.column_stack([d_scaled, r_scaled]),
        )
        bread += d_scaled.T @ solved[:, :-1]
        contribution = d_scaled.T @ solved[:, -1]
        score += contribution
        meat += np.outer(contribution, contribution)
    return bread, score, meat
