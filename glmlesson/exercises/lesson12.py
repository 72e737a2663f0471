"""Checks for lesson 12 (regularised GLMs): the elastic-net coordinate update, the smallest
penalty that zeroes every slope (λ_max), the cross-validated deviance of a lasso path,
and ridge regression as least squares on augmented data.

Each check runs the student's function on fresh data (not the crabs data of the lesson)
and names the usual mistake when the answer matches one. The objective is the lesson's,
F(β) = D(β)/(2n) + λ·(a·Σⱼ|βⱼ| + (1 − a)/2·Σⱼβⱼ²), the sums over the slopes only.

Introduced in 12_regularised_glms.
"""

from __future__ import annotations

import warnings

import numpy as np

from glmlesson import penalized
from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    StudentError,
    as_array,
    as_number,
    call_student,
    close,
    correct,
    describe,
    exercise,
    side_by_side,
    wrong,
)
from glmlesson.exercises._core import first_match as _matches
from glmlesson.exercises._core import quiet_fit as _quiet_fit
from glmlesson.families import Bernoulli

__all__ = ["check_coordinate_update", "check_lambda_max", "check_cv_deviance",
           "check_ridge_augmentation"]


# ------------------------------------------------------------------ 12.1 coordinate update
_RHO = np.array([-3.0, -1.0, -0.4, -0.02, 0.0, 0.2, 0.6, 2.5])
_CURVATURE = np.array([0.8, 1.2, 1.0, 0.9, 1.1, 1.5, 0.7, 1.3])
_UPDATE_CASES = ((0.6, 0.25), (0.4, 1.0))
_LIBRARY = ((penalized, "soft_threshold", "glmlesson.penalized.soft_threshold"),)


def _soft(value, threshold):
    return np.sign(value) * np.maximum(np.abs(value) - threshold, 0.0)


def _update(rho, curvature, penalty, l1_ratio, shrink=_soft, threshold=None, ridge=None):
    """S(ρ, λa)/(c + λ(1 − a)), with the pieces replaceable to build the catalogued mistakes."""
    threshold = penalty * l1_ratio if threshold is None else threshold
    ridge = penalty * (1 - l1_ratio) if ridge is None else ridge
    return shrink(rho, threshold) / (curvature + ridge)


@exercise
def check_coordinate_update(coordinate_update) -> Feedback:
    """Exercise 12.1: ``coordinate_update(rho, curvature, penalty, l1_ratio)`` returns the
    elastic-net coordinate-descent update S(ρ, λa)/(c + λ(1 − a)) for every entry of the
    arrays ``rho`` and ``curvature``, with S(ρ, γ) = sign(ρ)·max(|ρ| − γ, 0).

    The first case has λ = 0.6 and a = 0.25 (threshold 0.15, ridge term 0.45), with ρ on
    both sides of both, so clamping, the sign, hard thresholding, a and 1 − a swapped, the
    ½ of the ridge penalty and a missing ridge term each move some entry by at least 0.05."""
    for penalty, l1_ratio in _UPDATE_CASES:
        case = f"for ρ = {_RHO.tolist()}, λ = {penalty} and l1_ratio = {l1_ratio}"
        expected = _update(_RHO, _CURVATURE, penalty, l1_ratio)
        answer = call_student(coordinate_update, _RHO.copy(), _CURVATURE.copy(), penalty,
                              l1_ratio, case=case,
                              names=("rho", "curvature", "penalty", "l1_ratio"),
                              forbidden=_LIBRARY, instead="use the lesson's own soft_threshold "
                              "or write S(ρ, γ) with np.sign, np.abs and np.maximum")
        answer = as_array(answer, "the updated coefficients", expected.shape, case,
                          "one coefficient per entry of rho")
        if close(answer, expected, rtol=1e-12, atol=1e-12):
            continue
        message = _matches(answer, _update_mistakes(penalty, l1_ratio), rtol=1e-9, atol=1e-12)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the updates are {want}, yours are {got}")
    return correct("ρ within λa of 0 gives exactly 0 (the lasso part), and the rest is shrunk "
                   "by λa and divided by c + λ(1 − a) (the ridge part).")


