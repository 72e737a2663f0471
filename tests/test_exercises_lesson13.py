"""Lesson 13 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, unfinished stubs are "not attempted", and the
reference answers agree with independent oracles (statsmodels' cluster-robust GLM
covariance, scipy's numerical integration)."""

import numpy as np
import pytest
import statsmodels.api as sm
from exercise_helpers import assert_wrong, lesson_tests, stub
from scipy import integrate, special

from glmlesson import Poisson, fit, fit_gee
from glmlesson.exercises import (
    check_cluster_robust_se,
    check_laplace_loglik,
    check_marginal_probability,
)
from glmlesson.exercises.hints import HINTS
from glmlesson.exercises.lesson13 import _clustered_counts

# -- 13.1 cluster-robust standard errors --------------------------------------------------


def cluster_robust_se(X, y, mu, groups):
    bread = X.T @ (mu[:, None] * X)
    scores = X * (y - mu)[:, None]
    sums = np.array([scores[groups == g].sum(axis=0) for g in np.unique(groups)])
    inverse = np.linalg.inv(bread)
    return np.sqrt(np.diag(inverse @ sums.T @ sums @ inverse))


def through_gee(X, y, mu, groups):
    """The same standard errors read from an independence GEE."""
    return fit_gee(X, y, Poisson(), groups, correlation="independence").bse


def test_cluster_robust_right_answers_pass():
    assert check_cluster_robust_se.evaluate(cluster_robust_se).passed
    assert check_cluster_robust_se.evaluate(through_gee).passed


def test_cluster_robust_matches_statsmodels():
    """Oracle: statsmodels GLM with cov_type="cluster" and no small-sample correction
    (statsmodels wants integer group codes; ours takes the string labels)."""
    X, y, groups = _clustered_counts(1301)
    mu = fit(X, y, Poisson()).mu
    codes = np.unique(groups, return_inverse=True)[1]
    oracle = sm.GLM(y, X, family=sm.families.Poisson()).fit(
        cov_type="cluster", cov_kwds={"groups": codes, "use_correction": False})
    assert np.allclose(cluster_robust_se(X, y, mu, groups), oracle.bse, rtol=1e-7)


def test_cluster_robust_case_has_unsorted_unequal_string_labelled_groups():
    """The check's data defeat answers that assume sorted, equal-size, integer-labelled
    groups (reshape, np.add.reduceat over runs, np.add.at with labels as indices)."""
    X, y, groups = _clustered_counts(1301)
    labels, first, sizes = np.unique(groups, return_index=True, return_counts=True)
    assert groups.dtype.kind == "U"
    assert len(set(sizes)) > 1
    assert np.sum(groups[1:] != groups[:-1]) + 1 > labels.size      # not sorted into runs
    assert len(y) % labels.size == 0      # a reshape runs, and gives wrong numbers


def test_cluster_robust_crash_is_reported():
    assert_wrong(check_cluster_robust_se.evaluate(lambda X, y, mu, groups: 1 / 0),
                 "ZeroDivisionError")


# -- 13.2 Laplace approximation of one group ------------------------------------------------


def laplace_loglik(y, eta, sigma):
    u = 0.0
    for _ in range(100):
        mu = np.exp(eta + sigma * u)
        H = 1 + sigma**2 * mu.sum()
        u += (sigma * np.sum(y - mu) - u) / H
    mu = np.exp(eta + sigma * u)
    g = np.sum(y * (eta + sigma * u) - mu - special.gammaln(y + 1)) - u**2 / 2
    return g - 0.5 * np.log(1 + sigma**2 * mu.sum())


def test_laplace_right_answer_passes():
    assert check_laplace_loglik.evaluate(laplace_loglik).passed


def test_laplace_is_close_to_the_exact_integral_for_a_large_group():
    """Oracle: scipy.integrate.quad of p(y | u) φ(u); Laplace's error shrinks with the counts."""
    rng = np.random.default_rng(5)
    eta = rng.uniform(2.0, 3.0, 8)
    y = rng.poisson(np.exp(eta + 0.3)).astype(float)
    sigma = 0.7

    def density(u):
        linear = eta + sigma * u
        log_p = np.sum(y * linear - np.exp(linear) - special.gammaln(y + 1))
        return np.exp(log_p - u**2 / 2) / np.sqrt(2 * np.pi)

    exact = np.log(integrate.quad(density, -3, 3, epsabs=0, epsrel=1e-12, points=[0.4])[0])
    assert laplace_loglik(y, eta, sigma) == pytest.approx(exact, abs=2e-3)
    assert laplace_loglik(y, eta, sigma) != pytest.approx(exact, abs=1e-7)


# -- 13.3 population-averaged probability --------------------------------------------------


def marginal_probability(eta, sigma):
    z, w = np.polynomial.hermite_e.hermegauss(60)
    return special.expit(np.asarray(eta)[:, None] + sigma * z) @ w / np.sqrt(2 * np.pi)


def by_quad(eta, sigma):
    def one(value):
        return integrate.quad(lambda z: special.expit(value + sigma * z)
                              * np.exp(-z**2 / 2) / np.sqrt(2 * np.pi), -np.inf, np.inf)[0]
    return np.array([one(v) for v in eta])


def test_marginal_right_answers_pass():
    assert check_marginal_probability.evaluate(marginal_probability).passed
    assert check_marginal_probability.evaluate(by_quad).passed


@pytest.mark.parametrize("nodes", [20, 25, 40])
def test_marginal_gauss_hermite_with_20_or_more_nodes_passes(nodes):
    def with_nodes(eta, sigma):
        z, w = np.polynomial.hermite_e.hermegauss(nodes)
        return special.expit(eta[:, None] + sigma * z) @ (w / np.sqrt(2 * np.pi))

    assert check_marginal_probability.evaluate(with_nodes).passed


def test_marginal_matches_a_monte_carlo_average():
    """Oracle: a large Monte Carlo average of expit(η + σZ)."""
    rng = np.random.default_rng(7)
    z = rng.normal(size=2_000_000)
    for value in (-2.0, 0.5, 3.0):
        mc = special.expit(value + 2.0 * z).mean()
        assert marginal_probability(np.array([value]), 2.0)[0] == pytest.approx(mc, abs=1e-3)


# -- every check ----------------------------------------------------------------------------


def test_stubs_and_hints():
    for check in (check_cluster_robust_se, check_laplace_loglik, check_marginal_probability):
        assert check.evaluate(stub).status == "not attempted"
    assert {"13.1", "13.2", "13.3"} <= set(HINTS)


def test_catalogues_are_not_empty():
    for check in (check_cluster_robust_se, check_laplace_loglik, check_marginal_probability):
        assert len(check.mistakes) >= 5


CHECKS = [check_cluster_robust_se, check_laplace_loglik, check_marginal_probability]
REFERENCES = [(check_cluster_robust_se, cluster_robust_se),
              (check_laplace_loglik, laplace_loglik),
              (check_marginal_probability, marginal_probability)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))
