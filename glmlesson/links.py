"""Link functions g: the mean μ goes in, the linear predictor η = xᵀβ comes out.

A link is the second choice a modeller makes (the first is the family):
``g(μ) = η``, so ``μ = g⁻¹(η)``. Each link also says which means it accepts
(``mu_domain``), which is how a family decides whether it can use the link.

Introduced in 03_anatomy_of_a_glm; used by every lesson from 04 on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = ["Link", "LINKS", "get_link", "link_names"]

_SQRT_2PI = np.sqrt(2.0 * np.pi)


@dataclass(frozen=True)
class Link:
    """A link function g with its inverse and derivatives.

    Attributes:
        name: the name ``get_link`` accepts, e.g. ``"log"``.
        formula: g written out, for tables and plots.
        mu_domain: open interval ``(low, high)`` of means g is defined on.
        g: η = g(μ).
        g_inv: μ = g⁻¹(η) (statsmodels' ``link.inverse``).
        g_prime: dη/dμ = g'(μ).
        mu_eta: dμ/dη as a function of η (R's ``mu.eta``).
        g_second: d²η/dμ² = g''(μ), needed by Newton's method with a
            non-canonical link.
        limits: (lim g⁻¹(η) as η → −∞, lim g⁻¹(η) as η → +∞): the means the link
            approaches only as η runs off to infinity. Where such a limit is an edge
            of the family's mean range (0 for the log link and Poisson; 0 and 1 for
            logit and Bernoulli) the maximum-likelihood estimate can sit at infinity
            (perfect separation, lesson 05; fitted rates numerically 0, lesson 09).

    Introduced in 03_anatomy_of_a_glm.
    """

    name: str
    formula: str
    mu_domain: tuple[float, float]
    g: Callable[[np.ndarray], np.ndarray]
    g_inv: Callable[[np.ndarray], np.ndarray]
    g_prime: Callable[[np.ndarray], np.ndarray]
    mu_eta: Callable[[np.ndarray], np.ndarray]
    g_second: Callable[[np.ndarray], np.ndarray]
    limits: tuple[float, float] = (-np.inf, np.inf)

    def __post_init__(self):
        # accept lists and scalars as well as arrays
        for name in ("g", "g_inv", "g_prime", "mu_eta", "g_second"):
            object.__setattr__(self, name, _on_arrays(getattr(self, name)))

    def accepts(self, low: float, high: float) -> bool:
        """True when every mean in the open interval (low, high) lies in ``mu_domain``."""
        return self.mu_domain[0] <= low and high <= self.mu_domain[1]

    def __repr__(self) -> str:
        low, high = self.mu_domain
        return f"Link({self.name!r}: {self.formula}, μ in ({low:g}, {high:g}))"


def _on_arrays(function):
    def on_array(values):
        return function(np.asarray(values, dtype=float))

    on_array.__doc__ = function.__doc__
    return on_array


def _probit_g_prime(mu):
    return 1.0 / _normal_pdf(special.ndtri(mu))


def _normal_pdf(z):
    return np.exp(-0.5 * np.square(z)) / _SQRT_2PI


def _cloglog_g_prime(mu):
    return 1.0 / (-(1.0 - mu) * np.log1p(-mu))


def _cloglog_g_second(mu):
    minus_log = -np.log1p(-mu)
    return (minus_log - 1.0) / np.square((1.0 - mu) * minus_log)


LINKS: dict[str, Link] = {
    link.name: link
    for link in (
        Link(
            "identity", "g(μ) = μ", (-np.inf, np.inf),
            g=lambda mu: np.asarray(mu, dtype=float),
            g_inv=lambda eta: np.asarray(eta, dtype=float),
            g_prime=lambda mu: np.ones_like(mu, dtype=float),
            mu_eta=lambda eta: np.ones_like(eta, dtype=float),
            g_second=lambda mu: np.zeros_like(mu, dtype=float),
            limits=(-np.inf, np.inf),
        ),
        Link(
            "log", "g(μ) = log μ", (0.0, np.inf),
            g=np.log,
            g_inv=np.exp,
            g_prime=lambda mu: 1.0 / mu,
            mu_eta=np.exp,
            g_second=lambda mu: -1.0 / np.square(mu),
            limits=(0.0, np.inf),
        ),
        Link(
            "logit", "g(μ) = log(μ / (1 − μ))", (0.0, 1.0),
            g=special.logit,
            g_inv=special.expit,
            g_prime=lambda mu: 1.0 / (mu * (1.0 - mu)),
            mu_eta=lambda eta: special.expit(eta) * special.expit(-eta),
            g_second=lambda mu: (2.0 * mu - 1.0) / np.square(mu * (1.0 - mu)),
            limits=(0.0, 1.0),
        ),
        Link(
            "probit", "g(μ) = Φ⁻¹(μ)", (0.0, 1.0),
            g=special.ndtri,
            g_inv=special.ndtr,
            g_prime=_probit_g_prime,
            mu_eta=_normal_pdf,
            g_second=lambda mu: special.ndtri(mu) * np.square(_probit_g_prime(mu)),
            limits=(0.0, 1.0),
        ),
        Link(
            "cloglog", "g(μ) = log(−log(1 − μ))", (0.0, 1.0),
            g=lambda mu: np.log(-np.log1p(-mu)),
            g_inv=lambda eta: -np.expm1(-np.exp(eta)),
            g_prime=_cloglog_g_prime,
            mu_eta=lambda eta: np.exp(eta - np.exp(eta)),
            g_second=_cloglog_g_second,
            limits=(0.0, 1.0),
        ),
        Link(
            "inverse", "g(μ) = 1 / μ", (0.0, np.inf),
            g=lambda mu: 1.0 / mu,
            g_inv=lambda eta: 1.0 / eta,
            g_prime=lambda mu: -1.0 / np.square(mu),
            mu_eta=lambda eta: -1.0 / np.square(eta),
            g_second=lambda mu: 2.0 / mu**3,
            limits=(0.0, 0.0),
        ),
        Link(
            "sqrt", "g(μ) = √μ", (0.0, np.inf),
            g=np.sqrt,
            g_inv=np.square,
            g_prime=lambda mu: 0.5 / np.sqrt(mu),
            mu_eta=lambda eta: 2.0 * eta,
            g_second=lambda mu: -0.25 / mu**1.5,
            limits=(np.inf, np.inf),
        ),
    )
}


def link_names() -> list[str]:
    """The names ``get_link`` accepts, in the order lessons list them."""
    return list(LINKS)


def get_link(link: Link | str) -> Link:
    """Return a Link given an instance or a name such as ``"logit"``.

    Raises:
        ValueError: for an unknown name, listing the names that exist.

    Introduced in 03_anatomy_of_a_glm.
    """
    if isinstance(link, Link):
        return link
    if isinstance(link, str) and link.lower() in LINKS:
        return LINKS[link.lower()]
    raise ValueError(
        f"unknown link {link!r}: use a glmlesson.links.Link or one of the names "
        f"{', '.join(repr(n) for n in LINKS)}"
    )
