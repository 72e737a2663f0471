"""Checks for lesson 02 (the exponential family): the geometric distribution in
exponential-family form, mean and variance as derivatives of the log-partition, and
the bridge Ψ of the geometric distribution.

The lesson works through the Bernoulli, Binomial, Poisson, Normal and Gamma; every
check here runs on the geometric distribution or on log-partitions the lesson never
shows, at parameters drawn for the check.

Introduced in 02_exponential_family.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from glmlesson.exercises import hints
from glmlesson.exercises._core import (
    Feedback,
    StudentError,
    call_student,
    close,
    correct,
    exercise,
    not_attempted,
    wrong,
)
from glmlesson.exercises._core import first_match as _first_match
from glmlesson.exercises._core import number as _number

__all__ = ["check_geometric_form", "check_mean_and_variance", "check_geometric_psi"]

hints.register(
    "02.1",
    "Take the log of (1 − p)^y · p and sort the terms: y·log(1 − p) pairs y with the "
    "parameter (that is T(y)·θ), log p depends on the parameter only (that is −A), and "
    "nothing depends on y alone (so h(y) = 1). Then write A as a function of θ, not of p: "
    "Z(θ) = Σ_y e^{θy} is a geometric series.",
)
hints.register(
    "02.2",
    "Central differences: A'(θ) ≈ [A(θ + h) − A(θ − h)] / (2h) and "
    "A''(θ) ≈ [A(θ + h) − 2A(θ) + A(θ − h)] / h². A step h around 1e-4 balances the "
    "truncation error against round-off. Call the log_partition you are given: the check "
    "passes functions you have not seen.",
)
hints.register(
    "02.3",
    "Ψ undoes A'. With A(θ) = −log(1 − e^θ), A'(θ) = e^θ / (1 − e^θ). Set that equal to μ "
    "and solve for e^θ, then take the log.",
)


def _array(value, what, shape, broadcast=False):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise StudentError(
            wrong(f"{what} should be numbers, got {type(value).__name__} {value!r}")
        ) from None
    if broadcast and array.ndim == 0:  # h(y) = 1 written as a plain number is fine
        array = np.full(shape, float(array))
    if array.shape != shape:
        raise StudentError(
            wrong(f"{what} should have shape {shape} (one value per input), got {array.shape}; "
                  "use numpy functions (np.log, np.exp) so your code works on arrays")
        )
    return array


# -- 02.1 the geometric distribution in exponential-family form -------------------------
_GEOMETRIC_KEYS = ("h", "T", "theta", "log_partition")
_GEOMETRIC_P = (0.15, 0.42, 0.83)
_GEOMETRIC_Y = np.arange(0.0, 61.0)


def _geometric_piece(answer, key, *args):
    """Call one of the student's four functions; a stub names the piece to fill in."""
    try:
        return call_student(answer[key], *args)
    except StudentError as error:
        if error.feedback.status == "not attempted":
            raise StudentError(not_attempted(f"fill in {key!r} (it still returns nothing)")) \
                from None
        raise


