"""Checks for lesson 06 (link functions): the inverse probit and cloglog links, and
choosing a link by its deviance.

Each check runs the student's function on fresh values and data and names the usual
mistake when the answer matches one.

Introduced in 06_link_functions.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import special, stats

from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    as_array,
    call_student,
    close,
    correct,
    describe,
    exercise,
    side_by_side,
    wrong,
)
from glmlesson.exercises._core import first_match as _matches
from glmlesson.exercises._core import quiet_fit as _quiet_fit
from glmlesson.families import Bernoulli, get_family
from glmlesson.links import get_link

__all__ = ["check_inverse_link", "check_best_link"]


_ETA = np.array([-3.2, -1.5, -0.4, 0.15, 0.35, 0.6, 0.85, 1.3, 2.4])
_INSIDE = (_ETA > 0) & (_ETA < 1)


# -- 06.1 / 06.2 inverse links ---------------------------------------------------------------
def _inverse_link_mistakes(name, eta):
    common = [
        (special.expit(eta), "that is the inverse LOGIT, 1/(1 + e^−η); "
         f"the {name} link has its own inverse"),
        (np.exp(eta), "that is e^η, the inverse of the LOG link; it is not even a probability"),
        (eta, "you returned η unchanged (the identity link)"),
    ]
    if name == "probit":
        return [
            (stats.norm.pdf(eta), "that is the normal DENSITY φ(η), which is dμ/dη; the "
             "inverse probit is the normal cdf Φ(η)"),
            (1.0 - special.ndtr(eta), "that is 1 − Φ(η) = P(y = 0); the inverse probit is "
             "Φ(η) itself"),
            (0.5 * (1.0 + special.erf(eta)), "Φ(η) = ½(1 + erf(η/√2)): you forgot to divide "
             "η by √2"),
            (stats.norm.cdf(eta, scale=np.sqrt(np.pi / 8)), "the scale is wrong: use the "
             "STANDARD normal cdf Φ(η)"),
        ] + common
    if name == "cloglog":
        return [
            (np.exp(-np.exp(eta)), "that is exp(−e^η) = 1 − μ, the probability of y = 0; the "
             "inverse cloglog is μ = 1 − exp(−e^η)"),
            (1.0 - np.exp(-eta), "the inner exponential is missing: μ = 1 − exp(−e^η)"),
            (1.0 - np.exp(-np.exp(-eta)), "the sign of η is flipped: 1 − exp(−e^−η) is the "
             "complementary of the log-log link; use μ = 1 − exp(−e^η)"),
            (np.exp(-np.exp(-eta)), "that is exp(−e^−η), the inverse of the log-log link "
             "(Gumbel cdf); the inverse cloglog is 1 − exp(−e^η)"),
        ] + common
    return common


@exercise
def check_inverse_link(inverse_link, name="probit") -> Feedback:
    """Exercises 06.1 and 06.2: ``inverse_link(eta)`` returns μ = g⁻¹(η) for the link
    ``name`` ("probit" or "cloglog"; any link of glmlesson.links works)."""
    link = get_link(name)
    eta = _ETA.copy()
    expected = link.g_inv(eta)
    case = f"for η = {eta.tolist()}"
    answer = as_array(call_student(inverse_link, eta.copy(), case=case, names=("eta",)), "μ",
                      eta.shape, case, "one mean per η")
    if close(answer, expected, rtol=1e-7, atol=1e-12):
        return correct(f"μ = g⁻¹(η) for the {name} link: it maps every η into (0, 1) and "
                       f"g(g⁻¹(η)) = η.")
    with np.errstate(all="ignore"):
        link_itself = link.g(eta[_INSIDE])
        if close(answer[_INSIDE], link_itself, rtol=1e-7):
            return wrong("you wrote the link g(μ) itself, which takes a probability to η; "
                         "the exercise wants its inverse, η ↦ μ (your function gives NaN "
                         "for η outside (0, 1))")
    message = _matches(answer, _inverse_link_mistakes(link.name, eta), rtol=1e-7)
    if message:
        return wrong(message)
    if np.any(~np.isfinite(answer)) or np.any((answer < 0) | (answer > 1)):
        return wrong("some of your μ are not probabilities in [0, 1]; an inverse link of a "
                     "Bernoulli model must map every real η into (0, 1)")
    worst = int(np.argmax(np.abs(answer - expected)))
    want, got = side_by_side(expected[worst], answer[worst])
    return wrong(f"at η = {eta[worst]:g} the {name} inverse gives μ = {want}, "
                 f"your function gives {got}")


# -- 06.3 best link by deviance -----------------------------------------------------------
def _best_link_cases():
    """Fresh data sets where a non-canonical link fits clearly better."""
    rng = np.random.default_rng(6301)
    n = 3000
    x = rng.uniform(-2.5, 1.5, n)
    X = np.column_stack([np.ones(n), x])
    y_binary = rng.binomial(1, -np.expm1(-np.exp(-0.3 + 1.4 * x))).astype(float)
    counts_x = rng.uniform(0.0, 3.0, 400)
    X_counts = np.column_stack([np.ones(400), counts_x])
    y_counts = rng.poisson(1.0 + 4.0 * counts_x).astype(float)
    return [
        (X, y_binary, Bernoulli(), ["logit", "probit", "cloglog"]),
        (X_counts, y_counts, get_family("poisson"), ["log", "identity", "sqrt"]),
    ]

@exercise
def check_best_link(best_link) -> Feedback:
    """Exercise 06.3: ``best_link(X, y, family, links)`` returns the name of the link
    (from ``links``) whose fit has the smallest deviance."""
    for X, y, family, links in _best_link_cases():
        fits = {name: _quiet_fit(X, y, family, name) for name in links}
        deviances = {name: result.deviance for name, result in fits.items()}
        expected = min(deviances, key=deviances.get)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            answer = call_student(best_link, X, y, family, list(links),
                                  names=("X", "y", "family", "links"),
                                  case=f"on fresh {family.name} data")
        if hasattr(answer, "deviance"):
            return wrong("you returned a fit; return the NAME of the best link (a string "
                         "such as 'probit')")
        if isinstance(answer, str) and answer.lower() in links:
            answer = answer.lower()
        elif hasattr(answer, "name") and getattr(answer, "name", None) in links:
            answer = answer.name
        else:
            return wrong(f"return one of the names {links}, got {describe(answer)}")
        if answer == expected:
            continue
        table = ", ".join(f"{name} {value:.1f}" for name, value in deviances.items())
        worst = max(deviances, key=deviances.get)
        canonical = family.canonical_link.name
        if answer == worst:
            return wrong(f"you picked the LARGEST deviance ({table}); the deviance measures "
                         "lack of fit, so the best link has the smallest")
        if answer == canonical:
            return wrong(f"you returned the canonical link '{canonical}', but on these "
                         f"{family.name} data another link fits better ({table}); compare "
                         "the deviances")
        return wrong(f"the deviances are {table}: the smallest belongs to '{expected}', "
                     f"you returned '{answer}'")
    return correct("the smallest deviance (equivalently the largest log-likelihood, since the "
                   "family and the number of coefficients are the same) picks the link.")


# ------------------------------------------------------------ typical wrong answers
def _everywhere(function):
    """An inverse link written so that it runs on every η (a mistake that gives numbers)."""
    def inverse_link(eta):
        return function(eta)
    return inverse_link


_COMMON = (
    ("inverse logit", special.expit, "inverse LOGIT"),
    ("e^η", np.exp, "inverse of the LOG link"),
    ("η unchanged", lambda eta: eta, "unchanged"),
)

check_inverse_link.mistakes = (
    Mistake("probit: the normal density φ(η)", stats.norm.pdf, "DENSITY", ("probit",)),
    Mistake("probit: 1 − Φ(η)", lambda eta: 1 - special.ndtr(eta), "1 − Φ(η)", ("probit",)),
    Mistake("probit: erf without √2", lambda eta: 0.5 * (1 + special.erf(eta)), "√2",
            ("probit",)),
    Mistake("probit: the link Φ⁻¹ itself", special.ndtri, "the link g(μ) itself", ("probit",)),
    Mistake("probit: a normal cdf with another scale",
            lambda eta: stats.norm.cdf(eta, scale=np.sqrt(np.pi / 8)), "STANDARD", ("probit",)),
    Mistake("cloglog: exp(−e^η) = 1 − μ", lambda eta: np.exp(-np.exp(eta)), "probability of y = 0",
            ("cloglog",)),
    Mistake("cloglog: inner exponential missing", lambda eta: 1 - np.exp(-eta),
            "inner exponential", ("cloglog",)),
    Mistake("cloglog: sign of η flipped", lambda eta: 1 - np.exp(-np.exp(-eta)),
            "sign of η is flipped", ("cloglog",)),
    Mistake("cloglog: the log-log inverse", lambda eta: np.exp(-np.exp(-eta)), "log-log link",
            ("cloglog",)),
    Mistake("cloglog: the link itself", lambda eta: np.log(-np.log(1 - eta)),
            "the link g(μ) itself", ("cloglog",)),
    Mistake("cloglog: a formula that leaves (0, 1)", lambda eta: np.exp(eta) - 0.5,
            "not probabilities", ("cloglog",)),
    *(Mistake(f"{name}: {what}", _everywhere(function), says, (name,))
      for name in ("probit", "cloglog") for what, function, says in _COMMON),
    Mistake("one number instead of one μ per η", lambda eta: float(special.ndtr(eta[0])),
            "one mean per η", ("probit",)),
)


def _deviances(X, y, family, links):
    return {name: _quiet_fit(X, y, family, name).deviance for name in links}


check_best_link.mistakes = (
    Mistake("picks the largest deviance",
            lambda X, y, family, links: max(_deviances(X, y, family, links),
                                            key=_deviances(X, y, family, links).get),
            "LARGEST"),
    Mistake("returns the canonical link without fitting",
            lambda X, y, family, links: links[0], "canonical link"),
    Mistake("returns the best fit, not its name",
            lambda X, y, family, links: _quiet_fit(X, y, family, min(
                _deviances(X, y, family, links), key=_deviances(X, y, family, links).get)),
            "NAME"),
    Mistake("returns the position of the best link",
            lambda X, y, family, links: int(np.argmin(list(_deviances(X, y, family,
                                                                      links).values()))),
            "return one of the names"),
    Mistake("compares log-likelihoods but keeps the smallest",
            lambda X, y, family, links: min(links, key=lambda name: _quiet_fit(
                X, y, family, name).loglik), "LARGEST"),
)
