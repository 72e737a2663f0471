"""fit() against statsmodels' GLM (the oracle), the seed lesson, and R's conventions."""

import warnings
import zlib

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.tools.sm_exceptions import DomainWarning

from glmlesson import (
    Bernoulli,
    Binomial,
    Gamma,
    NegativeBinomial,
    Normal,
    PerfectSeparationWarning,
    Poisson,
    fit,
)
from glmlesson.links import get_link

pytestmark = pytest.mark.filterwarnings("ignore", category=DomainWarning)

SM_LINKS = {
    "identity": sm.families.links.Identity,
    "log": sm.families.links.Log,
    "logit": sm.families.links.Logit,
    "probit": sm.families.links.Probit,
    "cloglog": sm.families.links.CLogLog,
    "inverse": sm.families.links.InversePower,
    "sqrt": sm.families.links.Sqrt,
}

# (family factory, statsmodels family factory, centre of μ, half-width of μ)
FAMILIES = {
    "normal": (Normal, lambda link: sm.families.Gaussian(link), 2.0, 3.0),
    "bernoulli": (Bernoulli, lambda link: sm.families.Binomial(link), 0.45, 0.3),
    "binomial": (None, lambda link: sm.families.Binomial(link), 0.45, 0.3),
    "poisson": (Poisson, lambda link: sm.families.Poisson(link), 6.0, 4.0),
    "gamma": (Gamma, lambda link: sm.families.Gamma(link), 3.0, 2.0),
    "negbin": (lambda: NegativeBinomial(0.7),
               lambda link: sm.families.NegativeBinomial(link, alpha=0.7), 6.0, 4.0),
}


def _cases():
    for name, (factory, _, _, _) in FAMILIES.items():
        family = Binomial(5) if factory is None else factory()
        for link in family.valid_links():
            yield name, link


def _design(rng, n=300):
    return np.column_stack([np.ones(n), rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)])


def _simulate(name, link_name, rng, n=300, with_extras=False):
    """Data whose true μ stays well inside the family's range under this link."""
    _, _, centre, half_width = FAMILIES[name]
    link = get_link(link_name)
    X = _design(rng, n)
    slope = 0.4 * half_width * link.g_prime(np.array(centre))
    beta = np.array([link.g(np.array(centre)), slope, -0.5 * slope])
    mu = link.g_inv(X @ beta)
    trials = rng.integers(1, 9, n)
    family = Binomial(trials) if name == "binomial" else (
        FAMILIES[name][0]() if name != "negbin" else NegativeBinomial(0.7))
    if name == "normal":
        y = rng.normal(mu, 1.5)
    elif name == "gamma":
        y = rng.gamma(4.0, mu / 4.0)
    else:
        y = family.sample(mu, rng)
    weights = rng.uniform(0.5, 2.0, n) if with_extras else None
    offset = rng.uniform(-0.05, 0.05, n) * abs(slope) if with_extras else None
    return X, y, family, weights, offset, trials, beta


