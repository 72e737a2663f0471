"""Cumulative link models for ordered outcomes (proportional odds and its relatives).

An ordered response y ∈ {0, 1, …, K−1} is modelled through its cumulative
probabilities

    P(y ≤ j | x) = g⁻¹(θⱼ − xᵀβ),      j = 0, …, K−2,      θ₀ < θ₁ < … < θ_{K−2},

so P(y = j | x) = F(θⱼ − xᵀβ) − F(θⱼ₋₁ − xᵀβ) with F = g⁻¹, θ₋₁ = −∞ and
θ_{K−1} = +∞. One β serves every cut-point: with the logit link this is the
proportional-odds model (the odds of y ≤ j change by the same factor e^{−βₖ} for
every j). X has no intercept column: the thresholds θ play its role. The sign
follows R's ``MASS::polr``: a positive βₖ moves probability towards the high
categories.

``fit_ordinal`` maximises the log-likelihood ℓ(β, θ) = Σᵢ wᵢ log P(y = yᵢ | xᵢ) by
Newton's method with the exact (observed) Hessian, halving steps that do not raise
ℓ or that would put the thresholds out of order; ``bse`` comes from the inverse of
the observed information, as polr's ``vcov``.

Introduced in 14_tables_and_ordered_outcomes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from glmlesson.fitting import ConvergenceWarning
from glmlesson.links import get_link

__all__ = ["OrdinalResult", "fit_ordinal", "ORDINAL_LINKS"]

# The survival function S(z) = 1 − F(z) (for accurate upper-tail probabilities) and
# the derivative of the density f'(z) (for the exact Hessian), per link; F = g⁻¹ and
# f = dμ/dη come from glmlesson.links.
_SURVIVAL = {
    "logit": lambda z: special.expit(-z),
    "probit": lambda z: special.ndtr(-z),
    "cloglog": lambda z: np.exp(-np.exp(np.minimum(z, 700.0))),
}
_DENSITY_SLOPE = {
    "logit": lambda z, f: f * (1.0 - 2.0 * special.expit(z)),
    "probit": lambda z, f: -z * f,
    "cloglog": lambda z, f: f * (1.0 - np.exp(np.minimum(z, 700.0))),
}
ORDINAL_LINKS = tuple(_SURVIVAL)


@dataclass
class OrdinalResult:
    """A fitted cumulative link model P(y ≤ j | x) = g⁻¹(θⱼ − xᵀβ).

    Attributes:
        coef: β, one per column of X (positive: higher categories more likely).
        thresholds: θ₀ < … < θ_{K−2}, the cut-points on the latent scale.
        bse: standard errors, β first, then θ (polr's ``vcov`` order).
        loglik: the maximised log-likelihood Σ wᵢ log P(y = yᵢ | xᵢ).
        cov: the covariance matrix of (β, θ), the inverse observed information.
        link: the link's name.
        n_categories: K.
        n_iter, converged: Newton iterations used and whether ℓ settled.

    Introduced in 14_tables_and_ordered_outcomes.
    """

    coef: np.ndarray
    thresholds: np.ndarray
    bse: np.ndarray
    loglik: float
    cov: np.ndarray = field(repr=False)
    link: str
    n_categories: int
    n_iter: int
    converged: bool

    def predict_proba(self, X) -> np.ndarray:
        """P(y = j | x) for each row of X: an (n, K) array whose rows sum to 1."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef.size:
            raise ValueError(
                f"X must have shape (n, {self.coef.size}) like the X that was fitted, "
                f"got {X.shape}"
            )
        cuts = self.thresholds[None, :] - (X @ self.coef)[:, None]
        cumulative = get_link(self.link).g_inv(cuts)
        ones = np.ones((X.shape[0], 1))
        return np.diff(np.hstack([0.0 * ones, cumulative, ones]), axis=1)

    def __repr__(self) -> str:
        beta = ", ".join(f"{b:.4f}" for b in self.coef)
        theta = ", ".join(f"{t:.4f}" for t in self.thresholds)
        return (
            f"OrdinalResult(link={self.link!r}, K={self.n_categories}, coef=[{beta}], "
            f"thresholds=[{theta}], loglik={self.loglik:.4f}, converged={self.converged})"
        )


def fit_ordinal(X, y, link="logit", weights=None, max_iter=100, tol=1e-10) -> OrdinalResult:
    """Fit the cumulative link model P(y ≤ j | x) = g⁻¹(θⱼ − xᵀβ) by maximum likelihood.

    Args:
        X: (n, p) covariates WITHOUT an intercept column (the thresholds are the
            intercepts), as in ``MASS::polr``.
        y: n category codes 0, 1, …, K−1 (K ≥ 2, every category observed).
        link: ``"logit"`` (proportional odds), ``"probit"`` or ``"cloglog"``.
        weights: optional frequency weights (e.g. the count of each row in a table),
            as polr's ``weights``.
        max_iter: Newton iterations allowed.
        tol: stop when the largest change in (β, θ) is ≤ tol·(1 + |value|).

    Returns:
        An :class:`OrdinalResult` with ``coef`` (β), ``thresholds`` (θ), ``bse`` (β
        first, then θ) and ``loglik``.

    Raises:
        ValueError: X not 2-D, non-finite, with a constant (intercept) column or
            rank-deficient; y not whole numbers 0…K−1, with fewer than two categories
            or a category never observed; weights negative or of the wrong length;
            an unsupported link.

    Warns:
        ConvergenceWarning: Newton's method did not settle within ``max_iter``.

    Introduced in 14_tables_and_ordered_outcomes.
    """
    X, codes, weights, link = _check_input(X, y, weights, link)
    n_categories = int(codes.max()) + 1
    p = X.shape[1]
    upper, lower = _cut_designs(X, codes, n_categories)
    params = _start(codes, weights, n_categories, p, link)
    loglik, gradient, hessian = _derivatives(params, upper, lower, codes, weights, link)
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (n_iter is reported)
        step = _newton_direction(hessian, gradient)
        params, loglik, ok = _line_search(params, step, loglik, upper, lower, codes, weights,
                                          link, p)
        loglik, gradient, hessian = _derivatives(params, upper, lower, codes, weights, link)
        small = np.max(np.abs(step) / (1.0 + np.abs(params))) <= tol
        if small or not ok:
            converged = small or np.max(np.abs(gradient)) < 1e-8 * (1.0 + abs(loglik))
            break
    if not converged:
        warnings.warn(
            f"fit_ordinal: Newton's method did not settle within {max_iter} iterations; "
            "check for a category that a covariate separates perfectly, or raise max_iter",
            ConvergenceWarning,
            stacklevel=2,
        )
    cov = _inverse_information(-hessian)
    return OrdinalResult(
        coef=params[:p].copy(),
        thresholds=params[p:].copy(),
        bse=np.sqrt(np.diag(cov)),
        loglik=float(loglik),
        cov=cov,
        link=link,
        n_categories=n_categories,
        n_iter=n_iter,
        converged=bool(converged),
    )


def _check_input(X, y, weights, link):
    """Validate and convert the inputs; raise ValueError saying what is wrong."""
    if not isinstance(link, str) or link.lower() not in _SURVIVAL:
        raise ValueError(
            f"fit_ordinal supports the links {', '.join(map(repr, ORDINAL_LINKS))}, "
            f"got {link!r}"
        )
    link = link.lower()
    try:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"X and y must be numeric arrays: {error}") from None
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] == 0:
        raise ValueError(f"X must be a 2-D array (n rows, p ≥ 1 columns), got shape {X.shape}")
    if y.ndim != 1 or y.size != X.shape[0]:
        raise ValueError(
            f"y must be 1-D with one code per row of X: y has shape {y.shape}, "
            f"X has {X.shape[0]} rows"
        )
    for name, values in (("X", X), ("y", y)):
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} has non-finite values (NaN or inf); remove those rows")
    constant = np.flatnonzero(np.ptp(X, axis=0) == 0.0)
    if constant.size:
        raise ValueError(
            f"column {int(constant[0])} of X is constant (an intercept?); a cumulative link "
            "model has no intercept column: the thresholds θ play its role, so drop it"
        )
    if np.any(y != np.round(y)) or np.any(y < 0):
        raise ValueError(
            "y must hold category codes 0, 1, …, K−1 (whole numbers ≥ 0); "
            "recode ordered labels, e.g. low/medium/high as 0/1/2"
        )
    codes = y.astype(np.int64)
    counts = np.bincount(codes)
    if counts.size < 2:
        raise ValueError("y has a single category; an ordinal model needs at least two")
    if weights is None:
        weights = np.ones(codes.size)
    else:
        weights = np.asarray(weights, dtype=float)
        if weights.shape != codes.shape or not np.all(np.isfinite(weights)) or np.any(
            weights < 0
        ):
            raise ValueError(
                f"weights must be {codes.size} finite numbers ≥ 0 (one per row), "
                f"got shape {weights.shape}"
            )
    observed = np.bincount(codes, weights=weights, minlength=counts.size)
    missing = np.flatnonzero(observed == 0)
    if missing.size:
        raise ValueError(
            f"category {int(missing[0])} of 0…{counts.size - 1} is never observed "
            "(its threshold cannot be estimated); merge it with a neighbour or recode y "
            "to consecutive codes"
        )
    used = weights > 0
    if np.linalg.matrix_rank(X[used] - X[used].mean(axis=0)) < X.shape[1]:
        raise ValueError(
            "X is rank-deficient (some column is a combination of the others, or of the "
            "thresholds' constant); drop the redundant column"
        )
    return X, codes, weights, link


