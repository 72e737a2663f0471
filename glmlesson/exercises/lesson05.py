"""Checks for lesson 05 (logistic regression): odds ratios from a coefficient, the
log-likelihood of logistic regression and the decision boundary.

Each check runs the student's function on fresh coefficients and data (not the
Challenger flights) and names the usual mistake when the answer matches one.

Introduced in 05_logistic_regression.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from glmlesson.exercises import hints
from glmlesson.exercises._core import Feedback, call_student, close, correct, exercise, wrong
from glmlesson.exercises._core import as_number as _as_number
from glmlesson.exercises._core import first_match as _matches

__all__ = ["check_odds_ratio", "check_logistic_loglik", "check_decision_boundary"]

hints.register(
    "05.1",
    "β is the change in log-odds for a one-unit step in x. A step of Δx units changes the "
    "log-odds by β·Δx; the odds themselves are multiplied by the exponential of that.",
)
hints.register(
    "05.2",
    "With η = Xβ and μ = expit(η), each observation adds y·log μ + (1 − y)·log(1 − μ), which "
    "simplifies to y·η − log(1 + e^η). Sum over observations. Compute log(1 + e^η) with "
    "np.logaddexp(0, η) so that large η does not overflow.",
)
hints.register(
    "05.3",
    "The probability is p where the log-odds are logit(p): solve β₀ + β₁x = logit(p) for x. "
    "At p = 0.5 the log-odds are 0.",
)
# -- 05.1 odds ratio ------------------------------------------------------------------
_ODDS_CASES = ((-0.35, 1.0), (0.12, 5.0), (-0.08, -10.0), (0.6, 2.5))


@exercise
def check_odds_ratio(odds_ratio) -> Feedback:
    """Exercise 05.1: ``odds_ratio(beta, change)`` returns exp(β·Δx), the factor that
    multiplies the odds when x grows by Δx = ``change``."""
    for beta, change in _ODDS_CASES:
        expected = float(np.exp(beta * change))
        answer, problem = _as_number(call_student(odds_ratio, beta, change), "an odds ratio")
        if problem:
            return problem
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
        return wrong(message or f"for β = {beta} and a step of Δx = {change:g} the odds ratio "
                     f"is {expected:.4f}, your function gives {answer:.4f}")
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
    answer, problem = _as_number(call_student(logistic_loglik, beta, X, y), "the log-likelihood")
    if problem:
        return problem
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
        return wrong(message or f"on fresh data (n = {y.size}) the log-likelihood is "
                     f"{expected:.4f}, your function gives {answer:.4f}")
    big_beta, X, y = _logistic_case(5202, n=40, scale=400.0)
    expected = _reference_loglik(big_beta, X, y)
    answer, problem = _as_number(call_student(logistic_loglik, big_beta, X, y),
                                 "the log-likelihood")
    if problem:
        return problem
    if not np.isfinite(answer):
        largest = float(np.max(np.abs(X @ big_beta)))
        return wrong(f"right on ordinary data, but you return {answer} when |η| reaches "
                     f"{largest:.0f}: e^η overflows, or μ rounds to exactly 0 or 1 and log μ "
                     "= −inf. Use np.logaddexp(0, η) for log(1 + e^η)")
    if not close(answer, expected, rtol=1e-6):
        return wrong(f"right on ordinary data, but with |η| near a thousand the log-likelihood "
                     f"is {expected:.4f} and you give {answer:.4f}: use np.logaddexp(0, η) for "
                     "log(1 + e^η) rather than clipping μ")
    return correct("Σ [yη − log(1 + e^η)], finite even for huge η.")


# -- 05.3 decision boundary --------------------------------------------------------------
_BOUNDARY_CASES = (((2.0, -0.5), 0.5), ((-3.0, 0.4), 0.9), ((1.2, 0.3), 0.2), ((4.0, -0.8), 0.75))


@exercise
def check_decision_boundary(decision_boundary) -> Feedback:
    """Exercise 05.3: ``decision_boundary(beta, p)`` returns x* with P(y = 1 | x*) = p in
    the one-feature model logit μ = β₀ + β₁x: x* = (logit(p) − β₀)/β₁."""
    for (b0, b1), p in _BOUNDARY_CASES:
        beta = np.array([b0, b1])
        expected = float((special.logit(p) - b0) / b1)
        answer, problem = _as_number(call_student(decision_boundary, beta.copy(), p), "x*")
        if problem:
            return problem
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
        return wrong(message or f"for β = ({b0}, {b1}) and p = {p} the boundary is "
                     f"x* = {expected:.4f}, your function gives {answer:.4f}")
    return correct("x* = (logit(p) − β₀)/β₁, which is −β₀/β₁ at p = 0.5.")