def _statsmodels_fit(name, link_name, X, y, weights, offset, trials, start):
    sm_family = FAMILIES[name][1](SM_LINKS[link_name]())
    endog = np.column_stack([y, trials - y]) if name == "binomial" else y
    model = sm.GLM(endog, X, family=sm_family, var_weights=weights, offset=offset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(start_params=start, tol=1e-13, maxiter=500)


def _oracle_loglik(name, y, mu, weights, deviance, trials, alpha=0.7):
    """R's logLik from scipy.stats (an oracle independent of glmlesson.families)."""
    w = np.ones_like(y) if weights is None else weights
    if name == "normal":
        sigma2 = deviance / y.size
        return np.sum(stats.norm.logpdf(y, mu, np.sqrt(sigma2 / w)))
    if name == "gamma":
        dispersion = deviance / np.sum(w)
        return np.sum(w * stats.gamma.logpdf(y, 1 / dispersion, scale=mu * dispersion))
    if name == "bernoulli":
        return np.sum(w * stats.bernoulli.logpmf(y, mu))
    if name == "binomial":
        return np.sum(w * stats.binom.logpmf(y, trials, mu))
    if name == "poisson":
        return np.sum(w * stats.poisson.logpmf(y, mu))
    return np.sum(w * stats.nbinom.logpmf(y, 1 / alpha, 1 / (1 + alpha * mu)))


@pytest.mark.parametrize("method", ["irls", "newton"])
@pytest.mark.parametrize("with_extras", [False, True], ids=["plain", "weights+offset"])
@pytest.mark.parametrize("name,link_name", list(_cases()))
def test_fit_matches_statsmodels(name, link_name, method, with_extras):
    rng = np.random.default_rng(zlib.crc32(f"{name}-{link_name}-{with_extras}".encode()))
    X, y, family, weights, offset, trials, truth = _simulate(
        name, link_name, rng, with_extras=with_extras)
    # statsmodels starts from the true β (its default start fails for some links)
    expected = _statsmodels_fit(name, link_name, X, y, weights, offset, trials, truth)
    if not expected.converged:
        pytest.skip("statsmodels did not converge on this draw")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = fit(X, y, family, link=link_name, method=method, weights=weights, offset=offset)
    assert result.converged
    np.testing.assert_allclose(result.coef, expected.params, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(result.bse, expected.bse, rtol=1e-6)
    np.testing.assert_allclose(result.deviance, expected.deviance, rtol=1e-8)
    np.testing.assert_allclose(result.scale, expected.scale, rtol=1e-7)
    np.testing.assert_allclose(result.mu, expected.mu, rtol=1e-7, atol=1e-10)
    oracle = _oracle_loglik(name, y, expected.mu, weights, expected.deviance, trials)
    np.testing.assert_allclose(result.loglik, oracle, rtol=1e-8)


def test_normal_loglik_and_aic_match_statsmodels():
    rng = np.random.default_rng(1)
    X, y, family, *_ = _simulate("normal", "identity", rng)
    expected = sm.GLM(y, X, family=sm.families.Gaussian()).fit()
    result = fit(X, y, family)
    np.testing.assert_allclose(result.loglik, expected.llf, rtol=1e-10)
    # R's AIC counts the estimated variance as a parameter; statsmodels' does not
    np.testing.assert_allclose(result.aic, expected.aic + 2, rtol=1e-10)


def test_null_deviance_and_residuals_match_statsmodels():
    rng = np.random.default_rng(2)
    X, y, family, weights, offset, _, _ = _simulate("poisson", "log", rng, with_extras=True)
    expected = sm.GLM(y, X, family=sm.families.Poisson(), var_weights=weights,
                      offset=offset).fit(tol=1e-13)
    result = fit(X, y, family, weights=weights, offset=offset)
    np.testing.assert_allclose(result.null_deviance, expected.null_deviance, rtol=1e-8)
    np.testing.assert_allclose(result.resid_pearson, expected.resid_pearson, rtol=1e-7)
    np.testing.assert_allclose(result.resid_deviance, expected.resid_deviance, rtol=1e-7)
    np.testing.assert_allclose(np.sum(result.resid_deviance**2), result.deviance, rtol=1e-10)


def test_conf_int_matches_statsmodels_wald_intervals():
    rng = np.random.default_rng(3)
    X, y, family, *_ = _simulate("gamma", "log", rng)
    expected = sm.GLM(y, X, family=sm.families.Gamma(sm.families.links.Log())).fit(
        tol=1e-13, use_t=True)
    result = fit(X, y, family, link="log")
    np.testing.assert_allclose(result.conf_int(), expected.conf_int(), rtol=1e-6)


def test_predict_returns_the_mean_for_new_rows():
    rng = np.random.default_rng(4)
    X, y, _, _, _, trials, _ = _simulate("binomial", "logit", rng)
    result = fit(X, y, Binomial(trials))
    new = np.array([[1.0, 0.2, -0.3]])
    assert result.predict(new)[0] == pytest.approx(1 / (1 + np.exp(-new @ result.coef))[0])
    assert np.all((result.mu > 0) & (result.mu < 1))


# --------------------------------------------------------------------------- the seed lesson
def _seed_data():
    np.random.seed(42)
    m = 80
    x = np.linspace(0, 3, m)
    X = np.c_[np.ones(m), x]
    y = np.random.poisson(np.exp(X @ np.array([0.3, 0.8])))
    return X, y


def test_gradient_ascent_reproduces_the_seed_lesson_exactly():
    X, y = _seed_data()
    theta = np.zeros(2)
    for _ in range(300):  # the seed's loop, written independently of glmlesson
        theta += 0.05 * (X.T @ (y - np.exp(X @ theta)) / len(y))
    result = fit(X, y, "poisson", method="gradient", learning_rate=0.05, max_iter=300, tol=0)
    assert result.coef.tolist() == theta.tolist()
    assert result.n_iter == 300 and len(result.history) == 300
    assert not result.converged and not result.diverged
    np.testing.assert_allclose(result.coef, [0.15275736, 0.84752945], atol=5e-9)


def test_seed_history_is_the_full_average_loglik():
    X, y = _seed_data()
    result = fit(X, y, "poisson", method="gradient", max_iter=300, tol=0)
    mu = np.exp(X @ result.coef)
    assert result.history[-1] == pytest.approx(np.mean(stats.poisson.logpmf(y, mu)), rel=1e-12)
    assert np.all(np.diff(result.history) > 0)


def test_gradient_ascent_converges_to_the_irls_answer_with_tolerance():
    X, y = _seed_data()
    slow = fit(X, y, "poisson", method="gradient", learning_rate=0.04, max_iter=20000, tol=1e-12)
    assert slow.converged
    np.testing.assert_allclose(slow.coef, fit(X, y, "poisson").coef, rtol=1e-9)


# --------------------------------------------------------------------------- trouble
def test_divergent_learning_rate_warns_and_keeps_a_finite_iterate():
    X, y = _seed_data()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(X, y, "poisson", method="gradient", learning_rate=3.0, max_iter=300, tol=0)
    kinds = [w.category.__name__ for w in caught]
    assert kinds == ["DivergenceWarning"], kinds
    assert result.diverged and np.all(np.isfinite(result.coef))
    assert result.n_iter < 300 and np.all(np.isfinite(result.history))


def test_oscillating_divergence_of_logistic_gradient_ascent_is_caught():
    rng = np.random.default_rng(5)
    X = np.column_stack([np.ones(200), rng.normal(0, 3, 200)])
    y = rng.binomial(1, 1 / (1 + np.exp(-X @ [0.2, 1.0])))
    with pytest.warns(UserWarning, match="diverged") as caught:
        result = fit(X, y, "bernoulli", method="gradient", learning_rate=50.0, max_iter=500)
    assert result.diverged
    assert all(w.category.__name__ == "DivergenceWarning" for w in caught)


def test_perfect_separation_warns_and_gives_finite_coefficients():
    x = np.array([-3.0, -2.0, -1.5, -1.0, 1.0, 1.5, 2.0, 3.0])
    X = np.column_stack([np.ones_like(x), x])
    y = (x > 0).astype(float)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(X, y, "bernoulli")
    assert [w.category.__name__ for w in caught] == ["PerfectSeparationWarning"]
    assert result.perfect_separation and not result.converged
    assert np.all(np.isfinite(result.coef)) and np.all(np.isfinite(result.bse))


def test_quasi_complete_separation_is_flagged():
    x = np.array([-3.0, -2.0, -1.0, 0.0, 0.0, 1.0, 2.0, 3.0])
    X = np.column_stack([np.ones_like(x), x])
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1.0])
    with pytest.warns(UserWarning, match="perfect separation"):
        assert fit(X, y, "bernoulli").perfect_separation