def _cut_designs(X, codes, n_categories):
    """Rows c with c·(β, θ) = θ_y − xᵀβ (upper cut) and θ_{y−1} − xᵀβ (lower cut).

    A row of zeros marks an infinite cut (θ_{K−1} = +∞ above, θ₋₁ = −∞ below).
    """
    n, p = X.shape
    upper = np.zeros((n, p + n_categories - 1))
    lower = np.zeros_like(upper)
    has_upper = codes < n_categories - 1
    has_lower = codes > 0
    upper[has_upper, :p] = -X[has_upper]
    upper[has_upper, p + codes[has_upper]] = 1.0
    lower[has_lower, :p] = -X[has_lower]
    lower[has_lower, p + codes[has_lower] - 1] = 1.0
    return upper, lower


def _start(codes, weights, n_categories, p, link):
    """β = 0 and θⱼ = g(observed proportion of y ≤ j)."""
    proportions = np.bincount(codes, weights=weights, minlength=n_categories) / weights.sum()
    cumulative = np.cumsum(proportions)[:-1]
    return np.concatenate([np.zeros(p), get_link(link).g(cumulative)])


def _derivatives(params, upper, lower, codes, weights, link):
    """ℓ, its gradient and its Hessian at (β, θ)."""
    has_upper = codes < codes.max()  # every category is observed, so K − 1 = max(y)
    has_lower = codes > 0
    a = np.where(has_upper, upper @ params, np.inf)
    b = np.where(has_lower, lower @ params, -np.inf)
    inverse = get_link(link)
    finite_a, finite_b = np.where(has_upper, a, 0.0), np.where(has_lower, b, 0.0)
    survival = _SURVIVAL[link]
    # P = F(a) − F(b), computed as S(b) − S(a) in the upper tail to keep its digits
    in_upper_tail = b > 0.0
    cdf_gap = np.where(has_upper, inverse.g_inv(finite_a), 1.0) - np.where(
        has_lower, inverse.g_inv(finite_b), 0.0
    )
    survival_gap = np.where(has_lower, survival(finite_b), 1.0) - np.where(
        has_upper, survival(finite_a), 0.0
    )
    prob = np.where(in_upper_tail, survival_gap, cdf_gap)
    if np.any(prob <= 0.0):
        return -np.inf, None, None
    density_a = np.where(has_upper, inverse.mu_eta(finite_a), 0.0)
    density_b = np.where(has_lower, inverse.mu_eta(finite_b), 0.0)
    slope_a = np.where(has_upper, _DENSITY_SLOPE[link](finite_a, density_a), 0.0)
    slope_b = np.where(has_lower, _DENSITY_SLOPE[link](finite_b, density_b), 0.0)
    loglik = float(weights @ np.log(prob))
    per_row = (density_a[:, None] * upper - density_b[:, None] * lower) / prob[:, None]
    gradient = per_row.T @ weights
    hessian = (
        upper.T @ (upper * (weights * slope_a / prob)[:, None])
        - lower.T @ (lower * (weights * slope_b / prob)[:, None])
        - per_row.T @ (per_row * weights[:, None])
    )
    return loglik, gradient, hessian


def _newton_direction(hessian, gradient):
    """Solve (−H) step = gradient; fall back to a gradient step if −H is not positive."""
    try:
        factor = np.linalg.cholesky(-hessian)
    except np.linalg.LinAlgError:
        return gradient / max(1.0, float(np.max(np.abs(gradient))))
    return np.linalg.solve(factor.T, np.linalg.solve(factor, gradient))


def _line_search(params, step, loglik, upper, lower, codes, weights, link, p):
    """Take the largest of step, step/2, step/4, … that keeps θ increasing and does not
    lower ℓ. Returns (params, ℓ, whether a step was taken)."""
    for _ in range(40):
        candidate = params + step
        if np.all(np.diff(candidate[p:]) > 0.0):
            value = _derivatives(candidate, upper, lower, codes, weights, link)[0]
            if value >= loglik - 1e-12 * (1.0 + abs(loglik)):
                return candidate, value, True
        step = step / 2.0
    return params, loglik, False


def _inverse_information(information):
    """Covariance = (observed information)⁻¹ (a pseudo-inverse if it is singular)."""
    try:
        return np.linalg.inv(information)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(information)
