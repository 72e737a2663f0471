"""Exponential-family distributions in the notes' vocabulary.

A member of the exponential family has density or mass

    p(y) = h(y) · exp{T(y) · θ} / Z(θ),      A(θ) = log Z(θ),

with canonical parameter θ. Choosing h and T picks the distribution and fixes
Z. The mean is μ = A'(θ), the bridge back is θ = Ψ(μ), and the variance is
A''(θ) = V(μ) (times a dispersion φ for the Normal and the Gamma).

Every family here offers, in those symbols: ``h``, ``T``, ``log_partition``
(A), ``mean`` (A'), ``psi`` (Ψ), ``variance`` (V), ``loglik``, ``deviance``,
``canonical_link``, ``sample`` and ``validate``. ``log_density(y, theta)``
evaluates log p(y) in the exponential-family form itself.

Two kinds of family share that vocabulary: :class:`ScalarFamily` (y, θ and μ
are numbers: Normal, Bernoulli, Binomial, Poisson, Gamma, NegativeBinomial, Tweedie)
and the vector family :class:`Categorical` (T(y) is a one-hot vector).

Log-likelihoods and deviances are written in forms that stay accurate where
the textbook form cancels (counts in the millions, a dispersion near 0, a
negative binomial near its Poisson limit): each unit deviance is built from
r − log(1 + r) with r the relative residual, and log-densities from Stirling's
remainder, as in Loader's algorithms that R's ``dpois``/``dbinom``/``dgamma`` use.

Introduced in 02_exponential_family.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from glmlesson.links import Link, get_link, link_names

__all__ = [
    "Family",
    "ScalarFamily",
    "Normal",
    "Bernoulli",
    "Binomial",
    "Poisson",
    "Gamma",
    "NegativeBinomial",
    "Tweedie",
    "Categorical",
    "get_family",
    "family_names",
]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
_SERIES_BLOCK = 2**22  # terms of the Tweedie series evaluated at once


def _as_float(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _is_integer_valued(y: np.ndarray) -> bool:
    return bool(np.all(np.floor(y) == y))


# --------------------------------------------------------------------------- stable pieces
def relative_log_gap(r):
    """r − log(1 + r) ≥ 0, accurate for small |r| (a series below |r| = 0.01).

    Every unit deviance here is built from it: with r = (μ − y)/y the Poisson
    unit deviance is 2y·(r − log(1 + r)), which the textbook form
    2{y log(y/μ) − (y − μ)} computes as a difference of two large numbers.
    """
    r = _as_float(r)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = r - np.log1p(r)
    small = np.abs(r) < 0.01
    if np.any(small):
        r_small = r[small] if r.ndim else r
        series = np.zeros_like(r_small)
        power = r_small * r_small
        for k in range(2, 10):  # Σ (−r)ᵏ/k, k ≥ 2: truncation below 1e-18·r²
            series += (1.0 if k % 2 == 0 else -1.0) * power / k
            power = power * r_small
        if r.ndim:
            gap[small] = series
        else:
            gap = series
    return gap


def stirling_remainder(x):
    """δ(x) = log Γ(x) − (x − ½) log x + x − ½ log 2π, Stirling's remainder (x > 0).

    Directly from ``gammaln`` for x ≤ 15, by its asymptotic series above (where the
    direct form would subtract numbers of size x log x to get one of size 1/(12x)).
    """
    x = _as_float(x)
    large = x > 15.0
    safe = np.where(large, 1.0, x)
    direct = special.gammaln(safe) - (safe - 0.5) * np.log(safe) + safe - _HALF_LOG_2PI
    big = np.where(large, x, 16.0)
    inverse_square = 1.0 / (big * big)
    series = (1.0 / 12 - inverse_square * (1.0 / 360 - inverse_square * (
        1.0 / 1260 - inverse_square * (1.0 / 1680 - inverse_square / 1188)))) / big
    return np.where(large, series, direct)


def poisson_half_deviance(y, mu):
    """y·log(y/μ) − (y − μ) ≥ 0 (0·log 0 = 0), without cancellation: y·(r − log(1 + r))
    with r = (μ − y)/y for y > 0, and μ for y = 0. Half the Poisson unit deviance."""
    y, mu = _as_float(y), _as_float(mu)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (mu - y) / y
    half = y * relative_log_gap(r)
    return np.where(y > 0, half, mu)


def _check_counts(y, name):
    bad = (y < 0) | (y != np.floor(y))
    if np.any(bad):
        raise ValueError(
            f"{name} y must be counts (whole numbers ≥ 0), but {np.sum(bad)} values are not "
            f"(e.g. {y[bad][0]:g}); a negative or fractional count usually means the wrong "
            "column or a transformed response"
        )


# --------------------------------------------------------------------------- the shared form
class Family:
    """Base class of every exponential family: p(y) = h(y) exp{T(y)·θ − A(θ)}.

    Subclasses give the formulas; this class turns them into log-likelihoods and
    deviances and says which links the family offers.

    Introduced in 02_exponential_family.
    """

    name = "family"
    is_discrete = True
    multivariate = False
    support_text = ""

    # -- exponential-family form ------------------------------------------------
    def h(self, y):
        """Base measure h(y)."""
        return np.exp(self.log_h(y))

    def log_h(self, y):
        """log h(y)."""
        raise NotImplementedError

    def T(self, y):
        """Sufficient statistic T(y) (= y for every scalar family here)."""
        return _as_float(y)

    def log_partition(self, theta):
        """A(θ) = log Z(θ)."""
        raise NotImplementedError

    def mean(self, theta):
        """μ = A'(θ)."""
        raise NotImplementedError

    def psi(self, mu):
        """Ψ(μ): the canonical parameter θ whose mean is μ (inverse of ``mean``)."""
        raise NotImplementedError

    def variance(self, mu):
        """V(μ) = A''(Ψ(μ)), the variance function (Var y = φ·V(μ))."""
        raise NotImplementedError

    def log_density(self, y, theta):
        """log p(y) = log h(y) + T(y)·θ − A(θ), elementwise, at φ = 1."""
        return self.log_h(y) + self.T(y) * _as_float(theta) - self.log_partition(theta)

    @property
    def canonical_link(self):
        """The link g with g(μ) = Ψ(μ)."""
        raise NotImplementedError

    @property
    def default_link(self):
        """The link ``fit`` uses when none is given: the canonical one."""
        return self.canonical_link

    # -- likelihood and deviance ----------------------------------------------------
    def loglik(self, y, mu, scale=1.0, weights=None) -> float:
        """Full log-likelihood Σ wᵢ log p(yᵢ | μᵢ, φ), including log h(y)."""
        return float(np.sum(self._weights(weights, y) * self.loglik_obs(y, mu, scale)))

    def loglik_obs(self, y, mu, scale=1.0):
        """Per-observation log p(yᵢ | μᵢ, φ)."""
        raise NotImplementedError

    def unit_deviance(self, y, mu):
        """d(y, μ) = 2{log p(y | μ = y) − log p(y | μ)} at φ = 1, elementwise."""
        raise NotImplementedError

    def deviance(self, y, mu, weights=None) -> float:
        """Deviance D = Σ wᵢ d(yᵢ, μᵢ)."""
        return float(np.sum(self._weights(weights, y) * self.unit_deviance(y, mu)))

    def sample(self, mu, rng=None, scale=1.0):
        """Draw y with mean μ (``rng`` a numpy Generator)."""
        raise NotImplementedError

    def validate(self, y) -> np.ndarray:
        """Return y as floats, or raise ValueError when y is outside the support."""
        y = _as_float(y)
        if not np.all(np.isfinite(y)):
            raise ValueError(f"y has {np.sum(~np.isfinite(y))} non-finite values (NaN or inf); "
                             "remove or impute them before fitting")
        return y

    # -- links ------------------------------------------------------------------------
    def valid_links(self) -> list[str]:
        """Names of the links this family offers."""
        raise NotImplementedError

    def check_link(self, link):
        """Return the link, or raise ValueError when the family does not offer it."""
        raise NotImplementedError

    # -- identity ---------------------------------------------------------------------
    def description(self) -> str:
        """One line: the family with its parameters."""
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))

    @staticmethod
    def _weights(weights, y):
        return 1.0 if weights is None else _as_float(weights)