def test_max_iter_reached_warns():
    X, y = _seed_data()
    with pytest.warns(UserWarning, match="did not converge in 3 iterations") as caught:
        result = fit(X, y, "poisson", max_iter=3)
    assert caught[0].category.__name__ == "ConvergenceWarning"
    assert not result.converged and result.n_iter == 3


def test_identity_link_leaving_the_range_is_halved_and_warned():
    x = np.linspace(0, 1, 40)
    X = np.column_stack([np.ones_like(x), x])
    y = np.where(x < 0.5, 0.0, np.round(20 * (x - 0.5)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(X, y, "poisson", link="identity", max_iter=50)
    assert "MeanRangeWarning" in [w.category.__name__ for w in caught]
    assert np.all(result.mu > 0)


def test_no_runtime_warning_escapes_trouble():
    X, y = _seed_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        fit(X, y, "poisson", method="gradient", learning_rate=50.0)
        fit(X[:, :2], (X[:, 1] > 1.5).astype(float), "bernoulli")
        fit(X, y, "poisson", link="identity", method="newton")


# --------------------------------------------------------------------------- bad input
X_OK = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
Y_OK = np.array([0.0, 1.0, 1.0, 3.0])


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(X=np.array([[1.0, np.nan]] * 4)), "X has 4 non-finite"),
        (dict(y=np.array([0, 1, np.inf, 2.0])), "non-finite"),
        (dict(y=Y_OK[:3]), r"y has shape \(3,\) but X has 4 rows"),
        (dict(X=np.arange(4.0)), "X must be a 2-D array"),
        (dict(X=np.empty((0, 2)), y=np.empty(0)), "X is empty"),
        (dict(y=np.array([0, -1, 1, 3.0])), "counts"),
        (dict(y=np.array([0, 0.5, 1, 3.0])), "counts"),
        (dict(family="bernoulli"), "Bernoulli y must be 0 or 1"),
        (dict(family=Binomial(2)), "successes exceed trials"),
        (dict(family=Binomial([1, 2])), "trials has shape"),
        (dict(family="gamma", y=np.array([0.0, 1, 2, 3])), "Gamma y must be positive"),
        (dict(link="logit"), "logit link .* use one of the links"),
        (dict(link="probit_typo"), "unknown link"),
        (dict(family="poison"), "unknown family"),
        (dict(method="sgd"), "unknown method"),
        (dict(method="gradient", learning_rate=0.0), "learning_rate must be a positive"),
        (dict(learning_rate=-1.0), "learning_rate must be a positive"),
        (dict(learning_rate=np.nan), "learning_rate must be a positive"),
        (dict(X=np.column_stack([np.ones(4), np.ones(4)])), "rank-deficient"),
        (dict(X=np.column_stack([np.ones(4), np.zeros(4)])), "all zero"),
        (dict(offset=np.zeros(3)), "offset has shape"),
        (dict(offset=np.array([0, 0, np.nan, 0])), "offset has 1 non-finite"),
        (dict(weights=np.ones(5)), "weights has shape"),
        (dict(weights=np.array([1, -1, 1, 1.0])), "weights must be ≥ 0"),
        (dict(weights=np.zeros(4)), "all weights are zero"),
        (dict(max_iter=0), "max_iter must be"),
        (dict(tol=-1.0), "tol must be"),
        (dict(X=[["a", "b"]] * 4), "X must be numeric"),
    ],
)
def test_bad_input_is_a_clear_value_error(kwargs, message):
    args = dict(X=X_OK, y=Y_OK, family="poisson")
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        fit(args.pop("X"), args.pop("y"), args.pop("family"), **args)


