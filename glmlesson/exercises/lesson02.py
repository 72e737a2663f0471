"""Checks for lesson 02 (the exponential family): the geometric distribution in
exponential-family form, mean and variance as derivatives of the log-partition, and
the bridge Ψ of the geometric distribution.

The lesson works through the Bernoulli, Binomial, Poisson, Normal and Gamma; every
check here runs on the geometric distribution or on log-partitions the lesson never
shows, at parameters drawn for the check.

Introduced in 02_exponential_family.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy import optimize, special, stats

from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    StudentError,
    as_array,
    as_number,
    call_student,
    close,
    correct,
    exercise,
    is_untouched,
    not_attempted,
    side_by_side,
    wrong,
)
from glmlesson.exercises._core import first_match as _first_match

__all__ = ["check_geometric_form", "check_mean_and_variance", "check_geometric_psi"]


_ON_ARRAYS = "one value per input: use numpy functions (np.log, np.exp) so it works on arrays"


def _per_y(value, what, shape):
    """h(y) or T(y) as an array of ``shape``; a plain number (h(y) = 1) is broadcast."""
    if np.ndim(value) == 0 and not isinstance(value, (str, dict)):
        value = np.full(shape, as_number(value, what))
    return as_array(value, what, shape, meaning=_ON_ARRAYS)


# -- 02.1 the geometric distribution in exponential-family form -------------------------
_GEOMETRIC_KEYS = ("h", "T", "theta", "log_partition")
_GEOMETRIC_P = (0.15, 0.42, 0.83)
_GEOMETRIC_Y = np.arange(0.0, 61.0)


def _geometric_piece(answer, key, *args):
    """Call one of the student's four functions; a piece still a stub is named."""
    try:
        return call_student(answer[key], *args, case=f"in {key!r}")
    except StudentError as error:
        if error.feedback.status == "not attempted":
            raise StudentError(wrong(f"{key!r} is still the stub (it returns ...): fill it in "
                                     "as well")) from None
        raise


def _globals_read(function):
    """Names of global numbers a function reads (a θ-function reading the notebook's p)."""
    code, space = getattr(function, "__code__", None), getattr(function, "__globals__", {})
    if code is None:
        return []
    return [name for name in code.co_names
            if isinstance(space.get(name), (numbers.Number, np.ndarray))]