class ScalarFamily(Family):
    """A family whose y, θ and μ are numbers, fitted as a GLM with a scalar link.

    Subclasses set ``name``, ``mean_range`` (the open interval μ lives in),
    ``canonical_link_name``, ``offered_links`` (the links R's family documents),
    ``estimates_scale`` (True when φ is estimated, as for the Normal and Gamma)
    and the formulas.

    Introduced in 02_exponential_family (links in 03_anatomy_of_a_glm).
    """

    mean_range: tuple[float, float] = (-np.inf, np.inf)
    canonical_link_name = "identity"
    estimates_scale = False
    offered_links: tuple[str, ...] = ("identity",)

    def variance_prime(self, mu):
        """dV/dμ, used by Newton's method with a non-canonical link."""
        raise NotImplementedError

    @property
    def canonical_link(self) -> Link:
        """The link g with g(μ) = Ψ(μ) (up to sign for the Gamma)."""
        return get_link(self.canonical_link_name)

    def valid_links(self) -> list[str]:
        """Names of the links this family offers: those R's family documents for it."""
        return [name for name in link_names() if name in self.offered_links]

    def check_link(self, link: Link | str) -> Link:
        """Return the Link, or raise ValueError when the family does not offer it."""
        link = link if isinstance(link, Link) else get_link(link)
        if link.name == self.canonical_link.name or link.name in self.offered_links:
            return link
        low, high = self.mean_range
        if not link.accepts(low, high):
            reason = (f"the {link.name} link ({link.formula}) is defined only for μ in "
                      f"({link.mu_domain[0]:g}, {link.mu_domain[1]:g}), but a {self.name} mean "
                      f"can be anywhere in ({low:g}, {high:g})")
        else:
            reason = f"the {link.name} link is not offered for the {self.name} family"
        raise ValueError(f"{reason}; use one of the links {', '.join(self.valid_links())}")

    # -- what a GLM fit needs to know about the family (R's family$initialize) --------
    def fit_response(self, y):
        """(response on the μ scale, per-observation weight multiplier) for IRLS."""
        y = _as_float(y)
        return y, np.ones_like(y)

    def starting_mu(self, y_fit, weights):
        """A starting mean for IRLS computed from the data (R's ``mustart``)."""
        return _as_float(y_fit).copy()

    def loglik_dispersion(self, deviance, weights) -> float:
        """The φ at which R's ``logLik`` evaluates a fitted GLM: 1 for families without a
        dispersion; Normal and Gamma override it."""
        return 1.0

    def restricted_to(self, rows) -> ScalarFamily:
        """The family for a subset of the observations (the same one unless it holds a
        parameter per observation, as Binomial(trials=array) does)."""
        return self

    def is_valid_mu(self, mu) -> bool:
        """True when every μ is finite and inside the mean range or on its edge."""
        low, high = self.mean_range
        smallest, largest = np.min(mu), np.max(mu)  # NaN propagates and fails both tests
        return bool(low <= smallest and largest <= high and np.isfinite(largest - smallest))


class Normal(ScalarFamily):
    """y ~ N(μ, φ): h(y) = e^{−y²/2}/√(2π), T(y) = y, θ = μ, A(θ) = θ²/2, V(μ) = 1.

    ``loglik`` treats weights as R's ``glm`` does: y ~ N(μ, φ / w). Links: identity
    (canonical), log and inverse, as R's ``gaussian``.
    Introduced in 01_linear_regression (as a GLM in 02_exponential_family).
    """

    name = "Normal"
    canonical_link_name = "identity"
    offered_links = ("identity", "log", "inverse")
    estimates_scale = True
    is_discrete = False
    support_text = "any real number"

    def log_h(self, y):
        y = _as_float(y)
        return -0.5 * y**2 - _HALF_LOG_2PI

    def log_partition(self, theta):
        return 0.5 * _as_float(theta) ** 2

    def mean(self, theta):
        return _as_float(theta)

    def psi(self, mu):
        return _as_float(mu)

    def variance(self, mu):
        return np.ones_like(_as_float(mu))

    def variance_prime(self, mu):
        return np.zeros_like(_as_float(mu))

    def loglik_obs(self, y, mu, scale=1.0):
        resid = _as_float(y) - _as_float(mu)
        return -0.5 * (np.log(2 * np.pi * scale) + resid**2 / scale)

    def loglik(self, y, mu, scale=1.0, weights=None) -> float:
        w = np.broadcast_to(self._weights(weights, y), np.shape(y))
        resid = _as_float(y) - _as_float(mu)
        variance = scale / w
        return float(np.sum(-0.5 * (np.log(2 * np.pi * variance) + resid**2 / variance)))

    def unit_deviance(self, y, mu):
        return (_as_float(y) - _as_float(mu)) ** 2

    def loglik_dispersion(self, deviance, weights) -> float:
        """R's gaussian logLik: φ = D/n, n the observations with positive weight."""
        return float(deviance / np.sum(_as_float(weights) > 0))

    def sample(self, mu, rng=None, scale=1.0):
        rng = np.random.default_rng(rng)
        return rng.normal(_as_float(mu), np.sqrt(scale))


