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

from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    as_array,
    as_number,
    call_student,
    close,
    correct,
    exercise,
    side_by_side,
    wrong,
)
from glmlesson.exercises._core import first_match as _matches
from glmlesson.exercises._core import quiet_fit as _quiet_fit
from glmlesson.exercises.lesson04 import judge_pearson, pearson_mistakes
from glmlesson.families import NegativeBinomial, Poisson

__all__ = [
    "check_pearson_dispersion",
    "check_quasi_poisson_bse",
    "check_nb_loglik",
    "check_best_alpha",
]


def _overdispersed_counts(seed, n=150, alpha=0.7, beta=(0.6, 0.8)):
    """Fresh counts with Var y = μ + αμ² around a log-linear mean in len(beta) − 1 features."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.5, (n, len(beta) - 1))
    X = np.column_stack([np.ones(n), x])
    mu = np.exp(X @ np.asarray(beta))
    return X, NegativeBinomial(alpha).sample(mu, rng)


@exercise
def check_pearson_dispersion(pearson_dispersion) -> Feedback:
    """Exercise 08.1: ``pearson_dispersion(y, mu, n_params)`` returns φ̂ = χ²/(n − p) with
    χ² = Σ (y − μ)²/μ, for the means of a Poisson fit.

    The second case has p = 3 and n = 30, so dividing by n − 1 or a hard-coded n − 2 is
    seen (the same judge as 04.3's)."""
    cases = []
    for seed, alpha, n, beta in ((8101, 0.7, 150, (0.6, 0.8)), (8102, 0.3, 30, (0.6, 0.8, -0.5))):
        X, y = _overdispersed_counts(seed, n=n, alpha=alpha, beta=beta)
        mu = _quiet_fit(X, y, Poisson()).mu
        cases.append((y, mu, X.shape[1], f"on fresh counts (n = {n}, p = {X.shape[1]})"))
    problem = judge_pearson(pearson_dispersion, cases)
    if problem:
        return problem
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
    case = "on fresh over-dispersed counts"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answer = call_student(quasi_poisson_bse, X.copy(), y.copy(), case=case, names=("X", "y"))
    answer = as_array(answer, "the standard errors", expected.shape, case,
                      "one standard error per coefficient")
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
    want, got = side_by_side(expected, answer)
    return wrong(message or f"{case} the quasi-Poisson standard errors are {want}, yours are "
                 f"{got}")


_LIBRARY_NB = tuple((NegativeBinomial, name, f"NegativeBinomial.{name}")
                    for name in ("loglik", "loglik_obs", "log_density")
                    if hasattr(NegativeBinomial, name))


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
        case = f"for α = {alpha} on fresh counts"
        answer = call_student(nb_loglik, y.copy(), mu.copy(), alpha, case=case,
                              names=("y", "mu", "alpha"), forbidden=_LIBRARY_NB,
                              instead="write the log-likelihood yourself with "
                                      "scipy.special.gammaln")
        answer = as_number(answer, "the log-likelihood", case)
        if close(answer, expected, rtol=1e-8):
            continue
        log_factorials = float(np.sum(special.gammaln(y + 1.0)))
        gamma_terms = float(np.sum(special.gammaln(y + r) - special.gammaln(r)))
        swapped = float(np.sum(stats.nbinom.logpmf(y, alpha, 1.0 / (1.0 + mu / alpha))))
        log_1p = float(np.sum(np.log1p(alpha * mu)))
        message = _matches(answer, [
            (expected + 2 * r * log_1p, "the r·log(1 + αμ) term has the wrong sign: "
             "log p(y) = … + y·log(αμ) − (y + r)·log(1 + αμ), so BOTH y and r multiply "
             "−log(1 + αμ)"),
            (expected + 2 * float(np.sum(y * np.log1p(alpha * mu))), "the y·log(1 + αμ) term "
             "has the wrong sign: the last term is −(y + r)·log(1 + αμ)"),
            (expected + r * log_1p, "the r·log(1 + αμ) part is missing: the last term is "
             "−(y + r)·log(1 + αμ), not −y·log(1 + αμ)"),
            (expected - float(np.sum(y)) * np.log(alpha), "you wrote y·log μ; the term is "
             "y·log(αμ) (θ = log(αμ/(1 + αμ)))"),
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
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the log-likelihood is {want}, your function gives "
                     f"{got}")
    return correct("your log-likelihood matches scipy.stats.nbinom for two values of α.")


# A grid on which the estimators a student may reach for all differ: the maximum of the
# log-likelihood (0.5), the α whose Pearson dispersion is closest to 1 (0.6), the grid value
# nearest the moment estimate Σ[(y − μ̂)² − μ̂]/Σμ̂² of the Poisson fit (0.7, from 0.652),
# the smallest deviance (1.5) and the smallest log-likelihood (0.1); the maximum sits at
# position 4, itself no α of the grid.
_ALPHA_GRID = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.2, 1.5])


