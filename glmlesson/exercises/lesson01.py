"""Checks for lesson 01 (linear regression): the normal equations solved by hand for
one feature, one step of gradient descent on the least-squares loss, the two
estimates of σ², and the Gaussian log-likelihood.

Each check runs the student's function on data it draws itself (other sizes,
seeds and numbers of columns than the lesson's), compares with an independent answer
(numpy's lstsq, scipy.stats.norm) and names the usual mistake when the answer
matches one.

Introduced in 01_linear_regression.
"""

from __future__ import annotations

import functools
import statistics

import numpy as np
import scipy.linalg
import scipy.optimize
from scipy import stats

from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    as_array,
    as_number,
    as_numbers,
    call_student,
    close,
    correct,
    exercise,
    first_match,
    side_by_side,
    wrong,
)

__all__ = [
    "check_simple_regression",
    "check_gradient_step",
    "check_sigma2_estimates",
    "check_gaussian_loglik",
]


# ------------------------------------------------------------------------- shared helpers
def _regression_case(seed, n, beta=(1.5, -2.0, 0.7), noise=0.9):
    """A fresh design with an intercept and len(beta) − 1 uniform features, and y."""
    rng = np.random.default_rng(seed)
    features = rng.uniform(-2.0, 3.0, size=(n, len(beta) - 1))
    X = np.column_stack([np.ones(n), features])
    y = X @ np.asarray(beta) + rng.normal(0.0, noise, size=n)
    return X, y


def _least_squares(X, y):
    return np.linalg.lstsq(X, y, rcond=None)[0]


# Lesson 01's answers are least-squares numbers: tighter tolerances, and NaN is no match.
_first_match = functools.partial(first_match, rtol=1e-7, atol=1e-10, equal_nan=False)


# ------------------------------------------------- 01.1 the normal equations for one feature
_SIMPLE_CASES = ((1111, 15, (3.0, -1.25)), (1112, 40, (-0.5, 0.8)))

# Library solvers that would do the exercise's work; the check notices a call to any of them.
_SOLVERS = (
    (np, "polyfit", "np.polyfit"),
    (np.polynomial.polynomial, "polyfit", "np.polynomial.polynomial.polyfit"),
    (np.linalg, "lstsq", "np.linalg.lstsq"),
    (np.linalg, "solve", "np.linalg.solve"),
    (np.linalg, "inv", "np.linalg.inv"),
    (np.linalg, "pinv", "np.linalg.pinv"),
    (stats, "linregress", "scipy.stats.linregress"),
    (scipy.linalg, "lstsq", "scipy.linalg.lstsq"),
    (scipy.linalg, "solve", "scipy.linalg.solve"),
    (scipy.optimize, "curve_fit", "scipy.optimize.curve_fit"),
    (statistics, "linear_regression", "statistics.linear_regression"),
)


def _simple_case(seed, n, line):
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 9.0, size=n)
    y = line[0] + line[1] * x + rng.normal(0.0, 1.0, size=n)
    return x, y


