"""Checks for lesson 11 (positive responses: Gamma and Tweedie): the Pearson estimate of
the Gamma dispersion, Gamma deviance residuals, the Tweedie point mass at zero, and the
Tweedie power chosen by profile likelihood.

Each check runs the student's function on fresh numbers (not the cpus data or the
lesson's simulated portfolio) and names the usual mistake when the answer matches one.

Introduced in 11_positive_responses.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy import optimize

from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    StudentError,
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
from glmlesson.exercises._core import quiet_fit as _quiet_fit
from glmlesson.families import Gamma, Tweedie

__all__ = ["check_gamma_dispersion", "check_deviance_residuals", "check_prob_zero",
           "check_best_power"]


# ------------------------------------------------------------------ 11.1 Pearson φ̂
#: (seed, n, number of coefficients): two fits with different n and k, so that dividing
#: by a fixed 12 or by len(y) − 3 (ignoring ``n_coef``) fails the second.
_DISPERSION_CASES = ((1101, 15, 3), (1105, 24, 7))


def _dispersion_case(index=0):
    """n positive responses around known means, fitted with ``n_coef`` coefficients
    (φ = 0.3)."""
    seed, n, n_coef = _DISPERSION_CASES[index]
    rng = np.random.default_rng(seed)
    mu = np.exp(rng.uniform(0.0, 3.0, n))
    y = rng.gamma(1 / 0.3, mu * 0.3)
    return y, mu, n_coef


def _dispersion_candidates(y, mu, n_coef):
    n = y.size
    pearson = np.sum(((y - mu) / mu) ** 2)
    expected = pearson / (n - n_coef)
    deviance = float(np.sum(Gamma().unit_deviance(y, mu)))
    return expected, [
        (pearson / n, "you divided by n: divide Pearson's χ² by the residual degrees of "
         "freedom n − k (k = n_coef fitted coefficients), not by n"),
        (pearson / (n - 1), "you divided by n − 1: the fit estimated k = n_coef coefficients, "
         "so divide by n − k"),
        (np.sum((y - mu) ** 2 / mu) / (n - n_coef), "you divided the squared residuals by μ, "
         "the Poisson variance function; the Gamma's is V(μ) = μ²"),
        (np.sum((y - mu) ** 2) / (n - n_coef), "you used the raw squared residuals: divide "
         "each (y − μ)² by V(μ) = μ² first"),
        (deviance / (n - n_coef), "this is the deviance-based estimate D/(n − k); the exercise "
         "asks for Pearson's χ² = Σ(y − μ)²/μ² over n − k"),
        ((n - n_coef) / pearson, "you returned 1/φ̂ (the Gamma shape); return φ̂ itself"),
        (np.sqrt(expected), "you returned √φ̂ (the coefficient of variation); return φ̂"),
        (np.sum((y - mu) / mu) / (n - n_coef), "the Pearson residuals (y − μ)/μ must be "
         "squared before they are added up"),
        (pearson / (n - 3), "you divided by n − 3 whatever `n_coef` is: this fit has "
         f"k = n_coef = {n_coef} coefficients, divide by n − n_coef"),
        (pearson / 12, "you divided by 12, the n − k of one fit: use n − n_coef with "
         "n = len(y)"),
    ]


@exercise
def check_gamma_dispersion(gamma_dispersion) -> Feedback:
    """Exercise 11.1: ``gamma_dispersion(y, mu, n_coef)`` returns the Pearson estimate
    φ̂ = Σ((y − μ)/μ)² / (n − k) of a Gamma fit with k = ``n_coef`` coefficients.

    Two fits, n = 15 with k = 3 and n = 24 with k = 7, so dividing by n, n − 1, n − 3 or
    a fixed 12 differ from n − k by 17% or more in one of them."""
    for index in range(len(_DISPERSION_CASES)):
        y, mu, n_coef = _dispersion_case(index)
        case = f"for n = {y.size} responses and k = {n_coef} coefficients"
        answer = as_number(call_student(gamma_dispersion, y.copy(), mu.copy(), n_coef,
                                        case=case, names=("y", "mu", "n_coef")), "φ̂", case)
        expected, candidates = _dispersion_candidates(y, mu, n_coef)
        if not close(answer, expected):
            want, got = side_by_side(expected, answer)
            message = _matches(answer, candidates)
            return wrong(f"{case}: {message}" if message
                         else f"{case} φ̂ is {want}, your function returned {got}")
    y, mu, n_coef = _dispersion_case(0)
    pearson = np.sum(((y - mu) / mu) ** 2)
    expected = pearson / (y.size - n_coef)
    return correct(f"φ̂ = Pearson χ²/(n − k) = {pearson:.3f}/{y.size - n_coef} = "
                   f"{expected:.4f} for the first fit: the standard errors are "
                   f"√φ̂ = {np.sqrt(expected):.3f} times those of a fit with φ = 1.")


def _phi(top, bottom):
    def gamma_dispersion(y, mu, n_coef):
        return top(y, mu) / bottom(len(y), n_coef)
    return gamma_dispersion


def _pearson(y, mu):
    return np.sum(((y - mu) / mu) ** 2)


check_gamma_dispersion.mistakes = (
    Mistake("divides by n instead of n − k", _phi(_pearson, lambda n, p: n), "not by n"),
    Mistake("divides by n − 1", _phi(_pearson, lambda n, p: n - 1), "n − 1"),
    Mistake("Poisson variance V(μ) = μ",
            _phi(lambda y, mu: np.sum((y - mu) ** 2 / mu), lambda n, p: n - p), "Poisson"),
    Mistake("raw squared residuals", _phi(lambda y, mu: np.sum((y - mu) ** 2),
                                          lambda n, p: n - p), "raw squared residuals"),
    Mistake("deviance-based D/(n − k)",
            _phi(lambda y, mu: np.sum(2 * ((y - mu) / mu - np.log(y / mu))),
                 lambda n, p: n - p), "deviance-based"),
    Mistake("returns the shape 1/φ̂",
            lambda y, mu, n_coef: (len(y) - n_coef) / _pearson(y, mu), "Gamma shape"),
    Mistake("returns √φ̂", lambda y, mu, n_coef: np.sqrt(_pearson(y, mu) / (len(y) - n_coef)),
            "coefficient of variation"),
    Mistake("residuals not squared",
            _phi(lambda y, mu: np.sum((y - mu) / mu), lambda n, p: n - p), "squared"),
    Mistake("n_coef ignored: divides by len(y) − 3", _phi(_pearson, lambda n, p: n - 3),
            "whatever `n_coef` is"),
    Mistake("a fixed denominator 12", _phi(_pearson, lambda n, p: 12), "divided by 12"),
)


# ------------------------------------------------------------ 11.2 deviance residuals
def _residual_cases():
    rng = np.random.default_rng(1102)
    mu = np.exp(rng.uniform(0.5, 3.0, 10))
    y = rng.gamma(2.0, mu / 2.0)
    return y, mu


def _gamma_unit(y, mu):
    return 2 * ((y - mu) / mu - np.log(y / mu))


_NO_LIBRARY = ((Gamma, "unit_deviance", "Gamma().unit_deviance"),
               (Gamma, "deviance", "Gamma().deviance"))


def _no_library():
    """The shortcuts 11.2 rules out: the library's Gamma deviance and, when statsmodels is
    installed, its families' ready-made deviance residuals."""
    try:
        from statsmodels.genmod.families.family import Family
    except ImportError:  # statsmodels is optional for the course
        return _NO_LIBRARY
    return _NO_LIBRARY + ((Family, "resid_dev", "statsmodels' `resid_dev`"),
                          (Family, "deviance", "statsmodels' `deviance`"))


