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

from glmlesson.exercises import hints
from glmlesson.exercises._core import Feedback, call_student, close, correct, exercise, wrong
from glmlesson.exercises._core import as_number as _as_number
from glmlesson.exercises._core import first_match as _matches
from glmlesson.exercises._core import quiet_fit as _quiet_fit
from glmlesson.families import NegativeBinomial
from glmlesson.fitting import fit
from glmlesson.links import get_link

__all__ = ["check_logistic_gd", "check_compare_links", "check_dispersion_ratio"]

hints.register(
    "04.1",
    "Copy the Poisson loop and change one line: the Bernoulli mean is μ = σ(η) = 1/(1 + e^(−η)) "
    "(scipy.special.expit) instead of e^η. The logit link is canonical for the Bernoulli, so "
    "the gradient keeps the form Xᵀ(y − μ)/n and the step still ADDS learning_rate × gradient.",
)
hints.register(
    "04.2",
    "fit(X, y, \"poisson\", link=\"sqrt\") fits the same family with another link; its "
    ".deviance is what you want (not .loglik). Same data and same family means the same "
    "saturated model, so the smaller deviance is the better fit.",
)
hints.register(
    "04.3",
    "Compare each squared residual (y − μ)² with the variance the Poisson promises at that "
    "point, V(μ) = μ. Sum the ratios (Pearson's χ²) and divide by the residual degrees of "
    "freedom n − p.",
)
# -- 04.1 logistic regression by gradient ascent ----------------------------------------
# (seed, n, true β, learning rate, steps): two sample sizes, so an answer that forgot to
# divide by n cannot match both by a tuned learning rate; the last case has two features.
_LOGISTIC_CASES = (
    (4101, 60, (-0.5, 1.2), 0.5, 150),
    (4102, 250, (0.8, -1.5), 0.3, 80),
    (4103, 120, (0.3, 0.9, -0.6), 0.4, 100),
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


def _as_coefficients(answer, p):
    if isinstance(answer, tuple):
        return None, wrong(f"your function returns a tuple of {len(answer)} things; return the "
                           "coefficient vector β alone (an array of length p)")
    try:
        beta = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None, wrong(f"return the coefficients as an array, got {type(answer).__name__}")
    if beta.shape != (p,):
        return None, wrong(f"return one coefficient per column of X (shape ({p},)), got shape "
                           f"{beta.shape}")
    return beta, None


@exercise
def check_logistic_gd(logistic_gd) -> Feedback:
    """Exercise 04.1: ``logistic_gd(X, y, learning_rate, n_steps)`` returns β after
    ``n_steps`` steps of β ← β + learning_rate·Xᵀ(y − σ(Xβ))/n from β = 0."""
    for seed, n, true_beta, rate, steps in _LOGISTIC_CASES:
        X, y = _logistic_data(seed, n, true_beta)
        expected = _ascent(X, y, rate, steps)
        answer = call_student(logistic_gd, X.copy(), y.copy(), rate, steps)
        beta, problem = _as_coefficients(answer, X.shape[1])
        if problem:
            return problem
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
        return wrong(message or f"on fresh data (n = {n}, learning_rate = {rate}, "
                     f"{steps} steps) β should be {np.round(expected, 6)}, your function "
                     f"gives {np.round(beta, 6)}")
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
    values = {}
    for link in _LINKS:
        value, problem = _as_number(deviances[link], f"the {link}-link deviance")
        if problem:
            return None, None, problem
        values[link] = value
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
            answer = call_student(compare_links, X.copy(), y.copy())
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
            return wrong(message or f"on fresh counts the Poisson deviance with the {link} link "
                         f"is {expected[link]:.4f}, you give {values[link]:.4f}")
        if best != winner:
            if best == max(expected, key=expected.get):
                return wrong(f"the deviances are right, but you picked '{best}', the link with "
                             "the LARGER deviance; a smaller deviance means a fit closer to "
                             "the saturated model, i.e. a better fit")
            return wrong(f"the deviances are right; 'best' should be the name of the link with "
                         f"the smaller deviance ('{winner}' here), you returned {best!r}")
    return correct("right deviances, and the better link on counts simulated with each link "
                   "(the true link wins both times). Equal numbers of coefficients and the same "
                   "family make deviances directly comparable.")


# -- 04.3 Pearson dispersion ratio ------------------------------------------------------
# (seed, α of the negative binomial or None for Poisson counts)
_DISPERSION_CASES = ((4301, None), (4302, 0.8))


def _dispersion_data(seed, alpha, n=200, beta=(0.5, 0.6)):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 3.0, n)
    X = np.column_stack([np.ones(n), x])
    mu = np.exp(X @ np.asarray(beta))
    y = rng.poisson(mu).astype(float) if alpha is None else NegativeBinomial(alpha).sample(mu, rng)
    return X, y, _quiet_fit(X, y, "poisson").mu


@exercise
def check_dispersion_ratio(dispersion_ratio) -> Feedback:
    """Exercise 04.3: ``dispersion_ratio(y, mu, n_params)`` returns Pearson's χ²/(n − p),
    χ² = Σ (yᵢ − μᵢ)²/μᵢ."""
    ratios = []
    for seed, alpha in _DISPERSION_CASES:
        X, y, mu = _dispersion_data(seed, alpha)
        n, p = y.size, X.shape[1]
        chi2 = float(np.sum((y - mu) ** 2 / mu))
        expected = chi2 / (n - p)
        answer, problem = _as_number(call_student(dispersion_ratio, y.copy(), mu.copy(), p),
                                     "the dispersion ratio")
        if problem:
            return problem
        if close(answer, expected, rtol=1e-8):
            ratios.append(expected)
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
            (float(np.sum((y - mu) ** 2)) / (n - p), "you did not divide the squared residuals "
             "by V(μ) = μ; each (y − μ)² must be compared with the variance the Poisson "
             "promises at that point"),
            (float(np.sum((y - mu) ** 2 / mu**2)) / (n - p), "you divided by μ²; the Poisson "
             "variance is V(μ) = μ"),
            (float(np.sum((y - mu) / mu)) / (n - p), "the residuals must be squared: "
             "Σ (y − μ)²/μ"),
            (np.sqrt(expected), "that is the square root of the ratio; return χ²/(n − p)"),
        ], rtol=1e-8)
        kind = "Poisson counts" if alpha is None else "over-dispersed counts"
        return wrong(message or f"on fresh {kind} (n = {n}, p = {p}) the ratio is "
                     f"{expected:.4f}, your function gives {answer:.4f}")
    return correct(f"χ²/(n − p) is {ratios[0]:.3f} on fresh Poisson counts and {ratios[1]:.3f} "
                   "on negative-binomial counts with the same mean: well above 1 means "
                   "over-dispersion.")
