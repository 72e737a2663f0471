"""Checks for lesson 04 (Poisson regression): logistic regression by gradient ascent
(the Bernoulli GLM), comparing two links by their deviance, and the Pearson
dispersion ratio as an over-dispersion check.

Each check runs the student's function on fresh data (never the lesson's 80
counts) and names the usual mistake when the answer matches one.

Introduced in 04_poisson_regression.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import special

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
from glmlesson.families import NegativeBinomial, Poisson
from glmlesson.fitting import fit
from glmlesson.links import get_link

__all__ = ["check_logistic_gd", "check_compare_links", "check_dispersion_ratio"]

# -- 04.1 logistic regression by gradient ascent ----------------------------------------
# (seed, n, true β, learning rate, steps): two sample sizes, so an answer that forgot to
# divide by n cannot match both by a tuned learning rate; the third case has two features;
# the last takes only two steps on the first data set, so a start other than β = 0 still
# shows in full.
_LOGISTIC_CASES = (
    (4101, 60, (-0.5, 1.2), 0.5, 150),
    (4102, 250, (0.8, -1.5), 0.3, 80),
    (4103, 120, (0.3, 0.9, -0.6), 0.4, 100),
    (4101, 60, (-0.5, 1.2), 0.1, 2),
)


def _logistic_data(seed, n, beta):
    rng = np.random.default_rng(seed)
    beta = np.asarray(beta, dtype=float)
    X = np.column_stack([np.ones(n), rng.uniform(-2.0, 2.0, size=(n, beta.size - 1))])
    y = rng.binomial(1, special.expit(X @ beta)).astype(float)
    return X, y


def _ascent(X, y, learning_rate, n_steps, mean=special.expit, sign=1.0, divide=True):
    """β after ``n_steps`` of β ← β + sign·learning_rate·Xᵀ(y − mean(Xβ))/n from β = 0."""
    beta = np.zeros(X.shape[1])
    scale = y.size if divide else 1.0
    with np.errstate(all="ignore"):
        for _ in range(n_steps):
            beta = beta + sign * learning_rate * (X.T @ (y - mean(X @ beta))) / scale
    return beta


def _as_coefficients(answer, p, case):
    if isinstance(answer, tuple):
        raise StudentError(wrong(f"your function returns a tuple of {len(answer)} things; "
                                 "return the coefficient vector β alone (an array of length p)"))
    return as_array(answer, "β", (p,), case, "one coefficient per column of X")


def _start(logistic_gd, X, y):
    """Where the student's loop starts: its answer after 0 steps (None if it cannot say)."""
    try:
        start = call_student(logistic_gd, X.copy(), y.copy(), 0.1, 0)
        return as_array(start, "β", (X.shape[1],))
    except StudentError:
        return None