def _update_mistakes(penalty, l1_ratio):
    rho, c, lam, a = _RHO, _CURVATURE, penalty, l1_ratio
    unclamped = lambda value, gamma: np.sign(value) * (np.abs(value) - gamma)  # noqa: E731
    return [
        (_update(rho, c, lam, a, unclamped), "values with |ρ| ≤ λa must give exactly 0, but "
         "yours crossed zero to the other sign: clamp |ρ| − λa at 0 with np.maximum before "
         "putting the sign back"),
        (_update(rho, c, lam, a, lambda v, g: v - g), "you subtracted λa from every ρ, so "
         "negative values moved away from 0; the soft-threshold moves ρ TOWARDS 0"),
        (_update(rho, c, lam, a, lambda v, g: np.maximum(v - g, 0.0)), "every negative ρ gave "
         "0: max(ρ − λa, 0) keeps only the positive side; use sign(ρ)·max(|ρ| − λa, 0)"),
        (_update(rho, c, lam, a, lambda v, g: np.maximum(np.abs(v) - g, 0.0)), "you lost the "
         "sign: a negative ρ must give a negative coefficient"),
        (_update(rho, c, lam, a, lambda v, g: v * (np.abs(v) > g)), "that is hard "
         "thresholding (keep or kill); the lasso also shrinks the survivors by λa"),
        (_update(rho, c, lam, a, threshold=lam * (1 - a), ridge=lam * a), "you swapped a and "
         "1 − a: the threshold is λ·l1_ratio (the |β| part), the ridge term λ·(1 − l1_ratio)"),
        (_update(rho, c, lam, a, threshold=lam), "your threshold is λ; only the lasso share of "
         "the penalty thresholds: λ·l1_ratio"),
        (_update(rho, c, lam, a, ridge=lam), "your ridge term is λ; only the ridge share adds "
         "to the curvature: λ·(1 − l1_ratio)"),
        (_update(rho, c, lam, a, ridge=lam * (1 - a) / 2), "your ridge term is λ(1 − a)/2: the "
         "penalty is λ(1 − a)/2·β², and its derivative λ(1 − a)·β has no ½"),
        (_update(rho, c, lam, a, ridge=0.0), "you left out the ridge term: divide by "
         "c + λ(1 − a), not by c alone"),
        (_soft(rho, lam * a), "you did not divide by the curvature: the update is "
         "S(ρ, λa)/(c + λ(1 − a))"),
        (_soft(rho, lam * a) / c - lam * (1 - a), "the ridge term goes in the denominator, "
         "c + λ(1 − a), not subtracted afterwards"),
    ]


def _update_by(**pieces):
    def coordinate_update(rho, curvature, penalty, l1_ratio):
        parts = {key: value(penalty, l1_ratio) if callable(value) and key != "shrink" else value
                 for key, value in pieces.items()}
        return _update(rho, curvature, penalty, l1_ratio, **parts)
    return coordinate_update


check_coordinate_update.mistakes = (
    Mistake("no clamp: sign(ρ)(|ρ| − λa) crosses zero",
            _update_by(shrink=lambda v, g: np.sign(v) * (np.abs(v) - g)), "crossed zero"),
    Mistake("ρ − λa for every ρ", _update_by(shrink=lambda v, g: v - g), "TOWARDS 0"),
    Mistake("max(ρ − λa, 0): negatives set to 0",
            _update_by(shrink=lambda v, g: np.maximum(v - g, 0.0)), "positive side"),
    Mistake("max(|ρ| − λa, 0): sign lost",
            _update_by(shrink=lambda v, g: np.maximum(np.abs(v) - g, 0.0)), "sign"),
    Mistake("hard thresholding",
            _update_by(shrink=lambda v, g: np.where(np.abs(v) > g, v, 0.0)), "hard thresholding"),
    Mistake("a and 1 − a swapped",
            _update_by(threshold=lambda lam, a: lam * (1 - a), ridge=lambda lam, a: lam * a),
            "swapped"),
    Mistake("threshold λ instead of λa", _update_by(threshold=lambda lam, a: lam),
            "your threshold is λ"),
    Mistake("ridge term λ instead of λ(1 − a)", _update_by(ridge=lambda lam, a: lam),
            "your ridge term is λ;"),
    Mistake("ridge term λ(1 − a)/2", _update_by(ridge=lambda lam, a: lam * (1 - a) / 2),
            "no ½"),
    Mistake("no ridge term", _update_by(ridge=lambda lam, a: 0.0), "left out the ridge term"),
    Mistake("not divided by the curvature",
            lambda rho, curvature, penalty, l1_ratio: _soft(rho, penalty * l1_ratio),
            "did not divide"),
    Mistake("ridge term subtracted after dividing",
            lambda rho, curvature, penalty, l1_ratio: (_soft(rho, penalty * l1_ratio) / curvature
                                                       - penalty * (1 - l1_ratio)),
            "denominator"),
    Mistake("a call to the library's soft_threshold",
            lambda rho, curvature, penalty, l1_ratio: (
                penalized.soft_threshold(rho, penalty * l1_ratio)
                / (curvature + penalty * (1 - l1_ratio))), "rules out"),
)


