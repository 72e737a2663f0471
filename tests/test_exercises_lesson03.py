"""Lesson 03 checks: the reference answers pass, typical wrong answers fail with the
message that names the mistake, and unfinished stubs are "not attempted"."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong, stub
from scipy import special, stats

from glmlesson.exercises import check_glm_loglik, check_mean_from_beta, check_usable_links
from glmlesson.exercises.hints import HINTS
from glmlesson.links import LINKS


def test_hints_registered():
    assert {"03.1", "03.2", "03.3"} <= set(HINTS)


# -- 03.1 usable links ------------------------------------------------------------------


def usable_links(low, high):
    return [name for name, link in LINKS.items()
            if link.mu_domain[0] <= low and high <= link.mu_domain[1]]


def test_usable_links_reference_passes():
    assert check_usable_links.evaluate(usable_links).passed
    assert check_usable_links.evaluate(lambda low, high: set(usable_links(low, high))).passed


def test_usable_links_oracle_for_the_classic_ranges():
    # independent of LINKS' own data: the domains written out by hand
    assert set(usable_links(0.0, 1.0)) == set(LINKS)
    assert set(usable_links(0.0, np.inf)) == {"identity", "log", "inverse", "sqrt"}
    assert set(usable_links(-np.inf, np.inf)) == {"identity"}


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda lo, hi: [n for n, lk in LINKS.items()
                         if lo <= lk.mu_domain[0] and lk.mu_domain[1] <= hi], "INSIDE"),
        (lambda lo, hi: [n for n in usable_links(lo, hi) if n != "identity"],
         "you left out identity"),
        (lambda lo, hi: ["logit"] if hi == 1 else ["log"], "you miss"),
        (lambda lo, hi: list(LINKS), "some means in the range fall outside that domain"),
        (lambda lo, hi: usable_links(lo, hi) + ["softmax"], "not names in glmlesson.links"),
        (lambda lo, hi: "log", "return a list"),
    ],
)
def test_usable_links_wrong_answers(answer, phrase):
    assert_wrong(check_usable_links.evaluate(answer), phrase)


def test_usable_links_stub():
    assert check_usable_links.evaluate(stub).status == "not attempted"
    assert check_usable_links.evaluate(None).status == "not attempted"


# -- 03.2 the log-likelihood from the three components -------------------------------------


def glm_loglik(beta, X, y, family, link):
    theta = family.psi(link.g_inv(X @ beta))
    return np.sum(family.log_h(y) + family.T(y) * theta - family.log_partition(theta))


def test_glm_loglik_reference_passes():
    assert check_glm_loglik.evaluate(glm_loglik).passed


def test_glm_loglik_reference_matches_scipy_on_logistic_and_poisson_sqrt():
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(30), rng.uniform(size=30)])
    from glmlesson import Bernoulli, Poisson
    from glmlesson.links import get_link

    beta = np.array([-0.5, 1.5])
    p = special.expit(X @ beta)
    y = rng.binomial(1, p).astype(float)
    oracle = stats.bernoulli(p).logpmf(y).sum()
    assert np.isclose(glm_loglik(beta, X, y, Bernoulli(), get_link("logit")), oracle)
    beta = np.array([1.0, 0.8])
    mu = (X @ beta) ** 2
    y = rng.poisson(mu).astype(float)
    oracle = stats.poisson(mu).logpmf(y).sum()
    assert np.isclose(glm_loglik(beta, X, y, Poisson(), get_link("sqrt")), oracle)


def _eta_as_theta(beta, X, y, family, link):
    eta = X @ beta
    return np.sum(family.log_h(y) + family.T(y) * eta - family.log_partition(eta))


def _mu_as_theta(beta, X, y, family, link):
    mu = link.g_inv(X @ beta)
    return np.sum(family.log_h(y) + family.T(y) * mu - family.log_partition(mu))


def _g_not_g_inv(beta, X, y, family, link):
    theta = family.psi(link.g(X @ beta))
    return np.sum(family.log_h(y) + family.T(y) * theta - family.log_partition(theta))


def _no_log_h(beta, X, y, family, link):
    theta = family.psi(link.g_inv(X @ beta))
    return np.sum(family.T(y) * theta - family.log_partition(theta))


def _plus_a(beta, X, y, family, link):
    theta = family.psi(link.g_inv(X @ beta))
    return np.sum(family.log_h(y) + family.T(y) * theta + family.log_partition(theta))


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (_eta_as_theta, "only for the canonical link"),
        (_mu_as_theta, "convert it with the bridge θ = Ψ(μ)"),
        (_g_not_g_inv, "you applied g to η"),
        (_no_log_h, "the log h(yᵢ) terms are missing"),
        (_plus_a, "A(θ) has the wrong sign"),
        (lambda *args: -glm_loglik(*args), "negative log-likelihood"),
        (lambda *args: glm_loglik(*args) / args[2].size, "you averaged"),
        (lambda b, X, y, f, lk: np.sum(y * (X @ b) - np.logaddexp(0, X @ b)),
         "logistic regression's formula"),
        (lambda *args: glm_loglik(*args) + 1.0, "the log-likelihood is"),
        (lambda *args: "high", "return one number"),
    ],
)
def test_glm_loglik_wrong_answers(answer, phrase):
    assert_wrong(check_glm_loglik.evaluate(answer), phrase)


def test_glm_loglik_stub_and_crash():
    assert check_glm_loglik.evaluate(stub).status == "not attempted"
    assert_wrong(check_glm_loglik.evaluate(lambda *args: args[9]), "IndexError")


# -- 03.3 μ from β, X and a link --------------------------------------------------------------


def mean_from_beta(beta, X, link):
    eta = X @ beta
    return {"identity": eta, "log": np.exp(eta), "logit": 1 / (1 + np.exp(-eta)),
            "sqrt": eta**2}[link]


def replaced(link_name, formula):
    def answer(beta, X, link):
        return formula(X @ beta) if link == link_name else mean_from_beta(beta, X, link)

    return answer


def test_mean_from_beta_reference_passes():
    assert check_mean_from_beta.evaluate(mean_from_beta).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda b, X, lk: X @ b, "you returned η = Xβ itself"),
        (replaced("log", np.log), "you applied g"),
        (replaced("sqrt", np.sqrt), "you applied g"),
        (replaced("logit", np.exp), "the odds"),
        (replaced("logit", lambda eta: 1 / (1 + np.exp(eta))), "that is 1 − μ"),
        (replaced("sqrt", lambda eta: np.sqrt(2 * eta)), "μ = η²"),
        (replaced("sqrt", special.expit), "the logistic function"),
        (replaced("log", lambda eta: np.exp(eta) + 1.0), "the means are"),
        (lambda b, X, lk: (X @ b)[:2], "one mean per row"),
    ],
)
def test_mean_from_beta_wrong_answers(answer, phrase):
    assert_wrong(check_mean_from_beta.evaluate(answer), phrase)


def test_mean_from_beta_stub_and_crash():
    assert check_mean_from_beta.evaluate(stub).status == "not attempted"
    assert_wrong(check_mean_from_beta.evaluate(lambda b, X, lk: {}[lk]), "KeyError")
