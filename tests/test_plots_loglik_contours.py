"""plots.loglik_grid and plots.loglik_contours (lesson 07): the grid holds the
log-likelihood computed independently with scipy.stats, and the contour plot draws
the paths and the optimum it is given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import special, stats  # noqa: E402

from glmlesson import plots  # noqa: E402
from glmlesson.simulate import design  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _binary(seed=3, n=40):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = rng.binomial(1, special.expit(0.3 - 1.2 * x)).astype(float)
    return design(x), y


def test_bernoulli_grid_matches_scipy_for_each_link():
    X, y = _binary()
    b0, b1 = np.array([-1.0, 0.0, 0.7]), np.array([-2.0, 0.5])
    inverse = {"logit": special.expit, "probit": stats.norm.cdf,
               "cloglog": lambda e: 1 - np.exp(-np.exp(e))}
    for link, g_inv in inverse.items():
        grid = plots.loglik_grid(X, y, "bernoulli", b0, b1, link=link)
        assert grid.shape == (2, 3)
        for i, slope in enumerate(b1):
            for j, intercept in enumerate(b0):
                mu = g_inv(intercept + slope * X[:, 1])
                expected = np.sum(stats.bernoulli.logpmf(y, mu))
                assert grid[i, j] == pytest.approx(expected, rel=1e-10)


def test_poisson_grid_matches_scipy_and_is_nan_where_mu_is_negative():
    x = np.linspace(0, 2, 25)
    y = np.random.default_rng(4).poisson(np.exp(0.5 + 0.6 * x)).astype(float)
    X = design(x)
    grid = plots.loglik_grid(X, y, "poisson", [0.5, 1.0], [0.6, -2.0], link="identity")
    expected = np.sum(stats.poisson.logpmf(y, 1.0 + 0.6 * x))
    assert grid[0, 1] == pytest.approx(expected, rel=1e-10)
    assert np.isnan(grid[1, 0])  # μ = 0.5 − 2x < 0 for x > 0.25


def test_grid_needs_two_columns():
    X, y = _binary()
    with pytest.raises(ValueError, match="exactly two columns"):
        plots.loglik_grid(np.column_stack([X, X[:, 1] ** 2]), y, "bernoulli", [0.0], [0.0])


def test_contours_draw_paths_and_optimum():
    X, y = _binary()
    path = np.array([[0.0, 0.0], [0.2, -0.8], [0.3, -1.1]])
    ax = plots.loglik_contours(X, y, "bernoulli", (-2, 2), (-3, 1), paths={"Newton": path},
                               optimum=(0.3, -1.1), n_grid=40)
    assert isinstance(ax, plt.Axes)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["Newton (2 steps)"].get_xydata(), path)
    assert "maximum β̂" in lines
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-3, 1)
    assert ax.collections, "no contour lines were drawn"


def test_contours_draw_into_a_given_axes():
    X, y = _binary()
    _, ax = plt.subplots()
    assert plots.loglik_contours(X, y, "bernoulli", (-1, 1), (-1, 1), ax=ax, n_grid=20) is ax
