"""Link functions: inverses, derivatives by finite differences, and which family takes which.

The oracles are finite differences of the package's own g and g⁻¹ (so each
derivative is checked against the function it claims to differentiate),
closed forms, and the families' Ψ for canonical links.
"""

import numpy as np
import pytest

from glmlesson import (
    Bernoulli,
    Binomial,
    Gamma,
    Link,
    NegativeBinomial,
    Normal,
    Poisson,
    get_link,
)
from glmlesson.links import LINKS, link_names


def derivative(f, x, h):
    """f'(x) by the 5-point central stencil (truncation O(h⁴))."""
    return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)


# every named link, plus the negative-binomial canonical link for two alphas
ALL_LINKS = {name: link for name, link in LINKS.items()}
ALL_LINKS["nb_canonical_0.3"] = NegativeBinomial(0.3).canonical_link
ALL_LINKS["nb_canonical_2"] = NegativeBinomial(2.0).canonical_link


def mu_grid(link):
    """Means well inside the link's domain, including points near its finite edges."""
    low, high = link.mu_domain
    if np.isinf(low) and np.isinf(high):
        return np.linspace(-20.0, 20.0, 41)
    if np.isinf(high):
        return low + np.geomspace(1e-3, 200.0, 41)
    return low + (high - low) * np.array([1e-4, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999])


def fd_steps(link, mu):
    """Steps with μ ± 2h inside the domain and small relative to the distance to its edge."""
    low, high = link.mu_domain
    room = np.minimum(mu - low, high - mu)
    return 5e-3 * np.minimum(room, np.maximum(1.0, np.abs(mu)))


LINK_IDS = list(ALL_LINKS)


def test_links_cover_the_contract():
    assert set(link_names()) == {
        "identity", "log", "logit", "probit", "cloglog", "inverse", "sqrt"
    }
    for name, link in LINKS.items():
        assert link.name == name
        assert isinstance(link, Link)


