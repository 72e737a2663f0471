"""Checks for lesson 05 (logistic regression): odds ratios from a coefficient, the
log-likelihood of logistic regression and the decision boundary.

Each check runs the student's function on fresh coefficients and data (not the
Challenger flights) and names the usual mistake when the answer matches one.

Introduced in 05_logistic_regression.
"""

from __future__ import annotations

import inspect

import numpy as np
from scipy import special

from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    as_number,
    call_student,
    close,
    correct,
    exercise,
    side_by_side,
    wrong,
)
from glmlesson.exercises._core import first_match as _matches

__all__ = ["check_odds_ratio", "check_logistic_loglik", "check_decision_boundary"]

# -- 05.1 odds ratio ------------------------------------------------------------------
_ODDS_CASES = ((-0.35, 1.0), (0.12, 5.0), (-0.08, -10.0), (0.6, 2.5))


@exercise
def check_odds_ratio(odds_ratio) -> Feedback:
    """Exercise 05.1: ``odds_ratio(beta, change)`` returns exp(β·Δx), the factor that
    multiplies the odds when x grows by Δx = ``change``."""
    for beta, change in _ODDS_CASES:
        expected = float(np.exp(beta * change))
        case = f"for β = {beta} and Δx = {change:g}"
        answer = as_number(call_student(odds_ratio, beta, change, case=case,
                                        names=("beta", "change")), "an odds ratio", case)
        if close(answer, expected):
            continue
        message = _matches(answer, [
            (beta * change, "you returned β·Δx, the change in LOG-odds; the odds are multiplied "
             "by its exponential, exp(β·Δx)"),
            (np.exp(beta), "you returned exp(β), the odds ratio for a ONE-unit step; for a step "
             "of Δx units the ratio is exp(β·Δx) = exp(β)^Δx"),
            (np.exp(10.0 * beta), "you returned exp(10·β), the odds ratio per 10 units, whatever "
             "the step; use the step Δx you are given: exp(β·Δx)"),
            (np.exp(beta) * change, "you multiplied exp(β) by Δx; odds ratios compound by "
             "multiplication, so a step of Δx units gives exp(β)^Δx = exp(β·Δx)"),
            (np.exp(-beta * change), "the sign is flipped: that is the odds ratio for a step of "
             "−Δx; use exp(+β·Δx)"),
            (special.expit(beta * change), "you passed β·Δx through the logistic function, which "
             "gives a probability; an odds ratio is exp(β·Δx)"),
            (np.exp(beta * change) - 1.0, "that is the relative change of the odds, "
             "exp(β·Δx) − 1; return the ratio exp(β·Δx) itself"),
        ])
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the odds ratio is {want}, your function gives {got}")
    return correct("exp(β·Δx): for example β = −0.35 halves the odds in about two units, "
                   f"exp(−0.7) = {np.exp(-0.7):.3f}.")


# -- 05.2 log-likelihood ---------------------------------------------------------------
def _logistic_case(seed, n=60, scale=1.0):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, 2))])
    beta = scale * np.array([-0.4, 1.1, -0.7])
    y = rng.binomial(1, special.expit(X @ np.array([-0.4, 1.1, -0.7]))).astype(float)
    return beta, X, y


def _reference_loglik(beta, X, y):
    eta = X @ beta
    return float(np.sum(y * eta - np.logaddexp(0.0, eta)))