def _ignores_theta(log_partition, thetas):
    """A message when log_partition gives one value for every θ (e.g. it reads a global p)."""
    values = [as_number(call_student(log_partition, theta, case=f"at θ = {theta:.4g}"),
                        "log_partition(θ)") for theta in thetas]
    if not np.allclose(values, values[0], rtol=1e-12, atol=1e-12):
        return None
    if np.allclose(values, 0.0):
        return ("log_partition returns 0 for every θ: A(θ) = log Z(θ) is what makes the "
                "probabilities sum to one, so it cannot be left out")
    names = _globals_read(log_partition)
    reads = f" (it reads the global {', '.join(names)})" if names else ""
    shown = ", ".join(f"{t:.3f}" for t in thetas)
    return (f"log_partition does not depend on θ{reads}: it returns {values[0]:.4f} for "
            f"θ = {shown}. Write A as a function of its argument θ alone, e.g. "
            "Z(θ) = Σ e^{θy} = 1/(1 − e^θ)")


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
    if all(is_untouched(answer[key]) for key in _GEOMETRIC_KEYS):
        return not_attempted()
    y, y_long = _GEOMETRIC_Y, np.arange(0.0, 4001.0)  # y_long: for the normalising sum
    with np.errstate(all="ignore"):
        log_h = np.log(_per_y(_geometric_piece(answer, "h", y.copy()), "h(y)", y.shape))
        log_h_long = np.log(_per_y(_geometric_piece(answer, "h", y_long.copy()), "h(y)",
                                   y_long.shape))
    T = _per_y(_geometric_piece(answer, "T", y.copy()), "T(y)", y.shape)
    T_long = _per_y(_geometric_piece(answer, "T", y_long.copy()), "T(y)", y_long.shape)
    thetas = [as_number(_geometric_piece(answer, "theta", p), "theta(p)")
              for p in _GEOMETRIC_P]
    for p, theta in zip(_GEOMETRIC_P, thetas, strict=True):
        log_partition = as_number(_geometric_piece(answer, "log_partition", theta),
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
            message = _ignores_theta(answer["log_partition"], thetas)
            message = message or _first_match(log_partition, [
                (-log_z, f"A(θ) has the wrong sign: at p = {p} your pieces give "
                 f"Z(θ) = Σ h(y)e^{{T(y)θ}} = {np.exp(log_z):.4f}, so A(θ) = log Z(θ) = "
                 f"{log_z:.4f}, but you return {log_partition:.4f}"),
                (np.exp(log_z), "you returned Z(θ) itself; log_partition must return "
                 "A(θ) = log Z(θ)"),
                (-np.log1p(-theta), "you wrote −log(1 − θ): θ stands where e^θ belongs. "
                 "Z(θ) = Σ e^{θy} = 1/(1 − e^θ), so A(θ) = −log(1 − e^θ)"),
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
    (_gamma3_log_partition, -0.4, 3.0 / 0.4, 3.0 / 0.4**2),  # curved: a large h shows
)


def _central(log_partition, theta, h):
    above, here, below = (log_partition(theta + h), log_partition(theta),
                          log_partition(theta - h))
    return (above - below) / (2 * h), (above - 2 * here + below) / h**2


def _one_sided(log_partition, theta, h):
    here, above, above2 = (log_partition(theta), log_partition(theta + h),
                           log_partition(theta + 2 * h))
    return (above - here) / h, (above2 - 2 * above + here) / h**2


_SCHEMES = (("a central", _central, 1e-3), ("a one-sided", _one_sided, 1e-6))
_DIGITS = 2e-5  # relative accuracy asked of A'(θ) and A''(θ)


def _implied_steps(log_partition, theta, got, which):
    """(scheme, h) of finite differences whose ``which``-th number (0: A', 1: A'') equals
    ``got``, for steps h from the scheme's smallest fair value up to 1."""
    for scheme, difference, smallest in _SCHEMES:
        steps = np.logspace(np.log10(smallest), 0.0, 161)
        with np.errstate(all="ignore"):
            gaps = np.array([difference(log_partition, theta, h)[which] - got for h in steps])
        crossings = np.flatnonzero(np.isfinite(gaps[:-1]) & np.isfinite(gaps[1:])
                                   & (np.sign(gaps[:-1]) != np.sign(gaps[1:])))
        for i in crossings:
            h = optimize.brentq(
                lambda step, f=difference: f(log_partition, theta, step)[which] - got,
                steps[i], steps[i + 1])
            yield scheme, difference, h


def _step_message(log_partition, theta, got_mean, got_var):
    """Name a step that is too large (or a one-sided difference), from the numbers; only
    when one step and one scheme reproduce both of them."""
    for which, got, what in ((0, got_mean, "A'(θ)"), (1, got_var, "A''(θ)")):
        for scheme, difference, h in _implied_steps(log_partition, theta, got, which):
            if not close(difference(log_partition, theta, h), [got_mean, got_var], rtol=1e-6):
                continue
            if scheme == "a one-sided":
                return (f"your {what} is what {scheme} difference with step h ≈ {h:.2g} gives: "
                        "its error shrinks only like h. Use the central differences "
                        "[A(θ + h) − A(θ − h)]/(2h) and [A(θ + h) − 2A(θ) + A(θ − h)]/h², with "
                        "h ≈ 1e-4")
            return (f"your {what} is what a central difference with step h ≈ {h:.2g} gives: "
                    "the step is too large (the error grows like h², and the check asks for "
                    "about 5 correct digits). Take h ≈ 1e-4")
    return None


def _geometric_difference(theta):
    return _central(_geometric_log_partition, theta, 1e-4)


@exercise
def check_mean_and_variance(mean_and_variance) -> Feedback:
    """Exercise 02.2: ``mean_and_variance(log_partition, theta)`` returns
    (A'(θ), A''(θ)) by finite differences, for any log-partition A it is given.

    Tested on the geometric, Binomial(7) and Gamma(shape 3) log-partitions, which the
    lesson does not differentiate. Both numbers must be right to a relative 2e-5: central
    differences with a step h from 1e-5 to 1e-3 are (the hint's 1e-4 by a factor of 600);
    a central step of 0.01 misses by 5 to 15 times that, a one-sided difference with
    h = 1e-4 by 25 times, and h = 1e-6 loses A''(θ) to round-off.
    """
    answers = []
    for log_partition, theta, _, _ in _MEAN_VARIANCE_CASES:
        case = f"at θ = {theta}"
        result = call_student(mean_and_variance, log_partition, theta, case=case,
                              names=("log_partition", "theta"))
        answers.append(as_array(result, "the answer", (2,), case,
                                "two numbers: (mean, variance)"))
    for (log_partition, theta, mean, variance), (got_mean, got_var) in zip(
        _MEAN_VARIANCE_CASES, answers, strict=True
    ):
        mean_ok = close(got_mean, mean, rtol=_DIGITS, atol=1e-10)
        var_ok = close(got_var, variance, rtol=_DIGITS, atol=1e-10)
        if mean_ok and var_ok:
            continue
        value = float(log_partition(theta))
        if np.allclose(answers[0], answers[1]) and np.allclose(answers[1], answers[2]):
            return wrong("you return the same numbers for every log-partition: your function "
                         "must differentiate the log_partition it is given, not a formula of "
                         "one family")
        geometric = log_partition is _geometric_log_partition
        if not geometric and close(np.array([got_mean, got_var]), _geometric_difference(theta),
                                   rtol=1e-4, equal_nan=True):
            return wrong("you differentiated the geometric log-partition whatever the argument: "
                         "call the log_partition your function is given")
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
            message = message or _step_message(log_partition, theta, got_mean, got_var)
            want, got = side_by_side(mean, got_mean)
            return wrong(message or f"for a log-partition the lesson does not show, at "
                         f"θ = {theta} the mean A'(θ) is {want}, you give {got}")
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
        message = _step_message(log_partition, theta, got_mean, got_var)
        want, got = side_by_side(variance, got_var)
        return wrong(message or f"your mean is right but your variance is off (A''(θ) = {want} "
                     f"at θ = {theta}, you give {got}). If your step h is tiny, round-off "
                     "is divided by h²: take h ≈ 1e-4")
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
    case = f"for μ = {mu.tolist()}"
    theta = as_array(call_student(geometric_psi, mu.copy(), case=case, names=("mu",)), "Ψ(μ)",
                     mu.shape, case, _ON_ARRAYS)
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


# ------------------------------------------------------------ typical wrong answers
def _geometric_answer(**changes):
    pieces = {
        "h": lambda y: np.ones_like(y),
        "T": lambda y: y,
        "theta": lambda p: np.log(1 - p),
        "log_partition": lambda theta: -np.log(1 - np.exp(theta)),
    }
    pieces.update(changes)
    return pieces


_NOTEBOOK_P = 0.3  # stands for a p the notebook defined earlier and a θ-function read


def _still_stub(value):
    return ...


check_geometric_form.mistakes = (
    Mistake("θ = log p", _geometric_answer(theta=np.log), "θ = log p"),
    Mistake("θ = logit p", _geometric_answer(theta=special.logit), "Bernoulli's canonical"),
    Mistake("θ = 1 − p (log forgotten)", _geometric_answer(theta=lambda p: 1 - p),
            "forgot the log"),
    Mistake("A(θ) with the wrong sign",
            _geometric_answer(log_partition=lambda theta: np.log(1 - np.exp(theta))),
            "wrong sign"),
    Mistake("Z(θ) instead of log Z(θ)",
            _geometric_answer(log_partition=lambda theta: 1 / (1 - np.exp(theta))),
            "returned Z(θ) itself"),
    Mistake("A written with a global p, so it ignores θ",
            _geometric_answer(log_partition=lambda theta: -np.log(_NOTEBOOK_P)),
            "does not depend on θ"),
    Mistake("A(θ) = −log(1 − θ) (θ where e^θ belongs)",
            _geometric_answer(log_partition=lambda theta: -np.log(1 - theta)),
            "θ stands where e^θ belongs"),
    Mistake("A(θ) left out", _geometric_answer(log_partition=lambda theta: 0.0),
            "cannot be left out"),
    Mistake("T(y) = −y with θ = log(1 − p): terms grow",
            _geometric_answer(T=lambda y: -y), "cannot sum"),
    Mistake("h(y) = 1/y! (the Poisson's h)",
            _geometric_answer(h=lambda y: np.exp(-special.gammaln(y + 1))), "do not sum to one"),
    Mistake("one piece still the stub", _geometric_answer(h=_still_stub), "'h' is still the stub"),
    Mistake("a list instead of a dict", [np.log], "dictionary"),
)


def _differences(first, h):
    def mean_and_variance(log_partition, theta):
        return first(log_partition, theta, h)
    return mean_and_variance


check_mean_and_variance.mistakes = (
    Mistake("central difference with a large step h = 0.1", _differences(_central, 0.1),
            "step is too large"),
    Mistake("central difference with h = 0.01", _differences(_central, 0.01),
            "step is too large"),
    Mistake("one-sided differences (h = 1e-4)", _differences(_one_sided, 1e-4), "one-sided"),
    Mistake("tiny step h = 1e-7 (round-off in A'')", _differences(_central, 1e-7),
            "round-off"),
    Mistake("mean and variance swapped",
            lambda A, t: _central(A, t, 1e-4)[::-1], "swapped"),
    Mistake("A(θ) as the mean", lambda A, t: (A(t), _central(A, t, 1e-4)[1]), "A(θ) itself"),
    Mistake("first difference with the wrong sign",
            lambda A, t: (-_central(A, t, 1e-4)[0], _central(A, t, 1e-4)[1]), "wrong sign"),
    Mistake("central difference divided by h, not 2h",
            lambda A, t: ((A(t + 1e-4) - A(t - 1e-4)) / 1e-4, _central(A, t, 1e-4)[1]),
            "twice too large"),
    Mistake("Poisson's e^θ as the mean", lambda A, t: (np.exp(t), _central(A, t, 1e-4)[1]),
            "e^θ"),
    Mistake("standard deviation instead of variance",
            lambda A, t: (_central(A, t, 1e-4)[0], np.sqrt(_central(A, t, 1e-4)[1])),
            "standard deviation"),
    Mistake("the first derivative twice",
            lambda A, t: (_central(A, t, 1e-4)[0], _central(A, t, 1e-4)[0]),
            "differentiated once"),
    Mistake("second difference divided by h",
            lambda A, t: (_central(A, t, 1e-4)[0], _central(A, t, 1e-4)[1] * 1e-4),
            "instead of h²"),
    Mistake("second difference with the wrong sign",
            lambda A, t: (_central(A, t, 1e-4)[0], -_central(A, t, 1e-4)[1]), "wrong sign"),
    Mistake("differentiates the geometric A whatever it is given",
            lambda A, t: _geometric_difference(t), "geometric log-partition"),
    Mistake("returns one number", lambda A, t: _central(A, t, 1e-4)[0], "two numbers"),
)

check_geometric_psi.mistakes = (
    Mistake("log μ (the Poisson's Ψ)", np.log, "Poisson's bridge"),
    Mistake("logit μ (the Bernoulli's Ψ)", special.logit, "Bernoulli's bridge"),
    Mistake("A'(μ) instead of its inverse", lambda mu: np.exp(mu) / (1 - np.exp(mu)),
            "computed A'(μ)"),
    Mistake("log p instead of log(1 − p)", lambda mu: np.log(1 / (1 + mu)),
            "log of the success probability"),
    Mistake("the log forgotten", lambda mu: mu / (1 + mu), "forgot the log"),
    Mistake("the sign flipped", lambda mu: np.log((1 + mu) / mu), "sign is flipped"),
    Mistake("a loop that keeps the last value", lambda mu: np.log(mu[-1] / (1 + mu[-1])),
            "should have shape"),
    Mistake("log(μ/(1 − μ)) written out by hand", lambda mu: np.log(mu / (1 - mu)),
            "Bernoulli's bridge"),
    Mistake("an unrelated formula", lambda mu: np.log(mu / (2 + mu)), "plugging your θ back"),
)
