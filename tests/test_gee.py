"""fit_gee against statsmodels' GEE (the oracle), plus bad inputs and warnings.

statsmodels is run to its fixed point (ctol=1e-12; its default 1e-6 stops on the
score norm a few digits short), with the same estimators: Exchangeable(), and
Autoregressive(grid=True) for "ar1". Both programs then solve the same equations to
rounding: measured differences are below 1e-11 in coefficients, robust and naive
SEs (relative), α and φ. The tests ask for 1e-8, far below any statistical
meaning, with room for a different order of floating-point sums.
"""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm

from glmlesson import Gamma, NegativeBinomial
from glmlesson.data import load
from glmlesson.gee import GEEResult, fit_gee, working_correlation

COV_STRUCTS = {
    "independence": sm.cov_struct.Independence,
    "exchangeable": sm.cov_struct.Exchangeable,
    "ar1": lambda: sm.cov_struct.Autoregressive(grid=True),
}


def clustered(family, seed=1, n_groups=40):
    """Unequal groups of 2-6 rows sharing a random intercept."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 7, n_groups)
    groups = np.repeat(np.arange(n_groups), sizes)
    n = groups.size
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.binomial(1, 0.5, n)])
    shared = rng.normal(scale=0.5, size=n_groups)[groups]
    if family == "poisson":
        y = rng.poisson(np.exp(X @ [0.3, 0.4, -0.2] + shared))
    elif family == "bernoulli":
        y = rng.binomial(1, 1 / (1 + np.exp(-(X @ [-0.2, 0.8, 0.5] + shared))))
    else:
        y = X @ [1.0, 2.0, -1.0] + shared + rng.normal(size=n)
    return X, y.astype(float), groups


def statsmodels_gee(X, y, groups, sm_family, correlation):
    model = sm.GEE(y, X, groups=groups, family=sm_family, cov_struct=COV_STRUCTS[correlation]())
    return model.fit(ctol=1e-12, maxiter=500)


def assert_matches(ours, theirs, correlation):
    np.testing.assert_allclose(ours.coef, theirs.params, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.bse, theirs.bse, rtol=1e-8)
    np.testing.assert_allclose(ours.bse_naive, theirs.standard_errors(cov_type="naive"),
                               rtol=1e-8)
    expected_alpha = 0.0 if correlation == "independence" else theirs.cov_struct.dep_params
    assert ours.correlation_param == pytest.approx(expected_alpha, abs=1e-8)
    assert ours.scale == pytest.approx(theirs.scale, rel=1e-8)


FAMILIES = {
    "poisson": sm.families.Poisson(),
    "bernoulli": sm.families.Binomial(),
    "gaussian": sm.families.Gaussian(),
}


@pytest.mark.parametrize("correlation", sorted(COV_STRUCTS))
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_matches_statsmodels_gee(family, correlation):
    X, y, groups = clustered(family)
    ours = fit_gee(X, y, family, groups, correlation=correlation)
    assert isinstance(ours, GEEResult) and ours.converged
    assert_matches(ours, statsmodels_gee(X, y, groups, FAMILIES[family], correlation),
                   correlation)


def test_non_canonical_link_matches_statsmodels():
    X, y, groups = clustered("bernoulli", seed=7)
    ours = fit_gee(X, y, "bernoulli", groups, link="probit", correlation="exchangeable")
    sm_family = sm.families.Binomial(link=sm.families.links.Probit())
    assert_matches(ours, statsmodels_gee(X, y, groups, sm_family, "exchangeable"),
                   "exchangeable")


@pytest.mark.parametrize("family", ["gamma", "negative_binomial"])
def test_gamma_and_negative_binomial_with_log_link_match_statsmodels(family):
    """φ estimated (Gamma) and fixed at 1 (negative binomial with known α), as statsmodels."""
    rng = np.random.default_rng(4)
    groups = np.repeat(np.arange(30), 5)
    X = np.column_stack([np.ones(groups.size), rng.normal(size=groups.size)])
    mu = np.exp(X @ [0.5, 0.3] + rng.normal(scale=0.3, size=30)[groups])
    if family == "gamma":
        y = rng.gamma(2.0, mu / 2.0)
        ours_family, sm_family = Gamma(), sm.families.Gamma(link=sm.families.links.Log())
    else:
        y = rng.negative_binomial(2, 2 / (2 + mu)).astype(float)
        ours_family, sm_family = NegativeBinomial(0.5), sm.families.NegativeBinomial(alpha=0.5)
    ours = fit_gee(X, y, ours_family, groups, link="log")
    assert_matches(ours, statsmodels_gee(X, y, groups, sm_family, "exchangeable"),
                   "exchangeable")


def test_epilepsy_counts_match_statsmodels():
    """The lesson's data: seizures per patient, Poisson with an exchangeable correlation."""
    d = load("epilepsy")
    X = np.column_stack([
        np.ones(d.n_rows),
        np.log(d["baseline_seizures"] / 4),
        (d["treatment"] == "progabide").astype(float),
        np.log(d["age_years"]),
        (d["period"] == 4).astype(float),
    ])
    y = d["seizures"].astype(float)
    ours = fit_gee(X, y, "poisson", d["patient"], correlation="exchangeable")
    theirs = statsmodels_gee(X, y, d["patient"], sm.families.Poisson(), "exchangeable")
    assert_matches(ours, theirs, "exchangeable")
    assert ours.n_groups == 59
    # clustering: the robust SE of the patient-level slope exceeds the naive one
    assert ours.bse[1] > ours.bse_naive[1]