@exercise
def check_logistic_gd(logistic_gd) -> Feedback:
    """Exercise 04.1: ``logistic_gd(X, y, learning_rate, n_steps)`` returns β after
    ``n_steps`` steps of β ← β + learning_rate·Xᵀ(y − σ(Xβ))/n from β = 0."""
    for seed, n, true_beta, rate, steps in _LOGISTIC_CASES:
        X, y = _logistic_data(seed, n, true_beta)
        expected = _ascent(X, y, rate, steps)
        case = f"on fresh data (n = {n}, learning_rate = {rate}, {steps} steps)"
        answer = call_student(logistic_gd, X.copy(), y.copy(), rate, steps, case=case,
                              names=("X", "y", "learning_rate", "n_steps"))
        beta = _as_coefficients(answer, X.shape[1], case)
        if close(beta, expected, rtol=1e-7, atol=1e-10):
            continue

        if not np.all(np.isfinite(beta)):
            return wrong(f"your coefficients are not finite ({beta}): the iterates overflowed. "
                         "With μ = σ(η) and a step of learning_rate·Xᵀ(y − μ)/n they cannot; "
                         "check the mean function, the sign of the step and the division by n")
        message = _matches(beta, [
            (_ascent(X, y, rate, steps, sign=-1.0), "the step has the wrong sign: you are "
             "DESCENDING the log-likelihood. Gradient ASCENT adds learning_rate × Xᵀ(y − μ)/n"),
            (_ascent(X, y, rate, steps, divide=False), "you forgot to divide the gradient by n: "
             "the lesson's step uses the AVERAGE log-likelihood, Xᵀ(y − μ)/n, so the same "
             "learning rate works for any sample size"),
            (_ascent(X, y, rate, steps, mean=np.exp), "you used μ = e^η, the Poisson mean; for "
             "the Bernoulli the inverse of the logit link is the sigmoid σ(η) = 1/(1 + e^(−η))"),
            (_ascent(X, y, rate, steps, mean=lambda eta: special.expit(-eta)), "your sigmoid "
             "has the wrong sign: 1/(1 + e^(η)) is 1 − μ; the mean is σ(η) = 1/(1 + e^(−η))"),
            (_ascent(X, y, rate, steps - 1), "one step too few: take exactly n_steps steps"),
            (_ascent(X, y, rate, steps + 1), "one step too many: take exactly n_steps steps"),
            (_ascent(X, y, rate, 1), "only the first step was taken: repeat the update n_steps "
             "times, recomputing μ = σ(Xβ) each time"),
        ], rtol=1e-7)
        start = None if message else _start(logistic_gd, X, y)
        if start is not None and not np.allclose(start, 0.0):
            return wrong(f"your ascent does not start at β = 0: with n_steps = 0 your function "
                         f"returns β = {side_by_side(start, start)[0]}. The exercise (like "
                         "lesson 04's loop) starts from β = 0, so that everyone's numbers agree")
        want, got = side_by_side(expected, beta)
        return wrong(message or f"{case} β should be {want}, your function gives {got}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X, y = _logistic_data(*_LOGISTIC_CASES[0][:3])
        irls = fit(X, y, "bernoulli").coef
    irls_text = ", ".join(f"{value:.4f}" for value in irls)
    return correct("your loop matches an independent one on three fresh data sets. Run long "
                   f"enough, it reaches the maximum-likelihood β̂ = ({irls_text}) that IRLS "
                   "finds on the first of them: logistic regression is the Bernoulli GLM.")


# -- 04.2 comparing two links ------------------------------------------------------------
_LINK_CASES = ((4201, "log", (0.2, 0.7)), (4202, "sqrt", (1.0, 1.0)))
_LINKS = ("log", "sqrt")


def _counts(seed, link, beta, n=300):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 4.0, n))
    X = np.column_stack([np.ones(n), x])
    y = rng.poisson(get_link(link).g_inv(X @ np.asarray(beta, dtype=float))).astype(float)
    return X, y

def _read_link_answer(answer):
    if not (isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], dict)):
        return None, None, wrong("return a pair (deviances, best): a dict {\"log\": ..., "
                                 "\"sqrt\": ...} and the name of the better link")
    deviances, best = answer
    if sorted(deviances) != sorted(_LINKS):
        return None, None, wrong(f"the dict should have the keys 'log' and 'sqrt', got "
                                 f"{sorted(deviances)}")
    values = {link: as_number(deviances[link], f"the {link}-link deviance") for link in _LINKS}
    return values, best, None