@exercise
def check_simple_regression(simple_regression) -> Feedback:
    """Exercise 01.1: ``simple_regression(x, y)`` returns (β̂₀, β̂₁) of the least-squares
    line, from the 2×2 normal equations solved by hand: β̂₁ = Sxy/Sxx, β̂₀ = ȳ − β̂₁x̄."""
    for seed, n, line in _SIMPLE_CASES:
        x, y = _simple_case(seed, n, line)
        expected = _least_squares(np.column_stack([np.ones(n), x]), y)
        case = f"on fresh data (n = {n})"
        result = call_student(simple_regression, x.copy(), y.copy(), case=case,
                              names=("x", "y"), forbidden=_SOLVERS,
                              instead="solve the two normal equations by hand, with sums and "
                                      "means only (β̂₁ = Σ(x − x̄)(y − ȳ)/Σ(x − x̄)², "
                                      "β̂₀ = ȳ − β̂₁x̄)")
        answer = np.array(as_numbers(result, ("intercept", "slope"), case))
        if close(answer, expected, rtol=1e-7):
            continue
        dx, dy = x - x.mean(), y - y.mean()
        sxy, sxx, syy = float(dx @ dy), float(dx @ dx), float(dy @ dy)
        b1 = expected[1]
        message = _first_match(answer, [
            (expected[::-1], "intercept and slope are swapped: return (intercept, slope)"),
            (np.array([y.mean() + b1 * x.mean(), b1]), "the slope is right; the intercept "
             "is ȳ − β̂₁x̄ (the line passes through (x̄, ȳ)), you added β̂₁x̄"),
            (np.array([y.mean(), b1]), "the slope is right; ȳ is the height of the line at "
             "x = x̄, the intercept is its height at x = 0: ȳ − β̂₁x̄"),
            (np.array([0.0, float(x @ y / (x @ x))]), "you fitted a line through the origin "
             "(Σxy/Σx²); the intercept column of X is what lets the line move up and down. "
             "Centre x and y first: β̂₁ = Σ(x − x̄)(y − ȳ)/Σ(x − x̄)²"),
        ])
        if message is None and close(answer[0], y.mean() - answer[1] * x.mean(), rtol=1e-7):
            slope_messages = [
                (sxy / sxx * n / (n - 1), "you mixed divisors: np.cov divides by n − 1 and "
                 "np.var by n. Use the same divisor in the numerator and the denominator (then "
                 "it cancels), e.g. β̂₁ = Σ(x − x̄)(y − ȳ)/Σ(x − x̄)²"),
                (sxy / sxx * (n - 1) / n, "you mixed divisors: the covariance was divided by n "
                 "and the variance by n − 1. Use the same divisor in both, so that it cancels"),
                (sxy / syy, "you divided by the spread of y; the slope of y on x is "
                 "Σ(x − x̄)(y − ȳ)/Σ(x − x̄)², the spread of x underneath"),
                (sxy / np.sqrt(sxx * syy), "that slope is the correlation r; the slope is "
                 "r·s_y/s_x = Σ(x − x̄)(y − ȳ)/Σ(x − x̄)²"),
            ]
            message = _first_match(answer[1], slope_messages)
            if message:
                message += " (your intercept ȳ − β̂₁x̄ is right for your slope)"
        want, got = side_by_side(expected, answer)
        return wrong(message or f"on fresh data (n = {n}) the line is (β̂₀, β̂₁) = {want}; yours "
                     f"is {got}")
    return correct("β̂₁ = Σ(x − x̄)(y − ȳ)/Σ(x − x̄)² and β̂₀ = ȳ − β̂₁x̄: the 2×2 normal "
                   "equations solved by hand, the same line as np.linalg.lstsq.")


# ------------------------------------------------------------- 01.2 gradient step
@exercise
def check_gradient_step(gradient_step) -> Feedback:
    """Exercise 01.2: ``gradient_step(beta, X, y, learning_rate)`` returns one step of
    gradient descent on L(β) = ‖y − Xβ‖²/(2n): β + learning_rate · Xᵀ(y − Xβ)/n."""
    X, y = _regression_case(1201, 30)
    n = y.size
    for beta, learning_rate in ((np.array([0.3, -1.0, 0.2]), 0.05),
                                (np.array([2.0, 0.5, -0.4]), 0.2)):
        residual_term = X.T @ (y - X @ beta)
        step = learning_rate * residual_term / n
        expected = beta + step
        case = f"from β = {beta.tolist()} with learning_rate {learning_rate}"
        answer = call_student(gradient_step, beta.copy(), X.copy(), y.copy(), learning_rate,
                              case=case, names=("beta", "X", "y", "learning_rate"))
        answer = as_array(answer, "the new β", beta.shape, case, "one entry per column of X")
        if close(answer, expected, rtol=1e-9):
            continue
        message = _first_match(answer, [
            (beta - step, "the step goes uphill: the gradient of L is −Xᵀ(y − Xβ)/n, so "
             "descending adds learning_rate·Xᵀ(y − Xβ)/n to β. With your sign the loss grows "
             "every step"),
            (beta + learning_rate * residual_term, "you used the summed gradient Xᵀ(y − Xβ), "
             f"n = {n} times too large: the loss is an average, RSS/(2n), so divide by n "
             "(otherwise a learning rate that works for one data set diverges on a bigger one)"),
            (beta - learning_rate * residual_term, "two mistakes: the step goes uphill (wrong "
             "sign) and it is n times too large (the gradient of RSS/(2n) has a 1/n)"),
            (beta + 2.0 * step, "your step is twice ours: that is the gradient of RSS/n; the "
             "lesson's loss is RSS/(2n), whose gradient is −Xᵀ(y − Xβ)/n"),
            (beta + residual_term / n, "the learning rate is missing: multiply the step by "
             "learning_rate"),
            (step, "you returned the step, not the new β: add it to the current β"),
            (-residual_term / n, "you returned the gradient ∇L; return the new β = "
             "β − learning_rate·∇L"),
            (beta + learning_rate * X.T @ y / n, "you left Xβ out of the residual: the "
             "gradient uses y − Xβ at the current β"),
        ], rtol=1e-9)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the new β is {want}, yours is {got}")
    return correct("β ← β + learning_rate·Xᵀ(y − Xβ)/n: repeated, it walks down to the "
                   "least-squares β̂.")