class _SuccessesInTrials(ScalarFamily):
    """y successes out of n trials with success probability μ: the shared part of
    Bernoulli (n = 1) and Binomial(n).

    h(y) = C(n, y), T(y) = y, θ = log(μ/(1−μ)), A(θ) = n·log(1 + e^θ). As in R the
    GLM's mean is the success probability μ: ``mean(θ)`` returns A'(θ)/n,
    ``variance(μ)`` is μ(1 − μ) per trial, IRLS works on the proportion y/n with
    weights n, and ``predict`` returns μ.

    Introduced in 02_exponential_family; the GLM is logistic regression (05).
    """

    mean_range = (0.0, 1.0)
    canonical_link_name = "logit"
    offered_links = ("logit", "probit", "cloglog", "log", "identity")
    trials = 1

    def log_h(self, y):
        n, y = self.trials, _as_float(y)
        return special.gammaln(n + 1.0) - special.gammaln(y + 1.0) - special.gammaln(n - y + 1.0)

    def log_partition(self, theta):
        return self.trials * np.logaddexp(0.0, _as_float(theta))

    def mean(self, theta):
        return special.expit(_as_float(theta))

    def psi(self, mu):
        return special.logit(_as_float(mu))

    def variance(self, mu):
        mu = _as_float(mu)
        return mu * (1.0 - mu)

    def variance_prime(self, mu):
        return 1.0 - 2.0 * _as_float(mu)

    def loglik_obs(self, y, mu, scale=1.0):
        """log C(n, y) + y log μ + (n − y) log(1 − μ), by Loader's saddle-point form for
        0 < y < n (no cancellation when n is large)."""
        y, mu = np.broadcast_arrays(_as_float(y), _as_float(mu))
        n = np.broadcast_to(_as_float(self.trials), y.shape)
        inside = (y > 0) & (y < n)
        y_in = np.where(inside, y, 1.0)
        n_in = np.where(inside, n, 2.0)
        with np.errstate(divide="ignore"):
            log_stirling = (stirling_remainder(n_in) - stirling_remainder(y_in)
                            - stirling_remainder(n_in - y_in)
                            - poisson_half_deviance(y_in, n_in * mu)
                            - poisson_half_deviance(n_in - y_in, n_in * (1.0 - mu)))
            spread = np.log(2.0 * np.pi) + np.log(y_in) + np.log1p(-y_in / n_in)
            edge = np.where(y == 0, n * np.log1p(-mu), n * np.log(mu))
        edge = np.where((y < 0) | (y > n), -np.inf, edge)  # outside the support
        return np.where(inside, log_stirling - 0.5 * spread, edge)

    def unit_deviance(self, y, mu):
        """2{y log(y/(nμ)) + (n − y) log((n − y)/(n(1 − μ)))}, the sum of two Poisson
        half-deviances (0 at μ = y/n, also on the edges μ = 0 and 1)."""
        y, mu = _as_float(y), _as_float(mu)
        n = _as_float(self.trials)
        return 2.0 * (poisson_half_deviance(y, n * mu)
                      + poisson_half_deviance(n - y, n * (1.0 - mu)))

    def sample(self, mu, rng=None, scale=1.0):
        rng = np.random.default_rng(rng)
        return rng.binomial(self.trials, _as_float(mu)).astype(float)

    def fit_response(self, y):
        y = _as_float(y)
        trials = np.broadcast_to(_as_float(self.trials), y.shape)
        return y / trials, trials.copy()

    def starting_mu(self, y_fit, weights):
        """R's binomial mustart: (n·y + ½)/(n + 1), strictly inside (0, 1)."""
        return (weights * y_fit + 0.5) / (weights + 1.0)


class Bernoulli(_SuccessesInTrials):
    """y ∈ {0, 1}: h(y) = 1, T(y) = y, θ = log(μ/(1−μ)), A(θ) = log(1 + e^θ), V(μ) = μ(1−μ).

    Introduced in 02_exponential_family; the GLM is logistic regression (05).
    """

    name = "Bernoulli"
    support_text = "0 or 1"

    def log_h(self, y):
        return np.zeros_like(_as_float(y))

    def loglik_obs(self, y, mu, scale=1.0):
        y, mu = _as_float(y), _as_float(mu)
        return special.xlogy(y, mu) + special.xlog1py(1.0 - y, -mu)

    def unit_deviance(self, y, mu):
        """d(y, μ) = −2 log μ for y = 1 and −2 log(1 − μ) for y = 0: the log-likelihood
        ratio to the saturated model, whose probability of each y is 1."""
        y, mu = _as_float(y), _as_float(mu)
        with np.errstate(divide="ignore"):
            return -2.0 * np.where(y == 1.0, np.log(mu), np.log1p(-mu))

    def validate(self, y):
        y = super().validate(y)
        bad = (y != 0) & (y != 1)
        if np.any(bad):
            raise ValueError(
                f"Bernoulli y must be 0 or 1, but {np.sum(bad)} values are not "
                f"(e.g. {y[bad][0]:g}); recode the classes as 0/1, or use Binomial(trials) "
                "for counts of successes"
            )
        return y