@exercise
def check_best_alpha(best_alpha) -> Feedback:
    """Exercise 08.4: ``best_alpha(X, y, alphas)`` returns the α of the grid whose
    NegativeBinomial(α) fit has the largest log-likelihood."""
    X, y = _overdispersed_counts(8400, n=200, alpha=0.6)
    alphas = _ALPHA_GRID.copy()
    fits = [_quiet_fit(X, y, NegativeBinomial(a)) for a in alphas]
    logliks = np.array([f.loglik for f in fits])
    expected = alphas[np.argmax(logliks)]
    case = "on fresh over-dispersed counts"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answer = call_student(best_alpha, X.copy(), y.copy(), alphas.copy(), case=case,
                              names=("X", "y", "alphas"))
    if hasattr(answer, "loglik"):
        return wrong("you returned a fit; return the value of α it was fitted with")
    answer = as_number(answer, "α", case)
    if close(answer, expected):
        return correct(f"α = {expected:g} maximises the profile log-likelihood on this grid.")
    deviances = np.array([f.deviance for f in fits])
    pearson = np.array([np.sum(f.resid_pearson**2) / f.df_resid for f in fits])
    poisson_mu = _quiet_fit(X, y, Poisson()).mu
    moment = float(np.sum((y - poisson_mu) ** 2 - poisson_mu) / np.sum(poisson_mu**2))
    message = _matches(answer, [
        (alphas[np.argmin(logliks)], "you picked the SMALLEST log-likelihood; maximise it"),
        (alphas[np.argmin(deviances)], "you minimised the deviance. Each α has its own "
         "saturated model, so deviances for different α are not comparable (the deviance "
         "keeps falling as α grows); compare log-likelihoods"),
        (alphas[np.argmin(np.abs(pearson - 1.0))], "you chose the α whose Pearson dispersion is "
         "closest to 1 (a moment estimate); the exercise asks for the maximum of the "
         "log-likelihood, which is another α on this grid"),
        (alphas[np.argmin(np.abs(alphas - moment))], "you took the grid value nearest the "
         f"moment estimate Σ[(y − μ̂)² − μ̂]/Σμ̂² = {moment:.3f}; the exercise asks for the "
         "maximum-likelihood α, which is another value on this grid: fit each α and compare "
         ".loglik"),
        (moment, "that is the moment estimate Σ[(y − μ̂)² − μ̂]/Σμ̂², not a value of the grid; "
         "fit NegativeBinomial(α) for each α of the grid and keep the largest .loglik"),
        (float(np.argmax(logliks)), "you returned the position in the grid; return α itself"),
        (float(np.max(logliks)), "you returned the largest log-likelihood; return the α that "
         "gives it"),
    ])
    return wrong(message or f"the best α on this grid is {expected:g}, you returned {answer:g}")


# ------------------------------------------------------------ typical wrong answers
check_pearson_dispersion.mistakes = pearson_mistakes


def _qp(factor_of):
    def quasi_poisson_bse(X, y):
        result = _quiet_fit(X, y, Poisson())
        phi = np.sum(result.resid_pearson**2) / result.df_resid
        return result.bse * factor_of(phi, result, y)
    return quasi_poisson_bse


check_quasi_poisson_bse.mistakes = (
    Mistake("multiplied by φ̂", _qp(lambda phi, r, y: phi), "multiplied the standard errors by φ̂"),
    Mistake("divided by √φ̂", _qp(lambda phi, r, y: 1 / np.sqrt(phi)), "divided by √φ̂"),
    Mistake("plain Poisson standard errors", _qp(lambda phi, r, y: 1.0), "plain Poisson"),
    Mistake("φ̂ over n", _qp(lambda phi, r, y: np.sqrt(phi * r.df_resid / len(y))), "not by n"),
    Mistake("deviance-based φ̂", _qp(lambda phi, r, y: np.sqrt(r.deviance / r.df_resid)),
            "deviance-based"),
    Mistake("returns φ̂ itself",
            lambda X, y: float(np.sum(_quiet_fit(X, y, Poisson()).resid_pearson ** 2)
                               / (len(y) - 2)),
            "one standard error per coefficient"),
)