@exercise
def check_logistic_loglik(logistic_loglik) -> Feedback:
    """Exercise 05.2: ``logistic_loglik(beta, X, y)`` returns Σ [yᵢηᵢ − log(1 + e^ηᵢ)],
    η = Xβ, computed stably (finite even when |η| is near a thousand)."""
    beta, X, y = _logistic_case(5201)
    expected = _reference_loglik(beta, X, y)
    case = f"on fresh data (n = {y.size})"
    answer = as_number(call_student(logistic_loglik, beta, X, y, case=case,
                                    names=("beta", "X", "y")), "the log-likelihood", case)
    if not close(answer, expected, rtol=1e-8):
        eta = X @ beta
        mu = special.expit(eta)
        message = _matches(answer, [
            (-expected, "the sign is flipped: you returned the negative log-likelihood (the "
             "loss a minimiser uses); the log-likelihood of 0/1 data is negative"),
            (expected / y.size, "you averaged over observations; the log-likelihood is the sum"),
            (-expected / y.size, "you returned the average negative log-likelihood (the "
             "cross-entropy loss); return the summed log-likelihood"),
            (float(np.sum(y * np.log(mu))), "the (1 − y)·log(1 − μ) term is missing: with your "
             "formula the flights with y = 0 add nothing"),
            (float(np.sum(y * eta - eta)), "you wrote log(1 + e^η) as η; keep the full "
             "log(1 + e^η) (np.logaddexp(0, η))"),
            (float(np.sum(y * eta - np.exp(eta))), "you used e^η (the Poisson log-partition) "
             "instead of the Bernoulli one, log(1 + e^η)"),
            (float(np.sum(y * mu - np.logaddexp(0.0, mu))), "you used μ where η belongs: the "
             "natural parameter of the Bernoulli is θ = η = Xβ, not the probability"),
        ], rtol=1e-8)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the log-likelihood is {want}, your function gives "
                     f"{got}")
    big_beta, X, y = _logistic_case(5202, n=40, scale=400.0)
    expected = _reference_loglik(big_beta, X, y)
    case = "with |η| near a thousand"
    answer = as_number(call_student(logistic_loglik, big_beta, X, y, case=case),
                       "the log-likelihood", case)
    if not np.isfinite(answer):
        largest = float(np.max(np.abs(X @ big_beta)))
        return wrong(f"right on ordinary data, but you return {answer} when |η| reaches "
                     f"{largest:.0f}: e^η overflows, or μ rounds to exactly 0 or 1 and log μ "
                     "= −inf. Use np.logaddexp(0, η) for log(1 + e^η)")
    if not close(answer, expected, rtol=1e-6):
        want, got = side_by_side(expected, answer)
        return wrong(f"right on ordinary data, but with |η| near a thousand the log-likelihood "
                     f"is {want} and you give {got}: use np.logaddexp(0, η) for "
                     "log(1 + e^η) rather than clipping μ")
    return correct("Σ [yη − log(1 + e^η)], finite even for huge η.")


# -- 05.3 decision boundary --------------------------------------------------------------
# The first case has p ≠ 0.5, where logit(p) ≠ 0 tells apart mistakes that coincide at 0.5.
_BOUNDARY_CASES = (((-3.0, 0.4), 0.9), ((2.0, -0.5), 0.5), ((1.2, 0.3), 0.2), ((4.0, -0.8), 0.75))