def test_gradient_from_an_invalid_start_is_refused():
    with pytest.raises(ValueError, match="starts from β = 0"):
        fit(X_OK, Y_OK + 1, "poisson", link="identity", method="gradient")


def test_summary_and_repr_are_readable():
    X, y = _seed_data()
    result = fit(X, y, Poisson())
    text = result.summary(names=["intercept", "x"])
    assert "intercept" in text and "std err" in text and "converged in" in text
    assert repr(result).startswith("FitResult(Poisson, link=log, method=irls, coef=[0.1527")


def test_large_data_warm_start_matches_statsmodels():
    """n ≥ 200 000 starts from a fit to every k-th row: same answer, fewer full iterations."""
    rng = np.random.default_rng(6)
    n = 200_000
    X = np.column_stack([np.ones(n), rng.normal(0, 0.5, (n, 3))])
    y = rng.poisson(np.exp(X @ [0.5, 0.3, -0.2, 0.1]))
    expected = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-13)
    result = fit(X, y, "poisson")
    assert result.converged and result.n_iter <= 4
    np.testing.assert_allclose(result.coef, expected.params, rtol=1e-9)
    np.testing.assert_allclose(result.bse, expected.bse, rtol=1e-7)
    np.testing.assert_allclose(result.loglik, expected.llf, rtol=1e-10)


def _deviance_minimum(X, y, family, link, start):
    """The oracle for non-canonical fits: scipy's minimiser on the deviance."""
    from scipy.optimize import minimize

    fam, g = (Poisson() if family == "poisson" else Bernoulli()), get_link(link)

    def deviance(beta):
        mu = g.g_inv(X @ beta)
        if not fam.is_valid_mu(mu):
            return 1e12
        return fam.deviance(y, np.clip(mu, 1e-300, None))

    best = minimize(deviance, start, method="Nelder-Mead",
                    options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000})
    return best.x, best.fun


def test_poisson_identity_irls_does_not_cycle_and_finds_the_minimum_deviance():
    # Plain Fisher scoring cycles around this optimum (each step overshoots by as much
    # as the last); the fit must converge to the same point as Newton and scipy.
    X, y = _seed_data()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        irls = fit(X, y, "poisson", link="identity")
        newton = fit(X, y, "poisson", link="identity", method="newton")
    assert caught == []
    assert irls.converged and newton.converged and irls.n_iter < 30
    beta, deviance = _deviance_minimum(X, y, "poisson", "identity", newton.coef + 0.05)
    np.testing.assert_allclose(irls.coef, beta, rtol=1e-6)
    np.testing.assert_allclose(irls.deviance, deviance, rtol=1e-10)
    np.testing.assert_allclose(irls.coef, newton.coef, rtol=1e-8)


