"""Lesson 05 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong, lesson_tests, stub
from scipy import special, stats

from glmlesson.exercises import check_decision_boundary, check_logistic_loglik, check_odds_ratio
from glmlesson.exercises.hints import HINTS


@pytest.mark.parametrize("check", [check_odds_ratio, check_logistic_loglik,
                                   check_decision_boundary])
def test_stubs_are_not_attempted(check):
    assert check.evaluate(stub).status == "not attempted"
    assert check.evaluate(...).status == "not attempted"


def test_hints_are_registered():
    assert {"05.1", "05.2", "05.3"} <= set(HINTS)


# -- 05.1 odds ratio ----------------------------------------------------------------------


def test_odds_ratio_reference_passes():
    assert check_odds_ratio.evaluate(lambda beta, change: np.exp(beta * change)).passed
    assert check_odds_ratio.evaluate(lambda beta, change: np.exp(beta) ** change).passed




def test_odds_ratio_crash_is_reported_not_raised():
    assert_wrong(check_odds_ratio.evaluate(lambda b, d: 1 / 0), "ZeroDivisionError")


# -- 05.2 log-likelihood ------------------------------------------------------------------


def reference_loglik(beta, X, y):
    """Independent oracle: scipy.stats.bernoulli with log-probabilities from log_expit."""
    eta = X @ beta
    return np.sum(y * special.log_expit(eta) + (1 - y) * special.log_expit(-eta))


def naive_loglik(beta, X, y):
    eta = X @ beta
    return np.sum(y * eta - np.log(1 + np.exp(eta)))


def probability_loglik(beta, X, y):
    mu = special.expit(X @ beta)
    return np.sum(stats.bernoulli.logpmf(y, mu))


def test_logistic_loglik_reference_passes():
    assert check_logistic_loglik.evaluate(reference_loglik).passed




def test_logistic_loglik_clipped_probabilities_are_caught():
    def clipped(beta, X, y):
        mu = np.clip(special.expit(X @ beta), 1e-6, 1 - 1e-6)
        return np.sum(y * np.log(mu) + (1 - y) * np.log(1 - mu))

    assert_wrong(check_logistic_loglik.evaluate(clipped), "rather than clipping")


# -- 05.3 decision boundary -----------------------------------------------------------------


def reference_boundary(beta, p=0.5):
    """Independent oracle: bisection for expit(β₀ + β₁x) = p."""
    from scipy.optimize import brentq

    return brentq(lambda x: special.expit(beta[0] + beta[1] * x) - p, -1e3, 1e3, xtol=1e-12)


def test_decision_boundary_reference_passes():
    assert check_decision_boundary.evaluate(reference_boundary).passed
    assert check_decision_boundary.evaluate(
        lambda beta, p=0.5: (special.logit(p) - beta[0]) / beta[1]).passed




@pytest.mark.parametrize(
    "answer, phrase",
    [(lambda b, p=0.5: b[0] / b[1], "sign is flipped"),
     (lambda b, p=0.5: -b[1] / b[0], "upside down")],
)
def test_decision_boundary_mistakes_at_one_half(answer, phrase):
    assert_wrong(check_decision_boundary.evaluate(answer), phrase)


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
CHECKS = [check_odds_ratio, check_logistic_loglik, check_decision_boundary]
REFERENCES = [(check_odds_ratio, lambda beta, change: np.exp(beta * change)),
    (check_logistic_loglik, reference_loglik), (check_decision_boundary, reference_boundary)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))


def test_logistic_loglik_from_probabilities_written_stably_passes():
    def from_log_probabilities(beta, X, y):
        eta = X @ beta
        return np.sum(y * special.log_expit(eta) + (1 - y) * special.log_expit(-eta))

    assert check_logistic_loglik.evaluate(from_log_probabilities).passed


def test_parameters_named_in_another_order_are_fine_when_the_answer_is_right():
    def odds_ratio(change, beta):  # exp(β·Δx) is symmetric in its two arguments
        return np.exp(change * beta)

    assert check_odds_ratio.evaluate(odds_ratio).passed