def _statsmodels_residuals(y, mu):
    import statsmodels.api as sm

    return sm.families.Gamma(sm.families.links.Log()).resid_dev(y, mu)


@exercise
def check_deviance_residuals(gamma_deviance_residuals) -> Feedback:
    """Exercise 11.2: ``gamma_deviance_residuals(y, mu)`` returns
    sign(y − μ)·√d(y, μ) with the Gamma unit deviance d(y, μ) = 2{(y − μ)/μ − log(y/μ)},
    written from the formula (the library's ``unit_deviance`` is ruled out).

    Ten responses, some above and some below their means, far from 1 so that a missing
    factor 2 or the Poisson formula show."""
    y, mu = _residual_cases()
    case = "for 10 responses, some above and some below their means"
    answer = call_student(gamma_deviance_residuals, y.copy(), mu.copy(), case=case,
                          names=("y", "mu"), forbidden=_no_library(),
                          instead="write d(y, μ) = 2{(y − μ)/μ − log(y/μ)} from the formula")
    answer = as_array(answer, "the deviance residuals", y.shape, case,
                      "one residual per observation")
    unit = _gamma_unit(y, mu)
    expected = np.sign(y - mu) * np.sqrt(unit)
    if close(answer, expected):
        return correct(f"sign(y − μ)·√d: their squares add up to the deviance "
                       f"D = {np.sum(unit):.4f}, and each has the sign of y − μ.")
    poisson = 2 * (y * np.log(y / mu) - (y - mu))
    message = _matches(answer, [
        (np.sqrt(unit), "every residual is positive: √d(y, μ) loses the direction, so "
         "multiply by sign(y − μ)"),
        (-expected, "the sign is reversed: a response above its mean (y > μ) has a "
         "positive residual, sign(y − μ)"),
        (unit, "these are the unit deviances d(y, μ) themselves: take the square root "
         "(and give it the sign of y − μ)"),
        (expected / np.sqrt(2), "the factor 2 is missing: d(y, μ) = 2{(y − μ)/μ − log(y/μ)}"),
        ((y - mu) / mu, "these are the Pearson residuals (y − μ)/μ; the deviance residual is "
         "sign(y − μ)·√d(y, μ)"),
        (np.sign(y - mu) * np.sqrt(poisson), "you used Poisson's unit deviance "
         "2{y log(y/μ) − (y − μ)}; the Gamma's is 2{(y − μ)/μ − log(y/μ)}"),
    ])
    want, got = side_by_side(expected, answer)
    return wrong(message or f"{case} the deviance residuals are {want}, yours are {got}")