class Binomial(_SuccessesInTrials):
    """y successes out of n = ``trials``: h(y) = C(n, y), T(y) = y, θ = log(p/(1−p)),
    A(θ) = n·log(1 + e^θ).

    As in R, the GLM's mean μ is the success probability p: ``mean(θ)`` returns
    p = A'(θ)/n, ``variance(μ)`` is p(1 − p) per trial, links act on p and
    ``predict`` returns p. The number of trials is the exogenous parameter the
    family holds (an int, or an array with one entry per observation).

    Introduced in 02_exponential_family.
    """

    name = "Binomial"
    support_text = "whole numbers from 0 to the number of trials"

    def __init__(self, trials=1):
        trials_array = _as_float(trials)
        if (
            trials_array.size == 0
            or not np.all(np.isfinite(trials_array))
            or np.any(trials_array < 1)
            or not _is_integer_valued(trials_array)
        ):
            raise ValueError(
                f"Binomial trials must be whole numbers ≥ 1, got {trials!r}; pass the number "
                "of trials per observation, e.g. Binomial(6) or Binomial(n_array)"
            )
        self.trials = int(trials_array) if trials_array.ndim == 0 else trials_array.astype(np.int64)

    def validate(self, y):
        y = super().validate(y)
        if np.ndim(self.trials) == 0:
            trials = np.broadcast_to(self.trials, y.shape)
        elif np.shape(self.trials) != y.shape:
            raise ValueError(
                f"Binomial trials has shape {np.shape(self.trials)} but y has shape "
                f"{y.shape}; give one number of trials per observation (or a single int)"
            )
        else:
            trials = self.trials
        bad = (y < 0) | (y != np.floor(y))
        if np.any(bad):
            raise ValueError(
                f"Binomial y counts successes, so it must be a whole number ≥ 0; "
                f"{np.sum(bad)} values are not (e.g. {y[bad][0]:g})"
            )
        over = y > trials
        if np.any(over):
            raise ValueError(
                f"successes exceed trials at {np.sum(over)} observations (e.g. y={y[over][0]:g} "
                f"out of {trials[over][0]:g}); y must be the number of successes, not failures "
                "or a total"
            )
        return y

    def restricted_to(self, rows) -> Binomial:
        return self if np.ndim(self.trials) == 0 else Binomial(self.trials[rows])

    def description(self) -> str:
        if np.ndim(self.trials) == 0:
            return f"Binomial(trials={self.trials})"
        return f"Binomial(trials=array of {np.size(self.trials)})"

    def __repr__(self) -> str:
        if np.ndim(self.trials) == 0:
            return f"Binomial({self.trials})"
        return f"Binomial(trials={np.asarray(self.trials).tolist()!r})"


class Poisson(ScalarFamily):
    """y ∈ {0, 1, 2, …}: h(y) = 1/y!, T(y) = y, θ = log μ, A(θ) = e^θ, V(μ) = μ.

    Introduced in 02_exponential_family; the GLM is lesson 04.
    """

    name = "Poisson"
    mean_range = (0.0, np.inf)
    canonical_link_name = "log"
    offered_links = ("log", "identity", "sqrt")
    support_text = "whole numbers 0, 1, 2, …"

    def log_h(self, y):
        return -special.gammaln(_as_float(y) + 1.0)

    def log_partition(self, theta):
        return np.exp(_as_float(theta))

    def mean(self, theta):
        return np.exp(_as_float(theta))

    def psi(self, mu):
        return np.log(_as_float(mu))

    def variance(self, mu):
        return _as_float(mu)

    def variance_prime(self, mu):
        return np.ones_like(_as_float(mu))

    def loglik_obs(self, y, mu, scale=1.0):
        """y log μ − μ − log y!, as −½ log(2πy) − δ(y) − [y log(y/μ) − (y − μ)] for y > 0
        (Loader's form: exact for counts in the millions) and −μ for y = 0."""
        y, mu = np.broadcast_arrays(_as_float(y), _as_float(mu))
        positive = y > 0
        y_pos = np.where(positive, y, 1.0)
        stirling = -0.5 * np.log(2.0 * np.pi * y_pos) - stirling_remainder(y_pos)
        return np.where(positive, stirling, 0.0) - poisson_half_deviance(y, mu)

    def unit_deviance(self, y, mu):
        return 2.0 * poisson_half_deviance(y, mu)

    def sample(self, mu, rng=None, scale=1.0):
        rng = np.random.default_rng(rng)
        return rng.poisson(_as_float(mu)).astype(float)

    def validate(self, y):
        y = super().validate(y)
        _check_counts(y, self.name)
        return y

    def starting_mu(self, y_fit, weights):
        return y_fit + 0.1


class Gamma(ScalarFamily):
    """y > 0 with shape 1/φ: at φ = 1, h(y) = 1, T(y) = y, θ = −1/μ, A(θ) = −log(−θ),
    V(μ) = μ².

    The canonical link is the inverse link 1/μ, which equals −θ (R and
    statsmodels use the same sign convention). ``loglik`` uses R's convention
    Σ wᵢ log p(yᵢ | μᵢ, shape 1/φ).

    Introduced in 02_exponential_family.
    """

    name = "Gamma"
    mean_range = (0.0, np.inf)
    canonical_link_name = "inverse"
    offered_links = ("inverse", "identity", "log")
    estimates_scale = True
    is_discrete = False
    support_text = "positive real numbers"

    def log_h(self, y):
        return np.zeros_like(_as_float(y))

    def log_partition(self, theta):
        return -np.log(-_as_float(theta))

    def mean(self, theta):
        return -1.0 / _as_float(theta)

    def psi(self, mu):
        return -1.0 / _as_float(mu)

    def variance(self, mu):
        return _as_float(mu) ** 2

    def variance_prime(self, mu):
        return 2.0 * _as_float(mu)

    def loglik_obs(self, y, mu, scale=1.0):
        """log p(y | μ, shape a = 1/φ) = a log(a y/μ) − a y/μ − log Γ(a) − log y, written
        as ½ log(a/2π) − δ(a) − a·d(y, μ)/2 − log y so it stays exact as φ → 0."""
        y, mu = _as_float(y), _as_float(mu)
        shape = 1.0 / _as_float(scale)
        return (0.5 * np.log(shape) - _HALF_LOG_2PI - stirling_remainder(shape)
                - 0.5 * shape * self.unit_deviance(y, mu) - np.log(y))

    def unit_deviance(self, y, mu):
        """2{(y − μ)/μ − log(y/μ)} = 2·(r − log(1 + r)) with r = (y − μ)/μ."""
        y, mu = _as_float(y), _as_float(mu)
        return 2.0 * relative_log_gap((y - mu) / mu)

    def loglik_dispersion(self, deviance, weights) -> float:
        """R's Gamma logLik: φ = D/Σw."""
        return float(deviance / np.sum(_as_float(weights)))

    def sample(self, mu, rng=None, scale=1.0):
        rng = np.random.default_rng(rng)
        return rng.gamma(1.0 / scale, _as_float(mu) * scale)

    def validate(self, y):
        y = super().validate(y)
        bad = y <= 0
        if np.any(bad):
            raise ValueError(
                f"Gamma y must be positive, but {np.sum(bad)} values are ≤ 0 "
                f"(e.g. {y[bad][0]:g}); model zeros with another family (e.g. Poisson for counts)"
            )
        return y


