"""fit_ordinal against two independent oracles: R's MASS::polr (numbers committed in
tests/fixtures/r_models/polr.json by tests/reference/polr.R) and statsmodels'
OrderedModel, plus bad inputs.

Tolerances: polr ran with optim's reltol = 1e-14, so its maximum is exact to about
1e-8 in the coefficients; its vcov comes from optim's finite-difference Hessian
(relative error about 1e-7), ours from the exact Hessian. Measured: coefficients and
thresholds within 3e-8, SEs within 1.3e-7 relative, log-likelihood within 1e-11.
statsmodels' OrderedModel (BFGS to gtol 1e-10, numerical Hessian) agrees to the same
order.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from statsmodels.miscmodels.ordinal_model import OrderedModel

from glmlesson.data import load
from glmlesson.ordinal import OrdinalResult, fit_ordinal

FIXTURE = Path(__file__).parent / "fixtures" / "r_models" / "polr.json"
POLR = json.loads(FIXTURE.read_text(encoding="utf-8"))["models"]


@pytest.mark.parametrize("name", sorted(POLR))
def test_matches_mass_polr(name):
    model = POLR[name]
    result = fit_ordinal(
        np.array(model["X"]), np.array(model["y"]), link=model["link"],
        weights=np.array(model["weights"]),
    )
    assert isinstance(result, OrdinalResult)
    assert result.converged
    np.testing.assert_allclose(result.coef, model["coef"], rtol=0, atol=1e-7)
    np.testing.assert_allclose(result.thresholds, model["thresholds"], rtol=0, atol=1e-7)
    polr_bse = np.sqrt(np.diag(np.array(model["vcov"])))
    np.testing.assert_allclose(result.bse, polr_bse, rtol=5e-7)
    assert result.loglik == pytest.approx(model["loglik"], abs=1e-8)


def test_housing_matches_the_published_polr_fit():
    """?polr's example (Venables & Ripley, MASS 4th ed., section 7.3): InflMedium 0.5664,
    InflHigh 1.2888, TypeApartment -0.5724, TypeAtrium -0.3662, TypeTerrace -1.0910,
    ContHigh 0.3603; Low|Medium -0.4961, Medium|High 0.6907; residual deviance 3479.149."""
    model = POLR["housing_logistic"]
    result = fit_ordinal(np.array(model["X"]), np.array(model["y"]),
                         weights=np.array(model["weights"]))
    published = [0.5664, 1.2888, -0.5724, -0.3662, -1.0910, 0.3603]
    np.testing.assert_allclose(result.coef, published, atol=6e-5)
    np.testing.assert_allclose(result.thresholds, [-0.4961, 0.6907], atol=6e-5)
    assert -2 * result.loglik == pytest.approx(3479.149, abs=6e-4)


def test_fixture_data_is_the_course_csv():
    """polr.R read data/housing.csv: the fixture's y and weights are that file's."""
    housing = load("housing")
    codes = {"low": 0, "medium": 1, "high": 2}
    y = np.array([codes[s] for s in housing["satisfaction"]])
    model = POLR["housing_logistic"]
    assert np.array_equal(y, model["y"])
    assert np.array_equal(housing["households"], model["weights"])


def _statsmodels_fit(X, y, distr):
    model = OrderedModel(y, X, distr=distr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its numerical Hessian may warn; not our concern
        result = model.fit(method="bfgs", disp=False, maxiter=5000, gtol=1e-10)
    thresholds = model.transform_threshold_params(result.params)[1:-1]
    return result, thresholds


@pytest.mark.parametrize(("link", "distr"), [("logit", "logit"), ("probit", "probit")])
def test_matches_statsmodels_ordered_model(link, distr):
    rng = np.random.default_rng(14)
    n = 400
    X = np.column_stack([rng.normal(size=n), rng.uniform(size=n), rng.binomial(1, 0.4, n)])
    latent = X @ [1.0, -2.0, 0.5] + rng.logistic(size=n)
    y = np.digitize(latent, [-1.5, 0.0, 1.2])
    ours = fit_ordinal(X, y, link=link)
    theirs, thresholds = _statsmodels_fit(X, y, distr)
    p = X.shape[1]
    np.testing.assert_allclose(ours.coef, theirs.params[:p], atol=1e-6)
    np.testing.assert_allclose(ours.thresholds, thresholds, atol=1e-6)
    # statsmodels puts the thresholds on another scale (first cut, then log increments),
    # so only β's block of the covariance is comparable; it is invariant at the optimum.
    np.testing.assert_allclose(ours.bse[:p], theirs.bse[:p], rtol=1e-5)
    assert ours.loglik == pytest.approx(theirs.llf, abs=1e-8)


def test_frequency_weights_equal_repeated_rows():
    model = POLR["housing_probit"]
    X, y, w = np.array(model["X"]), np.array(model["y"]), np.array(model["weights"], int)
    weighted = fit_ordinal(X, y, link="probit", weights=w)
    expanded = fit_ordinal(np.repeat(X, w, axis=0), np.repeat(y, w), link="probit")
    np.testing.assert_allclose(weighted.coef, expanded.coef, atol=1e-9)
    np.testing.assert_allclose(weighted.bse, expanded.bse, rtol=1e-9)
    assert weighted.loglik == pytest.approx(expanded.loglik, abs=1e-8)


def test_predict_proba_rows_sum_to_one_and_follow_the_model():
    model = POLR["simulated_logistic"]
    X, y = np.array(model["X"]), np.array(model["y"])
    result = fit_ordinal(X, y)
    proba = result.predict_proba(X)
    assert proba.shape == (X.shape[0], 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.all(proba > 0)
    # the log-likelihood is the sum of the log probabilities of the observed categories
    assert np.sum(np.log(proba[np.arange(y.size), y])) == pytest.approx(result.loglik)
    assert "OrdinalResult(link='logit', K=4" in repr(result)


def test_extreme_linear_predictors_stay_finite():
    """Categories far in the upper tail: P = S(θ_{j−1} − η) − S(θⱼ − η) keeps its digits."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=300) * 6
    y = np.digitize(3.0 * x + rng.logistic(size=300), [-2.0, 2.0])
    result = fit_ordinal(x[:, None], y)
    assert result.converged and np.all(np.isfinite(result.bse))
    theirs, thresholds = _statsmodels_fit(x[:, None], y, "logit")
    assert result.coef[0] == pytest.approx(theirs.params[0], rel=1e-6)
    np.testing.assert_allclose(result.thresholds, thresholds, rtol=1e-6)
    assert result.loglik == pytest.approx(theirs.llf, abs=1e-8)