@exercise
def check_compare_links(compare_links) -> Feedback:
    """Exercise 04.2: ``compare_links(X, y)`` returns ({"log": D_log, "sqrt": D_sqrt}, best)
    with D the deviance of the Poisson fit with that link and best the link of smaller D."""
    for seed, true_link, beta in _LINK_CASES:
        X, y = _counts(seed, true_link, beta)
        fits = {link: _quiet_fit(X, y, "poisson", link) for link in _LINKS}
        expected = {link: fits[link].deviance for link in _LINKS}
        winner = min(expected, key=expected.get)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            answer = call_student(compare_links, X.copy(), y.copy(), names=("X", "y"),
                                  case=f"on counts simulated with the {true_link} link")
        values, best, problem = _read_link_answer(answer)
        if problem:
            return problem
        for link in _LINKS:
            if close(values[link], expected[link], rtol=1e-5):
                continue
            fitted = fits[link]
            other = fits["log" if link == "sqrt" else "sqrt"]
            message = _matches(values[link], [
                (other.deviance, f"your '{link}' value is the deviance of the OTHER link: pass "
                 f"link=\"{link}\" to fit"),
                (fitted.loglik, f"your '{link}' value is the log-likelihood ℓ, not the "
                 "deviance D = 2(ℓ_saturated − ℓ); use the fit's .deviance"),
                (-2.0 * fitted.loglik, f"your '{link}' value is −2ℓ; the deviance is "
                 "2(ℓ_saturated − ℓ), which differs from −2ℓ by a constant that depends on y: "
                 "use the fit's .deviance"),
                (fitted.null_deviance, f"your '{link}' value is the NULL deviance (the "
                 "intercept-only model), the same for every link; use the fit's .deviance"),
                (fitted.deviance / fitted.df_resid, f"your '{link}' value is the deviance "
                 "divided by its degrees of freedom; report the deviance itself"),
            ], rtol=1e-5)
            want, got = side_by_side(expected[link], values[link])
            return wrong(message or f"on fresh counts the Poisson deviance with the {link} link "
                         f"is {want}, you give {got}")
        if best != winner:
            if best == max(expected, key=expected.get):
                return wrong(f"the deviances are right, but you picked '{best}', the link with "
                             "the LARGER deviance; a smaller deviance means a fit closer to "
                             "the saturated model, i.e. a better fit")
            return wrong(f"the deviances are right; 'best' should be the name of the link with "
                         f"the smaller deviance ('{winner}' here), you returned "
                         f"{repr(best) if isinstance(best, str) else describe(best)}")
    return correct("right deviances, and the better link on counts simulated with each link "
                   "(the true link wins both times). Equal numbers of coefficients and the same "
                   "family make deviances directly comparable.")


# -- 04.3 Pearson dispersion ratio ------------------------------------------------------
# (seed, α of the negative binomial or None for Poisson counts, n, β). The last case has
# p = 3 and n = 30, so n − 1, n − 2, n − p and n − p − 1 are four different divisors
# (0.3% to 4% apart) and a hard-coded p = 2 is seen.
_DISPERSION_CASES = ((4301, None, 200, (0.5, 0.6)), (4302, 0.8, 200, (0.5, 0.6)),
                     (4303, 0.5, 30, (0.4, 0.5, -0.3)))


def _dispersion_data(seed, alpha, n, beta):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.uniform(0.0, 3.0, (n, len(beta) - 1))])
    mu = np.exp(X @ np.asarray(beta))
    y = rng.poisson(mu).astype(float) if alpha is None else NegativeBinomial(alpha).sample(mu, rng)
    return X, y, _quiet_fit(X, y, "poisson").mu


def judge_pearson(dispersion, cases):
    """Run a Pearson-dispersion answer ``dispersion(y, mu, n_params)`` on ``cases``
    (y, μ, p, words for the case): the Feedback of the first case it gets wrong, naming
    the mistake, or None when every case is right. Shared by 04.3 and 08.1."""
    for y, mu, p, case in cases:
        n = y.size
        chi2 = float(np.sum((y - mu) ** 2 / mu))
        expected = chi2 / (n - p)
        answer = as_number(call_student(dispersion, y.copy(), mu.copy(), p, case=case,
                                        names=("y", "mu", "n_params")), "φ̂", case)
        if close(answer, expected, rtol=1e-8):
            continue
        variance_over_mean = "you compared the variance of y with its mean, ignoring μ. The "
        variance_over_mean += ("spread of μ across x then counts as extra noise; compare each "
                               "(y − μ)² with μ, the Poisson variance at that point")
        message = _matches(answer, [
            (np.var(y) / np.mean(y), variance_over_mean),
            (np.var(y, ddof=1) / np.mean(y), variance_over_mean),
            (chi2 / n, "you divided χ² by n; divide by the residual degrees of freedom n − p "
             "(the p coefficients were fitted to the same counts, which makes the residuals "
             "a little too small)"),
            (chi2, "that is Pearson's χ² itself; divide it by n − p"),
            (chi2 / (n - p - 1), "divide by n − p, not n − p − 1"),
            (chi2 / (n - 1), f"you divided by n − 1; {p} coefficients were fitted, so the "
             f"residual degrees of freedom are n − p = {n - p} (n − 1 is right only for a "
             "model with a single mean)"),
            (chi2 / (n - 2), f"you divided by n − 2, but this model has p = {p} coefficients: "
             "use the n_params you are given, n − n_params"),
            (float(np.sum((y - mu) ** 2)) / (n - p), "you did not divide the squared residuals "
             "by V(μ) = μ; each (y − μ)² must be compared with the variance the Poisson "
             "promises at that point"),
            (float(np.sum((y - mu) ** 2 / mu**2)) / (n - p), "you divided by μ²; the Poisson "
             "variance is V(μ) = μ"),
            (float(np.sum((y - mu) / mu)) / (n - p), "the residuals must be squared: "
             "Σ (y − μ)²/μ"),
            (np.sqrt(expected), "that is the square root of φ̂; return χ²/(n − p)"),
            (Poisson().deviance(y, mu) / (n - p), "that is the deviance-based estimate "
             "D/(n − p); the Pearson estimate sums (y − μ)²/μ"),
        ], rtol=1e-8)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} φ̂ is {want}, your function gives {got}")
    return None