# ---------------------------------------------------------------- 01.3 σ² estimates
@exercise
def check_sigma2_estimates(sigma2_estimates) -> Feedback:
    """Exercise 01.3: ``sigma2_estimates(X, y)`` returns (RSS/n, RSS/(n − p)): the
    maximum-likelihood and the unbiased estimate of σ²."""
    X, y = _regression_case(1301, 12)
    n, p = X.shape
    rss = float(np.sum((y - X @ _least_squares(X, y)) ** 2))
    mle, unbiased = rss / n, rss / (n - p)
    case = f"on fresh data (n = {n}, p = {p})"
    result = call_student(sigma2_estimates, X.copy(), y.copy(), case=case, names=("X", "y"))
    first, second = as_numbers(result, ("mle", "unbiased"), case)
    if close(first, mle, rtol=1e-7) and close(second, unbiased, rtol=1e-7):
        return correct(f"here n = {n}, p = {p}: RSS/n = {mle:.4f} is smaller than "
                       f"RSS/(n − p) = {unbiased:.4f} by the factor (n − p)/n = {(n - p) / n:.3f}.")
    if close(first, unbiased, rtol=1e-7) and close(second, mle, rtol=1e-7):
        return wrong("the two are swapped: return (mle, unbiased) = (RSS/n, RSS/(n − p))")
    spread_y = float(np.sum((y - y.mean()) ** 2))
    for value, right, name in ((first, mle, "the MLE"), (second, unbiased, "the unbiased "
                                                          "estimate")):
        if close(value, right, rtol=1e-7):
            continue
        message = _first_match(value, [
            (rss / (n - 2), f"{name}: you divided by n − 2, but this X has p = {p} columns; "
             "take p = X.shape[1] rather than the 2 of the lesson's straight line"),
            (rss / (n - 1), f"{name}: you divided by n − 1; {p} coefficients were estimated, "
             f"so the unbiased divisor is n − p = {n - p} (n − 1 is right only when the model "
             "is a single mean)"),
            (unbiased if name == "the MLE" else mle, f"{name}: you used the other divisor; "
             "the MLE divides RSS by n, the unbiased estimate by n − p"),
            (np.sqrt(right), f"{name}: that is a standard deviation σ̂; return the variance "
             "σ̂² (no square root)"),
            (spread_y / n, f"{name}: you measured the spread of y around its mean ȳ; σ² is "
             "the spread around the fitted line, so use the residuals y − Xβ̂"),
            (spread_y / (n - 1), f"{name}: that is the variance of y around ȳ; σ² is the "
             "spread around the fitted line, so use the residuals y − Xβ̂"),
            (spread_y / (n - p), f"{name}: you measured the spread of y around ȳ; use the "
             "residuals y − Xβ̂"),
            (rss, f"{name}: that is RSS itself; divide it by n (MLE) or n − p (unbiased)"),
        ])
        want, got = side_by_side(right, value)
        return wrong(message or f"{case} {name} is {want}, yours is {got}")
    return wrong("compare each number with RSS/n and RSS/(n − p)")  # pragma: no cover


