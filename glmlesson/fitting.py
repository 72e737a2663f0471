"""Fitting a GLM: gradient ascent, Newton's method and IRLS (Fisher scoring).

One entry point, :func:`fit`, returns a :class:`FitResult` whose conventions
match R's ``glm``: standard errors from the expected (Fisher) information
times the scale, scale = Pearson χ²/df for the Normal and Gamma (1 otherwise),
and ``loglik`` as R's ``logLik``.

IRLS reads as lesson 07 writes it, one named step per line of the loop in
:func:`iterate`:

1. :func:`working_quantities` — the working response z = η + (y − μ)·dη/dμ and
   the weights W = w·(dμ/dη)²/V(μ) at the current β;
2. a *step rule* — :func:`fisher_scoring_step` (weighted least squares of z on X,
   solved stably by :mod:`glmlesson.least_squares`) or :func:`newton_step`
   (the observed instead of the expected information);
3. :func:`control_step` — damp a step that undoes the last one, halve a step
   that leaves the mean range or raises the deviance;
4. the convergence test — the coefficients stopped moving, max|Δβ| ≤ tol·max|β|
   (or, where no finite maximum exists, the fit says so: :mod:`glmlesson.separation`).

Gradient ascent (lesson 04) is :func:`gradient_ascent`. With ``penalty > 0`` the same
working quantities feed penalised IRLS (coordinate descent, lesson 12) in
:mod:`glmlesson.penalized`; :func:`penalty_path` fits a whole sequence of penalties.

Speed. Two devices make IRLS fast on large data, and nothing else does: the
buffer inside :class:`glmlesson.least_squares.WeightedLeastSquares` (one pass
over the rows per iteration), and :func:`warm_start`, which on n ≥ 200 000 rows
begins the full-data iterations from a fit to 20 000 evenly spaced rows
(measured at n = 10⁶: about half of the full-data iterations saved). Neither
changes the answer: the full-data iterations still run to the same test.

Introduced in 04_poisson_regression (IRLS and Newton in 07_fitting_glms).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from glmlesson import iteration
from glmlesson.families import Family, ScalarFamily, get_family
from glmlesson.iteration import (
    AT_EDGE,
    CLIMBING,
    CONVERGED,
    DIVERGED,
    SEPARATED,
    CollinearityWarning,
    ConvergenceWarning,
    DivergenceWarning,
    IterationState,
    IterativeFit,
    MeanRangeWarning,
    PerfectSeparationWarning,
    relative_change,
)
from glmlesson.least_squares import WeightedLeastSquares, WLSSolution, solve_information
from glmlesson.links import Link
from glmlesson.multinomial import fit_softmax
from glmlesson.penalized import PenaltyPath, check_penalty, penalized_irls, trace_path
from glmlesson.separation import recession_direction
from glmlesson.validation import (
    METHODS,
    as_design,
    check_rank,
    check_settings,
    check_vector,
    check_weights,
)

__all__ = [
    "fit",
    "FitResult",
    "penalty_path",
    "PenaltyPath",
    "PerfectSeparationWarning",
    "DivergenceWarning",
    "ConvergenceWarning",
    "MeanRangeWarning",
    "CollinearityWarning",
    "METHODS",
]

_EPS = np.finfo(float).eps
_MAX_HALVINGS = 40  # halvings to get back inside the mean range (R's glm.fit uses a loop too)
_DEVIANCE_SLACK = 1e-13  # relative rise of the deviance tolerated (rounding) before halving
_MAX_DEVIANCE_HALVINGS = 10
_EDGE_PROXIMITY = 1e-8  # a fitted mean this close to an edge the link reaches only at ±∞
_EDGE_HALVINGS_BEFORE_STOP = 10  # consecutive iterations halved at the range's edge


# --------------------------------------------------------------------------- result
@dataclass
class FitResult(IterativeFit):
    """What :func:`fit` returns.

    Attributes:
        coef: β̂, one entry per column of X.
        bse: standard errors √diag((XᵀWX)⁻¹ · scale), W the Fisher weights.
        deviance: D = Σ wᵢ d(yᵢ, μ̂ᵢ), with the family's unit deviance d.
        loglik: log-likelihood as R's ``logLik`` (for the Normal and Gamma at the
            dispersion R uses).
        scale: φ̂ = Pearson χ²/df_resid for Normal and Gamma, 1 otherwise.
        n_iter: iterations (IRLS/Newton) or steps (gradient) taken.
        converged: the relative change of β fell to ``tol``.
        diverged: gradient ascent blew up and was stopped.
        perfect_separation: a binary fit whose MLE does not exist.
        fate: how the iterations ended, one of :data:`glmlesson.iteration.FATES`.
        history: average log-likelihood (at φ = 1) after each iteration; for a
            penalised fit the penalised objective F(β) it minimises.
        method: "irls", "newton" or "gradient".
        family, link: what was fitted.
        mu: fitted means μ̂ (for Binomial, success probabilities).
        cov: (XᵀWX)⁻¹ · scale, the estimated covariance of β̂.
        df_resid: observations with positive weight minus columns of X.
        names: column names (from a DataFrame's columns), or None.
        penalty, l1_ratio: λ and a of a penalised fit (0 for a plain fit). A penalised
            fit has no Wald standard errors: ``bse`` and ``cov`` are NaN.

    Introduced in 04_poisson_regression (standard errors in 07_fitting_glms).
    """

    coef: np.ndarray
    bse: np.ndarray
    deviance: float
    loglik: float
    scale: float
    n_iter: int
    converged: bool
    diverged: bool
    history: np.ndarray
    method: str
    family: Family
    link: Link
    mu: np.ndarray
    cov: np.ndarray
    df_resid: int
    perfect_separation: bool = False
    fate: str = CONVERGED
    names: list | None = field(default=None, repr=False)
    y: np.ndarray = field(default=None, repr=False)
    offset: np.ndarray = field(default=None, repr=False)
    weights: np.ndarray = field(default=None, repr=False)
    X: np.ndarray = field(default=None, repr=False)
    penalty: float = 0.0
    l1_ratio: float = 0.0

    # -- derived quantities ---------------------------------------------------------
    @property
    def aic(self) -> float:
        """AIC = −2·loglik + 2·(number of coefficients, + 1 when φ is estimated)."""
        n_params = self.coef.size + (1 if self.family.estimates_scale else 0)
        return -2.0 * self.loglik + 2.0 * n_params

    @property
    def null_deviance(self) -> float:
        """Deviance of the model with only an intercept (or only the offset if X has none)."""
        if not hasattr(self, "_null_deviance"):
            self._null_deviance = _null_deviance(self)
        return self._null_deviance

    @property
    def resid_pearson(self) -> np.ndarray:
        """Pearson residuals (y − μ̂)·√(w / V(μ̂)) on the response's μ scale."""
        y_fit, w_fit = _fit_scale_response(self.family, self.y, self.weights)
        return (y_fit - self.mu) * np.sqrt(w_fit / self.family.variance(self.mu))

    @property
    def resid_deviance(self) -> np.ndarray:
        """Deviance residuals sign(y − μ̂)·√(w·d(y, μ̂)); their squares sum to the deviance."""
        y_fit, _ = _fit_scale_response(self.family, self.y, self.weights)
        unit = self.family.unit_deviance(self.y, self.mu)
        return np.sign(y_fit - self.mu) * np.sqrt(np.maximum(self.weights * unit, 0.0))

    def conf_int(self, level: float = 0.95) -> np.ndarray:
        """Wald intervals β̂ ± q·bse, q from the normal (t with df_resid when φ is estimated).

        Introduced in 07_fitting_glms.
        """
        return self.coef[:, None] + np.outer(self.bse, [-1.0, 1.0]) * self._quantile(level)

    def predict(self, X, offset=None) -> np.ndarray:
        """μ̂ = g⁻¹(Xβ̂ + offset) for new rows X (for Binomial, success probabilities)."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef.size:
            raise ValueError(
                f"predict needs X with {self.coef.size} columns like the training X, got shape "
                f"{X.shape}; build it the same way (including the intercept column)"
            )
        eta = X @ self.coef
        if offset is not None:
            eta = eta + np.asarray(offset, dtype=float)
        with np.errstate(all="ignore"):
            return self.link.g_inv(eta)

    def summary(self, names: Sequence | None = None) -> str:
        """A text table of coefficients with standard errors, z (or t), p-values and CIs.

        ``names`` is any sequence of one label per coefficient (a list, a numpy array,
        a pandas Index); by default the DataFrame's column names, else x0, x1, ….
        """
        names = _coefficient_names(names, self.names, self.coef.size)
        if self.penalty > 0:
            return self._penalized_summary(names)
        stat_name = "t" if self.family.estimates_scale else "z"
        with np.errstate(all="ignore"):
            statistic = self.coef / self.bse
            p_values = 2.0 * self._tail(np.abs(statistic))
        lower, upper = self.conf_int().T
        width = max(8, *(len(n) for n in names))
        lines = [
            f"{self.family.description()} GLM, {self.link.name} link, fitted by {self.method}",
            f"deviance {self.deviance:.4f} on {self.df_resid} df, log-likelihood "
            f"{self.loglik:.4f}, AIC {self.aic:.4f}, scale {self.scale:.4g}",
            f"{self._status()}",
            "",
            f"{'':<{width}} {'coef':>10} {'std err':>10} {stat_name:>8} "
            f"{'P>|' + stat_name + '|':>8} {'[0.025':>10} {'0.975]':>10}",
        ]
        for j, name in enumerate(names):
            lines.append(
                f"{name:<{width}} {self.coef[j]:>10.4f} {self.bse[j]:>10.4f} "
                f"{statistic[j]:>8.3f} {p_values[j]:>8.3f} {lower[j]:>10.4f} {upper[j]:>10.4f}"
            )
        return "\n".join(lines)

    def _penalized_summary(self, names) -> str:
        width = max(8, *(len(n) for n in names))
        lines = [
            f"{self.family.description()} GLM, {self.link.name} link, penalised IRLS "
            f"(penalty {self.penalty:.4g}, l1_ratio {self.l1_ratio:g})",
            f"deviance {self.deviance:.4f}, {self._status()}",
            "no standard errors: Wald intervals do not hold for a penalised (shrunken, "
            "selected) estimate; use the bootstrap or cross-validation",
            "",
            f"{'':<{width}} {'coef':>10}",
        ]
        lines += [f"{name:<{width}} {value:>10.4f}"
                  for name, value in zip(names, self.coef, strict=True)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        coef = np.array2string(self.coef, precision=4, separator=", ")
        penalised = (f", penalty={self.penalty:g}, l1_ratio={self.l1_ratio:g}"
                     if self.penalty > 0 else "")
        return (
            f"FitResult({self.family.description()}, link={self.link.name}, "
            f"method={self.method}{penalised}, coef={coef}, deviance={self.deviance:.4f}, "
            f"{self._status()})"
        )

    def _quantile(self, level):
        if self.family.estimates_scale:
            return stats.t.ppf(0.5 + level / 2.0, self.df_resid)
        return self._normal_quantile(level)

    def _tail(self, statistic):
        if self.family.estimates_scale:
            return stats.t.sf(statistic, self.df_resid)
        return stats.norm.sf(statistic)


def _coefficient_names(names, default, size) -> list[str]:
    """One string per coefficient from any sequence, or the default names."""
    if names is None:
        names = default if default is not None else [f"x{j}" for j in range(size)]
    names = [str(name) for name in list(names)]
    if len(names) != size:
        raise ValueError(f"names has {len(names)} entries but there are {size} coefficients; "
                         "give one name per column of X")
    return names


# --------------------------------------------------------------------------- entry point
def fit(
    X,
    y,
    family,
    link=None,
    method="irls",
    offset=None,
    weights=None,
    learning_rate=0.05,
    max_iter=None,
    tol=1e-10,
    penalty=0.0,
    l1_ratio=0.0,
) -> FitResult:
    """Fit a GLM with mean μ = g⁻¹(Xβ + offset) and y from ``family``.

    Args:
        X: (n, p) design matrix (an array, or a DataFrame whose column names the
            summary then uses); include a column of ones for an intercept.
        y: (n,) responses (for Binomial, successes out of the family's trials).
        family: a Family instance or a name such as ``"poisson"``.
        link: a Link or name; None means the family's default (canonical) link.
        method: ``"irls"`` (Fisher scoring), ``"newton"`` (observed information)
            or ``"gradient"`` (ascent on the average log-likelihood from β = 0,
            βₜ₊₁ = βₜ + learning_rate · ∇ℓ(βₜ)/n).
        offset: (n,) known part of η, e.g. log exposure.
        weights: (n,) prior weights (R's ``glm(weights=)``).
        learning_rate: the gradient step size (method="gradient").
        max_iter: iterations (steps for gradient); default 100, or 1000 for gradient.
        tol: stop when max|Δβ| ≤ tol·max|β|. With tol=0 gradient ascent takes
            exactly ``max_iter`` steps and does not warn about convergence.
        penalty, l1_ratio: λ ≥ 0 and a ∈ [0, 1] of the elastic net; with λ > 0 the fit
            minimises D(β)/(2·Σw) + λ·(a·Σ|βⱼ| + (1 − a)/2·Σβⱼ²), the sums skipping an
            all-ones (intercept) column, by penalised IRLS with coordinate descent
            (:mod:`glmlesson.penalized`; method "irls" only). X may then have more
            columns than rows or collinear columns. bse are NaN (no Wald errors).

    Returns:
        FitResult; for ``Categorical(k)`` a :class:`glmlesson.multinomial.SoftmaxResult`
        (softmax regression, fitted by :func:`glmlesson.multinomial.fit_softmax`).

    Raises:
        ValueError: for bad input, before any arithmetic.

    Warns:
        PerfectSeparationWarning, DivergenceWarning, ConvergenceWarning,
        MeanRangeWarning, CollinearityWarning (all UserWarning subclasses), with
        flags on the result.

    Introduced in 04_poisson_regression (IRLS and Newton in 07_fitting_glms; the
    penalty in 12_regularised_glms).
    """
    penalty, l1_ratio = check_penalty(penalty, l1_ratio)
    family = get_family(family)
    if penalty > 0:
        return _fit_penalized(X, y, family, link, method, offset, weights, max_iter, tol,
                              penalty, l1_ratio)
    if family.multivariate:  # Categorical(k): softmax regression, lesson 10
        return fit_softmax(X, y, family, method=method, weights=weights, link=link,
                           offset=offset, learning_rate=learning_rate, max_iter=max_iter, tol=tol)
    link = family.default_link if link is None else family.check_link(link)
    method, max_iter, tol, learning_rate = check_settings(method, max_iter, tol, learning_rate)
    problem = GLMProblem.from_data(X, y, family, link, offset, weights)
    with np.errstate(all="ignore"):
        if method == "gradient":
            state = gradient_ascent(problem, learning_rate, max_iter, tol)
        else:
            step_rule = newton_step if method == "newton" else fisher_scoring_step
            state = iterate(problem, step_rule, max_iter, tol)
        result = _finish(problem, state, method)
    iteration.warn_about(result, state, tol, learning_rate, "irls")
    return result


def _penalized_problem(X, y, family, link, method, offset, weights, max_iter, tol):
    """(problem, start, max_iter, tol) for a penalised fit: checked like a plain fit except the
    rank (a penalty makes β unique with p > n or collinear columns)."""
    if family.multivariate:
        raise ValueError(
            f"penalised fits are offered for the scalar families, not {family.description()}; "
            "fit softmax regression without a penalty"
        )
    if method != "irls":
        raise ValueError(
            f"a penalised fit is computed by penalised IRLS (coordinate descent) only, got "
            f"method={method!r}; use method='irls'"
        )
    link = family.default_link if link is None else family.check_link(link)
    method, max_iter, tol, _ = check_settings(method, max_iter, tol, 0.05)
    problem = GLMProblem.from_data(X, y, family, link, offset, weights, full_rank=False)
    with np.errstate(all="ignore"):
        beta = _intercept_only_beta(problem)
        start = problem.evaluate(problem.eta_of(beta)) if beta is not None else None
        if start is None:
            start = problem.start()
        else:
            start.beta = beta
    return problem, start, max_iter, tol


def _fit_penalized(X, y, family, link, method, offset, weights, max_iter, tol, penalty,
                   l1_ratio) -> FitResult:
    """fit(..., penalty > 0): penalised IRLS from the intercept-only fit."""
    problem, start, max_iter, tol = _penalized_problem(X, y, family, link, method, offset,
                                                       weights, max_iter, tol)
    with np.errstate(all="ignore"):
        state = penalized_irls(problem, working_quantities, penalty, l1_ratio, start,
                               max_iter, tol)
        result = _finish(problem, state, "irls", penalty, l1_ratio)
    iteration.warn_about(result, state, tol, 0.05, "irls", stacklevel=5)
    return result


def penalty_path(X, y, family, l1_ratio=1.0, penalties=None, n_penalties=50, link=None,
                 offset=None, weights=None, max_iter=None, tol=1e-10) -> PenaltyPath:
    """Penalised fits along a decreasing sequence of penalties, each started from the last.

    Minimises D(β)/(2·Σw) + λ·(a·Σ|βⱼ| + (1 − a)/2·Σβⱼ²) for every λ in ``penalties``
    (sorted into decreasing order), or by default for ``n_penalties`` log-spaced values
    from λ_max (the smallest penalty with every slope 0; for l1_ratio = 0 glmnet's
    convention a = 0.001) down to 10⁻⁴·λ_max (10⁻² when p ≥ n). Other arguments as
    :func:`fit`.

    Returns:
        :class:`glmlesson.penalized.PenaltyPath` with ``penalties``, ``coefs`` (one row
        per penalty), ``deviances``, ``largest_penalty``, ``converged``, ``n_iter``.

    Introduced in 12_regularised_glms.
    """
    _, l1_ratio = check_penalty(0.0, l1_ratio)
    problem, start, max_iter, tol = _penalized_problem(X, y, get_family(family), link, "irls",
                                                       offset, weights, max_iter, tol)
    with np.errstate(all="ignore"):
        return trace_path(problem, working_quantities, l1_ratio, penalties, n_penalties, start,
                          max_iter, tol)


# --------------------------------------------------------------------------- the problem
def _fit_scale_response(family, y, weights):
    """Response on the μ scale and the weights IRLS uses (prior × family multiplier)."""
    y_fit, multiplier = family.fit_response(y)
    return y_fit, weights * multiplier


@dataclass
class Iterate:
    """One point of the iteration: β (None before the first solve), η, μ, deviance."""

    beta: np.ndarray | None
    eta: np.ndarray
    mu: np.ndarray
    deviance: float


class GLMProblem:
    """The data of one fit, on the scale the algorithms work on.

    ``y_fit``, ``w_fit`` are the response on the μ scale and the IRLS weights (for a
    Binomial: proportions and trials × prior weight). The deviance is always the
    family's own, Σ wᵢ d(yᵢ, μᵢ), so the fit, its result and the family agree.
    """

    def __init__(self, X, y, family: ScalarFamily, link: Link, offset, weights, names=None):
        self.X, self.y, self.family, self.link = X, y, family, link
        self.offset, self.weights, self.names = offset, weights, names
        self.y_fit, self.w_fit = _fit_scale_response(family, y, weights)
        self.n_obs = X.shape[0]
        self.least_squares = WeightedLeastSquares(X)
        self.has_offset = bool(np.any(offset != 0.0))
        low, high = family.mean_range
        # the edges of the range that the link reaches only as η → −∞ or +∞
        finite_edges = [edge for edge in (low, high) if np.isfinite(edge)]
        self.edge_minus = link.limits[0] if link.limits[0] in finite_edges else None
        self.edge_plus = link.limits[1] if link.limits[1] in finite_edges else None
        with np.errstate(all="ignore"):
            self.loglik_saturated = family.loglik(y, self.y_fit, 1.0, weights)

    @classmethod
    def from_data(cls, X, y, family, link, offset, weights, full_rank=True) -> GLMProblem:
        """Check everything (ValueError for bad input), then build the problem; the rank
        of X only when ``full_rank`` (a penalised fit does not need it)."""
        X, names = as_design(X)
        n = X.shape[0]
        y = np.asarray(y, dtype=float) if not hasattr(y, "to_numpy") else y.to_numpy(float)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.shape != (n,):
            raise ValueError(
                f"y has shape {y.shape} but X has {n} rows; give one response per row of X"
            )
        y = family.validate(y)
        offset = check_vector(offset, n, "offset", default=0.0)
        weights = check_weights(weights, n)
        if full_rank:
            check_rank(X, weights, names, stacklevel=5)
        return cls(X, y, family, link, offset, weights, names)

    def mean(self, eta):
        """μ = g⁻¹(η), kept a rounding error inside a finite edge of the range (as R's
        links do: μ is never exactly 0 or 1)."""
        return self._inside(self.link.g_inv(eta))

    def _inside(self, mu):
        low, high = self.family.mean_range
        if np.isfinite(low) or np.isfinite(high):
            mu = np.clip(mu, low + _EPS if np.isfinite(low) else None,
                         high - _EPS if np.isfinite(high) else None)
        return mu

    def evaluate(self, eta) -> Iterate | None:
        """The iterate at η (β filled in by the caller), or None when μ = g⁻¹(η) leaves the
        family's range or the deviance there is not finite."""
        mu = self.link.g_inv(eta)
        if not self.family.is_valid_mu(mu):
            return None
        mu = self._inside(mu)
        deviance = self.deviance(mu)
        return Iterate(None, eta, mu, deviance) if np.isfinite(deviance) else None

    def deviance(self, mu) -> float:
        return self.family.deviance(self.y, mu, self.weights)

    def average_loglik(self, deviance) -> float:
        """ℓ(μ)/n at φ = 1, from ℓ(μ) = ℓ(saturated) − D/2 (the definition of the deviance)."""
        return (self.loglik_saturated - 0.5 * deviance) / self.n_obs

    def eta_of(self, beta):
        """η = Xβ + offset (the addition skipped when there is no offset)."""
        eta = self.X @ beta
        if self.has_offset:
            eta += self.offset
        return eta

    def restricted_to(self, rows) -> GLMProblem:
        """The same problem on a subset of the rows (for :func:`warm_start`)."""
        return GLMProblem(self.X[rows], self.y[rows], self.family.restricted_to(rows),
                          self.link, self.offset[rows], self.weights[rows], self.names)

    def start(self) -> Iterate:
        """R's start: μ from the data (``mustart``), η = g(μ); no β yet."""
        mu = self.family.starting_mu(self.y_fit, self.w_fit)
        low_mu, high_mu = self.link.mu_domain
        outside = (mu <= low_mu) | (mu >= high_mu)
        if np.any(outside):  # e.g. the log link on Normal data with y ≤ 0
            y_bar = float(np.sum(self.w_fit * self.y_fit) / np.sum(self.w_fit))
            if not low_mu < y_bar < high_mu:
                raise ValueError(
                    f"cannot find a valid start: the {self.link.name} link needs μ in "
                    f"({low_mu:g}, {high_mu:g}) but the mean of y is {y_bar:g}; choose "
                    "another link"
                )
            mu = np.where(outside, y_bar, mu)
        eta = self.link.g(mu)
        return Iterate(None, eta, self.mean(eta), np.inf)

    def edge_rows(self):
        """(rows whose y sits on the edge reached as η → −∞, as η → +∞)."""
        none = np.zeros(self.n_obs, dtype=bool)
        minus = none if self.edge_minus is None else self.y_fit == self.edge_minus
        plus = none if self.edge_plus is None else self.y_fit == self.edge_plus
        return minus, plus

    def near_asymptotic_edge(self, mu) -> bool:
        """Some fitted mean is within 1e-8 of an edge the link reaches only at ±∞."""
        return any(edge is not None and np.min(np.abs(mu - edge)) < _EDGE_PROXIMITY
                   for edge in (self.edge_minus, self.edge_plus))


# --------------------------------------------------------------------------- IRLS steps
def working_quantities(problem: GLMProblem, current: Iterate):
    """Step 1 of IRLS: the working response and weights at the current β,

        z = η − offset + (y − μ)·dη/dμ,      W = w·(dμ/dη)²/V(μ).

    dμ/dη is kept at least machine epsilon in size (R's ``pmax(mu.eta, eps)``): far out
    on a probit or cloglog curve it underflows to 0, which would make z = 0/0.
    """
    mu_eta = problem.link.mu_eta(current.eta)
    mu_eta = np.where(np.abs(mu_eta) < _EPS, np.copysign(_EPS, mu_eta), mu_eta)
    variance = problem.family.variance(current.mu)
    working_response = current.eta - problem.offset + (problem.y_fit - current.mu) / mu_eta
    working_weights = problem.w_fit * mu_eta**2 / variance
    return working_response, working_weights, mu_eta, variance


@dataclass
class Proposal:
    """What a step rule proposes: β, and the solve behind it (None if not a WLS solve)."""

    beta: np.ndarray
    solution: WLSSolution | None


def fisher_scoring_step(problem: GLMProblem, current: Iterate) -> Proposal:
    """Step 2 of IRLS: regress z on X with weights W (expected information),
    β_new = (XᵀWX)⁻¹XᵀWz."""
    z, W, _, _ = working_quantities(problem, current)
    solution = problem.least_squares.solve(W, z)
    return Proposal(solution.coef, solution)


def newton_step(problem: GLMProblem, current: Iterate) -> Proposal:
    """Newton–Raphson: the observed information replaces the expected one,

        W_obs = W − w·(y − μ)·d/dη[(dμ/dη)/V],   β_new = β + (XᵀW_obs X)⁻¹ Xᵀu,

    u = w·(y − μ)·(dμ/dη)/V the score contributions. With the canonical link W_obs = W
    and Newton is Fisher scoring. Where XᵀW_obs X is not positive definite (far from
    the optimum with a non-canonical link) the step falls back to Fisher scoring; the
    first step, before there is a β, is a Fisher step too.
    """
    if current.beta is None:
        return fisher_scoring_step(problem, current)
    family, link = problem.family, problem.link
    _, W, mu_eta, variance = working_quantities(problem, current)
    residual = problem.y_fit - current.mu
    # d/dη (μ'/V) = μ''/V − μ'²V'/V², with μ'' = −g''(μ)·μ'³
    ratio_prime = (-link.g_second(current.mu) * mu_eta**3 / variance
                   - mu_eta**2 * family.variance_prime(current.mu) / variance**2)
    observed = W - problem.w_fit * residual * ratio_prime
    score = problem.X.T @ (problem.w_fit * residual * mu_eta / variance)
    step = solve_information(problem.X, observed, score)
    if step is None:  # the observed information is not positive definite here
        return fisher_scoring_step(problem, current)
    return Proposal(current.beta + step, None)


def control_step(problem: GLMProblem, current: Iterate, proposal: Proposal, last_step):
    """Step 3 of IRLS: damp a step that undoes the last one, then halve it while μ leaves
    the family's range (as R's glm.fit does) or while the deviance rises (as the glm2
    package does: plain IRLS can cycle with a non-canonical link).

    Returns (the accepted Iterate or None when no halving finds a valid point, whether
    halving was needed to stay in range, the step to compare the next one with).
    """
    candidate = proposal.beta
    if current.beta is not None:
        candidate, last_step = _damp_cycle(current.beta, candidate, last_step)
    base_beta = current.beta
    accepted = problem.evaluate(problem.eta_of(candidate))
    if accepted is None and base_beta is None:
        base_beta = _intercept_only_beta(problem)
    halvings, out_of_range = 0, False
    while accepted is None or (
        base_beta is not None and halvings < _MAX_DEVIANCE_HALVINGS
        and accepted.deviance > current.deviance + _DEVIANCE_SLACK * (abs(current.deviance) + 1)
    ):
        out_of_range = out_of_range or accepted is None
        halvings += 1
        if halvings > _MAX_HALVINGS or base_beta is None:
            return None, out_of_range, last_step
        candidate = 0.5 * (base_beta + candidate)
        accepted = problem.evaluate(problem.eta_of(candidate))
    accepted.beta = candidate
    return accepted, out_of_range, last_step


def _damp_cycle(beta, candidate, last_step):
    """Halve a step that nearly reverses the previous one without being much shorter.

    Fisher scoring with a non-canonical link can settle into a two-cycle around the
    optimum (each step overshooting by as much as the last, so the deviance barely
    moves and halving on a rising deviance cannot see it). Taking half the step
    breaks it. A step that is converging (shorter than half the previous one) is
    never touched.
    """
    step = candidate - beta
    if last_step is not None:
        length, last_length = np.linalg.norm(step), np.linalg.norm(last_step)
        if length > 0.5 * last_length > 0 and step @ last_step < -0.5 * length * last_length:
            step = 0.5 * step
            return beta + step, step
    return candidate, step


def _intercept_only_beta(problem: GLMProblem):
    """β of the intercept-only fit μ = ȳ, a valid point to halve toward (None if X has no
    constant column)."""
    X = problem.X
    constant = np.flatnonzero(np.all(X == X[:1], axis=0) & (X[0] != 0))
    if constant.size == 0:
        return None
    y_bar = np.sum(problem.w_fit * problem.y_fit) / np.sum(problem.w_fit)
    mu_bar = problem.family.starting_mu(np.array([y_bar]), np.array([np.sum(problem.w_fit)]))
    beta = np.zeros(X.shape[1])
    beta[constant[0]] = problem.link.g(mu_bar)[0] / X[0, constant[0]]
    return beta if problem.evaluate(problem.eta_of(beta)) is not None else None


# --------------------------------------------------------------------------- the loop
_WARM_START_MIN_ROWS = 200_000
_WARM_START_ROWS = 20_000


def warm_start(problem: GLMProblem, step_rule) -> Iterate:
    """Where the full-data iterations begin: R's start, or on n ≥ 200 000 rows the fit to
    every k-th row (20 000 rows), if that fit converges cleanly. A speed device only."""
    n = problem.n_obs
    if n >= _WARM_START_MIN_ROWS:
        sub = problem.restricted_to(slice(0, None, n // _WARM_START_ROWS))
        state = iterate(sub, step_rule, max_iter=25, tol=1e-6, begin=sub.start())
        if state.converged:
            current = problem.evaluate(problem.eta_of(state.beta))
            if current is not None:
                current.beta = state.beta
                return current
    return problem.start()


def iterate(problem: GLMProblem, step_rule: Callable[[GLMProblem, Iterate], Proposal],
            max_iter: int, tol: float, begin: Iterate | None = None) -> IterationState:
    """IRLS (``step_rule=fisher_scoring_step``) or Newton (``newton_step``), from R's start.

    Each iteration: working quantities → the step rule's weighted least squares →
    step control → convergence test. The test is the change of β relative to its size,
    judged on the full step the rule asked for (a step halved at the edge of the range
    is short because the optimum lies beyond it, not because β has settled), and never
    finer than the rounding level of the solve (10·ε·cond of the scaled design).

    Where fitted means approach an edge that the link reaches only at infinity, a
    linear programme decides whether the maximum is at infinity (separation, or R's
    "fitted rates numerically 0"); if it is, the fit continues until the coefficients
    off that direction have converged and then stops with that fate.

    Introduced in 07_fitting_glms.
    """
    current = warm_start(problem, step_rule) if begin is None else begin
    state = IterationState(beta=None)
    solution, last_step, edge_halvings = None, None, 0
    at_infinity = None  # rows whose means go to an edge (none: the MLE is finite); None: not asked
    for number in range(1, max_iter + 1):
        proposal = step_rule(problem, current)
        accepted, out_of_range, last_step = control_step(problem, current, proposal, last_step)
        if accepted is None:
            state.fate = AT_EDGE
            state.reason = _stuck_message(problem)
            break
        full_step = proposal.beta
        solution = proposal.solution if accepted.beta is full_step else None
        previous, current = current, accepted
        state.n_iter, state.beta = number, current.beta
        state.history.append(problem.average_loglik(current.deviance))
        edge_halvings = edge_halvings + 1 if out_of_range else 0
        if previous.beta is None:
            continue
        condition = proposal.solution.condition if proposal.solution is not None else 1.0
        floor = 10.0 * _EPS * condition
        if at_infinity is None and problem.near_asymptotic_edge(current.mu):
            at_infinity = _rows_at_infinity(problem)
        if at_infinity is not None and at_infinity.any():
            finite_rows = ~at_infinity
            change = (relative_change(previous.eta[finite_rows], current.eta[finite_rows])
                      if np.any(finite_rows) else 0.0)
            state.relative_change = change
            if change <= max(tol, floor):
                state.fate = SEPARATED if _is_probability(problem.family) else AT_EDGE
                state.reason = _edge_message(problem, at_infinity)
                break
            continue
        state.relative_change = max(relative_change(previous.beta, current.beta),
                                    relative_change(previous.beta, full_step))
        if state.relative_change <= max(tol, floor):
            state.fate = CONVERGED
            break
        if (edge_halvings >= _EDGE_HALVINGS_BEFORE_STOP
                and _on_edge(problem.family, current.mu, within=1e-8)):
            state.fate = AT_EDGE
            state.reason = _edge_optimum_message(problem)
            break
    else:
        if at_infinity is not None and at_infinity.any():
            state.fate = SEPARATED if _is_probability(problem.family) else AT_EDGE
            state.reason = _edge_message(problem, at_infinity)
    if state.fate == CLIMBING and edge_halvings and _on_edge(problem.family, current.mu):
        state.fate = AT_EDGE
        state.reason = _edge_optimum_message(problem)
    if state.beta is None:  # no step was ever taken: regress η on X once
        state.beta = problem.least_squares.solve(problem.w_fit, current.eta - problem.offset).coef
        current = problem.evaluate(problem.eta_of(state.beta)) or current
        current.beta = state.beta
    state.converged = state.fate == CONVERGED
    state.separated = state.fate == SEPARATED
    state.at_edge = state.fate == AT_EDGE
    state.final = current
    state.solution = solution if state.converged else None
    return state


def _rows_at_infinity(problem: GLMProblem) -> np.ndarray:
    """The rows whose fitted means go to an edge of the range as β runs off to infinity
    (none when the maximum-likelihood estimate is finite)."""
    minus, plus = problem.edge_rows()
    found = recession_direction(problem.X, minus, plus, problem.weights)
    return np.zeros(problem.n_obs, dtype=bool) if found is None else found[1]


def _is_probability(family) -> bool:
    low, high = family.mean_range
    return np.isfinite(low) and np.isfinite(high)


def _on_edge(family, mu, within=1e-6) -> bool:
    """Some fitted mean lies within ``within`` of a finite end of the family's mean range."""
    low, high = family.mean_range
    return bool((np.isfinite(low) and np.min(mu) - low < within)
                or (np.isfinite(high) and high - np.max(mu) < within))


def _edge_message(problem, rows) -> str:
    family = problem.family
    what = "probabilities" if _is_probability(family) else "means"
    return (f"fitted {what} numerically {_edge_values(problem)} occurred for "
            f"{int(np.sum(rows))} observation(s) ({family.name}, {problem.link.name} link): the "
            "likelihood keeps rising as their means go to that edge of the range, so the "
            "maximum is at infinity and the coefficients along that direction are arbitrary "
            "(for counts: a group whose counts are all zero)")


def _edge_values(problem) -> str:
    edges = [edge for edge in (problem.edge_minus, problem.edge_plus) if edge is not None]
    return " or ".join(f"{edge:g}" for edge in sorted(set(edges)))


def _edge_optimum_message(problem) -> str:
    family, link = problem.family, problem.link
    advice = ("" if link.name == family.default_link.name else
              f"; the {family.default_link.name} link keeps every mean inside")
    return (f"the optimum of the {link.name} link sits on the edge of the {family.name} "
            f"range {family.mean_range}: steps were halved to keep the fitted means inside "
            f"and the fit stopped there{advice}")


def _stuck_message(problem) -> str:
    family, link = problem.family, problem.link
    return (f"no step kept μ inside the {family.name} range {family.mean_range} with the "
            f"{link.name} link, even after {_MAX_HALVINGS} halvings; stopped at the last "
            "valid iterate")


# --------------------------------------------------------------------------- gradient ascent
def gradient_ascent(problem: GLMProblem, learning_rate, max_iter, tol) -> IterationState:
    """βₜ₊₁ = βₜ + learning_rate · Xᵀ[w(y − μ)·(dμ/dη)/V(μ)] / n, from β = 0.

    With the canonical link (dμ/dη)/V = 1, so the gradient is Xᵀ(y − μ)/n exactly as
    lesson 04 writes it. Converged when the step is below ``tol`` relative to β *and*
    the gradient itself is small (a tiny step relative to a huge β is not convergence).
    Stops early when the run diverges (an iterate that is not finite or leaves the
    range, or a run-away: see :func:`glmlesson.iteration.ascent_fate`), keeping the
    last finite iterate. An oscillating run (a bounded 2-cycle) runs to ``max_iter``.

    Introduced in 04_poisson_regression.
    """
    X, y, w0 = problem.X, problem.y_fit, problem.w_fit
    family, link = problem.family, problem.link
    beta = np.zeros(X.shape[1])
    eta = problem.eta_of(beta)
    mu = link.g_inv(eta)
    low, high = family.mean_range
    if not (np.all(np.isfinite(mu)) and np.min(mu) > low and np.max(mu) < high):
        raise ValueError(
            f"gradient ascent starts from β = 0, where the {link.name} link gives μ = "
            f"{float(np.ravel(mu)[0]):g}, on or outside the edge of the {family.name} range "
            f"({low:g}, {high:g}); use method='irls' or the {family.default_link.name} link"
        )
    state = IterationState(beta=beta)
    start_objective = problem.average_loglik(problem.deviance(mu))
    steps = []
    judge = tol if tol > 0 else iteration.ASCENT_JUDGE_TOL
    for number in range(1, max_iter + 1):
        score = w0 * (y - mu) * link.mu_eta(eta) / family.variance(mu)
        gradient = X.T @ score / problem.n_obs
        new_beta = beta + learning_rate * gradient
        new_eta = problem.eta_of(new_beta)
        evaluated = problem.evaluate(new_eta) if np.all(np.isfinite(new_beta)) else None
        if evaluated is None:
            state.fate = DIVERGED
            state.reason = "μ left the range or the log-likelihood became infinite"
            break
        state.history.append(problem.average_loglik(evaluated.deviance))
        steps.append(new_beta - beta)
        state.n_iter = number
        state.relative_change = relative_change(beta, new_beta)
        beta, eta, mu = new_beta, new_eta, evaluated.mu
        state.beta = beta
        if iteration.judge_ascent_step(state, gradient, judge, tol, steps, start_objective):
            break
    iteration.close_ascent(state, steps, start_objective)
    return state


# --------------------------------------------------------------------------- results
def _finish(problem: GLMProblem, state: IterationState, method, penalty=0.0,
            l1_ratio=0.0) -> FitResult:
    """Standard errors, scale, deviance and log-likelihood at the final β, as R's glm
    (a penalised fit: no standard errors, NaN)."""
    family = problem.family
    beta = state.beta
    final = state.final
    if final is None or final.beta is None or final.beta is not beta:
        eta = problem.eta_of(beta)
        final = Iterate(beta, eta, problem.mean(eta), problem.deviance(problem.mean(eta)))
    solution = state.solution if method == "irls" else None
    no_covariance = np.full((beta.size, beta.size), np.nan)
    if penalty > 0:
        cov_unscaled = no_covariance
    elif solution is not None:
        cov_unscaled = solution.cov_unscaled()
    else:
        _, W, _, _ = working_quantities(problem, final)
        # a diverged run can stop where the weights overflow: no information, no covariance
        cov_unscaled = (problem.least_squares.solve(W, np.zeros(problem.n_obs)).cov_unscaled()
                        if np.all(np.isfinite(W)) else no_covariance)
    positive = problem.weights > 0
    n_ok = int(np.sum(positive))
    df_resid = n_ok - problem.X.shape[1]
    mu = final.mu
    if family.estimates_scale:
        pearson = np.sum(problem.w_fit * (problem.y_fit - mu) ** 2 / family.variance(mu))
        scale = float(pearson / df_resid) if df_resid > 0 else np.nan
    else:
        scale = 1.0
    if family.estimates_scale:
        loglik = family.loglik(problem.y[positive], mu[positive],
                               family.loglik_dispersion(final.deviance, problem.weights),
                               problem.weights[positive])
    else:  # φ = 1: ℓ = ℓ(saturated) − D/2, the definition of the deviance
        loglik = problem.loglik_saturated - 0.5 * final.deviance
    cov = cov_unscaled * scale
    return FitResult(
        coef=beta, bse=np.sqrt(np.diag(cov)), deviance=final.deviance, loglik=loglik,
        scale=scale, n_iter=state.n_iter, converged=state.converged, diverged=state.diverged,
        perfect_separation=state.separated, fate=state.fate,
        history=np.asarray(state.history), method=method, family=family, link=problem.link,
        mu=mu, cov=cov, df_resid=df_resid, names=problem.names, y=problem.y,
        offset=problem.offset, weights=problem.weights, X=problem.X, penalty=penalty,
        l1_ratio=l1_ratio,
    )


def _null_deviance(result: FitResult) -> float:
    """Deviance of the intercept-only model (R: glm's null.deviance)."""
    X = result.X
    has_intercept = np.any(np.all(X == X[:1], axis=0) & (X[0] != 0))
    if not has_intercept:
        with np.errstate(all="ignore"):
            problem = GLMProblem(X, result.y, result.family, result.link, result.offset,
                                 result.weights)
            return problem.deviance(problem.mean(result.offset))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        null = fit(np.ones((X.shape[0], 1)), result.y, result.family, result.link,
                   offset=result.offset, weights=result.weights)
    return null.deviance
