"""Lesson 11 checks: right answers (written in more than one way) pass, every catalogued
wrong answer fails with its own message, a forgotten return is named, unfinished stubs are
"not attempted", and the reference answers agree with independent oracles (statsmodels'
Gamma GLM for φ̂ and the deviance residuals, a simulation of the compound Poisson–Gamma
sum for P(y = 0), a plain grid search over φ for the profile likelihood)."""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from exercise_helpers import assert_wrong, lesson_tests, stub
from scipy import optimize, stats

from glmlesson import Tweedie, fit
from glmlesson.exercises import (
    check_best_power,
    check_deviance_residuals,
    check_gamma_dispersion,
    check_prob_zero,
)
from glmlesson.exercises.hints import HINTS
from glmlesson.exercises.lesson11 import _POWER_CASES, _POWERS, _power_case, _profile

# -- 11.1 Pearson dispersion ------------------------------------------------------------


def gamma_dispersion(y, mu, n_coef):
    return np.sum(((y - mu) / mu) ** 2) / (len(y) - n_coef)


def dispersion_by_loop(y, mu, n_coef):
    total = 0.0
    for yi, mi in zip(y, mu, strict=True):
        total += (yi / mi - 1.0) ** 2
    return total / (y.size - n_coef)


def test_dispersion_right_answers_pass():
    assert check_gamma_dispersion.evaluate(gamma_dispersion).passed
    assert check_gamma_dispersion.evaluate(dispersion_by_loop).passed


def test_dispersion_uses_n_coef():
    """A second fit with another number of coefficients: ignoring n_coef fails."""
    def fixed_three(y, mu, n_coef):
        return np.sum(((y - mu) / mu) ** 2) / (len(y) - 3)

    assert_wrong(check_gamma_dispersion.evaluate(fixed_three), "k = 7")


def test_dispersion_matches_statsmodels():
    """Oracle: statsmodels' Gamma GLM (log link) reports scale = Pearson χ²/df_resid."""
    rng = np.random.default_rng(3)
    X = np.column_stack([np.ones(40), rng.normal(size=40), rng.normal(size=40)])
    y = rng.gamma(3.0, np.exp(X @ [1.0, 0.3, -0.2]) / 3.0)
    oracle = sm.GLM(y, X, family=sm.families.Gamma(sm.families.links.Log())).fit()
    assert gamma_dispersion(y, oracle.mu, 3) == pytest.approx(oracle.scale, rel=1e-10)


# -- 11.2 deviance residuals ------------------------------------------------------------


def gamma_deviance_residuals(y, mu):
    return np.sign(y - mu) * np.sqrt(2 * ((y - mu) / mu - np.log(y / mu)))


def residuals_by_relative_gap(y, mu):
    r = y / mu - 1
    return np.where(r >= 0, 1.0, -1.0) * np.sqrt(2 * (r - np.log1p(r)))


def test_deviance_residuals_right_answers_pass():
    assert check_deviance_residuals.evaluate(gamma_deviance_residuals).passed
    assert check_deviance_residuals.evaluate(residuals_by_relative_gap).passed


def test_statsmodels_resid_dev_is_ruled_out_even_when_right():
    def by_statsmodels(y, mu):
        return sm.families.Gamma(sm.families.links.Log()).resid_dev(y, mu)

    assert_wrong(check_deviance_residuals.evaluate(by_statsmodels), "rules out")


def test_deviance_residuals_match_statsmodels():
    rng = np.random.default_rng(4)
    X = np.column_stack([np.ones(30), rng.normal(size=30)])
    y = rng.gamma(2.0, np.exp(X @ [0.5, 0.4]) / 2.0)
    oracle = sm.GLM(y, X, family=sm.families.Gamma(sm.families.links.Log())).fit()
    assert np.allclose(gamma_deviance_residuals(y, oracle.mu), oracle.resid_deviance,
                       rtol=1e-10)


# -- 11.3 P(y = 0) ------------------------------------------------------------------------


def prob_zero(mu, phi, power):
    return np.exp(-mu ** (2 - power) / (phi * (2 - power)))


def prob_zero_by_scipy(mu, phi, power):
    """P(N = 0) for N ~ Poisson(λ), from scipy."""
    return stats.poisson.pmf(0, mu ** (2 - power) / (phi * (2 - power)))


def test_prob_zero_right_answers_pass():
    assert check_prob_zero.evaluate(prob_zero).passed
    assert check_prob_zero.evaluate(prob_zero_by_scipy).passed


