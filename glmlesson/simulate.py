"""Synthetic data generators used by the lessons.

Each returns plain numpy arrays and takes a seed or a numpy Generator, so a
lesson that calls it twice with the same seed prints the same numbers.

Introduced in 01_linear_regression (``glm_data``) and 04_poisson_regression
(``seed_poisson_counts``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from glmlesson.families import Family, get_family
from glmlesson.links import get_link

__all__ = ["SimulatedData", "seed_poisson_counts", "glm_data", "design"]


class SimulatedData(NamedTuple):
    """x (the raw feature), X (with an intercept column), y, and the true mean μ."""

    x: np.ndarray
    X: np.ndarray
    y: np.ndarray
    mu: np.ndarray


def design(x) -> np.ndarray:
    """X = [1, x]: the intercept column beside one feature (or beside each column of x)."""
    x = np.asarray(x, dtype=float)
    columns = x[:, None] if x.ndim == 1 else x
    return np.column_stack([np.ones(columns.shape[0]), columns])


def seed_poisson_counts(m=80, theta=(0.3, 0.8), x_max=3.0, seed=42) -> SimulatedData:
    """The seed lesson's counts: x evenly spaced on [0, x_max], μ = exp(θ₀ + θ₁x),
    y ~ Poisson(μ), drawn from numpy's legacy generator seeded with ``seed``.

    With the defaults this is exactly the data of ``np.random.seed(42)`` followed
    by ``np.random.poisson(mu)``, without touching numpy's global state.

    Introduced in 04_poisson_regression.
    """
    x = np.linspace(0.0, x_max, m)
    X = design(x)
    mu = np.exp(X @ np.asarray(theta, dtype=float))
    y = np.random.RandomState(seed).poisson(mu)
    return SimulatedData(x, X, y, mu)


def glm_data(
    family: Family | str,
    beta,
    n=100,
    link=None,
    x_range=(0.0, 1.0),
    rng=None,
    scale=1.0,
) -> SimulatedData:
    """Draw y from ``family`` with μ = g⁻¹(β₀ + β₁x), x uniform on ``x_range``.

    ``beta`` has one more entry than there are features (the intercept first);
    with len(beta) = k + 1 there are k uniform features. ``scale`` is the
    dispersion φ for the Normal (variance) and Gamma (1/shape).

    Introduced in 01_linear_regression.
    """
    family = get_family(family)
    link = family.default_link if link is None else get_link(link)
    rng = np.random.default_rng(rng)
    beta = np.asarray(beta, dtype=float)
    low, high = x_range
    x = rng.uniform(low, high, size=(n, beta.size - 1))
    x_sorted = x[np.argsort(x[:, 0])]
    X = design(x_sorted)
    mu = link.g_inv(X @ beta)
    y = family.sample(mu, rng, scale=scale)
    return SimulatedData(x_sorted[:, 0] if beta.size == 2 else x_sorted, X, y, mu)