# ------------------------------------------------------------------ bad input

X_OK = np.column_stack([np.linspace(-1, 1, 9), np.tile([0.0, 1.0, 2.0], 3)])
Y_OK = np.array([0, 1, 2, 0, 1, 2, 1, 2, 0])


@pytest.mark.parametrize(
    ("X", "y", "kwargs", "pattern"),
    [
        (np.column_stack([np.ones(9), X_OK]), Y_OK, {}, r"column 0 of X is constant"),
        (X_OK, Y_OK + 0.5, {}, r"category codes 0, 1, …, K−1"),
        (X_OK, -Y_OK, {}, r"category codes"),
        (X_OK, np.where(Y_OK == 1, 2, Y_OK), {}, r"category 1 of 0…2 is never observed"),
        (X_OK, np.zeros(9), {}, r"single category"),
        (X_OK, Y_OK[:5], {}, r"one code per row"),
        (np.where(X_OK == 0.0, np.nan, X_OK), Y_OK, {}, r"X has non-finite"),
        (np.column_stack([X_OK, 2 * X_OK[:, 0]]), Y_OK, {}, r"rank-deficient"),
        (X_OK, Y_OK, {"link": "cauchit"}, r"supports the links 'logit', 'probit'"),
        (X_OK, Y_OK, {"weights": -np.ones(9)}, r"weights must be 9 finite numbers ≥ 0"),
        (X_OK, Y_OK, {"weights": np.ones(4)}, r"weights must be 9"),
    ],
)
def test_bad_input_raises_value_error(X, y, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        fit_ordinal(X, y, **kwargs)


def test_separated_data_warns_instead_of_failing_silently():
    x = np.arange(12.0)
    y = (x > 5.5).astype(int)  # x separates the two categories perfectly
    with pytest.warns(UserWarning, match="did not settle"):
        result = fit_ordinal(x[:, None], y, max_iter=15)
    assert not result.converged
