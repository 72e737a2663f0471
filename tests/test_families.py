"""Exponential-family identities checked against independent oracles.

Every number here comes from outside the package: finite differences of
``log_partition``, closed forms, ``scipy.stats`` densities and
``scipy.integrate.quad``. Nothing is compared with the package's own output
except where an identity relates two of its functions (Ψ inverts the mean).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from scipy import integrate, special, stats

from glmlesson import (
    Bernoulli,
    Binomial,
    Family,
    Gamma,
    NegativeBinomial,
    Normal,
    Poisson,
    get_family,
)
from glmlesson.families import family_names

# -- finite differences (5-point stencils: truncation O(h⁴)) --------------------------


def derivative(f, x, h):
    """f'(x) by the 5-point central stencil."""
    return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)


def second_derivative(f, x, h):
    """f''(x) by the 5-point central stencil."""
    return (-f(x + 2 * h) + 16 * f(x + h) - 30 * f(x) + 16 * f(x - h) - f(x - 2 * h)) / (
        12 * h**2
    )


def expit(t):
    """Logistic function written out, independent of the package's special.expit."""
    return 1.0 / (1.0 + np.exp(-t))


# -- the families under test ---------------------------------------------------------

BINOMIAL_TRIALS = np.array([1, 4, 12])


@dataclass
class Case:
    make: Callable[[], Family]
    thetas: tuple  # inside the canonical-parameter domain
    mus: tuple  # inside the mean range
    theta_high: float = np.inf  # upper edge of the θ domain (open)


LOGIT_THETAS = (-4.0, -1.0, 0.0, 0.5, 3.0)
PROBABILITIES = (0.02, 0.3, 0.5, 0.8, 0.97)
COUNT_MUS = (0.05, 0.7, 1.0, 4.5, 30.0)

CASES = {
    "normal": Case(Normal, (-2.5, -0.3, 0.0, 1.7, 4.0), (-3.0, -0.5, 0.2, 2.5, 10.0)),
    "bernoulli": Case(Bernoulli, LOGIT_THETAS, PROBABILITIES),
    "binomial_int": Case(lambda: Binomial(7), LOGIT_THETAS, PROBABILITIES),
    "binomial_array": Case(lambda: Binomial(BINOMIAL_TRIALS), LOGIT_THETAS, PROBABILITIES),
    "poisson": Case(Poisson, (-2.0, -0.5, 0.0, 1.0, 3.0), COUNT_MUS),
    "gamma": Case(Gamma, (-5.0, -1.3, -0.5, -0.2), (0.1, 0.8, 2.0, 15.0), theta_high=0.0),
    "negbin_0.3": Case(lambda: NegativeBinomial(0.3), (-3.0, -1.0, -0.4, -0.1), COUNT_MUS, 0.0),
    "negbin_2": Case(lambda: NegativeBinomial(2.0), (-3.0, -1.0, -0.4, -0.1), COUNT_MUS, 0.0),
}

THETA_PARAMS = [
    pytest.param(name, theta, id=f"{name}-theta={theta:g}")
    for name, case in CASES.items()
    for theta in case.thetas
]
MU_PARAMS = [
    pytest.param(name, mu, id=f"{name}-mu={mu:g}")
    for name, case in CASES.items()
    for mu in case.mus
]


def trials_of(family):
    """Number of trials for a Binomial (A = n·log(1 + e^θ)), 1 for everything else."""
    return family.trials if isinstance(family, Binomial) else 1


def step_for(case, theta):
    """Finite-difference step keeping θ ± 2h well inside the θ domain."""
    room = case.theta_high - theta
    return 1e-3 * min(1.0, room)


# -- A'(θ) = μ, A''(θ) = V(μ), Ψ inverts the mean map --------------------------------


@pytest.mark.parametrize(("name", "theta"), THETA_PARAMS)
def test_mean_is_derivative_of_log_partition(name, theta):
    case = CASES[name]
    family = case.make()
    slope = derivative(family.log_partition, theta, step_for(case, theta))
    np.testing.assert_allclose(slope, trials_of(family) * family.mean(theta), rtol=1e-8)


