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
    features = np.column_stack([rng.uniform(1, 3, n), -rng.normal(2.0, 1.0, n),
                                rng.binomial(1, 0.3, n)])  # the largest |score| is negative
    X = np.column_stack([np.ones(n), features])
    p = 1 / (1 + np.exp(-(-1.6 + 0.8 * (features[:, 0] - 2) - 0.5 * features[:, 2])))
    y_binary = rng.binomial(1, p).astype(float)
    n2 = 45
    X2 = np.column_stack([np.ones(n2), rng.uniform(0, 4, n2), rng.normal(-1.0, 0.5, n2)])
    y_counts = rng.poisson(np.exp(0.3 + 0.3 * X2[:, 1])).astype(float)
    return [(X, y_binary, 0.4, "for 60 rows of 0/1 data (logistic elastic net) with "
             "l1_ratio = 0.4"),
            (X2, y_counts, 0.8, "for 45 Poisson counts with l1_ratio = 0.8")]


def _score(X, y):
    """|xⱼᵀ(y − ȳ)|/n for the slopes: the size of the gradient of D/(2n) at the
    intercept-only fit, the score Uⱼ = xⱼᵀ(y − ȳ) divided by n."""
    return np.abs(X[:, 1:].T @ (y - y.mean())) / len(y)


@exercise
def check_lambda_max(lambda_max) -> Feedback:
    """Exercise 12.2: ``lambda_max(X, y, l1_ratio)`` returns maxⱼ |xⱼᵀ(y − ȳ)|/(n·a), the
    smallest penalty at which a canonical-link elastic net keeps every slope at 0 (X's
    first column is the unpenalised intercept).

    The first case has l1_ratio = 0.4 (so dividing by a, by 2 and by a² all differ), ȳ far
    from 0 and 1/2, uncentred features, and its largest |score| is negative, so forgetting
    n, a, the ½ of the deviance, the absolute value or the intercept each changes the
    answer."""
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
             "2n, so its gradient along βⱼ is the score xⱼᵀ(y − ȳ) divided by n"),
            (expected * l1_ratio, "divide by l1_ratio: only the a·λ part of the penalty can "
             "hold a slope at 0, so λ_max = max|score|/a"),
            (expected * l1_ratio**2, "you multiplied by l1_ratio; divide by it"),
            (2 * expected, "twice too large: the deviance D = −2ℓ + const is divided by 2n, "
             "so the gradient of D/(2n) is −Xᵀ(y − μ)/n, without a factor 2"),
            (expected / 2, "half as large: you divided by 2n·a, but D/(2n) already has the "
             "½ (D = −2ℓ + const), so its gradient is −Xᵀ(y − μ)/n: divide by n·a"),
            ((X[:, 1:].T @ (y - y.mean())).max() / (n * l1_ratio), "you forgot the absolute "
             "value: a slope leaves 0 when its score is large in size, of either sign (here "
             "the largest is negative); take np.abs of the scores before the max"),
            (np.abs(X[:, 1:].T @ y).max() / (n * l1_ratio), "you used y, not y − ȳ: the "
             "intercept is not penalised, so the slopes start from the intercept-only fit, "
             "where every fitted mean is ȳ"),
            (_score(X, y).sum() / l1_ratio, "that is the sum of the |scores|; λ_max is the "
             "largest one: as λ falls from above, the FIRST slope to leave 0 (the one with "
             "the largest |score|) decides"),
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
    Mistake("divided by 2n·a: the ½ counted twice",
            _lambda_max_by(lambda X, y: _score(X, y).max(), factor=0.5), "half as large"),
    Mistake("no absolute value: the largest signed score",
            lambda X, y, l1_ratio: np.max(X[:, 1:].T @ (y - y.mean())) / (len(y) * l1_ratio),
            "absolute value"),
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
    """100 rows of 0/1 data, four features, four folds (0 to 3) of unequal size, five
    penalties (so a folds × penalties table is not square)."""
    rng = np.random.default_rng(1203)
    n = 100
    features = rng.normal(size=(n, 4))
    X = np.column_stack([np.ones(n), features])
    eta = 0.4 + features @ np.array([1.2, -0.8, 0.0, 0.0])
    y = rng.binomial(1, 1 / (1 + np.exp(-eta))).astype(float)
    folds = np.repeat(np.arange(4), [40, 30, 20, 10])
    folds = folds[rng.permutation(n)]
    penalties = np.array([0.2, 0.05, 0.02, 0.01, 0.001])
    return X, y, penalties, folds


