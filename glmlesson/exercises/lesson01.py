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

import numpy as np
from scipy import stats

from glmlesson.exercises import hints
from glmlesson.exercises._core import (
    Feedback,
    StudentError,
    call_student,
    close,
    correct,
    exercise,
    first_match,
    wrong,
)
from glmlesson.exercises._core import number as _number

__all__ = [
    "check_simple_regression",
    "check_gradient_step",
    "check_sigma2_estimates",
    "check_gaussian_loglik",
]

hints.register(
    "01.1",
    "The first normal equation (the intercept's) says Σ(yᵢ − β₀ − β₁xᵢ) = 0, so the line "
    "passes through (x̄, ȳ): β₀ = ȳ − β₁x̄. Put that into the second, Σxᵢ(yᵢ − β₀ − β₁xᵢ) = 0, "
    "and solve for β₁: β₁ = Σ(xᵢ − x̄)(yᵢ − ȳ) / Σ(xᵢ − x̄)².",
)
hints.register(
    "01.2",
    "With the loss L(β) = ‖y − Xβ‖² / (2n), the gradient is ∇L = −Xᵀ(y − Xβ) / n. Descending "
    "means moving against the gradient: β_new = β − learning_rate · ∇L. Return β_new, not "
    "the gradient.",
)
hints.register(
    "01.3",
    "Fit first (np.linalg.lstsq(X, y, rcond=None)[0] or your normal equations), then "
    "RSS = Σ (y − Xβ̂)². The maximum-likelihood estimate divides RSS by n; the unbiased one "
    "by n − p, where p = X.shape[1] counts the estimated coefficients.",
)
hints.register(
    "01.4",
    "Each observation contributes log N(yᵢ | μᵢ, σ²) = −½·log(2πσ²) − (yᵢ − μᵢ)² / (2σ²), "
    "with μ = Xβ. Summed over n observations: −(n/2)·log(2πσ²) − RSS / (2σ²). The argument "
    "sigma2 is already the variance σ².",
)


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


def _vector(value, what):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise StudentError(
            wrong(f"{what} should be an array of numbers, got {type(value).__name__}")
        ) from None
    return array


# Lesson 01's answers are least-squares numbers: tighter tolerances, and NaN is no match.
_first_match = functools.partial(first_match, rtol=1e-7, atol=1e-10, equal_nan=False)


# ------------------------------------------------- 01.1 the normal equations for one feature
_SIMPLE_CASES = ((1111, 15, (3.0, -1.25)), (1112, 40, (-0.5, 0.8)))


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
        result = call_student(simple_regression, x.copy(), y.copy())
        try:
            intercept, slope = result
        except (TypeError, ValueError):
            return wrong("return two numbers, (intercept, slope)")
        answer = np.array([_number(intercept, "the intercept"), _number(slope, "the slope")])
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
        return wrong(message or f"on fresh data (n = {n}) the line is β̂₀ = {expected[0]:.4f}, "
                     f"β̂₁ = {b1:.4f}; yours is β̂₀ = {answer[0]:.4f}, β̂₁ = {answer[1]:.4f}")
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
        answer = _vector(call_student(gradient_step, beta.copy(), X.copy(), y.copy(),
                                      learning_rate), "the new β")
        if close(answer, expected, rtol=1e-9):
            continue
        if answer.shape != beta.shape:
            return wrong(f"return the updated β, shape {beta.shape}; yours has shape "
                         f"{answer.shape}")
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
        return wrong(message or f"from β = {beta.tolist()} with learning_rate "
                     f"{learning_rate} the new β is {np.round(expected, 6).tolist()}, yours "
                     f"is {np.round(answer, 6).tolist()}")
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
    result = call_student(sigma2_estimates, X.copy(), y.copy())
    try:
        first, second = result
    except (TypeError, ValueError):
        return wrong("return two numbers, (mle, unbiased), e.g. `return rss / n, rss / (n - p)`")
    first, second = _number(first, "the MLE"), _number(second, "the unbiased estimate")
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
        return wrong(message or f"on fresh data (n = {n}, p = {p}) {name} is {right:.4f}, "
                     f"yours is {value:.4f}")
    return wrong("compare each number with RSS/n and RSS/(n − p)")  # pragma: no cover


# ---------------------------------------------------------- 01.4 Gaussian log-likelihood
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
        answer = _number(call_student(gaussian_loglik, beta.copy(), sigma2, X.copy(),
                                      y.copy()), "the log-likelihood")
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
        return wrong(message or f"at σ² = {sigma2} on fresh data (n = {n}) ℓ = "
                     f"{expected:.4f}, yours is {answer:.4f}")
    return correct("ℓ = −(n/2)·log(2πσ²) − RSS/(2σ²), the sum of the Normal log-densities.")
