"""fit_glmm against R's lme4::glmer (numbers committed in
tests/fixtures/r_models/lme4_glmer.json by tests/reference/lme4_glmer.R), statsmodels'
GLM at a boundary fit, and closed forms for the quadrature rule; plus bad inputs.

Tolerances. The fixture was made with tight lme4 tolerances (bobyqa rhoend = 1e-10,
PIRLS tolPwrss = 1e-12), so it holds lme4's maximum; lme4's vcov comes from a
finite-difference Hessian of its deviance (deriv12, step 1e-4), ours from central
differences with the same step. Measured maximum differences over the seven models
(Poisson, Bernoulli and Binomial(trials), each with nAGQ = 1 and a larger nAGQ, and a
Bernoulli probit Laplace fit): coefficients 7e-6 (Poisson Laplace; the others
≤ 6e-7), SEs 1.5e-4 relative, σ 1.6e-6, log-likelihood 1.1e-6, conditional modes
2.5e-6. The tests ask for 5e-5 (coefficients, σ, modes), 1e-3 relative (SEs) and 1e-5
(log-likelihood): well inside lme4's own default accuracy (about 1e-4 relative) and
far from any statistical difference.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm

from glmlesson import Bernoulli, Binomial, Poisson
from glmlesson.data import dummies, load
from glmlesson.glmm import GLMMResult, SingularFitWarning, fit_glmm, quadrature_rule

FIXTURE = Path(__file__).parent / "fixtures" / "r_models" / "lme4_glmer.json"
GLMER = json.loads(FIXTURE.read_text(encoding="utf-8"))["models"]


def fixture_model(name):
    model = GLMER[name]
    X = np.array(model["X"], dtype=float)
    y = np.array(model["y"], dtype=float)
    groups = np.array(model["groups"])
    trials = np.array(model["trials"], dtype=np.int64)
    family = {"poisson": Poisson(), "bernoulli": Bernoulli(),
              "binomial": Binomial(trials)}[model["family"]]
    return model, X, y, groups, family


def saturated_loglik(family, y, trials):
    """Σ log p(y | μ = y): what lme4 leaves out of logLik when nAGQ > 1."""
    return family.loglik(y, y / trials)


@pytest.mark.parametrize("name", sorted(GLMER))
def test_matches_lme4_glmer(name):
    model, X, y, groups, family = fixture_model(name)
    result = fit_glmm(X, y, family, groups, link=model.get("link"),
                      n_quadrature=model["n_quadrature"])
    assert isinstance(result, GLMMResult) and result.converged
    np.testing.assert_allclose(result.coef, model["coef"], rtol=0, atol=5e-5)
    np.testing.assert_allclose(result.bse, np.sqrt(np.diag(model["vcov"])), rtol=1e-3)
    assert result.sigma == pytest.approx(model["sigma"], abs=5e-5)
    expected_loglik = model["loglik"]
    if model["n_quadrature"] > 1:
        expected_loglik += saturated_loglik(family, y, np.array(model["trials"]))
    assert result.loglik == pytest.approx(expected_loglik, abs=1e-5)
    position = {label: k for k, label in enumerate(result.groups)}
    ours = result.random_effects[[position[label] for label in model["ranef_levels"]]]
    np.testing.assert_allclose(ours, model["ranef"], rtol=0, atol=5e-5)


def test_quadrature_beats_laplace_where_groups_are_small():
    """Adaptive quadrature changes the Bernoulli fit (groups of 8 rows: the Laplace
    approximation is rough), and both agree with lme4 on the direction of the change."""
    laplace, agq = GLMER["bernoulli_nagq1"], GLMER["bernoulli_nagq25"]
    assert agq["sigma"] - laplace["sigma"] > 0.02
    _, X, y, groups, family = fixture_model("bernoulli_nagq1")
    ours_laplace = fit_glmm(X, y, family, groups, n_quadrature=1)
    ours_agq = fit_glmm(X, y, family, groups, n_quadrature=25)
    assert ours_agq.sigma - ours_laplace.sigma == pytest.approx(
        agq["sigma"] - laplace["sigma"], abs=1e-5)


def test_fixture_data_are_the_course_csvs():
    """lme4_glmer.R fitted data/epilepsy.csv and data/cbpp.csv: same rows, same design."""
    epilepsy = load("epilepsy")
    model = GLMER["poisson_nagq1"]
    X = np.column_stack([
        np.ones(epilepsy.n_rows),
        np.log(epilepsy["baseline_seizures"] / 4),
        (epilepsy["treatment"] == "progabide").astype(float),
        np.log(epilepsy["age_years"]),
        (epilepsy["period"] == 4).astype(float),
    ])
    np.testing.assert_allclose(X, model["X"], rtol=1e-14)
    assert np.array_equal(epilepsy["seizures"], model["y"])
    assert np.array_equal(epilepsy["patient"].astype(str), model["groups"])
    cbpp = load("cbpp")
    model = GLMER["binomial_nagq1"]
    assert np.array_equal(cbpp["new_cases"], model["y"])
    assert np.array_equal(cbpp["herd_size"], model["trials"])
    period_dummies, _ = dummies(cbpp["period"])
    assert np.array_equal(np.column_stack([np.ones(cbpp.n_rows), period_dummies]), model["X"])


def test_boundary_fit_is_the_glm():
    """Poisson data with no group effect: σ̂ = 0, a SingularFitWarning, and then the
    model is the plain GLM (statsmodels' coefficients, SEs and log-likelihood)."""
    rng = np.random.default_rng(1)
    groups = np.repeat(np.arange(10), 6)
    x = rng.normal(size=60)
    X = np.column_stack([np.ones(60), x])
    y = rng.poisson(np.exp(0.5 + 0.3 * x)).astype(float)
    with pytest.warns(SingularFitWarning, match="boundary"):
        result = fit_glmm(X, y, "poisson", groups)
    glm = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    assert result.sigma == 0.0
    np.testing.assert_allclose(result.coef, glm.params, atol=1e-6)
    np.testing.assert_allclose(result.bse, glm.bse, rtol=1e-4)
    assert result.loglik == pytest.approx(glm.llf, abs=1e-6)
    np.testing.assert_array_equal(result.random_effects, 0.0)


@pytest.mark.parametrize("n_points", [1, 3, 10, 25])
def test_quadrature_rule_integrates_normal_moments(n_points):
    nodes, weights = quadrature_rule(n_points)
    assert weights.sum() == pytest.approx(1.0)
    # E Z^(2m) = (2m − 1)!!, exact for 2m < 2·n_points
    for m in range(min(n_points, 8)):
        double_factorial = np.prod(np.arange(2 * m - 1, 0, -2)) if m else 1.0
        assert np.sum(weights * nodes ** (2 * m)) == pytest.approx(double_factorial, rel=1e-10)


def test_repr_and_string_groups():
    _, X, y, groups, family = fixture_model("binomial_nagq1")
    result = fit_glmm(X, y, family, np.char.add("herd", groups))
    assert result.groups[0].startswith("herd")
    text = repr(result)
    assert text.startswith("GLMMResult(Binomial, link='logit', Laplace, coef=[")
    assert "0x" not in text


# ------------------------------------------------------------------ bad input

_, X_OK, Y_OK, G_OK, _ = fixture_model("bernoulli_nagq1")


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"family": "gaussian"}, r"fit_glmm handles the families Poisson, Bernoulli, Binomial"),
        ({"groups": G_OK[:10]}, r"groups must give one label per row"),
        ({"groups": np.ones(Y_OK.size)}, r"single group"),
        ({"n_quadrature": 0}, r"n_quadrature must be a whole number ≥ 1"),
        ({"n_quadrature": 2.5}, r"n_quadrature must be a whole number"),
        ({"max_iter": 0}, r"max_iter must be a whole number"),
        ({"y": Y_OK * 2}, r"Bernoulli y must be 0 or 1"),
        ({"link": "log", "family": "poisson", "y": Y_OK, "X": np.full_like(X_OK, np.nan)},
         r"non-finite|NaN"),
    ],
)
def test_bad_input_raises_value_error(kwargs, pattern):
    arguments = {"X": X_OK, "y": Y_OK, "family": "bernoulli", "groups": G_OK}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=pattern):
        fit_glmm(**arguments)


def test_stopping_early_warns():
    with pytest.warns(UserWarning, match="did not reach a stationary point"):
        result = fit_glmm(X_OK, Y_OK, "bernoulli", G_OK, max_iter=1)
    assert not result.converged


def test_no_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit_glmm(X_OK, Y_OK, "bernoulli", G_OK, n_quadrature=5)