class NegativeBinomial(ScalarFamily):
    """Counts with Var y = μ + αμ², α fixed exogenously (the essay's "parameter in Ψ").

    With r = 1/α: h(y) = Γ(y + r)/(Γ(r)·y!), T(y) = y, θ = log(αμ/(1 + αμ)) < 0,
    A(θ) = −r·log(1 − e^θ), V(μ) = μ + αμ².

    The canonical link log(αμ/(1 + αμ)) forces η < 0, so ``default_link`` is
    the log link, as in R's ``MASS::glm.nb`` and statsmodels; the canonical
    link is still available as ``canonical_link``. As α → 0 the log-likelihood
    tends to the Poisson one.

    Introduced in 08_overdispersion.
    """

    name = "NegativeBinomial"
    mean_range = (0.0, np.inf)
    canonical_link_name = "nb_canonical"
    offered_links = ("log", "sqrt", "identity")
    support_text = "whole numbers 0, 1, 2, …"

    def __init__(self, alpha=1.0):
        if not (isinstance(alpha, (int, float, np.integer, np.floating))
                and np.isfinite(alpha) and alpha > 0):
            raise ValueError(
                f"NegativeBinomial alpha must be a positive number (Var y = μ + αμ²), "
                f"got {alpha!r}; alpha near 0 is close to Poisson"
            )
        self.alpha = float(alpha)

    @property
    def canonical_link(self) -> Link:
        alpha = self.alpha
        return Link(
            "nb_canonical", f"g(μ) = log(αμ / (1 + αμ)), α = {alpha:g}", (0.0, np.inf),
            g=lambda mu: np.log(alpha * mu / (1.0 + alpha * mu)),
            g_inv=lambda eta: -np.exp(eta) / (alpha * np.expm1(eta)),
            g_prime=lambda mu: 1.0 / (mu * (1.0 + alpha * mu)),
            mu_eta=lambda eta: np.exp(eta) / (alpha * np.expm1(eta) ** 2),
            g_second=lambda mu: -(1.0 + 2.0 * alpha * mu) / (mu * (1.0 + alpha * mu)) ** 2,
            limits=(0.0, np.inf),
        )

    @property
    def default_link(self) -> Link:
        return get_link("log")

    def log_h(self, y):
        y, r = _as_float(y), 1.0 / self.alpha
        return special.gammaln(y + r) - special.gammaln(r) - special.gammaln(y + 1.0)

    def log_partition(self, theta):
        return -np.log(-np.expm1(_as_float(theta))) / self.alpha

    def mean(self, theta):
        theta = _as_float(theta)
        return -np.exp(theta) / (self.alpha * np.expm1(theta))

    def psi(self, mu):
        alpha_mu = self.alpha * _as_float(mu)
        return np.log(alpha_mu) - np.log1p(alpha_mu)

    def variance(self, mu):
        mu = _as_float(mu)
        return mu + self.alpha * mu**2

    def variance_prime(self, mu):
        return 1.0 + 2.0 * self.alpha * _as_float(mu)

    def loglik_obs(self, y, mu, scale=1.0):
        """The Poisson log p(y | μ) plus what over-dispersion changes,

            r·(αμ − log(1 + αμ)) − y·log(1 + αμ) + b(y, r),
            b(y, r) = log Γ(y + r) − log Γ(r) − y log r
                    = −r·(u − log(1 + u)) + (y − ½)·log(1 + u) + δ(y + r) − δ(r),  u = y/r,

        each term → 0 as α = 1/r → 0, so the limit is the Poisson log-likelihood."""
        y, mu = np.broadcast_arrays(_as_float(y), _as_float(mu))
        r, alpha_mu = 1.0 / self.alpha, self.alpha * mu
        u = y / r
        gap = (-r * relative_log_gap(u) + (y - 0.5) * np.log1p(u)
               + stirling_remainder(y + r) - stirling_remainder(r))
        return (Poisson().loglik_obs(y, mu) + r * relative_log_gap(alpha_mu)
                - y * np.log1p(alpha_mu) + gap)

    def unit_deviance(self, y, mu):
        """2{y log(y/μ) − (y + r)·log((1 + αy)/(1 + αμ))}, written as the Poisson unit
        deviance plus terms of order α: with s = α(y − μ)/(1 + αμ),
        d = 2{y log(y/μ) − (y − μ)} − 2α(y − μ)²/(1 + αμ) + 2(y + r)(s − log(1 + s))."""
        y, mu = _as_float(y), _as_float(mu)
        alpha, r = self.alpha, 1.0 / self.alpha
        s = alpha * (y - mu) / (1.0 + alpha * mu)
        return 2.0 * (poisson_half_deviance(y, mu) - alpha * (y - mu) ** 2 / (1.0 + alpha * mu)
                      + (y + r) * relative_log_gap(s))

    def sample(self, mu, rng=None, scale=1.0):
        rng = np.random.default_rng(rng)
        r = 1.0 / self.alpha
        return rng.negative_binomial(r, 1.0 / (1.0 + self.alpha * _as_float(mu))).astype(float)

    def validate(self, y):
        y = super().validate(y)
        _check_counts(y, self.name)
        return y

    def starting_mu(self, y_fit, weights):
        return y_fit + 0.1

    def description(self) -> str:
        return f"NegativeBinomial(alpha={self.alpha:g})"

    def __repr__(self) -> str:
        return f"NegativeBinomial(alpha={self.alpha!r})"


def _exp_gap(x):
    """e^x − 1 − x ≥ 0, accurate for small |x| (as r − log(1 + r) with r = e^x − 1)."""
    x = _as_float(x)
    with np.errstate(over="ignore"):
        grown = np.expm1(x)
    return np.where(np.abs(x) < 1.0, relative_log_gap(grown), grown - x)


