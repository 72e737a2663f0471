"""Lesson 14 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, unfinished stubs are "not attempted", and the
reference answers agree with independent oracles (scipy.stats.contingency, statsmodels'
OrderedModel)."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong, lesson_tests, stub
from scipy import special, stats
from statsmodels.miscmodels.ordinal_model import OrderedModel

from glmlesson.exercises import (
    check_category_probabilities,
    check_g_squared,
    check_independence_fitted,
)
from glmlesson.exercises.hints import HINTS
from glmlesson.exercises.lesson14 import _TABLE, _g2_cases

# -- 14.1 independence -------------------------------------------------------------------


def independence_fitted(table):
    return np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()


def from_probabilities(table):
    n = table.sum()
    return n * np.outer(table.sum(axis=1) / n, table.sum(axis=0) / n)


def test_independence_right_answers_pass():
    assert check_independence_fitted.evaluate(independence_fitted).passed
    assert check_independence_fitted.evaluate(from_probabilities).passed


def test_independence_matches_scipy():
    """Oracle: scipy.stats.contingency.expected_freq."""
    assert np.allclose(independence_fitted(_TABLE), stats.contingency.expected_freq(_TABLE))


# -- 14.2 G² ---------------------------------------------------------------------------------


def g_squared(observed, fitted):
    return 2 * np.sum(special.xlogy(observed, observed / fitted))


def poisson_deviance(observed, fitted):
    """The full Poisson deviance, with the Σ(y − μ) term (0 for these fitted counts)."""
    return 2 * np.sum(special.xlogy(observed, observed / fitted) - (observed - fitted))


def test_g_squared_right_answers_pass():
    assert check_g_squared.evaluate(g_squared).passed
    assert check_g_squared.evaluate(poisson_deviance).passed


def test_g_squared_cases_include_fitted_counts_of_another_model():
    """One case's fitted counts are not the independence fit, so an answer that ignores
    ``fitted`` gives another number there."""
    fitted = [f for observed, f, _ in _g2_cases()]
    observed = [o for o, f, _ in _g2_cases()]
    assert any(not np.allclose(f, stats.contingency.expected_freq(o))
               for o, f in zip(observed, fitted, strict=True))


def test_g_squared_matches_scipy():
    """Oracle: scipy's log-likelihood-ratio statistic of chi2_contingency."""
    table = np.array([[12.0, 0.0, 7.0], [5.0, 9.0, 14.0]])
    statistic = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert g_squared(table, stats.contingency.expected_freq(table)) == pytest.approx(
        statistic, rel=1e-12)


# -- 14.3 category probabilities ------------------------------------------------------------


def category_probabilities(eta, thresholds):
    cumulative = special.expit(thresholds[None, :] - eta[:, None])
    n = len(eta)
    return np.diff(np.hstack([np.zeros((n, 1)), cumulative, np.ones((n, 1))]), axis=1)


def with_a_loop(eta, thresholds):
    cuts = np.concatenate([[-np.inf], thresholds, [np.inf]])
    return np.array([[special.expit(cuts[j + 1] - e) - special.expit(cuts[j] - e)
                      for j in range(len(cuts) - 1)] for e in eta])


def test_category_probabilities_right_answers_pass():
    assert check_category_probabilities.evaluate(category_probabilities).passed
    assert check_category_probabilities.evaluate(with_a_loop).passed


def test_category_probabilities_match_statsmodels():
    """Oracle: statsmodels OrderedModel's predicted probabilities at given parameters
    (its thresholds are θ₀ and then log increments)."""
    rng = np.random.default_rng(14)
    x = rng.normal(size=(6, 1))
    beta, thresholds = np.array([0.7]), np.array([-1.0, 0.5, 2.0])
    model = OrderedModel(np.zeros(6, dtype=int) + np.arange(6) % 4, x, distr="logit")
    params = np.concatenate([beta, [thresholds[0]], np.log(np.diff(thresholds))])
    oracle = model.predict(params, exog=x)
    assert np.allclose(category_probabilities(x @ beta, thresholds), oracle, atol=1e-12)


def test_crash_is_reported():
    assert_wrong(check_category_probabilities.evaluate(lambda eta, thresholds: 1 / 0),
                 "ZeroDivisionError")


# -- every check ----------------------------------------------------------------------------


def test_stubs_and_hints():
    for check in (check_independence_fitted, check_g_squared, check_category_probabilities):
        assert check.evaluate(stub).status == "not attempted"
    assert {"14.1", "14.2", "14.3"} <= set(HINTS)


CHECKS = [check_independence_fitted, check_g_squared, check_category_probabilities]
REFERENCES = [(check_independence_fitted, independence_fitted),
              (check_g_squared, g_squared),
              (check_category_probabilities, category_probabilities)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))