def _cv(X, y, penalties, folds, held_out=True, refit=True, l1_ratio=1.0, per_fold=False,
        by_n=False, shift=0, swap=False):
    """The cross-validated deviances, with switches that build the catalogued mistakes:
    ``by_n`` divides a training total by n, ``shift`` numbers the folds from 1, ``swap``
    fits on fold k and scores the others."""
    bernoulli = Bernoulli()
    labels = np.unique(folds) + shift
    table = np.zeros((labels.size, penalties.size))
    sizes = np.zeros(labels.size)
    for row, k in enumerate(labels):
        train = folds != k if refit else np.ones_like(folds, dtype=bool)
        scored = folds == k if held_out else train
        if swap:
            train, scored = scored, train
        if not scored.any():
            continue
        sizes[row] = scored.sum()
        for column, penalty in enumerate(penalties):
            result = _quiet_fit(X[train], y[train], bernoulli, penalty=penalty,
                                l1_ratio=l1_ratio)
            table[row, column] = bernoulli.deviance(y[scored], result.predict(X[scored]))
    if per_fold:
        return np.mean(table / sizes[:, None], axis=0)
    return table.sum(axis=0) / (len(y) if held_out or by_n else sizes.sum())


@exercise
def check_cv_deviance(cv_deviance) -> Feedback:
    """Exercise 12.3: ``cv_deviance(X, y, penalties, folds)`` returns, for each penalty, the
    K-fold cross-validated deviance of a logistic lasso (l1_ratio = 1): for each fold k fit
    on the other folds, add up the deviance of fold k's rows, and divide the total by n.

    The folds are numbered 0 to K − 1 and have 40, 30, 20 and 10 rows, so averaging the
    folds' means differs from the right answer; the smallest penalty overfits, so training
    and held-out deviances differ; five penalties and four folds, so a table with one row per
    fold is not mistaken for one per penalty."""
    X, y, penalties, folds = _cv_case()
    case = ("for 100 rows of 0/1 data, folds numbered 0 to 3 of unequal size and 5 penalties "
            "from 0.2 to 0.001")
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
        (_cv(X, y, penalties, folds, held_out=False, by_n=True), "these are training "
         "deviances (added up over the folds and divided by n): score each fit on the "
         "held-out fold (folds == k), not on the rows it was fitted to"),
        (_cv(X, y, penalties, folds, swap=True), "you swapped training and test: fit on the "
         "other folds (folds != k) and score fold k (folds == k)"),
        (_cv(X, y, penalties, folds, shift=1), "the folds are numbered 0 to K − 1: with k "
         "from 1 to K, fold 0 is never held out (loop over np.unique(folds))"),
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
    Mistake("training deviance divided by n", _cv_answer(held_out=False, by_n=True),
            "divided by n): score"),
    Mistake("training and test swapped", _cv_answer(swap=True), "swapped training and test"),
    Mistake("folds numbered 1 to K", _cv_answer(shift=1), "numbered 0 to K − 1"),
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


def _rows_problem(X_aug, y_aug, X, y, penalty, case):
    """What is wrong with the rows of (X̃, ỹ), or None: X and y on top unchanged, responses
    0 below, and added rows with X_addᵀX_add = nλ·S (S the identity with 0 for the
    intercept), named by the factor they carry instead."""
    n, p = X.shape
    if X_aug.shape[0] == n:
        return (f"X_aug has no rows added below X {case}: ridge comes from pseudo-observations "
                "(one row per slope, response 0) added to the data, not from changing y")
    if not (np.array_equal(X_aug[:n], X) and np.allclose(y_aug[:n], y, rtol=1e-12, atol=0)):
        return (f"the first n rows of (X_aug, y_aug) must be X and y themselves {case}: the "
                "real observations stay as they are, the pseudo-observations go below them")
    if not np.allclose(y_aug[n:], 0.0):
        return ("the added rows' responses should be 0: they are pseudo-observations "
                "that pull each slope towards the prior mean 0")
    gram = X_aug[n:].T @ X_aug[n:]
    slopes = np.diag(np.r_[0.0, np.ones(p - 1)])
    if close(gram, n * penalty * slopes, rtol=1e-9, atol=1e-9):
        return None
    factors = [
        (penalty, "your added rows are √λ·eⱼ, which adds λ·Σβⱼ² to the sum of squares; the "
         "objective divides the sum of squares by 2n, so multiply by n: the rows are √(nλ)·eⱼ"),
        (penalty**2, "your added rows are λ·eⱼ; a row enters least squares squared, so it must "
         "be √(nλ)·eⱼ"),
        ((n * penalty) ** 2, "your added rows are nλ·eⱼ; a row enters least squares squared, so "
         "it must be √(nλ)·eⱼ"),
        (2 * n * penalty, "your added rows are √(2nλ)·eⱼ, a factor 2 too strong: multiplied "
         "by 2n the objective is ‖y − Xβ‖² + nλ·Σβⱼ² (the 2 cancels the ½ of λ/2), so the "
         "rows are √(nλ)·eⱼ"),
        (n * penalty / 2, "your added rows are √(nλ/2)·eⱼ, a factor 2 too weak: multiplied by "
         "2n the objective is ‖y − Xβ‖² + nλΣβⱼ² (the ½ of λ/2·β² cancels too), so the rows "
         "are √(nλ)·eⱼ"),
    ]
    for factor, message in factors:
        if close(gram, factor * slopes, rtol=1e-9, atol=1e-9):
            return message
    if close(gram, n * penalty * np.eye(p), rtol=1e-9, atol=1e-9):
        return ("you added a row for the intercept too, which shrinks it towards 0; leave the "
                "intercept unpenalised (no row for X's column of ones)")
    used = gram[1, 1] / penalty
    if (close(gram, gram[1, 1] * slopes, rtol=1e-9, atol=1e-9) and used > 0.5
            and abs(used - round(used)) < 1e-6):
        return (f"your rows are √(mλ)·eⱼ with m = {round(used)}, but this data set has "
                f"n = {n} rows {case}: take n from X inside the function (n, p = X.shape), "
                "not from a variable outside it")
    return (f"the added rows should satisfy X_addᵀX_add = nλ·S {case} (S the identity with 0 "
            "for the intercept): one row √(nλ)·eⱼ per slope")