@pytest.mark.parametrize(("name", "theta"), THETA_PARAMS)
def test_variance_is_second_derivative_of_log_partition(name, theta):
    case = CASES[name]
    family = case.make()
    curvature = second_derivative(family.log_partition, theta, step_for(case, theta))
    expected = trials_of(family) * family.variance(family.mean(theta))
    np.testing.assert_allclose(curvature, expected, rtol=1e-6)


@pytest.mark.parametrize(("name", "theta"), THETA_PARAMS)
def test_psi_inverts_mean_on_theta(name, theta):
    family = CASES[name].make()
    np.testing.assert_allclose(family.psi(family.mean(theta)), theta, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("name", "mu"), MU_PARAMS)
def test_mean_inverts_psi_on_mu(name, mu):
    family = CASES[name].make()
    np.testing.assert_allclose(family.mean(family.psi(mu)), mu, rtol=1e-12, atol=1e-14)


CLOSED_FORM_MEANS = {
    "normal": lambda theta: theta,
    "bernoulli": expit,
    "binomial_int": expit,  # the family's μ is the success probability, as in R
    "binomial_array": expit,
    "poisson": np.exp,
    "gamma": lambda theta: -1.0 / theta,
    "negbin_0.3": lambda theta: np.exp(theta) / (0.3 * (1.0 - np.exp(theta))),
    "negbin_2": lambda theta: np.exp(theta) / (2.0 * (1.0 - np.exp(theta))),
}


@pytest.mark.parametrize(("name", "theta"), THETA_PARAMS)
def test_mean_matches_closed_form(name, theta):
    family = CASES[name].make()
    np.testing.assert_allclose(family.mean(theta), CLOSED_FORM_MEANS[name](theta), rtol=1e-12)


@pytest.mark.parametrize(("name", "mu"), MU_PARAMS)
def test_variance_prime_is_derivative_of_variance(name, mu):
    family = CASES[name].make()
    h = 1e-3 * min(abs(mu), 1.0 - mu if name.startswith(("bern", "binom")) else 1.0)
    h = h if h > 0 else 1e-3
    slope = derivative(family.variance, mu, h)
    np.testing.assert_allclose(family.variance_prime(mu), slope, rtol=1e-7, atol=1e-9)


# -- the density h(y)·exp(T(y)θ)/Z(θ) against scipy.stats -------------------------------


def scipy_logpmf_at_theta(name, y, theta):
    """log p(y) at canonical parameter θ (φ = 1), parametrised from θ by closed forms."""
    if name == "normal":
        return stats.norm.logpdf(y, loc=theta, scale=1.0)
    if name == "bernoulli":
        return stats.bernoulli.logpmf(y, expit(theta))
    if name == "binomial_int":
        return stats.binom.logpmf(y, 7, expit(theta))
    if name == "binomial_array":
        return stats.binom.logpmf(y, BINOMIAL_TRIALS, expit(theta))
    if name == "poisson":
        return stats.poisson.logpmf(y, np.exp(theta))
    if name == "gamma":
        return stats.expon.logpdf(y, scale=-1.0 / theta)
    alpha = {"negbin_0.3": 0.3, "negbin_2": 2.0}[name]
    mu = np.exp(theta) / (alpha * (1.0 - np.exp(theta)))
    return stats.nbinom.logpmf(y, 1.0 / alpha, 1.0 / (1.0 + alpha * mu))


DISCRETE = [n for n in CASES if n not in ("normal", "gamma")]
CONTINUOUS = ["normal", "gamma"]


def support_grid(name):
    """Enough of the support that the omitted tail is below 1e-12 at every θ tested."""
    if name == "bernoulli":
        return np.array([0.0, 1.0])
    if name == "binomial_int":
        return np.arange(8.0)
    if name == "binomial_array":
        return np.arange(BINOMIAL_TRIALS.max() + 1.0)[:, None]  # a column per trials value
    return np.arange(3000.0)