# ---------------------------------------------------------- 01.4 Gaussian log-likelihood
_NORMAL_DENSITY = (
    (type(stats.norm), "logpdf", "scipy.stats.norm.logpdf"),
    (type(stats.norm), "pdf", "scipy.stats.norm.pdf"),
    (type(stats.multivariate_normal), "logpdf", "scipy.stats.multivariate_normal.logpdf"),
)


def _loglik_cases():
    X, y = _regression_case(1401, 20)
    beta = _least_squares(X, y) + np.array([0.1, -0.05, 0.02])
    return [(beta, 0.7, X, y), (beta, 2.5, X, y)]


@exercise
def check_gaussian_loglik(gaussian_loglik) -> Feedback:
    """Exercise 01.4: ``gaussian_loglik(beta, sigma2, X, y)`` returns
    ℓ = Σ log N(yᵢ | xᵢᵀβ, σ²) = −(n/2)·log(2πσ²) − RSS/(2σ²)."""
    for beta, sigma2, X, y in _loglik_cases():
        n = y.size
        mu = X @ beta
        expected = float(np.sum(stats.norm.logpdf(y, loc=mu, scale=np.sqrt(sigma2))))
        case = f"at σ² = {sigma2} on fresh data (n = {n})"
        answer = call_student(gaussian_loglik, beta.copy(), sigma2, X.copy(), y.copy(),
                              case=case, names=("beta", "sigma2", "X", "y"),
                              forbidden=_NORMAL_DENSITY,
                              instead="the closed form with numpy only: −(n/2)·log(2πσ²) − "
                                      "RSS/(2σ²)")
        answer = as_number(answer, "the log-likelihood", case)
        if close(answer, expected, rtol=1e-9):
            continue
        rss = float(np.sum((y - mu) ** 2))
        normaliser = -0.5 * n * np.log(2 * np.pi * sigma2)
        message = _first_match(answer, [
            (expected - normaliser, "your log-likelihood leaves out the normalising term "
             f"−(n/2)·log(2πσ²): off by the constant {-normaliser:.2f}. It does not move β̂, "
             "but it depends on σ², so without it σ² cannot be estimated or models compared"),
            (expected + 0.5 * n * np.log(2 * np.pi), "the −(n/2)·log(2π) part of the "
             f"normalising term is missing: off by the constant {0.5 * n * np.log(2 * np.pi):.2f}"),
            (-expected, "the sign is flipped: you returned the negative log-likelihood (a loss "
             "to minimise)"),
            (expected / n, "you averaged over observations; the log-likelihood is the sum"),
            (normaliser - rss / sigma2, "the squared-residual term lacks its ½: it is "
             "RSS/(2σ²)"),
            (-0.5 * n * np.log(2 * np.pi * sigma2**2) - rss / (2 * sigma2**2), "you squared "
             "sigma2, but it already is the variance σ²"),
            (normaliser - rss / (2 * np.sqrt(sigma2)), "divide RSS by 2σ² = 2·sigma2, not by "
             "2σ"),
            (-0.5 * n * np.log(2 * np.pi * np.sqrt(sigma2)) - rss / (2 * sigma2), "the "
             "normalising term uses σ; it is −(n/2)·log(2πσ²) with σ² = sigma2"),
            (-0.5 * np.log(2 * np.pi * sigma2) - rss / (2 * sigma2), "the normalising term "
             "−½·log(2πσ²) appears once; every observation contributes it, so it is "
             "−(n/2)·log(2πσ²)"),
        ], rtol=1e-9)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} ℓ = {want}, yours is {got}")
    return correct("ℓ = −(n/2)·log(2πσ²) − RSS/(2σ²), the sum of the Normal log-densities.")


# ------------------------------------------------------------ typical wrong answers
def _centred_sums(x, y):
    dx, dy = x - np.mean(x), y - np.mean(y)
    return np.sum(dx * dy), np.sum(dx**2), np.sum(dy**2)