@exercise
def check_dispersion_ratio(dispersion_ratio) -> Feedback:
    """Exercise 04.3: ``dispersion_ratio(y, mu, n_params)`` returns Pearson's χ²/(n − p),
    χ² = Σ (yᵢ − μᵢ)²/μᵢ."""
    cases, ratios = [], []
    for seed, alpha, n, beta in _DISPERSION_CASES:
        X, y, mu = _dispersion_data(seed, alpha, n, beta)
        kind = "Poisson counts" if alpha is None else "over-dispersed counts"
        cases.append((y, mu, X.shape[1], f"on fresh {kind} (n = {n}, p = {X.shape[1]})"))
        ratios.append(float(np.sum((y - mu) ** 2 / mu)) / (n - X.shape[1]))
    problem = judge_pearson(dispersion_ratio, cases)
    if problem:
        return problem
    return correct(f"χ²/(n − p) is {ratios[0]:.3f} on fresh Poisson counts and {ratios[1]:.3f} "
                   "on negative-binomial counts with the same mean: well above 1 means "
                   "over-dispersion.")


# ------------------------------------------------------------ typical wrong answers
def _gd(mean=special.expit, sign=1.0, divide=True, extra=0, start=0.0, history=False):
    def logistic_gd(X, y, learning_rate, n_steps):
        beta = np.full(X.shape[1], start)
        path = []
        for _ in range(n_steps + extra):
            gradient = X.T @ (y - mean(X @ beta)) / (len(y) if divide else 1.0)
            beta = beta + sign * learning_rate * gradient
            path.append(beta)
        return (beta, path) if history else beta
    return logistic_gd


def _in_place(X, y, learning_rate, n_steps):
    beta = np.zeros(X.shape[1])
    for _ in range(n_steps):
        beta += learning_rate * X.T @ (y - special.expit(X @ beta)) / len(y)


check_logistic_gd.mistakes = (
    Mistake("descends (wrong sign)", _gd(sign=-1.0), "DESCENDING"),
    Mistake("gradient not divided by n", _gd(divide=False), "divide the gradient by n"),
    Mistake("Poisson mean e^η", _gd(mean=np.exp), "Poisson mean"),
    Mistake("sigmoid of −η", _gd(mean=lambda eta: special.expit(-eta)), "1/(1 + e^(η))"),
    Mistake("one step too many", _gd(extra=1), "one step too many"),
    Mistake("one step too few", _gd(extra=-1), "one step too few"),
    Mistake("starts at β = 1", _gd(start=1.0), "does not start at β = 0"),
    Mistake("starts at β = 0.01", _gd(start=0.01), "does not start at β = 0"),
    Mistake("returns (β, history)", _gd(history=True), "tuple"),
    Mistake("updates β in place and forgets to return it", _in_place, "does not return it"),
    Mistake("parameters in another order (y, X, …)",
            lambda y, X, learning_rate, n_steps: np.zeros(2), "in that order"),
    Mistake("returns a number", lambda X, y, learning_rate, n_steps: 0.5, "shape"),
)


