"""The three slider explorers: every control position draws without errors or
escaping warnings, and what they show is checked against independent oracles
(the seed lesson's numbers, statsmodels' GLM, scipy.stats)."""

import io
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from PIL import Image
from scipy import integrate, special, stats
from statsmodels.tools.sm_exceptions import DomainWarning

from glmlesson import Binomial, NegativeBinomial, data, simulate
from glmlesson.widgets import (
    Explorer,
    family_explorer,
    learning_rate_explorer,
    link_explorer,
    ordinal_explorer,
    random_intercept_explorer,
)

pytestmark = pytest.mark.filterwarnings("ignore", category=DomainWarning)


@pytest.fixture(scope="module")
def seed():
    return simulate.seed_poisson_counts()


def _png(explorer) -> bytes:
    return bytes(explorer.live.image.value)


def _pixels(explorer) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(_png(explorer))), dtype=int)


def _set_quietly(explorer, name, value):
    """Move a control; fail on any warning that reaches the notebook or any error shown."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        explorer.controls[name].value = value
    assert [str(w.message) for w in caught] == []
    assert explorer.live.errors.outputs == (), explorer.live.errors.outputs


def _slider_values(slider):
    """Every position a slider can take (log sliders: every exponent step)."""
    if hasattr(slider, "base"):
        count = int(round((slider.max - slider.min) / slider.step))
        return [slider.base ** (slider.min + k * slider.step) for k in range(count + 1)]
    return list(np.arange(slider.min, slider.max + slider.step / 2, slider.step))


# ----------------------------------------------------------------- learning rate
def test_learning_rate_explorer_starts_at_the_seed_fit(seed):
    explorer = learning_rate_explorer(seed.X, seed.y, "poisson", x=seed.x)
    assert isinstance(explorer, Explorer)
    assert explorer.values == {"learning_rate": 0.05, "iterations": 300}
    # the seed notebook's own numbers after 300 steps at 0.05
    np.testing.assert_allclose(explorer.result.coef, [0.15275736, 0.84752945], atol=5e-9)
    assert explorer.result.method == "gradient" and explorer.result.n_iter == 300
    assert explorer.message.startswith("At the maximum")
    sm_fit = sm.GLM(seed.y, seed.X, family=sm.families.Poisson()).fit()
    np.testing.assert_allclose(explorer.optimum.coef, sm_fit.params, rtol=1e-8)
    assert _png(explorer).startswith(b"\x89PNG")
    for control in explorer.controls.values():
        assert control.style.description_width == "initial"


def test_every_learning_rate_draws_and_divergence_is_a_message(seed):
    explorer = learning_rate_explorer(seed.X, seed.y, "poisson", x=seed.x)
    slider = explorer.controls["learning_rate"]
    assert slider.min == pytest.approx(-3) and slider.max == pytest.approx(0)
    seen = {"At the maximum": 0, "Still climbing": 0, "Overshooting": 0, "Stalled": 0,
            "Diverged": 0}
    previous = _png(explorer)
    for rate in _slider_values(slider):
        _set_quietly(explorer, "learning_rate", rate)
        run = explorer.result
        assert np.all(np.isfinite(run.coef)), rate
        kind = next(k for k in seen if explorer.message.startswith(k))
        seen[kind] += 1
        assert (kind == "Diverged") == bool(run.diverged), (rate, explorer.message)
        png = _png(explorer)
        assert png != previous or rate == slider.value
        previous = png
    # slow rates climb, the seed's converges, large ones blow up
    assert seen["Still climbing"] and seen["At the maximum"] and seen["Diverged"]
    assert seen["Stalled"] or seen["Overshooting"]


def test_the_convergence_limit_is_two_over_the_largest_curvature(seed):
    # Gradient ascent on ℓ/n converges iff η < 2/λmax of the average Fisher
    # information at the optimum (for small steps near it).
    fitted = sm.GLM(seed.y, seed.X, family=sm.families.Poisson()).fit()
    mu = fitted.mu
    limit = 2 / np.linalg.eigvalsh(seed.X.T @ (mu[:, None] * seed.X) / len(mu)).max()
    explorer = learning_rate_explorer(seed.X, seed.y, "poisson", x=seed.x)
    _set_quietly(explorer, "iterations", 2000)
    _set_quietly(explorer, "learning_rate", 0.95 * limit)
    assert not explorer.result.diverged
    assert explorer.message.startswith("At the maximum")
    _set_quietly(explorer, "learning_rate", 1.04 * limit)  # a zig-zag that never shrinks
    assert explorer.message.startswith(("Stalled", "Overshooting"))
    _set_quietly(explorer, "learning_rate", 1.3 * limit)
    assert explorer.result.diverged and explorer.message.startswith("Diverged")


def test_every_iteration_count_draws(seed):
    explorer = learning_rate_explorer(seed.X, seed.y, "poisson", x=seed.x, learning_rate=0.01)
    slider = explorer.controls["iterations"]
    assert (slider.min, slider.max, slider.step) == (10, 2000, 10)
    history_axes = explorer.live.axes[1]
    for steps in _slider_values(slider)[::7] + [slider.max, slider.min]:
        _set_quietly(explorer, "iterations", int(steps))
        assert explorer.result.n_iter == steps
        assert history_axes.get_xlim() == (0, steps)
        assert len(explorer.result.history) == steps


def test_learning_rate_explorer_other_families():
    rng = np.random.default_rng(0)
    x = np.linspace(-2, 2, 60)
    X = np.column_stack([np.ones_like(x), x])
    for family, y in [("gaussian", 1 + 2 * x + rng.normal(size=x.size)),
                      ("bernoulli", (rng.uniform(size=x.size) < 1 / (1 + np.exp(-2 * x))) * 1.0)]:
        explorer = learning_rate_explorer(X, y, family)
        for rate in (0.001, 0.05, 0.5, 1.0):
            _set_quietly(explorer, "learning_rate", rate)
            assert np.all(np.isfinite(explorer.result.coef))
        assert explorer.result.family.name in ("Normal", "Bernoulli")


@pytest.mark.parametrize("kwargs, message", [
    ({"iterations": 305}, "multiple of 10"),
    ({"iterations": 5000}, "multiple of 10 between 10 and max_iterations"),
    ({"learning_rate": 5.0}, "outside learning_rates"),
    ({"learning_rates": (0.0, 1.0)}, "0 < low < high"),
    ({"max_iterations": 5}, "max_iterations must be an integer"),
])
def test_learning_rate_explorer_refuses_bad_settings(seed, kwargs, message):
    with pytest.raises(ValueError, match=message):
        learning_rate_explorer(seed.X, seed.y, "poisson", **kwargs)


def test_explorers_need_x_when_the_design_is_not_one_covariate(seed):
    X = np.column_stack([seed.X, seed.x ** 2])
    with pytest.raises(ValueError, match="pass x="):
        learning_rate_explorer(X, seed.y, "poisson")
    with pytest.raises(ValueError, match="one x per row"):
        link_explorer(seed.X, seed.y, "poisson", x=seed.x[:10])
    explorer = learning_rate_explorer(X, seed.y, "poisson", x=seed.x, learning_rate=0.01)
    assert explorer.result.coef.shape == (3,)


def test_bad_data_is_refused_by_fit(seed):
    with pytest.raises(ValueError, match="Poisson"):
        learning_rate_explorer(seed.X, -seed.y - 1, "poisson")
    with pytest.raises(ValueError):
        link_explorer(seed.X, seed.y, "no-such-family")


# ----------------------------------------------------------------- links
def _statsmodels_deviance(X, y, family, link):
    links = sm.families.links
    link = {"identity": links.Identity(), "log": links.Log(), "sqrt": links.Sqrt(),
            "logit": links.Logit(), "probit": links.Probit(), "cloglog": links.CLogLog()}[link]
    fam = sm.families.Poisson(link) if family == "poisson" else sm.families.Binomial(link)
    return sm.GLM(y, X, family=fam).fit(maxiter=200).deviance


def test_link_explorer_poisson_every_link(seed):
    explorer = link_explorer(seed.X, seed.y, "poisson", x=seed.x)
    options = [value for _, value in explorer.controls["link"].options]
    assert options == ["identity", "log", "sqrt", "logit"]
    assert explorer.values == {"link": "log"}
    for link in options:
        before = _pixels(explorer)
        _set_quietly(explorer, "link", link)
        if link == "logit":
            assert explorer.result is None
            assert explorer.message.startswith("Refused: the logit link")
            continue
        assert explorer.result.link.name == link and explorer.result.converged
        if link != "identity":  # statsmodels' own IRLS cycles on the identity link
            np.testing.assert_allclose(explorer.result.deviance,
                                       _statsmodels_deviance(seed.X, seed.y, "poisson", link),
                                       rtol=1e-8)
        assert f"deviance {explorer.result.deviance:.4g}" in explorer.message
        if link != "log":
            assert not np.array_equal(before, _pixels(explorer))


def test_link_explorer_bernoulli_on_the_challenger_data():
    shuttle = data.load("challenger")
    temperature = np.asarray(shuttle["temperature_f"], dtype=float)
    damaged = (np.asarray(shuttle["damaged"]) > 0).astype(float)
    X = np.column_stack([np.ones_like(temperature), temperature])
    explorer = link_explorer(X, damaged, "bernoulli", x=temperature)
    options = [value for _, value in explorer.controls["link"].options]
    assert options == ["identity", "log", "logit", "probit", "cloglog", "inverse"]
    labels = [label for label, _ in explorer.controls["link"].options]
    assert labels[-1] == "inverse (refused)"
    for link in options:
        _set_quietly(explorer, "link", link)
        if link == "inverse":
            assert explorer.result is None and "not offered" in explorer.message
        elif link in ("logit", "probit", "cloglog"):
            np.testing.assert_allclose(
                explorer.result.deviance,
                _statsmodels_deviance(X, damaged, "bernoulli", link), rtol=1e-7)
        else:
            assert explorer.message  # a fit, or the warning the fit raised
    assert set(explorer.fits) == set(options)


def test_link_explorer_shows_fit_warnings_in_the_picture():
    # Identity-link Bernoulli whose optimum sits on μ = 0: the fit warns, the
    # explorer shows the warning instead of letting it reach the notebook.
    x = np.array([0.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
    X = np.column_stack([np.ones_like(x), x])
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1.0])
    explorer = link_explorer(X, y, "bernoulli", links=["logit", "log"])
    _set_quietly(explorer, "link", "log")
    assert explorer.message.startswith("Warning:")


def test_link_explorer_refuses_nothing_to_fit(seed):
    with pytest.raises(ValueError, match="refuses every link"):
        link_explorer(seed.X, seed.y, "poisson", links=["logit"])
    with pytest.raises(ValueError, match="links is empty"):
        link_explorer(seed.X, seed.y, "poisson", links=[])


# ----------------------------------------------------------------- families
def _scipy_distribution(state):
    family, mu_y, phi = state.family, state.mean, state.scale
    name = family.name
    if name == "Poisson":
        return stats.poisson(mu_y)
    if name == "Bernoulli":
        return stats.bernoulli(mu_y)
    if name == "Binomial":
        n = int(family.trials)
        return stats.binom(n, mu_y / n)
    if name == "NegativeBinomial":
        size = 1 / family.alpha
        return stats.nbinom(size, size / (size + mu_y))
    if name == "Normal":
        return stats.norm(mu_y, np.sqrt(phi))
    if name == "Gamma":
        return stats.gamma(a=1 / phi, scale=mu_y * phi)
    raise AssertionError(name)


def _check_against_scipy(explorer):
    state = explorer.result
    oracle = _scipy_distribution(state)
    theta = state.theta
    expected_mean = {"Poisson": np.exp(theta), "Bernoulli": 1 / (1 + np.exp(-theta)),
                     "Normal": theta, "Gamma": -1 / theta}.get(state.family.name)
    if expected_mean is not None:  # the closed form of A'(θ)
        np.testing.assert_allclose(state.mean, expected_mean, rtol=1e-10)
    np.testing.assert_allclose(state.mean, oracle.mean(), rtol=1e-9)
    np.testing.assert_allclose(state.variance, oracle.var(), rtol=1e-9)
    ax = explorer.live.axes
    if state.family.is_discrete:
        bars = ax.containers[0].patches
        support = np.array([bar.get_x() + bar.get_width() / 2 for bar in bars])
        heights = np.array([bar.get_height() for bar in bars])
        np.testing.assert_allclose(heights, oracle.pmf(support), rtol=1e-9, atol=1e-300)
    else:
        line = ax.lines[0]
        np.testing.assert_allclose(line.get_ydata(), oracle.pdf(line.get_xdata()), rtol=1e-8,
                                   atol=1e-300)
    assert ax.lines[-1].get_xdata()[0] == pytest.approx(state.mean)


@pytest.mark.parametrize("family, exogenous", [
    ("poisson", None), ("bernoulli", None), (Binomial(10), "trials"),
    (NegativeBinomial(0.5), "alpha"), ("gaussian", "scale"), ("gamma", "scale"),
])
def test_family_explorer_every_theta_and_exogenous_value(family, exogenous):
    explorer = family_explorer(family)
    assert set(explorer.controls) == {"theta"} | ({exogenous} if exogenous else set())
    _check_against_scipy(explorer)
    theta = explorer.controls["theta"]
    for value in _slider_values(theta)[::5] + [theta.max, theta.min]:
        _set_quietly(explorer, "theta", float(min(max(value, theta.min), theta.max)))
        _check_against_scipy(explorer)
    if exogenous:
        slider = explorer.controls[exogenous]
        for value in _slider_values(slider)[::3] + [slider.max]:
            before = _png(explorer)
            _set_quietly(explorer, exogenous, value)
            _check_against_scipy(explorer)
            assert _png(explorer) != before or value == slider.value
    assert "E[y] = A'(θ)" in explorer.message


def test_family_explorer_bridge_psi_inverts_the_mean():
    explorer = family_explorer("poisson", theta=1.0)
    assert explorer.result.theta == 1.0
    np.testing.assert_allclose(explorer.result.family.psi(explorer.result.mean), 1.0)


@pytest.mark.parametrize("kwargs, message", [
    ({"family": "poisson", "theta": 50.0}, "outside the slider's range"),
    ({"family": "poisson", "scale": 2.0}, "scale"),
    ({"family": Binomial(np.array([3, 4])), "theta": None}, "one number of trials"),
    ({"family": "no-such-family"}, "family"),
])
def test_family_explorer_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        family_explorer(**kwargs)


# ----------------------------------------------------------------- random intercept
def _population_average_by_quad(inverse_link, eta, sigma):
    """E_b[g⁻¹(η + b)], b ~ N(0, σ²), by adaptive quadrature (scipy), one η at a time."""
    if sigma == 0:
        return inverse_link(eta)
    return integrate.quad(lambda b: inverse_link(eta + b) * stats.norm.pdf(b, scale=sigma),
                          -12 * sigma, 12 * sigma, epsabs=1e-12, epsrel=1e-12)[0]


def test_random_intercept_explorer_curves_against_quadrature():
    explorer = random_intercept_explorer(beta=(0.3, 1.5), sigma=1.0)
    assert isinstance(explorer, Explorer) and explorer.values == {"sigma": 1.0}
    slider = explorer.controls["sigma"]
    assert (slider.min, slider.max) == (0.0, 3.0)
    grid = explorer.result.x
    np.testing.assert_allclose(grid, np.linspace(-4, 4, 201))
    for sigma in (0.0, 0.5, 1.0, 2.25, 3.0):
        _set_quietly(explorer, "sigma", sigma)
        shown = explorer.result
        assert shown.sigma == sigma
        oracle = [_population_average_by_quad(special.expit, 0.3 + 1.5 * x, sigma)
                  for x in grid[::20]]
        np.testing.assert_allclose(shown.population_averaged[::20], oracle, atol=1e-9)
        z = stats.norm.ppf((np.arange(12) + 0.5) / 12)
        np.testing.assert_allclose(shown.subjects,
                                   special.expit(0.3 + 1.5 * grid[None, :] + sigma * z[:, None]),
                                   rtol=1e-12)
        np.testing.assert_allclose(shown.conditional, special.expit(0.3 + 1.5 * grid), rtol=1e-12)
        # slope of logit(population average) at x = 0, by a central difference of quad
        h = 1e-4
        upper, lower = (special.logit(_population_average_by_quad(special.expit, 0.3 + 1.5 * t,
                                                                    sigma)) for t in (h, -h))
        assert shown.slope_population == pytest.approx((upper - lower) / (2 * h), abs=1e-6)
        assert shown.slope_subject == 1.5
        np.testing.assert_allclose(shown.mean_slopes_subjects,
                                   1.5 * stats.logistic.pdf(0.3 + sigma * z), rtol=1e-12)
        assert shown.approximation == pytest.approx(1 / np.sqrt(1 + 0.346 * sigma**2), abs=1e-4)
        assert f"{shown.attenuation:.3f}" in explorer.message or sigma == 0
        # the logit approximation is close to, not equal to, the slope at x = 0
        assert shown.attenuation == pytest.approx(shown.approximation, abs=0.04)
    assert explorer.message.startswith("σ = 3.00") and "1/√(1 + 0.346σ²)" in explorer.message


def test_random_intercept_explorer_every_sigma_flattens_more():
    explorer = random_intercept_explorer()
    slider = explorer.controls["sigma"]
    previous_png, previous_factor = None, 1.0 + 1e-12
    for sigma in _slider_values(slider):
        _set_quietly(explorer, "sigma", float(sigma))
        factor = explorer.result.attenuation
        assert factor < previous_factor or sigma == 0
        previous_factor = factor
        png = _png(explorer)
        assert png != previous_png
        previous_png = png
    assert explorer.result.attenuation < 0.5
    _set_quietly(explorer, "sigma", 0.0)
    assert explorer.message.startswith("σ = 0: every subject has the same curve")
    assert explorer.result.attenuation == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("link, exact", [
    ("probit", lambda s: 1 / np.sqrt(1 + s**2)),   # E Φ(η + b) = Φ(η/√(1 + σ²))
    ("log", lambda s: 1.0),                        # E e^{η + b} = e^{η + σ²/2}
    ("identity", lambda s: 1.0),
])
def test_random_intercept_explorer_links_with_a_closed_form(link, exact):
    explorer = random_intercept_explorer(beta=(0.2, 0.7), sigma=1.5, link=link)
    shown = explorer.result
    assert shown.attenuation == pytest.approx(exact(1.5), rel=1e-9)
    eta = 0.2 + 0.7 * shown.x
    if link == "probit":
        expected = stats.norm.cdf(eta / np.sqrt(1 + 1.5**2))
    elif link == "log":
        expected = np.exp(eta + 1.5**2 / 2)
    else:
        expected = eta
    np.testing.assert_allclose(shown.population_averaged, expected, rtol=1e-9, atol=1e-12)
    ax = explorer.live.axes
    low, high = ax.get_ylim()
    assert low <= shown.subjects.min() and shown.subjects.max() <= high  # nothing off-screen
    _set_quietly(explorer, "sigma", 3.0)
    low, high = ax.get_ylim()
    assert low <= explorer.result.subjects.min() and explorer.result.subjects.max() <= high


def test_random_intercept_simulated_shares_follow_the_population_average():
    explorer = random_intercept_explorer(sigma=2.5, n_subjects=200, rng=4)
    positions, shares = explorer.share_points.get_data()
    averaged = [_population_average_by_quad(special.expit, 1.5 * x, 2.5) for x in positions]
    assert np.max(np.abs(np.asarray(shares) - averaged)) < 0.12
    conditional = special.expit(1.5 * np.asarray(positions))
    assert np.mean(np.abs(np.asarray(shares) - conditional)) > 0.05
    np.testing.assert_allclose(np.asarray(shares) * 200, np.round(np.asarray(shares) * 200))


@pytest.mark.parametrize("kwargs, message", [
    ({"beta": (1.0,)}, "two finite numbers"),
    ({"sigma": 4.0}, r"\[0, 3\]"),
    ({"n_subjects": 1}, "n_subjects"),
    ({"link": "inverse"}, "link must be one of"),
    ({"x": [1.0]}, "at least two finite values"),
])
def test_random_intercept_explorer_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        random_intercept_explorer(**kwargs)


# ----------------------------------------------------------------- ordinal
_CDF = {"logit": stats.logistic.cdf, "probit": stats.norm.cdf, "cloglog": stats.gumbel_l.cdf}


def _ordinal_oracle(x, thresholds, slope, link):
    cuts = np.concatenate([[-np.inf], thresholds, [np.inf]])
    return np.column_stack([_CDF[link](cuts[j + 1] - slope * x) - _CDF[link](cuts[j] - slope * x)
                            for j in range(len(thresholds) + 1)])


@pytest.mark.parametrize("link", ["logit", "probit", "cloglog"])
def test_ordinal_explorer_against_scipy_cdfs(link):
    explorer = ordinal_explorer(thresholds=(-1.0, 0.5, 2.0), slope=0.8, link=link)
    assert set(explorer.controls) == {"threshold_0", "threshold_1", "threshold_2", "slope"}
    table = explorer.result
    np.testing.assert_allclose(table.probabilities,
                               _ordinal_oracle(table.x, [-1.0, 0.5, 2.0], 0.8, link), atol=1e-12)
    np.testing.assert_allclose(table.probabilities.sum(axis=1), 1.0)
    for line, column in zip(explorer.lines, table.probabilities.T, strict=True):
        np.testing.assert_allclose(line.get_ydata(), column)


def test_ordinal_explorer_every_control():
    explorer = ordinal_explorer()
    for name in ("slope", "threshold_1", "threshold_0"):
        slider = explorer.controls[name]
        start = slider.value
        for value in _slider_values(slider)[::3]:
            before = _png(explorer)
            _set_quietly(explorer, name, float(value))
            theta = [explorer.controls["threshold_0"].value, explorer.controls["threshold_1"].value]
            if theta[0] < theta[1]:
                np.testing.assert_allclose(
                    explorer.result.probabilities,
                    _ordinal_oracle(explorer.result.x, theta, explorer.controls["slope"].value,
                                    "logit"), atol=1e-12)
                assert explorer.message.startswith("P(y = j | x)")
            else:
                assert explorer.result is None and explorer.message.startswith("Refused")
            assert _png(explorer) != before or value == start
        _set_quietly(explorer, name, start)
    assert explorer.result is not None


def test_ordinal_explorer_refuses_thresholds_out_of_order_in_the_picture():
    explorer = ordinal_explorer(thresholds=(-1.0, 1.0))
    _set_quietly(explorer, "threshold_0", 1.5)
    assert explorer.result is None
    assert explorer.message.startswith("Refused: the thresholds must increase")
    assert "θ₀ = 1.5 ≥ θ₁ = 1" in explorer.message
    # the last valid curves stay, faded, under a notice: the picture never goes blank
    assert all(line.get_alpha() == 0.2 for line in explorer.lines)
    assert explorer.refusal.get_visible()
    _set_quietly(explorer, "threshold_1", 2.0)
    assert explorer.result is not None and not explorer.refusal.get_visible()
    assert all(line.get_alpha() == 1.0 for line in explorer.lines)


@pytest.mark.parametrize("kwargs, message", [
    ({"thresholds": (1.0, -1.0)}, "must increase"),
    ({"thresholds": ()}, "one or more finite"),
    ({"slope": np.nan}, "slope"),
    ({"link": "log"}, "link must be one of"),
])
def test_ordinal_explorer_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ordinal_explorer(**kwargs)
