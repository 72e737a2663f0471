"""Tweedie(power): compound Poisson–Gamma family (lesson 11).

Oracles: the density as the Poisson mixture of Gamma densities (scipy.stats), the
Wright-Bessel form of the same series (statsmodels' ``Tweedie(eql=False)``, which calls
``scipy.special.log_wright_bessel``), numerical integration and differentiation, a
simulation, and statsmodels' GLM with the Tweedie family for fits.
"""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import integrate, stats

import glmlesson as gl
from glmlesson.families import Tweedie, get_family

POWERS = (1.1, 1.5, 1.8)


def compound_poisson_gamma_logpdf(y, mu, scale, power):
    """log density of y = G₁ + … + G_N, N ~ Poisson(λ), G ~ Gamma(a, γ), by summing the
    mixture over N with scipy's Poisson pmf and Gamma pdf."""
    lam = mu ** (2 - power) / (scale * (2 - power))
    shape = (2 - power) / (power - 1)
    gamma_scale = scale * (power - 1) * mu ** (power - 1)
    counts = np.arange(1, 4000)
    if y == 0:
        return stats.poisson.logpmf(0, lam)
    terms = stats.poisson.logpmf(counts, lam) + stats.gamma.logpdf(y, counts * shape,
                                                                   scale=gamma_scale)
    return float(np.logaddexp.reduce(terms))