@pytest.mark.parametrize(
    ("name", "theta"), [p for p in THETA_PARAMS if p.values[0] in DISCRETE]
)
def test_pmf_sums_to_one_and_matches_scipy(name, theta):
    family = CASES[name].make()
    y = support_grid(name)
    pmf = np.exp(family.log_density(y, theta))
    np.testing.assert_allclose(pmf.sum(axis=0), 1.0, rtol=1e-10)
    oracle = np.exp(scipy_logpmf_at_theta(name, y, theta))
    np.testing.assert_allclose(pmf, oracle, rtol=1e-9, atol=1e-300)


@pytest.mark.parametrize(
    ("name", "theta"), [p for p in THETA_PARAMS if p.values[0] in CONTINUOUS]
)
def test_pdf_integrates_to_one_and_matches_scipy(name, theta):
    family = CASES[name].make()
    low = -np.inf if name == "normal" else 0.0
    total, _ = integrate.quad(lambda y: float(np.exp(family.log_density(y, theta))), low, np.inf)
    assert total == pytest.approx(1.0, rel=1e-8)
    y = np.linspace(-6.0, 8.0, 57) if name == "normal" else np.geomspace(1e-3, 60.0, 57)
    np.testing.assert_allclose(
        family.log_density(y, theta), scipy_logpmf_at_theta(name, y, theta), rtol=1e-12,
        atol=1e-12,
    )