@exercise
def check_geometric_form(answer) -> Feedback:
    """Exercise 02.1: ``answer`` is a dict of four functions ``h(y)``, ``T(y)``,
    ``theta(p)`` and ``log_partition(theta)`` with
    h(y)·exp{T(y)·θ − A(θ)} = (1 − p)^y · p for y = 0, 1, 2, … and θ = theta(p).

    Any valid decomposition passes (e.g. T(y) = −y with θ = −log(1 − p)); the check
    compares the density the pieces produce with scipy.stats.geom.
    """
    if not isinstance(answer, dict) or any(key not in answer for key in _GEOMETRIC_KEYS):
        return wrong("the answer should be a dictionary with the four keys "
                     f"{', '.join(repr(k) for k in _GEOMETRIC_KEYS)}, each holding a function")
    y, y_long = _GEOMETRIC_Y, np.arange(0.0, 4001.0)  # y_long: for the normalising sum
    with np.errstate(all="ignore"):
        log_h = np.log(_array(_geometric_piece(answer, "h", y.copy()), "h(y)", y.shape, True))
        log_h_long = np.log(_array(_geometric_piece(answer, "h", y_long.copy()), "h(y)",
                                   y_long.shape, True))
    T = _array(_geometric_piece(answer, "T", y.copy()), "T(y)", y.shape, True)
    T_long = _array(_geometric_piece(answer, "T", y_long.copy()), "T(y)", y_long.shape, True)
    for p in _GEOMETRIC_P:
        theta = _number(_geometric_piece(answer, "theta", p), "theta(p)")
        log_partition = _number(_geometric_piece(answer, "log_partition", theta),
                                "log_partition(θ)")
        expected = stats.geom(p, loc=-1).logpmf(y)
        with np.errstate(all="ignore"):
            log_p = log_h + T * theta - log_partition
        if close(log_p, expected, rtol=1e-8, atol=1e-10):
            continue
        message = _first_match(theta, [
            (np.log(p), "θ = log p is the log of the success probability, but each of the y "
             "failures contributes a factor (1 − p), so the factor e^{θ·y} must be "
             "(1 − p)^y: θ = log(1 − p)"),
            (special.logit(p), "θ = log(p/(1 − p)) is the Bernoulli's canonical parameter; the "
             "geometric's T(y) = y counts failures, each worth a factor (1 − p): "
             "θ = log(1 − p)"),
            (1.0 - p, "you forgot the log: e^{θ·y} must equal (1 − p)^y, so θ = log(1 − p)"),
            (p, "θ = p: the factor e^{θ·y} must equal (1 − p)^y, so θ = log(1 − p)"),
        ])
        if message:
            return wrong(message)
        with np.errstate(all="ignore"):
            terms = log_h_long + T_long * theta
            log_z = special.logsumexp(terms)
        if not np.isfinite(log_z) or terms[-1] > terms[0] - 30.0:
            return wrong(f"at p = {p} your θ = {theta:.4g} makes the terms h(y)e^{{T(y)θ}} grow "
                         "(or stay large) as y grows, so they cannot sum to a finite Z(θ); "
                         "e^{T(y)θ} must equal (1 − p)^y, which shrinks with y")
        if not np.isclose(log_partition, log_z, rtol=1e-6, atol=1e-8):
            message = _first_match(log_partition, [
                (-log_z, f"A(θ) has the wrong sign: at p = {p} your pieces give "
                 f"Z(θ) = Σ h(y)e^{{T(y)θ}} = {np.exp(log_z):.4f}, so A(θ) = log Z(θ) = "
                 f"{log_z:.4f}, but you return {log_partition:.4f}"),
                (np.exp(log_z), "you returned Z(θ) itself; log_partition must return "
                 "A(θ) = log Z(θ)"),
            ])
            return wrong(message or f"your probabilities do not sum to one: at p = {p} your "
                         f"h and T give Z(θ) = Σ h(y)e^{{T(y)θ}} = {np.exp(log_z):.4f}, so "
                         f"A(θ) should be {log_z:.4f}, but log_partition returns "
                         f"{log_partition:.4f}")
        return wrong(f"at p = {p} your pieces give p(y = 0, 1, 2) = "
                     f"{np.exp(log_p[:3]).round(4).tolist()} but the geometric pmf is "
                     f"{np.exp(expected[:3]).round(4).tolist()}; the probabilities sum to one, "
                     "so look at h, T and θ")
    return correct("h(y) = 1, T(y) = y, θ = log(1 − p), A(θ) = −log(1 − e^θ) (or an "
                   "equivalent split): your pieces reproduce the geometric pmf at three new p.")


# -- 02.2 mean and variance from the log-partition --------------------------------------
def _geometric_log_partition(theta):
    return -np.log(-np.expm1(theta))


def _binomial7_log_partition(theta):
    return 7.0 * np.logaddexp(0.0, theta)


def _gamma3_log_partition(theta):
    return -3.0 * np.log(-theta)


# (log-partition, θ, A'(θ), A''(θ)) with closed-form derivatives
_MEAN_VARIANCE_CASES = (
    (_geometric_log_partition, -0.7,
     np.exp(-0.7) / -np.expm1(-0.7), np.exp(-0.7) / np.expm1(-0.7) ** 2),
    (_binomial7_log_partition, 0.3,
     7.0 * special.expit(0.3), 7.0 * special.expit(0.3) * special.expit(-0.3)),
    (_gamma3_log_partition, -1.5, 3.0 / 1.5, 3.0 / 1.5**2),
)


def _pair(value):
    try:
        pair = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise StudentError(wrong(f"return two numbers (mean, variance), got {value!r}")) from None
    if pair.shape != (2,):
        raise StudentError(
            wrong(f"return two numbers (mean, variance), got something of shape {pair.shape}")
        )
    return pair