def _line_from_slope(slope_of):
    def simple_regression(x, y):
        slope = slope_of(x, y)
        return np.mean(y) - slope * np.mean(x), slope
    return simple_regression


def _right_slope(x, y):
    sxy, sxx, _ = _centred_sums(x, y)
    return sxy / sxx


check_simple_regression.mistakes = (
    Mistake("returns (slope, intercept)",
            lambda x, y: _line_from_slope(_right_slope)(x, y)[::-1], "swapped"),
    Mistake("intercept ȳ + β̂₁x̄",
            lambda x, y: (np.mean(y) + _right_slope(x, y) * np.mean(x), _right_slope(x, y)),
            "you added β̂₁x̄"),
    Mistake("intercept ȳ", lambda x, y: (np.mean(y), _right_slope(x, y)), "height of the line"),
    Mistake("line through the origin", lambda x, y: (0.0, np.sum(x * y) / np.sum(x * x)),
            "through the origin"),
    Mistake("np.cov over np.var (divisors n − 1 and n)",
            _line_from_slope(lambda x, y: np.cov(x, y)[0, 1] / np.var(x)),
            "mixed divisors: np.cov"),
    Mistake("covariance over n, variance over n − 1",
            _line_from_slope(lambda x, y: np.mean((x - x.mean()) * (y - y.mean()))
                             / np.var(x, ddof=1)), "covariance was divided by n"),
    Mistake("divided by the spread of y",
            _line_from_slope(lambda x, y: _centred_sums(x, y)[0] / _centred_sums(x, y)[2]),
            "spread of y"),
    Mistake("the correlation as the slope",
            _line_from_slope(lambda x, y: np.corrcoef(x, y)[0, 1]), "correlation r"),
    Mistake("np.polyfit, which the task forbids",
            lambda x, y: tuple(np.polyfit(x, y, 1)[::-1]), "np.polyfit"),
    Mistake("np.linalg.lstsq, which the task forbids",
            lambda x, y: tuple(np.linalg.lstsq(np.column_stack([np.ones_like(x), x]), y,
                                               rcond=None)[0]), "np.linalg.lstsq"),
    Mistake("scipy.stats.linregress, which the task forbids",
            lambda x, y: (stats.linregress(x, y).intercept, stats.linregress(x, y).slope),
            "scipy.stats.linregress"),
    Mistake("statistics.linear_regression, which the task forbids",
            lambda x, y: statistics.linear_regression(list(x), list(y))[::-1],
            "statistics.linear_regression"),
    Mistake("the 2 × 2 normal equations solved with np.linalg.solve, which the task forbids",
            lambda x, y: tuple(np.linalg.solve([[len(x), np.sum(x)], [np.sum(x), np.sum(x * x)]],
                                               [np.sum(y), np.sum(x * y)])), "np.linalg.solve"),
    Mistake("returns the slope alone", _right_slope, "return two numbers"),
)


def _residual_term(beta, X, y):
    return X.T @ (y - X @ beta)


check_gradient_step.mistakes = (
    Mistake("steps uphill (sign of the gradient)",
            lambda beta, X, y, rate: beta - rate * _residual_term(beta, X, y) / len(y), "uphill"),
    Mistake("summed gradient (no 1/n)",
            lambda beta, X, y, rate: beta + rate * _residual_term(beta, X, y),
            "summed gradient"),
    Mistake("uphill and summed",
            lambda beta, X, y, rate: beta - rate * _residual_term(beta, X, y), "two mistakes"),
    Mistake("gradient of RSS/n (twice the step)",
            lambda beta, X, y, rate: beta + 2 * rate * _residual_term(beta, X, y) / len(y),
            "twice ours"),
    Mistake("learning rate left out",
            lambda beta, X, y, rate: beta + _residual_term(beta, X, y) / len(y),
            "learning rate is missing"),
    Mistake("returns the step, not the new β",
            lambda beta, X, y, rate: rate * _residual_term(beta, X, y) / len(y),
            "returned the step"),
    Mistake("returns the gradient",
            lambda beta, X, y, rate: -_residual_term(beta, X, y) / len(y), "returned the gradient"),
    Mistake("Xβ left out of the residual",
            lambda beta, X, y, rate: beta + rate * X.T @ y / len(y), "left Xβ out"),
    Mistake("X @ beta with the arguments in another order (beta, X) → (X, beta)",
            lambda X, beta, y, learning_rate: beta, "in that order"),
    Mistake("returns a number", lambda beta, X, y, rate: float(np.sum(beta)), "should have shape"),
)