def _residuals(size=lambda y, mu: np.sqrt(_gamma_unit(y, mu)),
               direction=lambda y, mu: np.sign(y - mu)):
    def gamma_deviance_residuals(y, mu):
        return direction(y, mu) * size(y, mu)
    return gamma_deviance_residuals


check_deviance_residuals.mistakes = (
    Mistake("sign left out", _residuals(direction=lambda y, mu: 1.0), "every residual is "
            "positive"),
    Mistake("sign reversed", _residuals(direction=lambda y, mu: np.sign(mu - y)), "reversed"),
    Mistake("no square root (unit deviances)",
            lambda y, mu: 2 * ((y - mu) / mu - np.log(y / mu)), "unit deviances"),
    Mistake("factor 2 left out",
            _residuals(size=lambda y, mu: np.sqrt((y - mu) / mu - np.log(y / mu))),
            "factor 2"),
    Mistake("Pearson residuals", lambda y, mu: (y - mu) / mu, "Pearson"),
    Mistake("Poisson unit deviance",
            _residuals(size=lambda y, mu: np.sqrt(2 * (y * np.log(y / mu) - (y - mu)))),
            "Poisson"),
    Mistake("the total deviance instead of residuals",
            lambda y, mu: np.sum(2 * ((y - mu) / mu - np.log(y / mu))),
            "one residual per observation"),
    Mistake("the library's unit deviance, which the task rules out",
            _residuals(size=lambda y, mu: np.sqrt(Gamma().unit_deviance(y, mu))),
            "Gamma().unit_deviance"),
    Mistake("statsmodels' deviance residuals, which the task rules out",
            _statsmodels_residuals, "statsmodels' `resid_dev`"),
)