def _with_values(value_of):
    def compare_links(X, y):
        fits = {link: _quiet_fit(X, y, "poisson", link) for link in _LINKS}
        values = {link: value_of(X, y, result) for link, result in fits.items()}
        return values, min(values, key=values.get)
    return compare_links


def _right_deviances(X, y):
    return {link: _quiet_fit(X, y, "poisson", link).deviance for link in _LINKS}


check_compare_links.mistakes = (
    Mistake("log-likelihood instead of deviance", _with_values(lambda X, y, f: f.loglik),
            "log-likelihood ℓ, not the deviance"),
    Mistake("−2ℓ instead of deviance", _with_values(lambda X, y, f: -2 * f.loglik), "−2ℓ"),
    Mistake("the same (canonical) fit for both links",
            _with_values(lambda X, y, f: _quiet_fit(X, y, "poisson").deviance),
            "deviance of the OTHER link"),
    Mistake("null deviance", _with_values(lambda X, y, f: f.null_deviance), "NULL deviance"),
    Mistake("deviance per degree of freedom",
            _with_values(lambda X, y, f: f.deviance / f.df_resid), "degrees of freedom"),
    Mistake("picks the larger deviance",
            lambda X, y: (_right_deviances(X, y), max(_right_deviances(X, y),
                                                      key=_right_deviances(X, y).get)),
            "LARGER deviance"),
    Mistake("always names the log link", lambda X, y: (_right_deviances(X, y), "log"),
            "LARGER deviance"),
    Mistake("returns a name that is not a link", lambda X, y: (_right_deviances(X, y), 0),
            "should be the name"),
    Mistake("returns the dict alone", _right_deviances, "return a pair"),
    Mistake("dict without the sqrt key", lambda X, y: ({"log": 1.0}, "log"), "keys 'log'"),
)


def _pearson(divisor, power=1, square=True):
    def dispersion_ratio(y, mu, n_params):
        residual = (y - mu) ** 2 if square else (y - mu)
        return np.sum(residual / mu**power) / divisor(len(y), n_params)
    return dispersion_ratio


pearson_mistakes = (
    Mistake("variance of y over its mean (ignores μ)", lambda y, mu, p: np.var(y) / np.mean(y),
            "ignoring μ"),
    Mistake("same, with ddof = 1", lambda y, mu, p: np.var(y, ddof=1) / np.mean(y),
            "ignoring μ"),
    Mistake("divides by n", _pearson(lambda n, p: n), "divided χ² by n"),
    Mistake("divides by n − 1 instead of n − p", _pearson(lambda n, p: n - 1),
            "divided by n − 1"),
    Mistake("hard-codes p = 2", _pearson(lambda n, p: n - 2), "divided by n − 2"),
    Mistake("divides by n − p − 1", _pearson(lambda n, p: n - p - 1), "not n − p − 1"),
    Mistake("Pearson χ² itself", _pearson(lambda n, p: 1), "Pearson's χ² itself"),
    Mistake("squared residuals not divided by V(μ)", _pearson(lambda n, p: n - p, power=0),
            "did not divide"),
    Mistake("divides by μ²", _pearson(lambda n, p: n - p, power=2), "divided by μ²"),
    Mistake("residuals not squared", _pearson(lambda n, p: n - p, square=False),
            "must be squared"),
    Mistake("square root of the ratio",
            lambda y, mu, p: np.sqrt(_pearson(lambda n, q: n - q)(y, mu, p)), "square root"),
    Mistake("one ratio per observation",
            lambda y, mu, p: (y - mu) ** 2 / mu, "one number"),
    Mistake("deviance-based estimate",
            lambda y, mu, p: Poisson().deviance(y, mu) / (len(y) - p), "deviance-based"),
)
check_dispersion_ratio.mistakes = pearson_mistakes
