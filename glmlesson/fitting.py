"""Fitting a GLM: gradient ascent, Newton's method and IRLS (Fisher scoring).

One entry point, :func:`fit`, returns a :class:`FitResult` whose conventions
match R's ``glm``: standard errors from the expected (Fisher) information
times the scale, scale = Pearson χ²/df for the Normal and Gamma (1 otherwise),
and ``loglik`` as R's ``logLik``.

Gradient ascent is introduced in 04_poisson_regression; Newton and IRLS in
07_fitting_glms.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from glmlesson.families import Bernoulli, Family, get_family
from glmlesson.links import Link

__all__ = [
    "fit",
    "FitResult",
    "PerfectSeparationWarning",
    "DivergenceWarning",
    "ConvergenceWarning",
    "MeanRangeWarning",
    "METHODS",
]

METHODS = ("irls", "newton", "gradient")
DEFAULT_MAX_ITER = {"irls": 100, "newton": 100, "gradient": 1000}
_MAX_HALVINGS = 40
_SEPARATION_EDGE = 1e-10
_SEPARATING_LINKS = ("logit", "probit", "cloglog")
_DEVIANCE_SLACK = 1e-13  # relative rise of the deviance tolerated (rounding) before halving
_MAX_DEVIANCE_HALVINGS = 10
_DECREASES_BEFORE_DIVERGED = 5
_STEPS_BEFORE_START_CHECK = 10


class PerfectSeparationWarning(UserWarning):
    """A binary outcome is perfectly predicted: the MLE does not exist (lesson 05)."""


class DivergenceWarning(UserWarning):
    """Gradient ascent diverged: the learning rate is too large (lesson 04)."""


class ConvergenceWarning(UserWarning):
    """The iterations stopped at ``max_iter`` before the coefficients settled."""


class MeanRangeWarning(UserWarning):
    """A step pushed μ outside the family's range and was halved (lesson 06)."""