# ------------------------------------------------------------------ 11.3 P(y = 0)
_ZERO_CASES = (
    (np.array([0.2, 0.7, 2.5, 6.0]), 1.8, 1.35, "for μ from 0.2 to 6 with φ = 1.8, p = 1.35"),
    (np.array([0.5, 3.0, 12.0]), 0.6, 1.8, "for μ = 0.5, 3, 12 with φ = 0.6, p = 1.8"),
)

_NO_LOGLIK = ((Tweedie, "loglik", "Tweedie(p).loglik"),
              (Tweedie, "loglik_obs", "Tweedie(p).loglik_obs"))


def _zero_candidates(mu, phi, power):
    rate = mu ** (2 - power) / (phi * (2 - power))
    expected = np.exp(-rate)
    return expected, [
        (np.exp(-mu ** (1 - power) / (phi * (2 - power))), "you raised μ to the power 1 − p "
         "(that is θ's exponent); the number of claims has rate λ = μ^(2−p)/(φ(2 − p))"),
        (np.exp(-mu ** (2 - power) / (2 - power)), "φ is missing: λ = μ^(2−p)/(φ(2 − p)), a "
         "larger dispersion means fewer (and larger) claims"),
        (np.exp(-mu ** (2 - power) * phi / (2 - power)), "you multiplied by φ: divide, "
         "λ = μ^(2−p)/(φ(2 − p))"),
        (np.exp(-mu ** (2 - power) / phi), "the factor 2 − p is missing: λ = μ^(2−p)/(φ(2 − p))"),
        (np.exp(-mu ** (2 - power) / (phi * (power - 1))), "you divided by p − 1; the rate is "
         "λ = μ^(2−p)/(φ(2 − p))"),
        (1 - expected, "this is the probability of a positive amount, 1 − P(y = 0)"),
        (-rate, "this is log P(y = 0): take exp of it"),
        (rate, "this is the expected number of claims λ; P(y = 0) = P(N = 0) = exp(−λ)"),
        (np.exp(-mu), "exp(−μ) is the Poisson(μ) probability of 0; the Tweedie's claim count "
         "has rate λ = μ^(2−p)/(φ(2 − p)), not μ"),
    ]


@exercise
def check_prob_zero(prob_zero) -> Feedback:
    """Exercise 11.3: ``prob_zero(mu, phi, power)`` returns the Tweedie point mass
    P(y = 0) = exp{−μ^(2−p)/(φ(2 − p))} for an array of means (the library's log-likelihood
    is ruled out).

    Two cases with φ ≠ 1, p ≠ 1.5 and μ ≠ 1, so each missing or swapped piece shows."""
    for mu, phi, power, case in _ZERO_CASES:
        answer = call_student(prob_zero, mu.copy(), phi, power, case=case,
                              names=("mu", "phi", "power"), forbidden=_NO_LOGLIK,
                              instead="write exp(−μ^(2−p)/(φ(2 − p))) from the formula")
        answer = as_array(answer, "P(y = 0)", mu.shape, case, "one probability per mean")
        expected, candidates = _zero_candidates(mu, phi, power)
        if not close(answer, expected):
            want, got = side_by_side(expected, answer)
            return wrong(_matches(answer, candidates)
                         or f"{case} P(y = 0) is {want}, yours is {got}")
    mu, phi, power, _ = _ZERO_CASES[0]
    shares = _zero_candidates(mu, phi, power)[0]
    return correct(f"P(y = 0) = exp(−μ^(2−p)/(φ(2 − p))): with φ = {phi}, p = {power} it "
                   f"falls from {shares[0]:.2f} at μ = {mu[0]} to {shares[-1]:.3f} at "
                   f"μ = {mu[-1]}.")


def _zero(rate):
    def prob_zero(mu, phi, power):
        return np.exp(-rate(mu, phi, power))
    return prob_zero


def _right_rate(mu, phi, power):
    return mu ** (2 - power) / (phi * (2 - power))