@pytest.mark.parametrize("power", POWERS)
@pytest.mark.parametrize("scale", [0.2, 1.0, 4.0])
def test_loglik_matches_the_compound_poisson_gamma_mixture(power, scale):
    y = np.array([0.0, 0.003, 0.3, 1.0, 2.5, 10.0, 40.0])
    mu = np.array([2.0, 0.5, 1.0, 3.0, 2.5, 4.0, 20.0])
    ours = Tweedie(power).loglik_obs(y, mu, scale)
    oracle = [compound_poisson_gamma_logpdf(a, m, scale, power) for a, m in zip(y, mu, strict=True)]
    np.testing.assert_allclose(ours, oracle, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("power", POWERS)
@pytest.mark.parametrize("scale", [0.05, 1.0, 10.0])
def test_loglik_matches_wright_bessel_form(power, scale):
    rng = np.random.default_rng(7)
    mu = rng.uniform(0.2, 30.0, size=40)
    y = Tweedie(power).sample(mu, rng, scale=scale)
    oracle = sm.families.Tweedie(var_power=power, eql=False).loglike_obs(y, mu, scale=scale)
    np.testing.assert_allclose(Tweedie(power).loglik_obs(y, mu, scale), oracle,
                               rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("power", [1.2, 1.5, 1.7])
@pytest.mark.parametrize(("mu", "scale"), [(2.0, 1.0), (0.4, 0.5), (5.0, 3.0)])
def test_point_mass_and_density_integrate_to_one(power, mu, scale):
    family = Tweedie(power)
    point_mass = np.exp(family.loglik_obs(0.0, mu, scale))
    assert point_mass == pytest.approx(np.exp(-mu ** (2 - power) / (scale * (2 - power))),
                                       rel=1e-14)
    density = lambda y: float(np.exp(family.loglik_obs(y, mu, scale)))  # noqa: E731
    total = point_mass
    for low, high in [(0.0, 1e-3), (1e-3, 1.0), (1.0, 10.0), (10.0, np.inf)]:
        total += integrate.quad(density, low, high, limit=200, epsabs=1e-13, epsrel=1e-12)[0]
    assert total == pytest.approx(1.0, abs=1e-8)


@pytest.mark.parametrize("power", POWERS)
def test_mean_variance_and_psi_from_the_log_partition(power):
    family = Tweedie(power)
    mu = np.array([0.3, 1.0, 7.0])
    theta = family.psi(mu)
    assert np.all(theta < 0)
    np.testing.assert_allclose(family.mean(theta), mu, rtol=1e-14)
    step = 1e-5 * np.abs(theta)
    first = (family.log_partition(theta + step) - family.log_partition(theta - step)) / (2 * step)
    np.testing.assert_allclose(first, mu, rtol=1e-8)
    second = (family.log_partition(theta + step) - 2 * family.log_partition(theta)
              + family.log_partition(theta - step)) / step**2
    np.testing.assert_allclose(second, family.variance(mu), rtol=1e-4)
    np.testing.assert_allclose(family.variance(mu), mu**power, rtol=1e-15)
    np.testing.assert_allclose(
        family.variance_prime(mu), (family.variance(mu + 1e-6) - family.variance(mu - 1e-6))
        / 2e-6, rtol=1e-7)


def test_log_density_is_the_loglik_at_unit_dispersion():
    family = Tweedie(1.4)
    y = np.array([0.0, 0.5, 3.0])
    mu = np.array([1.0, 2.0, 2.5])
    np.testing.assert_allclose(family.log_density(y, family.psi(mu)),
                               family.loglik_obs(y, mu, 1.0), rtol=1e-13)
    assert family.h(0.0) == 1.0
    assert family.log_h(np.array([2.0]))[0] == pytest.approx(
        compound_poisson_gamma_logpdf(2.0, 1.0, 1.0, 1.4)
        - (2.0 * family.psi(1.0) - family.log_partition(family.psi(1.0))), rel=1e-12)


@pytest.mark.parametrize("power", POWERS)
def test_unit_deviance_closed_form_and_stability(power):
    family = Tweedie(power)
    y = np.array([0.0, 0.5, 2.0, 30.0])
    mu = np.array([1.5, 2.0, 0.7, 25.0])
    textbook = 2 * (np.where(y > 0, y ** (2 - power), 0) / ((1 - power) * (2 - power))
                    - y * mu ** (1 - power) / (1 - power) + mu ** (2 - power) / (2 - power))
    np.testing.assert_allclose(family.unit_deviance(y, mu), textbook, rtol=1e-12)
    # near saturation d ≈ (y − μ)²/V(μ), where the textbook form has lost every digit
    close = family.unit_deviance(3.0, 3.0 * (1 + 1e-9))
    assert close == pytest.approx((3e-9) ** 2 / 3.0**power, rel=1e-6)
    assert family.unit_deviance(3.0, 3.0) == 0.0


@pytest.mark.parametrize("power", POWERS)
def test_deviance_matches_statsmodels(power):
    rng = np.random.default_rng(11)
    mu = rng.uniform(0.5, 5.0, size=60)
    y = Tweedie(power).sample(mu, rng, scale=2.0)
    assert np.any(y == 0)
    oracle = sm.families.Tweedie(var_power=power).deviance(y, mu)
    assert Tweedie(power).deviance(y, mu) == pytest.approx(oracle, rel=1e-12)


@pytest.mark.parametrize(("power", "mu", "scale"), [(1.3, 2.0, 1.0), (1.6, 0.5, 2.0),
                                                     (1.8, 5.0, 0.5)])
def test_sample_moments_and_point_mass(power, mu, scale):
    n = 400_000
    y = Tweedie(power).sample(np.full(n, mu), np.random.default_rng(5), scale=scale)
    variance = scale * mu**power
    assert abs(y.mean() - mu) < 5 * np.sqrt(variance / n)
    assert y.var() == pytest.approx(variance, rel=0.03)
    zero = np.exp(-mu ** (2 - power) / (scale * (2 - power)))
    assert abs(np.mean(y == 0) - zero) < 5 * np.sqrt(zero * (1 - zero) / n)
    assert np.all(y >= 0)


def test_validate_and_constructor_errors():
    with pytest.raises(ValueError, match="≥ 0"):
        Tweedie(1.5).validate([1.0, -0.5])
    with pytest.raises(ValueError, match="non-finite"):
        Tweedie(1.5).validate([1.0, np.nan])
    np.testing.assert_array_equal(Tweedie(1.5).validate([0, 2]), [0.0, 2.0])
    for bad in (1.0, 2.0, 0.5, "1.5", True, np.nan):
        with pytest.raises(ValueError, match="between 1 and 2"):
            Tweedie(bad)
    assert get_family("tweedie") == Tweedie(1.5)
    assert repr(Tweedie(1.25)) == "Tweedie(power=1.25)"


def _tweedie_data(power, n=500, seed=3):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.uniform(size=n)])
    mu = np.exp(X @ [0.5, 0.4, -0.6])
    y = Tweedie(power).sample(mu, rng, scale=1.5)
    return X, y


