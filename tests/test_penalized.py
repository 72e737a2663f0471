"""Penalised GLMs: fit(..., penalty=, l1_ratio=) and penalty_path (lesson 12).

Oracles: glum's GeneralizedLinearRegressor (the same objective,
½·Σsᵢ dᵢ/Σsᵢ + α·(ρ‖β‖₁ + (1 − ρ)/2·‖β‖²), intercept not penalised: alpha = penalty,
l1_ratio = l1_ratio), scikit-learn's ridge fits (mappings in the tests), R glmnet lasso
paths committed as JSON (tests/reference/glmnet_path.R), and the lasso's optimality
(KKT) conditions.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from glum import GeneralizedLinearRegressor, NegativeBinomialDistribution, TweedieDistribution
from sklearn.linear_model import LogisticRegression, PoissonRegressor

import glmlesson as gl
from glmlesson.families import Binomial, Categorical, Tweedie
from glmlesson.penalized import penalized_columns, soft_threshold

GLMNET = Path(__file__).parent / "fixtures" / "r_glmnet"


def _design(n=200, seed=2):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, 5)) * [1.0, 2.0, 0.5, 1.0, 1.0]
    return rng, Z, np.column_stack([np.ones(n), Z])


def _response(kind, rng, Z, X):
    eta = X @ [0.2, 0.4, -0.2, 0.0, 0.3, 0.0]
    n = Z.shape[0]
    if kind == "normal":
        return eta + rng.normal(size=n)
    if kind == "bernoulli":
        return rng.binomial(1, 1 / (1 + np.exp(-eta))).astype(float)
    if kind == "poisson":
        return rng.poisson(np.exp(eta)).astype(float)
    if kind == "gamma":
        return rng.gamma(2.0, np.exp(eta) / 2.0)
    if kind == "gamma_inverse":
        return rng.gamma(2.0, 1 / (3 + 0.3 * Z[:, 0])) / 2.0
    if kind == "normal_log":
        return 5.0 + eta + rng.normal(size=n)
    if kind == "negative_binomial":
        return rng.negative_binomial(1 / 0.7, 1 / (1 + 0.7 * np.exp(eta))).astype(float)
    return Tweedie(1.5).sample(np.exp(eta), rng)


def _glum(Z, y, penalty, l1_ratio, family, link, **kwargs):
    model = GeneralizedLinearRegressor(alpha=penalty, l1_ratio=l1_ratio, family=family,
                                       link=link, gradient_tol=1e-12, max_iter=1000)
    with warnings.catch_warnings():  # glum's line-search notice on one Gamma case; its
        warnings.simplefilter("ignore")  # answer is still checked against ours to 1e-9
        model.fit(Z, y, **kwargs)
    return np.r_[model.intercept_, model.coef_]


# (our family, link, glum family, glum link, penalty); non-canonical: Normal log, cloglog,
# Gamma log, Tweedie log, negative binomial log. glum's "tweedie(2)" link is 1/μ, our
# inverse link; its NegativeBinomialDistribution(theta) has Var y = μ + theta·μ².
CASES = {
    "normal_log": ("normal", "log", "normal", "log", 0.03),
    "negative_binomial": (gl.NegativeBinomial(0.7), "log", NegativeBinomialDistribution(0.7),
                          "log", 0.02),
    "normal": ("normal", "identity", "normal", "identity", 0.03),
    "bernoulli": ("bernoulli", "logit", "binomial", "logit", 0.03),
    "bernoulli_cloglog": ("bernoulli", "cloglog", "binomial", "cloglog", 0.03),
    "poisson": ("poisson", "log", "poisson", "log", 0.03),
    "gamma": ("gamma", "log", "gamma", "log", 0.03),
    "gamma_inverse": ("gamma", "inverse", "gamma", "tweedie(2)", 0.003),
    "tweedie": (Tweedie(1.5), "log", TweedieDistribution(1.5), "log", 0.03),
}


@pytest.mark.parametrize("l1_ratio", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("case", list(CASES))
def test_elastic_net_matches_glum(case, l1_ratio):
    family, link, glum_family, glum_link, penalty = CASES[case]
    rng, Z, X = _design()
    kind = {"bernoulli_cloglog": "bernoulli"}.get(case, case)
    y = _response(kind, rng, Z, X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = gl.fit(X, y, family, link=link, penalty=penalty, l1_ratio=l1_ratio)
    oracle = _glum(Z, y, penalty, l1_ratio, glum_family, glum_link)
    assert ours.converged
    # measured ≤ 5e-12; negative binomial 4e-10, glum's own accuracy there (its fit meets
    # the optimality conditions to 2e-10, ours to 2e-12)
    np.testing.assert_allclose(ours.coef, oracle, rtol=0, atol=2e-9)
    if l1_ratio > 0:  # the lasso's zeros are exact, and the same as glum's
        np.testing.assert_array_equal(ours.coef == 0, oracle == 0)


def test_weights_offset_and_binomial_trials_match_glum():
    rng, Z, X = _design(n=150, seed=5)
    exposure = rng.uniform(0.5, 3.0, size=150)
    weights = rng.uniform(0.2, 2.0, size=150)
    y = rng.poisson(exposure * np.exp(X @ [0.1, 0.3, -0.2, 0.0, 0.2, 0.0])).astype(float)
    ours = gl.fit(X, y, "poisson", offset=np.log(exposure), weights=weights, penalty=0.02,
                  l1_ratio=0.7)
    oracle = _glum(Z, y, 0.02, 0.7, "poisson", "log", offset=np.log(exposure),
                   sample_weight=weights)
    np.testing.assert_allclose(ours.coef, oracle, atol=1e-9)
    # Binomial(trials): Σw counts the trials, glum's sample weights on the proportions
    trials = rng.integers(1, 12, size=150)
    successes = rng.binomial(trials, 1 / (1 + np.exp(-X @ [0.1, 0.5, 0.0, -0.4, 0.0, 0.2])))
    ours = gl.fit(X, successes, Binomial(trials), penalty=0.01, l1_ratio=0.5)
    oracle = _glum(Z, successes / trials, 0.01, 0.5, "binomial", "logit", sample_weight=trials)
    np.testing.assert_allclose(ours.coef, oracle, atol=1e-9)


def test_more_columns_than_rows_with_a_penalty():
    rng = np.random.default_rng(9)
    Z = rng.normal(size=(30, 60))
    X = np.column_stack([np.ones(30), Z])
    y = rng.poisson(np.exp(0.5 + Z[:, 0] - Z[:, 1])).astype(float)
    with pytest.raises(ValueError, match="p > n"):
        gl.fit(X, y, "poisson")
    for l1_ratio in (0.0, 0.5, 1.0):
        ours = gl.fit(X, y, "poisson", penalty=0.1, l1_ratio=l1_ratio)
        oracle = _glum(Z, y, 0.1, l1_ratio, "poisson", "log")
        np.testing.assert_allclose(ours.coef, oracle, atol=1e-8)
    assert 0 < np.count_nonzero(ours.coef[1:]) < 30  # the lasso picks fewer than n columns


def test_ridge_logistic_matches_scikit_learn():
    # sklearn minimises C·Σ logloss + ½‖w‖²; ours is D/(2n) + λ/2·‖w‖² = Σ logloss/n + λ/2·‖w‖²,
    # which is sklearn's divided by n·λ·C when C = 1/(n·λ)
    rng, Z, X = _design(n=250, seed=3)
    y = _response("bernoulli", rng, Z, X)
    penalty = 0.05
    ours = gl.fit(X, y, "bernoulli", penalty=penalty, l1_ratio=0.0)
    model = LogisticRegression(C=1.0 / (y.size * penalty), solver="newton-cholesky",
                               tol=1e-12, max_iter=1000).fit(Z, y)
    np.testing.assert_allclose(ours.coef, np.r_[model.intercept_, model.coef_[0]], atol=1e-9)


def test_ridge_poisson_matches_scikit_learn():
    # sklearn's PoissonRegressor minimises D/(2n) + α/2·‖w‖²: α = λ
    rng, Z, X = _design(n=250, seed=4)
    y = _response("poisson", rng, Z, X)
    ours = gl.fit(X, y, "poisson", penalty=0.05, l1_ratio=0.0)
    model = PoissonRegressor(alpha=0.05, solver="newton-cholesky", tol=1e-12,
                             max_iter=1000).fit(Z, y)
    np.testing.assert_allclose(ours.coef, np.r_[model.intercept_, model.coef_], atol=1e-9)


def _glmnet_case(name):
    case = json.loads((GLMNET / f"{name}.json").read_text())
    Z, y = np.array(case["X"]), np.array(case["y"])
    return case, np.column_stack([np.ones(y.size), Z]), y


@pytest.mark.parametrize(("name", "family"), [("gaussian_lasso", "normal"),
                                              ("binomial_lasso", "bernoulli")])
def test_lasso_path_matches_glmnet(name, family):
    case, X, y = _glmnet_case(name)
    lambdas = np.array(case["lambda"])
    path = gl.penalty_path(X, y, family, l1_ratio=1.0, penalties=lambdas)
    # λ_max agrees with glmnet's lambda[1] up to the 10⁻¹² margin penalized.py adds
    assert path.largest_penalty == pytest.approx(lambdas[0], rel=1.5e-12)
    np.testing.assert_allclose(path.penalties, lambdas, rtol=0)
    np.testing.assert_allclose(path.coefs, np.array(case["coefs"]), atol=1e-10)  # ≤ 2.1e-12
    np.testing.assert_array_equal(path.coefs == 0, np.array(case["coefs"]) == 0)
    np.testing.assert_allclose(path.deviances, case["deviance"], rtol=1e-10)
    assert np.all(path.converged)


def test_default_path_starts_where_every_slope_is_zero():
    case, X, y = _glmnet_case("binomial_lasso")
    path = gl.penalty_path(X, y, "bernoulli", n_penalties=20)
    assert path.penalties[0] == path.largest_penalty
    assert np.all(np.diff(path.penalties) < 0)
    assert path.penalties[-1] == pytest.approx(1e-4 * path.largest_penalty)  # n > p
    assert np.all(path.coefs[0, 1:] == 0)
    assert path.coefs[0, 0] == pytest.approx(np.log(y.mean() / (1 - y.mean())), rel=1e-12)
    slightly_less = gl.fit(X, y, "bernoulli", penalty=0.999 * path.largest_penalty,
                           l1_ratio=1.0)
    assert np.count_nonzero(slightly_less.coef[1:]) == 1
    assert path.coefs.shape == (20, X.shape[1]) and path.deviances.shape == (20,)
    assert np.all(np.diff(path.deviances) <= 1e-9)  # less penalty, closer fit


def test_path_with_warm_starts_equals_separate_fits():
    rng, Z, X = _design(n=120, seed=6)
    y = _response("poisson", rng, Z, X)
    path = gl.penalty_path(X, y, "poisson", l1_ratio=0.5, n_penalties=8)
    for penalty, coef in zip(path.penalties, path.coefs, strict=True):
        alone = gl.fit(X, y, "poisson", penalty=penalty, l1_ratio=0.5)
        np.testing.assert_allclose(coef, alone.coef, atol=1e-9)
    # given penalties come back in decreasing order; a DataFrame's names are kept
    frame = pd.DataFrame(X, columns=["one", "a", "b", "c", "d", "e"])
    given = gl.penalty_path(frame, y, "poisson", l1_ratio=0.5, penalties=[0.01, 0.1, 0.001])
    np.testing.assert_array_equal(given.penalties, [0.1, 0.01, 0.001])
    assert given.names == ["one", "a", "b", "c", "d", "e"]
    assert "3 penalties from 0.1 to 0.001, l1_ratio=0.5" in repr(given)


def test_lasso_solution_satisfies_its_optimality_conditions():
    rng, Z, X = _design(n=300, seed=7)
    y = _response("bernoulli", rng, Z, X)
    penalty = 0.02
    fit = gl.fit(X, y, "bernoulli", penalty=penalty, l1_ratio=1.0)
    gradient = X.T @ (y - fit.mu) / y.size  # −∂(D/(2n))/∂β for the logit link
    active = fit.coef[1:] != 0
    assert abs(gradient[0]) < 1e-12
    np.testing.assert_allclose(gradient[1:][active], penalty * np.sign(fit.coef[1:][active]),
                               atol=1e-11)
    assert np.all(np.abs(gradient[1:][~active]) <= penalty + 1e-12)
    assert np.any(~active)


def test_ridge_is_finite_on_separated_data():
    x = np.array([-3.0, -2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0])
    X = np.column_stack([np.ones(8), x])
    y = (x > 0).astype(float)
    with pytest.warns(gl.PerfectSeparationWarning):
        gl.fit(X, y, "bernoulli")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ridge = gl.fit(X, y, "bernoulli", penalty=0.01, l1_ratio=0.0)
    assert ridge.converged and not ridge.perfect_separation
    assert np.all(np.isfinite(ridge.coef)) and 0 < ridge.coef[1] < 20
    model = LogisticRegression(C=1.0 / (8 * 0.01), solver="newton-cholesky", tol=1e-12,
                               max_iter=1000).fit(x[:, None], y)
    np.testing.assert_allclose(ridge.coef, [model.intercept_[0], model.coef_[0, 0]], atol=1e-8)


def test_penalised_result_reports_no_standard_errors():
    rng, Z, X = _design(n=100, seed=8)
    y = _response("poisson", rng, Z, X)
    fit = gl.fit(X, y, "poisson", penalty=0.05, l1_ratio=1.0)
    assert np.all(np.isnan(fit.bse)) and np.all(np.isnan(fit.cov))
    assert fit.penalty == 0.05 and fit.l1_ratio == 1.0
    assert fit.deviance == pytest.approx(gl.Poisson().deviance(y, fit.mu), rel=1e-14)
    text = fit.summary()
    assert "no standard errors" in text and "penalty 0.05" in text and "nan" not in text
    assert "penalty=0.05" in repr(fit)
    objective = fit.deviance / (2 * y.size) + 0.05 * np.sum(np.abs(fit.coef[1:]))
    assert fit.history[-1] == pytest.approx(objective, rel=1e-12)
    assert np.all(np.diff(fit.history) <= 1e-12)  # penalised IRLS never raises F


def test_zero_penalty_is_the_plain_fit():
    rng, Z, X = _design(n=100, seed=8)
    y = _response("poisson", rng, Z, X)
    plain, zero = gl.fit(X, y, "poisson"), gl.fit(X, y, "poisson", penalty=0.0, l1_ratio=0.5)
    np.testing.assert_array_equal(plain.coef, zero.coef)
    np.testing.assert_array_equal(plain.bse, zero.bse)


def test_helpers():
    np.testing.assert_array_equal(soft_threshold(np.array([-3.0, -0.5, 0.2, 2.0]), 1.0),
                                  [-2.0, 0.0, 0.0, 1.0])
    X = np.column_stack([np.ones(3), [1.0, 1.0, 1.0], [1.0, 2.0, 3.0], [2.0, 2.0, 2.0]])
    np.testing.assert_array_equal(penalized_columns(X), [0.0, 0.0, 1.0, 1.0])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"penalty": -0.1}, "penalty must be a finite number ≥ 0"),
    ({"penalty": np.inf}, "penalty must be a finite number ≥ 0"),
    ({"penalty": "big"}, "penalty must be a finite number ≥ 0"),
    ({"penalty": 0.1, "l1_ratio": 1.5}, r"l1_ratio must be a number in \[0, 1\]"),
    ({"penalty": 0.1, "l1_ratio": -0.1}, r"l1_ratio must be a number in \[0, 1\]"),
    ({"penalty": 0.0, "l1_ratio": 2.0}, r"l1_ratio must be a number in \[0, 1\]"),
    ({"penalty": 0.1, "method": "newton"}, "penalised IRLS"),
    ({"penalty": 0.1, "method": "gradient"}, "penalised IRLS"),
])
def test_bad_penalty_settings_raise(kwargs, message):
    rng, Z, X = _design(n=50, seed=1)
    y = _response("poisson", rng, Z, X)
    with pytest.raises(ValueError, match=message):
        gl.fit(X, y, "poisson", **kwargs)


def test_bad_path_settings_raise():
    rng, Z, X = _design(n=50, seed=1)
    y = _response("poisson", rng, Z, X)
    with pytest.raises(ValueError, match="l1_ratio"):
        gl.penalty_path(X, y, "poisson", l1_ratio=1.2)
    with pytest.raises(ValueError, match="n_penalties"):
        gl.penalty_path(X, y, "poisson", n_penalties=0)
    with pytest.raises(ValueError, match="penalty must be"):
        gl.penalty_path(X, y, "poisson", penalties=[0.1, -1.0])
    with pytest.raises(ValueError, match="scalar families"):
        gl.fit(X, np.zeros(50), Categorical(3), penalty=0.1)


def test_fits_that_stop_early_warn():
    rng, Z, X = _design(n=80, seed=3)
    y = _response("poisson", rng, Z, X)
    with pytest.warns(gl.ConvergenceWarning, match="did not converge in 2 iterations"):
        fit = gl.fit(X, y, "poisson", penalty=0.01, l1_ratio=1.0, max_iter=2)
    assert not fit.converged
    with pytest.warns(gl.ConvergenceWarning, match="penalised fits did not converge"):
        path = gl.penalty_path(X, y, "poisson", n_penalties=6, max_iter=2)
    assert not np.all(path.converged)
