"""Lesson 09 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import warnings

import numpy as np
import pytest
from exercise_helpers import assert_wrong, lesson_tests, stub
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




def test_rates_stub():
    assert check_rates_per_1000.evaluate(stub).status == "not attempted"


# -- 09.3 AIC -----------------------------------------------------------------------------


def my_aic(result):
    return -2 * result.loglik + 2 * result.coef.size


def test_aic_right_answers_pass():
    assert check_aic.evaluate(my_aic).passed
    assert check_aic.evaluate(lambda result: 2 * (len(result.coef) - result.loglik)).passed


def test_result_aic_is_noticed_and_restored():
    """result.aic gives the right number here, but the task rules it out; the check says so
    and leaves FitResult.aic working afterwards."""
    assert_wrong(check_aic.evaluate(lambda r: r.aic), "you used result.aic")
    result = fit(np.column_stack([np.ones(5), np.arange(5.0)]), np.array([1, 0, 2, 3, 5.0]),
                 Poisson())
    assert result.aic == pytest.approx(-2 * result.loglik + 4)




def test_aic_stub_and_hints():
    assert check_aic.evaluate(stub).status == "not attempted"
    assert {"09.1", "09.2", "09.3"} <= set(HINTS)


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
CHECKS = [check_lr_test, check_rates_per_1000, check_aic]
REFERENCES = [(check_lr_test, lr_test), (check_rates_per_1000, rates_per_1000), (check_aic, my_aic)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))


def test_printing_the_summary_is_not_taken_for_result_aic():
    def chatty_aic(result):
        result.summary()  # reads result.aic inside the library: not the student's shortcut
        return -2 * result.loglik + 2 * result.coef.size

    assert check_aic.evaluate(chatty_aic).passed


def test_lr_test_cases_have_moderate_p_values_by_statsmodels():
    """Oracle: statsmodels' Poisson GLM with the same offset. Both tests have df ≥ 2 and a
    p-value between 0.01 and 0.5, where df = 1 or the wrong tail give clearly other numbers."""
    import statsmodels.api as sm

    from glmlesson.exercises.lesson09 import _NESTED_BETA, _exposure_counts

    X, y, months = _exposure_counts(9109, beta=_NESTED_BETA)
    family = sm.families.Poisson()
    big = sm.GLM(y, X, family=family, offset=np.log(months)).fit()
    for columns in (3, 2):
        small = sm.GLM(y, X[:, :columns], family=family, offset=np.log(months)).fit()
        statistic, df = small.deviance - big.deviance, X.shape[1] - columns
        p_value = stats.chi2.sf(statistic, df)
        assert df >= 2 and 0.01 < p_value < 0.5
        assert abs(stats.chi2.sf(statistic, 1) - p_value) > 0.03