class Tweedie(ScalarFamily):
    """Compound Poisson–Gamma responses (1 < p < 2): exact zeros and positive amounts.

    y = Σ_{k=1}^{N} G_k with N ~ Poisson(λ) and G_k ~ Gamma(shape (2 − p)/(p − 1),
    scale φ(p − 1)μ^{p−1}), λ = μ^{2−p}/(φ(2 − p)); y = 0 when N = 0. In the notes'
    symbols, with ``power`` p and dispersion φ,

        p(y) = a(y, φ) · exp{(y θ − A(θ))/φ},   T(y) = y,
        θ = Ψ(μ) = μ^{1−p}/(1 − p) < 0,   A(θ) = ((1 − p)θ)^{(2−p)/(1−p)}/(2 − p) = μ^{2−p}/(2 − p),
        μ = A'(θ) = ((1 − p)θ)^{1/(1−p)},   V(μ) = A''(θ) = μ^p,

    so Var y = φ μ^p and P(y = 0) = exp{−μ^{2−p}/(φ(2 − p))}. The base measure
    h(y) = a(y, 1) is taken with respect to a point mass at 0 plus Lebesgue measure on
    y > 0: a(0, φ) = 1, and for y > 0 it has no closed form but Dunn & Smyth's (2005)
    series (see :meth:`log_series`).

    The default link is log (as in R's ``statmod::tweedie`` and statsmodels); the
    canonical link g(μ) = μ^{1−p}/(1 − p) (η < 0) is available as ``canonical_link``,
    and the log, identity, inverse and sqrt links (statmod's ``link.power`` 0, 1, −1, ½)
    are offered. Like the Gamma, φ is estimated (Pearson χ²/df); ``fit``'s ``loglik``
    is evaluated at φ = D/Σw, the choice of R's ``tweedie::AICtweedie``.

    Introduced in 11_positive_responses.
    """

    name = "Tweedie"
    mean_range = (0.0, np.inf)
    canonical_link_name = "tweedie_canonical"
    offered_links = ("log", "identity", "inverse", "sqrt")
    estimates_scale = True
    is_discrete = False
    support_text = "zero or a positive real number"

    def __init__(self, power=1.5):
        if not (isinstance(power, (int, float, np.integer, np.floating))
                and not isinstance(power, bool) and 1.0 < power < 2.0):
            raise ValueError(
                f"Tweedie power must be a number strictly between 1 and 2 (V(μ) = μ^power: "
                f"compound Poisson–Gamma), got {power!r}; power 1 is Poisson() and 2 is Gamma()"
            )
        self.power = float(power)

    @property
    def canonical_link(self) -> Link:
        p = self.power
        return Link(
            "tweedie_canonical", f"g(μ) = μ^(1−p)/(1−p), p = {p:g}", (0.0, np.inf),
            g=lambda mu: mu ** (1.0 - p) / (1.0 - p),
            g_inv=lambda eta: ((1.0 - p) * eta) ** (1.0 / (1.0 - p)),
            g_prime=lambda mu: mu ** (-p),
            mu_eta=lambda eta: ((1.0 - p) * eta) ** (p / (1.0 - p)),
            g_second=lambda mu: -p * mu ** (-p - 1.0),
            limits=(0.0, np.inf),
        )

    @property
    def default_link(self) -> Link:
        return get_link("log")

    # -- exponential-family form ------------------------------------------------------
    def log_h(self, y):
        """log a(y, 1): 0 at y = 0, Dunn & Smyth's series for y > 0."""
        y = _as_float(y)
        positive = y > 0
        log_a = np.zeros_like(y)
        if np.any(positive):
            log_a[positive] = self.log_series(y[positive], 1.0)
        return log_a

    def log_partition(self, theta):
        p = self.power
        return ((1.0 - p) * _as_float(theta)) ** ((2.0 - p) / (1.0 - p)) / (2.0 - p)

    def mean(self, theta):
        p = self.power
        return ((1.0 - p) * _as_float(theta)) ** (1.0 / (1.0 - p))

    def psi(self, mu):
        p = self.power
        return _as_float(mu) ** (1.0 - p) / (1.0 - p)

    def variance(self, mu):
        return _as_float(mu) ** self.power

    def variance_prime(self, mu):
        return self.power * _as_float(mu) ** (self.power - 1.0)

    # -- likelihood and deviance ----------------------------------------------------------
    def log_series(self, y, scale):
        """log a(y, φ) for y > 0 by Dunn & Smyth's (2005) series,

            a(y, φ) = (1/y) Σ_{j≥1} W_j,   W_j = z^j / (j! Γ(−jα)),   α = (2 − p)/(1 − p) < 0,
            z = (p − 1)^α / ((2 − p) · y^α · φ^{1−α}),

        summed in logs around its largest term (near j = y^{2−p}/(φ(2 − p)); log W_j is
        concave in j) until the terms fall below e^{−37} of it on both sides. The sum
        is Wright's generalised Bessel function Φ(−α, 0; z), which
        ``scipy.special.log_wright_bessel`` (SciPy ≥ 1.14) also evaluates; the series is
        written here because it is what lesson 11 teaches.
        """
        p = self.power
        y, scale = np.broadcast_arrays(_as_float(y), _as_float(scale))
        y, scale = y.ravel(), scale.ravel()
        alpha = (2.0 - p) / (1.0 - p)
        log_z = (alpha * np.log(p - 1.0) - np.log(2.0 - p) - alpha * np.log(y)
                 - (1.0 - alpha) * np.log(scale))

        def log_term(j, rows=slice(None)):
            return j * log_z[rows] - special.gammaln(j + 1.0) - special.gammaln(-j * alpha)

        peak = np.maximum(1.0, np.round(y ** (2.0 - p) / (scale * (2.0 - p))))
        log_peak = log_term(peak)
        low, high = peak.copy(), peak.copy()
        reach = np.ones_like(peak)
        for _ in range(64):  # double the reach until the terms at both ends are negligible
            low_done = (low <= 1.0) | (log_term(low) < log_peak - 37.0)
            high_done = log_term(high) < log_peak - 37.0
            if np.all(low_done & high_done):
                break
            low = np.where(low_done, low, np.maximum(1.0, peak - reach))
            high = np.where(high_done, high, peak + reach)
            reach *= 2.0
        counts = (high - low + 1.0).astype(np.int64)
        total = np.empty(y.size)
        # the terms of all observations side by side, about 4 million at a time
        block = (np.cumsum(counts) - counts) // _SERIES_BLOCK
        for rows in np.split(np.arange(y.size), np.flatnonzero(np.diff(block)) + 1):
            owner = np.repeat(rows, counts[rows])
            starts = np.cumsum(counts[rows]) - counts[rows]
            j = low[owner] + (np.arange(owner.size) - starts[owner - rows[0]])
            terms = np.exp(log_term(j, owner) - log_peak[owner])
            total[rows] = np.bincount(owner - rows[0], weights=terms, minlength=rows.size)
        return (log_peak + np.log(total) - np.log(y)).reshape(np.shape(y))

    def loglik_obs(self, y, mu, scale=1.0):
        """log p(y | μ, φ) = log a(y, φ) + (y θ − A(θ))/φ, with log a(0, φ) = 0, so
        log P(y = 0) = −μ^{2−p}/(φ(2 − p))."""
        p = self.power
        y, mu, scale = np.broadcast_arrays(_as_float(y), _as_float(mu), _as_float(scale))
        with np.errstate(divide="ignore", invalid="ignore"):
            y_theta = np.where(y > 0, y * mu ** (1.0 - p) / (1.0 - p), 0.0)  # 0·θ = 0 at μ = 0
        exponent = (y_theta - mu ** (2.0 - p) / (2.0 - p)) / scale
        log_a = np.zeros(y.shape)
        positive = y > 0
        if np.any(positive):
            log_a[positive] = self.log_series(y[positive], scale[positive])
        return log_a + exponent

    def unit_deviance(self, y, mu):
        """d(y, μ) = 2{y^{2−p}/((1−p)(2−p)) − y μ^{1−p}/(1−p) + μ^{2−p}/(2−p)}, and
        2μ^{2−p}/(2−p) at y = 0. For y > 0, with u = log(μ/y) and G(x) = eˣ − 1 − x ≥ 0,
        it is 2y^{2−p}{G((2−p)u)/(2−p) + G((1−p)u)/(p−1)}: two non-negative terms, so
        nothing cancels when μ is close to y."""
        p = self.power
        y, mu = np.broadcast_arrays(_as_float(y), _as_float(mu))
        positive = y > 0
        y_pos = np.where(positive, y, 1.0)
        with np.errstate(divide="ignore"):
            u = np.log(mu) - np.log(y_pos)
        inside = y_pos ** (2.0 - p) * (_exp_gap((2.0 - p) * u) / (2.0 - p)
                                       + _exp_gap((1.0 - p) * u) / (p - 1.0))
        return 2.0 * np.where(positive, inside, mu ** (2.0 - p) / (2.0 - p))

    def loglik_dispersion(self, deviance, weights) -> float:
        """φ = D/Σw, the dispersion R's ``tweedie::AICtweedie`` evaluates the density at."""
        return float(deviance / np.sum(_as_float(weights)))

    def sample(self, mu, rng=None, scale=1.0):
        """N ~ Poisson(μ^{2−p}/(φ(2−p))), then y ~ Gamma(N(2−p)/(p−1), φ(p−1)μ^{p−1})
        (a sum of N Gamma draws; y = 0 when N = 0)."""
        rng = np.random.default_rng(rng)
        p = self.power
        mu = _as_float(mu)
        counts = rng.poisson(mu ** (2.0 - p) / (scale * (2.0 - p)))
        shape = counts * (2.0 - p) / (p - 1.0)
        amounts = rng.gamma(np.where(counts > 0, shape, 1.0), scale * (p - 1.0) * mu ** (p - 1.0))
        return np.where(counts > 0, amounts, 0.0)

    def validate(self, y):
        y = super().validate(y)
        bad = y < 0
        if np.any(bad):
            raise ValueError(
                f"Tweedie y must be ≥ 0 (exact zeros and positive amounts), but {np.sum(bad)} "
                f"values are negative (e.g. {y[bad][0]:g}); a negative amount usually means a "
                "refund or a transformed response"
            )
        return y

    def starting_mu(self, y_fit, weights):
        """statmod's tweedie mustart: y, with 0.1 in place of a zero."""
        y_fit = _as_float(y_fit)
        return y_fit + 0.1 * (y_fit == 0)

    def description(self) -> str:
        return f"Tweedie(power={self.power:g})"

    def __repr__(self) -> str:
        return f"Tweedie(power={self.power!r})"


