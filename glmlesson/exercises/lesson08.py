"""Checks for lesson 08 (over-dispersion): the Pearson dispersion, quasi-Poisson standard
errors, the negative-binomial log-likelihood and choosing α by its profile.

Each check runs the student's function on fresh over-dispersed counts (not the
crabs) and names the usual mistake when the answer matches one.

Introduced in 08_overdispersion.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import special, stats

from glmlesson.exercises import hints
from glmlesson.exercises._core import Feedback, call_student, close, correct, exercise, wrong
from glmlesson.exercises._core import as_number as _as_number
from glmlesson.exercises._core import first_match as _matches
from glmlesson.exercises._core import quiet_fit as _quiet_fit
from glmlesson.families import NegativeBinomial, Poisson

__all__ = [
    "check_pearson_dispersion",
    "check_quasi_poisson_bse",
    "check_nb_loglik",
    "check_best_alpha",
]

hints.register(
    "08.1",
    "Fit first, then look at the residuals y − μ̂, not at y: each squared residual is divided "
    "by the variance the Poisson promises, V(μ̂) = μ̂. Sum, then divide by the residual "
    "degrees of freedom n − p.",
)
hints.register(
    "08.2",
    "The quasi-Poisson model keeps the Poisson β̂ and multiplies the covariance matrix by φ̂. "
    "A standard error is a square root of a variance.",
)
hints.register(
    "08.3",
    "With r = 1/α: log p(y) = log Γ(y + r) − log Γ(r) − log y! + y·log(αμ) − (y + r)·log(1 + αμ). "
    "scipy.special.gammaln gives log Γ; log y! = gammaln(y + 1).",
)
hints.register(
    "08.4",
    "Fit NegativeBinomial(alpha) for every α in the grid and keep the one with the largest "
    "log-likelihood. Deviances for different α are measured against different saturated "
    "models, so they cannot be compared.",
)


def _overdispersed_counts(seed, n=150, alpha=0.7, beta=(0.6, 0.8)):
    """Fresh counts with Var y = μ + αμ² around a log-linear mean in one feature."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.5, n)
    X = np.column_stack([np.ones(n), x])
    mu = np.exp(X @ np.asarray(beta))
    return X, NegativeBinomial(alpha).sample(mu, rng)


@exercise
def check_pearson_dispersion(pearson_dispersion) -> Feedback:
    """Exercise 08.1: ``pearson_dispersion(y, mu, n_params)`` returns φ̂ = χ²/(n − p) with
    χ² = Σ (y − μ)²/μ, for the means of a Poisson fit."""
    for seed, alpha in ((8101, 0.7), (8102, 0.3)):
        X, y = _overdispersed_counts(seed, alpha=alpha)
        mu = _quiet_fit(X, y, Poisson()).mu
        n, p = y.size, X.shape[1]
        chi2 = float(np.sum((y - mu) ** 2 / mu))
        expected = chi2 / (n - p)
        answer, problem = _as_number(call_student(pearson_dispersion, y, mu, p), "φ̂")
        if problem:
            return problem
        if close(answer, expected):
            continue
        deviance = Poisson().deviance(y, mu)
        message = _matches(answer, [
            (np.var(y) / np.mean(y), "you divided the variance of y by its mean. That ratio "
             "also counts the spread of μ across x as noise; use the residuals y − μ̂ of the "
             "fitted model, each scaled by V(μ̂) = μ̂"),
            (np.var(y, ddof=1) / np.mean(y), "you divided the variance of y by its mean. That "
             "ratio also counts the spread of μ across x as noise; use the residuals y − μ̂ "
             "of the fitted model, each scaled by V(μ̂) = μ̂"),
            (chi2 / n, "you divided χ² by n; divide by the residual degrees of freedom n − p "
             "(p coefficients were estimated from the same data)"),
            (chi2, "that is Pearson's χ² itself; the dispersion is χ² / (n − p)"),
            (np.sqrt(expected), "that is √φ̂ (the factor for standard errors); return φ̂ itself"),
            (deviance / (n - p), "that is the deviance-based estimate D/(n − p); the Pearson "
             "estimate sums (y − μ̂)²/μ̂"),
            (float(np.sum((y - mu) ** 2 / mu**2)) / (n - p), "you divided by μ̂²; the Poisson "
             "variance is V(μ̂) = μ̂"),
        ])
        return wrong(message or f"on fresh counts (n = {n}, p = {p}) φ̂ should be "
                     f"{expected:.4f}, your function gives {answer:.4f}")
    return correct("φ̂ = Σ(y − μ̂)²/μ̂ / (n − p): about 1 for Poisson data, well above 1 when "
                   "the counts are over-dispersed.")