check_prob_zero.mistakes = (
    Mistake("μ^(1−p) instead of μ^(2−p)",
            _zero(lambda mu, phi, p: mu ** (1 - p) / (phi * (2 - p))), "1 − p"),
    Mistake("φ left out", _zero(lambda mu, phi, p: mu ** (2 - p) / (2 - p)), "φ is missing"),
    Mistake("multiplied by φ", _zero(lambda mu, phi, p: mu ** (2 - p) * phi / (2 - p)),
            "multiplied by φ"),
    Mistake("2 − p left out", _zero(lambda mu, phi, p: mu ** (2 - p) / phi), "2 − p is missing"),
    Mistake("p − 1 instead of 2 − p", _zero(lambda mu, phi, p: mu ** (2 - p) / (phi * (p - 1))),
            "p − 1"),
    Mistake("1 − P(y = 0)", lambda mu, phi, p: 1 - _zero(_right_rate)(mu, phi, p),
            "positive amount"),
    Mistake("log P(y = 0)", lambda mu, phi, p: -_right_rate(mu, phi, p), "log P(y = 0)"),
    Mistake("the claim rate λ", _right_rate, "expected number of claims"),
    Mistake("Poisson exp(−μ)", _zero(lambda mu, phi, p: mu), "exp(−μ)"),
    Mistake("the library's log-likelihood, which the task rules out",
            lambda mu, phi, p: np.exp(Tweedie(p).loglik_obs(np.zeros_like(mu), mu, phi)),
            "Tweedie(p).loglik_obs"),
)


# ------------------------------------------------------------- 11.4 profile likelihood
#: The grid the check hands over: uneven and shuffled, so neither its middle, its first nor
#: its last value is the answer, and the answer must be looked up, not computed from p.
_POWERS = np.array([1.32, 1.5, 1.74, 1.38, 1.9, 1.26, 1.45, 1.66, 1.2, 1.6])

#: (seed, simulated p, φ, words): two portfolios of 300 policies whose mean has a curvature
#: in x that the three columns of X miss, so β̂ (and with it μ̂) moves with p.
_POWER_CASES = ((1105, 1.35, 1.3, "on 300 policies simulated with p = 1.35"),
                (1106, 1.7, 1.3, "on 300 policies simulated with p = 1.7"))


def _power_case(index=0):
    """(X, y, words) of one portfolio: log μ = 0.3 + 0.9x − 0.4g + 0.35x², X = [1, x, g]."""
    seed, power, phi, words = _POWER_CASES[index]
    rng = np.random.default_rng(seed)
    n = 300
    x, group = rng.normal(size=n), rng.random(n) < 0.3
    X = np.column_stack([np.ones(n), x, group])
    mu = np.exp(0.3 + 0.9 * x - 0.4 * group + 0.35 * x**2)
    return X, Tweedie(power).sample(mu, rng, scale=phi), words


def _max_over_phi(y, mu, power):
    """max over φ of the Tweedie log-likelihood ℓ(μ, φ), by a bounded search on log φ."""
    family = Tweedie(power)
    best = optimize.minimize_scalar(lambda log_phi: -family.loglik(y, mu, np.exp(log_phi)),
                                    bounds=(-6.0, 6.0), method="bounded",
                                    options={"xatol": 1e-9})
    return -best.fun


def _profile(X, y, power):
    """(max over φ of ℓ(μ̂_p, φ), the fit) for one power p."""
    result = _quiet_fit(X, y, Tweedie(power))
    return _max_over_phi(y, result.mu, power), result


def _identity_profile(X, y, power):
    result = _quiet_fit(X, y, Tweedie(power), link="identity")
    return _max_over_phi(y, result.mu, power) if np.all(result.mu > 0) else -np.inf


_NOTHING = (" on both portfolios, whatever the data: fit `Tweedie(p)` for each p, maximise its "
            "log-likelihood over φ, and return the p where that maximum is largest")


