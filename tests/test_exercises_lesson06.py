"""Lesson 06 checks: the reference answers pass, typical wrong answers fail with the
message that names the mistake, and unfinished stubs are "not attempted"."""

import warnings

import numpy as np
import pytest
from exercise_helpers import assert_wrong, stub
from scipy import special, stats

from glmlesson import fit
from glmlesson.exercises import check_best_link, check_inverse_link
from glmlesson.exercises.hints import HINTS


def test_stubs_are_not_attempted():
    assert check_inverse_link.evaluate(stub, "probit").status == "not attempted"
    assert check_inverse_link.evaluate(stub, "cloglog").status == "not attempted"
    assert check_best_link.evaluate(stub).status == "not attempted"
    assert check_best_link.evaluate(None).status == "not attempted"


def test_hints_are_registered():
    assert {"06.1", "06.2", "06.3"} <= set(HINTS)


# -- 06.1 / 06.2 inverse links -------------------------------------------------------------

def probit_by_integration(eta):
    """Independent oracle: Φ(η) from scipy.stats.norm."""
    return stats.norm.cdf(eta)


def cloglog_from_gumbel(eta):
    """Independent oracle: 1 − exp(−e^η) is the cdf of the minimum-Gumbel distribution."""
    return stats.gumbel_l.cdf(eta)


def test_inverse_links_reference_passes():
    assert check_inverse_link.evaluate(probit_by_integration, "probit").passed
    assert check_inverse_link.evaluate(cloglog_from_gumbel, "cloglog").passed
    assert check_inverse_link.evaluate(lambda e: 1 - np.exp(-np.exp(e)), "cloglog").passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (stats.norm.pdf, "DENSITY"),
        (lambda e: 1 - special.ndtr(e), "1 − Φ(η)"),
        (lambda e: 0.5 * (1 + special.erf(e)), "divide η by √2"),
        (special.expit, "inverse LOGIT"),
        (special.ndtri, "the link g(μ) itself"),
        (np.exp, "LOG link"),
        (lambda e: np.asarray(e), "identity link"),
        (lambda e: special.ndtr(e)[:3], "shape"),
        (lambda e: special.ndtr(e) + 1e-3, "your function gives"),
    ],
)
def test_inverse_probit_wrong_answers(answer, phrase):
    assert_wrong(check_inverse_link.evaluate(answer, "probit"), phrase)


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda e: np.exp(-np.exp(e)), "probability of y = 0"),
        (lambda e: 1 - np.exp(-e), "inner exponential is missing"),
        (lambda e: 1 - np.exp(-np.exp(-e)), "sign of η is flipped"),
        (lambda e: np.exp(-np.exp(-e)), "log-log link"),
        (lambda e: np.log(-np.log1p(-e)), "the link g(μ) itself"),
        (special.expit, "inverse LOGIT"),
        (lambda e: 2 * (1 - np.exp(-np.exp(e))), "not probabilities"),
    ],
)
def test_inverse_cloglog_wrong_answers(answer, phrase):
    assert_wrong(check_inverse_link.evaluate(answer, "cloglog"), phrase)


# -- 06.3 best link ---------------------------------------------------------------------------

def quiet_deviances(X, y, family, links):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {name: fit(X, y, family, link=name).deviance for name in links}


def best_by_deviance(X, y, family, links):
    deviances = quiet_deviances(X, y, family, links)
    return min(deviances, key=deviances.get)


def best_by_loglik(X, y, family, links):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logliks = {name: fit(X, y, family, link=name).loglik for name in links}
    return max(logliks, key=logliks.get)


def worst_by_deviance(X, y, family, links):
    deviances = quiet_deviances(X, y, family, links)
    return max(deviances, key=deviances.get)


def test_best_link_reference_passes():
    assert check_best_link.evaluate(best_by_deviance).passed
    assert check_best_link.evaluate(best_by_loglik).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (worst_by_deviance, "LARGEST deviance"),
        (lambda X, y, family, links: family.canonical_link.name, "canonical link"),
        (lambda X, y, family, links: fit(X, y, family), "NAME of the best link"),
        (lambda X, y, family, links: 3, "return one of the names"),
        (lambda X, y, family, links: "cloglog" if "cloglog" in links else "sqrt",
         "the smallest belongs to"),
    ],
)
def test_best_link_wrong_answers(answer, phrase):
    assert_wrong(check_best_link.evaluate(answer), phrase)
