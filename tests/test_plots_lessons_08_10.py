"""The plot helpers added for lessons 08-10 draw what they say and return the Axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from glmlesson import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_variance_vs_mean_draws_points_and_curves():
    means, variances = np.array([1.0, 2.0, 4.0]), np.array([2.0, 7.0, 15.0])
    ax = plots.variance_vs_mean(means, variances, {"Poisson": lambda m: m,
                                                   "NB": lambda m: m + m**2}, sizes=[10, 20, 5])
    assert len(ax.lines) == 2
    assert np.allclose(ax.collections[0].get_offsets(), np.column_stack([means, variances]))
    grid, values = ax.lines[1].get_data()
    assert np.allclose(values, grid + grid**2)
    assert [t.get_text() for t in ax.get_legend().get_texts()][1:] == ["Poisson", "NB"]


def test_profile_loglik_marks_the_best_value_in_a_given_axes():
    _, ax = plt.subplots()
    returned = plots.profile_loglik([0.5, 1.0, 2.0], [-3.0, -1.0, -2.0], best=1.0, ax=ax,
                                    xlabel="α", logx=True)
    assert returned is ax and ax.get_xscale() == "log" and ax.get_xlabel() == "α"
    assert ax.lines[1].get_xdata()[0] == 1.0


def test_class_probabilities_one_curve_per_class_and_ticks_for_observations():
    grid = np.linspace(0, 1, 5)
    probabilities = np.column_stack([grid, 1 - grid])
    ax = plots.class_probabilities(grid, probabilities, ["a", "b"], x=[0.1, 0.9, 0.5],
                                   labels=[0, 1, 1], xlabel="length")
    curves = [line for line in ax.lines if line.get_linestyle() == "-"]
    assert len(curves) == 2 and np.allclose(curves[1].get_ydata(), 1 - grid)
    ticks = [line for line in ax.lines if line.get_marker() == "|"]
    assert [len(t.get_xdata()) for t in ticks] == [1, 2]
