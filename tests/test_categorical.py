"""The Categorical(k) family: exponential-family identities checked against oracles
(scipy.stats.multinomial, finite differences, closed forms), never its own output."""

import numpy as np
import pytest
from scipy import stats

from glmlesson import Categorical, fit
from glmlesson.families import Family

K = 4
THETAS = [np.array([0.3, -1.2, 2.0]), np.array([-3.0, 0.0, 0.5]), np.zeros(3)]


def naive_softmax(theta_full):
    e = np.exp(theta_full)
    return e / e.sum()


@pytest.mark.parametrize("theta", THETAS)
def test_density_is_the_multinomial_with_one_trial(theta):
    family = Categorical(K)
    mu = naive_softmax(np.append(theta, 0.0))
    for label in range(K):
        expected = stats.multinomial.logpmf(np.eye(K)[label], 1, mu)
        assert family.log_density(label, theta) == pytest.approx(expected, abs=1e-12)
    assert np.exp([family.log_density(j, theta) for j in range(K)]).sum() == pytest.approx(1.0)


@pytest.mark.parametrize("theta", THETAS)
def test_log_partition_closed_form_and_gradient_is_the_mean(theta):
    family = Categorical(K)
    assert family.log_partition(theta) == pytest.approx(np.log1p(np.sum(np.exp(theta))))
    h = 1e-5
    gradient = [
        (family.log_partition(theta + h * e) - family.log_partition(theta - h * e)) / (2 * h)
        for e in np.eye(K - 1)
    ]
    assert np.allclose(gradient, family.mean(theta)[:-1], atol=1e-9)


@pytest.mark.parametrize("theta", THETAS)
def test_hessian_of_log_partition_is_the_covariance_of_T(theta):
    family = Categorical(K)
    h = 1e-4
    A = family.log_partition
    hessian = np.array([
        [
            (A(theta + h * a + h * b) - A(theta + h * a - h * b)
             - A(theta - h * a + h * b) + A(theta - h * a - h * b)) / (4 * h * h)
            for b in np.eye(K - 1)
        ]
        for a in np.eye(K - 1)
    ])
    mu = naive_softmax(np.append(theta, 0.0))
    covariance = family.variance(mu)
    assert np.allclose(hessian, covariance[:-1, :-1], atol=1e-6)
    # Cov T(y) by enumeration: E[T Tᵀ] − μμᵀ
    T = np.eye(K)
    expected = sum(mu[j] * np.outer(T[j], T[j]) for j in range(K)) - np.outer(mu, mu)
    assert np.allclose(covariance, expected, atol=1e-15)
    assert np.allclose(covariance.sum(axis=1), 0.0, atol=1e-15)  # singular: Σ μ_j = 1


def test_symmetric_and_reference_forms_agree_and_shift_changes_nothing():
    family = Categorical(3)
    theta = np.array([0.4, -0.7])
    full = np.append(theta, 0.0)
    assert np.allclose(family.mean(theta), family.mean(full + 5.0))
    assert family.log_density(1, full + 2.0) == pytest.approx(family.log_density(1, theta))
    with pytest.raises(ValueError, match="entries"):
        family.mean(np.zeros(5))


def test_psi_inverts_the_mean_and_is_a_log_ratio():
    family = Categorical(K)
    rng = np.random.default_rng(0)
    theta = rng.normal(size=(5, K - 1))
    mu = family.mean(theta)
    assert mu.shape == (5, K)
    assert np.allclose(mu.sum(axis=1), 1.0)
    assert np.allclose(family.psi(mu), theta)
    assert np.allclose(family.psi(mu), np.log(mu[:, :-1] / mu[:, -1:]))


def test_mean_is_stable_for_huge_theta():
    mu = Categorical(3).mean(np.array([1000.0, -1000.0]))
    assert np.allclose(mu, [1.0, 0.0, 0.0])