# ------------------------------------------------------------------ 12.2 λ_max
def _lambda_max_cases():
    """A Bernoulli and a Poisson design with an intercept column and uncentred features."""
    rng = np.random.default_rng(1202)
    n = 60
    features = np.column_stack([rng.uniform(1, 3, n), rng.normal(2.0, 1.0, n),
                                rng.binomial(1, 0.3, n)])
    X = np.column_stack([np.ones(n), features])
    p = 1 / (1 + np.exp(-(-1.6 + 0.8 * (features[:, 0] - 2) - 0.5 * features[:, 2])))
    y_binary = rng.binomial(1, p).astype(float)
    n2 = 45
    X2 = np.column_stack([np.ones(n2), rng.uniform(0, 4, n2), rng.normal(-1.0, 0.5, n2)])
    y_counts = rng.poisson(np.exp(0.3 + 0.3 * X2[:, 1])).astype(float)
    return [(X, y_binary, 0.5, "for 60 rows of 0/1 data (logistic lasso) with l1_ratio = 0.5"),
            (X2, y_counts, 0.8, "for 45 Poisson counts with l1_ratio = 0.8")]


def _score(X, y):
    """|xⱼᵀ(y − ȳ)|/n for the slopes: the score of D/(2n) at the intercept-only fit."""
    return np.abs(X[:, 1:].T @ (y - y.mean())) / len(y)


@exercise
def check_lambda_max(lambda_max) -> Feedback:
    """Exercise 12.2: ``lambda_max(X, y, l1_ratio)`` returns maxⱼ |xⱼᵀ(y − ȳ)|/(n·a), the
    smallest penalty at which a canonical-link elastic net keeps every slope at 0 (X's
    first column is the unpenalised intercept).

    The first case has l1_ratio = 0.5, ȳ far from 0 and 1/2 and uncentred features, so
    forgetting n, a, the ½ of the deviance, or the intercept each changes the answer."""
    for X, y, l1_ratio, case in _lambda_max_cases():
        n = len(y)
        expected = _score(X, y).max() / l1_ratio
        answer = call_student(lambda_max, X.copy(), y.copy(), l1_ratio, case=case,
                              names=("X", "y", "l1_ratio"))
        answer = as_number(answer, "λ_max", case)
        if close(answer, expected, rtol=1e-8, atol=0):
            continue
        centred = (X[:, 1:] - X[:, 1:].mean(axis=0)) / X[:, 1:].std(axis=0)
        message = _matches(answer, [
            (expected * n, "that is n times too large: the objective divides the deviance by "
             "2n, so the score is xⱼᵀ(y − ȳ)/n"),
            (expected * l1_ratio, "divide by l1_ratio: only the a·λ part of the penalty can "
             "hold a slope at 0, so λ_max = max|score|/a"),
            (expected * l1_ratio**2, "you multiplied by l1_ratio; divide by it"),
            (2 * expected, "twice too large: the deviance D = −2ℓ + const is divided by 2n, "
             "so the gradient of D/(2n) is −Xᵀ(y − μ)/n, without a factor 2"),
            (np.abs(X[:, 1:].T @ y).max() / (n * l1_ratio), "you used y, not y − ȳ: the "
             "intercept is not penalised, so the slopes start from the intercept-only fit, "
             "where every fitted mean is ȳ"),
            (_score(X, y).sum() / l1_ratio, "that is the sum of the |scores|; λ_max is the "
             "largest one (the last slope to leave 0 decides)"),
            (np.abs(centred.T @ (y - y.mean())).max() / (n * l1_ratio), "you standardised "
             "the columns; λ_max is for X as it is given"),
        ], rtol=1e-8, atol=0)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} λ_max is {want}, yours is {got}")
    return correct("above λ_max = max|xⱼᵀ(y − ȳ)|/(n·a) no slope can leave 0, for every "
                   "canonical-link family: the path starts there.")


