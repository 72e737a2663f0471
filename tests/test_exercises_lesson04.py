"""Lesson 04 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import warnings

import numpy as np
import pytest
from exercise_helpers import assert_wrong, lesson_tests, stub
from scipy import special, stats

from glmlesson import fit
from glmlesson.exercises import check_compare_links, check_dispersion_ratio, check_logistic_gd
from glmlesson.exercises.hints import HINTS


def test_hints_are_registered():
    assert {"04.1", "04.2", "04.3"} <= set(HINTS)


# -- 04.1 logistic regression by gradient ascent -----------------------------------------


def make_logistic_gd(mean=special.expit, sign=1.0, divide=True, extra_steps=0):
    def logistic_gd(X, y, learning_rate, n_steps):
        beta = np.zeros(X.shape[1])
        for _ in range(n_steps + extra_steps):
            mu = mean(X @ beta)
            gradient = X.T @ (y - mu) / (len(y) if divide else 1.0)
            beta = beta + sign * learning_rate * gradient
        return beta

    return logistic_gd


def test_logistic_gd_reference_passes():
    assert check_logistic_gd.evaluate(make_logistic_gd()).passed


def test_logistic_gd_alternative_formulation_passes():
    # the gradient written as a mean of per-observation contributions, sigmoid by hand
    def logistic_gd(X, y, learning_rate, n_steps):
        beta = np.zeros(X.shape[1])
        for _ in range(n_steps):
            mu = 1.0 / (1.0 + np.exp(-(X @ beta)))
            beta += learning_rate * np.mean(X * (y - mu)[:, None], axis=0)
        return beta

    assert check_logistic_gd.evaluate(logistic_gd).passed


def test_logistic_gd_converges_to_the_mle():
    """Oracle: scipy's optimiser on the Bernoulli log-likelihood (not glmlesson's fit)."""
    rng = np.random.default_rng(1)
    X = np.column_stack([np.ones(200), rng.uniform(-2, 2, 200)])
    y = rng.binomial(1, special.expit(X @ [0.4, -1.0])).astype(float)
    from scipy.optimize import minimize

    def negative_loglik(beta):
        eta = X @ beta
        return -np.sum(y * eta - np.logaddexp(0.0, eta))

    mle = minimize(negative_loglik, np.zeros(2), method="BFGS", options={"gtol": 1e-10}).x
    np.testing.assert_allclose(make_logistic_gd()(X, y, 2.0, 3000), mle, atol=1e-5)




def test_logistic_gd_forgetting_n_is_caught_even_with_a_tuned_rate():
    """An answer that drops 1/n but rescales the rate for one sample size still fails."""
    def tuned(X, y, learning_rate, n_steps):
        return make_logistic_gd(divide=False)(X, y, learning_rate / 60.0, n_steps)

    assert check_logistic_gd.evaluate(tuned).status == "wrong"


def test_logistic_gd_stub_and_crash():
    assert check_logistic_gd.evaluate(stub).status == "not attempted"
    assert check_logistic_gd.evaluate(None).status == "not attempted"
    assert_wrong(check_logistic_gd.evaluate(lambda X, y, r, s: 1 / 0), "ZeroDivisionError")


# -- 04.2 comparing two links --------------------------------------------------------------


def quiet_fit(X, y, family, link=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(X, y, family, link=link)


def compare_links(X, y):
    deviances = {link: quiet_fit(X, y, "poisson", link).deviance for link in ("log", "sqrt")}
    return deviances, min(deviances, key=deviances.get)


def test_poisson_deviance_matches_statsmodels():
    """Oracle for what the check expects: statsmodels' Poisson deviance with the sqrt link."""
    import statsmodels.api as sm

    rng = np.random.default_rng(2)
    x = np.sort(rng.uniform(0, 4, 150))
    X = np.column_stack([np.ones(150), x])
    y = rng.poisson((1.0 + x) ** 2).astype(float)
    link = sm.families.links.Sqrt()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' DomainWarning about the sqrt link
        oracle = sm.GLM(y, X, family=sm.families.Poisson(link=link)).fit(tol=1e-12)
    assert compare_links(X, y)[0]["sqrt"] == pytest.approx(oracle.deviance, rel=1e-7)


def test_compare_links_reference_passes():
    assert check_compare_links.evaluate(compare_links).passed


def with_values(function):
    def answer(X, y):
        fits = {link: quiet_fit(X, y, "poisson", link) for link in ("log", "sqrt")}
        values = {link: function(X, y, link, f) for link, f in fits.items()}
        return values, min(values, key=values.get)

    return answer




def test_compare_links_stub():
    assert check_compare_links.evaluate(stub).status == "not attempted"
    assert check_compare_links.evaluate(...).status == "not attempted"


# -- 04.3 Pearson dispersion ratio ---------------------------------------------------------


def dispersion_ratio(y, mu, n_params):
    return np.sum((y - mu) ** 2 / mu) / (len(y) - n_params)


def test_dispersion_ratio_reference_passes():
    assert check_dispersion_ratio.evaluate(dispersion_ratio).passed


def test_dispersion_ratio_is_near_one_for_poisson_and_above_for_negative_binomial():
    """Oracle: counts drawn by scipy.stats directly; the Pearson ratio of the true means."""
    rng = np.random.default_rng(3)
    mu = np.exp(rng.uniform(0.5, 2.5, 4000))
    poisson = stats.poisson.rvs(mu, random_state=rng)
    alpha = 0.8  # Var y = μ + αμ²: scipy's nbinom with n = 1/α, p = 1/(1 + αμ)
    negbin = stats.nbinom.rvs(1 / alpha, 1 / (1 + alpha * mu), random_state=rng)
    assert dispersion_ratio(poisson, mu, 0) == pytest.approx(1.0, abs=0.06)
    assert dispersion_ratio(negbin, mu, 0) > 3.0




def test_dispersion_ratio_stub_and_crash():
    assert check_dispersion_ratio.evaluate(stub).status == "not attempted"
    assert check_dispersion_ratio.evaluate(lambda y, mu, p: None).status == "not attempted"
    assert_wrong(check_dispersion_ratio.evaluate(lambda y, mu, p: 1 / 0), "ZeroDivisionError")


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
CHECKS = [check_logistic_gd, check_compare_links, check_dispersion_ratio]
REFERENCES = [(check_logistic_gd, make_logistic_gd()), (check_compare_links, compare_links),
    (check_dispersion_ratio, dispersion_ratio)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))


def test_differently_written_right_answers_pass():
    def deviances_by_hand(X, y):
        """D = 2 Σ [y log(y/μ) − (y − μ)] from each fit's μ (xlogy: 0·log 0 = 0)."""
        deviances = {}
        for link in ("log", "sqrt"):
            mu = quiet_fit(X, y, "poisson", link).mu
            deviances[link] = 2 * np.sum(special.xlogy(y, y / mu) - (y - mu))
        return deviances, "log" if deviances["log"] < deviances["sqrt"] else "sqrt"

    def ratio_by_loop(y, mu, n_params):
        chi2 = 0.0
        for observed, mean in zip(y, mu, strict=True):
            chi2 += (observed - mean) ** 2 / mean
        return chi2 / (len(y) - n_params)

    assert check_compare_links.evaluate(deviances_by_hand).passed
    assert check_dispersion_ratio.evaluate(ratio_by_loop).passed
