"""Lesson 01 checks: the reference answers pass, typical wrong answers fail with the
message that names the mistake, and unfinished stubs are "not attempted"."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong, stub
from scipy import stats

from glmlesson.exercises import (
    check_gaussian_loglik,
    check_gradient_step,
    check_sigma2_estimates,
    check_simple_regression,
)
from glmlesson.exercises.hints import HINTS

CHECKS = [check_simple_regression, check_gradient_step, check_sigma2_estimates,
          check_gaussian_loglik]


@pytest.mark.parametrize("check", CHECKS)
def test_stubs_are_not_attempted(check):
    assert check.evaluate(stub).status == "not attempted"
    assert check.evaluate(...).status == "not attempted"
    assert check.evaluate(None).status == "not attempted"


def test_hints_are_registered():
    assert {"01.1", "01.2", "01.3", "01.4"} <= set(HINTS)


@pytest.mark.parametrize("check", CHECKS)
def test_a_crash_is_reported_not_raised(check):
    assert_wrong(check.evaluate(lambda *args: 1 / 0), "ZeroDivisionError")


# -- 01.1 simple regression by hand --------------------------------------------------------


def reference_simple(x, y):
    dx, dy = x - x.mean(), y - y.mean()
    slope = (dx @ dy) / (dx @ dx)
    return y.mean() - slope * x.mean(), slope


def scipy_simple(x, y):
    """Independent oracle: scipy.stats.linregress."""
    result = stats.linregress(x, y)
    return result.intercept, result.slope


def test_simple_regression_reference_passes():
    assert check_simple_regression.evaluate(reference_simple).passed
    assert check_simple_regression.evaluate(scipy_simple).passed
    assert check_simple_regression.evaluate(
        lambda x, y: np.polyfit(x, y, 1)[::-1]).passed


def _slope_then_intercept(x, y, slope):
    return y.mean() - slope * x.mean(), slope


def _sxy(x, y):
    return (x - x.mean()) @ (y - y.mean())


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda x, y: reference_simple(x, y)[::-1], "swapped"),
        (lambda x, y: (y.mean() + reference_simple(x, y)[1] * x.mean(),
                       reference_simple(x, y)[1]), "you added β̂₁x̄"),
        (lambda x, y: (y.mean(), reference_simple(x, y)[1]), "height of the line at x = x̄"),
        (lambda x, y: (0.0, (x @ y) / (x @ x)), "through the origin"),
        (lambda x, y: _slope_then_intercept(x, y, np.cov(x, y)[0, 1] / np.var(x)),
         "np.cov divides by n − 1"),
        (lambda x, y: _slope_then_intercept(x, y, np.cov(x, y, bias=True)[0, 1]
                                            / np.var(x, ddof=1)), "covariance was divided by n"),
        (lambda x, y: _slope_then_intercept(x, y, _sxy(x, y) / np.sum((y - y.mean()) ** 2)),
         "spread of y"),
        (lambda x, y: _slope_then_intercept(x, y, np.corrcoef(x, y)[0, 1]), "correlation r"),
        (lambda x, y: (reference_simple(x, y)[0] + 0.1, reference_simple(x, y)[1]), "yours is"),
        (lambda x, y: reference_simple(x, y)[1], "two numbers"),
        (lambda x, y: ("a", 1.0), "one number"),
    ],
)
def test_simple_regression_wrong_answers(answer, phrase):
    assert_wrong(check_simple_regression.evaluate(answer), phrase)


def test_mixed_divisor_message_says_the_intercept_is_consistent():
    feedback = check_simple_regression.evaluate(
        lambda x, y: _slope_then_intercept(x, y, np.cov(x, y)[0, 1] / np.var(x)))
    assert "your intercept ȳ − β̂₁x̄ is right for your slope" in feedback.message


# -- 01.2 gradient step --------------------------------------------------------------------


def reference_step(beta, X, y, learning_rate):
    return beta + learning_rate * X.T @ (y - X @ beta) / len(y)


def numerical_gradient_step(beta, X, y, learning_rate, h=1e-6):
    """Independent oracle: the gradient of RSS/(2n) by central differences."""
    def loss(b):
        return np.sum((y - X @ b) ** 2) / (2 * len(y))
    grad = np.array([(loss(beta + h * e) - loss(beta - h * e)) / (2 * h)
                     for e in np.eye(beta.size)])
    return beta - learning_rate * grad


def test_gradient_step_reference_passes():
    assert check_gradient_step.evaluate(reference_step).passed


def test_reference_step_matches_a_numerical_gradient():
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(15), rng.normal(size=(15, 2))])
    y, beta = rng.normal(size=15), rng.normal(size=3)
    assert np.allclose(reference_step(beta, X, y, 0.1),
                       numerical_gradient_step(beta, X, y, 0.1), atol=1e-8)


def in_place_step(beta, X, y, learning_rate):
    beta += learning_rate * X.T @ (y - X @ beta) / len(y)
    return beta


def test_in_place_update_passes():
    assert check_gradient_step.evaluate(in_place_step).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda b, X, y, lr: b - lr * X.T @ (y - X @ b) / len(y), "uphill"),
        (lambda b, X, y, lr: b + lr * X.T @ (y - X @ b), "summed gradient"),
        (lambda b, X, y, lr: b - lr * X.T @ (y - X @ b), "two mistakes"),
        (lambda b, X, y, lr: b + 2 * lr * X.T @ (y - X @ b) / len(y), "RSS/n"),
        (lambda b, X, y, lr: b + X.T @ (y - X @ b) / len(y), "learning rate is missing"),
        (lambda b, X, y, lr: lr * X.T @ (y - X @ b) / len(y), "returned the step"),
        (lambda b, X, y, lr: -X.T @ (y - X @ b) / len(y), "returned the gradient"),
        (lambda b, X, y, lr: b + lr * X.T @ y / len(y), "left Xβ out"),
        (lambda b, X, y, lr: (b + lr * X.T @ (y - X @ b) / len(y))[:2], "shape (3,)"),
        (lambda b, X, y, lr: b + lr * X.T @ (y - X @ b) / (len(y) - 1), "yours is"),
    ],
)
def test_gradient_step_wrong_answers(answer, phrase):
    assert_wrong(check_gradient_step.evaluate(answer), phrase)


# -- 01.3 σ² estimates ---------------------------------------------------------------------


def _rss(X, y):
    return np.sum((y - X @ np.linalg.lstsq(X, y, rcond=None)[0]) ** 2)


def reference_sigma2(X, y):
    n, p = X.shape
    return _rss(X, y) / n, _rss(X, y) / (n - p)


def statsmodels_sigma2(X, y):
    """Independent oracle: statsmodels OLS reports RSS/(n − p) as `scale`, and its
    log-likelihood is maximised at RSS/n (`ssr / nobs`)."""
    import statsmodels.api as sm
    result = sm.OLS(y, X).fit()
    return result.ssr / result.nobs, result.scale


def test_sigma2_reference_passes():
    assert check_sigma2_estimates.evaluate(reference_sigma2).passed
    assert check_sigma2_estimates.evaluate(statsmodels_sigma2).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda X, y: reference_sigma2(X, y)[::-1], "swapped"),
        (lambda X, y: (_rss(X, y) / len(y), _rss(X, y) / (len(y) - 1)), "n − 1"),
        (lambda X, y: (_rss(X, y) / len(y), _rss(X, y) / (len(y) - 2)), "X.shape[1]"),
        (lambda X, y: (_rss(X, y) / len(y), _rss(X, y) / len(y)), "other divisor"),
        (lambda X, y: tuple(np.sqrt(reference_sigma2(X, y))), "standard deviation"),
        (lambda X, y: (np.var(y), np.var(y, ddof=1)), "around its mean"),
        (lambda X, y: (_rss(X, y), _rss(X, y)), "RSS itself"),
        (lambda X, y: _rss(X, y) / len(y), "two numbers"),
        (lambda X, y: (1.0, 2.0, 3.0), "two numbers"),
        (lambda X, y: (reference_sigma2(X, y)[0], 0.5), "yours is"),
        (lambda X, y: ("a", "b"), "one number"),
    ],
)
def test_sigma2_wrong_answers(answer, phrase):
    assert_wrong(check_sigma2_estimates.evaluate(answer), phrase)


# -- 01.4 Gaussian log-likelihood ----------------------------------------------------------


def reference_loglik(beta, sigma2, X, y):
    n, rss = len(y), np.sum((y - X @ beta) ** 2)
    return -0.5 * n * np.log(2 * np.pi * sigma2) - rss / (2 * sigma2)


def scipy_loglik(beta, sigma2, X, y):
    return np.sum(stats.norm.logpdf(y, X @ beta, np.sqrt(sigma2)))


def test_loglik_reference_passes():
    assert check_gaussian_loglik.evaluate(reference_loglik).passed
    assert check_gaussian_loglik.evaluate(scipy_loglik).passed


def _rss_at(beta, X, y):
    return np.sum((y - X @ beta) ** 2)


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda b, s2, X, y: -_rss_at(b, X, y) / (2 * s2), "leaves out the normalising term"),
        (lambda b, s2, X, y: -0.5 * len(y) * np.log(s2) - _rss_at(b, X, y) / (2 * s2),
         "log(2π) part"),
        (lambda b, s2, X, y: -scipy_loglik(b, s2, X, y), "negative log-likelihood"),
        (lambda b, s2, X, y: scipy_loglik(b, s2, X, y) / len(y), "averaged"),
        (lambda b, s2, X, y: -0.5 * len(y) * np.log(2 * np.pi * s2) - _rss_at(b, X, y) / s2,
         "lacks its ½"),
        (lambda b, s2, X, y: np.sum(stats.norm.logpdf(y, X @ b, s2)), "squared sigma2"),
        (lambda b, s2, X, y: -0.5 * np.log(2 * np.pi * s2) - _rss_at(b, X, y) / (2 * s2),
         "appears once"),
        (lambda b, s2, X, y: scipy_loglik(b, s2, X, y) + 1.0, "yours is"),
        (lambda b, s2, X, y: [1.0, 2.0], "one number"),
    ],
)
def test_loglik_wrong_answers(answer, phrase):
    assert_wrong(check_gaussian_loglik.evaluate(answer), phrase)


def test_missing_normaliser_message_gives_the_constant():
    feedback = check_gaussian_loglik.evaluate(
        lambda b, s2, X, y: -_rss_at(b, X, y) / (2 * s2))
    constant = 0.5 * 20 * np.log(2 * np.pi * 0.7)
    assert f"off by the constant {constant:.2f}" in feedback.message
