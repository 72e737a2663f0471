"""Checks for lesson 03 (the anatomy of a GLM): which links can serve a given mean
range, the log-likelihood assembled from the three components, and the mean
μ = g⁻¹(xᵀβ) computed by hand.

Each check runs on mean ranges, families, links, coefficients and data the lesson
does not use, and names the usual mistake when an answer matches one.

Introduced in 03_anatomy_of_a_glm.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from glmlesson.exercises import hints
from glmlesson.exercises._core import (
    Feedback,
    call_student,
    close,
    correct,
    exercise,
    wrong,
)
from glmlesson.exercises._core import first_match as _matches
from glmlesson.families import Bernoulli, Binomial, Gamma, Poisson
from glmlesson.links import LINKS, get_link

__all__ = ["check_usable_links", "check_glm_loglik", "check_mean_from_beta"]

hints.register(
    "03.1",
    "A link g has to be defined at every mean the family can produce. For each link in "
    "glmlesson.links.LINKS, compare its mu_domain (low, high) with the mean range: keep it "
    "when the domain CONTAINS the range (domain low ≤ range low and range high ≤ domain "
    "high). Link.accepts does this comparison, but try writing it yourself.",
)
hints.register(
    "03.2",
    "Follow the pipeline: η = Xβ, μ = link.g_inv(η), θ = family.psi(μ), and add up "
    "log h(y) + T(y)·θ − A(θ) with family.log_h, family.T and family.log_partition. Do not "
    "use family.loglik or family.log_density: the point is to assemble the pieces.",
)
hints.register(
    "03.3",
    "First η = X @ beta, then undo the link: identity → μ = η; log → μ = e^η; "
    "logit → μ = 1/(1 + e^{−η}); sqrt → solve √μ = η for μ.",
)

# -- 03.1 links that can serve a mean range ----------------------------------------------
_RANGES = (
    ((0.0, 1.0), "a probability"),
    ((0.0, np.inf), "a positive mean"),
    ((-np.inf, np.inf), "a mean anywhere on the real line"),
    ((1.0, np.inf), "a mean above 1 (e.g. counts known to be at least 1)"),
    ((-1.0, 1.0), "a mean between −1 and 1 (e.g. a correlation)"),
)


def _expected_links(low, high):
    return {name for name, link in LINKS.items() if link.accepts(low, high)}


def _domain_text(name):
    low, high = LINKS[name].mu_domain
    return f"{name} (defined for μ in ({low:g}, {high:g}))"


@exercise
def check_usable_links(usable_links) -> Feedback:
    """Exercise 03.1: ``usable_links(low, high)`` returns the names of the links in
    ``glmlesson.links.LINKS`` that are defined at every mean in the open interval
    (low, high): those whose μ-domain contains it."""
    for (low, high), what in _RANGES:
        answer = call_student(usable_links, low, high)
        if isinstance(answer, str) or not all(isinstance(name, str) for name in answer):
            return wrong("return a list (or set) of link names such as ['log', 'sqrt'], "
                         f"got {answer!r}")
        got, expected = set(answer), _expected_links(low, high)
        if got == expected:
            continue
        unknown = got - set(LINKS)
        if unknown:
            return wrong(f"{sorted(unknown)} are not names in glmlesson.links.LINKS, whose "
                         f"names are {list(LINKS)}")
        reversed_answer = {name for name, link in LINKS.items()
                           if low <= link.mu_domain[0] and link.mu_domain[1] <= high}
        if got == reversed_answer:
            return wrong(f"for {what}, (low, high) = ({low:g}, {high:g}), you kept the links "
                         "whose domain lies INSIDE the mean range; it is the other way round: "
                         "every possible mean must lie inside the link's domain")
        extra, missing = sorted(got - expected), sorted(expected - got)
        if extra:
            return wrong(f"for {what}, (low, high) = ({low:g}, {high:g}), you keep "
                         f"{', '.join(_domain_text(n) for n in extra)}: some means in the range "
                         "fall outside that domain, where g is not defined")
        if missing == ["identity"]:
            return wrong(f"for {what} you left out identity, which is defined for every μ. "
                         "The question is only whether g(μ) exists for every possible mean; "
                         "that g⁻¹(η) may leave the range is a separate concern (the lesson's "
                         "second table)")
        return wrong(f"for {what}, (low, high) = ({low:g}, {high:g}), you miss "
                     f"{', '.join(_domain_text(n) for n in missing)}: each of these is defined "
                     "on the whole range, so it can be used")
    return correct("a link can serve a family when its μ-domain contains the family's whole "
                   "mean range; checked on five ranges, including two the lesson does not use.")


# -- 03.2 the log-likelihood from the three components -------------------------------------
def _glm_case(seed, family, link, beta, n=40):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=n)
    X = np.column_stack([np.ones(n), x])
    mu = get_link(link).g_inv(X @ np.asarray(beta))
    y = family.sample(mu, rng)
    return X, y


# (family, link name, β, seed): the first is logistic regression, the rest non-canonical
_GLM_CASES = (
    (Bernoulli(), "logit", np.array([-0.8, 1.9]), 3101),
    (Poisson(), "sqrt", np.array([1.1, 1.4]), 3102),
    (Binomial(4), "probit", np.array([-0.6, 1.2]), 3103),
    (Gamma(), "log", np.array([0.4, -0.9]), 3104),
)


def _pieces_loglik(family, theta, y):
    return float(np.sum(family.log_h(y) + family.T(y) * theta - family.log_partition(theta)))


@exercise
def check_glm_loglik(glm_loglik) -> Feedback:
    """Exercise 03.2: ``glm_loglik(beta, X, y, family, link)`` returns
    Σ [log h(yᵢ) + T(yᵢ)·θᵢ − A(θᵢ)] with θᵢ = Ψ(g⁻¹(xᵢᵀβ)).

    Tested on logistic regression, then on three non-canonical pairs (Poisson + sqrt,
    Binomial(4) + probit, Gamma + log), with fresh simulated data.
    """
    for family, link_name, beta, seed in _GLM_CASES:
        X, y = _glm_case(seed, family, link_name, beta)
        link = get_link(link_name)
        eta = X @ beta
        mu = link.g_inv(eta)
        theta = family.psi(mu)
        expected = _pieces_loglik(family, theta, y)
        answer = call_student(glm_loglik, beta.copy(), X.copy(), y.copy(), family, link)
        try:
            answer = float(np.asarray(answer, dtype=float))
        except (TypeError, ValueError):
            return wrong(f"return one number (the summed log-likelihood), got {answer!r}")
        if close(answer, expected, rtol=1e-8):
            continue
        pair = f"{family.description()} with the {link_name} link"
        canonical = link_name == family.canonical_link.name
        with np.errstate(all="ignore"):
            message = _matches(answer, [
                (_pieces_loglik(family, eta, y), f"you used η = xᵀβ as θ. That shortcut holds "
                 f"only for the canonical link (logistic regression passed); for {pair}, "
                 "θ = Ψ(g⁻¹(η)) ≠ η"),
                (_pieces_loglik(family, mu, y), "you put the mean μ where the canonical "
                 "parameter θ belongs: convert it with the bridge θ = Ψ(μ)"),
                (_pieces_loglik(family, family.psi(link.g(eta)), y), "you applied g to η; "
                 "η = g(μ), so the mean is μ = g⁻¹(η) (link.g_inv)"),
                (expected - float(np.sum(family.log_h(y))), "the log h(yᵢ) terms are missing: "
                 f"your log-likelihood is off by the constant Σ log h(yᵢ) = "
                 f"{float(np.sum(family.log_h(y))):.4f} (it does not change the best β, but "
                 "it is part of log p(y))"),
                (float(np.sum(family.log_h(y) + family.T(y) * theta
                              + family.log_partition(theta))),
                 "A(θ) has the wrong sign: log p(y) = log h(y) + T(y)·θ − A(θ)"),
                (-expected, "the sign is flipped: you returned the negative log-likelihood"),
                (float(np.sum(y * eta - np.logaddexp(0.0, eta))), "you wrote logistic "
                 f"regression's formula Σ[yη − log(1 + e^η)], which fits only the Bernoulli "
                 f"with the logit link; build it from the family and link you are given "
                 f"(here {pair})"),
                (expected / y.size, "you averaged over observations; return the sum"),
            ])
        if message is None and canonical:
            message = (f"for {pair} (the canonical pair: logistic regression) the "
                       f"log-likelihood is {expected:.4f}, your function gives {answer:.4f}")
        return wrong(message or f"for {pair} on fresh data the log-likelihood is "
                     f"{expected:.4f}, your function gives {answer:.4f}")
    return correct("log h(y) + T(y)·Ψ(g⁻¹(xᵀβ)) − A(Ψ(g⁻¹(xᵀβ))), summed: right for "
                   "logistic regression and for three non-canonical pairs.")


# -- 03.3 μ = g⁻¹(xᵀβ) by hand ------------------------------------------------------------
_MEAN_LINKS = ("identity", "log", "logit", "sqrt")


def _mean_case(seed, link):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(6), rng.normal(size=(6, 2))])
    beta = rng.normal(scale=0.7, size=3)
    if link == "log":
        beta[0] += 1.0
    if link == "sqrt":  # keep η > 0, where the sqrt link's inverse η² is one-to-one
        beta[0] += 3.0
    return beta, X


@exercise
def check_mean_from_beta(mean_from_beta) -> Feedback:
    """Exercise 03.3: ``mean_from_beta(beta, X, link)`` returns μ = g⁻¹(Xβ) for the link
    named ``link``, one of "identity", "log", "logit", "sqrt"."""
    for index, name in enumerate(_MEAN_LINKS):
        beta, X = _mean_case(3300 + index, name)
        link = get_link(name)
        eta = X @ beta
        expected = link.g_inv(eta)
        answer = call_student(mean_from_beta, beta.copy(), X.copy(), name)
        try:
            answer = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return wrong(f"return an array of means, got {answer!r}")
        if answer.shape != expected.shape:
            return wrong(f"with X of shape {X.shape} and β of shape {beta.shape} return one "
                         f"mean per row (shape {expected.shape}), got shape {answer.shape}")
        if close(answer, expected, rtol=1e-8):
            continue
        with np.errstate(all="ignore"):
            message = _matches(answer, [
                (eta, f"you returned η = Xβ itself; with the {name} link the mean is "
                 "μ = g⁻¹(η)"),
                (link.g(eta), f"you applied g ({link.formula}) to η; η = g(μ), so undo it: "
                 "μ = g⁻¹(η)"),
                (np.exp(eta), "you returned e^η, which is the odds μ/(1 − μ) under the logit "
                 "link; the probability is μ = e^η/(1 + e^η) = 1/(1 + e^{−η})"),
                (special.expit(-eta), "that is 1 − μ: the sign of η is flipped; "
                 "μ = 1/(1 + e^{−η})"),
                (np.sqrt(2.0 * eta), "η = √μ means μ = η², not √(2η)"),
                (special.expit(eta), f"you used the logistic function, the inverse of the "
                 f"logit link; the {name} link has its own inverse"),
            ])
        return wrong(message or f"with the {name} link and fresh β, X the means are "
                     f"{np.round(expected, 4).tolist()}, you give "
                     f"{np.round(answer, 4).tolist()}")
    return correct("μ = g⁻¹(Xβ) for the identity, log, logit and sqrt links: the linear "
                   "predictor first, then the inverse link.")
