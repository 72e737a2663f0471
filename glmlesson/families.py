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

Introduced in 02_exponential_family.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from glmlesson.links import Link, get_link, link_names

__all__ = [
    "Family",
    "Normal",
    "Bernoulli",
    "Binomial",
    "Poisson",
    "Gamma",
    "NegativeBinomial",
    "Categorical",
    "get_family",
    "family_names",
]

_EPS = np.finfo(float).eps


def _as_float(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _is_integer_valued(y: np.ndarray) -> bool:
    return bool(np.all(np.floor(y) == y))


class Family:
    """Base class: one exponential-family distribution with dispersion φ.

    Subclasses set ``name``, ``mean_range`` (the open interval μ lives in),
    ``canonical_link_name``, ``estimates_scale`` (True when φ is estimated,
    as for the Normal and Gamma) and the formulas.

    Introduced in 02_exponential_family.
    """

    name = "family"
    mean_range: tuple[float, float] = (-np.inf, np.inf)
    canonical_link_name = "identity"
    estimates_scale = False
    is_discrete = True
    support_text = ""
    offered_links: tuple[str, ...] = ("identity",)

    # -- exponential-family form ------------------------------------------------
    def h(self, y):
        """Base measure h(y)."""
        return np.exp(self.log_h(y))

    def log_h(self, y):
        """log h(y)."""
        raise NotImplementedError

    def T(self, y):
        """Sufficient statistic T(y) = y for every one-parameter family here."""
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

    def variance_prime(self, mu):
        """dV/dμ, used by Newton's method with a non-canonical link."""
        raise NotImplementedError

    def log_density(self, y, theta):
        """log p(y) = log h(y) + T(y)·θ − A(θ), elementwise, at φ = 1."""
        return self.log_h(y) + self.T(y) * _as_float(theta) - self.log_partition(theta)

    # -- the GLM view -----------------------------------------------------------
    @property
    def canonical_link(self) -> Link:
        """The link g with g(μ) = Ψ(μ) (up to sign for the Gamma)."""
        return get_link(self.canonical_link_name)

    @property
    def default_link(self) -> Link:
        """The link ``fit`` uses when none is given: the canonical one."""
        return self.canonical_link

    def valid_links(self) -> list[str]:
        """Names of the links this family offers (as R's glm does) whose domain covers
        the family's mean range."""
        return [
            name for name in link_names()
            if name in self.offered_links and get_link(name).accepts(*self.mean_range)
        ]

    def check_link(self, link: Link | str) -> Link:
        """Return the Link, or raise ValueError when it cannot map the mean range
        or is not one the family offers."""
        link = get_link(link)
        if link.name == self.canonical_link.name:
            return link
        if not link.accepts(*self.mean_range):
            low, high = self.mean_range
            raise ValueError(
                f"the {link.name} link ({link.formula}) is defined only for μ in "
                f"({link.mu_domain[0]:g}, {link.mu_domain[1]:g}), but a {self.name} mean can "
                f"be anywhere in ({low:g}, {high:g}); use one of the links "
                f"{', '.join(self.valid_links())}"
            )
        if link.name not in self.offered_links:
            raise ValueError(
                f"the {link.name} link is not offered for the {self.name} family (R's glm and "
                f"statsmodels do not offer it either); use one of the links "
                f"{', '.join(self.valid_links())}"
            )
        return link

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

    def fit_unit_deviance(self, y_fit, mu):
        """Unit deviance of the response returned by ``fit_response`` (same as
        ``unit_deviance`` except for the Binomial, whose fitting response is a proportion)."""
        return self.unit_deviance(y_fit, mu)

    def saturated_loglik(self, y, y_fit, weights=None) -> float:
        """ℓ of the saturated model (μ = y) at φ = 1: the reference the deviance measures from."""
        return self.loglik(y, y_fit, 1.0, weights)

    def deviance_function(self, y_fit, w_fit):
        """μ ↦ D = Σ wᵢ d(yᵢ, μᵢ) for one fit's (fixed) fitting response and weights.

        ``fit`` evaluates the deviance at every step; families override this to do
        the parts that do not depend on μ once (see Poisson).
        """
        return lambda mu: float(np.sum(w_fit * self.fit_unit_deviance(y_fit, mu)))

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

    # -- helpers for fitting ----------------------------------------------------
    def fit_response(self, y):
        """(response on the μ scale, per-observation weight multiplier) for IRLS."""
        return _as_float(y), np.ones_like(y, dtype=float)

    def starting_mu(self, y_fit, weights):
        """A valid starting mean for IRLS computed from the data (as R's ``mustart``)."""
        return _as_float(y_fit).copy()

    def clip_mu(self, mu):
        """Keep μ strictly inside the mean range where rounding would reach its edge."""
        return mu

    def is_valid_mu(self, mu) -> bool:
        """True when every μ is finite and inside the mean range or on its edge (an edge
        reached by rounding, e.g. expit(40) = 1.0, is clipped by ``clip_mu``)."""
        low, high = self.mean_range
        smallest, largest = np.min(mu), np.max(mu)  # NaN propagates and fails both tests
        return bool(low <= smallest and largest <= high and np.isfinite(largest - smallest))

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


class Normal(Family):
    """y ~ N(μ, φ): h(y) = e^{−y²/2}/√(2π), T(y) = y, θ = μ, A(θ) = θ²/2, V(μ) = 1.

    ``loglik`` treats weights as R's ``glm`` does: y ~ N(μ, φ / w).
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
        return -0.5 * y**2 - 0.5 * np.log(2 * np.pi)

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

    def sample(self, mu, rng=None, scale=1.0):
        rng = np.random.default_rng(rng)
        return rng.normal(_as_float(mu), np.sqrt(scale))


class Bernoulli(Family):
    """y ∈ {0, 1}: h(y) = 1, T(y) = y, θ = log(μ/(1−μ)), A(θ) = log(1 + e^θ), V(μ) = μ(1−μ).

    Introduced in 02_exponential_family; the GLM is logistic regression (05).
    """

    name = "Bernoulli"
    mean_range = (0.0, 1.0)
    canonical_link_name = "logit"
    offered_links = ("identity", "log", "logit", "probit", "cloglog")
    support_text = "0 or 1"

    def log_h(self, y):
        return np.zeros_like(_as_float(y))

    def log_partition(self, theta):
        return np.logaddexp(0.0, _as_float(theta))

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
        y, mu = _as_float(y), _as_float(mu)
        return special.xlogy(y, mu) + special.xlog1py(1.0 - y, -mu)

    def unit_deviance(self, y, mu):
        y, mu = _as_float(y), _as_float(mu)
        return 2.0 * (special.xlogy(y, y / mu) + special.xlogy(1.0 - y, (1.0 - y) / (1.0 - mu)))

    def fit_unit_deviance(self, y_fit, mu):
        """The same d(y, μ) for y ∈ {0, 1} (validated by fit): −2 log μ where y = 1 and
        −2 log(1 − μ) where y = 0, one log per row instead of two xlogy calls."""
        return -2.0 * np.log(np.where(y_fit == 1.0, mu, 1.0 - mu))

    def saturated_loglik(self, y, y_fit, weights=None) -> float:
        """0: with μ = y ∈ {0, 1} every observation has probability 1."""
        return 0.0

    def deviance_function(self, y_fit, w_fit):
        """D(μ) = −2 Σ w log(μ if y = 1 else 1 − μ): one log and one dot product."""
        ones = y_fit == 1.0
        return lambda mu: -2.0 * float(w_fit @ np.log(np.where(ones, mu, 1.0 - mu)))

    def sample(self, mu, rng=None, scale=1.0):
        rng = np.random.default_rng(rng)
        return rng.binomial(1, _as_float(mu)).astype(float)

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

    def starting_mu(self, y_fit, weights):
        return (weights * y_fit + 0.5) / (weights + 1.0)

    def clip_mu(self, mu):
        return np.clip(mu, _EPS, 1.0 - _EPS)


class Binomial(Bernoulli):
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

    def log_h(self, y):
        n, y = self.trials, _as_float(y)
        return special.gammaln(n + 1.0) - special.gammaln(y + 1.0) - special.gammaln(n - y + 1.0)

    def log_partition(self, theta):
        return self.trials * np.logaddexp(0.0, _as_float(theta))

    def loglik_obs(self, y, mu, scale=1.0):
        y, mu = _as_float(y), _as_float(mu)
        return self.log_h(y) + special.xlogy(y, mu) + special.xlog1py(self.trials - y, -mu)

    def unit_deviance(self, y, mu):
        y, mu, n = _as_float(y), _as_float(mu), self.trials
        return 2.0 * (special.xlogy(y, y / (n * mu)) + special.xlogy(n - y, (n - y) / (n - n * mu)))

    def sample(self, mu, rng=None, scale=1.0):
        rng = np.random.default_rng(rng)
        return rng.binomial(self.trials, _as_float(mu)).astype(float)

    def validate(self, y):
        y = Family.validate(self, y)
        trials = np.broadcast_to(self.trials, y.shape) if np.ndim(self.trials) == 0 else None
        if trials is None:
            if np.shape(self.trials) != y.shape:
                raise ValueError(
                    f"Binomial trials has shape {np.shape(self.trials)} but y has shape "
                    f"{y.shape}; give one number of trials per observation (or a single int)"
                )
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

    def fit_unit_deviance(self, y_fit, mu):
        return Bernoulli.unit_deviance(self, y_fit, mu)

    def deviance_function(self, y_fit, w_fit):
        # The fitting response is a proportion, not 0/1: the general form.
        return Family.deviance_function(self, y_fit, w_fit)

    def saturated_loglik(self, y, y_fit, weights=None) -> float:
        # log C(n, y) does not vanish: the general form.
        return Family.saturated_loglik(self, y, y_fit, weights)

    def fit_response(self, y):
        y = _as_float(y)
        trials = np.broadcast_to(_as_float(self.trials), y.shape)
        return y / trials, trials.copy()

    def description(self) -> str:
        if np.ndim(self.trials) == 0:
            return f"Binomial(trials={self.trials})"
        return f"Binomial(trials=array of {np.size(self.trials)})"

    def __repr__(self) -> str:
        if np.ndim(self.trials) == 0:
            return f"Binomial({self.trials})"
        return f"Binomial(trials={np.asarray(self.trials).tolist()!r})"


class Poisson(Family):
    """y ∈ {0, 1, 2, …}: h(y) = 1/y!, T(y) = y, θ = log μ, A(θ) = e^θ, V(μ) = μ.

    Introduced in 02_exponential_family; the GLM is lesson 04.
    """

    name = "Poisson"
    mean_range = (0.0, np.inf)
    canonical_link_name = "log"
    offered_links = ("identity", "log", "sqrt")
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
        y, mu = _as_float(y), _as_float(mu)
        return special.xlogy(y, mu) - mu - special.gammaln(y + 1.0)

    def unit_deviance(self, y, mu):
        y, mu = _as_float(y), _as_float(mu)
        return 2.0 * (special.xlogy(y, y / mu) - (y - mu))

    def fit_unit_deviance(self, y_fit, mu):
        """The same d(y, μ) with one plain log per row (fit's hot loop; y ≥ 0 validated):
        y·log(y/μ) is 0 where y = 0, so the ratio is replaced by 1 there."""
        ratio = np.divide(y_fit, mu, out=np.ones_like(mu), where=y_fit > 0)
        return 2.0 * (y_fit * np.log(ratio) - (y_fit - mu))

    def deviance_function(self, y_fit, w_fit):
        """D(μ) = 2{Σ w(y log y − y) − Σ w y log μ + Σ w μ}: the first sum once per fit,
        then one log and two dot products per evaluation."""
        constant = float(np.sum(w_fit * (special.xlogy(y_fit, y_fit) - y_fit)))
        weighted_y = w_fit * y_fit
        general = Family.deviance_function(self, y_fit, w_fit)

        def deviance(mu):
            if not np.min(mu) > 0:  # μ = 0 on the edge: y log μ needs the 0·log 0 = 0 rule
                return general(mu)
            return 2.0 * (constant - float(weighted_y @ np.log(mu)) + float(w_fit @ mu))

        return deviance

    def sample(self, mu, rng=None, scale=1.0):
        rng = np.random.default_rng(rng)
        return rng.poisson(_as_float(mu)).astype(float)

    def validate(self, y):
        y = super().validate(y)
        _check_counts(y, self.name)
        return y

    def starting_mu(self, y_fit, weights):
        return y_fit + 0.1


class Gamma(Family):
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
    offered_links = ("identity", "log", "inverse")
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
        y, mu = _as_float(y), _as_float(mu)
        shape = 1.0 / scale
        ratio = y / mu
        return shape * np.log(shape * ratio) - shape * ratio - special.gammaln(shape) - np.log(y)

    def unit_deviance(self, y, mu):
        ratio = _as_float(y) / _as_float(mu)
        return 2.0 * (ratio - 1.0 - np.log(ratio))

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


class NegativeBinomial(Family):
    """Counts with Var y = μ + αμ², α fixed exogenously (the essay's "parameter in Ψ").

    With r = 1/α: h(y) = Γ(y + r)/(Γ(r)·y!), T(y) = y, θ = log(αμ/(1 + αμ)) < 0,
    A(θ) = −r·log(1 − e^θ), V(μ) = μ + αμ².

    The canonical link log(αμ/(1 + αμ)) forces η < 0, so ``default_link`` is
    the log link, as in R's ``MASS::glm.nb`` and statsmodels; the canonical
    link is still available as ``canonical_link``.

    Introduced in 08_overdispersion.
    """

    name = "NegativeBinomial"
    mean_range = (0.0, np.inf)
    canonical_link_name = "nb_canonical"
    offered_links = ("identity", "log", "sqrt")
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
        y, mu, r = _as_float(y), _as_float(mu), 1.0 / self.alpha
        alpha_mu = self.alpha * mu
        return self.log_h(y) + special.xlogy(y, alpha_mu) - (y + r) * np.log1p(alpha_mu)

    def unit_deviance(self, y, mu):
        y, mu, r = _as_float(y), _as_float(mu), 1.0 / self.alpha
        return 2.0 * (
            special.xlogy(y, y / mu)
            - (y + r) * (np.log1p(self.alpha * y) - np.log1p(self.alpha * mu))
        )

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


def _check_counts(y, name):
    bad = (y < 0) | (y != np.floor(y))
    if np.any(bad):
        raise ValueError(
            f"{name} y must be counts (whole numbers ≥ 0), but {np.sum(bad)} values are not "
            f"(e.g. {y[bad][0]:g}); a negative or fractional count usually means the wrong "
            "column or a transformed response"
        )


_FAMILY_NAMES = {
    "normal": Normal,
    "gaussian": Normal,
    "bernoulli": Bernoulli,
    "binomial": Binomial,
    "poisson": Poisson,
    "gamma": Gamma,
    "negative_binomial": NegativeBinomial,
    "negativebinomial": NegativeBinomial,
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
    mean_range = (0.0, 1.0)
    canonical_link_name = "softmax"
    offered_links = ("softmax",)
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

    def variance_prime(self, mu):
        raise NotImplementedError(
            "the categorical variance is a matrix; glmlesson.multinomial works with it directly"
        )

    def log_density(self, y, theta):
        """log p(y) = T(y)·θ − A(θ) (h = 1), θ in either form."""
        full = self._full_theta(theta)
        chosen = np.sum(self.T(y) * full, axis=-1)
        return chosen - special.logsumexp(full, axis=-1)

    # -- the GLM view -------------------------------------------------------------
    @property
    def canonical_link(self) -> Link:
        """The softmax link: g(μ) = Ψ(μ) (log-ratios to the last class), g⁻¹ = softmax."""
        return Link(
            "softmax",
            f"g(μ)_j = log(μ_j / μ_{self.k - 1}), j < {self.k - 1}; g⁻¹(η) = softmax(η, 0)",
            (0.0, 1.0),
            g=self.psi,
            g_inv=self.mean,
            g_prime=_vector_link_derivative,
            mu_eta=_vector_link_derivative,
            g_second=_vector_link_derivative,
        )

    def valid_links(self) -> list[str]:
        return ["softmax"]

    def check_link(self, link) -> Link:
        """Only the softmax link is offered (the canonical one)."""
        name = link.name if isinstance(link, Link) else link
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


def _vector_link_derivative(values):
    raise NotImplementedError(
        "the softmax link is vector-valued: its derivative is the Jacobian "
        "diag(μ) − μμᵀ, which glmlesson.multinomial uses directly"
    )
