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

from glmlesson.exercises import hints
from glmlesson.exercises._core import Feedback, call_student, close, correct, exercise, wrong
from glmlesson.exercises._core import first_match as _matches
from glmlesson.exercises._core import quiet_fit as _quiet_fit
from glmlesson.families import Binomial, Poisson

__all__ = ["check_lr_test", "check_rates_per_1000", "check_aic"]

hints.register(
    "09.1",
    "The statistic is the drop in deviance, D(small) − D(big) = 2(ℓ_big − ℓ_small) ≥ 0; its "
    "degrees of freedom are the number of coefficients the big model adds; the p-value is "
    "the upper tail, scipy.stats.chi2.sf(statistic, df).",
)
hints.register(
    "09.2",
    "Fit with offset=np.log(months). The fitted rate per month is exp(xᵀβ̂); per 1000 months "
    "it is 1000·exp(xᵀβ̂), which is also result.predict(X, offset=np.log(1000) * ones).",
)
hints.register(
    "09.3",
    "AIC = −2·loglik + 2·(number of estimated parameters). For the Poisson and the Binomial "
    "that number is the number of coefficients, result.coef.size.",
)

def _rates_or_nan(X, y, offset):
    """1000·exp(Xβ̂) for a fit with the given offset (a wrong one, to recognise an answer);
    NaN when that fit cannot be made."""
    try:
        coef = _quiet_fit(X, y, Poisson(), offset=offset).coef
    except ValueError:
        return np.full(X.shape[0], np.nan)
    with np.errstate(all="ignore"):
        return 1000.0 * np.exp(X @ coef)


def _exposure_counts(seed, n=80):
    """Fresh counts with exposures: log E[y] = log t + β₀ + β₁x₁ + β₂x₂ + β₃x₃ (β₃ = 0)."""
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n, 3))
    X = np.column_stack([np.ones(n), features])
    months = rng.integers(5, 60, n).astype(float)
    mu = months * np.exp(X @ np.array([-2.0, 0.5, -0.3, 0.0]))
    return X, rng.poisson(mu).astype(float), months

@exercise
def check_lr_test(lr_test) -> Feedback:
    """Exercise 09.1: ``lr_test(small, big)`` returns (statistic, df, p_value) for two nested
    FitResults, small's columns a subset of big's."""
    X, y, months = _exposure_counts(9101)
    offset = np.log(months)
    pairs = [
        (_quiet_fit(X[:, :2], y, Poisson(), offset=offset), _quiet_fit(X, y, Poisson(),
                                                                       offset=offset)),
        (_quiet_fit(X[:, :3], y, Poisson(), offset=offset), _quiet_fit(X, y, Poisson(),
                                                                       offset=offset)),
    ]
    for small, big in pairs:
        statistic = small.deviance - big.deviance
        df = big.coef.size - small.coef.size
        p_value = stats.chi2.sf(statistic, df)
        answer = call_student(lr_test, small, big)
        try:
            got_stat, got_df, got_p = (float(v) for v in answer)
        except (TypeError, ValueError):
            return wrong("return three numbers: (statistic, df, p_value)")
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
            return wrong(message or f"the statistic should be {statistic:.4f}, got "
                         f"{got_stat:.4f}")
        if got_df != df:
            message = _matches(got_df, [
                (big.coef.size, "df is the number of coefficients the big model ADDS, not its "
                 "total number of coefficients"),
                (big.df_resid, "that is the residual df of the big model; the test's df is the "
                 "number of coefficients the big model adds"),
                (small.df_resid, "that is the residual df of the small model; the test's df is "
                 "the difference between the two"),
            ])
            return wrong(message or f"df should be {df}, got {got_df:g}")
        if not close(got_p, p_value):
            message = _matches(got_p, [
                (stats.chi2.cdf(statistic, df), "that is P(χ² ≤ statistic); the p-value is the "
                 "upper tail, chi2.sf(statistic, df)"),
                (stats.norm.sf(statistic), "the reference distribution is χ² with df degrees "
                 "of freedom, not the normal"),
                (stats.chi2.sf(statistic, big.coef.size), "the p-value used the wrong df"),
            ])
            return wrong(message or f"the p-value should be {p_value:.4g}, got {got_p:.4g}")
    return correct("statistic = D(small) − D(big), df = extra coefficients, p = chi2.sf.")


@exercise
def check_rates_per_1000(rates_per_1000) -> Feedback:
    """Exercise 09.2: ``rates_per_1000(X, incidents, months)`` fits the Poisson rate model with
    offset log(months) and returns the expected incidents per 1000 months for each row of X."""
    X, y, months = _exposure_counts(9201)
    result = _quiet_fit(X, y, Poisson(), offset=np.log(months))
    expected = 1000.0 * np.exp(X @ result.coef)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answer = call_student(rates_per_1000, X, y, months)
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return wrong(f"return one rate per row of X, got {type(answer).__name__}")
    if answer.shape != expected.shape:
        return wrong(f"return one rate per row of X (shape {expected.shape}), got shape "
                     f"{answer.shape}")
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
        answer = call_student(my_aic, result)
        try:
            answer = float(np.asarray(answer, dtype=float))
        except (TypeError, ValueError):
            return wrong(f"return one number, got {type(answer).__name__}")
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
        return wrong(message or f"the AIC of a fresh {result.family.name} fit is "
                     f"{expected:.4f}, your function gives {answer:.4f}")
    return correct("AIC = −2ℓ + 2p; the smaller, the better the trade-off of fit and size.")