def test_string_group_labels_and_unsorted_rows():
    X, y, groups = clustered("poisson", seed=3)
    order = np.random.default_rng(0).permutation(y.size)  # groups no longer contiguous
    labels = np.array([f"g{k:02d}" for k in groups])
    ours = fit_gee(X[order], y[order], "poisson", labels[order], correlation="exchangeable")
    theirs = statsmodels_gee(X, y, groups, sm.families.Poisson(), "exchangeable")
    assert_matches(ours, theirs, "exchangeable")


def test_ar1_uses_the_row_order_within_each_group():
    X, y, groups = clustered("gaussian", seed=5)
    rng = np.random.default_rng(2)
    shuffled = np.concatenate([rng.permutation(np.flatnonzero(groups == k))
                               for k in np.unique(groups)])
    as_given = fit_gee(X, y, "gaussian", groups, correlation="ar1")
    reordered = fit_gee(X[shuffled], y[shuffled], "gaussian", groups[shuffled],
                        correlation="ar1")
    assert as_given.correlation_param != pytest.approx(reordered.correlation_param, abs=1e-6)
    theirs = statsmodels_gee(X[shuffled], y[shuffled], groups[shuffled],
                             sm.families.Gaussian(), "ar1")
    assert_matches(reordered, theirs, "ar1")
    # the exchangeable estimate does not depend on the order
    a = fit_gee(X, y, "gaussian", groups).correlation_param
    b = fit_gee(X[shuffled], y[shuffled], "gaussian", groups[shuffled]).correlation_param
    assert a == pytest.approx(b, abs=1e-12)


def test_working_correlation_matrices():
    np.testing.assert_array_equal(working_correlation(3, 0.4, "independence"), np.eye(3))
    np.testing.assert_allclose(working_correlation(3, 0.4, "exchangeable"),
                               [[1, 0.4, 0.4], [0.4, 1, 0.4], [0.4, 0.4, 1]])
    np.testing.assert_allclose(working_correlation(3, 0.5, "ar1"),
                               [[1, 0.5, 0.25], [0.5, 1, 0.5], [0.25, 0.5, 1]])


def test_repr_is_readable():
    X, y, groups = clustered("poisson")
    text = repr(fit_gee(X, y, "poisson", groups))
    assert text.startswith("GEEResult(Poisson, link='log', correlation='exchangeable'")
    assert "0x" not in text


# ------------------------------------------------------------------ bad input

X_OK, Y_OK, G_OK = clustered("poisson", seed=11, n_groups=8)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"groups": G_OK[:-1]}, r"groups must give one label per row of X \(\d+ rows\)"),
        ({"groups": np.zeros(Y_OK.size)}, r"single group"),
        ({"groups": np.where(G_OK == 0, np.nan, G_OK)}, r"missing \(NaN\) labels"),
        ({"correlation": "unstructured"}, r"unknown correlation 'unstructured'"),
        ({"family": "binomial"}, r"fit_gee handles the families .*give one Bernoulli row"),
        ({"groups": np.arange(Y_OK.size)}, r"every group has a single row"),
        ({"y": -Y_OK - 1}, r"counts \(whole numbers ≥ 0\)"),  # from the family
        ({"link": "logit"}, r"logit"),
        ({"max_iter": 0}, r"max_iter must be a whole number"),
    ],
)
def test_bad_input_raises_value_error(kwargs, pattern):
    arguments = {"X": X_OK, "y": Y_OK, "family": "poisson", "groups": G_OK}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=pattern):
        fit_gee(**arguments)


def test_too_few_iterations_warn():
    with pytest.warns(UserWarning, match="did not settle within 1 iterations"):
        result = fit_gee(X_OK, Y_OK, "poisson", G_OK, max_iter=1)
    assert not result.converged


def test_no_runtime_warnings_on_a_clean_fit():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit_gee(X_OK, Y_OK, "poisson", G_OK, correlation="ar1")
