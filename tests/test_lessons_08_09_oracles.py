"""The numbers lessons 08 and 09 print, recomputed with statsmodels as the oracle:
quasi-Poisson standard errors (scale="X2"), negative-binomial fits at fixed α, the
profile-likelihood α̂, offsets, deviance tests, residuals, AIC and prior weights."""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize

from glmlesson import Bernoulli, Binomial, NegativeBinomial, Poisson, fit
from glmlesson.data import dummies, load


@pytest.fixture(scope="module")
def crabs():
    data = load("crabs")
    y = data["satellites"].astype(float)
    X = np.column_stack([np.ones(data.n_rows), data["width_cm"]])
    return X, y


@pytest.fixture(scope="module")
def ships():
    data = load("ships")
    X = np.column_stack([np.ones(data.n_rows)] + [dummies(data[c])[0] for c in
                                                  ("ship_type", "construction", "operation")])
    return X, data["incidents"].astype(float), np.log(data["months_service"].astype(float))


# -- lesson 08 ----------------------------------------------------------------------------


def test_pearson_dispersion_and_quasi_poisson_match_statsmodels_scale_x2(crabs):
    X, y = crabs
    ours = fit(X, y, Poisson())
    phi = np.sum((y - ours.mu) ** 2 / ours.mu) / ours.df_resid
    reference = sm.GLM(y, X, family=sm.families.Poisson()).fit(scale="X2")
    assert phi == pytest.approx(reference.scale, rel=1e-10)
    assert phi == pytest.approx(3.1822, abs=5e-5)
    assert np.allclose(ours.bse * np.sqrt(phi), reference.bse, rtol=1e-8)
    assert np.allclose(ours.coef, reference.params, atol=1e-9)


@pytest.mark.parametrize("alpha", [0.01, 0.25, 0.5, 1.0, 2.0, 4.0])
def test_negative_binomial_at_fixed_alpha_matches_statsmodels(crabs, alpha):
    X, y = crabs
    ours = fit(X, y, NegativeBinomial(alpha))
    reference = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=alpha)).fit(tol=1e-12)
    assert np.allclose(ours.coef, reference.params, atol=1e-7)
    assert np.allclose(ours.bse, reference.bse, rtol=1e-6)
    assert ours.loglik == pytest.approx(reference.llf, abs=1e-6)
    assert ours.deviance == pytest.approx(reference.deviance, abs=1e-6)
    pearson = np.sum(ours.resid_pearson ** 2)
    assert pearson == pytest.approx(reference.pearson_chi2, rel=1e-7)


def test_profile_maximiser_is_the_negative_binomial_mle(crabs):
    """Maximising the profile log-likelihood over α (lesson 08) gives statsmodels' joint MLE
    of (β, α) from discrete.NegativeBinomial (NB2)."""
    X, y = crabs

    def minus_profile(log_alpha):
        return -fit(X, y, NegativeBinomial(float(np.exp(log_alpha)))).loglik

    search = optimize.minimize_scalar(minus_profile, bounds=(np.log(0.05), np.log(5.0)),
                                      method="bounded", options={"xatol": 1e-9})
    alpha_hat = float(np.exp(search.x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        joint = sm.NegativeBinomial(y, X).fit(disp=0, method="bfgs", maxiter=2000, gtol=1e-10)
    assert alpha_hat == pytest.approx(joint.params[-1], rel=1e-4)
    assert -search.fun == pytest.approx(joint.llf, abs=1e-6)
    nb = fit(X, y, NegativeBinomial(alpha_hat))
    assert np.allclose(nb.coef, joint.params[:-1], atol=1e-4)
    assert alpha_hat == pytest.approx(1.1055, abs=5e-5)


# -- lesson 09 ----------------------------------------------------------------------------


def test_ships_offset_model_matches_statsmodels(ships):
    X, y, offset = ships
    ours = fit(X, y, Poisson(), offset=offset)
    reference = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit()
    assert np.allclose(ours.coef, reference.params, atol=1e-8)
    assert np.allclose(ours.bse, reference.bse, rtol=1e-7)
    assert ours.deviance == pytest.approx(reference.deviance, abs=1e-8)
    assert ours.null_deviance == pytest.approx(reference.null_deviance, abs=1e-8)
    assert ours.aic == pytest.approx(reference.aic, abs=1e-8)
    assert ours.loglik == pytest.approx(reference.llf, abs=1e-8)
    assert np.allclose(ours.resid_pearson, reference.resid_pearson, atol=1e-9)
    assert np.allclose(ours.resid_deviance, reference.resid_deviance, atol=1e-9)
    assert ours.deviance == pytest.approx(38.695, abs=5e-4) and ours.df_resid == 25


def test_likelihood_ratio_tests_of_the_nested_ship_models(ships):
    X, y, offset = ships
    columns = {"null": 1, "type": 5, "construction": 8, "operation": 9}
    deviances = {}
    for name, p in columns.items():
        reference = sm.GLM(y, X[:, :p], family=sm.families.Poisson(), offset=offset).fit()
        ours = fit(X[:, :p], y, Poisson(), offset=offset)
        assert ours.deviance == pytest.approx(reference.deviance, abs=1e-8)
        deviances[name] = ours.deviance
    assert deviances["null"] - deviances["type"] == pytest.approx(55.439, abs=1e-3)
    assert deviances["construction"] - deviances["operation"] == pytest.approx(10.660, abs=1e-3)


def test_free_exposure_coefficient(ships):
    X, y, offset = ships
    ours = fit(np.column_stack([X, offset]), y, Poisson())
    reference = sm.GLM(y, np.column_stack([X, offset]), family=sm.families.Poisson()).fit()
    assert ours.coef[-1] == pytest.approx(reference.params[-1], abs=1e-8)
    assert ours.coef[-1] == pytest.approx(0.903, abs=5e-4)


def test_challenger_proportions_with_weights_equal_binomial_counts():
    shuttle = load("challenger")
    trials = shuttle["o_rings"].astype(float)
    X = np.column_stack([np.ones(shuttle.n_rows), shuttle["temperature_f"]])
    counts = fit(X, shuttle["distressed"], Binomial(6))
    proportions = sm.GLM(shuttle["distressed"] / trials, X, family=sm.families.Binomial(),
                         var_weights=trials).fit(tol=1e-12)
    assert np.allclose(counts.coef, proportions.params, atol=1e-8)
    assert np.allclose(counts.bse, proportions.bse, rtol=1e-7)
    assert counts.deviance == pytest.approx(proportions.deviance, abs=1e-8)
    rows = fit(np.vstack([X, X]), np.r_[np.ones(23), np.zeros(23)], Bernoulli(),
               weights=np.r_[shuttle["distressed"], trials - shuttle["distressed"]])
    assert np.allclose(rows.coef, counts.coef, atol=1e-8)