@pytest.mark.parametrize("name", LINK_IDS)
def test_g_inv_inverts_g(name):
    link = ALL_LINKS[name]
    mu = mu_grid(link)
    np.testing.assert_allclose(link.g_inv(link.g(mu)), mu, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("name", LINK_IDS)
def test_g_inverts_g_inv(name):
    link = ALL_LINKS[name]
    eta = link.g(mu_grid(link))
    np.testing.assert_allclose(link.g(link.g_inv(eta)), eta, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", LINK_IDS)
def test_g_prime_is_derivative_of_g(name):
    link = ALL_LINKS[name]
    mu = mu_grid(link)
    slope = derivative(link.g, mu, fd_steps(link, mu))
    np.testing.assert_allclose(link.g_prime(mu), slope, rtol=1e-7)


@pytest.mark.parametrize("name", LINK_IDS)
def test_g_second_is_derivative_of_g_prime(name):
    link = ALL_LINKS[name]
    mu = mu_grid(link)
    slope = derivative(link.g_prime, mu, fd_steps(link, mu))
    np.testing.assert_allclose(link.g_second(mu), slope, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", LINK_IDS)
def test_mu_eta_is_reciprocal_of_g_prime(name):
    link = ALL_LINKS[name]
    eta = link.g(mu_grid(link))
    np.testing.assert_allclose(link.mu_eta(eta), 1.0 / link.g_prime(link.g_inv(eta)), rtol=1e-10)


@pytest.mark.parametrize("name", LINK_IDS)
def test_mu_eta_is_derivative_of_g_inv(name):
    link = ALL_LINKS[name]
    mu = mu_grid(link)
    eta = link.g(mu)
    # step in η: small against the η-distance to the domain edge (≈ room in μ · g'(μ))
    h = np.abs(fd_steps(link, mu) * link.g_prime(mu))
    np.testing.assert_allclose(link.mu_eta(eta), derivative(link.g_inv, eta, h), rtol=1e-7)


CLOSED_FORMS = {
    "identity": lambda mu: mu,
    "log": np.log,
    "logit": lambda mu: np.log(mu / (1.0 - mu)),
    "cloglog": lambda mu: np.log(-np.log(1.0 - mu)),
    "inverse": lambda mu: 1.0 / mu,
    "sqrt": np.sqrt,
    "nb_canonical_0.3": lambda mu: np.log(0.3 * mu / (1.0 + 0.3 * mu)),
    "nb_canonical_2": lambda mu: np.log(2.0 * mu / (1.0 + 2.0 * mu)),
}


@pytest.mark.parametrize("name", list(CLOSED_FORMS))
def test_g_matches_closed_form(name):
    link = ALL_LINKS[name]
    mu = mu_grid(link)
    if name == "cloglog":
        mu = mu[mu > 1e-3]  # log(1 − μ) loses digits for tiny μ; the package uses log1p
    np.testing.assert_allclose(link.g(mu), CLOSED_FORMS[name](mu), rtol=1e-9, atol=1e-12)


def test_probit_matches_scipy_normal_quantiles():
    from scipy import stats

    mu = mu_grid(LINKS["probit"])
    np.testing.assert_allclose(LINKS["probit"].g(mu), stats.norm.ppf(mu), rtol=1e-12)
    eta = np.linspace(-5.0, 5.0, 21)
    np.testing.assert_allclose(LINKS["probit"].g_inv(eta), stats.norm.cdf(eta), rtol=1e-12)
    np.testing.assert_allclose(LINKS["probit"].mu_eta(eta), stats.norm.pdf(eta), rtol=1e-12)


@pytest.mark.parametrize("name", LINK_IDS)
def test_g_is_increasing_or_decreasing(name):
    link = ALL_LINKS[name]
    eta = link.g(mu_grid(link))
    steps = np.diff(eta)
    assert np.all(steps > 0) or np.all(steps < 0)


# -- get_link --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LINKS))
def test_get_link_by_name_and_instance(name):
    assert get_link(name) is LINKS[name]
    assert get_link(name.upper()) is LINKS[name]
    assert get_link(LINKS[name]) is LINKS[name]


@pytest.mark.parametrize("bad", ["logg", "cauchit", "", 1, None])
def test_get_link_unknown_name_lists_names(bad):
    with pytest.raises(ValueError, match="unknown link") as info:
        get_link(bad)
    for name in LINKS:
        assert repr(name) in str(info.value)


def test_accepts_compares_intervals():
    assert LINKS["log"].accepts(0.0, np.inf)
    assert LINKS["log"].accepts(0.0, 1.0)
    assert not LINKS["log"].accepts(-np.inf, np.inf)
    assert not LINKS["logit"].accepts(0.0, np.inf)
    assert LINKS["identity"].accepts(-np.inf, np.inf)


# -- which family takes which link -------------------------------------------------------

FAMILIES = {
    "normal": Normal(),
    "bernoulli": Bernoulli(),
    "binomial": Binomial(6),
    "binomial_array": Binomial(np.array([2, 9])),
    "poisson": Poisson(),
    "gamma": Gamma(),
    "negbin": NegativeBinomial(0.7),
}

# The links each family offers: those R's family documents (gaussian: identity, log,
# inverse; binomial: logit, probit, cloglog, log, and identity, which R also accepts).
VALID_LINKS = {
    "normal": ["identity", "log", "inverse"],
    "bernoulli": ["identity", "log", "logit", "probit", "cloglog"],
    "binomial": ["identity", "log", "logit", "probit", "cloglog"],
    "binomial_array": ["identity", "log", "logit", "probit", "cloglog"],
    "poisson": ["identity", "log", "sqrt"],
    "gamma": ["identity", "log", "inverse"],
    "negbin": ["identity", "log", "sqrt"],
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_valid_links(family):
    assert FAMILIES[family].valid_links() == VALID_LINKS[family]


@pytest.mark.parametrize(
    ("family", "link"),
    [(family, link) for family, links in VALID_LINKS.items() for link in links],
)
def test_check_link_accepts_valid_links(family, link):
    checked = FAMILIES[family].check_link(link)
    assert checked is LINKS[link]


@pytest.mark.parametrize(
    ("family", "link"),
    [(family, link) for family in FAMILIES for link in LINKS if link not in VALID_LINKS[family]],
)
def test_check_link_rejects_incompatible_links_naming_valid_ones(family, link):
    with pytest.raises(ValueError, match=f"the {link} link") as info:
        FAMILIES[family].check_link(link)
    message = str(info.value)
    assert "use one of the links " + ", ".join(VALID_LINKS[family]) in message


def test_check_link_messages_for_the_classic_mistakes():
    with pytest.raises(ValueError, match=r"defined only for μ in \(0, 1\).*identity, log, sqrt"):
        Poisson().check_link("logit")
    assert Normal().check_link("log").name == "log"  # R's gaussian(link = "log")
    with pytest.raises(ValueError, match=r"defined only for μ in \(0, 1\).*identity, log, inv"):
        Normal().check_link("logit")
    with pytest.raises(ValueError, match="not offered for the Gamma family"):
        Gamma().check_link("sqrt")


@pytest.mark.parametrize("family", list(FAMILIES))
def test_check_link_accepts_the_canonical_link(family):
    fam = FAMILIES[family]
    canonical = fam.canonical_link
    checked = fam.check_link(canonical)
    assert checked.name == canonical.name
    mu = mu_grid(canonical)[1:-1]
    np.testing.assert_array_equal(checked.g(mu), canonical.g(mu))


def test_negative_binomial_default_link_is_log():
    assert NegativeBinomial(0.7).default_link is LINKS["log"]
    assert Poisson().default_link is LINKS["log"]
    assert Bernoulli().default_link is LINKS["logit"]


# -- canonical link g = Ψ ------------------------------------------------------------------

CANONICAL = {
    "normal": (Normal(), "identity", np.linspace(-10.0, 10.0, 21), 1.0),
    "bernoulli": (Bernoulli(), "logit", np.linspace(0.01, 0.99, 21), 1.0),
    "binomial": (Binomial(6), "logit", np.linspace(0.01, 0.99, 21), 1.0),
    "binomial_array": (Binomial(np.array([2, 9])), "logit", np.linspace(0.01, 0.99, 21), 1.0),
    "poisson": (Poisson(), "log", np.geomspace(1e-3, 1e3, 21), 1.0),
    "gamma": (Gamma(), "inverse", np.geomspace(1e-3, 1e3, 21), -1.0),  # g = 1/μ = −Ψ(μ)
    "negbin_0.3": (NegativeBinomial(0.3), "nb_canonical", np.geomspace(1e-3, 1e3, 21), 1.0),
    "negbin_2": (NegativeBinomial(2.0), "nb_canonical", np.geomspace(1e-3, 1e3, 21), 1.0),
}


@pytest.mark.parametrize("name", list(CANONICAL))
def test_canonical_link_is_psi(name):
    family, link_name, mu, sign = CANONICAL[name]
    link = family.canonical_link
    assert link.name == link_name
    np.testing.assert_allclose(link.g(mu), sign * family.psi(mu), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", list(CANONICAL))
def test_canonical_link_theta_matches_closed_form(name):
    """θ = Ψ(μ) from the notes: μ, logit μ, log μ, −1/μ, log(αμ/(1 + αμ))."""
    family, _, mu, _ = CANONICAL[name]
    closed = {
        "normal": lambda m: m,
        "bernoulli": lambda m: np.log(m / (1 - m)),
        "binomial": lambda m: np.log(m / (1 - m)),
        "binomial_array": lambda m: np.log(m / (1 - m)),
        "poisson": np.log,
        "gamma": lambda m: -1.0 / m,
        "negbin_0.3": lambda m: np.log(0.3 * m / (1 + 0.3 * m)),
        "negbin_2": lambda m: np.log(2.0 * m / (1 + 2.0 * m)),
    }[name]
    np.testing.assert_allclose(family.psi(mu), closed(mu), rtol=1e-12, atol=1e-14)