_FAMILY_NAMES = {
    "normal": Normal,
    "gaussian": Normal,
    "bernoulli": Bernoulli,
    "binomial": Binomial,
    "poisson": Poisson,
    "gamma": Gamma,
    "negative_binomial": NegativeBinomial,
    "negativebinomial": NegativeBinomial,
    "tweedie": Tweedie,
}


def family_names() -> list[str]:
    """The names ``get_family`` accepts."""
    return list(_FAMILY_NAMES)


def get_family(family: Family | str) -> Family:
    """Return a Family given an instance or a name such as ``"poisson"``.

    Names give the default parameters: ``"binomial"`` is Binomial(1) and
    ``"negative_binomial"`` is NegativeBinomial(alpha=1).

    Raises:
        ValueError: for an unknown name, listing the names that exist.

    Introduced in 03_anatomy_of_a_glm.
    """
    if isinstance(family, Family):
        return family
    if isinstance(family, type) and issubclass(family, Family):
        return family()
    if isinstance(family, str) and family.lower() in _FAMILY_NAMES:
        return _FAMILY_NAMES[family.lower()]()
    raise ValueError(
        f"unknown family {family!r}: use a glmlesson family such as Poisson() or one of "
        f"the names {', '.join(repr(n) for n in _FAMILY_NAMES)}"
    )


