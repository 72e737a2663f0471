"""Lesson 06 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import warnings

import numpy as np
from exercise_helpers import lesson_tests, stub
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


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
CHECKS = [check_inverse_link, check_best_link]
REFERENCES = [(check_inverse_link, special.ndtr, "probit"),
    (check_inverse_link, cloglog_from_gumbel, "cloglog"), (check_best_link, best_by_deviance)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))