def test_T_is_one_hot_and_h_is_one():
    family = Categorical(3)
    assert np.array_equal(family.T([2, 0, 1]), np.eye(3)[[2, 0, 1]])
    assert np.array_equal(family.h(np.array([0, 1, 2])), np.ones(3))


def test_loglik_and_deviance():
    family = Categorical(3)
    y = np.array([0, 2, 1, 1])
    mu = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8], [0.2, 0.6, 0.2], [0.3, 0.3, 0.4]])
    pairs = zip(y, mu, strict=True)
    expected = sum(stats.multinomial.logpmf(np.eye(3)[label], 1, row) for label, row in pairs)
    assert family.loglik(y, mu) == pytest.approx(expected)
    assert family.deviance(y, mu) == pytest.approx(-2 * expected)
    assert family.loglik(y, mu, weights=[2, 1, 1, 1]) == pytest.approx(expected + np.log(0.5))
    with pytest.raises(ValueError, match="shape"):
        family.loglik(y, mu[:, :2])


def test_sample_frequencies_match_mu():
    family = Categorical(3)
    mu = np.tile([0.2, 0.5, 0.3], (20000, 1))
    draws = family.sample(mu, np.random.default_rng(1))
    assert set(np.unique(draws)) == {0.0, 1.0, 2.0}
    frequencies = np.bincount(draws.astype(int), minlength=3) / draws.size
    assert np.allclose(frequencies, [0.2, 0.5, 0.3], atol=0.015)


@pytest.mark.parametrize(
    "y, phrase",
    [
        ([0, 1, 3], "labels 0, …, 2"),
        ([0, 1.5], "labels 0, …, 2"),
        ([-1, 0], "labels 0, …, 2"),
        ([0, np.nan], "non-finite"),
        (np.array(["setosa", "virginica"]), "np.unique"),
    ],
)
def test_validate_rejects_bad_labels(y, phrase):
    with pytest.raises(ValueError, match=phrase):
        Categorical(3).validate(y)


@pytest.mark.parametrize("k", [1, 0, 2.5, True, "3"])
def test_k_must_be_a_whole_number_at_least_2(k):
    with pytest.raises(ValueError, match="number of classes"):
        Categorical(k)


def test_canonical_link_is_softmax():
    family = Categorical(3)
    link = family.canonical_link
    assert link.name == "softmax" and "softmax" in link.formula
    eta = np.array([[0.2, -0.4]])
    assert np.allclose(link.g(link.g_inv(eta)), eta)
    assert family.valid_links() == ["softmax"]
    assert family.check_link("softmax").name == "softmax"
    with pytest.raises(ValueError, match="softmax link only"):
        family.check_link("logit")
    # a vector link: its derivative is the Jacobian diag(μ) − μμᵀ (non-reference classes)
    mu = family.mean(eta)[0]
    step = 1e-6
    numeric = np.column_stack([
        (family.mean(eta + step * np.eye(2)[j]) - family.mean(eta - step * np.eye(2)[j]))[0, :2]
        / (2 * step) for j in range(2)])
    np.testing.assert_allclose(link.jacobian(mu), numeric, atol=1e-9)
    assert not hasattr(link, "mu_eta") and not hasattr(family, "variance_prime")


def test_identity_repr_and_family_base():
    assert isinstance(Categorical(3), Family)
    assert Categorical(3) == Categorical(3) and Categorical(3) != Categorical(4)
    assert repr(Categorical(3)) == "Categorical(3)"
    assert Categorical(3).description() == "Categorical(k=3)"


def test_fit_rejects_a_link_or_offset_for_categorical():
    X = np.column_stack([np.ones(6), np.arange(6.0)])
    y = np.array([0, 1, 2, 0, 2, 1])
    with pytest.raises(ValueError, match="softmax link only"):
        fit(X, y, Categorical(3), link="log")
    with pytest.raises(ValueError, match="offsets are not supported"):
        fit(X, y, Categorical(3), offset=np.zeros(6))