class Categorical(Family):
    """One of k classes: the exponential family with a VECTOR sufficient statistic.

    y is a class label 0, 1, …, k−1. In the notes' symbols:

    - h(y) = 1 and T(y) = one-hot vector e_y of length k;
    - θ = (θ_0, …, θ_{k−1}) with the reference class fixed at θ_{k−1} = 0, so θ
      has k − 1 free entries; p(y) = exp{T(y)·θ} / Z(θ);
    - A(θ) = log Z(θ) = log(1 + Σ_{j<k−1} e^{θ_j});
    - μ = ∇A(θ) = softmax(θ): the vector of class probabilities, E[T(y)];
    - Ψ(μ)_j = log μ_j − log μ_{k−1} for j < k − 1 (the bridge back from μ to θ);
    - Cov T(y) = ∇²A(θ) = diag(μ) − μμᵀ (``variance``; singular because Σ μ_j = 1).

    Identifiability: the symmetric form with k free entries, p(y) ∝ e^{θ_y}, is
    over-parametrised (adding the same c to every θ_j changes nothing). Fixing the
    last class at 0 picks one representative. The θ-functions accept both forms:
    an array whose last axis has k − 1 entries is in the reference form (a 0 is
    appended), one with k entries is used as given (symmetric form).

    Canonical link: g = Ψ, so μ = softmax(xᵀβ_0, …, xᵀβ_{k−2}, 0) and β is a
    p × (k − 1) matrix. ``glmlesson.fit(X, y, Categorical(k))`` fits it by
    Newton's method (see :mod:`glmlesson.multinomial`).

    Introduced in 10_softmax_regression.
    """

    name = "Categorical"
    support_text = "class labels 0, 1, …, k − 1"
    multivariate = True  # T(y), θ and μ are vectors: fit dispatches to fit_softmax

    def __init__(self, k):
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
            raise ValueError(
                f"Categorical needs the number of classes k as a whole number ≥ 2, got {k!r}; "
                "e.g. Categorical(3) for three species"
            )
        self.k = int(k)

    # -- exponential-family form --------------------------------------------------
    def _full_theta(self, theta):
        theta = _as_float(theta)
        size = theta.shape[-1] if theta.ndim else 1
        if size == self.k - 1:
            return np.concatenate([theta, np.zeros(theta.shape[:-1] + (1,))], axis=-1)
        if size == self.k:
            return theta
        raise ValueError(
            f"θ for Categorical({self.k}) has {self.k - 1} entries (reference form, last "
            f"class fixed at 0) or {self.k} (symmetric form) along its last axis, got shape "
            f"{theta.shape}"
        )

    def log_h(self, y):
        return np.zeros(np.shape(y), dtype=float)

    def T(self, y):
        """T(y) = one-hot vector e_y: shape (..., k) for labels of shape (...)."""
        labels = self.validate(y).astype(np.int64)
        return np.eye(self.k)[labels]

    def log_partition(self, theta):
        """A(θ) = log Σ_j e^{θ_j} = log(1 + Σ_{j<k−1} e^{θ_j}) in the reference form."""
        return special.logsumexp(self._full_theta(theta), axis=-1)

    def mean(self, theta):
        """μ = softmax(θ) along the last axis (computed stably: the maximum is subtracted)."""
        return special.softmax(self._full_theta(theta), axis=-1)

    def psi(self, mu):
        """Ψ(μ)_j = log(μ_j / μ_{k−1}) for j = 0, …, k−2: θ in the reference form."""
        mu = self._check_probabilities(mu)
        return np.log(mu[..., :-1]) - np.log(mu[..., -1:])

    def variance(self, mu):
        """Cov T(y) = diag(μ) − μμᵀ: a k × k matrix per row of μ (shape (..., k, k))."""
        mu = self._check_probabilities(mu)
        return mu[..., :, None] * np.eye(self.k) - mu[..., :, None] * mu[..., None, :]

    def log_density(self, y, theta):
        """log p(y) = T(y)·θ − A(θ) (h = 1), θ in either form."""
        full = self._full_theta(theta)
        chosen = np.sum(self.T(y) * full, axis=-1)
        return chosen - special.logsumexp(full, axis=-1)

    # -- the GLM view -------------------------------------------------------------
    @property
    def canonical_link(self) -> SoftmaxLink:
        """The softmax link: g(μ) = Ψ(μ) (log-ratios to the last class), g⁻¹ = softmax."""
        return SoftmaxLink(self)

    def valid_links(self) -> list[str]:
        return ["softmax"]

    def check_link(self, link) -> SoftmaxLink:
        """Only the softmax link is offered (the canonical one)."""
        name = getattr(link, "name", link)
        if name != "softmax":
            raise ValueError(
                f"the Categorical family is fitted with its canonical softmax link only, "
                f"got {name!r}; leave link=None"
            )
        return self.canonical_link

    def loglik_obs(self, y, mu, scale=1.0):
        """log μ_{i, yᵢ}: the log-probability each row gives its own class."""
        labels = self.validate(y).astype(np.int64)
        mu = self._check_probabilities(mu)
        if mu.shape != labels.shape + (self.k,):
            raise ValueError(
                f"μ must have shape {labels.shape + (self.k,)} (one probability vector per "
                f"label), got {mu.shape}"
            )
        chosen = np.take_along_axis(mu, labels[..., None], axis=-1)[..., 0]
        return np.log(chosen)

    def unit_deviance(self, y, mu):
        """d(y, μ) = −2 log μ_y (the saturated model gives each label probability 1)."""
        return -2.0 * self.loglik_obs(y, mu)

    def sample(self, mu, rng=None, scale=1.0):
        """One label per probability vector (rows of ``mu``)."""
        rng = np.random.default_rng(rng)
        mu = self._check_probabilities(mu)
        cumulative = np.cumsum(mu, axis=-1)
        draws = rng.random(mu.shape[:-1])[..., None]
        return np.minimum(np.sum(draws >= cumulative, axis=-1), self.k - 1).astype(float)

    def validate(self, y):
        """Labels as floats; ValueError unless they are whole numbers 0, …, k−1."""
        try:
            y = _as_float(y)
        except (TypeError, ValueError):
            raise ValueError(
                f"Categorical y must be class labels 0, …, {self.k - 1} (whole numbers), got "
                f"{np.asarray(y).dtype} values; turn names into labels with "
                "np.unique(names, return_inverse=True)"
            ) from None
        y = super().validate(y)
        bad = (y < 0) | (y >= self.k) | (y != np.floor(y))
        if np.any(bad):
            raise ValueError(
                f"Categorical({self.k}) y must be class labels 0, …, {self.k - 1}; "
                f"{np.sum(bad)} values are not (e.g. {y[bad][0]:g}); labels start at 0, "
                "and k must count every class"
            )
        return y

    def description(self) -> str:
        return f"Categorical(k={self.k})"

    def __repr__(self) -> str:
        return f"Categorical({self.k})"

    def _check_probabilities(self, mu):
        mu = _as_float(mu)
        if mu.ndim == 0 or mu.shape[-1] != self.k:
            raise ValueError(
                f"μ for Categorical({self.k}) is a probability vector of length {self.k} "
                f"along its last axis, got shape {mu.shape}"
            )
        return mu


class SoftmaxLink:
    """The canonical link of Categorical(k), a map between vectors: η = g(μ) = Ψ(μ) with
    η_j = log(μ_j / μ_{k−1}), and μ = g⁻¹(η) = softmax(η_0, …, η_{k−2}, 0).

    Its derivative is a matrix, the Jacobian dμ/dη = diag(μ) − μμᵀ (the classes
    without the reference), which :mod:`glmlesson.multinomial` uses.

    Introduced in 10_softmax_regression.
    """

    name = "softmax"

    def __init__(self, family: Categorical):
        self.family = family
        last = family.k - 1
        self.formula = f"g(μ)_j = log(μ_j / μ_{last}), j < {last}; g⁻¹(η) = softmax(η, 0)"

    def g(self, mu):
        """η = Ψ(μ): log-ratios of each class to the reference class."""
        return self.family.psi(mu)

    def g_inv(self, eta):
        """μ = softmax(η, 0) along the last axis."""
        return self.family.mean(eta)

    def jacobian(self, mu):
        """dμ/dη = diag(μ) − μμᵀ over the k − 1 non-reference classes, per row of μ."""
        mu = self.family._check_probabilities(mu)[..., :-1]
        return mu[..., :, None] * np.eye(mu.shape[-1]) - mu[..., :, None] * mu[..., None, :]

    def __repr__(self) -> str:
        return f"SoftmaxLink({self.formula})"