# --------------------------------------------------------------------------- result
@dataclass
class FitResult:
    """What :func:`fit` returns.

    Attributes:
        coef: β̂, one entry per column of X.
        bse: standard errors √diag((XᵀWX)⁻¹ · scale), W the Fisher weights.
        deviance: D = Σ wᵢ d(yᵢ, μ̂ᵢ).
        loglik: log-likelihood as R's ``logLik`` (for the Normal and Gamma at the
            dispersion D/n, as R does).
        scale: φ̂ = Pearson χ²/df_resid for Normal and Gamma, 1 otherwise.
        n_iter: iterations (IRLS/Newton) or steps (gradient) taken.
        converged: the relative change of β fell to ``tol``.
        diverged: gradient ascent blew up and was stopped.
        perfect_separation: a Bernoulli/Binomial fit whose MLE does not exist.
        history: average log-likelihood (at φ = 1) after each iteration.
        method: "irls", "newton" or "gradient".
        family, link: what was fitted.
        mu: fitted means μ̂ (for Binomial, success probabilities).
        cov: (XᵀWX)⁻¹ · scale, the estimated covariance of β̂.
        df_resid: observations with positive weight minus columns of X.

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
    y: np.ndarray = field(default=None, repr=False)
    offset: np.ndarray = field(default=None, repr=False)
    weights: np.ndarray = field(default=None, repr=False)
    X: np.ndarray = field(default=None, repr=False)

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
        y_fit, w_fit = _fit_scale_response(self.family, self.y, self.weights)
        unit = self.family.fit_unit_deviance(y_fit, self.mu)
        return np.sign(y_fit - self.mu) * np.sqrt(np.maximum(w_fit * unit, 0.0))

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

    def summary(self, names=None) -> str:
        """A text table of coefficients with standard errors, z (or t), p-values and CIs."""
        names = names or [f"x{j}" for j in range(self.coef.size)]
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

    def __repr__(self) -> str:
        coef = np.array2string(self.coef, precision=4, separator=", ")
        return (
            f"FitResult({self.family.description()}, link={self.link.name}, "
            f"method={self.method}, coef={coef}, deviance={self.deviance:.4f}, "
            f"{self._status()})"
        )

    def _status(self) -> str:
        if self.diverged:
            return f"diverged after {self.n_iter} steps"
        if self.perfect_separation:
            return f"perfect separation after {self.n_iter} iterations"
        word = "converged" if self.converged else "not converged"
        unit = "steps" if self.method == "gradient" else "iterations"
        return f"{word} in {self.n_iter} {unit}"

    def _quantile(self, level):
        if self.family.estimates_scale:
            return stats.t.ppf(0.5 + level / 2.0, self.df_resid)
        return stats.norm.ppf(0.5 + level / 2.0)

    def _tail(self, statistic):
        if self.family.estimates_scale:
            return stats.t.sf(statistic, self.df_resid)
        return stats.norm.sf(statistic)


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
) -> FitResult:
    """Fit a GLM with mean μ = g⁻¹(Xβ + offset) and y from ``family``.

    Args:
        X: (n, p) design matrix; include a column of ones for an intercept.
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
            exactly ``max_iter`` steps and does not warn.

    Returns:
        FitResult; for ``Categorical(k)`` a :class:`glmlesson.multinomial.SoftmaxResult`
        (softmax regression, fitted by :func:`glmlesson.multinomial.fit_softmax`).

    Raises:
        ValueError: for bad input, before any arithmetic.

    Warns:
        PerfectSeparationWarning, DivergenceWarning, ConvergenceWarning,
        MeanRangeWarning (all UserWarning subclasses), with flags on the result.

    Introduced in 04_poisson_regression (IRLS and Newton in 07_fitting_glms).
    """
    family = get_family(family)
    if getattr(family, "multivariate", False):  # Categorical(k): softmax regression, lesson 10
        from glmlesson.multinomial import fit_softmax

        return fit_softmax(X, y, family, method=method, weights=weights, link=link, offset=offset,
                           learning_rate=learning_rate, max_iter=max_iter, tol=tol)
    link = family.default_link if link is None else family.check_link(link)
    method, max_iter, tol, learning_rate = _check_settings(method, max_iter, tol, learning_rate)
    X, y, offset, weights = _check_data(X, y, family, offset, weights)
    problem = _Problem(X, y, family, link, offset, weights)
    with np.errstate(all="ignore"):
        if method == "gradient":
            state = _gradient_ascent(problem, learning_rate, max_iter, tol)
        else:
            state = _irls(problem, max_iter, tol, newton=(method == "newton"))
        result = _finish(problem, state, method)
    _warn_about(result, state, tol, learning_rate)
    return result


# --------------------------------------------------------------------------- validation
def _check_settings(method, max_iter, tol, learning_rate):
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(map(repr, METHODS))}")
    if max_iter is None:
        max_iter = DEFAULT_MAX_ITER[method]
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a whole number ≥ 1, got {max_iter!r}")
    if not (np.isscalar(tol) and np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a number ≥ 0, got {tol!r}")
    if not (np.isscalar(learning_rate) and np.isreal(learning_rate)
            and np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(
            f"learning_rate must be a positive number, got {learning_rate!r}; "
            "gradient ascent steps uphill by learning_rate × gradient (try 0.05)"
        )
    return method, int(max_iter), float(tol), float(learning_rate)


def _numeric(values, name) -> np.ndarray:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from None


def _check_data(X, y, family, offset, weights):
    X, y = _numeric(X, "X"), _numeric(y, "y")
    if X.ndim == 1:
        raise ValueError(
            f"X must be a 2-D array (n rows, p columns), got a 1-D array of length {X.size}; "
            "use np.column_stack([np.ones(n), x]) for an intercept and one feature"
        )
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n rows, p columns), got shape {X.shape}")
    n, p = X.shape
    if n == 0 or p == 0:
        raise ValueError(f"X is empty (shape {X.shape}); a fit needs at least one row and column")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.shape != (n,):
        raise ValueError(
            f"y has shape {y.shape} but X has {n} rows; give one response per row of X"
        )
    _check_finite(X, "X")
    y = family.validate(y)
    offset = _check_vector(offset, n, "offset", default=0.0)
    weights = _check_vector(weights, n, "weights", default=1.0)
    if np.any(weights < 0):
        raise ValueError(
            f"weights must be ≥ 0, but {np.sum(weights < 0)} are negative; prior weights "
            "count how much each observation is worth"
        )
    if not np.any(weights > 0):
        raise ValueError("all weights are zero: there is nothing to fit")
    _check_rank(X)
    return X, y, offset, weights


def _check_finite(values, name):
    bad = ~np.isfinite(values)
    if np.any(bad):
        where = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} has {np.sum(bad)} non-finite values (NaN or inf), first at index "
            f"{tuple(int(i) for i in where)}; remove or impute them before fitting"
        )


def _check_vector(values, n, name, default):
    if values is None:
        return np.full(n, default)
    values = _numeric(values, name)
    if values.ndim == 0:
        values = np.full(n, float(values))
    if values.shape != (n,):
        raise ValueError(f"{name} has shape {values.shape} but X has {n} rows; give one per row")
    _check_finite(values, name)
    return values


def _check_rank(X):
    """Raise when the columns of X are linearly dependent (scaled Gram matrix test)."""
    gram = X.T @ X
    norms = np.sqrt(np.diag(gram))
    zero = np.flatnonzero(norms == 0)
    if zero.size:
        raise ValueError(
            f"X column(s) {zero.tolist()} are all zero; drop them (β for them is not identified)"
        )
    scaled = gram / np.outer(norms, norms)
    eigenvalues, vectors = np.linalg.eigh(scaled)
    if eigenvalues[0] < 1e-11 * X.shape[1]:
        involved = np.flatnonzero(np.abs(vectors[:, 0]) > 0.1).tolist()
        raise ValueError(
            f"X is rank-deficient: column(s) {involved} are (nearly) linear combinations of "
            "each other, so β is not identified; drop one of them (e.g. a duplicated column, "
            "or one dummy when dummies sum to the intercept)"
        )


# --------------------------------------------------------------------------- algorithms
def _fit_scale_response(family, y, weights):
    """Response on the μ scale and the weights IRLS uses (prior × family multiplier)."""
    y_fit, multiplier = family.fit_response(y)
    return y_fit, weights * multiplier


class _Problem:
    """The data of one fit, on the scale the algorithms work on."""

    def __init__(self, X, y, family, link, offset, weights):
        self.X, self.y, self.family, self.link = X, y, family, link
        self.offset, self.weights = offset, weights
        self.y_fit, self.w_fit = _fit_scale_response(family, y, weights)
        self.n_obs = X.shape[0]
        self._loglik_saturated = None
        self._buffer = None
        self._deviance = None
        # None when there is nothing to apply: saves a pass over n per use on large data
        self.row_weights = None if np.all(self.w_fit == 1.0) else self.w_fit
        self.row_offset = offset if np.any(offset != 0.0) else None

    @classmethod
    def on_fit_scale(cls, problem, rows):
        """The same problem restricted to ``rows`` (used for the warm start)."""
        sub = cls.__new__(cls)
        sub.X, sub.y = problem.X[rows], problem.y[rows]
        sub.family, sub.link = problem.family, problem.link
        sub.offset, sub.weights = problem.offset[rows], problem.weights[rows]
        sub.y_fit, sub.w_fit = problem.y_fit[rows], problem.w_fit[rows]
        sub.n_obs = sub.X.shape[0]
        sub._loglik_saturated, sub._buffer, sub._deviance = 0.0, None, None
        sub.row_weights = None if problem.row_weights is None else sub.w_fit
        sub.row_offset = None if problem.row_offset is None else sub.offset
        return sub

    def mean(self, eta):
        return self.family.clip_mu(self.link.g_inv(eta))

    def evaluate(self, eta):
        """(μ, deviance) at η, or None when μ = g⁻¹(η) leaves the family's range or the
        deviance there is not finite."""
        mu = self.link.g_inv(eta)
        if not self.family.is_valid_mu(mu):
            return None
        mu = self.family.clip_mu(mu)
        deviance = self.deviance(mu)
        return (mu, deviance) if np.isfinite(deviance) else None

    def starting_beta(self):
        """β of the intercept-only fit μ = ȳ, a valid point to halve toward (None if X
        has no constant column)."""
        X = self.X
        constant = np.flatnonzero(np.all(X == X[:1], axis=0) & (X[0] != 0))
        if constant.size == 0:
            return None
        y_bar = np.sum(self.w_fit * self.y_fit) / np.sum(self.w_fit)
        mu_bar = self.family.starting_mu(np.array([y_bar]), np.array([np.sum(self.w_fit)]))
        beta = np.zeros(X.shape[1])
        beta[constant[0]] = self.link.g(mu_bar)[0] / X[0, constant[0]]
        return beta if self.evaluate(X @ beta + self.offset) is not None else None

    def deviance(self, mu) -> float:
        if self._deviance is None:
            self._deviance = self.family.deviance_function(self.y_fit, self.w_fit)
        return self._deviance(mu)

    def average_loglik(self, deviance) -> float:
        """ℓ(μ)/n at φ = 1, from ℓ(μ) = ℓ(saturated) − D/2 (the definition of the deviance),
        so log h(y) is computed once, not every iteration."""
        if self._loglik_saturated is None:
            self._loglik_saturated = self.family.saturated_loglik(self.y, self.y_fit,
                                                                  self.weights)
        return (self._loglik_saturated - 0.5 * deviance) / self.n_obs

    def weighted_least_squares(self, weights, target):
        """(XᵀWX, XᵀWz) from one Gram matrix of [√W·X, √W·z], reusing one n×(p+1)
        column-major buffer across iterations (one pass over the rows, not two)."""
        n, p = self.X.shape
        if self._buffer is None:
            self._buffer = np.empty((n, p + 1), order="F")
        root = np.sqrt(weights)
        np.multiply(self.X, root[:, None], out=self._buffer[:, :p])
        np.multiply(root, target, out=self._buffer[:, p])
        gram = self._buffer.T @ self._buffer
        return gram[:p, :p].copy(), gram[:p, p].copy()


@dataclass
class _State:
    beta: np.ndarray
    mu: np.ndarray
    n_iter: int
    history: list
    converged: bool = False
    diverged: bool = False
    separated: bool = False
    halved: bool = False
    stuck: bool = False
    relative_change: float = np.nan
    diverged_reason: str = ""
    # IRLS only: XᵀWX of the last step (weights at the previous β, as R and statsmodels
    # use for the covariance) and η, deviance at the final β, so _finish need not redo them.
    gram: np.ndarray | None = None
    eta: np.ndarray | None = None
    deviance: float | None = None


def _relative_change(old, new) -> float:
    scale = max(float(np.max(np.abs(new))), np.finfo(float).tiny)
    return float(np.max(np.abs(new - old))) / scale


def _weighted_gram(X, w):
    """XᵀWX for weights of any sign (Newton's observed information)."""
    return (X * w[:, None]).T @ X


def _solve(A, b):
    try:
        return np.linalg.solve(A, b)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(A, b, rcond=None)[0]


def _irls(problem: _Problem, max_iter, tol, newton=False, warm_start=True) -> _State:
    """Fisher scoring (IRLS): regress the working response z = η + (y − μ)·dη/dμ on X
    with weights W = w·(dμ/dη)²/V(μ). With ``newton`` the steps use the observed
    information instead, after a first IRLS step.

    Starts from R's ``mustart``; on large data (n ≥ 200 000) from the fit to
    every k-th row instead, which saves about half of the full-data iterations.

    Introduced in 07_fitting_glms.
    """
    y, w0, off = problem.y_fit, problem.w_fit, problem.offset
    family, link = problem.family, problem.link
    start = _subsample_start(problem) if warm_start else None
    if start is None:
        mu = family.clip_mu(family.starting_mu(y, w0))
        eta = link.g(mu)
    else:
        start, eta, mu = start
    state = _State(beta=start, mu=mu, n_iter=0, history=[])
    separation_streak, deviance_old, last_step = 0, np.inf, None
    for iteration in range(1, max_iter + 1):
        mu_eta = link.mu_eta(eta)
        variance = family.variance(mu)
        gram = None
        if newton and state.beta is not None:
            candidate = state.beta + _newton_step(problem, eta, mu, mu_eta, variance)
        else:
            gram, rhs = problem.weighted_least_squares(
                _fisher_weights(problem.row_weights, mu_eta, variance),
                _working_response(eta, problem.row_offset, y, mu, mu_eta))
            candidate = _solve(gram, rhs)
        full_step = candidate
        if state.beta is not None:
            candidate, last_step = _damp_cycle(state.beta, candidate, last_step)
        step = _accept(problem, state.beta, eta, candidate, deviance_old)
        if step is None:
            state.stuck = True
            break
        beta, eta, mu, deviance, out_of_range = step
        # XᵀWX belongs to this β only if the step was taken in full
        state.gram = gram if beta is full_step else None
        state.eta, state.deviance = eta, deviance
        state.halved = state.halved or out_of_range
        deviance_old = deviance
        state.n_iter = iteration
        state.history.append(problem.average_loglik(deviance))
        previous, state.beta, state.mu = state.beta, beta, mu
        if previous is None or beta is None:
            continue
        # Judge convergence by the full step the method asked for, not the step taken:
        # a step halved to stay in range is short because the optimum lies beyond the
        # edge, not because β has settled.
        state.relative_change = max(_relative_change(previous, beta),
                                    _relative_change(previous, full_step))
        if state.relative_change <= tol:
            state.converged = True
            break
        growing = np.linalg.norm(beta) > np.linalg.norm(previous)
        separation_streak = separation_streak + 1 if growing and _separated(problem, mu) else 0
        if separation_streak >= 3:
            state.separated = True
            break
    if state.beta is None:
        state.beta = _solve(*problem.weighted_least_squares(w0, eta - off))
        state.eta = state.gram = None  # the kept η belonged to no β
    return state


_WARM_START_MIN_ROWS = 200_000
_WARM_START_ROWS = 20_000


def _subsample_start(problem: _Problem):
    """(β, η, μ) from an IRLS fit to every k-th row, or None when n is small or that
    fit is not clean. It only chooses where the full-data iterations begin."""
    n = problem.n_obs
    if n < _WARM_START_MIN_ROWS:
        return None
    rows = slice(0, None, n // _WARM_START_ROWS)
    sub = _Problem.on_fit_scale(problem, rows)
    sub_state = _irls(sub, max_iter=25, tol=1e-6, warm_start=False)
    if not sub_state.converged or sub_state.separated or sub_state.beta is None:
        return None
    eta = problem.X @ sub_state.beta + problem.offset
    evaluated = problem.evaluate(eta)
    return None if evaluated is None else (sub_state.beta, eta, evaluated[0])


def _fisher_weights(w0, mu_eta, variance):
    """W = w·(dμ/dη)²/V(μ), computed in place to spare temporaries on large n
    (``w0`` None means unit prior weights)."""
    weights = np.multiply(mu_eta, mu_eta)
    weights /= variance
    if w0 is not None:
        weights *= w0
    return weights


def _working_response(eta, offset, y, mu, mu_eta):
    """z = η − offset + (y − μ)·dη/dμ, computed in place (``offset`` None means 0)."""
    working = np.subtract(y, mu)
    working /= mu_eta
    working += eta
    if offset is not None:
        working -= offset
    return working


def _newton_step(problem, eta, mu, mu_eta, variance):
    """Solve (XᵀW_obs X) step = Xᵀu with u the score contributions and
    W_obs = w·[(dμ/dη)²/V − (y − μ)·d/dη((dμ/dη)/V)]; Fisher weights if W_obs is not PD."""
    X, y, w0 = problem.X, problem.y_fit, problem.w_fit
    family, link = problem.family, problem.link
    ratio = mu_eta / variance
    score = X.T @ (w0 * (y - mu) * ratio)
    # d/dη (μ'/V) = μ''/V − μ'²V'/V², with μ'' = −g''(μ)·μ'³
    mu_second = -link.g_second(mu) * mu_eta**3
    ratio_prime = mu_second / variance - mu_eta**2 * family.variance_prime(mu) / variance**2
    gram = _weighted_gram(X, w0 * (mu_eta * ratio - (y - mu) * ratio_prime))
    try:
        np.linalg.cholesky(gram)
    except np.linalg.LinAlgError:
        gram = _weighted_gram(X, w0 * mu_eta * ratio)
    return _solve(gram, score)


def _damp_cycle(beta, candidate, last_step):
    """Halve a step that nearly reverses the previous one without being much shorter.

    Fisher scoring with a non-canonical link can settle into a two-cycle around the
    optimum (each step overshooting by as much as the last, so the deviance barely
    moves and halving on a rising deviance cannot see it). Averaging the two ends of
    the cycle, i.e. taking half the step, breaks it. A step that is converging
    (shorter than half the previous one) is never touched.

    Returns (the candidate to try, the step to compare the next one with).
    """
    step = candidate - beta
    if last_step is not None:
        length, last_length = np.linalg.norm(step), np.linalg.norm(last_step)
        if length > 0.5 * last_length > 0 and step @ last_step < -0.5 * length * last_length:
            step = 0.5 * step
            return beta + step, step
    return candidate, step


def _accept(problem: _Problem, beta_old, eta_old, beta_new, deviance_old=np.inf):
    """Take the step, halving it while μ leaves the family's range (as R's glm.fit does)
    or while the deviance rises above ``deviance_old`` (as the glm2 package does: plain
    IRLS can cycle with a non-canonical link, e.g. Poisson with the identity link).

    Returns (β or None, η, μ, deviance, whether halving was needed to stay in range),
    or None when no halving finds a valid point. Without a previous β (first
    iteration) the halving goes toward the intercept-only fit, or happens in η (β is
    then None). When halving cannot lower the deviance (rounding near the optimum) the
    shortest step tried is kept.
    """
    X, off = problem.X, problem.offset
    eta = X @ beta_new + off
    evaluated = problem.evaluate(eta)
    if evaluated is None and beta_old is None:
        beta_old = problem.starting_beta()
    halvings, out_of_range = 0, False
    while evaluated is None or (
        beta_old is not None and halvings < _MAX_DEVIANCE_HALVINGS
        and evaluated[1] > deviance_old + _DEVIANCE_SLACK * (abs(deviance_old) + 1.0)
    ):
        out_of_range = out_of_range or evaluated is None
        halvings += 1
        if halvings > _MAX_HALVINGS:
            return None
        if beta_old is None:
            eta = 0.5 * (eta_old + eta)
            beta_new = None
        else:
            beta_new = 0.5 * (beta_old + beta_new)
            eta = X @ beta_new + off
        evaluated = problem.evaluate(eta)
    mu, deviance = evaluated
    return beta_new, eta, mu, deviance, out_of_range


def _separated(problem: _Problem, mu) -> bool:
    """Some fitted probabilities are numerically 0 or 1, all on the side y is on.

    Only links that map all of η ∈ ℝ into (0, 1) (logit, probit, cloglog) reach 0 or 1
    by letting β grow without bound; with the identity or log link μ = 0 or 1 is an
    ordinary point on the edge of the range, not separation.
    """
    if not isinstance(problem.family, Bernoulli) or problem.link.name not in _SEPARATING_LINKS:
        return False
    y = problem.y_fit
    low, high = mu < _SEPARATION_EDGE, mu > 1.0 - _SEPARATION_EDGE
    extreme = low | high
    agrees = (low & (y == 0)) | (high & (y == 1))
    return bool(np.any(extreme) and np.all(agrees[extreme]))


def _gradient_ascent(problem: _Problem, learning_rate, max_iter, tol) -> _State:
    """βₜ₊₁ = βₜ + learning_rate · Xᵀ[w(y − μ)·(dμ/dη)/V(μ)] / n, from β = 0.

    With the canonical link (dμ/dη)/V = 1, so the gradient is Xᵀ(y − μ)/n
    exactly as lesson 04 writes it. Stops early when the step is below ``tol``
    (relative), or when the iterates diverge (μ leaves its range, the objective
    falls five steps in a row, or after ten steps it is below its value at
    β = 0, as when the steps overshoot back and forth), keeping the last
    finite iterate.

    Introduced in 04_poisson_regression.
    """
    X, y, w0, off = problem.X, problem.y_fit, problem.w_fit, problem.offset
    family, link = problem.family, problem.link
    canonical = link.name == family.canonical_link.name
    sign = -1.0 if family.canonical_link_name == "inverse" else 1.0
    beta = np.zeros(X.shape[1])
    eta = X @ beta + off
    mu = problem.mean(eta)
    if problem.evaluate(eta) is None:
        raise ValueError(
            f"gradient ascent starts from β = 0, where the {link.name} link gives μ = "
            f"{float(np.ravel(mu)[0]):g}, outside the {family.name} range; use method='irls'"
        )
    state = _State(beta=beta, mu=mu, n_iter=0, history=[])
    start_objective = problem.average_loglik(problem.deviance(mu))
    falls = 0
    for step in range(1, max_iter + 1):
        if canonical:
            contribution = sign * (w0 * (y - mu))
        else:
            contribution = w0 * (y - mu) * link.mu_eta(eta) / family.variance(mu)
        gradient = X.T @ contribution / problem.n_obs
        new_beta = beta + learning_rate * gradient
        new_eta = X @ new_beta + off
        evaluated = problem.evaluate(new_eta) if np.all(np.isfinite(new_beta)) else None
        if evaluated is None:
            state.diverged = True
            state.diverged_reason = "μ left the range or the log-likelihood became infinite"
            break
        new_mu, deviance = evaluated
        objective = problem.average_loglik(deviance)
        falls = falls + 1 if state.history and objective < state.history[-1] else 0
        state.history.append(objective)
        state.n_iter = step
        state.relative_change = _relative_change(beta, new_beta)
        beta, eta, mu = new_beta, new_eta, new_mu
        state.beta, state.mu = beta, mu
        if falls >= _DECREASES_BEFORE_DIVERGED:
            state.diverged = True
            state.diverged_reason = "the log-likelihood fell five steps in a row"
            break
        if step >= _STEPS_BEFORE_START_CHECK and objective < start_objective:
            state.diverged = True
            state.diverged_reason = "the log-likelihood fell below its value at β = 0"
            break
        if tol > 0 and state.relative_change <= tol:
            state.converged = True
            break
    state.separated = not state.diverged and _separated(problem, state.mu)
    return state


# --------------------------------------------------------------------------- results
def _finish(problem: _Problem, state: _State, method) -> FitResult:
    """Standard errors, scale, deviance and log-likelihood at the final β, as R's glm."""
    family, link, X = problem.family, problem.link, problem.X
    beta = state.beta
    if state.eta is not None and state.beta is not None:  # IRLS/Newton kept them
        eta, mu, deviance = state.eta, state.mu, state.deviance
    else:
        eta = X @ beta + problem.offset
        mu = problem.mean(eta)
        deviance = problem.deviance(mu)
    if method == "irls" and state.converged and state.gram is not None:
        gram = state.gram
    else:
        gram, _ = problem.weighted_least_squares(
            _fisher_weights(problem.row_weights, link.mu_eta(eta), family.variance(mu)), eta)
    try:
        cov_unscaled = np.linalg.inv(gram)
    except np.linalg.LinAlgError:
        cov_unscaled = np.full_like(gram, np.nan)
    positive = problem.weights > 0
    n_ok = int(np.sum(positive))
    df_resid = n_ok - X.shape[1]
    if family.estimates_scale:
        pearson = np.sum(problem.w_fit * (problem.y_fit - mu) ** 2 / family.variance(mu))
        scale = float(pearson / df_resid) if df_resid > 0 else np.nan
    else:
        scale = 1.0
    loglik = _r_loglik(problem, mu, deviance, n_ok, positive)
    cov = cov_unscaled * scale
    return FitResult(
        coef=beta, bse=np.sqrt(np.diag(cov)), deviance=deviance, loglik=loglik, scale=scale,
        n_iter=state.n_iter, converged=state.converged, diverged=state.diverged,
        perfect_separation=state.separated, history=np.asarray(state.history), method=method,
        family=family, link=link, mu=mu, cov=cov, df_resid=df_resid, y=problem.y,
        offset=problem.offset, weights=problem.weights, X=X,
    )


def _r_loglik(problem, mu, deviance, n_ok, positive) -> float:
    """R's logLik: Normal at φ = D/n, Gamma at φ = D/Σw, the others at φ = 1 (where
    ℓ = ℓ(saturated) − D/2, reusing the saturated value computed for the history)."""
    family = problem.family
    if not family.estimates_scale:
        return problem.average_loglik(deviance) * problem.n_obs
    if family.name == "Normal":
        scale = deviance / n_ok
    else:
        scale = deviance / float(np.sum(problem.weights))
    return family.loglik(problem.y[positive], mu[positive], scale, problem.weights[positive])


def _null_deviance(result: FitResult) -> float:
    """Deviance of the intercept-only model (R: glm's null.deviance)."""
    X = result.X
    has_intercept = np.any(np.all(X == X[:1], axis=0) & (X[0] != 0))
    if not has_intercept:
        with np.errstate(all="ignore"):
            mu = result.family.clip_mu(result.link.g_inv(result.offset))
        y_fit, w_fit = _fit_scale_response(result.family, result.y, result.weights)
        return float(np.sum(w_fit * result.family.fit_unit_deviance(y_fit, mu)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        null = fit(np.ones((X.shape[0], 1)), result.y, result.family, result.link,
                   offset=result.offset, weights=result.weights)
    return null.deviance


def _warn_diverged(result, reason, learning_rate, stacklevel=4):
    """DivergenceWarning for gradient ascent stopped early (shared with softmax fits)."""
    warnings.warn(
        f"gradient ascent diverged after {result.n_iter} steps with learning_rate="
        f"{learning_rate:g}: {reason}. Kept the last finite iterate "
        "(diverged=True); lower the learning rate.",
        DivergenceWarning, stacklevel=stacklevel,
    )


def _warn_not_converged(result, relative_change, tol, fast_method, stacklevel=4):
    """ConvergenceWarning for a fit that used up max_iter (shared with softmax fits)."""
    unit = "steps" if result.method == "gradient" else "iterations"
    advice = (
        f"raise max_iter or the learning rate, or use method='{fast_method}'"
        if result.method == "gradient" else "raise max_iter or check the model"
    )
    warnings.warn(
        f"{result.method} did not converge in {result.n_iter} {unit} (last relative "
        f"change of β {relative_change:.2g} > tol={tol:g}); {advice}.",
        ConvergenceWarning, stacklevel=stacklevel,
    )


def _on_edge(family, mu) -> bool:
    """Some fitted mean lies within 1e-6 of a finite end of the family's mean range."""
    low, high = family.mean_range
    return bool((np.isfinite(low) and np.min(mu) - low < 1e-6)
                or (np.isfinite(high) and high - np.max(mu) < 1e-6))


def _warn_about(result: FitResult, state: _State, tol, learning_rate):
    if result.diverged:
        _warn_diverged(result, state.diverged_reason, learning_rate)
    elif result.perfect_separation:
        warnings.warn(
            "perfect separation: some fitted probabilities are numerically 0 or 1 and the "
            "coefficients grow without bound, so the maximum-likelihood estimate does not "
            f"exist; the coefficients after {result.n_iter} iterations are finite but "
            "arbitrary (perfect_separation=True). Drop the separating feature or add data.",
            PerfectSeparationWarning, stacklevel=3,
        )
    elif not result.converged and tol > 0 and not state.stuck:  # stuck: its own warning below
        _warn_not_converged(result, state.relative_change, tol, "irls")
    if state.stuck:
        warnings.warn(
            f"no step kept μ inside the {result.family.name} range {result.family.mean_range} "
            f"with the {result.link.name} link, even after {_MAX_HALVINGS} halvings; stopped "
            "at the last valid iterate (converged=False). Try the canonical link.",
            MeanRangeWarning, stacklevel=3,
        )
    elif state.halved and result.method != "gradient" and _on_edge(result.family, result.mu):
        warnings.warn(
            f"the {result.link.name} link pushed μ outside the {result.family.name} range "
            f"{result.family.mean_range}; steps were halved to stay inside and the fit ends with "
            "fitted means on the edge of the range (consider the canonical link).",
            MeanRangeWarning, stacklevel=3,
        )
