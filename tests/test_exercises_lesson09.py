"""Lesson 09 checks: the reference answers pass, typical wrong answers fail with the
message that names the mistake, and unfinished stubs are "not attempted"."""

import warnings

import numpy as np
import pytest
from exercise_helpers import assert_wrong, stub
from scipy import stats

from glmlesson import Poisson, fit
from glmlesson.exercises import check_aic, check_lr_test, check_rates_per_1000
from glmlesson.exercises.hints import HINTS

# -- 09.1 likelihood-ratio test --------------------------------------------------------


def lr_test(small, big):
    statistic = small.deviance - big.deviance
    df = big.coef.size - small.coef.size
    return statistic, df, stats.chi2.sf(statistic, df)


def test_lr_test_reference_passes():
    assert check_lr_test.evaluate(lr_test).passed
    by_loglik = lambda s, b: (2 * (b.loglik - s.loglik), b.coef.size - s.coef.size,  # noqa: E731
                              stats.chi2.sf(2 * (b.loglik - s.loglik), b.coef.size - s.coef.size))
    assert check_lr_test.evaluate(by_loglik).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda s, b: (b.deviance - s.deviance, 1, 0.5), "wrong sign"),
        (lambda s, b: (s.deviance, 1, 0.5), "small model's deviance alone"),
        (lambda s, b: ((s.deviance - b.deviance) / 2, 1, 0.5), "halved"),
        (lambda s, b: (s.deviance - b.deviance, b.coef.size, 0.5), "ADDS"),
        (lambda s, b: (s.deviance - b.deviance, b.df_resid, 0.5), "residual df of the big"),
        (lambda s, b: (lr_test(s, b)[0], lr_test(s, b)[1],
                       stats.chi2.cdf(*lr_test(s, b)[:2])), "upper tail"),
        (lambda s, b: (lr_test(s, b)[0], lr_test(s, b)[1], stats.norm.sf(lr_test(s, b)[0])),
         "not the normal"),
        (lambda s, b: lr_test(s, b)[0], "three numbers"),
    ],
)
def test_lr_test_wrong_answers(answer, phrase):
    assert_wrong(check_lr_test.evaluate(answer), phrase)


def test_lr_test_stub():
    assert check_lr_test.evaluate(stub).status == "not attempted"


# -- 09.2 rates with an exposure offset --------------------------------------------------


def rates_from(offset_of, per=1000.0, use_mu=False):
    def answer(X, incidents, months):
        offset = offset_of(months)
        result = fit(X, incidents, Poisson(), offset=offset)
        return result.mu if use_mu else per * np.exp(X @ result.coef)
    return answer


def rates_per_1000(X, incidents, months):
    result = fit(X, incidents, Poisson(), offset=np.log(months))
    return result.predict(X, offset=np.full(len(X), np.log(1000.0)))


def test_rates_reference_passes():
    assert check_rates_per_1000.evaluate(rates_per_1000).passed
    assert check_rates_per_1000.evaluate(rates_from(np.log)).passed


def raw_offset_overflow(X, incidents, months):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = fit(X, incidents, Poisson(), offset=months)
    with np.errstate(over="ignore"):
        return np.exp(X @ result.coef + 1000.0)


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (rates_from(np.log, use_mu=True), "OWN months"),
        (rates_from(np.log, per=1.0), "rate per month"),
        (lambda X, y, m: 1000 * fit(X, y, Poisson()).mu, "no offset"),
        (rates_from(lambda m: np.zeros_like(m)), "no offset"),
        (rates_from(np.log10), "log10"),
        (raw_offset_overflow, "raw months"),
        (lambda X, y, m: rates_per_1000(X, y, m)[:5], "one rate per row"),
    ],
)
def test_rates_wrong_answers(answer, phrase):
    assert_wrong(check_rates_per_1000.evaluate(answer), phrase)


def test_rates_stub():
    assert check_rates_per_1000.evaluate(stub).status == "not attempted"


# -- 09.3 AIC -----------------------------------------------------------------------------


def my_aic(result):
    return -2 * result.loglik + 2 * result.coef.size


def test_aic_reference_passes():
    assert check_aic.evaluate(my_aic).passed
    assert check_aic.evaluate(lambda r: r.aic).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda r: 2 * r.loglik + 2 * r.coef.size, "minus sign"),
        (lambda r: -2 * r.loglik, "penalty 2p"),
        (lambda r: -2 * r.loglik + r.coef.size, "2 per coefficient"),
        (lambda r: r.deviance + 2 * r.coef.size, "deviance for −2ℓ"),
        (lambda r: -2 * r.loglik + 2 * (r.coef.size + 1), "dispersion parameter"),
        (lambda r: -2 * r.loglik + np.log(len(r.y)) * r.coef.size, "BIC"),
        (lambda r: [1.0, 2.0], "one number"),
    ],
)
def test_aic_wrong_answers(answer, phrase):
    assert_wrong(check_aic.evaluate(answer), phrase)


def test_aic_stub_and_hints():
    assert check_aic.evaluate(stub).status == "not attempted"
    assert {"09.1", "09.2", "09.3"} <= set(HINTS)
