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

from glmlesson import Binomial, Categorical, NegativeBinomial, Tweedie, data, fit, simulate
from glmlesson.widgets import (
    Explorer,
    family_explorer,
    learning_rate_explorer,
    link_explorer,
    ordinal_explorer,
    penalty_explorer,
    random_intercept_explorer,
    tweedie_explorer,
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
def _fit_like_the_explorer(X, y, family, rate, steps):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(X, y, family, method="gradient", learning_rate=rate, max_iter=steps, tol=0)


class _Diverged:
    fate = "diverged"


def _agrees_with_fit(explorer, X, y, family):
    """The fate and β on screen are those of fit at the sliders' values (fit is the oracle
    for the vocabulary; the picture is computed from one sliced run, not from fit)."""
    rate, steps = explorer.values["learning_rate"], explorer.values["iterations"]
    try:
        expected = _fit_like_the_explorer(X, y, family, rate, steps)
    except ValueError as error:
        # fit (engine, not widgets) fails while finishing some runs that diverge at the
        # first step (a Cholesky of a non-finite information); reported to the engine
        assert "infs or NaNs" in str(error)
        assert explorer.fate == "diverged" and explorer.message.startswith("Diverged")
        return _Diverged()
    assert explorer.fate == expected.fate, (rate, steps, explorer.message)
    np.testing.assert_allclose(explorer.coef, expected.coef, rtol=1e-12, atol=1e-12)
    assert explorer.message.startswith(expected.fate.capitalize()), explorer.message
    return expected


def test_learning_rate_explorer_starts_at_the_lessons_fit(seed):
    explorer = learning_rate_explorer(seed.X, seed.y, "poisson", x=seed.x)
    assert isinstance(explorer, Explorer)
    assert explorer.values == {"learning_rate": 0.05, "iterations": 300}
    # lesson 04's hand-written loop after 300 steps at 0.05 (its own printed numbers)
    np.testing.assert_allclose(explorer.result.coef, [0.15275736, 0.84752945], atol=5e-9)
    assert explorer.result.method == "gradient" and explorer.result.n_iter == 300
    # lesson 04: "300 steps at α = 0.05 are not enough" — the explorer agrees
    assert explorer.fate == explorer.result.fate == "still climbing"
    assert explorer.message.startswith("Still climbing after 300 steps")
    _agrees_with_fit(explorer, seed.X, seed.y, "poisson")
    sm_fit = sm.GLM(seed.y, seed.X, family=sm.families.Poisson()).fit()
    np.testing.assert_allclose(explorer.optimum.coef, sm_fit.params, rtol=1e-8)
    assert _png(explorer).startswith(b"\x89PNG")
    for control in explorer.controls.values():
        assert control.style.description_width == "initial"


def test_every_learning_rate_names_fits_fate(seed):
    explorer = learning_rate_explorer(seed.X, seed.y, "poisson", x=seed.x)
    slider = explorer.controls["learning_rate"]
    assert slider.min == pytest.approx(-3) and slider.max == pytest.approx(2)
    seen = dict.fromkeys(("converged", "still climbing", "oscillating", "diverged"), 0)
    _set_quietly(explorer, "iterations", 1000)  # enough for rates near 0.05 to converge
    previous = _png(explorer)
    for rate in _slider_values(slider):
        _set_quietly(explorer, "learning_rate", rate)
        expected = _agrees_with_fit(explorer, seed.X, seed.y, "poisson")
        seen[expected.fate] += 1
        assert np.all(np.isfinite(explorer.coef)), rate
        png = _png(explorer)
        assert png != previous or rate == slider.value or expected.fate == "diverged"
        previous = png
    assert all(seen.values()), seen
    assert "Still climbing" not in explorer.message and "Diverged" in explorer.message


def test_lesson_04_notches(seed):
    # lesson 04 names three notches of the log slider: 10^-1.20, 10^-1.18, 10^-1.12
    explorer = learning_rate_explorer(seed.X, seed.y, "poisson", x=seed.x)
    expected = {(-1.20, 300): "still climbing", (-1.20, 2000): "converged",
                (-1.18, 300): "oscillating", (-1.18, 2000): "oscillating",
                (-1.12, 300): "diverged"}
    for (exponent, steps), fate in expected.items():
        _set_quietly(explorer, "iterations", steps)
        _set_quietly(explorer, "learning_rate", 10**exponent)
        assert explorer.fate == fate
        _agrees_with_fit(explorer, seed.X, seed.y, "poisson")
    assert f"{explorer.controls['learning_rate'].value:.3g}" == "0.0759"
    assert explorer.message.startswith("Diverged after 5 steps")


def test_the_convergence_limit_is_two_over_the_largest_curvature(seed):
    # Gradient ascent on ℓ/n converges iff α < 2/λmax of the average Fisher
    # information at the optimum (for small steps near it).
    fitted = sm.GLM(seed.y, seed.X, family=sm.families.Poisson()).fit()
    mu = fitted.mu
    limit = 2 / np.linalg.eigvalsh(seed.X.T @ (mu[:, None] * seed.X) / len(mu)).max()
    explorer = learning_rate_explorer(seed.X, seed.y, "poisson", x=seed.x)
    _set_quietly(explorer, "iterations", 2000)
    _set_quietly(explorer, "learning_rate", 0.95 * limit)
    assert explorer.fate == "converged" and explorer.message.startswith("Converged")
    _set_quietly(explorer, "learning_rate", 1.04 * limit)  # a zig-zag that never shrinks
    assert explorer.fate == "oscillating" and explorer.message.startswith("Oscillating")
    assert "Diverged" not in explorer.message and "last finite iterate" not in explorer.message
    _set_quietly(explorer, "learning_rate", 1.3 * limit)
    assert explorer.fate == "diverged" and explorer.message.startswith("Diverged")


def test_every_iteration_count_is_a_slice_of_one_run(seed):
    explorer = learning_rate_explorer(seed.X, seed.y, "poisson", x=seed.x, learning_rate=0.01)
    slider = explorer.controls["iterations"]
    assert (slider.min, slider.max, slider.step) == (10, 2000, 10)
    history_axes = explorer.live.axes[1]
    run = explorer.run(0.01)
    for steps in _slider_values(slider)[::7] + [slider.max, slider.min]:
        _set_quietly(explorer, "iterations", int(steps))
        assert explorer.result.n_iter == steps
        assert explorer.runs[0.01] is run  # one run per rate, sliced
        left, right = history_axes.get_xlim()
        assert left == 0 and steps <= right <= 2 * steps  # the whole history is in view
        line = explorer.history_line
        assert len(line.get_xdata()) == steps
        np.testing.assert_allclose(line.get_ydata(), explorer.result.history, rtol=1e-12)
        _agrees_with_fit(explorer, seed.X, seed.y, "poisson")


def _in_view(ax, line) -> bool:
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    inside = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    return bool(np.any(inside))


def test_lesson_01_first_divergent_notch_is_not_blank():
    data = simulate.glm_data("gaussian", np.array([1.0, 0.5]), n=30, x_range=(0.0, 6.0), rng=1,
                             scale=0.64)
    explorer = learning_rate_explorer(data.X, data.y, "gaussian", x=data.x)
    limit = 2 / np.linalg.eigvalsh(data.X.T @ data.X / 30).max()
    slider = explorer.controls["learning_rate"]
    for notch in range(int(np.ceil((np.log10(limit) - slider.min) / slider.step)), 90):
        _set_quietly(explorer, "learning_rate", 10 ** (slider.min + notch * slider.step))
        _agrees_with_fit(explorer, data.X, data.y, "gaussian")
        if explorer.fate == "diverged" and explorer.result.n_iter == 0:
            continue  # nothing to draw but the start; the message says so
        assert _in_view(explorer.live.axes[1], explorer.history_line), explorer.message
        curve_shown = _in_view(explorer.live.axes[0], explorer.curve)
        assert curve_shown or "off the picture" in explorer.message


def test_lesson_07_rates_are_reachable():
    # lesson 07 runs gradient ascent on Bernoulli data at α = 0.5, 8 and 20
    rng = np.random.default_rng(3)
    x = rng.normal(size=200)
    X = np.column_stack([np.ones_like(x), x])
    y = (rng.uniform(size=200) < special.expit(0.5 + 1.5 * x)).astype(float)
    explorer = learning_rate_explorer(X, y, "bernoulli", x=x)
    for rate in (0.5, 8.0, 20.0):
        _set_quietly(explorer, "learning_rate", rate)
        assert explorer.values["learning_rate"] == rate
        _agrees_with_fit(explorer, X, y, "bernoulli")
    for notch in (0.90, 1.30):  # the nearest notches of the log slider: 7.94 and 19.95
        _set_quietly(explorer, "learning_rate", 10**notch)
        _agrees_with_fit(explorer, X, y, "bernoulli")


def test_learning_rate_explorer_other_families():
    rng = np.random.default_rng(0)
    x = np.linspace(-2, 2, 60)
    X = np.column_stack([np.ones_like(x), x])
    for family, y in [("gaussian", 1 + 2 * x + rng.normal(size=x.size)),
                      ("bernoulli", (rng.uniform(size=x.size) < 1 / (1 + np.exp(-2 * x))) * 1.0)]:
        explorer = learning_rate_explorer(X, y, family)
        for rate in (0.001, 0.05, 0.5, 1.0, 30.0):
            _set_quietly(explorer, "learning_rate", rate)
            assert np.all(np.isfinite(explorer.coef))
            _agrees_with_fit(explorer, X, y, family)
        assert explorer.result.family.name in ("Normal", "Bernoulli")


@pytest.mark.parametrize("kwargs, message", [
    ({"iterations": 305}, "multiple of 10"),
    ({"iterations": 5000}, "multiple of 10 between 10 and max_iterations"),
    ({"learning_rate": 500.0}, "outside learning_rates"),
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
        else:  # identity and log: the optimum sits on the edge of (0, 1)
            assert explorer.result.fate == "at the edge"
            assert explorer.message.startswith("At the edge") and "max_iter" not in explorer.message
        assert _text_inside_figure(explorer, explorer.table)
        assert f"{link:<8}" in explorer.table.get_text()
    assert set(explorer.fits) == set(options)


def _text_inside_figure(explorer, text) -> bool:
    figure = explorer.live.figure
    box = text.get_window_extent(figure.canvas.get_renderer())
    return (box.x0 >= 0 and box.y0 >= 0 and box.x1 <= figure.bbox.x1
            and box.y1 <= figure.bbox.y1)


def test_link_explorer_shows_fit_warnings_in_the_picture():
    # Identity-link Bernoulli whose optimum sits on μ = 0: the fit warns, the
    # explorer shows the warning instead of letting it reach the notebook.
    x = np.array([0.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
    X = np.column_stack([np.ones_like(x), x])
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1.0])
    explorer = link_explorer(X, y, "bernoulli", links=["logit", "log"])
    _set_quietly(explorer, "link", "log")
    assert explorer.result.fate == "at the edge"
    assert explorer.message.startswith("At the edge: the log link's best fit puts fitted means "
                                       "on the edge of the Bernoulli mean range (0, 1)")
    assert "max_iter" not in explorer.message


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
    ({"family": Tweedie(1.5)}, "use tweedie_explorer"),
    ({"family": Categorical(3)}, "one-parameter families"),
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
            else:  # the picture keeps the last valid curves, faded; the message follows
                assert explorer.result is None and explorer.message.startswith("Refused")
                assert f"= {value:g}" in explorer.message
            assert _png(explorer) != before or value == start or explorer.result is None
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


# ----------------------------------------------------------------- families (issue 12 §3)
@pytest.mark.parametrize("family", ["poisson", Binomial(10), NegativeBinomial(0.5), "gaussian",
                                    "gamma", "bernoulli"])
def test_family_explorer_x_axis_fits_the_distribution(family):
    explorer = family_explorer(family)
    theta = explorer.controls["theta"]
    ax = explorer.live.axes
    for value in np.linspace(theta.min, theta.max, 15):
        _set_quietly(explorer, "theta", float(value))
        oracle = _scipy_distribution(explorer.result)
        low, high = ax.get_xlim()
        # the bulk of the distribution is in view ...
        assert low <= max(oracle.ppf(0.001), 0 if explorer.result.family.is_discrete else -np.inf)
        assert oracle.ppf(0.999) <= high
        # ... and the axis is not much wider than the distribution
        sd = np.sqrt(explorer.result.variance)
        assert high - low <= (11 * sd + 2.2) * 1.6
        if explorer.result.family.name == "Binomial":
            assert -0.6 - 1e-9 <= low and high <= 10.6 * 1.3


def test_family_explorer_binomial_follows_the_lessons_convention():
    # lesson 02: the Binomial's μ is the success probability p, A'(θ) = n·p, Ψ(p) = logit p
    explorer = family_explorer(Binomial(10), theta=-0.4)
    p = special.expit(-0.4)
    assert f"μ = p = mean(θ)     = {p:8.4g}" in explorer.message
    assert f"E[y] = A'(θ) = n·p  = {10 * p:8.4g}" in explorer.message
    assert f"Ψ(p) = log(p/(1−p)) = {special.logit(p):8.4g}" in explorer.message
    assert explorer.result.mean == pytest.approx(10 * p)


@pytest.mark.parametrize("family", ["gamma", "gaussian"])
def test_family_explorer_dispersion_is_phi_as_lesson_02_defines_it(family):
    explorer = family_explorer(family)
    slider = explorer.controls["scale"]
    assert slider.value == 1.0  # Normal() and Gamma() as lesson 02's table: σ² = 1, shape 1
    assert "dispersion φ" in slider.description
    _set_quietly(explorer, "scale", 0.5)
    assert "Var(y) = φ·A''(θ)" in explorer.message
    _check_against_scipy(explorer)


# ----------------------------------------------------------------- Tweedie (lesson 11)
def _compound_poisson_gamma(y, power, mean, phi, terms=400):
    """Density of a Poisson(λ) number of Gamma(shape α, scale γ) amounts at y > 0 (scipy)."""
    rate = mean ** (2 - power) / (phi * (2 - power))
    shape = (2 - power) / (power - 1)
    scale = phi * (power - 1) * mean ** (power - 1)
    counts = np.arange(1, terms + 1)[:, None]
    return np.sum(stats.poisson.pmf(counts, rate) * stats.gamma.pdf(y[None, :], a=counts * shape,
                                                                     scale=scale), axis=0)


def test_tweedie_explorer_against_the_compound_poisson_gamma():
    explorer = tweedie_explorer(power=1.5, mean=1.0, dispersion=1.0)
    assert set(explorer.controls) == {"power", "mean"}
    for power, mean in ((1.5, 1.0), (1.2, 0.4), (1.8, 3.0), (1.99, 10.0), (1.01, 0.1)):
        _set_quietly(explorer, "power", power)
        _set_quietly(explorer, "mean", mean)
        shown = explorer.result
        rate = mean ** (2 - power) / (2 - power)
        assert shown.zero_probability == pytest.approx(stats.poisson.pmf(0, rate), rel=1e-12)
        assert explorer.zero_bar.get_height() == shown.zero_probability
        np.testing.assert_allclose(shown.density, _compound_poisson_gamma(shown.y, power, mean,
                                                                          1.0), rtol=1e-6)
        assert shown.variance == pytest.approx(mean**power)
        assert f"P(y = 0) = {shown.zero_probability:.3f}" in explorer.message
        x0, x1 = explorer.live.axes[1].get_xlim()
        assert x0 == 0 and shown.y[-1] <= x1  # the whole curve is in view


def test_tweedie_explorer_every_control():
    explorer = tweedie_explorer()
    for name in ("power", "mean"):
        slider = explorer.controls[name]
        start = slider.value
        for value in _slider_values(slider)[::9]:
            before = _png(explorer)
            _set_quietly(explorer, name, float(value))
            assert np.all(np.isfinite(explorer.result.density))
            assert _png(explorer) != before or value == start
        _set_quietly(explorer, name, start)


@pytest.mark.parametrize("kwargs, message", [
    ({"power": 2.0}, "strictly between 1 and 2"),
    ({"mean": 0.0}, "mean must lie"),
    ({"dispersion": -1.0}, "dispersion"),
])
def test_tweedie_explorer_refuses_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tweedie_explorer(**kwargs)


# ----------------------------------------------------------------- penalties (lesson 12)
def test_penalty_explorer_against_glum():
    import glum  # in the [dev] extra: the elastic net with glmnet's objective
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(200), rng.normal(size=(200, 6))])
    y = rng.poisson(np.exp(X @ np.array([0.3, 0.5, -0.4, 0, 0, 0.2, 0]))).astype(float)
    explorer = penalty_explorer(X, y, "poisson", l1_ratio=1.0)
    slider = explorer.controls["penalty"]
    assert slider.max == pytest.approx(np.log10(explorer.path.largest_penalty))
    for value in _slider_values(slider)[::20] + [10**slider.max]:
        _set_quietly(explorer, "penalty", value)
        oracle = glum.GeneralizedLinearRegressor(family="poisson", alpha=value, l1_ratio=1.0,
                                                 gradient_tol=1e-12)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            oracle.fit(np.ascontiguousarray(X[:, 1:]), y)
        np.testing.assert_allclose(explorer.result.coef,
                                   np.concatenate([[oracle.intercept_], oracle.coef_]), atol=2e-6)
        kept = int(np.sum(explorer.result.coef[1:] != 0))
        assert explorer.message.startswith(f"λ = {value:.3g}: {kept} of 6 slopes")
        np.testing.assert_allclose(explorer.dots.get_ydata(), explorer.result.coef[1:])
        assert explorer.marker.get_xdata()[0] == pytest.approx(np.log10(value))
        assert explorer.point.get_ydata()[0] == pytest.approx(explorer.result.deviance)
    assert "0 of 6 slopes" in explorer.message  # λ_max zeroes every slope
    ax_paths = explorer.live.axes[0]
    for k, line in enumerate(ax_paths.lines[:6]):
        np.testing.assert_allclose(line.get_ydata(), explorer.path.coefs[:, k + 1])


def test_learning_rate_explorer_with_offset_weights_and_trials():
    rng = np.random.default_rng(5)
    x = np.linspace(-1, 1, 40)
    X = np.column_stack([np.ones_like(x), x])
    trials = rng.integers(1, 12, size=40)
    successes = rng.binomial(trials, special.expit(0.3 + 1.2 * x)).astype(float)
    exposure = rng.uniform(0.5, 2.0, size=40)
    counts = rng.poisson(exposure * np.exp(0.2 + 0.7 * x)).astype(float)
    weights = rng.uniform(0.5, 1.5, size=40)
    cases = [(Binomial(trials), successes, {}),
             ("poisson", counts, {"offset": np.log(exposure), "weights": weights})]
    for family, y, options in cases:
        explorer = learning_rate_explorer(X, y, family, **options)
        for rate, steps in ((0.05, 300), (0.5, 300), (3.0, 100), (30.0, 100)):
            _set_quietly(explorer, "iterations", steps)
            _set_quietly(explorer, "learning_rate", rate)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = fit(X, y, family, method="gradient", learning_rate=rate,
                               max_iter=steps, tol=0, **options)
            assert explorer.fate == expected.fate, (family, rate, explorer.message)
            np.testing.assert_allclose(explorer.coef, expected.coef, rtol=1e-12, atol=1e-12)
