"""Lesson 08 checks: the reference answers pass, typical wrong answers fail with the
message that names the mistake, and unfinished stubs are "not attempted"."""

import warnings

import numpy as np
import pytest
from exercise_helpers import assert_wrong, stub
from scipy import special

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


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda y, mu, p: np.var(y) / np.mean(y), "variance of y by its mean"),
        (lambda y, mu, p: np.var(y, ddof=1) / np.mean(y), "variance of y by its mean"),
        (lambda y, mu, p: np.sum((y - mu) ** 2 / mu) / len(y), "n − p"),
        (lambda y, mu, p: np.sum((y - mu) ** 2 / mu), "Pearson's χ² itself"),
        (lambda y, mu, p: np.sqrt(pearson_dispersion(y, mu, p)), "√φ̂"),
        (lambda y, mu, p: Poisson().deviance(y, mu) / (len(y) - p), "deviance-based"),
        (lambda y, mu, p: np.sum((y - mu) ** 2) / (len(y) - p), "should be"),
    ],
)
def test_pearson_dispersion_wrong_answers(answer, phrase):
    assert_wrong(check_pearson_dispersion.evaluate(answer), phrase)


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


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (scaled(lambda phi, r, y: phi), "multiplied the standard errors by φ̂"),
        (scaled(lambda phi, r, y: 1 / np.sqrt(phi)), "divided by √φ̂"),
        (scaled(lambda phi, r, y: 1.0), "plain Poisson standard errors"),
        (scaled(lambda phi, r, y: np.sqrt(phi * r.df_resid / len(y))), "not by n"),
        (scaled(lambda phi, r, y: np.sqrt(r.deviance / r.df_resid)), "deviance-based"),
        (lambda X, y: quasi_poisson_bse(X, y)[:1], "one standard error per coefficient"),
    ],
)
def test_quasi_poisson_wrong_answers(answer, phrase):
    assert_wrong(check_quasi_poisson_bse.evaluate(answer), phrase)


def test_quasi_poisson_stub():
    assert check_quasi_poisson_bse.evaluate(stub).status == "not attempted"


# -- 08.3 negative-binomial log-likelihood ----------------------------------------------


def nb_loglik(y, mu, alpha):
    r = 1.0 / alpha
    log_h = special.gammaln(y + r) - special.gammaln(r) - special.gammaln(y + 1)
    return np.sum(log_h + y * np.log(alpha * mu) - (y + r) * np.log1p(alpha * mu))


def test_nb_loglik_reference_passes():
    assert check_nb_loglik.evaluate(nb_loglik).passed
    assert check_nb_loglik.evaluate(
        lambda y, mu, a: NegativeBinomial(a).loglik(y, mu)).passed


def without_factorial(y, mu, alpha):
    return nb_loglik(y, mu, alpha) + np.sum(special.gammaln(y + 1))


def without_h(y, mu, alpha):
    r = 1.0 / alpha
    return np.sum(y * np.log(alpha * mu) - (y + r) * np.log1p(alpha * mu))


def swapped(y, mu, alpha):
    return nb_loglik(y, mu, 1.0 / alpha)


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (without_factorial, "ignores the −log y!"),
        (without_h, "leaves out log h(y)"),
        (swapped, "swapped α and r"),
        (lambda y, mu, a: Poisson().loglik(y, mu), "Poisson log-likelihood"),
        (lambda y, mu, a: nb_loglik(y, mu, a) / len(y), "averaged"),
        (lambda y, mu, a: -nb_loglik(y, mu, a), "sign is flipped"),
        (lambda y, mu, a: nb_loglik(y, mu, a) + 1.0, "your function gives"),
        (lambda y, mu, a: np.zeros(3), "one number"),
    ],
)
def test_nb_loglik_wrong_answers(answer, phrase):
    assert_wrong(check_nb_loglik.evaluate(answer), phrase)


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


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (by_deviance, "minimised the deviance"),
        (by_smallest_loglik, "SMALLEST log-likelihood"),
        (lambda X, y, alphas: alphas[2], "the best α on this grid is"),
    ],
)
def test_best_alpha_wrong_answers(answer, phrase):
    assert_wrong(check_best_alpha.evaluate(answer), phrase)


def test_best_alpha_stub_and_hints():
    assert check_best_alpha.evaluate(stub).status == "not attempted"
    assert {"08.1", "08.2", "08.3", "08.4"} <= set(HINTS)


def test_check_prints_one_line(capsys):
    check_pearson_dispersion(stub)
    assert capsys.readouterr().out.startswith("⏳ Not attempted yet")