def _default_p(function):
    """The default value of the function's second parameter (p), or None."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None
    if len(parameters) < 2 or parameters[1].default is inspect.Parameter.empty:
        return None
    return parameters[1].default


@exercise
def check_decision_boundary(decision_boundary) -> Feedback:
    """Exercise 05.3: ``decision_boundary(beta, p)`` returns x* with P(y = 1 | x*) = p in
    the one-feature model logit μ = β₀ + β₁x: x* = (logit(p) − β₀)/β₁."""
    for (b0, b1), p in _BOUNDARY_CASES:
        beta = np.array([b0, b1])
        expected = float((special.logit(p) - b0) / b1)
        case = f"for β = ({b0}, {b1}) and p = {p}"
        answer = as_number(call_student(decision_boundary, beta.copy(), p, case=case,
                                        names=("beta", "p")), "x*", case)
        if close(answer, expected):
            continue
        message = _matches(answer, [
            (-b0 / b1 if p != 0.5 else np.nan, "you ignored p: −β₀/β₁ is where the "
             "probability is 0.5 (log-odds 0); for another p solve β₀ + β₁x = logit(p)"),
            (b0 / b1, "the sign is flipped: β₀ + β₁x = 0 gives x = −β₀/β₁"),
            (-b1 / b0, "the ratio is upside down: β₀ + β₁x = 0 gives x = −β₀/β₁"),
            ((p - b0) / b1, "you set the linear predictor equal to the probability p; η is on "
             "the log-odds scale, so set β₀ + β₁x = logit(p)"),
            ((special.logit(p) + b0) / b1, "the intercept has the wrong sign: solve "
             "β₀ + β₁x = logit(p), so x = (logit(p) − β₀)/β₁"),
            ((-special.logit(p) - b0) / b1, "you used logit(1 − p); the probability of y = 1 is "
             "p, so the log-odds are logit(p) = log(p/(1 − p))"),
            ((np.log(p) - b0) / b1, "you used log p; the log-odds are logit(p) = log(p/(1 − p))"),
        ])
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the boundary is x* = {want}, your function gives {got}")
    default = _default_p(decision_boundary)
    if default is not None and default != 0.5:
        return wrong(f"right for every p the check passes, but your default is p = {default}; "
                     "keep the stub's p=0.5, so that decision_boundary(beta) is the 50% "
                     "boundary the lesson uses")
    return correct("x* = (logit(p) − β₀)/β₁, which is −β₀/β₁ at p = 0.5.")


# ------------------------------------------------------------ typical wrong answers
check_odds_ratio.mistakes = (
    Mistake("β·Δx (log-odds, not odds)", lambda beta, change: beta * change, "LOG-odds"),
    Mistake("exp(β) whatever the step", lambda beta, change: np.exp(beta), "ONE-unit step"),
    Mistake("exp(10β) (the lesson's step)", lambda beta, change: np.exp(10 * beta),
            "per 10 units"),
    Mistake("exp(β)·Δx", lambda beta, change: np.exp(beta) * change, "compound by multiplication"),
    Mistake("exp(−β·Δx)", lambda beta, change: np.exp(-beta * change), "sign is flipped"),
    Mistake("expit(β·Δx)", lambda beta, change: special.expit(beta * change),
            "logistic function"),
    Mistake("relative change exp(β·Δx) − 1", lambda beta, change: np.expm1(beta * change),
            "relative change"),
    Mistake("an array of ratios", lambda beta, change: np.exp(beta * np.arange(1, 4)),
            "one number"),
)


def _loglik(per_obs, per_n=1.0):
    def logistic_loglik(beta, X, y):
        eta = X @ beta
        return np.sum(per_obs(y, eta)) / per_n
    return logistic_loglik


def _naive(beta, X, y):
    mu = 1 / (1 + np.exp(-(X @ beta)))
    return np.sum(y * np.log(mu) + (1 - y) * np.log(1 - mu))


check_logistic_loglik.mistakes = (
    Mistake("negative log-likelihood",
            _loglik(lambda y, e: -(y * e - np.logaddexp(0, e))), "sign is flipped"),
    Mistake("averaged", lambda b, X, y: _loglik(lambda y, e: y * e - np.logaddexp(0, e))(b, X, y)
            / len(y), "averaged"),
    Mistake("cross-entropy loss (average negative)",
            lambda b, X, y: -_loglik(lambda y, e: y * e - np.logaddexp(0, e))(b, X, y) / len(y),
            "cross-entropy"),
    Mistake("(1 − y)·log(1 − μ) left out",
            _loglik(lambda y, e: y * np.log(special.expit(e))), "(1 − y)·log(1 − μ)"),
    Mistake("log(1 + e^η) written as η", _loglik(lambda y, e: y * e - e), "as η"),
    Mistake("Poisson log-partition e^η", _loglik(lambda y, e: y * e - np.exp(e)), "Poisson"),
    Mistake("μ where η belongs",
            _loglik(lambda y, e: y * special.expit(e) - np.logaddexp(0, special.expit(e))),
            "used μ where η belongs"),
    Mistake("overflows for large |η| (log μ with μ rounded to 0 or 1)", _naive, "np.logaddexp"),
    Mistake("log1p(exp(η)), which overflows for large η",
            _loglik(lambda y, e: y * e - np.log1p(np.exp(e))), "np.logaddexp"),
    Mistake("μ clipped away from 0 and 1",
            lambda b, X, y: np.sum(y * np.log(np.clip(special.expit(X @ b), 1e-12, 1 - 1e-12))
                                   + (1 - y) * np.log(np.clip(1 - special.expit(X @ b), 1e-12,
                                                              1 - 1e-12))), "clipping"),
    Mistake("per-observation terms, not their sum",
            lambda b, X, y: y * (X @ b) - np.logaddexp(0, X @ b), "one number"),
)

check_decision_boundary.mistakes = (
    Mistake("p ignored (−β₀/β₁)", lambda beta, p=0.5: -beta[0] / beta[1], "ignored p"),
    Mistake("β₀/β₁", lambda beta, p=0.5: beta[0] / beta[1], "sign is flipped"),
    Mistake("−β₁/β₀", lambda beta, p=0.5: -beta[1] / beta[0], "upside down"),
    Mistake("η set equal to p", lambda beta, p=0.5: (p - beta[0]) / beta[1], "equal to the "
            "probability"),
    Mistake("intercept added", lambda beta, p=0.5: (special.logit(p) + beta[0]) / beta[1],
            "intercept has the wrong sign"),
    Mistake("logit(1 − p)", lambda beta, p=0.5: (special.logit(1 - p) - beta[0]) / beta[1],
            "logit(1 − p)"),
    Mistake("log p instead of logit p", lambda beta, p=0.5: (np.log(p) - beta[0]) / beta[1],
            "you used log p"),
    Mistake("the stub's default p = 0.5 changed",
            lambda beta, p=0.9: (special.logit(p) - beta[0]) / beta[1], "your default is p = 0.9"),
    Mistake("probit instead of logit",
            lambda beta, p=0.5: (special.ndtri(p) - beta[0]) / beta[1], "the boundary is"),
)