@exercise
def check_quasi_poisson_bse(quasi_poisson_bse) -> Feedback:
    """Exercise 08.2: ``quasi_poisson_bse(X, y)`` returns the quasi-Poisson standard errors
    bse·√φ̂ (Poisson fit, Pearson φ̂)."""
    X, y = _overdispersed_counts(8201, alpha=0.9)
    result = _quiet_fit(X, y, Poisson())
    chi2 = float(np.sum(result.resid_pearson**2))
    phi = chi2 / result.df_resid
    expected = result.bse * np.sqrt(phi)
    answer = call_student(quasi_poisson_bse, X, y)
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return wrong(f"return an array of standard errors, got {type(answer).__name__}")
    if answer.shape != expected.shape:
        return wrong(f"return one standard error per coefficient (shape {expected.shape}), "
                     f"got shape {answer.shape}")
    if close(answer, expected):
        return correct(f"the standard errors grow by √φ̂ = {np.sqrt(phi):.3f}; the coefficients "
                       "stay the Poisson ones.")
    message = _matches(answer, [
        (result.bse * phi, "you multiplied the standard errors by φ̂; φ̂ scales the VARIANCE, so "
         "the standard errors grow by √φ̂"),
        (result.bse / np.sqrt(phi), "you divided by √φ̂: over-dispersion makes the estimates "
         "LESS certain, so the standard errors must grow"),
        (result.bse, "these are the plain Poisson standard errors; multiply by √φ̂"),
        (result.bse * np.sqrt(chi2 / y.size), "φ̂ should divide χ² by n − p, not by n"),
        (result.bse * np.sqrt(result.deviance / result.df_resid), "you used the deviance-based "
         "dispersion; this lesson (and statsmodels' scale='X2') uses Pearson's χ²/(n − p)"),
    ])
    return wrong(message or f"on fresh counts the quasi-Poisson standard errors are "
                 f"{np.round(expected, 4)}, yours are {np.round(answer, 4)}")


@exercise
def check_nb_loglik(nb_loglik) -> Feedback:
    """Exercise 08.3: ``nb_loglik(y, mu, alpha)`` returns Σ log p(yᵢ) for the negative
    binomial with mean μᵢ and Var y = μ + αμ²."""
    rng = np.random.default_rng(8301)
    for alpha in (0.4, 2.5):
        mu = rng.uniform(0.5, 6.0, 40)
        y = NegativeBinomial(alpha).sample(mu, rng)
        r = 1.0 / alpha
        expected = float(np.sum(stats.nbinom.logpmf(y, r, 1.0 / (1.0 + alpha * mu))))
        answer, problem = _as_number(call_student(nb_loglik, y, mu, alpha), "the log-likelihood")
        if problem:
            return problem
        if close(answer, expected, rtol=1e-8):
            continue
        log_factorials = float(np.sum(special.gammaln(y + 1.0)))
        gamma_terms = float(np.sum(special.gammaln(y + r) - special.gammaln(r)))
        swapped = float(np.sum(stats.nbinom.logpmf(y, alpha, 1.0 / (1.0 + mu / alpha))))
        message = _matches(answer, [
            (expected + log_factorials, f"your log-likelihood ignores the −log y! part of h(y): "
             f"off by the constant {log_factorials:.1f}"),
            (expected + log_factorials - gamma_terms, "your log-likelihood leaves out log h(y) "
             "(the log Γ(y + r) − log Γ(r) − log y! terms): it is right only up to a constant"),
            (expected - gamma_terms, "the log Γ(y + r) − log Γ(r) part of h(y) is missing"),
            (swapped, "you swapped α and r = 1/α: with Var y = μ + αμ² the shape is r = 1/α"),
            (float(np.sum(stats.poisson.logpmf(y, mu))), "that is the Poisson log-likelihood; "
             "the negative binomial has the extra parameter α"),
            (expected / y.size, "you averaged over observations; return the sum"),
            (-expected, "the sign is flipped: a log-likelihood of counts is negative"),
        ], rtol=1e-8)
        return wrong(message or f"for α = {alpha} the log-likelihood of fresh counts is "
                     f"{expected:.4f}, your function gives {answer:.4f}")
    return correct("your log-likelihood matches scipy.stats.nbinom for two values of α.")


@exercise
def check_best_alpha(best_alpha) -> Feedback:
    """Exercise 08.4: ``best_alpha(X, y, alphas)`` returns the α of the grid whose
    NegativeBinomial(α) fit has the largest log-likelihood."""
    X, y = _overdispersed_counts(8401, n=200, alpha=0.6)
    alphas = np.array([0.01, 0.2, 0.4, 0.6, 0.9, 1.5, 2.0])
    fits = [_quiet_fit(X, y, NegativeBinomial(a)) for a in alphas]
    logliks = np.array([f.loglik for f in fits])
    expected = alphas[np.argmax(logliks)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answer, problem = _as_number(call_student(best_alpha, X, y, alphas), "α")
    if problem:
        return problem
    if close(answer, expected):
        return correct(f"α = {expected:g} maximises the profile log-likelihood on this grid.")
    deviances = np.array([f.deviance for f in fits])
    pearson = np.array([np.sum(f.resid_pearson**2) / f.df_resid for f in fits])
    message = _matches(answer, [
        (alphas[np.argmin(logliks)], "you picked the SMALLEST log-likelihood; maximise it"),
        (alphas[np.argmin(deviances)], "you minimised the deviance. Each α has its own "
         "saturated model, so deviances for different α are not comparable (the deviance "
         "keeps falling as α grows); compare log-likelihoods"),
        (alphas[np.argmin(np.abs(pearson - 1.0))], "you chose the α whose Pearson dispersion is "
         "closest to 1 (a moment estimate); the exercise asks for the maximum of the "
         "log-likelihood"),
        (float(np.argmax(logliks)), "you returned the position in the grid; return α itself"),
    ])
    return wrong(message or f"the best α on this grid is {expected:g}, you returned {answer:g}")
