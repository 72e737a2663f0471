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

import glmlesson
from glmlesson import links as _links
from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    as_array,
    as_number,
    call_student,
    close,
    correct,
    describe,
    exercise,
    side_by_side,
    wrong,
)
from glmlesson.exercises._core import first_match as _matches
from glmlesson.families import Bernoulli, Binomial, Gamma, Poisson
from glmlesson.links import LINKS, Link, get_link

__all__ = ["check_usable_links", "check_glm_loglik", "check_mean_from_beta"]


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
        case = f"for {what}, (low, high) = ({low:g}, {high:g})"
        answer = call_student(usable_links, low, high, case=case, names=("low", "high"),
                              forbidden=((Link, "accepts", "link.accepts"),),
                              instead="compare each link's mu_domain (low, high) with the "
                                      "range yourself")
        try:
            names = None if isinstance(answer, str) else list(answer)
        except Exception:  # any object a student's code returns
            names = None
        if names is None or not all(isinstance(name, str) for name in names):
            return wrong("return a list (or set) of link names such as ['log', 'sqrt'], "
                         f"got {describe(answer)}")
        got, expected = set(names), _expected_links(low, high)
        if got == expected:
            continue
        unknown = got - set(LINKS)
        if unknown:
            return wrong(f"{sorted(unknown)} are not names in glmlesson.links.LINKS, whose "
                         f"names are {list(LINKS)}")
        reversed_answer = {name for name, link in LINKS.items()
                           if low <= link.mu_domain[0] and link.mu_domain[1] <= high}
        strict = {name for name, link in LINKS.items()
                  if link.mu_domain[0] < low and high < link.mu_domain[1]}
        if got == strict:
            return wrong(f"for {what}, (low, high) = ({low:g}, {high:g}), you compared with "
                         "strict inequalities and lost the links whose domain ends exactly where "
                         f"the range does ({', '.join(sorted(expected - got))}); the range is "
                         "open, so domain low ≤ low and high ≤ domain high is enough")
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


def _shortcuts(family):
    """The family's ready-made log-likelihoods, which 03.2 asks the student not to use."""
    kind = type(family)
    return tuple((kind, name, f"family.{name}") for name in ("loglik", "loglik_obs",
                                                             "log_density")
                 if hasattr(kind, name))


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
        pair = f"{family.description()} with the {link_name} link"
        case = f"for {pair} on fresh data"
        answer = call_student(glm_loglik, beta.copy(), X.copy(), y.copy(), family, link,
                              case=case, names=("beta", "X", "y", "family", "link"),
                              forbidden=_shortcuts(family),
                              instead="it does the whole job; assemble log h(y) + T(y)·θ − "
                                      "A(θ) from family.log_h, family.T, family.psi and "
                                      "family.log_partition")
        answer = as_number(answer, "the summed log-likelihood", case)
        if close(answer, expected, rtol=1e-8):
            continue
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
                (expected - float(np.sum(family.log_h(y))) + float(np.sum(np.exp(
                    family.log_h(y)))), "you added h(yᵢ) where log h(yᵢ) belongs: the "
                 "density is h(y)·exp{T(y)θ − A(θ)}, so its log has log h(y)"),
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
        want, got = side_by_side(expected, answer)
        if message is None and canonical:
            message = (f"for {pair} (the canonical pair: logistic regression) the "
                       f"log-likelihood is {want}, your function gives {got}")
        return wrong(message or f"{case} the log-likelihood is {want}, your function gives "
                     f"{got}")
    return correct("log h(y) + T(y)·Ψ(g⁻¹(xᵀβ)) − A(Ψ(g⁻¹(xᵀβ))), summed: right for "
                   "logistic regression and for three non-canonical pairs.")


# -- 03.3 μ = g⁻¹(xᵀβ) by hand ------------------------------------------------------------
_MEAN_LINKS = ("identity", "log", "logit", "sqrt")
_LIBRARY_LINKS = ((_links, "get_link", "glmlesson.links.get_link"),
                  (glmlesson, "get_link", "glmlesson.get_link"),
                  *((LINKS[name], "g_inv", f"LINKS[{name!r}].g_inv") for name in _MEAN_LINKS))


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
        case = f"for the {name} link"
        answer = call_student(mean_from_beta, beta.copy(), X.copy(), name, case=case,
                              names=("beta", "X", "link"), forbidden=_LIBRARY_LINKS,
                              instead="write the inverse links with numpy only (identity: η, "
                                      "log: e^η, logit: 1/(1 + e^{−η}), sqrt: η²)")
        answer = as_array(answer, "μ", expected.shape, case, "one mean per row of X")
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
        want, got = side_by_side(expected, answer)
        return wrong(message or f"with the {name} link and fresh β, X the means are "
                     f"{want}, you give {got}")
    return correct("μ = g⁻¹(Xβ) for the identity, log, logit and sqrt links: the linear "
                   "predictor first, then the inverse link.")


