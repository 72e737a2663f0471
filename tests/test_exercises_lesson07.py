"""Lesson 07 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from exercise_helpers import assert_wrong, lesson_tests, stub
from scipy import special, stats

import glmlesson
from glmlesson.data import load
from glmlesson.exercises import check_irls_step, check_newton_step, check_standard_errors
from glmlesson.exercises.hints import HINTS
from glmlesson.simulate import design

LOGIT = sm.families.Binomial()
PROBIT = sm.families.Binomial(sm.families.links.Probit())


def one_statsmodels_iteration(family, beta, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(y, X, family=family).fit(start_params=beta, maxiter=1, method="IRLS").params


def gram(X, w):
    return X.T @ (X * w[:, None])


@pytest.mark.parametrize("check", [check_newton_step, check_irls_step, check_standard_errors])
def test_stubs_are_not_attempted(check):
    assert check.evaluate(stub).status == "not attempted"
    assert check.evaluate(...).status == "not attempted"


def test_hints_are_registered():
    assert {"07.1", "07.2", "07.3"} <= set(HINTS)


# -- 07.1 Newton step for logistic regression ------------------------------------------------


def newton_step(beta, X, y):
    mu = special.expit(X @ beta)
    return beta + np.linalg.solve(gram(X, mu * (1 - mu)), X.T @ (y - mu))


def test_newton_step_reference_passes():
    assert check_newton_step.evaluate(newton_step).passed
    assert check_newton_step.evaluate(
        lambda beta, X, y: one_statsmodels_iteration(LOGIT, beta, X, y)).passed


def _step(beta, X, y):
    return newton_step(beta, X, y) - beta




# -- 07.2 IRLS step for probit regression -------------------------------------------------------


def irls_step(beta, X, y):
    eta = X @ beta
    mu, density = special.ndtr(eta), stats.norm.pdf(eta)
    w = density**2 / (mu * (1 - mu))
    z = eta + (y - mu) / density
    return np.linalg.solve(gram(X, w), X.T @ (w * z))


def observed_newton_step(beta, X, y):
    """Independent oracle for the 'observed information' mistake: statsmodels' score and
    observed Hessian of the probit log-likelihood."""
    model = sm.GLM(y, X, family=PROBIT)
    return beta - np.linalg.solve(model.hessian(beta, observed=True), model.score(beta))


def test_irls_step_reference_passes():
    assert check_irls_step.evaluate(irls_step).passed
    assert check_irls_step.evaluate(
        lambda beta, X, y: one_statsmodels_iteration(PROBIT, beta, X, y)).passed


def _unweighted(beta, X, y):
    eta = X @ beta
    mu, density = special.ndtr(eta), stats.norm.pdf(eta)
    return np.linalg.lstsq(X, eta + (y - mu) / density, rcond=None)[0]


def _logit_formulas(beta, X, y):
    return one_statsmodels_iteration(LOGIT, beta, X, y)




def test_irls_step_inverted_weights():
    def inverted(beta, X, y):
        eta = X @ beta
        mu, density = special.ndtr(eta), stats.norm.pdf(eta)
        w = (mu * (1 - mu)) / density**2
        return np.linalg.solve(gram(X, w), X.T @ (w * (eta + (y - mu) / density)))

    assert_wrong(check_irls_step.evaluate(inverted), "upside down")


# -- 07.3 standard errors ---------------------------------------------------------------------


def statsmodels_standard_errors(X, mu):
    """Independent oracle: a statsmodels logit fit to the fractional response y = μ has
    fitted means μ (they are already of the form expit(Xβ)), so its bse are the standard
    errors at μ."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(mu, X, family=LOGIT).fit(tol=1e-13).bse


def test_standard_errors_reference_passes():
    assert check_standard_errors.evaluate(statsmodels_standard_errors).passed


def _information(X, mu):
    return gram(X, mu * (1 - mu))




# -- what the notebook computes by hand, against statsmodels ---------------------------------------


@pytest.mark.parametrize("link, sm_family", [("logit", LOGIT), ("probit", PROBIT)])
def test_challenger_standard_errors_and_wald_intervals_match_statsmodels(link, sm_family):
    shuttle = load("challenger")
    X = design((shuttle["temperature_f"] - 70) / 10)
    y = shuttle["damaged"].astype(float)
    ours = glmlesson.fit(X, y, "bernoulli", link=link)
    theirs = sm.GLM(y, X, family=sm_family).fit(tol=1e-13)
    np.testing.assert_allclose(ours.coef, theirs.params, rtol=1e-8)
    np.testing.assert_allclose(ours.bse, theirs.bse, rtol=1e-6)
    np.testing.assert_allclose(ours.conf_int(), theirs.conf_int(), rtol=1e-6)


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
CHECKS = [check_newton_step, check_irls_step, check_standard_errors]
REFERENCES = [(check_newton_step, newton_step), (check_irls_step, irls_step),
    (check_standard_errors, statsmodels_standard_errors)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))


def test_standard_errors_from_the_notebook_solution_pass():
    def standard_errors(X, mu):
        information = X.T @ (X * (mu * (1 - mu))[:, None])
        return np.sqrt(np.diag(np.linalg.inv(information)))

    assert check_standard_errors.evaluate(standard_errors).passed
