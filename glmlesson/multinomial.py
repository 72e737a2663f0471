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

from dataclasses import dataclass, field

import numpy as np
from scipy import linalg, special, stats

from glmlesson import iteration
from glmlesson.families import Categorical
from glmlesson.iteration import (
    CONVERGED,
    DIVERGED,
    SEPARATED,
    IterationState,
    IterativeFit,
    relative_change,
)
from glmlesson.separation import recession_direction_softmax
from glmlesson.validation import as_design, check_rank, check_settings, check_weights

__all__ = ["SoftmaxResult", "fit_softmax", "softmax_probabilities"]

_MAX_HALVINGS = 40
_EDGE_PROXIMITY = 1e-8  # a fitted probability this close to 0 asks whether classes separate


def softmax_probabilities(X, coef) -> np.ndarray:
    """Class probabilities μ = softmax([Xβ, 0]) for a p × (k−1) coefficient matrix β
    (reference class last); returns an n × k array whose rows sum to 1.

    Introduced in 10_softmax_regression.
    """
    X, coef = np.asarray(X, dtype=float), np.asarray(coef, dtype=float)
    eta = X @ coef
    return special.softmax(np.column_stack([eta, np.zeros(eta.shape[0])]), axis=1)


@dataclass
class SoftmaxResult(IterativeFit):
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
    fate: str = CONVERGED
    scale: float = 1.0
    names: list | None = field(default=None, repr=False)
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
        q = self._normal_quantile(level)
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
        names = _labels(names, self.names, p, "names", "coefficient row (column of X)")
        class_names = _labels(class_names, None, self.k, "class_names", "class")
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
    method, max_iter, tol, learning_rate = check_settings(method, max_iter, tol, learning_rate)
    X, names, labels, weights = _check_inputs(X, y, family, weights)
    Y = np.eye(family.k)[labels][:, :-1]
    with np.errstate(all="ignore"):
        if method == "gradient":
            state = _gradient_ascent(X, Y, weights, learning_rate, max_iter, tol)
        else:
            state = _newton(X, Y, labels, weights, max_iter, tol)
    result = _finish(X, names, labels, Y, weights, family, state, method)
    iteration.warn_about(result, state, tol, learning_rate, "newton")
    return result


# --------------------------------------------------------------------------- internals
def _labels(given, default, size, what, unit) -> list[str]:
    if given is None:
        given = default if default is not None else [str(j) if what == "class_names"
                                                     else f"x{j}" for j in range(size)]
    labels = [str(label) for label in list(given)]
    if len(labels) != size:
        raise ValueError(f"{what} has {len(labels)} entries but there are {size}; give one per "
                         f"{unit}")
    return labels


def _check_inputs(X, y, family, weights):
    X, names = as_design(X)
    n = X.shape[0]
    y_array = np.asarray(y)
    if y_array.shape != (n,):
        raise ValueError(
            f"y has shape {y_array.shape} but X has {n} rows; give one class label per row "
            "(labels, not one-hot rows)"
        )
    labels = family.validate(y_array).astype(np.int64)
    weights = check_weights(weights, n)
    check_rank(X, weights, names, stacklevel=5)
    return X, names, labels, weights


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


def _factor(information):
    """Cholesky factor of the information after scaling it to unit diagonal, with the
    scale (None when the information is not positive definite)."""
    scale = 1.0 / np.sqrt(np.maximum(np.diag(information), np.finfo(float).tiny))
    try:
        factor = linalg.cho_factor(information * np.outer(scale, scale))
    except linalg.LinAlgError:
        return None
    return factor, scale


def _solve_information(information, score):
    """The Newton step I⁻¹·score, by a scaled Cholesky factorisation (least squares
    where the information is singular, e.g. along a separating direction)."""
    factored = _factor(information)
    if factored is None:
        return np.linalg.lstsq(information, score, rcond=None)[0]
    factor, scale = factored
    return linalg.cho_solve(factor, score * scale) * scale


def _near_zero(X, beta) -> bool:
    return bool(np.min(softmax_probabilities(X, beta)) < _EDGE_PROXIMITY)


