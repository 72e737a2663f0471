"""Softmax regression: the GLM of the Categorical(k) family (multinomial logistic regression).

With class labels y ∈ {0, …, k−1}, one-hot T(y) and the canonical (softmax) link,

    μᵢ = softmax(xᵢᵀβ_0, …, xᵢᵀβ_{k−2}, 0),

so β is a p × (k − 1) matrix: column j compares class j with the reference
class k − 1 (log μ_j/μ_{k−1} = xᵀβ_j). The full p × k matrix with a zero last
column is ``coef_full``; any other reference r is ``coef_full − coef_full[:, [r]]``.
scikit-learn's unpenalised ``LogisticRegression`` and statsmodels' ``MNLogit``
fit the same model in other parametrisations (a symmetric p × k matrix, and the
first class as reference): their column differences equal ours.

The log-likelihood ℓ(β) = Σᵢ wᵢ log μ_{i,yᵢ} has gradient Xᵀ W (Y − M) (Y the
one-hot labels, M the probabilities, both without the reference column) and
Hessian −Σᵢ wᵢ (diag(μᵢ) − μᵢμᵢᵀ) ⊗ xᵢxᵢᵀ, which is also minus the Fisher
information (canonical link), so Newton's method is Fisher scoring (IRLS).

Introduced in 10_softmax_regression.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import special, stats

from glmlesson.families import Categorical
from glmlesson.fitting import (
    FitResult,
    PerfectSeparationWarning,
    _check_finite,
    _check_rank,
    _check_settings,
    _check_vector,
    _numeric,
    _warn_diverged,
    _warn_not_converged,
)

__all__ = ["SoftmaxResult", "fit_softmax", "softmax_probabilities"]

_SEPARATION_EDGE = 1e-10
_MAX_HALVINGS = 40
_DECREASES_BEFORE_DIVERGED = 5
_STEPS_BEFORE_START_CHECK = 10


def softmax_probabilities(X, coef) -> np.ndarray:
    """Class probabilities μ = softmax([Xβ, 0]) for a p × (k−1) coefficient matrix β
    (reference class last); returns an n × k array whose rows sum to 1.

    Introduced in 10_softmax_regression.
    """
    X, coef = np.asarray(X, dtype=float), np.asarray(coef, dtype=float)
    eta = X @ coef
    return special.softmax(np.column_stack([eta, np.zeros(eta.shape[0])]), axis=1)


@dataclass
class SoftmaxResult:
    """What :func:`fit_softmax` (and ``fit(X, y, Categorical(k))``) returns.

    Attributes:
        coef: β̂, a p × (k−1) matrix; column j is class j against the reference
            class k − 1 (log μ_j/μ_{k−1} = xᵀβ_j).
        bse: standard errors of ``coef`` (same shape), from the inverse Fisher
            information.
        cov: covariance of ``coef.ravel(order="F")`` (class by class), shape
            (p(k−1), p(k−1)).
        loglik: Σ wᵢ log μ̂_{i,yᵢ}.
        deviance: −2·loglik (the saturated model gives each label probability 1).
        scale: 1.0 (no dispersion is estimated).
        n_iter, converged, diverged, perfect_separation, history, method: as for
            :class:`glmlesson.fitting.FitResult`; ``history`` is the average
            log-likelihood after each iteration.
        family: the Categorical(k) family; link: its softmax link.
        mu: fitted class probabilities, n × k.
        df_resid: observations with positive weight minus the number of coefficients.

    Introduced in 10_softmax_regression.
    """

    coef: np.ndarray
    bse: np.ndarray
    cov: np.ndarray
    loglik: float
    deviance: float
    n_iter: int
    converged: bool
    diverged: bool
    history: np.ndarray
    method: str
    family: Categorical
    mu: np.ndarray
    df_resid: int
    perfect_separation: bool = False
    scale: float = 1.0
    y: np.ndarray = field(default=None, repr=False)
    weights: np.ndarray = field(default=None, repr=False)
    X: np.ndarray = field(default=None, repr=False)

    @property
    def k(self) -> int:
        """Number of classes."""
        return self.family.k

    @property
    def link(self):
        """The softmax link (the family's canonical link)."""
        return self.family.canonical_link

    @property
    def coef_full(self) -> np.ndarray:
        """β̂ as a p × k matrix with the reference (last) column fixed at 0."""
        return np.column_stack([self.coef, np.zeros(self.coef.shape[0])])

    @property
    def aic(self) -> float:
        """AIC = −2·loglik + 2·(number of coefficients, p(k−1))."""
        return -2.0 * self.loglik + 2.0 * self.coef.size

    @property
    def null_deviance(self) -> float:
        """Deviance of the intercept-only model: every row gets the (weighted) class
        frequencies; without a constant column in X, every row gets 1/k."""
        X, labels = self.X, self.y.astype(np.int64)
        has_intercept = np.any(np.all(X == X[:1], axis=0) & (X[0] != 0))
        if has_intercept:
            counts = np.bincount(labels, weights=self.weights, minlength=self.k)
            log_p = np.log(counts[labels] / counts.sum())
        else:
            log_p = np.full(labels.shape, -np.log(self.k))
        return float(-2.0 * np.sum(self.weights * log_p))

    def conf_int(self, level: float = 0.95) -> np.ndarray:
        """Wald intervals β̂ ± z·bse, shape (p, k−1, 2)."""
        q = stats.norm.ppf(0.5 + level / 2.0)
        return np.stack([self.coef - q * self.bse, self.coef + q * self.bse], axis=-1)

    def predict(self, X) -> np.ndarray:
        """μ̂ for new rows X: an n × k array of class probabilities."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef.shape[0]:
            raise ValueError(
                f"predict needs X with {self.coef.shape[0]} columns like the training X, got "
                f"shape {X.shape}; build it the same way (including the intercept column)"
            )
        return softmax_probabilities(X, self.coef)

    predict_proba = predict

    def predict_class(self, X) -> np.ndarray:
        """The most probable class label for each row of X."""
        return np.argmax(self.predict(X), axis=1)

    def summary(self, names=None, class_names=None) -> str:
        """A text table: one block per non-reference class, coefficients with standard
        errors, z, p-values and 95% intervals."""
        p = self.coef.shape[0]
        names = names or [f"x{j}" for j in range(p)]
        class_names = class_names or [str(j) for j in range(self.k)]
        with np.errstate(all="ignore"):
            z = self.coef / self.bse
            p_values = 2.0 * stats.norm.sf(np.abs(z))
        interval = self.conf_int()
        width = max(8, *(len(n) for n in names))
        lines = [
            f"{self.family.description()} GLM, softmax link, fitted by {self.method}; "
            f"reference class {class_names[-1]}",
            f"deviance {self.deviance:.4f} on {self.df_resid} df, log-likelihood "
            f"{self.loglik:.4f}, AIC {self.aic:.4f}",
            self._status(),
        ]
        for j in range(self.k - 1):
            lines += [
                "",
                f"log(μ_{class_names[j]} / μ_{class_names[-1]}):",
                f"{'':<{width}} {'coef':>10} {'std err':>10} {'z':>8} {'P>|z|':>8} "
                f"{'[0.025':>10} {'0.975]':>10}",
            ]
            for i, name in enumerate(names):
                lines.append(
                    f"{name:<{width}} {self.coef[i, j]:>10.4f} {self.bse[i, j]:>10.4f} "
                    f"{z[i, j]:>8.3f} {p_values[i, j]:>8.3f} {interval[i, j, 0]:>10.4f} "
                    f"{interval[i, j, 1]:>10.4f}"
                )
        return "\n".join(lines)

    _status = FitResult._status  # same flags, same words

    def __repr__(self) -> str:
        coef = np.array2string(self.coef, precision=4, separator=", ")
        return (
            f"SoftmaxResult({self.family.description()}, method={self.method}, "
            f"coef={coef}, deviance={self.deviance:.4f}, {self._status()})"
        )


def fit_softmax(
    X,
    y,
    k,
    method="newton",
    weights=None,
    learning_rate=0.05,
    max_iter=None,
    tol=1e-10,
    link=None,
    offset=None,
) -> SoftmaxResult:
    """Fit softmax regression, μᵢ = softmax(xᵢᵀβ_0, …, xᵢᵀβ_{k−2}, 0), by maximum likelihood.

    Args:
        X: (n, p) design matrix; include a column of ones for an intercept.
        y: (n,) class labels 0, …, k−1 (turn names into labels with
            ``np.unique(names, return_inverse=True)``).
        k: the number of classes, or a :class:`~glmlesson.families.Categorical`.
        method: ``"newton"`` (also ``"irls"``: with the canonical link, Newton's
            method and Fisher scoring coincide) or ``"gradient"``: ascent on the
            average log-likelihood from β = 0, β ← β + learning_rate·Xᵀ W(Y − M)/n.
        weights: (n,) prior (frequency) weights.
        learning_rate: step size of gradient ascent.
        max_iter: iterations (steps for gradient); default 100, or 1000 for gradient.
        tol: stop when max|Δβ| ≤ tol·max|β|; with tol=0, gradient ascent takes exactly
            ``max_iter`` steps and does not warn.
        link: None or "softmax" (the only link offered).
        offset: must be None (offsets are not supported for the categorical family).

    Returns:
        SoftmaxResult, with ``coef`` a p × (k−1) matrix (reference class k − 1).

    Raises:
        ValueError: bad input (labels outside 0…k−1, non-finite X, rank-deficient X, …).

    Warns:
        PerfectSeparationWarning when a class is perfectly separated (the MLE does
        not exist, as in lesson 05), DivergenceWarning, ConvergenceWarning.

    Introduced in 10_softmax_regression.
    """
    family = k if isinstance(k, Categorical) else Categorical(k)
    if link is not None:
        family.check_link(link)
    if offset is not None:
        raise ValueError(
            "offsets are not supported for the Categorical family; put known terms in X"
        )
    method, max_iter, tol, learning_rate = _check_settings(method, max_iter, tol, learning_rate)
    X, labels, weights = _check_inputs(X, y, family, weights)
    Y = np.eye(family.k)[labels][:, :-1]
    with np.errstate(all="ignore"):
        if method == "gradient":
            state = _gradient_ascent(X, Y, weights, learning_rate, max_iter, tol)
        else:
            state = _newton(X, Y, weights, max_iter, tol)
    result = _finish(X, labels, Y, weights, family, state, method)
    _warn_about(result, state, tol, learning_rate)
    return result


# --------------------------------------------------------------------------- internals
def _check_inputs(X, y, family, weights):
    X = _numeric(X, "X")
    if X.ndim != 2:
        raise ValueError(
            f"X must be a 2-D array (n rows, p columns), got shape {X.shape}; use "
            "np.column_stack([np.ones(n), x]) for an intercept and one feature"
        )
    n = X.shape[0]
    if n == 0 or X.shape[1] == 0:
        raise ValueError(f"X is empty (shape {X.shape}); a fit needs at least one row and column")
    y_array = np.asarray(y)
    if y_array.shape != (n,):
        raise ValueError(
            f"y has shape {y_array.shape} but X has {n} rows; give one class label per row "
            "(labels, not one-hot rows)"
        )
    _check_finite(X, "X")
    labels = family.validate(y_array).astype(np.int64)
    weights = _check_vector(weights, n, "weights", default=1.0)
    if np.any(weights < 0):
        raise ValueError(f"weights must be ≥ 0, but {np.sum(weights < 0)} are negative")
    if not np.any(weights > 0):
        raise ValueError("all weights are zero: there is nothing to fit")
    _check_rank(X)
    return X, labels, weights


@dataclass
class _State:
    beta: np.ndarray
    n_iter: int = 0
    history: list = field(default_factory=list)
    converged: bool = False
    diverged: bool = False
    separated: bool = False
    relative_change: float = np.nan
    diverged_reason: str = ""


def _loglik(X, Y, weights, beta) -> float:
    eta = np.column_stack([X @ beta, np.zeros(X.shape[0])])
    log_mu = eta - special.logsumexp(eta, axis=1, keepdims=True)
    observed = np.column_stack([Y, 1.0 - Y.sum(axis=1)])
    return float(np.sum(weights * np.sum(observed * log_mu, axis=1)))


def _score_and_information(X, Y, weights, beta):
    """Gradient Xᵀ W (Y − M) flattened class by class, and the Fisher information
    Σᵢ wᵢ (diag(mᵢ) − mᵢmᵢᵀ) ⊗ xᵢxᵢᵀ (M without the reference column)."""
    M = softmax_probabilities(X, beta)[:, :-1]
    score = (X.T @ (weights[:, None] * (Y - M))).ravel(order="F")
    classes = M.shape[1]
    blocks = [
        [(X.T * (weights * M[:, j] * (float(j == m) - M[:, m]))) @ X for m in range(classes)]
        for j in range(classes)
    ]
    return score, np.block(blocks)


def _relative_change(old, new) -> float:
    scale = max(float(np.max(np.abs(new))), np.finfo(float).tiny)
    return float(np.max(np.abs(new - old))) / scale


def _separated(X, Y, beta) -> bool:
    """Some fitted probabilities are numerically 0, all for classes the row is not in."""
    M = softmax_probabilities(X, beta)
    observed = np.column_stack([Y, 1.0 - Y.sum(axis=1)])
    extreme = M < _SEPARATION_EDGE
    return bool(np.any(extreme) and np.all(observed[extreme] == 0))


def _newton(X, Y, weights, max_iter, tol) -> _State:
    """Newton's method from B = 0, halving a step that lowers the log-likelihood; stops when
    the relative step is below ``tol``, or on separation (probabilities reaching 0 for
    classes the rows are not in while the coefficients keep growing)."""
    p, classes = X.shape[1], Y.shape[1]
    n_total = float(np.sum(weights))
    state = _State(beta=np.zeros((p, classes)))
    current = _loglik(X, Y, weights, state.beta)
    streak = 0
    for iteration in range(1, max_iter + 1):
        score, information = _score_and_information(X, Y, weights, state.beta)
        try:
            step = np.linalg.solve(information, score)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(information, score, rcond=None)[0]
        step = step.reshape((p, classes), order="F")
        candidate, value = state.beta + step, -np.inf
        for _ in range(_MAX_HALVINGS):
            value = _loglik(X, Y, weights, candidate)
            if np.isfinite(value) and value >= current - 1e-12 * abs(current):
                break
            step = step / 2.0
            candidate = state.beta + step
        previous, state.beta, current = state.beta, candidate, value
        state.n_iter = iteration
        state.history.append(current / n_total)
        state.relative_change = _relative_change(previous, candidate)
        if state.relative_change <= tol:
            state.converged = True
            break
        growing = np.linalg.norm(candidate) > np.linalg.norm(previous)
        streak = streak + 1 if growing and _separated(X, Y, candidate) else 0
        if streak >= 3:
            state.separated = True
            break
    return state


def _gradient_ascent(X, Y, weights, learning_rate, max_iter, tol) -> _State:
    """B ← B + learning_rate·Xᵀ W (Y − M)/n from B = 0; stops when the relative step is below
    ``tol``, or as diverged when the objective falls five steps in a row, or after ten steps
    is below its value at B = 0 (the steps overshoot back and forth)."""
    n = X.shape[0]
    n_total = float(np.sum(weights))
    state = _State(beta=np.zeros((X.shape[1], Y.shape[1])))
    start = _loglik(X, Y, weights, state.beta) / n_total
    falls = 0
    for step in range(1, max_iter + 1):
        M = softmax_probabilities(X, state.beta)[:, :-1]
        gradient = X.T @ (weights[:, None] * (Y - M)) / n
        candidate = state.beta + learning_rate * gradient
        value = _loglik(X, Y, weights, candidate) if np.all(np.isfinite(candidate)) else np.nan
        if not np.isfinite(value):
            state.diverged = True
            state.diverged_reason = "the coefficients or the log-likelihood became infinite"
            break
        falls = falls + 1 if state.history and value / n_total < state.history[-1] else 0
        state.history.append(value / n_total)
        state.n_iter = step
        state.relative_change = _relative_change(state.beta, candidate)
        state.beta = candidate
        if falls >= _DECREASES_BEFORE_DIVERGED:
            state.diverged = True
            state.diverged_reason = "the log-likelihood fell five steps in a row"
            break
        if step >= _STEPS_BEFORE_START_CHECK and value / n_total < start:
            state.diverged = True
            state.diverged_reason = "the log-likelihood fell below its value at β = 0"
            break
        if tol > 0 and state.relative_change <= tol:
            state.converged = True
            break
    state.separated = not state.diverged and _separated(X, Y, state.beta)
    return state


def _finish(X, labels, Y, weights, family, state, method) -> SoftmaxResult:
    beta = state.beta
    _, information = _score_and_information(X, Y, weights, beta)
    try:
        cov = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        cov = np.full_like(information, np.nan)
    bse = np.sqrt(np.maximum(np.diag(cov), 0.0)).reshape(beta.shape, order="F")
    loglik = _loglik(X, Y, weights, beta)
    return SoftmaxResult(
        coef=beta, bse=bse, cov=cov, loglik=loglik, deviance=-2.0 * loglik,
        n_iter=state.n_iter, converged=state.converged, diverged=state.diverged,
        perfect_separation=state.separated, history=np.asarray(state.history), method=method,
        family=family, mu=softmax_probabilities(X, beta),
        df_resid=int(np.sum(weights > 0)) - beta.size, y=labels.astype(float), weights=weights,
        X=X,
    )


def _warn_about(result, state, tol, learning_rate):
    if result.diverged:
        _warn_diverged(result, state.diverged_reason, learning_rate)
    elif result.perfect_separation:
        warnings.warn(
            "perfect separation: some classes are perfectly predicted, fitted probabilities "
            "reach 0 and the coefficients grow without bound, so the maximum-likelihood "
            f"estimate does not exist; the coefficients after {result.n_iter} iterations are "
            "finite but arbitrary (perfect_separation=True). Drop the separating feature or "
            "add data.",
            PerfectSeparationWarning, stacklevel=3,
        )
    elif not result.converged and tol > 0:
        _warn_not_converged(result, state.relative_change, tol, "newton")