def test_damping_leaves_fast_converging_fits_alone():
    # The seed fit (canonical log link) takes 6 IRLS iterations, as R's glm does.
    X, y = _seed_data()
    assert fit(X, y, "poisson").n_iter == 6


def test_interior_optimum_reached_after_halving_does_not_warn():
    # The first IRLS step of this log-link Bernoulli fit leaves (0, 1) and is halved,
    # but the optimum is inside the range: no MeanRangeWarning.
    rng = np.random.default_rng(3)
    x = rng.uniform(-2, 0, 300)
    X = np.column_stack([np.ones_like(x), x])
    y = (rng.uniform(size=x.size) < np.exp(0.5 * x)).astype(float)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(X, y, "bernoulli", link="log")
    assert caught == [] and result.converged
    assert 0 < result.mu.min() and result.mu.max() < 1 - 1e-6


@pytest.mark.parametrize("link", ["identity", "log"])
def test_bounded_links_reaching_zero_are_not_called_separation(link):
    # μ = 0 for the x ≤ 0 rows is an ordinary edge point for these links, not
    # coefficients running off to infinity.
    x = np.array([0.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
    X = np.column_stack([np.ones_like(x), x])
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(X, y, "bernoulli", link=link, max_iter=200)
    names = [w.category.__name__ for w in caught]
    assert "PerfectSeparationWarning" not in names
    assert not result.perfect_separation


@pytest.mark.parametrize("method", ["irls", "newton"])
def test_a_fit_stopped_by_the_edge_of_the_range_is_not_called_converged(method):
    # Counts decaying to 0: the best straight line lies beyond μ = 0, so every full
    # step leaves the range and is halved to a tiny one. Tiny halved steps must not
    # be mistaken for convergence (Newton used to report converged=True here with a
    # deviance far above the constrained minimum).
    from glmlesson.simulate import glm_data

    decay = glm_data("poisson", [2.0, -2.5], n=60, x_range=(0.0, 2.0), rng=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(decay.X, decay.y, "poisson", link="identity", method=method)
    assert not result.converged
    assert "MeanRangeWarning" in [w.category.__name__ for w in caught]
    assert result.mu.min() < 1e-8  # it ends on the edge, and says so


# -- names (issue 11, class 9) -----------------------------------------------------------
def test_summary_names_accept_any_sequence_and_refuse_a_wrong_length():
    X, y = _seed_data()
    result = fit(X, y, "poisson")
    for names in (np.array(["const", "x"]), ("const", "x"), iter(["const", "x"])):
        assert "const" in result.summary(names=names)
    with pytest.raises(ValueError, match="names has 3 entries but there are 2 coefficients"):
        result.summary(names=["a", "b", "c"])


def test_a_dataframe_gives_its_column_names():
    pandas = pytest.importorskip("pandas")
    X, y = _seed_data()
    frame = pandas.DataFrame({"const": X[:, 0], "dose": X[:, 1]})
    result = fit(frame, pandas.Series(y), "poisson")
    assert result.names == ["const", "dose"]
    assert "dose" in result.summary()
    assert "x0" not in result.summary()
    assert "dose" in result.summary(names=pandas.Index(["c", "dose"]))


def test_warnings_are_exported_from_the_package():
    import glmlesson

    for name in ("MeanRangeWarning", "CollinearityWarning", "PerfectSeparationWarning",
                 "ConvergenceWarning", "DivergenceWarning"):
        assert issubclass(getattr(glmlesson, name), UserWarning)


# -- the fate of gradient ascent (one vocabulary with the explorers and lessons) -----
def test_gradient_fates_climbing_converged_oscillating_diverged():
    # The seed data: a quadratic objective near the optimum with curvature λ along the
    # stiffest direction; α·λ < 2 converges, α·λ = 2 is a bounded 2-cycle, > 2 runs away.
    X, y = _seed_data()
    best = fit(X, y, "poisson")
    curvature = np.linalg.eigvalsh(X.T @ (X * best.mu[:, None]) / len(y))[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        climbing = fit(X, y, "poisson", method="gradient", max_iter=300, tol=0)
        done = fit(X, y, "poisson", method="gradient", learning_rate=1.0 / curvature,
                   max_iter=3000, tol=0)
        running = fit(X, y, "poisson", method="gradient", learning_rate=2.6 / curvature,
                      max_iter=300, tol=0)
    assert climbing.fate == "still climbing" and not climbing.converged
    assert done.fate == "converged" and done.converged and done.n_iter == 3000
    np.testing.assert_allclose(done.coef, best.coef, rtol=1e-8)
    assert running.fate == "diverged" and running.diverged and running.n_iter < 300


def test_a_slow_run_away_is_diverged_and_a_settling_cycle_oscillating():
    # Normal (exactly quadratic): just past α·λ = 2 every overshoot is a little larger
    # than the last, forever: diverged at the end, not "oscillating". Poisson on lesson
    # 04's counts at α = 0.0661: the overshoots grow at first, then settle into a bounded
    # 2-cycle (the log-likelihood's curvature falls away from the optimum): oscillating.
    from glmlesson.simulate import seed_poisson_counts

    rng = np.random.default_rng(0)
    x = rng.normal(size=200)
    X = np.column_stack([np.ones(200), x])
    y = 1.0 + 2.0 * x + rng.normal(size=200)
    curvature = np.linalg.eigvalsh(X.T @ X / 200)[-1]
    counts = seed_poisson_counts()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        away = fit(X, y, "normal", method="gradient", learning_rate=2.02 / curvature,
                   max_iter=300, tol=0)
        cycle = fit(counts.X, counts.y, "poisson", method="gradient", learning_rate=0.0661,
                    max_iter=300, tol=0)
        blown = fit(counts.X, counts.y, "poisson", method="gradient", learning_rate=15.0,
                    max_iter=300, tol=0)
    assert away.fate == "diverged" and away.diverged
    assert cycle.fate == "oscillating" and not cycle.diverged
    assert blown.fate == "diverged" and np.all(np.isnan(blown.bse))  # no information there


def test_a_bounded_two_cycle_is_oscillating_not_diverged():
    # Normal with identity link: the objective is exactly quadratic, so α·λ = 2 along the
    # stiffest eigenvector gives a bounded 2-cycle with every iterate finite.
    rng = np.random.default_rng(0)
    x = rng.normal(size=200)
    X = np.column_stack([np.ones(200), x])
    y = 1.0 + 2.0 * x + rng.normal(size=200)
    curvature = np.linalg.eigvalsh(X.T @ X / 200)[-1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit(X, y, "normal", method="gradient", learning_rate=2.0 / curvature,
                     max_iter=400)
    assert result.fate == "oscillating" and not result.diverged and not result.converged
    assert np.all(np.isfinite(result.coef))
    assert [w.category.__name__ for w in caught] == ["ConvergenceWarning"]
    assert "oscillating" in str(caught[0].message)


def test_gradient_never_converges_on_a_step_test_alone():
    # log link on Bernoulli: β = 0 gives μ = 1, the edge of the range; refuse with a reason.
    X, y = _seed_data()
    with pytest.raises(ValueError, match="on or outside the edge of the Bernoulli range"):
        fit(X, (y > 2).astype(float), "bernoulli", link="log", method="gradient")


def test_complete_separation_stops_early_with_the_boundary_between_the_classes():
    # Damage below 65 °F only: the MLE is at infinity along a direction that puts the
    # boundary between 63 and 66 °F (the last damaged and first undamaged flights). The
    # fit must say so within a few iterations (every row's mean goes to 0 or 1).
    from glmlesson.data import load

    temperature = np.asarray(load("challenger")["temperature_f"], dtype=float)
    X = np.column_stack([np.ones_like(temperature), temperature])
    clean = (temperature < 65).astype(float)
    with pytest.warns(PerfectSeparationWarning, match="perfect separation"):
        result = fit(X, clean, "bernoulli")
    assert result.fate == "separated" and result.perfect_separation and result.n_iter < 30
    assert 63 < -result.coef[0] / result.coef[1] < 66


def test_newton_uses_the_observed_information_where_it_is_positive_definite():
    # Identity-link Poisson: W_obs = y/μ² per row is 0 where y = 0, yet XᵀW_obs X is
    # positive definite, so Newton takes its own steps and converges in fewer iterations
    # than Fisher scoring, to the same optimum.
    X, y = _seed_data()
    assert np.any(y == 0)
    irls = fit(X, y, "poisson", link="identity")
    newton = fit(X, y, "poisson", link="identity", method="newton")
    assert newton.converged and newton.n_iter < irls.n_iter
    np.testing.assert_allclose(newton.coef, irls.coef, rtol=1e-8)
