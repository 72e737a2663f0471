"""Lesson 05 checks: the reference answers pass, typical wrong answers fail with the
message that names the mistake, and unfinished stubs are "not attempted"."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong, stub
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


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda b, d: b * d, "LOG-odds"),
        (lambda b, d: np.exp(b), "ONE-unit step"),
        (lambda b, d: np.exp(10 * b), "per 10 units"),
        (lambda b, d: np.exp(b) * d, "multiplied exp(β) by Δx"),
        (lambda b, d: np.exp(-b * d), "sign is flipped"),
        (lambda b, d: special.expit(b * d), "probability"),
        (lambda b, d: np.exp(b * d) - 1, "relative change"),
        (lambda b, d: np.exp(b * d) + 0.01, "your function gives"),
        (lambda b, d: "big", "one number"),
    ],
)
def test_odds_ratio_wrong_answers(answer, phrase):
    assert_wrong(check_odds_ratio.evaluate(answer), phrase)


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


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda b, X, y: -reference_loglik(b, X, y), "negative log-likelihood"),
        (lambda b, X, y: reference_loglik(b, X, y) / len(y), "averaged"),
        (lambda b, X, y: -reference_loglik(b, X, y) / len(y), "cross-entropy"),
        (lambda b, X, y: np.sum(y * np.log(special.expit(X @ b))), "(1 − y)·log(1 − μ)"),
        (lambda b, X, y: np.sum(y * (X @ b) - np.exp(X @ b)), "Poisson log-partition"),
        (lambda b, X, y: np.sum(y * (X @ b) - X @ b), "log(1 + e^η) as η"),
        (naive_loglik, "overflows"),
        (probability_loglik, "overflows"),
        (lambda b, X, y: reference_loglik(b, X, y) + 1.0, "your function gives"),
    ],
)
def test_logistic_loglik_wrong_answers(answer, phrase):
    assert_wrong(check_logistic_loglik.evaluate(answer), phrase)


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
    [
        (lambda b, p=0.5: -b[0] / b[1], "you ignored p"),
        (lambda b, p=0.5: (p - b[0]) / b[1], "equal to the probability p"),
        (lambda b, p=0.5: (special.logit(p) + b[0]) / b[1], "sign"),
        (lambda b, p=0.5: (np.log(p) - b[0]) / b[1], "you used log p"),
        (lambda b, p=0.5: (special.logit(1 - p) - b[0]) / b[1], "logit(1 − p)"),
        (lambda b, p=0.5: None, "returns nothing"),
    ],
)
def test_decision_boundary_wrong_answers(answer, phrase):
    feedback = check_decision_boundary.evaluate(answer)
    if phrase == "returns nothing":
        assert feedback.status == "not attempted"
    else:
        assert_wrong(feedback, phrase)


@pytest.mark.parametrize(
    "answer, phrase",
    [(lambda b, p=0.5: b[0] / b[1], "sign is flipped"),
     (lambda b, p=0.5: -b[1] / b[0], "upside down")],
)
def test_decision_boundary_mistakes_at_one_half(answer, phrase):
    assert_wrong(check_decision_boundary.evaluate(answer), phrase)
