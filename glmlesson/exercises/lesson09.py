"""Checks for lesson 09 (offsets and model checking): the likelihood-ratio test, rates
from a model with an exposure offset, and the AIC.

Each check builds fresh counts with their own exposures (not the ships) and names the
usual mistake when the answer matches one.

Introduced in 09_offsets_and_model_checking.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    as_array,
    as_number,
    as_numbers,
    call_student,
    close,
    correct,
    exercise,
    side_by_side,
    wrong,
)
from glmlesson.exercises._core import first_match as _matches
from glmlesson.exercises._core import quiet_fit as _quiet_fit
from glmlesson.families import Binomial, Poisson
from glmlesson.fitting import FitResult

__all__ = ["check_lr_test", "check_rates_per_1000", "check_aic"]


def _rates_or_nan(X, y, offset):
    """1000·exp(Xβ̂) for a fit with the given offset (a wrong one, to recognise an answer);
    NaN when that fit cannot be made."""
    try:
        coef = _quiet_fit(X, y, Poisson(), offset=offset).coef
    except ValueError:
        return np.full(X.shape[0], np.nan)
    with np.errstate(all="ignore"):
        return 1000.0 * np.exp(X @ coef)


def _exposure_counts(seed, n=80, beta=(-2.0, 0.5, -0.3, 0.0)):
    """Fresh counts with exposures: log E[y] = log t + xᵀβ, x = (1, len(beta) − 1 features)."""
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n, len(beta) - 1))
    X = np.column_stack([np.ones(n), features])
    months = rng.integers(5, 60, n).astype(float)
    mu = months * np.exp(X @ np.array(beta))
    return X, rng.poisson(mu).astype(float), months

# β of the nested-models data: the last three features have small effects, so the two tests
# (df = 2 and df = 3) have moderate p-values (0.071 and 0.074), where using df = 1 or the
# wrong tail gives clearly different numbers.
_NESTED_BETA = (-2.0, 0.5, -0.12, 0.1, 0.0)


@exercise
def check_lr_test(lr_test) -> Feedback:
    """Exercise 09.1: ``lr_test(small, big)`` returns (statistic, df, p_value) for two nested
    FitResults, small's columns a subset of big's."""
    X, y, months = _exposure_counts(9109, beta=_NESTED_BETA)
    offset = np.log(months)
    big = _quiet_fit(X, y, Poisson(), offset=offset)
    for columns in (3, 2):
        small = _quiet_fit(X[:, :columns], y, Poisson(), offset=offset)
        statistic = small.deviance - big.deviance
        df = big.coef.size - small.coef.size
        p_value = stats.chi2.sf(statistic, df)
        case = f"for a big model that adds {df} coefficients"
        answer = call_student(lr_test, small, big, case=case, names=("small", "big"))
        got_stat, got_df, got_p = as_numbers(answer, ("statistic", "df", "p_value"), case)
        if close(got_stat, -statistic):
            return wrong("the statistic has the wrong sign: it is D(small) − D(big) (the small "
                         "model fits worse, so its deviance is larger) and is never negative")
        if not close(got_stat, statistic):
            message = _matches(got_stat, [
                (small.deviance, "that is the small model's deviance alone; subtract the big "
                 "model's deviance"),
                (statistic / 2.0, "you halved it: the statistic is 2(ℓ_big − ℓ_small), the drop "
                 "in deviance"),
                (small.deviance / big.deviance, "a ratio of deviances is not the test; use "
                 "their difference"),
            ])
            want, got = side_by_side(statistic, got_stat)
            return wrong(message or f"{case} the statistic should be {want}, got {got}")
        if got_df != df:
            message = _matches(got_df, [
                (big.coef.size, "df is the number of coefficients the big model ADDS, not its "
                 "total number of coefficients"),
                (big.df_resid, "that is the residual df of the big model; the test's df is the "
                 "number of coefficients the big model adds"),
                (small.df_resid, "that is the residual df of the small model; the test's df is "
                 "the difference between the two"),
                (1, "df is not always 1: it is the number of coefficients the big model adds "
                 f"({df} here)"),
                (-df, "df has the wrong sign: it is the number of coefficients the big model "
                 "ADDS, big minus small"),
            ])
            return wrong(message or f"{case} df should be {df}, got {got_df:g}")
        if not close(got_p, p_value):
            message = _matches(got_p, [
                (stats.chi2.cdf(statistic, df), "that is P(χ² ≤ statistic); the p-value is the "
                 "upper tail, chi2.sf(statistic, df)"),
                (stats.norm.sf(statistic), "the reference distribution is χ² with df degrees "
                 "of freedom, not the normal"),
                (stats.chi2.sf(statistic, 1), "the p-value uses df = 1; use the test's df "
                 f"({df} here): chi2.sf(statistic, df)"),
                (stats.chi2.sf(statistic, big.coef.size), "the p-value used the big model's "
                 "number of coefficients as df; use the number it adds"),
                (stats.chi2.sf(statistic / 2, df), "the p-value used half the statistic"),
            ])
            want, got = side_by_side(p_value, got_p)
            return wrong(message or f"{case} the p-value should be {want}, got {got}")
    return correct("statistic = D(small) − D(big), df = extra coefficients, p = chi2.sf.")


@exercise
def check_rates_per_1000(rates_per_1000) -> Feedback:
    """Exercise 09.2: ``rates_per_1000(X, incidents, months)`` fits the Poisson rate model with
    offset log(months) and returns the expected incidents per 1000 months for each row of X."""
    X, y, months = _exposure_counts(9201)
    result = _quiet_fit(X, y, Poisson(), offset=np.log(months))
    expected = 1000.0 * np.exp(X @ result.coef)
    case = "on fresh counts with exposures"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answer = call_student(rates_per_1000, X.copy(), y.copy(), months.copy(), case=case,
                              names=("X", "incidents", "months"))
    answer = as_array(answer, "the rates", expected.shape, case, "one rate per row of X")
    if close(answer, expected):
        return correct("rates per 1000 months = 1000·exp(xᵀβ̂), with log(months) as the offset.")
    if not np.all(np.isfinite(answer)):
        return wrong("some rates are infinite or NaN: did you use the raw months as the offset "
                     "(or predict with offset 1000)? The offset is on the scale of η: log(months)")
    no_offset = _quiet_fit(X, y, Poisson())
    message = _matches(answer, [
        (result.mu, "those are the expected incidents over each row's OWN months of service; "
         "the question asks per 1000 months"),
        (expected / 1000.0, "that is the rate per month; multiply by 1000"),
        (1000.0 * no_offset.mu, "the model has no offset, so it ignores how long each row was "
         "exposed; add offset=np.log(months)"),
        (1000.0 * np.exp(X @ no_offset.coef), "the model has no offset, so it ignores how long "
         "each row was exposed; add offset=np.log(months)"),
        (_rates_or_nan(X, y, np.log10(months)), "you used log10(months): η is on the natural-log "
         "scale, so the offset is np.log(months)"),
        (_rates_or_nan(X, y, months), "you used the raw months as the offset: it must be "
         "log(months), since log μ = log(months) + xᵀβ"),
    ], rtol=1e-5)
    return wrong(message or "the rates do not match those of the Poisson model with offset "
                 "log(months) on fresh data")


_READY_MADE = tuple((FitResult, name, f"result.{name}") for name in ("aic", "bic")
                    if hasattr(FitResult, name))


@exercise
def check_aic(my_aic) -> Feedback:
    """Exercise 09.3: ``my_aic(result)`` returns −2·loglik + 2·(number of coefficients) for a
    Poisson or Binomial FitResult."""
    X, y, months = _exposure_counts(9301)
    rng = np.random.default_rng(9302)
    trials = rng.integers(3, 9, y.size)
    successes = rng.binomial(trials, 0.35).astype(float)
    results = [
        _quiet_fit(X, y, Poisson(), offset=np.log(months)),
        _quiet_fit(X[:, :2], successes, Binomial(trials)),
    ]
    for result in results:
        ll, p = result.loglik, result.coef.size
        expected = -2.0 * ll + 2.0 * p
        case = f"for a fresh {result.family.name} fit"
        answer = call_student(my_aic, result, case=case, names=("result",),
                              forbidden=_READY_MADE,
                              instead="compute the AIC from result.loglik and the number of "
                                      "coefficients, −2ℓ + 2p")
        answer = as_number(answer, "the AIC", case)
        if close(answer, expected):
            continue
        message = _matches(answer, [
            (2.0 * ll + 2.0 * p, "the log-likelihood enters with a minus sign: AIC = −2ℓ + 2p"),
            (-2.0 * ll, "the penalty 2p for the number of coefficients is missing"),
            (-2.0 * ll + p, "the penalty is 2 per coefficient: + 2p"),
            (result.deviance + 2.0 * p, "you used the deviance for −2ℓ; they differ by the "
             "saturated log-likelihood, so this is not the AIC (it ranks models on the same "
             "data the same way, but its values differ)"),
            (-2.0 * ll + 2.0 * (p + 1), "you counted a dispersion parameter; the Poisson and "
             "Binomial have none (φ = 1), so p is the number of coefficients"),
            (-2.0 * ll + np.log(y.size) * p, "that penalty, log(n)·p, is the BIC's"),
        ])
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the AIC is {want}, your function gives {got}")
    return correct("AIC = −2ℓ + 2p; the smaller, the better the trade-off of fit and size.")


# ------------------------------------------------------------ typical wrong answers
def _lr(statistic_of=lambda s, b: s.deviance - b.deviance,
        df_of=lambda s, b: b.coef.size - s.coef.size,
        p_of=lambda statistic, df: stats.chi2.sf(statistic, df)):
    def lr_test(small, big):
        statistic, df = statistic_of(small, big), df_of(small, big)
        return statistic, df, p_of(statistic, df)
    return lr_test


check_lr_test.mistakes = (
    Mistake("statistic with the wrong sign", _lr(lambda s, b: b.deviance - s.deviance),
            "wrong sign"),
    Mistake("small model's deviance alone", _lr(lambda s, b: s.deviance), "alone"),
    Mistake("statistic halved (ℓ difference without the 2)",
            _lr(lambda s, b: b.loglik - s.loglik), "halved"),
    Mistake("ratio of deviances", _lr(lambda s, b: s.deviance / b.deviance), "ratio"),
    Mistake("df = big model's coefficients", _lr(df_of=lambda s, b: b.coef.size), "ADDS"),
    Mistake("df = big model's residual df", _lr(df_of=lambda s, b: b.df_resid),
            "residual df of the big"),
    Mistake("df = small model's residual df", _lr(df_of=lambda s, b: s.df_resid),
            "residual df of the small"),
    Mistake("df hard-coded to 1", _lr(df_of=lambda s, b: 1), "not always 1"),
    Mistake("df small minus big", _lr(df_of=lambda s, b: s.coef.size - b.coef.size),
            "df has the wrong sign"),
    Mistake("p-value with df hard-coded to 1 (df reported right)",
            _lr(p_of=lambda statistic, df: stats.chi2.sf(statistic, 1)), "uses df = 1"),
    Mistake("lower tail (cdf)", _lr(p_of=stats.chi2.cdf), "upper tail"),
    Mistake("normal reference", _lr(p_of=lambda statistic, df: stats.norm.sf(statistic)),
            "not the normal"),
    Mistake("p-value with the big model's size as df",
            lambda s, b: (s.deviance - b.deviance, b.coef.size - s.coef.size,
                          stats.chi2.sf(s.deviance - b.deviance, b.coef.size)),
            "big model's number of coefficients"),
    Mistake("returns the statistic alone", lambda s, b: s.deviance - b.deviance,
            "three numbers"),
)


def _rates(offset_of, per=1000.0, own_months=False):
    def rates_per_1000(X, incidents, months):
        result = _quiet_fit(X, incidents, Poisson(), offset=offset_of(months))
        return result.mu if own_months else per * np.exp(X @ result.coef)
    return rates_per_1000


check_rates_per_1000.mistakes = (
    Mistake("expected incidents over each row's own months", _rates(np.log, own_months=True),
            "OWN months"),
    Mistake("rate per month", _rates(np.log, per=1.0), "rate per month"),
    Mistake("no offset", _rates(np.zeros_like), "no offset"),
    Mistake("no offset, fitted means × 1000",
            lambda X, y, m: 1000 * _quiet_fit(X, y, Poisson()).mu, "no offset"),
    Mistake("log10 offset", _rates(np.log10), "log10"),
    Mistake("raw months as the offset", _rates(lambda m: m), "raw months"),
    Mistake("one rate for the first five rows only",
            lambda X, y, m: _rates(np.log)(X, y, m)[:5], "one rate per row"),
)


check_aic.mistakes = (
    Mistake("+2ℓ", lambda r: 2 * r.loglik + 2 * r.coef.size, "minus sign"),
    Mistake("penalty left out", lambda r: -2 * r.loglik, "penalty 2p"),
    Mistake("penalty p, not 2p", lambda r: -2 * r.loglik + r.coef.size, "2 per coefficient"),
    Mistake("deviance for −2ℓ", lambda r: r.deviance + 2 * r.coef.size, "deviance for −2ℓ"),
    Mistake("a dispersion parameter counted", lambda r: -2 * r.loglik + 2 * (r.coef.size + 1),
            "dispersion parameter"),
    Mistake("BIC penalty", lambda r: -2 * r.loglik + np.log(len(r.y)) * r.coef.size, "BIC"),
    Mistake("result.aic, which the task forbids", lambda r: r.aic, "result.aic"),
    Mistake("returns a list", lambda r: [r.loglik, r.coef.size], "one number"),
)