@pytest.mark.parametrize("power", POWERS)
def test_fit_matches_statsmodels_log_link(power):
    X, y = _tweedie_data(power)
    assert np.mean(y == 0) > 0.02  # exact zeros in the response
    weights = np.random.default_rng(1).uniform(0.5, 2.0, size=y.size)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = gl.fit(X, y, Tweedie(power), weights=weights)
    family = sm.families.Tweedie(var_power=power, link=sm.families.links.Log())
    oracle = sm.GLM(y, X, family=family, var_weights=weights).fit(tol=1e-13)
    assert ours.converged
    np.testing.assert_allclose(ours.coef, oracle.params, rtol=1e-9)
    np.testing.assert_allclose(ours.bse, oracle.bse, rtol=1e-9)
    assert ours.deviance == pytest.approx(oracle.deviance, rel=1e-11)
    assert ours.scale == pytest.approx(oracle.scale, rel=1e-9)  # Pearson χ²/df
    # loglik at φ = D/Σw (R's tweedie::AICtweedie), from statsmodels' series density
    phi = oracle.deviance / np.sum(weights)
    log_density = sm.families.Tweedie(var_power=power, eql=False).loglike_obs(
        y, oracle.fittedvalues, scale=phi)
    assert ours.loglik == pytest.approx(np.sum(weights * log_density), rel=1e-9)


def test_fit_with_the_canonical_link_matches_statsmodels_power_link():
    power = 1.6
    X, y = _tweedie_data(power, seed=8)
    ours = gl.fit(X, y, Tweedie(power), link=Tweedie(power).canonical_link)
    family = sm.families.Tweedie(var_power=power, link=sm.families.links.Power(1 - power))
    oracle = sm.GLM(y, X, family=family).fit(tol=1e-13)
    # statsmodels' power link is μ^(1−p); the canonical link divides it by 1 − p
    np.testing.assert_allclose(ours.coef * (1 - power), oracle.params, rtol=1e-8)
    assert ours.deviance == pytest.approx(oracle.deviance, rel=1e-11)


def test_fit_starts_with_all_but_one_response_zero_in_a_group():
    X, y = _tweedie_data(1.5, n=200, seed=4)
    y[:150] = 0.0
    result = gl.fit(X, y, "tweedie")
    oracle = sm.GLM(y, X, family=sm.families.Tweedie(var_power=1.5)).fit(tol=1e-13)
    np.testing.assert_allclose(result.coef, oracle.params, rtol=1e-8)


def test_loglik_with_millions_of_series_terms_matches_wright_bessel_form():
    # a small dispersion puts the series' peak at j ≈ 10⁴ for every observation, so the
    # terms of these 4000 observations are summed in several blocks of 2²² at a time
    rng = np.random.default_rng(12)
    mu = rng.uniform(20.0, 60.0, size=4000)
    y = Tweedie(1.5).sample(mu, rng, scale=0.002)
    oracle = sm.families.Tweedie(var_power=1.5, eql=False).loglike_obs(y, mu, scale=0.002)
    # log a(y, φ) and (yθ − A(θ))/φ are each ~10⁴ here and cancel to ~0.1: both sides
    # carry rounding of ~10⁻¹⁵ of the parts (measured difference ≤ 3e-11)
    np.testing.assert_allclose(Tweedie(1.5).loglik_obs(y, mu, 0.002), oracle, rtol=1e-10,
                               atol=1e-9)
