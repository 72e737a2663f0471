"""Checks for lesson 07 (fitting GLMs): one Newton step for logistic regression, one
IRLS (Fisher scoring) step for probit regression, and standard errors from the
Fisher information.

Each check runs the student's function on fresh data and names the usual mistake
when the answer matches one.

Introduced in 07_fitting_glms.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from glmlesson.exercises._core import (
    Feedback,
    Mistake,
    as_array,
    call_student,
    close,
    correct,
    exercise,
    side_by_side,
    wrong,
)
from glmlesson.exercises._core import first_match as _matches
from glmlesson.links import get_link

__all__ = ["check_newton_step", "check_irls_step", "check_standard_errors"]


def _binary_case(seed, link_name, n=80, beta=(-0.3, 0.9, -0.6)):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, len(beta) - 1))])
    y = rng.binomial(1, get_link(link_name).g_inv(X @ np.asarray(beta))).astype(float)
    return X, y


def _gram(X, w):
    return X.T @ (X * w[:, None])


# -- 07.1 Newton step ---------------------------------------------------------------------
@exercise
def check_newton_step(newton_step) -> Feedback:
    """Exercise 07.1: ``newton_step(beta, X, y)`` returns β + (XᵀWX)⁻¹Xᵀ(y − μ) for
    logistic regression, μ = expit(Xβ), W = diag(μ(1 − μ))."""
    for seed, beta in ((7101, np.array([0.1, 0.4, -0.2])), (7102, np.zeros(3))):
        X, y = _binary_case(seed, "logit")
        mu = special.expit(X @ beta)
        w = mu * (1.0 - mu)
        gradient = X.T @ (y - mu)
        step = np.linalg.solve(_gram(X, w), gradient)
        expected = beta + step
        case = f"from β = {beta.tolist()} on fresh data"
        answer = as_array(call_student(newton_step, beta.copy(), X.copy(), y.copy(), case=case,
                                       names=("beta", "X", "y")),
                          "the new β", beta.shape, case, "one entry per coefficient")
        if close(answer, expected, rtol=1e-7):
            continue
        message = _matches(answer, [
            (beta - step, "you stepped DOWNHILL: the curvature is −XᵀWX, so Newton's update is "
             "β + (XᵀWX)⁻¹·gradient"),
            (step, "you returned the step (XᵀWX)⁻¹Xᵀ(y − μ); add it to the current β"),
            (beta + np.linalg.solve(X.T @ X, gradient), "the weights are missing: the "
             "curvature is XᵀWX with W = μ(1 − μ), not XᵀX"),
            (beta + np.linalg.solve(_gram(X, np.sqrt(w)), gradient), "you weighted by "
             "√(μ(1 − μ)); the curvature uses W = μ(1 − μ) itself"),
            (beta + gradient, "that is a gradient step with learning rate 1; Newton divides "
             "the gradient by the curvature XᵀWX"),
            (beta + gradient / y.size, "that is a gradient step on the average "
             "log-likelihood; Newton divides the gradient by the curvature XᵀWX"),
            (_newton_fit(X, y), "you iterated Newton's method to convergence (that is β̂); "
             "the exercise asks for ONE step from the β you are given"),
        ], rtol=1e-7)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the Newton step lands at {want}, yours at {got}")
    return correct("β + (XᵀWX)⁻¹Xᵀ(y − μ): for the logit link this is also the IRLS step.")


# -- 07.2 IRLS step for probit ----------------------------------------------------------------
def _probit_parts(beta, X, y):
    link = get_link("probit")
    eta = X @ beta
    mu = link.g_inv(eta)
    density = link.mu_eta(eta)
    variance = mu * (1.0 - mu)
    return eta, mu, density, variance


def _observed_newton(beta, X, y):
    """β + (observed information)⁻¹ score for the probit model."""
    eta, mu, density, variance = _probit_parts(beta, X, y)
    score = X.T @ ((y - mu) * density / variance)
    ratio = density / variance
    ratio_prime = -eta * density / variance - density**2 * (1.0 - 2.0 * mu) / variance**2
    observed = _gram(X, density * ratio - (y - mu) * ratio_prime)
    return beta + np.linalg.solve(observed, score)


@exercise
def check_irls_step(irls_step) -> Feedback:
    """Exercise 07.2: ``irls_step(beta, X, y)`` returns one Fisher-scoring (IRLS) step of
    probit regression: the weighted least-squares fit of z = η + (y − μ)/φ(η) on X with
    weights w = φ(η)²/(μ(1 − μ))."""
    for seed, beta in ((7201, np.array([0.1, 0.5, -0.3])), (7202, np.array([-0.4, 0.2, 0.1]))):
        X, y = _binary_case(seed, "probit")
        eta, mu, density, variance = _probit_parts(beta, X, y)
        z = eta + (y - mu) / density
        w = density**2 / variance
        expected = np.linalg.solve(_gram(X, w), X.T @ (w * z))
        case = f"from β = {beta.tolist()} on fresh probit data"
        answer = as_array(call_student(irls_step, beta.copy(), X.copy(), y.copy(), case=case,
                                       names=("beta", "X", "y")),
                          "the new β", beta.shape, case, "one entry per coefficient")
        if close(answer, expected, rtol=1e-7):
            continue
        logit_mu = special.expit(eta)
        logit_w = logit_mu * (1.0 - logit_mu)
        message = _matches(answer, [
            (_observed_newton(beta, X, y), "that is Newton's step with the OBSERVED information; "
             "IRLS (Fisher scoring) uses the EXPECTED information, weights φ(η)²/(μ(1 − μ)), "
             "which do not depend on y"),
            (np.linalg.lstsq(X, z, rcond=None)[0], "the weights are missing: you regressed z "
             "on X by ordinary least squares; IRLS weights observation i by "
             "wᵢ = φ(ηᵢ)²/V(μᵢ)"),
            (np.linalg.solve(_gram(X, 1.0 / w), X.T @ (z / w)), "the weights are upside down: "
             "wᵢ = 1/(V(μᵢ)·g'(μᵢ)²) = φ(ηᵢ)²/V(μᵢ)"),
            (np.linalg.solve(_gram(X, np.sqrt(w)), X.T @ (np.sqrt(w) * z)), "you used √w as "
             "the weights; weighted least squares with weights w multiplies the ROWS by √w, "
             "i.e. solves (XᵀWX)β = XᵀWz with W = diag(w)"),
            (np.linalg.solve(_gram(X, logit_w), X.T @ (logit_w * (eta + (y - logit_mu)
                                                                 / logit_w))),
             "you used the logit link's formulas (μ = expit(η), w = μ(1 − μ)); for probit "
             "μ = Φ(η), dμ/dη = φ(η)"),
            (np.linalg.solve(_gram(X, w), X.T @ (w * (eta + (y - mu) * density))),
             "the working response multiplies (y − μ) by dμ/dη; it should DIVIDE: "
             "z = η + (y − μ)·g'(μ) = η + (y − μ)/φ(η)"),
            (expected - beta, "you returned the change in β; IRLS returns the new β itself "
             "(the weighted least-squares solution)"),
            (_probit_fit(X, y), "you iterated IRLS to convergence (that is β̂); the exercise "
             "asks for ONE step from the β you are given"),
        ], rtol=1e-7)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} one IRLS step lands at {want}, yours at {got}")
    return correct("one weighted least-squares fit of the working response: Fisher scoring for "
                   "the probit link.")


# -- 07.3 standard errors ------------------------------------------------------------------------
@exercise
def check_standard_errors(standard_errors) -> Feedback:
    """Exercise 07.3: ``standard_errors(X, mu)`` returns √diag((XᵀWX)⁻¹), W = diag(μ(1 − μ)),
    the standard errors of a logistic regression at its fitted means μ."""
    X, y = _binary_case(7301, "logit", n=120, beta=(-0.5, 0.8, 0.4, -0.7))
    rng = np.random.default_rng(7302)
    X[:, 2] = X[:, 1] * 0.6 + 0.8 * X[:, 2] + rng.normal(0.5, 0.2, y.size)  # correlated columns
    beta_hat = _newton_fit(X, y)
    mu = special.expit(X @ beta_hat)
    w = mu * (1.0 - mu)
    information = _gram(X, w)
    covariance = np.linalg.inv(information)
    expected = np.sqrt(np.diag(covariance))
    case = "on a fresh logistic fit"
    answer = as_array(call_student(standard_errors, X.copy(), mu.copy(), case=case,
                                   names=("X", "mu")),
                      "the standard errors", (X.shape[1],), case, "one per coefficient")
    if close(answer, expected, rtol=1e-7):
        return correct("√diag(I(β̂)⁻¹): invert the whole information matrix, then take square "
                       "roots of the diagonal.")
    message = _matches(answer, [
        (np.diag(covariance), "those are the VARIANCES diag(I⁻¹); a standard error is their "
         "square root"),
        (np.sqrt(np.diag(information)), "you forgot the inverse: √diag(I) measures how sharply "
         "the log-likelihood curves; the covariance is I⁻¹"),
        (1.0 / np.sqrt(np.diag(information)), "you inverted the diagonal entries one by one; "
         "invert the whole matrix I first (the coefficients are correlated), then take the "
         "diagonal"),
        (np.sqrt(np.diag(np.linalg.inv(X.T @ X))), "the weights are missing: the Fisher "
         "information is XᵀWX with W = μ(1 − μ), not XᵀX"),
        (np.sqrt(np.diag(np.linalg.inv(_gram(X, np.sqrt(w))))), "you weighted by √(μ(1 − μ)); "
         "the information uses W = μ(1 − μ)"),
        (np.sqrt(np.diag(covariance) / y.size), "you divided by n; I = XᵀWX already sums over "
         "the observations"),
        (np.diag(information), "that is diag(I) itself: invert I, take the diagonal, then the "
         "square root"),
    ], rtol=1e-7)
    want, got = side_by_side(expected, answer)
    return wrong(message or f"{case} the standard errors are {want}, yours are {got}")


def _probit_fit(X, y, n_iter=40):
    """β̂ of probit regression by repeated Fisher scoring from β = 0."""
    beta = np.zeros(X.shape[1])
    for _ in range(n_iter):
        eta, mu, density, variance = _probit_parts(beta, X, y)
        w = density**2 / variance
        beta = np.linalg.solve(_gram(X, w), X.T @ (w * (eta + (y - mu) / density)))
    return beta


def _newton_fit(X, y, n_iter=30):
    beta = np.zeros(X.shape[1])
    for _ in range(n_iter):
        mu = special.expit(X @ beta)
        beta = beta + np.linalg.solve(_gram(X, mu * (1.0 - mu)), X.T @ (y - mu))
    return beta


# ------------------------------------------------------------ typical wrong answers
def _newton(weight=lambda mu: mu * (1 - mu), sign=1.0, residual_sign=1.0, add=True):
    def newton_step(beta, X, y):
        mu = special.expit(X @ beta)
        step = np.linalg.solve(_gram(X, weight(mu)), residual_sign * X.T @ (y - mu))
        return beta + sign * step if add else step
    return newton_step


check_newton_step.mistakes = (
    Mistake("steps downhill", _newton(sign=-1.0), "DOWNHILL"),
    Mistake("returns the step", _newton(add=False), "returned the step"),
    Mistake("weights left out (XᵀX)", _newton(weight=np.ones_like), "weights are missing"),
    Mistake("weights √(μ(1 − μ))", _newton(weight=lambda mu: np.sqrt(mu * (1 - mu))),
            "√(μ(1 − μ))"),
    Mistake("gradient step with rate 1",
            lambda beta, X, y: beta + X.T @ (y - special.expit(X @ beta)), "learning rate 1"),
    Mistake("gradient step on the average",
            lambda beta, X, y: beta + X.T @ (y - special.expit(X @ beta)) / len(y),
            "average"),
    Mistake("gradient with the wrong sign (the same as stepping downhill)",
            _newton(residual_sign=-1.0), "DOWNHILL"),
    Mistake("iterates to convergence instead of one step",
            lambda beta, X, y: _newton_fit(X, y), "iterated Newton's method"),
    Mistake("β @ X (shapes do not fit)",
            lambda beta, X, y: beta + X.T @ (y - special.expit(beta @ X)), "shapes do not fit"),
)


def _irls(weight_of, response_of, solve=True):
    def irls_step(beta, X, y):
        eta = X @ beta
        mu, density = special.ndtr(eta), np.exp(-eta**2 / 2) / np.sqrt(2 * np.pi)
        w = weight_of(mu, density)
        z = response_of(eta, y, mu, density)
        if not solve:
            return np.linalg.lstsq(X, z, rcond=None)[0]
        return np.linalg.solve(X.T @ (X * w[:, None]), X.T @ (w * z))
    return irls_step


def _fisher_w(mu, density):
    return density**2 / (mu * (1 - mu))


def _working(eta, y, mu, density):
    return eta + (y - mu) / density


def _logit_irls(beta, X, y):
    eta = X @ beta
    mu = special.expit(eta)
    w = mu * (1 - mu)
    return np.linalg.solve(X.T @ (X * w[:, None]), X.T @ (w * (eta + (y - mu) / w)))


check_irls_step.mistakes = (
    Mistake("Newton with the observed information", _observed_newton, "OBSERVED"),
    Mistake("weights left out (ordinary least squares)", _irls(_fisher_w, _working, solve=False),
            "weights are missing"),
    Mistake("weights upside down", _irls(lambda mu, d: 1 / _fisher_w(mu, d), _working),
            "upside down"),
    Mistake("√w as the weights", _irls(lambda mu, d: np.sqrt(_fisher_w(mu, d)), _working),
            "√w"),
    Mistake("the logit link's formulas", _logit_irls, "logit link's formulas"),
    Mistake("(y − μ) multiplied by φ(η)",
            _irls(_fisher_w, lambda eta, y, mu, d: eta + (y - mu) * d), "should DIVIDE"),
    Mistake("iterates to convergence instead of one step",
            lambda beta, X, y: _probit_fit(X, y), "iterated IRLS"),
    Mistake("returns the change in β",
            lambda beta, X, y: _irls(_fisher_w, _working)(beta, X, y) - beta,
            "change in β"),
)


def _se(covariance_of):
    def standard_errors(X, mu):
        return covariance_of(X, mu * (1 - mu))
    return standard_errors


check_standard_errors.mistakes = (
    Mistake("variances, not standard errors",
            _se(lambda X, w: np.diag(np.linalg.inv(_gram(X, w)))), "VARIANCES"),
    Mistake("inverse forgotten", _se(lambda X, w: np.sqrt(np.diag(_gram(X, w)))),
            "forgot the inverse"),
    Mistake("diagonal inverted entry by entry",
            _se(lambda X, w: 1 / np.sqrt(np.diag(_gram(X, w)))), "one by one"),
    Mistake("weights left out (XᵀX)",
            _se(lambda X, w: np.sqrt(np.diag(np.linalg.inv(X.T @ X)))), "weights are missing"),
    Mistake("weights √(μ(1 − μ))",
            _se(lambda X, w: np.sqrt(np.diag(np.linalg.inv(_gram(X, np.sqrt(w)))))),
            "√(μ(1 − μ))"),
    Mistake("divided by n",
            _se(lambda X, w: np.sqrt(np.diag(np.linalg.inv(_gram(X, w))) / len(w))),
            "divided by n"),
    Mistake("diag(I) itself", _se(lambda X, w: np.diag(_gram(X, w))), "diag(I) itself"),
    Mistake("the whole covariance matrix", _se(lambda X, w: np.linalg.inv(_gram(X, w))),
            "one per coefficient"),
)