H_CLOSED_FORMS = {
    "normal": (np.array([-2.0, 0.0, 1.5]), lambda y: np.exp(-(y**2) / 2) / np.sqrt(2 * np.pi)),
    "bernoulli": (np.array([0.0, 1.0]), lambda y: np.ones_like(y)),
    "binomial_int": (np.arange(8.0), lambda y: special.comb(7, y)),
    "binomial_array": (np.array([1.0, 2.0, 5.0]), lambda y: special.comb(BINOMIAL_TRIALS, y)),
    "poisson": (np.arange(10.0), lambda y: 1.0 / special.factorial(y)),
    "gamma": (np.array([0.1, 1.0, 7.5]), lambda y: np.ones_like(y)),
    # h(y) = Γ(y + r)/(Γ(r)·y!) = C(y + r − 1, y), r = 1/α
    "negbin_0.3": (np.arange(10.0), lambda y: special.binom(y + 1 / 0.3 - 1, y)),
    "negbin_2": (np.arange(10.0), lambda y: special.binom(y + 0.5 - 1, y)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_h_and_T_match_closed_forms(name):
    family = CASES[name].make()
    y, h = H_CLOSED_FORMS[name]
    np.testing.assert_allclose(family.h(y), h(y), rtol=1e-12)
    np.testing.assert_array_equal(family.T(y), y)


# -- log-likelihood and deviance against scipy.stats -----------------------------------

PROB = np.array([0.2, 0.7, 0.4, 0.1, 0.95, 0.5])
COUNT_MU = np.array([0.5, 1.2, 2.8, 6.0, 3.3, 0.1])
COUNT_Y = np.array([0, 1, 3, 7, 2, 0])
TRIALS6 = np.array([1, 4, 12, 7, 9, 3])
WEIGHTS = np.array([1.0, 2.0, 0.5, 3.0, 1.5, 1.0])


def nb_params(mu, alpha):
    return 1.0 / alpha, 1.0 / (1.0 + alpha * mu)


# name -> (family, y, μ, scipy log p(y | μ, φ) as a function of (y, μ, φ))
LOGLIK_DATA = {
    "normal": (
        Normal(),
        np.array([-1.2, 0.3, 2.5, 4.0, -3.3, 0.0]),
        np.array([-1.0, 0.5, 2.0, 3.1, -2.0, 0.4]),
        lambda y, mu, phi: stats.norm.logpdf(y, mu, np.sqrt(phi)),
    ),
    "gamma": (
        Gamma(),
        np.array([0.3, 1.1, 2.5, 7.0, 0.05, 4.2]),
        np.array([0.5, 1.0, 3.0, 5.5, 0.2, 4.0]),
        lambda y, mu, phi: stats.gamma.logpdf(y, a=1.0 / phi, scale=mu * phi),
    ),
    "bernoulli": (
        Bernoulli(),
        np.array([0, 1, 1, 0, 1, 0]),
        PROB,
        lambda y, mu, phi: stats.bernoulli.logpmf(y, mu),
    ),
    "binomial_int": (
        Binomial(7),
        np.array([0, 3, 7, 2, 5, 1]),
        PROB,
        lambda y, mu, phi: stats.binom.logpmf(y, 7, mu),
    ),
    "binomial_array": (
        Binomial(TRIALS6),
        np.array([0, 2, 12, 3, 9, 1]),
        PROB,
        lambda y, mu, phi: stats.binom.logpmf(y, TRIALS6, mu),
    ),
    "poisson": (Poisson(), COUNT_Y, COUNT_MU, lambda y, mu, phi: stats.poisson.logpmf(y, mu)),
    "negbin_0.3": (
        NegativeBinomial(0.3),
        COUNT_Y,
        COUNT_MU,
        lambda y, mu, phi: stats.nbinom.logpmf(y, *nb_params(mu, 0.3)),
    ),
    "negbin_2": (
        NegativeBinomial(2.0),
        COUNT_Y,
        COUNT_MU,
        lambda y, mu, phi: stats.nbinom.logpmf(y, *nb_params(mu, 2.0)),
    ),
}


@pytest.mark.parametrize("name", list(LOGLIK_DATA))
def test_loglik_matches_scipy_without_weights(name):
    family, y, mu, logp = LOGLIK_DATA[name]
    assert family.loglik(y, mu) == pytest.approx(np.sum(logp(y, mu, 1.0)), rel=1e-12)


@pytest.mark.parametrize("name", [n for n in LOGLIK_DATA if n not in ("normal",)])
@pytest.mark.parametrize("scale", [1.0, 0.4, 2.5])
def test_loglik_matches_scipy_with_weights(name, scale):
    """Σ wᵢ log p(yᵢ | μᵢ, φ); φ enters only the Gamma (the others have no dispersion)."""
    family, y, mu, logp = LOGLIK_DATA[name]
    phi = scale if name == "gamma" else 1.0
    expected = np.sum(WEIGHTS * logp(y, mu, phi))
    assert family.loglik(y, mu, scale, WEIGHTS) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("scale", [1.0, 0.4, 2.7])
def test_normal_loglik_treats_weights_as_precisions(scale):
    """As R's glm: yᵢ ~ N(μᵢ, φ/wᵢ)."""
    family, y, mu, _ = LOGLIK_DATA["normal"]
    expected = np.sum(stats.norm.logpdf(y, mu, np.sqrt(scale / WEIGHTS)))
    assert family.loglik(y, mu, scale, WEIGHTS) == pytest.approx(expected, rel=1e-12)
    unweighted = np.sum(stats.norm.logpdf(y, mu, np.sqrt(scale)))
    assert family.loglik(y, mu, scale) == pytest.approx(unweighted, rel=1e-12)


def test_loglik_includes_log_h():
    """The log(y!) term is in: a Poisson log-likelihood is not Σ y log μ − μ."""
    family, y, mu, _ = LOGLIK_DATA["poisson"]
    kernel = np.sum(special.xlogy(y, mu) - mu)
    assert family.loglik(y, mu) == pytest.approx(kernel - np.sum(special.gammaln(y + 1.0)))
    assert family.loglik(y, mu) != pytest.approx(kernel)


# log p(y | μ = y): the saturated model, computed from scipy (φ = 1 for Normal and Gamma)
def saturated_mu(name, y):
    if name.startswith("binomial"):
        return y / (7 if name == "binomial_int" else TRIALS6)
    return y


@pytest.mark.parametrize("name", list(LOGLIK_DATA))
def test_deviance_matches_scipy(name):
    family, y, mu, logp = LOGLIK_DATA[name]
    y = np.asarray(y, dtype=float)
    expected = 2.0 * (logp(y, saturated_mu(name, y), 1.0) - logp(y, mu, 1.0))
    assert family.deviance(y, mu) == pytest.approx(np.sum(expected), rel=1e-10)
    assert family.deviance(y, mu, weights=WEIGHTS) == pytest.approx(
        np.sum(WEIGHTS * expected), rel=1e-10
    )


@pytest.mark.parametrize("name", list(LOGLIK_DATA))
def test_deviance_is_nonnegative(name):
    family, y, _, _ = LOGLIK_DATA[name]
    rng = np.random.default_rng(1)
    low, high = family.mean_range
    for _ in range(20):
        if np.isfinite(high):
            mu = rng.uniform(0.001, 0.999, size=len(y))
        elif np.isfinite(low):
            mu = rng.uniform(0.01, 20.0, size=len(y))
        else:
            mu = rng.normal(0.0, 5.0, size=len(y))
        assert family.deviance(y, mu) >= 0.0
        assert np.all(family.unit_deviance(y, mu) >= 0.0)


ZERO_DEVIANCE = {  # y for which μ = y (Binomial: μ = y/n) lies inside the mean range
    "normal": (Normal(), np.array([-3.0, 0.0, 2.5]), 1),
    "binomial_int": (Binomial(7), np.array([1.0, 3.0, 6.0]), 7),
    "binomial_array": (Binomial(np.array([4, 12, 7])), np.array([1.0, 11.0, 3.0]),
                       np.array([4, 12, 7])),
    "poisson": (Poisson(), np.array([0.5, 1.0, 17.0]), 1),
    "gamma": (Gamma(), np.array([0.01, 1.0, 40.0]), 1),
    "negbin_0.3": (NegativeBinomial(0.3), np.array([1.0, 4.0, 50.0]), 1),
    "negbin_2": (NegativeBinomial(2.0), np.array([1.0, 4.0, 50.0]), 1),
}


@pytest.mark.parametrize("name", list(ZERO_DEVIANCE))
def test_deviance_is_zero_at_saturation(name):
    family, y, trials = ZERO_DEVIANCE[name]
    assert family.deviance(y, y / trials) == pytest.approx(0.0, abs=1e-12)


# -- sampling ------------------------------------------------------------------------

N_DRAWS = 200_000

# (family, μ, φ) with expected mean and variance of y written out
SAMPLE_CASES = {
    "normal": (Normal(), -1.5, 2.5, -1.5, 2.5),
    "bernoulli": (Bernoulli(), 0.3, 1.0, 0.3, 0.21),
    "binomial_int": (Binomial(7), 0.35, 1.0, 7 * 0.35, 7 * 0.35 * 0.65),
    "poisson": (Poisson(), 4.2, 1.0, 4.2, 4.2),
    "gamma": (Gamma(), 3.0, 0.5, 3.0, 0.5 * 9.0),
    "negbin_0.3": (NegativeBinomial(0.3), 5.0, 1.0, 5.0, 5.0 + 0.3 * 25.0),
    "negbin_2": (NegativeBinomial(2.0), 1.5, 1.0, 1.5, 1.5 + 2.0 * 2.25),
}


@pytest.mark.parametrize("name", list(SAMPLE_CASES))
def test_sample_mean_and_variance(name):
    family, mu, scale, mean, var = SAMPLE_CASES[name]
    y = family.sample(np.full(N_DRAWS, mu), np.random.default_rng(20240501), scale=scale)
    assert y.shape == (N_DRAWS,)
    assert abs(y.mean() - mean) < 5.0 * np.sqrt(var / N_DRAWS)
    assert y.var() == pytest.approx(var, rel=0.05)
    family.validate(y)  # draws lie in the support


def test_sample_binomial_with_array_of_trials():
    trials = np.tile([2, 9], N_DRAWS // 2)
    family = Binomial(trials)
    y = family.sample(np.full(N_DRAWS, 0.4), np.random.default_rng(7))
    for n in (2, 9):
        group = y[trials == n]
        var = n * 0.4 * 0.6
        assert abs(group.mean() - n * 0.4) < 5.0 * np.sqrt(var / group.size)
        assert group.var() == pytest.approx(var, rel=0.05)
    family.validate(y)


@pytest.mark.parametrize("name", list(SAMPLE_CASES))
def test_sample_is_reproducible_with_a_seeded_generator(name):
    family, mu, scale, _, _ = SAMPLE_CASES[name]
    first = family.sample(np.full(50, mu), np.random.default_rng(3), scale=scale)
    second = family.sample(np.full(50, mu), np.random.default_rng(3), scale=scale)
    np.testing.assert_array_equal(first, second)


# -- validate and constructors -------------------------------------------------------

ALL_FAMILIES = [
    Normal(), Bernoulli(), Binomial(5), Binomial(np.array([3, 5])), Poisson(), Gamma(),
    NegativeBinomial(0.5),
]


@pytest.mark.parametrize("family", ALL_FAMILIES, ids=repr)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_validate_rejects_non_finite(family, bad):
    with pytest.raises(ValueError, match="non-finite"):
        family.validate(np.array([1.0, bad]))


@pytest.mark.parametrize(
    ("family", "y", "message"),
    [
        (Poisson(), [0, 2, -1], "counts"),
        (Poisson(), [0, 2.5, 1], "counts"),
        (NegativeBinomial(0.5), [3, -2], "counts"),
        (NegativeBinomial(2.0), [0.1, 4], "counts"),
        (Bernoulli(), [0, 1, 2], "0 or 1"),
        (Bernoulli(), [0, 0.5, 1], "0 or 1"),
        (Bernoulli(), [-1, 0], "0 or 1"),
        (Binomial(5), [0, 6], "exceed trials"),
        (Binomial(np.array([3, 5])), [4, 5], "exceed trials"),
        (Binomial(np.array([3, 5, 2])), [1, 2], "shape"),
        (Binomial(5), [1, -1], "whole number"),
        (Binomial(5), [1.5, 2], "whole number"),
        (Gamma(), [1.0, 0.0], "positive"),
        (Gamma(), [1.0, -2.0], "positive"),
        # a single observation, and a 2-D y, name the problem the same way
        (Poisson(), -1, "counts"),
        (Bernoulli(), 2, "0 or 1"),
        (Binomial(5), 7, "exceed trials"),
        (Binomial(5), [[1, 6], [2, 3]], "exceed trials"),
        (Gamma(), 0.0, "positive"),
    ],
    ids=lambda v: repr(v) if isinstance(v, Family) else None,
)
def test_validate_rejects_values_outside_support(family, y, message):
    with pytest.raises(ValueError, match=message):
        family.validate(y)


@pytest.mark.parametrize(
    ("family", "y"),
    [
        (Normal(), [-3.0, 0.0, 2.5]),
        (Bernoulli(), [0, 1, 1]),
        (Binomial(5), [0, 5, 3]),
        (Binomial(np.array([3, 5])), [3, 0]),
        (Poisson(), [0, 4, 100]),
        (Gamma(), [0.01, 3.0]),
        (NegativeBinomial(0.5), [0, 7]),
    ],
    ids=lambda v: repr(v) if isinstance(v, Family) else None,
)
def test_validate_accepts_the_support_and_returns_floats(family, y):
    out = family.validate(y)
    assert out.dtype == float
    np.testing.assert_array_equal(out, np.asarray(y, dtype=float))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda: Binomial(0), "trials must be whole numbers", id="Binomial(0)"),
        pytest.param(lambda: Binomial(2.5), "trials must be whole numbers", id="Binomial(2.5)"),
        pytest.param(lambda: Binomial(-3), "trials must be whole numbers", id="Binomial(-3)"),
        pytest.param(lambda: Binomial(np.nan), "trials must be whole", id="Binomial(nan)"),
        pytest.param(lambda: Binomial([3, 0]), "trials must be whole", id="Binomial([3,0])"),
        pytest.param(lambda: Binomial([]), "trials must be whole", id="Binomial([])"),
        pytest.param(lambda: NegativeBinomial(0), "alpha must be a positive", id="NB(0)"),
        pytest.param(lambda: NegativeBinomial(-1), "alpha must be a positive", id="NB(-1)"),
        pytest.param(lambda: NegativeBinomial(np.inf), "alpha must be a positive", id="NB(inf)"),
        pytest.param(lambda: NegativeBinomial(np.nan), "alpha must be a positive", id="NB(nan)"),
        pytest.param(lambda: NegativeBinomial([0.5, 1.0]), "alpha must be a positive",
                     id="NB([.5,1])"),
    ],
)
def test_constructors_reject_bad_parameters(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_binomial_holds_trials():
    assert Binomial(6).trials == 6
    np.testing.assert_array_equal(Binomial([2, 3]).trials, [2, 3])
    assert Binomial(6.0) == Binomial(6)


# -- names and equality --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("normal", Normal()),
        ("gaussian", Normal()),
        ("Gaussian", Normal()),
        ("bernoulli", Bernoulli()),
        ("binomial", Binomial(1)),
        ("poisson", Poisson()),
        ("POISSON", Poisson()),
        ("gamma", Gamma()),
        ("negative_binomial", NegativeBinomial(1.0)),
        ("negativebinomial", NegativeBinomial(1.0)),
    ],
)
def test_get_family_by_name(name, expected):
    assert get_family(name) == expected
    assert name.lower() in family_names()