@exercise
def check_mean_and_variance(mean_and_variance) -> Feedback:
    """Exercise 02.2: ``mean_and_variance(log_partition, theta)`` returns
    (A'(θ), A''(θ)) by finite differences, for any log-partition A it is given.

    Tested on the geometric, Binomial(7) and Gamma(shape 3) log-partitions, which the
    lesson does not differentiate.
    """
    answers = [_pair(call_student(mean_and_variance, case[0], case[1]))
               for case in _MEAN_VARIANCE_CASES]
    for (log_partition, theta, mean, variance), (got_mean, got_var) in zip(
        _MEAN_VARIANCE_CASES, answers, strict=True
    ):
        mean_ok = close(got_mean, mean, rtol=1e-3, atol=1e-8)
        var_ok = close(got_var, variance, rtol=1e-3, atol=1e-7)
        if mean_ok and var_ok:
            continue
        value = float(log_partition(theta))
        if np.allclose(answers[0], answers[1]) and np.allclose(answers[1], answers[2]):
            return wrong("you return the same numbers for every log-partition: your function "
                         "must differentiate the log_partition it is given, not a formula of "
                         "one family")
        if close(got_mean, variance, rtol=1e-3) and close(got_var, mean, rtol=1e-3):
            return wrong("mean and variance are swapped: return (A'(θ), A''(θ)) in that order")
        if not mean_ok:
            message = _first_match(got_mean, [
                (value, "your 'mean' is A(θ) itself; the mean is its slope A'(θ)"),
                (-mean, "your A'(θ) has the wrong sign: use [A(θ + h) − A(θ − h)] / (2h)"),
                (np.exp(theta), "your mean is e^θ, the Poisson's A'(θ); differentiate the "
                 "log_partition you are given"),
                (2.0 * mean, "your A'(θ) is twice too large: a central difference over "
                 "[θ − h, θ + h] divides by 2h"),
                (0.5 * mean, "your A'(θ) is half the right value: a one-sided difference "
                 "[A(θ + h) − A(θ)] divides by h, a central one by 2h"),
            ], rtol=1e-4)
            return wrong(message or f"for a log-partition the lesson does not show, at "
                         f"θ = {theta} the mean A'(θ) is {mean:.6f}, you give {got_mean:.6f}")
        if close(got_var, np.sqrt(variance), rtol=1e-4):
            return wrong("you returned the standard deviation √A''(θ); return the variance "
                         "A''(θ) itself")
        if close(got_var, value, rtol=1e-4):
            return wrong("your variance is A(θ) itself; the variance is the curvature A''(θ)")
        if close(got_var, -variance, rtol=1e-4):
            return wrong("your A''(θ) has the wrong sign: the second difference is "
                         "A(θ + h) − 2A(θ) + A(θ − h), divided by h²")
        if close(got_var, mean, rtol=1e-4):
            return wrong("your variance equals the mean A'(θ): you differentiated once; the "
                         "variance is the SECOND derivative A''(θ)")
        if 1e-9 < abs(got_var / variance) < 0.1:
            return wrong(f"your A''(θ) is {got_var / variance:.3g} times the right value, which "
                         "is what dividing the second difference by h (instead of h²) does")
        return wrong(f"your mean is right but your variance is off by "
                     f"{100 * abs(got_var / variance - 1):.2g}% (A''(θ) = {variance:.6f} at "
                     f"θ = {theta}, you give {got_var:.6f}). If your step h is tiny, round-off "
                     "is divided by h²: try h = 1e-4; a one-sided second difference is less "
                     "accurate than the central one")
    return correct("(A'(θ), A''(θ)) by finite differences agree with the closed forms for the "
                   "geometric, Binomial(7) and Gamma(shape 3) log-partitions.")


# -- 02.3 Ψ of the geometric distribution ----------------------------------------------
_GEOMETRIC_MEANS = np.array([0.2, 1.0, 3.7, 25.0])


@exercise
def check_geometric_psi(geometric_psi) -> Feedback:
    """Exercise 02.3: ``geometric_psi(mu)`` returns θ = Ψ(μ) = log(μ / (1 + μ)), the
    canonical parameter of the geometric distribution whose mean (failures before the
    first success) is μ; it must work on arrays."""
    mu = _GEOMETRIC_MEANS
    expected = np.log(mu / (1.0 + mu))
    theta = _array(call_student(geometric_psi, mu.copy()), "Ψ(μ)", mu.shape)
    if close(theta, expected, rtol=1e-8):
        return correct("Ψ(μ) = log(μ/(1 + μ)); it is the canonical link of "
                       "NegativeBinomial(alpha=1), whose r = 1 member IS the geometric.")
    message = _first_match(theta, [
        (np.log(mu), "Ψ(μ) = log μ is the Poisson's bridge; here A'(θ) = e^θ/(1 − e^θ), and "
         "solving that for θ gives log(μ/(1 + μ))"),
        (special.logit(mu), "log(μ/(1 − μ)) is the Bernoulli's bridge (and is NaN for μ > 1); "
         "solve e^θ/(1 − e^θ) = μ instead, which gives log(μ/(1 + μ))"),
        (np.exp(mu) / -np.expm1(mu), "you computed A'(μ), the map from θ to the mean; Ψ goes "
         "the other way: solve A'(θ) = μ for θ"),
        (-np.log1p(mu), "you returned log(1/(1 + μ)) = log p, the log of the success "
         "probability; θ pairs with y = the number of failures, so θ = log(1 − p) = "
         "log(μ/(1 + μ))"),
        (mu / (1.0 + mu), "you forgot the log: e^θ = μ/(1 + μ), so θ = log(μ/(1 + μ))"),
        (np.log((1.0 + mu) / mu), "the sign is flipped: θ = log(μ/(1 + μ)) is negative for "
         "every μ (the geometric's θ = log(1 − p) < 0)"),
    ])
    if message:
        return wrong(message)
    with np.errstate(all="ignore"):
        back = np.exp(theta) / -np.expm1(theta)
    return wrong(f"plugging your θ back into A'(θ) = e^θ/(1 − e^θ) gives means "
                 f"{np.round(back, 4).tolist()}, not μ = {mu.tolist()}")