@functools.cache
def _power_picks(index):
    """The right p and what each typical mistake picks, for portfolio ``index``:
    a tuple of (value, message) with the right answer first."""
    X, y, _ = _power_case(index)
    powers = _POWERS
    profiles, fits = zip(*(_profile(X, y, p) for p in powers), strict=True)
    profiles = np.array(profiles)
    first_mu = [_max_over_phi(y, fits[0].mu, p) for p in powers]
    at_one = [Tweedie(p).loglik(y, f.mu, 1.0) for p, f in zip(powers, fits, strict=True)]
    identity = [_identity_profile(X, y, p) for p in powers]

    def pick(scores, choose=np.argmax):
        return float(powers[int(choose(scores))])

    return (
        (pick(profiles), None),
        (pick(at_one), "you compared the log-likelihoods at φ = 1: the dispersion changes "
         "with p, so maximise over φ for each p first (the profile)"),
        (pick([f.deviance for f in fits], np.argmin), "you picked the smallest deviance, but "
         "deviances of different p are on different scales (d depends on p); compare "
         "log-likelihoods"),
        (pick([abs(f.scale - 1) for f in fits], np.argmin), "you picked the p whose Pearson "
         "φ̂ is closest to 1; φ is a free parameter, any value is fine: compare the profile "
         "log-likelihoods"),
        (pick(first_mu), "you kept the means μ̂ of the first p for every p: refit "
         "`fit(X, y, Tweedie(p))` inside the loop, β̂ changes with p"),
        (pick(identity), "you fitted with the identity link; the exercise fits the Tweedie "
         "GLM with its default log link, `fit(X, y, Tweedie(p))`"),
        (pick(profiles, np.argmin), "you returned the p with the smallest profile "
         "log-likelihood: keep the largest (argmax, not argmin)"),
        (float(powers[0]), "you returned the first value of `powers`" + _NOTHING),
        (float(powers[-1]), "you returned the last value of `powers`" + _NOTHING),
        (float(powers[len(powers) // 2]), "you returned the middle entry of `powers`"
         + _NOTHING),
        (float(powers.min()), "you returned the smallest value of `powers`" + _NOTHING),
        (float(powers.max()), "you returned the largest value of `powers`" + _NOTHING),
    )


def _diagnosis(answers):
    """The message of the one typical mistake that picks ``answers`` on every portfolio,
    or None when none does or when several land there (then naming one would guess)."""
    per_case = [_power_picks(i) for i in range(len(answers))]
    hits = {message for j, (_, message) in enumerate(per_case[0])
            if all(np.isclose(answer, picks[j][0], rtol=0, atol=1e-9)
                   for answer, picks in zip(answers, per_case, strict=True))}
    return hits.pop() if len(hits) == 1 else None


def _grid_value(answer, case):
    if hasattr(answer, "coef") and hasattr(answer, "family"):
        raise StudentError(wrong(f"you returned a fit ({type(answer).__name__}) {case}; "
                                 "return its power p, a value of `powers`"))
    if isinstance(answer, (str, bytes)):
        raise StudentError(wrong(f"you returned the text {answer!r} {case}; return the "
                                 "number p, a value of `powers`"))
    return as_number(answer, "the best power", case)


@exercise
def check_best_power(best_power) -> Feedback:
    """Exercise 11.4: ``best_power(X, y, powers)`` fits a Tweedie GLM (log link) for each
    p in ``powers``, maximises its log-likelihood over φ, and returns the p whose profile
    log-likelihood max_φ ℓ(μ̂_p, φ) is largest.

    Two portfolios of 300 policies, simulated with p = 1.35 and p = 1.7, on an uneven,
    shuffled grid of ten powers; X misses a curvature of the mean, so μ̂ moves with p. The
    profile picks 1.5 and 1.74; the usual mistakes pick other pairs, and one is named only
    when it is the only one that picks the student's pair."""
    answers, expected = [], []
    for index in range(len(_POWER_CASES)):
        X, y, case = _power_case(index)
        answer = call_student(best_power, X.copy(), y.copy(), _POWERS.copy(), case=case,
                              names=("X", "y", "powers"))
        answers.append(_grid_value(answer, case))
        expected.append(_power_picks(index)[0][0])
    if all(np.isclose(a, e, rtol=0, atol=1e-9) for a, e in zip(answers, expected, strict=True)):
        return correct(f"the profile log-likelihood peaks at p = {expected[0]:g} and "
                       f"p = {expected[1]:g} (simulated with 1.35 and 1.7: the curvature X "
                       "misses is read as extra spread, which pushes p̂ up).")
    message = _diagnosis(answers)
    index = next(i for i, (a, e) in enumerate(zip(answers, expected, strict=True))
                 if not np.isclose(a, e, rtol=0, atol=1e-9))
    case = _POWER_CASES[index][3]
    if message is None:
        X, y, _ = _power_case(index)
        profiles = [_profile(X, y, p)[0] for p in _POWERS]
        message = _matches(answers[index], [
            (float(np.argmax(profiles)), "you returned the position in the grid; return p "
             "itself"),
            (float(np.max(profiles)), "you returned the largest log-likelihood; return the p "
             "that gives it"),
        ])
    if message is None and not np.any(np.isclose(answers[index], _POWERS, rtol=0, atol=1e-9)):
        message = f"{describe(answers[index])} {case} is not a value of the grid `powers`"
    return wrong(message or f"{case} the profile log-likelihood is largest at "
                 f"p = {expected[index]:g}; you returned {answers[index]:g}")


def _power_by(score, pick=np.argmax, link="log"):
    def best_power(X, y, powers):
        fits = [(p, _quiet_fit(X, y, Tweedie(p), link=link)) for p in powers]
        return float(powers[int(pick([score(p, f, y) for p, f in fits]))])
    return best_power


def _profile_of(p, f, y):
    return _max_over_phi(y, f.mu, p)


def _first_mu_reused(X, y, powers):
    mu = _quiet_fit(X, y, Tweedie(powers[0])).mu
    return float(powers[int(np.argmax([_max_over_phi(y, mu, p) for p in powers]))])


check_best_power.mistakes = (
    Mistake("log-likelihood at φ = 1", _power_by(lambda p, f, y: Tweedie(p).loglik(y, f.mu, 1.0)),
            "φ = 1"),
    Mistake("smallest deviance", _power_by(lambda p, f, y: f.deviance, np.argmin),
            "smallest deviance"),
    Mistake("Pearson φ̂ closest to 1 (picks the largest p here, as max(powers) does, so "
            "no name is guessed)", _power_by(lambda p, f, y: abs(f.scale - 1), np.argmin),
            "largest at p = 1.5; you returned 1.9"),
    Mistake("μ̂ of the first p reused for every p", _first_mu_reused, "first p"),
    Mistake("identity link", _power_by(lambda p, f, y: _profile_of(p, f, y)
                                       if np.all(f.mu > 0) else -np.inf, link="identity"),
            "identity link"),
    Mistake("argmin instead of argmax", _power_by(_profile_of, np.argmin), "argmax, not argmin"),
    Mistake("the middle of the grid (computes nothing)",
            lambda X, y, powers: powers[len(powers) // 2], "middle entry"),
    Mistake("the first p", lambda X, y, powers: powers[0], "first value"),
    Mistake("the last p", lambda X, y, powers: powers[-1], "last value"),
    Mistake("the text '1.5'", lambda X, y, powers: "1.5", "the text '1.5'"),
    Mistake("position in the grid",
            lambda X, y, powers: int(np.argmax([_profile(X, y, p)[0] for p in powers])),
            "position"),
    Mistake("the largest log-likelihood itself",
            lambda X, y, powers: max(_profile(X, y, p)[0] for p in powers),
            "largest log-likelihood"),
    Mistake("the best fit itself",
            lambda X, y, powers: max((_profile(X, y, p) for p in powers),
                                     key=lambda pair: pair[0])[1], "returned a fit"),
)