def test_prob_zero_matches_a_simulated_compound_sum():
    """Oracle: the share of zeros among 400 000 compound Poisson–Gamma sums drawn by hand
    with numpy (N ~ Poisson(λ), then N Gamma amounts)."""
    rng = np.random.default_rng(5)
    mu, phi, power = 2.5, 1.8, 1.35
    counts = rng.poisson(mu ** (2 - power) / (phi * (2 - power)), size=400_000)
    share = np.mean(counts == 0)
    assert prob_zero(np.array([mu]), phi, power)[0] == pytest.approx(share, abs=3e-3)


# -- 11.4 profile likelihood ----------------------------------------------------------------


def profile_loglik(X, y, p):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mu = fit(X, y, Tweedie(p)).mu
    best = optimize.minimize_scalar(lambda t: -Tweedie(p).loglik(y, mu, np.exp(t)),
                                    bounds=(-6, 6), method="bounded")
    return -best.fun


def best_power(X, y, powers):
    return powers[int(np.argmax([profile_loglik(X, y, p) for p in powers]))]


def best_power_at_d_over_n(X, y, powers):
    """The library's loglik (φ = D/n), a plug-in that picks the same p here."""
    return powers[int(np.argmax([fit(X, y, Tweedie(p)).loglik for p in powers]))]


def test_best_power_right_answers_pass():
    assert check_best_power.evaluate(best_power).passed
    assert check_best_power.evaluate(best_power_at_d_over_n).passed


def test_profile_matches_a_grid_search_over_phi():
    """Oracle: a brute-force search over a fine grid of φ (no optimiser) reaches the check's
    profile value, to the grid's resolution, and never exceeds it."""
    X, y, _ = _power_case(0)
    value, result = _profile(X, y, 1.5)
    grid = np.exp(np.linspace(np.log(0.5), np.log(20.0), 4001))
    family = Tweedie(1.5)
    by_grid = max(family.loglik(y, result.mu, phi) for phi in grid)
    assert by_grid <= value + 1e-9
    assert value - by_grid < 1e-4


def test_best_power_cases_pick_away_from_the_grid_centre():
    """Oracle: this file's own loop (scipy's optimiser per p) picks 1.5 and 1.74, neither
    the first, last nor middle entry of the shuffled grid, and the two differ."""
    picks = [best_power(*_power_case(i)[:2], _POWERS) for i in range(len(_POWER_CASES))]
    assert picks == [1.5, 1.74]
    trivial = {_POWERS[0], _POWERS[-1], _POWERS[len(_POWERS) // 2]}
    assert not trivial & set(picks)


def test_constant_answers_are_rejected():
    for answer in (1.5, 1.74, "1.5"):
        assert check_best_power.evaluate(lambda X, y, powers, a=answer: a).status == "wrong"


def test_best_power_crash_is_reported():
    assert_wrong(check_best_power.evaluate(lambda X, y, powers: 1 / 0), "ZeroDivisionError")


# -- every check ----------------------------------------------------------------------------

CHECKS = [check_gamma_dispersion, check_deviance_residuals, check_prob_zero, check_best_power]


def test_every_catalogued_mistake_misses_by_a_clear_margin(monkeypatch):
    """With every tolerance loosened to a relative 1e-3 each catalogued mistake is still
    judged wrong: none is caught only by a hair."""
    from glmlesson.exercises import _core, lesson11

    strict = _core.close

    def loose(actual, expected, rtol=1e-6, atol=1e-9, equal_nan=False):
        return strict(actual, expected, rtol=max(rtol, 1e-3), atol=max(atol, 1e-6),
                      equal_nan=equal_nan)

    monkeypatch.setattr(lesson11, "close", loose)
    slipped = [(check.__name__, mistake.what) for check in CHECKS for mistake in check.mistakes
               if check.evaluate(mistake.answer, *mistake.check_args).status != "wrong"]
    assert slipped == []


def test_stubs_and_hints():
    for check in CHECKS:
        assert check.evaluate(stub).status == "not attempted"
    assert {"11.1", "11.2", "11.3", "11.4"} <= set(HINTS)


def test_catalogues_are_not_empty():
    for check in CHECKS:
        assert len(check.mistakes) >= 5


REFERENCES = [(check_gamma_dispersion, gamma_dispersion),
              (check_deviance_residuals, gamma_deviance_residuals),
              (check_prob_zero, prob_zero),
              (check_best_power, best_power)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))