@pytest.mark.parametrize("family", ALL_FAMILIES, ids=repr)
def test_get_family_passes_instances_through(family):
    assert get_family(family) is family


def test_get_family_accepts_a_class():
    assert get_family(Poisson) == Poisson()


@pytest.mark.parametrize("bad", ["poison", "logistic", "", 3, None])
def test_get_family_unknown_name_lists_names(bad):
    with pytest.raises(ValueError, match="unknown family") as info:
        get_family(bad)
    for name in ("'normal'", "'gaussian'", "'poisson'", "'binomial'", "'gamma'"):
        assert name in str(info.value)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (Normal(), Normal()),
        (Poisson(), Poisson()),
        (Binomial(3), Binomial(3)),
        (Binomial([3, 5]), Binomial(np.array([3, 5]))),
        (NegativeBinomial(0.5), NegativeBinomial(0.5)),
    ],
    ids=repr,
)
def test_families_equal_by_value(left, right):
    assert left is not right
    assert left == right
    assert hash(left) == hash(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (Normal(), Poisson()),
        (Bernoulli(), Binomial(1)),
        (Binomial(3), Binomial(4)),
        (Binomial([3, 5]), Binomial([3, 6])),
        (Binomial(3), Binomial([3])),
        (NegativeBinomial(0.5), NegativeBinomial(2.0)),
        (Poisson(), "poisson"),
    ],
    ids=repr,
)
def test_different_families_are_not_equal(left, right):
    assert left != right