def _newton(X, Y, labels, weights, max_iter, tol) -> IterationState:
    """Newton's method from B = 0, halving a step that lowers the log-likelihood; stops
    when the relative step is below ``tol``. Where probabilities approach 0 a linear
    programme decides whether classes are separated (then the coefficients off the
    separating direction are iterated to convergence and the fit stops, separated)."""
    p, classes = X.shape[1], Y.shape[1]
    n_total = float(np.sum(weights))
    state = IterationState(beta=np.zeros((p, classes)))
    current = _loglik(X, Y, weights, state.beta)
    finite_part = None  # None: not yet asked; False: the MLE is finite; else bounded gaps
    for number in range(1, max_iter + 1):
        score, information = _score_and_information(X, Y, weights, state.beta)
        step = _solve_information(information, score).reshape((p, classes), order="F")
        candidate, value = state.beta + step, -np.inf
        for _ in range(_MAX_HALVINGS):
            value = _loglik(X, Y, weights, candidate)
            if np.isfinite(value) and value >= current - 1e-12 * abs(current):
                break
            step = step / 2.0
            candidate = state.beta + step
        previous, state.beta, current = state.beta, candidate, value
        state.n_iter = number
        state.history.append(current / n_total)
        if finite_part is None and _near_zero(X, candidate):
            found = recession_direction_softmax(X, labels, classes + 1, weights)
            finite_part = False if found is None else found[2]
        if finite_part is not None and finite_part is not False:
            # converged when the score gaps that stay bounded stop moving
            state.relative_change = (
                relative_change(finite_part @ previous.ravel(order="F"),
                                finite_part @ candidate.ravel(order="F"))
                if finite_part.shape[0] else 0.0)
            if state.relative_change <= tol:
                state.fate = SEPARATED
                break
            continue
        state.relative_change = relative_change(previous, candidate)
        if state.relative_change <= tol:
            state.fate = CONVERGED
            break
    else:
        if finite_part is not None and finite_part is not False:
            state.fate = SEPARATED
    state.converged = state.fate == CONVERGED
    state.separated = state.fate == SEPARATED
    return state


def _gradient_ascent(X, Y, weights, learning_rate, max_iter, tol) -> IterationState:
    """B ← B + learning_rate·Xᵀ W (Y − M)/n from B = 0; the fate as for GLMs
    (:func:`glmlesson.iteration.ascent_fate`)."""
    n = X.shape[0]
    n_total = float(np.sum(weights))
    state = IterationState(beta=np.zeros((X.shape[1], Y.shape[1])))
    start = _loglik(X, Y, weights, state.beta) / n_total
    judge = tol if tol > 0 else iteration.ASCENT_JUDGE_TOL
    steps = []
    for number in range(1, max_iter + 1):
        M = softmax_probabilities(X, state.beta)[:, :-1]
        gradient = X.T @ (weights[:, None] * (Y - M)) / n
        candidate = state.beta + learning_rate * gradient
        value = _loglik(X, Y, weights, candidate) if np.all(np.isfinite(candidate)) else np.nan
        if not np.isfinite(value):
            state.fate = DIVERGED
            state.reason = "the coefficients or the log-likelihood became infinite"
            break
        state.history.append(value / n_total)
        steps.append((candidate - state.beta).ravel())
        state.n_iter = number
        state.relative_change = relative_change(state.beta, candidate)
        state.beta = candidate
        if iteration.judge_ascent_step(state, gradient, judge, tol, steps, start):
            break
    iteration.close_ascent(state, steps, start)
    return state


def _finish(X, names, labels, Y, weights, family, state, method) -> SoftmaxResult:
    beta = state.beta
    _, information = _score_and_information(X, Y, weights, beta)
    factored = _factor(information)
    if factored is None:
        cov = np.full_like(information, np.nan)
    else:
        (factor, lower), scale = factored
        inverse = linalg.cho_solve((factor, lower), np.eye(information.shape[0]))
        cov = inverse * np.outer(scale, scale)
    bse = np.sqrt(np.maximum(np.diag(cov), 0.0)).reshape(beta.shape, order="F")
    loglik = _loglik(X, Y, weights, beta)
    return SoftmaxResult(
        coef=beta, bse=bse, cov=cov, loglik=loglik, deviance=-2.0 * loglik,
        n_iter=state.n_iter, converged=state.converged, diverged=state.diverged,
        perfect_separation=state.separated, fate=state.fate,
        history=np.asarray(state.history), method=method, family=family,
        mu=softmax_probabilities(X, beta), names=names,
        df_resid=int(np.sum(weights > 0)) - beta.size, y=labels.astype(float), weights=weights,
        X=X,
    )