gammaln = special.gammaln


def _nb(last_term, y_term=lambda y, alpha, mu: y * np.log(alpha * mu),
        log_h=lambda y, r: gammaln(y + r) - gammaln(r) - gammaln(y + 1)):
    def nb_loglik(y, mu, alpha):
        r = 1 / alpha
        return np.sum(log_h(y, r) + y_term(y, alpha, mu) + last_term(y, r, alpha * mu))
    return nb_loglik


def _right_last(y, r, alpha_mu):
    return -(y + r) * np.log1p(alpha_mu)


check_nb_loglik.mistakes = (
    Mistake("sign error on r·log(1 + αμ)",
            _nb(lambda y, r, am: -y * np.log1p(am) + r * np.log1p(am)), "r·log(1 + αμ) term"),
    Mistake("sign error on y·log(1 + αμ)",
            _nb(lambda y, r, am: y * np.log1p(am) - r * np.log1p(am)), "y·log(1 + αμ) term"),
    Mistake("r·log(1 + αμ) left out", _nb(lambda y, r, am: -y * np.log1p(am)),
            "part is missing"),
    Mistake("y·log μ instead of y·log(αμ)",
            _nb(_right_last, y_term=lambda y, alpha, mu: y * np.log(mu)), "y·log μ"),
    Mistake("−log y! left out",
            _nb(_right_last, log_h=lambda y, r: gammaln(y + r) - gammaln(r)), "log y!"),
    Mistake("log h(y) left out", _nb(_right_last, log_h=lambda y, r: 0.0), "leaves out log h(y)"),
    Mistake("log Γ terms left out", _nb(_right_last, log_h=lambda y, r: -gammaln(y + 1)),
            "log Γ(y + r) − log Γ(r)"),
    Mistake("α and r swapped",
            lambda y, mu, alpha: np.sum(stats.nbinom.logpmf(y, alpha, 1 / (1 + mu / alpha))),
            "swapped α and r"),
    Mistake("Poisson log-likelihood", lambda y, mu, alpha: np.sum(stats.poisson.logpmf(y, mu)),
            "Poisson"),
    Mistake("averaged", lambda y, mu, alpha: _nb(_right_last)(y, mu, alpha) / len(y), "averaged"),
    Mistake("negative log-likelihood", lambda y, mu, alpha: -_nb(_right_last)(y, mu, alpha),
            "sign is flipped"),
    Mistake("the library's NegativeBinomial.loglik, which the task forbids",
            lambda y, mu, alpha: NegativeBinomial(alpha).loglik(y, mu), "gammaln"),
)


def _alpha_by(score, pick=np.argmax):
    def best_alpha(X, y, alphas):
        fits = [_quiet_fit(X, y, NegativeBinomial(a)) for a in alphas]
        return alphas[int(pick([score(f) for f in fits]))]
    return best_alpha


def _moment_alpha(X, y):
    mu = _quiet_fit(X, y, Poisson()).mu
    return float(np.sum((y - mu) ** 2 - mu) / np.sum(mu**2))


check_best_alpha.mistakes = (
    Mistake("smallest log-likelihood", _alpha_by(lambda f: f.loglik, np.argmin), "SMALLEST"),
    Mistake("smallest deviance", _alpha_by(lambda f: f.deviance, np.argmin),
            "minimised the deviance"),
    Mistake("Pearson dispersion closest to 1 (a moment estimate)",
            _alpha_by(lambda f: abs(np.sum(f.resid_pearson**2) / f.df_resid - 1), np.argmin),
            "closest to 1"),
    Mistake("grid value nearest the moment estimate of α",
            lambda X, y, alphas: alphas[np.argmin(np.abs(alphas - _moment_alpha(X, y)))],
            "nearest the moment estimate"),
    Mistake("the moment estimate itself", lambda X, y, alphas: _moment_alpha(X, y),
            "not a value of the grid"),
    Mistake("position in the grid",
            lambda X, y, alphas: int(np.argmax([_quiet_fit(X, y, NegativeBinomial(a)).loglik
                                                for a in alphas])), "position"),
    Mistake("the largest log-likelihood itself",
            lambda X, y, alphas: max(_quiet_fit(X, y, NegativeBinomial(a)).loglik
                                     for a in alphas), "largest log-likelihood"),
    Mistake("the best fit itself",
            lambda X, y, alphas: max((_quiet_fit(X, y, NegativeBinomial(a)) for a in alphas),
                                     key=lambda f: f.loglik), "returned a fit"),
)