def test_negative_binomials_with_close_alphas_are_not_equal():
    assert NegativeBinomial(1.0000001) != NegativeBinomial(1.0)


@pytest.mark.parametrize("family, sample", [
    (Bernoulli(), lambda rng, mu: rng.binomial(1, mu).astype(float)),
    (Poisson(), lambda rng, mu: rng.poisson(mu).astype(float)),
    (Binomial(7), lambda rng, mu: rng.binomial(7, mu).astype(float)),
])
def test_unit_deviance_matches_scipy_log_likelihood_ratio(family, sample):
    # d(y, μ) = 2{log p(y | μ = y) − log p(y | μ)}, with scipy.stats as the oracle,
    # zeros and full counts included.
    rng = np.random.default_rng(11)
    if family.name == "Poisson":
        mu = rng.uniform(0.05, 8.0, 500)
        y = sample(rng, mu)
        expected = 2.0 * (stats.poisson.logpmf(y, np.clip(y, 1e-300, None))
                          - stats.poisson.logpmf(y, mu))
    else:
        mu = rng.uniform(0.01, 0.99, 500)
        y = sample(rng, mu)
        n = family.trials
        expected = 2.0 * (stats.binom.logpmf(y, n, y / n) - stats.binom.logpmf(y, n, mu))
    assert np.any(y == 0)
    np.testing.assert_allclose(family.unit_deviance(y, mu), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("family, y", [
    (Poisson(), 0.0), (Bernoulli(), 1.0), (Bernoulli(), 0.0), (Binomial(5), 5.0),
    (Binomial(5), 0.0), (NegativeBinomial(0.5), 0.0),
])
def test_unit_deviance_is_zero_at_saturation_on_the_edge(family, y):
    # μ = y on the boundary of the range: 0·log 0 = 0, not NaN.
    mu = y / getattr(family, "trials", 1)
    assert family.unit_deviance(np.array([y]), np.array([mu]))[0] == 0.0


@pytest.mark.parametrize("count", [1e9, 1e12])
def test_poisson_deviance_and_loglik_exact_at_huge_counts(count):
    # Closed forms without cancellation: for μ = y(1 + r),
    # d = 2y(r − log(1 + r)) = 2y(r²/2 − r³/3 + r⁴/4 − …), and
    # log p(y | μ) − log p(y | y) = −d/2 (the definition of the deviance).
    y = np.array([count, count])
    r = np.array([1e-5, -3e-6])
    mu = y * (1 + r)
    series = 2 * y * (r**2 / 2 - r**3 / 3 + r**4 / 4 - r**5 / 5)
    np.testing.assert_allclose(Poisson().unit_deviance(y, mu), series, rtol=1e-9)
    gap = Poisson().loglik_obs(y, mu) - Poisson().loglik_obs(y, y)
    np.testing.assert_allclose(gap, -series / 2, rtol=1e-9)


def test_gamma_loglik_accurate_at_small_dispersion():
    # log p = a log(a y/μ) − a y/μ − log Γ(a) − log y with a = 1/φ; as φ → 0 Stirling's
    # series gives log Γ(a) exactly: the closed form below is the oracle.
    y, mu = np.array([2.0, 3.0]), np.array([2.0 * (1 + 1e-11), 3.0])
    for phi in (1e-8, 1e-14, 1e-20):
        a = 1.0 / phi
        r = (y - mu) / mu
        expected = (0.5 * np.log(a / (2 * np.pi)) - 1 / (12 * a) - a * (r**2 / 2 - r**3 / 3)
                    - np.log(y))
        np.testing.assert_allclose(Gamma().loglik_obs(y, mu, phi), expected, rtol=1e-12)


def test_negative_binomial_loglik_tends_to_poisson():
    rng = np.random.default_rng(2)
    mu = rng.uniform(0.5, 20, 200)
    y = rng.poisson(mu).astype(float)
    poisson = Poisson().loglik(y, mu)
    gaps = [NegativeBinomial(alpha).loglik(y, mu) - poisson for alpha in (1e-2, 1e-5, 1e-8,
                                                                          1e-11, 1e-14)]
    # first order in α: ℓ_NB − ℓ_P ≈ α/2 Σ[(y − μ)² − y] … shrinking with α, never above it
    assert all(abs(b) < abs(a) for a, b in zip(gaps, gaps[1:], strict=False))
    assert abs(gaps[-1]) < 1e-9
    expected = 1e-8 / 2 * np.sum((y - mu) ** 2 - y)
    np.testing.assert_allclose(gaps[2], expected, rtol=1e-4)
