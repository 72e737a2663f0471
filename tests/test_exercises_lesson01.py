"""Lesson 01 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong, lesson_tests
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


def covariance_simple(x, y):
    slope = np.cov(x, y)[0, 1] / np.var(x, ddof=1)
    return np.mean(y) - slope * np.mean(x), slope


def test_simple_regression_right_answers_pass():
    assert check_simple_regression.evaluate(reference_simple).passed
    assert check_simple_regression.evaluate(covariance_simple).passed


def test_reference_simple_matches_scipy_linregress():
    """Independent oracle for what the check expects: scipy.stats.linregress."""
    rng = np.random.default_rng(11)
    x = rng.uniform(0, 5, 30)
    y = 1.0 + 0.5 * x + rng.normal(size=30)
    result = stats.linregress(x, y)
    assert np.allclose(reference_simple(x, y), (result.intercept, result.slope), rtol=1e-12)


def test_forbidden_solvers_are_noticed_even_when_the_answer_is_right():
    polyfit = check_simple_regression.evaluate(lambda x, y: tuple(np.polyfit(x, y, 1)[::-1]))
    assert_wrong(polyfit, "you used np.polyfit, which this exercise rules out")


def _slope_then_intercept(x, y, slope):
    return y.mean() - slope * x.mean(), slope


def _sxy(x, y):
    return (x - x.mean()) @ (y - y.mean())




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




# -- 01.4 Gaussian log-likelihood ----------------------------------------------------------


def reference_loglik(beta, sigma2, X, y):
    n, rss = len(y), np.sum((y - X @ beta) ** 2)
    return -0.5 * n * np.log(2 * np.pi * sigma2) - rss / (2 * sigma2)


def per_observation_loglik(beta, sigma2, X, y):
    residuals = y - X @ beta
    return sum(-0.5 * np.log(2 * np.pi * sigma2) - r**2 / (2 * sigma2) for r in residuals)


def test_loglik_right_answers_pass():
    assert check_gaussian_loglik.evaluate(reference_loglik).passed
    assert check_gaussian_loglik.evaluate(per_observation_loglik).passed


def test_reference_loglik_matches_scipy():
    """Independent oracle: scipy.stats.norm.logpdf summed."""
    rng = np.random.default_rng(14)
    X = np.column_stack([np.ones(25), rng.normal(size=25)])
    y, beta = rng.normal(size=25), np.array([0.3, -0.2])
    oracle = np.sum(stats.norm.logpdf(y, X @ beta, np.sqrt(1.7)))
    assert reference_loglik(beta, 1.7, X, y) == pytest.approx(oracle, rel=1e-12)


def _rss_at(beta, X, y):
    return np.sum((y - X @ beta) ** 2)




def test_missing_normaliser_message_gives_the_constant():
    feedback = check_gaussian_loglik.evaluate(
        lambda b, s2, X, y: -_rss_at(b, X, y) / (2 * s2))
    constant = 0.5 * 20 * np.log(2 * np.pi * 0.7)
    assert f"off by the constant {constant:.2f}" in feedback.message


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
REFERENCES = [(check_simple_regression, reference_simple), (check_gradient_step, reference_step),
              (check_sigma2_estimates, reference_sigma2), (check_gaussian_loglik, reference_loglik)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))
