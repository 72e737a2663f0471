"""glmlesson.plots draws what it says; glmlesson.simulate gives the data it promises."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

from glmlesson import Binomial, Gamma, Normal, Poisson, plots  # noqa: E402
from glmlesson.simulate import design, glm_data, seed_poisson_counts  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_seed_counts_match_the_seed_lessons_global_generator():
    np.random.seed(42)
    x = np.linspace(0, 3, 80)
    expected = np.random.poisson(np.exp(0.3 + 0.8 * x))
    data = seed_poisson_counts()
    np.testing.assert_array_equal(data.y, expected)
    np.testing.assert_allclose(data.X[:, 1], x)
    np.testing.assert_allclose(data.mu, np.exp(0.3 + 0.8 * x))


def test_seed_counts_leave_numpys_global_state_alone():
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    seed_poisson_counts()
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_design_prepends_an_intercept():
    np.testing.assert_array_equal(design([2.0, 3.0]), [[1, 2], [1, 3]])
    assert design(np.zeros((5, 3))).shape == (5, 4)


@pytest.mark.parametrize("family,beta,link", [
    ("poisson", [1.0, 0.5], None), ("bernoulli", [0.2, -1.0], "probit"),
    (Normal(), [1.0, 2.0], None), (Gamma(), [0.5, 0.3], "log"),
])
def test_glm_data_has_the_promised_mean(family, beta, link):
    data = glm_data(family, beta, n=20_000, link=link, rng=3, scale=0.5)
    assert data.X.shape == (20_000, 2)
    assert np.all(np.diff(data.x) >= 0)
    residual_mean = np.mean(data.y - data.mu)
    assert abs(residual_mean) < 4 * np.std(data.y - data.mu) / np.sqrt(20_000)


def test_glm_data_is_reproducible_from_the_seed():
    first = glm_data("poisson", [1.0, 0.5], n=50, rng=11)
    second = glm_data("poisson", [1.0, 0.5], n=50, rng=11)
    np.testing.assert_array_equal(first.y, second.y)


def test_data_and_mean_draws_points_and_curve_into_the_given_axes():
    _, ax = plt.subplots()
    x, y = np.arange(5.0), np.array([1.0, 0, 2, 3, 5])
    returned = plots.data_and_mean(x, y, x, np.exp(0.3 * x), ax=ax)
    assert returned is ax
    np.testing.assert_allclose(ax.collections[0].get_offsets(), np.column_stack([x, y]))
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.exp(0.3 * x))


def test_loglik_history_marks_the_optimum():
    ax = plots.loglik_history([-3.0, -2.5, -2.2], optimum=-2.0)
    assert isinstance(ax, plt.Axes)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [-3.0, -2.5, -2.2])
    assert ax.lines[1].get_ydata()[0] == -2.0


def test_distribution_bars_are_the_poisson_pmf():
    ax = plots.distribution(Poisson(), np.log(3.0))
    heights = [patch.get_height() for patch in ax.patches if patch.get_width() == 0.8]
    np.testing.assert_allclose(heights, stats.poisson.pmf(np.arange(len(heights)), 3.0))


def test_distribution_of_a_binomial_counts_successes():
    ax = plots.distribution(Binomial(10), 0.0)
    heights = [patch.get_height() for patch in ax.patches if patch.get_width() == 0.8]
    np.testing.assert_allclose(heights[:11], stats.binom.pmf(np.arange(11), 10, 0.5))


def test_distribution_of_a_normal_is_a_density_curve():
    ax = plots.distribution(Normal(), 1.5)
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), stats.norm.pdf(line.get_xdata(), 1.5, 1.0))


def test_mean_curves_and_residuals_return_their_axes():
    grid = np.linspace(0, 1, 5)
    ax = plots.mean_curves(grid, {"log": np.exp(grid), "identity": 1 + grid}, x=grid, y=grid)
    assert [line.get_label() for line in ax.lines] == ["log", "identity"]
    ax = plots.residuals(np.arange(3.0), np.array([0.1, -0.2, 3.0]))
    assert len(ax.lines) == 3