def _sigma2(divisor_of, target="residuals"):
    def sigma2_estimates(X, y):
        n, p = X.shape
        beta = np.linalg.lstsq(X, y, rcond=None)[0]
        centre = X @ beta if target == "residuals" else np.mean(y)
        rss = np.sum((y - centre) ** 2)
        return rss / divisor_of(n, p)[0], rss / divisor_of(n, p)[1]
    return sigma2_estimates


check_sigma2_estimates.mistakes = (
    Mistake("the two swapped", _sigma2(lambda n, p: (n - p, n)), "swapped"),
    Mistake("n − 2 (the straight line's p) instead of n − p",
            _sigma2(lambda n, p: (n, n - 2)), "divided by n − 2"),
    Mistake("n − 1 instead of n − p", _sigma2(lambda n, p: (n, n - 1)), "divided by n − 1"),
    Mistake("n for both", _sigma2(lambda n, p: (n, n)), "other divisor"),
    Mistake("RSS itself", _sigma2(lambda n, p: (1, n - p)), "RSS itself"),
    Mistake("spread of y around ȳ", _sigma2(lambda n, p: (n, n - 1), target="mean"),
            "spread of y around its mean"),
    Mistake("standard deviations, not variances",
            lambda X, y: tuple(np.sqrt(_sigma2(lambda n, p: (n, n - p))(X, y))),
            "standard deviation"),
    Mistake("returns one number", lambda X, y: _sigma2(lambda n, p: (n, n - p))(X, y)[0],
            "return two numbers"),
)


def _gaussian(normaliser, spread, sign=1.0, per=1.0):
    def gaussian_loglik(beta, sigma2, X, y):
        n, rss = len(y), np.sum((y - X @ beta) ** 2)
        return sign * (normaliser(n, sigma2) - rss / spread(sigma2)) / per
    return gaussian_loglik


def _full(n, s):
    return -0.5 * n * np.log(2 * np.pi * s)


check_gaussian_loglik.mistakes = (
    Mistake("normalising term dropped", _gaussian(lambda n, s: 0.0, lambda s: 2 * s),
            "normalising term"),
    Mistake("the log(2π) part dropped", _gaussian(lambda n, s: -0.5 * n * np.log(s),
                                                  lambda s: 2 * s), "log(2π) part"),
    Mistake("negative log-likelihood", _gaussian(_full, lambda s: 2 * s, sign=-1.0),
            "sign is flipped"),
    Mistake("averaged over observations",
            lambda beta, s, X, y: _gaussian(_full, lambda v: 2 * v)(beta, s, X, y) / len(y),
            "averaged"),
    Mistake("½ missing on RSS", _gaussian(_full, lambda s: s), "lacks its ½"),
    Mistake("sigma2 squared", _gaussian(lambda n, s: _full(n, s**2), lambda s: 2 * s**2),
            "squared sigma2"),
    Mistake("RSS over 2σ", _gaussian(_full, lambda s: 2 * np.sqrt(s)), "not by 2σ"),
    Mistake("σ in the normalising term",
            _gaussian(lambda n, s: _full(n, np.sqrt(s)), lambda s: 2 * s), "uses σ"),
    Mistake("normalising term once, not n times",
            _gaussian(lambda n, s: _full(1, s), lambda s: 2 * s), "appears once"),
    Mistake("scipy.stats.norm.logpdf, which the task forbids",
            lambda beta, s, X, y: np.sum(stats.norm.logpdf(y, X @ beta, np.sqrt(s))),
            "numpy only"),
)