@exercise
def check_ridge_augmentation(augment) -> Feedback:
    """Exercise 12.4: ``augment(X, y, penalty)`` returns (X̃, ỹ) whose ordinary least
    squares is the ridge fit argmin ‖y − Xβ‖²/(2n) + λ/2·Σ_{j ≥ 1} βⱼ²: X̃ = X with the rows
    √(nλ)·eⱼ (j ≥ 1) below it, ỹ = y with as many zeros (X's first column is the intercept).

    Any added rows R with RᵀR = nλ·S (S the identity with 0 for the intercept) and zero
    responses are right; X and y must stay on top unchanged, so an answer that changes y
    instead of adding rows is not. nλ is 9 and 50 in the two cases, so √(nλ), √λ, λ, nλ,
    √(2nλ), √(nλ/2) and an n from outside the function differ, and the intercept (features
    with non-zero means) moves if it is penalised."""
    for X, y, penalty, case in _ridge_cases():
        n, p = X.shape
        expected = _ridge(X, y, penalty)
        answer = call_student(augment, X.copy(), y.copy(), penalty, case=case,
                              names=("X", "y", "penalty"))
        X_aug, y_aug = _read_pair(answer, n, p, case)
        if not np.all(np.isfinite(X_aug)) or not np.all(np.isfinite(y_aug)):
            return wrong(f"X_aug or y_aug holds NaN or infinite values {case}")
        message = _rows_problem(X_aug, y_aug, X, y, penalty, case)
        if message:
            return wrong(message)
        beta = np.linalg.lstsq(X_aug, y_aug, rcond=None)[0]
        if not close(beta, expected, rtol=1e-8, atol=1e-10):
            want, got = side_by_side(expected, beta)
            return wrong(f"{case} least squares on the ridge data gives β = {want}; on yours "
                         f"it gives {got}")
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
    Mistake("rows √(2nλ): the objective multiplied by n, not 2n",
            _augment_by(lambda n, lam: np.sqrt(2 * n * lam)), "√(2nλ)"),
    Mistake("rows √(nλ/2): the ½ of λ/2 kept",
            _augment_by(lambda n, lam: np.sqrt(n * lam / 2)), "√(nλ/2)"),
    Mistake("n of the notebook's data (173 crabs), not of X",
            _augment_by(lambda n, lam: np.sqrt(173 * lam)), "m = 173"),
    Mistake("no rows added: X and its ridge fitted values",
            lambda X, y, penalty: (X, X @ _ridge(X, y, penalty)), "no rows added"),
    Mistake("rows eⱼ with the ridge slopes as responses",
            lambda X, y, penalty: (np.vstack([X, np.eye(X.shape[1])[1:]]),
                                   np.r_[y, _ridge(X, y, penalty)[1:]]), "should be 0"),
    Mistake("y changed on top (the real rows' responses replaced)",
            lambda X, y, penalty: (np.vstack([X, np.sqrt(len(y) * penalty)
                                              * np.eye(X.shape[1])[1:]]),
                                   np.r_[X @ _ridge(X, y, penalty), np.zeros(X.shape[1] - 1)]),
            "must be X and y themselves"),
)
