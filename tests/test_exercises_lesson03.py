"""Lesson 03 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import numpy as np
from exercise_helpers import assert_wrong, lesson_tests
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














def test_glm_loglik_crash():
    assert_wrong(check_glm_loglik.evaluate(lambda *args: args[9]), "IndexError")


# -- 03.3 μ from β, X and a link --------------------------------------------------------------


def mean_from_beta(beta, X, link):
    eta = X @ beta
    return {"identity": eta, "log": np.exp(eta), "logit": 1 / (1 + np.exp(-eta)),
            "sqrt": eta**2}[link]




def branching_mean_from_beta(beta, X, link):
    eta = X @ beta
    if link == "identity":
        return eta
    if link == "log":
        return np.exp(eta)
    if link == "logit":
        return special.expit(eta)
    return np.square(eta)


def test_mean_from_beta_right_answers_pass():
    assert check_mean_from_beta.evaluate(mean_from_beta).passed
    assert check_mean_from_beta.evaluate(branching_mean_from_beta).passed


def test_a_branch_left_unfinished_is_a_mistake():
    def three_branches(beta, X, link):
        if link != "sqrt":
            return branching_mean_from_beta(beta, X, link)

    assert_wrong(check_mean_from_beta.evaluate(three_branches), "returned None for the sqrt link")




def test_mean_from_beta_crash():
    assert_wrong(check_mean_from_beta.evaluate(lambda b, X, lk: {}[lk]), "KeyError")


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
CHECKS = [check_usable_links, check_glm_loglik, check_mean_from_beta]
REFERENCES = [
    (check_usable_links, usable_links), (check_glm_loglik, glm_loglik),
    (check_mean_from_beta, mean_from_beta),
]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))


def test_glm_loglik_written_per_observation_passes():
    def per_observation(beta, X, y, family, link):
        total = 0.0
        for row, value in zip(X, y, strict=True):
            theta = family.psi(link.g_inv(row @ beta))
            total += family.log_h(value) + family.T(value) * theta - family.log_partition(theta)
        return total

    assert check_glm_loglik.evaluate(per_observation).passed