# ------------------------------------------------------------ typical wrong answers
def _links_where(keep):
    def usable_links(low, high):
        return [name for name, link in LINKS.items() if keep(link.mu_domain, low, high)]
    return usable_links


check_usable_links.mistakes = (
    Mistake("containment the wrong way round (domain inside the range)",
            _links_where(lambda d, low, high: low <= d[0] and d[1] <= high), "INSIDE"),
    Mistake("strict inequalities",
            _links_where(lambda d, low, high: d[0] < low and high < d[1]), "strict"),
    Mistake("only the lower end compared", _links_where(lambda d, low, high: d[0] <= low),
            "fall outside that domain"),
    Mistake("identity left out",
            lambda low, high: [n for n in _links_where(
                lambda d, lo, hi: d[0] <= lo and hi <= d[1])(low, high) if n != "identity"],
            "left out identity"),
    Mistake("Link.accepts, which the task forbids",
            lambda low, high: [n for n, link in LINKS.items() if link.accepts(low, high)],
            "accepts"),
    Mistake("a single name", lambda low, high: "identity", "link names"),
)


def _glm_loglik(theta_of, log_h=lambda family, y: family.log_h(y), sign_a=-1.0, per_n=False):
    def glm_loglik(beta, X, y, family, link):
        eta = X @ beta
        theta = theta_of(eta, family, link)
        total = np.sum(log_h(family, y) + family.T(y) * theta
                       + sign_a * family.log_partition(theta))
        return total / len(y) if per_n else total
    return glm_loglik


def _right_theta(eta, family, link):
    return family.psi(link.g_inv(eta))


check_glm_loglik.mistakes = (
    Mistake("θ = η (holds only for the canonical link)", _glm_loglik(lambda e, f, g: e),
            "used η = xᵀβ as θ"),
    Mistake("μ used as θ", _glm_loglik(lambda e, f, g: g.g_inv(e)), "put the mean μ"),
    Mistake("g applied to η", _glm_loglik(lambda e, f, g: f.psi(g.g(e))), "applied g to η"),
    Mistake("h(y) instead of log h(y)",
            _glm_loglik(_right_theta, log_h=lambda f, y: np.exp(f.log_h(y))),
            "h(yᵢ) where log h(yᵢ) belongs"),
    Mistake("log h(y) left out", _glm_loglik(_right_theta, log_h=lambda f, y: 0.0),
            "log h(yᵢ) terms are missing"),
    Mistake("+A(θ) instead of −A(θ)", _glm_loglik(_right_theta, sign_a=1.0), "A(θ) has the wrong"),
    Mistake("negative log-likelihood",
            lambda *args: -_glm_loglik(_right_theta)(*args), "negative log-likelihood"),
    Mistake("logistic regression's formula for every family",
            lambda beta, X, y, family, link: np.sum(y * (X @ beta)
                                                    - np.logaddexp(0, X @ beta)),
            "logistic regression's formula"),
    Mistake("averaged over observations", _glm_loglik(_right_theta, per_n=True), "averaged"),
    Mistake("family.loglik, which the task forbids",
            lambda beta, X, y, family, link: family.loglik(y, link.g_inv(X @ beta)),
            "family.loglik"),
)


def _means(inverse_links):
    def mean_from_beta(beta, X, link):
        return inverse_links[link](X @ beta)
    return mean_from_beta


_RIGHT_INVERSES = {"identity": lambda e: e, "log": np.exp,
                   "logit": lambda e: 1 / (1 + np.exp(-e)), "sqrt": np.square}

check_mean_from_beta.mistakes = (
    Mistake("η returned for every link", lambda beta, X, link: X @ beta, "returned η = Xβ"),
    Mistake("g applied instead of g⁻¹",
            _means({"identity": lambda e: e, "log": np.log, "logit": special.logit,
                    "sqrt": np.sqrt}), "applied g"),
    Mistake("e^η (the odds) for the logit link", _means({**_RIGHT_INVERSES, "logit": np.exp}),
            "odds"),
    Mistake("1/(1 + e^η) for the logit link",
            _means({**_RIGHT_INVERSES, "logit": lambda e: 1 / (1 + np.exp(e))}), "1 − μ"),
    Mistake("√(2η) for the sqrt link",
            _means({**_RIGHT_INVERSES, "sqrt": lambda e: np.sqrt(2 * e)}), "not √(2η)"),
    Mistake("the logistic function for the sqrt link",
            _means({**_RIGHT_INVERSES, "sqrt": special.expit}), "logistic function"),
    Mistake("glmlesson.links, which the task forbids",
            lambda beta, X, link: get_link(link).g_inv(X @ beta), "numpy only"),
    Mistake("β @ X (shapes do not fit)", lambda beta, X, link: beta @ X,
            "shapes do not fit"),
    Mistake("one number instead of one mean per row",
            lambda beta, X, link: float(np.sum(_means(_RIGHT_INVERSES)(beta, X, link))),
            "one mean per row"),
)
