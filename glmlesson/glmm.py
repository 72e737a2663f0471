"""Random-intercept GLMMs: a GLM plus a normal intercept per group.

For group i and row j,

    g(μᵢⱼ) = xᵢⱼᵀβ + bᵢ,     bᵢ = σ uᵢ,  uᵢ ~ N(0, 1),     yᵢⱼ | uᵢ ~ family(μᵢⱼ),

so β is subject-specific (it compares rows of the same group) and σ is the SD of the
group intercepts. The likelihood of a group integrates its intercept out,

    Lᵢ(σ, β) = ∫ exp{fᵢ(u)} du,   fᵢ(u) = Σⱼ log p(yᵢⱼ | u) − u²/2 − ½ log 2π,

which has no closed form. Around the conditional mode ûᵢ (the maximiser of fᵢ),
with Hᵢ = 1 + σ² Σⱼ wᵢⱼ (wᵢⱼ = (dμ/dη)²/V(μ) × trials, the Fisher weights at ûᵢ)
and sᵢ = Hᵢ^{−1/2}, adaptive Gauss–Hermite quadrature with nodes zₖ and weights ωₖ
(for the standard normal density) gives

    log Lᵢ ≈ log sᵢ + log Σₖ ωₖ exp{zₖ²/2 + gᵢ(ûᵢ + sᵢ zₖ)},   gᵢ(u) = Σⱼ log p(yᵢⱼ | u) − u²/2.

One node (z = 0, ω = 1) is the Laplace approximation, log Lᵢ ≈ gᵢ(ûᵢ) − ½ log Hᵢ.
This is lme4's ``glmer`` with ``nAGQ = n_quadrature``: the same u-scale, the same
Fisher weights in Hᵢ, the same nodes. ``fit_glmm`` maximises Σᵢ log Lᵢ over (σ, β)
(BFGS, then Newton steps on finite-difference derivatives) and, as lme4's ``vcov``,
takes the covariance of β̂ from the inverse of the finite-difference Hessian of
−Σ log Lᵢ in (σ, β).

``loglik`` is the full log-likelihood, including log h(y) (log 1/y!, log C(n, y)),
for every n_quadrature. (lme4 drops the saturated model's log-likelihood from its
``logLik`` when nAGQ > 1, so its AGQ and Laplace values are not comparable there;
ours are.)

Introduced in 13_correlated_data.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, special

from glmlesson.families import get_family
from glmlesson.fitting import ConvergenceWarning, fit
from glmlesson.gee import group_codes
from glmlesson.links import get_link

__all__ = ["GLMMResult", "SingularFitWarning", "fit_glmm", "quadrature_rule"]

_GLMM_FAMILIES = ("Poisson", "Bernoulli", "Binomial")


class SingularFitWarning(UserWarning):
    """σ̂ of the random intercept is 0: the data show no variation between groups."""


@dataclass
class GLMMResult:
    """A fitted random-intercept GLMM.

    Attributes:
        coef: β̂, subject-specific fixed effects (one per column of X).
        bse: their standard errors, from the Hessian of −log L in (σ, β) (lme4's vcov).
        sigma: σ̂, the SD of the random intercept on the linear-predictor scale.
        loglik: the (approximate) maximised log-likelihood, log h(y) included.
        random_effects: b̂ᵢ = σ̂ ûᵢ, the conditional modes of the intercepts, one per
            group in the order of ``groups``.
        groups: the distinct group labels, sorted.
        cov: covariance matrix of β̂.
        n_quadrature: 1 (Laplace) or the number of adaptive Gauss–Hermite nodes.
        family, link: names.
        converged: whether the optimiser reached a stationary point.

    Introduced in 13_correlated_data.
    """

    coef: np.ndarray
    bse: np.ndarray
    sigma: float
    loglik: float
    random_effects: np.ndarray = field(repr=False)
    groups: np.ndarray = field(repr=False)
    cov: np.ndarray = field(repr=False)
    n_quadrature: int
    family: str
    link: str
    converged: bool

    def __repr__(self) -> str:
        coef = ", ".join(f"{b:.4f}" for b in self.coef)
        method = "Laplace" if self.n_quadrature == 1 else f"AGQ({self.n_quadrature})"
        return (
            f"GLMMResult({self.family}, link={self.link!r}, {method}, coef=[{coef}], "
            f"sigma={self.sigma:.4f}, loglik={self.loglik:.4f}, "
            f"n_groups={self.groups.size}, converged={self.converged})"
        )


def quadrature_rule(n_points) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Hermite nodes z and weights ω for E f(Z), Z ~ N(0, 1): Σ ωₖ f(zₖ).

    Exact for polynomials of degree < 2·n_points; the weights sum to 1.

    Introduced in 13_correlated_data.
    """
    nodes, weights = special.roots_hermitenorm(n_points)
    return nodes, weights / np.sqrt(2.0 * np.pi)


def fit_glmm(X, y, family, groups, link=None, n_quadrature=1, max_iter=200) -> GLMMResult:
    """Fit a GLM with a normal random intercept per group by maximum (approximate)
    likelihood: g(μᵢⱼ) = xᵢⱼᵀβ + bᵢ, bᵢ ~ N(0, σ²).

    Args:
        X: (n, p) design matrix of the fixed effects (a column of ones for an intercept).
        y: n responses: counts (Poisson), 0/1 (Bernoulli) or successes (Binomial).
        family: Poisson, Bernoulli or Binomial(trials), an instance or a name.
        groups: n group labels (numbers or strings); at least two groups.
        link: a link or its name; None is the family's canonical link.
        n_quadrature: 1 for the Laplace approximation, more for adaptive
            Gauss–Hermite quadrature with that many nodes (lme4's nAGQ).
        max_iter: iterations allowed to the outer optimiser.

    Returns:
        A :class:`GLMMResult` with ``coef``, ``bse``, ``sigma``, ``loglik`` and
        ``random_effects``.

    Raises:
        ValueError: a family other than Poisson, Bernoulli, Binomial; groups of the
            wrong length or a single group; n_quadrature not a whole number ≥ 1; and
            every error of :func:`glmlesson.fit` (bad X or y, a link the family
            cannot use).

    Warns:
        ConvergenceWarning: the optimiser did not reach a stationary point.
        SingularFitWarning: σ̂ = 0 (a boundary fit; the model is the plain GLM).

    Introduced in 13_correlated_data.
    """
    family = get_family(family)
    if family.name not in _GLMM_FAMILIES:
        raise ValueError(
            f"fit_glmm handles the families {', '.join(_GLMM_FAMILIES)}, not {family.name}"
        )
    if not isinstance(n_quadrature, int | np.integer) or n_quadrature < 1:
        raise ValueError(
            f"n_quadrature must be a whole number ≥ 1 (1 = Laplace), got {n_quadrature!r}"
        )
    if not isinstance(max_iter, int | np.integer) or max_iter < 1:
        raise ValueError(f"max_iter must be a whole number ≥ 1, got {max_iter!r}")
    n_rows = np.shape(X)[0] if np.ndim(X) >= 1 else 0
    labels, codes = group_codes(groups, n_rows)
    start = fit(X, y, family, link=link)  # validates X, y and the link
    model = _Model(
        X=np.asarray(X, dtype=float),
        y=family.validate(y),
        trials=np.broadcast_to(np.asarray(getattr(family, "trials", 1), dtype=float),
                               (n_rows,)),
        codes=codes,
        n_groups=labels.size,
        family=family,
        link=get_link(link if link is not None else family.canonical_link),
        rule=quadrature_rule(int(n_quadrature)),
    )
    params, converged = _maximise(model, np.concatenate([[1.0], start.coef]), max_iter)
    params[0] = abs(params[0])  # log L is even in σ
    sigma = params[0]
    if sigma < 1e-4:
        warnings.warn(
            f"fit_glmm: σ̂ = {sigma:.2g}, a boundary (singular) fit: the groups show no "
            "extra variation, and the coefficients are those of the plain GLM",
            SingularFitWarning,
            stacklevel=2,
        )
        params[0] = sigma = 0.0
    if not converged:
        warnings.warn(
            f"fit_glmm: the optimiser did not reach a stationary point within {max_iter} "
            "iterations; raise max_iter, or rescale the columns of X",
            ConvergenceWarning,
            stacklevel=2,
        )
    loglik, modes = model.loglik(params, with_modes=True)
    cov = _beta_covariance(model, params)
    return GLMMResult(
        coef=params[1:].copy(),
        bse=np.sqrt(np.diag(cov)),
        sigma=float(sigma),
        loglik=float(loglik),
        random_effects=sigma * modes,
        groups=labels,
        cov=cov,
        n_quadrature=int(n_quadrature),
        family=family.name,
        link=model.link.name,
        converged=bool(converged),
    )


@dataclass
class _Model:
    """The data and choices of one fit; ``loglik`` evaluates Σᵢ log Lᵢ(σ, β)."""

    X: np.ndarray
    y: np.ndarray
    trials: np.ndarray
    codes: np.ndarray
    n_groups: int
    family: object
    link: object
    rule: tuple[np.ndarray, np.ndarray]
    modes: np.ndarray = None  # warm start for the next conditional-mode search

    def log_density(self, eta):
        """log p(yᵢⱼ | ηᵢⱼ), log h(y) included (Poisson, Bernoulli, Binomial)."""
        mu = self.link.g_inv(eta)
        y, n = self.y, self.trials
        if self.family.name == "Poisson":
            return special.xlogy(y, mu) - mu - special.gammaln(y + 1.0)
        log_choose = special.gammaln(n + 1.0) - special.gammaln(y + 1.0) - special.gammaln(
            n - y + 1.0)
        return log_choose + special.xlogy(y, mu) + special.xlog1py(n - y, -mu)

    def group_sum(self, values):
        return np.bincount(self.codes, weights=values, minlength=self.n_groups)

    def score_and_weight(self, eta):
        """∂ log p/∂η and the Fisher weight (dμ/dη)²/V(μ) × trials, per row."""
        mu, mu_eta = self.link.g_inv(eta), self.link.mu_eta(eta)
        variance = self.family.variance(mu)
        return (self.y - self.trials * mu) * mu_eta / variance, self.trials * mu_eta**2 / variance

    def penalised_loglik(self, sigma, offset, u):
        """gᵢ(uᵢ) = Σⱼ log p(yᵢⱼ | ηᵢⱼ = offsetᵢⱼ + σuᵢ) − uᵢ²/2, one value per group."""
        return self.group_sum(self.log_density(offset + sigma * u[self.codes])) - u**2 / 2

    def conditional_modes(self, sigma, offset):
        """ûᵢ maximising gᵢ(u) = Σⱼ log p(yᵢⱼ | ηᵢⱼ = offsetᵢⱼ + σu) − u²/2 for every group
        at once: Fisher scoring, halving the steps that lower gᵢ. Returns (û, Hᵢ)."""
        u = np.zeros(self.n_groups) if self.modes is None else self.modes.copy()
        current = self.penalised_loglik(sigma, offset, u)
        for _ in range(100):
            score, weight = self.score_and_weight(offset + sigma * u[self.codes])
            curvature = 1.0 + sigma**2 * self.group_sum(weight)
            step = (sigma * self.group_sum(score) - u) / curvature
            for _ in range(30):
                candidate = self.penalised_loglik(sigma, offset, u + step)
                worse = ~(candidate >= current - 1e-12 * (1.0 + np.abs(current)))
                if not np.any(worse):
                    break
                step = np.where(worse, step / 2.0, step)
            u, current = u + step, candidate
            if np.max(np.abs(step)) < 1e-11:
                break
        weight = self.score_and_weight(offset + sigma * u[self.codes])[1]
        return u, 1.0 + sigma**2 * self.group_sum(weight)

    def loglik(self, params, with_modes=False):
        """Σᵢ log Lᵢ(σ, β) by adaptive Gauss–Hermite (one node: Laplace)."""
        sigma, beta = params[0], params[1:]
        offset = self.X @ beta
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            modes, curvature = self.conditional_modes(sigma, offset)
            spread = 1.0 / np.sqrt(curvature)
            nodes, weights = self.rule
            terms = np.empty((self.n_groups, nodes.size))
            for k, (z, omega) in enumerate(zip(nodes, weights, strict=True)):
                g = self.penalised_loglik(sigma, offset, modes + spread * z)
                terms[:, k] = np.log(omega) + z**2 / 2 + g
            total = float(np.sum(np.log(spread) + special.logsumexp(terms, axis=1)))
        if np.all(np.isfinite(modes)):
            self.modes = modes
        if not np.isfinite(total):
            total = -np.inf
        return (total, modes) if with_modes else total


def _maximise(model, params, max_iter):
    """Maximise log L over (σ, β): BFGS, then Newton steps on finite-difference
    derivatives to settle on the stationary point. Returns (params, converged)."""

    def negative(x):
        value = model.loglik(x)
        return -value if np.isfinite(value) else 1e300

    result = optimize.minimize(negative, params, method="BFGS", jac="3-point",
                               options={"maxiter": max_iter, "gtol": 1e-6})
    params = result.x
    for _ in range(min(20, max_iter)):
        gradient, hessian = _derivatives(negative, params)
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or np.any(np.linalg.eigvalsh(hessian) <= 0):
            break
        trial = params - step
        if negative(trial) > negative(params) + 1e-9:
            break
        params = trial
        if np.max(np.abs(step) / (1.0 + np.abs(params))) < 1e-9:
            break
    gradient = _derivatives(negative, params)[0]
    converged = np.max(np.abs(gradient)) < 1e-4 * max(1.0, abs(negative(params))) ** 0.5
    return params, bool(converged)


def _derivatives(function, x, relative_step=1e-4):
    """Central finite-difference gradient and Hessian (steps h = 1e-4·max(1, |x|), the
    step lme4's deriv12 uses)."""
    size = x.size
    steps = relative_step * np.maximum(1.0, np.abs(x))
    centre = function(x)
    gradient = np.empty(size)
    hessian = np.empty((size, size))
    basis = np.eye(size) * steps
    for i in range(size):
        plus, minus = function(x + basis[i]), function(x - basis[i])
        gradient[i] = (plus - minus) / (2 * steps[i])
        hessian[i, i] = (plus - 2 * centre + minus) / steps[i] ** 2
        for j in range(i):
            hessian[i, j] = hessian[j, i] = (
                function(x + basis[i] + basis[j]) - function(x + basis[i] - basis[j])
                - function(x - basis[i] + basis[j]) + function(x - basis[i] - basis[j])
            ) / (4 * steps[i] * steps[j])
    return gradient, hessian


def _beta_covariance(model, params):
    """β's block of the inverse Hessian of −log L in (σ, β) (lme4's vcov); at σ̂ = 0,
    where log L is flat in σ to first order, the inverse of β's own block."""

    def negative(x):
        return -model.loglik(x)

    hessian = _derivatives(negative, params)[1]
    if params[0] == 0.0:
        return np.linalg.inv(hessian[1:, 1:])
    return np.linalg.inv(hessian)[1:, 1:]