def _lambda_max_by(score, factor=1.0, power=-1):
    def lambda_max(X, y, l1_ratio):
        return factor * score(X, y) * l1_ratio**power
    return lambda_max


check_lambda_max.mistakes = (
    Mistake("forgot the 1/n of the deviance",
            _lambda_max_by(lambda X, y: np.abs(X[:, 1:].T @ (y - y.mean())).max()),
            "n times"),
    Mistake("did not divide by l1_ratio",
            _lambda_max_by(lambda X, y: _score(X, y).max(), power=0), "divide by l1_ratio"),
    Mistake("multiplied by l1_ratio",
            _lambda_max_by(lambda X, y: _score(X, y).max(), power=1), "multiplied"),
    Mistake("D/n instead of D/(2n)",
            _lambda_max_by(lambda X, y: _score(X, y).max(), factor=2.0), "twice"),
    Mistake("y instead of y − ȳ (score at β = 0)",
            _lambda_max_by(lambda X, y: np.abs(X[:, 1:].T @ y).max() / len(y)), "y − ȳ"),
    Mistake("sum of the |scores|", _lambda_max_by(lambda X, y: _score(X, y).sum()), "sum"),
    Mistake("standardised the columns first",
            _lambda_max_by(lambda X, y: np.abs(((X[:, 1:] - X[:, 1:].mean(0)) / X[:, 1:].std(0)).T
                                               @ (y - y.mean())).max() / len(y)),
            "standardised"),
)


# ------------------------------------------------------------------ 12.3 CV deviance
def _cv_case():
    """100 rows of 0/1 data, four features, four folds of unequal size, four penalties."""
    rng = np.random.default_rng(1203)
    n = 100
    features = rng.normal(size=(n, 4))
    X = np.column_stack([np.ones(n), features])
    eta = 0.4 + features @ np.array([1.2, -0.8, 0.0, 0.0])
    y = rng.binomial(1, 1 / (1 + np.exp(-eta))).astype(float)
    folds = np.repeat(np.arange(4), [40, 30, 20, 10])
    folds = folds[rng.permutation(n)]
    penalties = np.array([0.2, 0.05, 0.01, 0.001])
    return X, y, penalties, folds


def _cv(X, y, penalties, folds, held_out=True, refit=True, l1_ratio=1.0, per_fold=False):
    bernoulli = Bernoulli()
    table = np.zeros((np.unique(folds).size, penalties.size))
    sizes = np.zeros(np.unique(folds).size)
    for row, k in enumerate(np.unique(folds)):
        train = folds != k if refit else np.ones_like(folds, dtype=bool)
        scored = folds == k if held_out else train
        sizes[row] = scored.sum()
        for column, penalty in enumerate(penalties):
            result = _quiet_fit(X[train], y[train], bernoulli, penalty=penalty,
                                l1_ratio=l1_ratio)
            table[row, column] = bernoulli.deviance(y[scored], result.predict(X[scored]))
    if per_fold:
        return np.mean(table / sizes[:, None], axis=0)
    return table.sum(axis=0) / (len(y) if held_out else sizes.sum())


