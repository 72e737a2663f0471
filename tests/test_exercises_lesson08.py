"""Lesson 08 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import warnings

import numpy as np
import pytest
from exercise_helpers import assert_wrong, lesson_tests, stub
from scipy import special, stats

from glmlesson import NegativeBinomial, Poisson, fit
from glmlesson.exercises import (
    check_best_alpha,
    check_nb_loglik,
    check_pearson_dispersion,
    check_quasi_poisson_bse,
)
from glmlesson.exercises.hints import HINTS


def quiet_fit(X, y, family):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(X, y, family)


# -- 08.1 Pearson dispersion ---------------------------------------------------------


def pearson_dispersion(y, mu, n_params):
    return np.sum((y - mu) ** 2 / mu) / (len(y) - n_params)


def test_pearson_dispersion_reference_passes():
    assert check_pearson_dispersion.evaluate(pearson_dispersion).passed




def test_pearson_dispersion_stub_and_crash():
    assert check_pearson_dispersion.evaluate(stub).status == "not attempted"
    assert check_pearson_dispersion.evaluate(None).status == "not attempted"
    feedback = check_pearson_dispersion.evaluate(lambda y, mu, p: 1 / 0)
    assert_wrong(feedback, "ZeroDivisionError")


# -- 08.2 quasi-Poisson standard errors ------------------------------------------------


def quasi_poisson_bse(X, y):
    result = quiet_fit(X, y, Poisson())
    phi = np.sum(result.resid_pearson**2) / result.df_resid
    return result.bse * np.sqrt(phi)


def scaled(factor):
    def answer(X, y):
        result = quiet_fit(X, y, Poisson())
        phi = np.sum(result.resid_pearson**2) / result.df_resid
        return result.bse * factor(phi, result, y)
    return answer


def test_quasi_poisson_reference_passes():
    assert check_quasi_poisson_bse.evaluate(quasi_poisson_bse).passed




def test_quasi_poisson_stub():
    assert check_quasi_poisson_bse.evaluate(stub).status == "not attempted"


# -- 08.3 negative-binomial log-likelihood ----------------------------------------------


def nb_loglik(y, mu, alpha):
    r = 1.0 / alpha
    log_h = special.gammaln(y + r) - special.gammaln(r) - special.gammaln(y + 1)
    return np.sum(log_h + y * np.log(alpha * mu) - (y + r) * np.log1p(alpha * mu))


def through_theta(y, mu, alpha):
    """The same log-likelihood written through θ = log(αμ/(1 + αμ)) and A(θ)."""
    r = 1 / alpha
    theta = np.log(alpha * mu / (1 + alpha * mu))
    log_h = special.gammaln(y + r) - special.gammaln(r) - special.gammaln(y + 1)
    return np.sum(log_h + y * theta + r * np.log(1 - np.exp(theta)))


def test_nb_loglik_right_answers_pass():
    assert check_nb_loglik.evaluate(nb_loglik).passed
    assert check_nb_loglik.evaluate(through_theta).passed


def test_nb_loglik_matches_scipy_and_the_library():
    """Oracle: scipy.stats.nbinom (n = 1/α, p = 1/(1 + αμ)); the library agrees."""
    rng = np.random.default_rng(83)
    mu, alpha = rng.uniform(0.5, 5, 30), 0.7
    y = rng.poisson(mu).astype(float)
    oracle = np.sum(stats.nbinom.logpmf(y, 1 / alpha, 1 / (1 + alpha * mu)))
    assert nb_loglik(y, mu, alpha) == pytest.approx(oracle, rel=1e-12)
    assert NegativeBinomial(alpha).loglik(y, mu) == pytest.approx(oracle, rel=1e-10)


def without_factorial(y, mu, alpha):
    return nb_loglik(y, mu, alpha) + np.sum(special.gammaln(y + 1))


def without_h(y, mu, alpha):
    r = 1.0 / alpha
    return np.sum(y * np.log(alpha * mu) - (y + r) * np.log1p(alpha * mu))


def swapped(y, mu, alpha):
    return nb_loglik(y, mu, 1.0 / alpha)




def test_nb_loglik_stub():
    assert check_nb_loglik.evaluate(stub).status == "not attempted"


# -- 08.4 choosing α by the profile log-likelihood ------------------------------------


def best_alpha(X, y, alphas):
    logliks = [fit(X, y, NegativeBinomial(a)).loglik for a in alphas]
    return alphas[int(np.argmax(logliks))]


def by_deviance(X, y, alphas):
    return alphas[int(np.argmin([fit(X, y, NegativeBinomial(a)).deviance for a in alphas]))]


def by_smallest_loglik(X, y, alphas):
    return alphas[int(np.argmin([fit(X, y, NegativeBinomial(a)).loglik for a in alphas]))]


def test_best_alpha_reference_passes():
    assert check_best_alpha.evaluate(best_alpha).passed




def test_best_alpha_stub_and_hints():
    assert check_best_alpha.evaluate(stub).status == "not attempted"
    assert {"08.1", "08.2", "08.3", "08.4"} <= set(HINTS)


def test_check_prints_one_line(capsys):
    check_pearson_dispersion(stub)
    assert capsys.readouterr().out.startswith("⏳ Not attempted yet")


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
CHECKS = [check_pearson_dispersion, check_quasi_poisson_bse, check_nb_loglik, check_best_alpha]
REFERENCES = [(check_pearson_dispersion, pearson_dispersion),
              (check_quasi_poisson_bse, quasi_poisson_bse),
              (check_nb_loglik, nb_loglik), (check_best_alpha, best_alpha)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))


def test_differently_written_right_answers_pass():
    def dispersion_from_residuals(y, mu, n_params):
        pearson = (y - mu) / np.sqrt(mu)
        return pearson @ pearson / (y.size - n_params)

    def bse_from_the_covariance(X, y):
        result = quiet_fit(X, y, Poisson())
        phi = np.sum((y - result.mu) ** 2 / result.mu) / (len(y) - X.shape[1])
        return np.sqrt(np.diag(result.cov * phi))

    def best_by_loop(X, y, alphas):
        best, best_loglik = None, -np.inf
        for alpha in alphas:
            loglik = quiet_fit(X, y, NegativeBinomial(alpha)).loglik
            if loglik > best_loglik:
                best, best_loglik = alpha, loglik
        return best

    assert check_pearson_dispersion.evaluate(dispersion_from_residuals).passed
    assert check_quasi_poisson_bse.evaluate(bse_from_the_covariance).passed
    assert check_best_alpha.evaluate(best_by_loop).passed


def test_best_alpha_grid_separates_the_estimators_by_an_oracle():
    """scipy alone (nbinom.logpmf maximised over β for each α): on the check's data the
    maximum-likelihood α of the grid, the α whose Pearson dispersion is nearest 1 and the grid
    value nearest the moment estimate are three different values, so a student who uses a
    moment estimate cannot pass."""
    from scipy import optimize

    from glmlesson.exercises.lesson08 import _ALPHA_GRID, _overdispersed_counts

    X, y = _overdispersed_counts(8400, n=200, alpha=0.6)

    def profile(alpha):
        def negative(beta):
            mu = np.exp(X @ beta)
            return -np.sum(stats.nbinom.logpmf(y, 1 / alpha, 1 / (1 + alpha * mu)))
        best = optimize.minimize(negative, np.zeros(2), method="BFGS", options={"gtol": 1e-9})
        mu = np.exp(X @ best.x)
        pearson = np.sum((y - mu) ** 2 / (mu + alpha * mu**2)) / (len(y) - 2)
        return -best.fun, pearson

    logliks, pearsons = np.array([profile(alpha) for alpha in _ALPHA_GRID]).T
    poisson_mu = np.exp(X @ optimize.minimize(
        lambda b: -np.sum(stats.poisson.logpmf(y, np.exp(X @ b))), np.zeros(2),
        method="BFGS").x)
    moment = np.sum((y - poisson_mu) ** 2 - poisson_mu) / np.sum(poisson_mu**2)
    ml = _ALPHA_GRID[np.argmax(logliks)]
    by_pearson = _ALPHA_GRID[np.argmin(np.abs(pearsons - 1))]
    by_moment = _ALPHA_GRID[np.argmin(np.abs(_ALPHA_GRID - moment))]
    assert len({ml, by_pearson, by_moment}) == 3
    assert np.sort(logliks)[-1] - np.sort(logliks)[-2] > 0.3  # a clear maximum