@exercise
def check_cv_deviance(cv_deviance) -> Feedback:
    """Exercise 12.3: ``cv_deviance(X, y, penalties, folds)`` returns, for each penalty, the
    K-fold cross-validated deviance of a logistic lasso (l1_ratio = 1): for each fold k fit
    on the other folds, add up the deviance of fold k's rows, and divide the total by n.

    The folds have 40, 30, 20 and 10 rows, so averaging the folds' means differs from the
    right answer; the smallest penalty overfits, so training and held-out deviances differ."""
    X, y, penalties, folds = _cv_case()
    case = "for 100 rows of 0/1 data, 4 folds of unequal size and penalties 0.2 to 0.001"
    expected = _cv(X, y, penalties, folds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answer = call_student(cv_deviance, X.copy(), y.copy(), penalties.copy(), folds.copy(),
                              case=case, names=("X", "y", "penalties", "folds"))
    answer = as_array(answer, "the cross-validated deviances", expected.shape, case,
                      "one number per penalty")
    if close(answer, expected, rtol=1e-5, atol=1e-8):
        best = penalties[int(np.argmin(expected))]
        return correct(f"every row is scored once, by a fit that never saw it; here the "
                       f"held-out deviance is smallest at λ = {best:g}.")
    message = _matches(answer, [
        (_cv(X, y, penalties, folds, held_out=False), "these are training deviances: score "
         "each fit on the held-out fold (folds == k), not on the rows it was fitted to"),
        (_cv(X, y, penalties, folds, refit=False), "you fitted on every row, so the held-out "
         "rows were seen by the fit; fit on folds != k only"),
        (_cv(X, y, penalties, folds, per_fold=True), "you averaged the folds' mean deviances, "
         "which gives a row of the 10-row fold four times the say of a row of the 40-row "
         "fold; add up the held-out deviances and divide by n"),
        (expected * len(y), "that is the total held-out deviance; divide it by n = len(y)"),
        (-expected / 2, "that is the held-out log-likelihood per row; the deviance is "
         "−2·log-likelihood for 0/1 data (Bernoulli().deviance computes it)"),
        (_cv(X, y, penalties, folds, l1_ratio=0.0), "that is ridge (l1_ratio = 0); the "
         "exercise asks for the lasso, fit(..., penalty=λ, l1_ratio=1.0)"),
    ], rtol=1e-5, atol=1e-8)
    want, got = side_by_side(expected, answer)
    return wrong(message or f"{case} the cross-validated deviances are {want}, yours are {got}")


def _cv_answer(**options):
    def cv_deviance(X, y, penalties, folds):
        return _cv(X, y, np.asarray(penalties), folds, **options)
    return cv_deviance


check_cv_deviance.mistakes = (
    Mistake("training deviance", _cv_answer(held_out=False), "training deviances"),
    Mistake("one fit on all rows, no refit per fold", _cv_answer(refit=False),
            "fitted on every row"),
    Mistake("mean of the folds' mean deviances", _cv_answer(per_fold=True),
            "averaged the folds' mean"),
    Mistake("total, not divided by n",
            lambda X, y, penalties, folds: _cv(X, y, penalties, folds) * len(y), "divide it by n"),
    Mistake("log-likelihood instead of deviance",
            lambda X, y, penalties, folds: -_cv(X, y, penalties, folds) / 2, "log-likelihood"),
    Mistake("ridge instead of lasso", _cv_answer(l1_ratio=0.0), "ridge"),
)


# ------------------------------------------------------------------ 12.4 augmented ridge
def _ridge_cases():
    rng = np.random.default_rng(1204)
    cases = []
    for n, penalty in ((30, 0.3), (25, 2.0)):
        features = rng.normal(size=(n, 3)) + np.array([1.0, -2.0, 0.5])
        X = np.column_stack([np.ones(n), features])
        y = 1.5 + features @ np.array([0.7, -0.4, 1.1]) + rng.normal(size=n)
        cases.append((X, y, penalty, f"for {n} rows, three features and penalty λ = {penalty}"))
    return cases


def _ridge(X, y, penalty):
    """argmin ‖y − Xβ‖²/(2n) + λ/2·Σ_{j ≥ 1} βⱼ², from its normal equations."""
    n, p = X.shape
    ridge = n * penalty * np.diag(np.r_[0.0, np.ones(p - 1)])
    return np.linalg.solve(X.T @ X + ridge, X.T @ y)


def _read_pair(value, n, p, case):
    """The student's (X̃, ỹ) as arrays of matching rows, or StudentError."""
    try:
        pair = None if isinstance(value, (str, dict, np.ndarray)) else tuple(value)
    except Exception:  # any object a student's code returns
        pair = None
    if pair is None or len(pair) != 2:
        raise StudentError(wrong(f"return two things, (X_aug, y_aug); your function returned "
                                 f"{describe(value)} {case}"))
    X_aug = as_array(pair[0], "X_aug", case=case)
    y_aug = as_array(pair[1], "y_aug", case=case)
    if X_aug.ndim != 2 or X_aug.shape[1] != p or X_aug.shape[0] < n:
        raise StudentError(wrong(f"X_aug should keep X's {p} columns and add rows below its "
                                 f"{n} rows; yours has shape {X_aug.shape} {case}"))
    if y_aug.shape != (X_aug.shape[0],):
        raise StudentError(wrong(f"y_aug needs one entry per row of X_aug ({X_aug.shape[0]}), "
                                 f"yours has shape {y_aug.shape} {case}: append a 0 for each "
                                 "added row"))
    return X_aug, y_aug


@exercise
def check_ridge_augmentation(augment) -> Feedback:
    """Exercise 12.4: ``augment(X, y, penalty)`` returns (X̃, ỹ) whose ordinary least
    squares is the ridge fit argmin ‖y − Xβ‖²/(2n) + λ/2·Σ_{j ≥ 1} βⱼ²: X̃ = X with the rows
    √(nλ)·eⱼ (j ≥ 1) below it, ỹ = y with as many zeros (X's first column is the intercept).

    nλ is 9 and 50 in the two cases, so √(nλ), √λ, λ and nλ differ, and the intercept
    (features with non-zero means) moves if it is penalised."""
    for X, y, penalty, case in _ridge_cases():
        n, p = X.shape
        expected = _ridge(X, y, penalty)
        answer = call_student(augment, X.copy(), y.copy(), penalty, case=case,
                              names=("X", "y", "penalty"))
        X_aug, y_aug = _read_pair(answer, n, p, case)
        if not np.all(np.isfinite(X_aug)) or not np.all(np.isfinite(y_aug)):
            return wrong(f"X_aug or y_aug holds NaN or infinite values {case}")
        beta = np.linalg.lstsq(X_aug, y_aug, rcond=None)[0]
        if close(beta, expected, rtol=1e-8, atol=1e-10):
            continue
        message = _matches(beta, [
            (_ridge(X, y, penalty / n), "your added rows are √λ·eⱼ, which adds λ·Σβⱼ² to the "
             "sum of squares; the objective divides the sum of squares by 2n, so multiply by n: "
             "the rows are √(nλ)·eⱼ"),
            (_ridge(X, y, penalty**2 / n), "your added rows are λ·eⱼ; a row enters least squares "
             "squared, so it must be √(nλ)·eⱼ"),
            (_ridge(X, y, n * penalty**2), "your added rows are nλ·eⱼ; a row enters least squares "
             "squared, so it must be √(nλ)·eⱼ"),
            (np.linalg.solve(X.T @ X + n * penalty * np.eye(p), X.T @ y), "you added a row for "
             "the intercept too, which shrinks it towards 0; leave the intercept unpenalised "
             "(no row for X's column of ones)"),
        ], rtol=1e-6, atol=1e-9)
        if message is None and not np.allclose(y_aug[n:], 0.0):
            message = ("the added rows' responses should be 0: they are pseudo-observations "
                       "that pull each slope towards the prior mean 0")
        want, got = side_by_side(expected, beta)
        return wrong(message or f"{case} least squares on the ridge data gives β = {want}; on "
                     f"yours it gives {got}")
    return correct("least squares on X with √(nλ)·I below it is ridge: each added row is a "
                   "pseudo-observation saying 'this slope is 0'.")


def _augment_by(scale, intercept=False, response=0.0):
    def augment(X, y, penalty):
        n, p = X.shape
        rows = scale(n, penalty) * np.eye(p)
        rows = rows if intercept else rows[1:]
        return np.vstack([X, rows]), np.r_[y, np.full(len(rows), response(n, penalty)
                                                      if callable(response) else response)]
    return augment


check_ridge_augmentation.mistakes = (
    Mistake("√λ: forgot the 1/n scaling of the deviance",
            _augment_by(lambda n, lam: np.sqrt(lam)), "√λ"),
    Mistake("λ: no square root", _augment_by(lambda n, lam: lam), "λ·eⱼ"),
    Mistake("nλ: no square root", _augment_by(lambda n, lam: n * lam), "nλ·eⱼ"),
    Mistake("penalised the intercept",
            _augment_by(lambda n, lam: np.sqrt(n * lam), intercept=True), "intercept"),
    Mistake("responses √(nλ) instead of 0",
            _augment_by(lambda n, lam: np.sqrt(n * lam), response=lambda n, lam: np.sqrt(n * lam)),
            "should be 0"),
    Mistake("y not extended", lambda X, y, penalty: (np.vstack(
        [X, np.sqrt(len(y) * penalty) * np.eye(X.shape[1])[1:]]), y), "one entry per row"),
    Mistake("the coefficients instead of the data",
            lambda X, y, penalty: _ridge(X, y, penalty), "two things"),
)
