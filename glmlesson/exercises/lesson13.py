"""Checks for lesson 13 (correlated data): cluster-robust (sandwich) standard errors, the
Laplace approximation of one group's likelihood, and the population-averaged probability
of a random-intercept logit model.

Each check runs the student's function on fresh clustered data (not the epilepsy or
cbpp data) and names the usual mistake when the answer matches one.

Introduced in 13_correlated_data.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import integrate, special

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
from glmlesson.families import Poisson

__all__ = ["check_cluster_robust_se", "check_laplace_loglik", "check_marginal_probability"]


# ------------------------------------------------------------------ 13.1 sandwich
def _clustered_counts(seed, sizes=(3, 9, 5, 7, 4, 8, 6, 3, 9, 5, 7, 4, 8, 6, 3, 9, 5, 7, 4, 8),
                      sigma=0.8):
    """Poisson counts with a random intercept per group, a group-level and a row-level x.

    Groups of unequal size, labelled by strings ("herd-01", …), rows in shuffled order: an
    answer that takes groups as consecutive blocks, as runs of equal labels or as integer
    indices gives other numbers (or fails)."""
    rng = np.random.default_rng(seed)
    sizes = np.asarray(sizes)
    codes = rng.permutation(np.repeat(np.arange(sizes.size), sizes))
    groups = np.array([f"herd-{k + 1:02d}" for k in range(sizes.size)])[codes]
    x_group = rng.normal(size=sizes.size)[codes]
    x_row = rng.normal(size=codes.size)
    X = np.column_stack([np.ones(codes.size), x_group, x_row])
    eta = X @ np.array([0.8, 0.4, 0.3]) + sigma * rng.normal(size=sizes.size)[codes]
    return X, rng.poisson(np.exp(eta)).astype(float), groups


def _group_sums(values, groups):
    """One row per group: the sum of ``values`` over the group's rows (any labels, any order)."""
    return np.array([values[groups == g].sum(axis=0) for g in np.unique(groups)])


def _sandwich_parts(X, y, mu, groups):
    """B = XᵀWX (W = diag μ), the per-group score sums, and the per-row scores."""
    bread = X.T @ (mu[:, None] * X)
    scores = X * (y - mu)[:, None]
    return bread, _group_sums(scores, groups), scores


def _se(cov):
    return np.sqrt(np.diag(cov))


def _sandwich_se(bread, meat):
    inverse = np.linalg.inv(bread)
    return _se(inverse @ meat @ inverse)


def _run_sums(scores, groups):
    """Sums over runs of consecutive rows with the same label (right only for sorted rows)."""
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    return np.add.reduceat(scores, starts, axis=0)


@exercise
def check_cluster_robust_se(cluster_robust_se) -> Feedback:
    """Exercise 13.1: ``cluster_robust_se(X, y, mu, groups)`` returns √diag(B⁻¹MB⁻¹) for a
    Poisson log-link fit: B = XᵀWX with W = diag(μ), M = Σ_g s_g s_gᵀ with
    s_g = Σ_{i in g} xᵢ(yᵢ − μᵢ).

    20 groups of 3 to 9 rows, labelled by strings and in shuffled order, with a group-level
    covariate: the naive, the row-by-row (HC0), the small-sample-corrected answers and
    group sums that assume sorted or equal-size groups all differ from the right one by
    percent."""
    X, y, groups = _clustered_counts(1301)
    mu = _quiet_fit(X, y, Poisson()).mu
    bread, sums, scores = _sandwich_parts(X, y, mu, groups)
    inverse = np.linalg.inv(bread)
    cov = inverse @ (sums.T @ sums) @ inverse
    expected = _se(cov)
    case = ("on fresh clustered counts (20 groups of 3 to 9 rows, labelled 'herd-01' to "
            "'herd-20', rows in shuffled order)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answer = call_student(cluster_robust_se, X.copy(), y.copy(), mu.copy(), groups.copy(),
                              case=case, names=("X", "y", "mu", "groups"))
    answer = as_array(answer, "the standard errors", expected.shape, case,
                      "one standard error per column of X")
    if close(answer, expected):
        return correct(f"B⁻¹MB⁻¹ with one score sum per group: the robust SE of the group-level "
                       f"slope is {expected[1]:.3f}, the naive one {_se(inverse)[1]:.3f}.")
    n_groups, (n, p) = sums.shape[0], X.shape
    corrected = expected * np.sqrt(n_groups / (n_groups - 1) * (n - 1) / (n - p))
    y_sums = _group_sums(X * y[:, None], groups)
    means = sums / np.bincount(np.unique(groups, return_inverse=True)[1])[:, None]
    blocks = scores.reshape(n_groups, -1, p).sum(axis=1)
    runs = _run_sums(scores, groups)
    message = _matches(answer, [
        (_se(inverse), "these are the naive (model-based) standard errors √diag(B⁻¹): they "
         "take every row as independent. Add the meat M = Σ_g s_g s_gᵀ"),
        (_sandwich_se(bread, scores.T @ scores), "you summed the meat row by row "
         "(Σᵢ sᵢsᵢᵀ, the heteroskedasticity-robust sandwich); add up the scores WITHIN each "
         "group first, s_g = Σ_{i in g} xᵢ(yᵢ − μᵢ), then M = Σ_g s_g s_gᵀ"),
        (np.diag(cov), "these are variances: take the square root of the diagonal"),
        (_se(inverse @ (sums.T @ sums)), "the sandwich has bread on BOTH sides: B⁻¹ M B⁻¹"),
        (_se(bread @ (sums.T @ sums) @ bread), "the bread is the INVERSE of B = XᵀWX: "
         "B⁻¹ M B⁻¹, not B M B"),
        (_sandwich_se(bread, y_sums.T @ y_sums), "the scores use the residuals "
         "yᵢ − μᵢ, not yᵢ"),
        (corrected, "you applied a small-sample correction G/(G − 1)·(n − 1)/(n − p); this "
         "exercise asks for the plain B⁻¹MB⁻¹ (what fit_gee reports)"),
        (expected * np.sqrt(n_groups / (n_groups - 1)), "you multiplied by G/(G − 1), a "
         "small-sample correction for the number of groups; this exercise asks for the plain "
         "B⁻¹MB⁻¹ (what fit_gee reports)"),
        (_sandwich_se(X.T @ X, sums.T @ sums), "your bread is XᵀX, without the weights: for "
         "the Poisson log link B = XᵀWX with W = diag(μ)"),
        (_sandwich_se(bread, means.T @ means), "you averaged the scores of each group; the "
         "meat needs their SUM, s_g = Σ_{i in g} xᵢ(yᵢ − μᵢ)"),
        (_sandwich_se(bread, blocks.T @ blocks), "your groups are consecutive blocks of equal "
         "size (a reshape); here the groups have 3 to 9 rows in shuffled order: add up the "
         "rows whose label is g (`groups == g` for each g in np.unique(groups))"),
        (_sandwich_se(bread, runs.T @ runs), "you added up runs of consecutive rows with the "
         "same label, which is right only when the rows are sorted by group; here they are "
         "shuffled: add up the rows whose label is g (`groups == g`)"),
    ])
    want, got = side_by_side(expected, answer)
    return wrong(message or f"{case} the robust standard errors are {want}, yours are {got}")


def _robust(meat_of, bread_power=-1, sides=2, root=True):
    def cluster_robust_se(X, y, mu, groups):
        bread, sums, scores = _sandwich_parts(X, y, mu, groups)
        outer = np.linalg.matrix_power(bread, bread_power)
        cov = outer @ meat_of(sums, scores, X, y, groups)
        cov = cov @ outer if sides == 2 else cov
        return np.sqrt(np.diag(cov)) if root else np.diag(cov)
    return cluster_robust_se


def _by_group(sums, scores, X, y, groups):
    return sums.T @ sums


def _y_meat(sums, scores, X, y, groups):
    y_sums = _group_sums(X * y[:, None], groups)
    return y_sums.T @ y_sums


def _mean_meat(sums, scores, X, y, groups):
    means = np.array([scores[groups == g].mean(axis=0) for g in np.unique(groups)])
    return means.T @ means


def _reshaped_meat(sums, scores, X, y, groups):
    blocks = scores.reshape(np.unique(groups).size, -1, X.shape[1]).sum(axis=1)
    return blocks.T @ blocks


def _reduceat_meat(sums, scores, X, y, groups):
    runs = _run_sums(scores, groups)
    return runs.T @ runs


def _add_at_meat(sums, scores, X, y, groups):
    by_label = np.zeros((np.unique(groups).size, X.shape[1]))
    np.add.at(by_label, groups, scores)                   # labels used as row indices
    return by_label.T @ by_label


def _corrected(X, y, mu, groups, rows=True):
    n_groups, (n, p) = np.unique(groups).size, X.shape
    factor = n_groups / (n_groups - 1) * ((n - 1) / (n - p) if rows else 1.0)
    return _robust(_by_group)(X, y, mu, groups) * np.sqrt(factor)


def _unweighted_bread(X, y, mu, groups):
    _, sums, _ = _sandwich_parts(X, y, mu, groups)
    return _sandwich_se(X.T @ X, sums.T @ sums)


def _full_covariance(X, y, mu, groups):
    bread, sums, _ = _sandwich_parts(X, y, mu, groups)
    inverse = np.linalg.inv(bread)
    return inverse @ sums.T @ sums @ inverse


check_cluster_robust_se.mistakes = (
    Mistake("naive standard errors √diag(B⁻¹)",
            lambda X, y, mu, groups: np.sqrt(np.diag(np.linalg.inv(X.T @ (mu[:, None] * X)))),
            "naive"),
    Mistake("meat summed row by row (HC0), groups ignored",
            _robust(lambda sums, scores, X, y, groups: scores.T @ scores), "row by row"),
    Mistake("variances, no square root", _robust(_by_group, root=False), "variances"),
    Mistake("bread on one side only", _robust(_by_group, sides=1), "BOTH sides"),
    Mistake("B M B instead of B⁻¹ M B⁻¹", _robust(_by_group, bread_power=1), "INVERSE"),
    Mistake("y instead of the residual in the scores", _robust(_y_meat), "residuals"),
    Mistake("a small-sample correction", _corrected, "(n − 1)/(n − p)"),
    Mistake("only the G/(G − 1) correction",
            lambda X, y, mu, groups: _corrected(X, y, mu, groups, rows=False),
            "multiplied by G/(G − 1)"),
    Mistake("bread XᵀX without the weights", _unweighted_bread, "without the weights"),
    Mistake("mean of the scores per group instead of the sum", _robust(_mean_meat),
            "averaged the scores"),
    Mistake("groups as consecutive equal blocks (reshape)", _robust(_reshaped_meat),
            "consecutive blocks"),
    Mistake("groups as runs of equal labels (np.add.reduceat)", _robust(_reduceat_meat),
            "runs of consecutive rows"),
    Mistake("labels used as indices (np.add.at)", _robust(_add_at_meat), "IndexError"),
    Mistake("the whole covariance matrix", _full_covariance, "one standard error per column"),
)


# ------------------------------------------------------------------ 13.2 Laplace
def _log_joint(u, y, eta, sigma):
    """ℓ(u) = Σⱼ log p(yⱼ | ηⱼ + σu) − u²/2 for a Poisson group (log y! included)."""
    linear = eta + sigma * u
    return float(np.sum(y * linear - np.exp(linear) - special.gammaln(y + 1.0)) - u**2 / 2)


def _mode(y, eta, sigma, prior=1.0):
    """The maximiser û of Σ log p(y | η + σu) − prior·u²/2 (Newton) and H = prior + σ²Σμ."""
    u = 0.0
    for _ in range(200):
        mu = np.exp(eta + sigma * u)
        curvature = prior + sigma**2 * np.sum(mu)
        step = (sigma * np.sum(y - mu) - prior * u) / curvature
        u += step
        if abs(step) < 1e-13:
            break
    return u, prior + sigma**2 * float(np.sum(np.exp(eta + sigma * u)))


def _exact_group_loglik(y, eta, sigma):
    """log ∫ p(y | u) φ(u) du by adaptive quadrature around the mode."""
    u_hat, curvature = _mode(y, eta, sigma)
    top, spread = _log_joint(u_hat, y, eta, sigma), 1 / np.sqrt(curvature)
    value = integrate.quad(lambda u: np.exp(_log_joint(u, y, eta, sigma) - top),
                           u_hat - 12 * spread, u_hat + 12 * spread, epsabs=0, epsrel=1e-12)[0]
    return top + np.log(value) - 0.5 * np.log(2 * np.pi)


def _laplace_cases():
    rng = np.random.default_rng(1302)
    eta = rng.uniform(0.2, 1.2, 5)
    y = rng.poisson(np.exp(eta + 0.5)).astype(float)
    return [(y, eta, 0.8, "for a group of 5 counts with σ = 0.8"),
            (np.zeros(3), np.array([-0.5, 0.0, -1.0]), 1.5,
             "for a group of three zero counts with σ = 1.5")]


@exercise
def check_laplace_loglik(laplace_loglik) -> Feedback:
    """Exercise 13.2: ``laplace_loglik(y, eta, sigma)`` returns the Laplace approximation
    ℓ(û) − ½ log H of log ∫ p(y | u) φ(u) du for one group of a Poisson random-intercept
    model, ℓ(u) = Σⱼ log p(yⱼ | ηⱼ + σu) − u²/2, H = 1 + σ² Σⱼ μⱼ(û).

    Both cases have σ ≠ 1, and the second (zero counts) is where the Laplace
    approximation and the exact integral differ most."""
    for y, eta, sigma, case in _laplace_cases():
        u_hat, curvature = _mode(y, eta, sigma)
        expected = _log_joint(u_hat, y, eta, sigma) - 0.5 * np.log(curvature)
        answer = call_student(laplace_loglik, y.copy(), eta.copy(), sigma, case=case,
                              names=("y", "eta", "sigma"))
        answer = as_number(answer, "the log-likelihood of the group", case)
        if close(answer, expected, rtol=1e-7, atol=1e-9):
            continue
        mu_hat = np.exp(eta + sigma * u_hat)
        message = _matches(answer, [
            (expected + 0.5 * np.log(curvature), "the −½ log H term is missing: Laplace "
             "replaces the integral by exp{ℓ(û)}·√(2π/H), and the 2π cancels against φ's"),
            (expected + 0.5 * np.log(curvature) - 0.5 * np.log(curvature - 1),
             "H is 1 + σ²Σμ: the 1 is the curvature of −u²/2, the prior of u"),
            (expected + 0.5 * np.log(curvature) - 0.5 * np.log(1 + np.sum(mu_hat)),
             "H is the curvature on the u scale, 1 + σ²Σμ: η moves by σu, so Σμ is "
             "multiplied by σ²"),
            (_log_joint(0.0, y, eta, sigma) - 0.5 * np.log(1 + sigma**2 * np.sum(np.exp(eta))),
             "you evaluated ℓ and H at u = 0; Laplace expands around the MODE û, the u that "
             "maximises ℓ(u) (a few Newton steps)"),
            (expected + float(np.sum(special.gammaln(y + 1.0))), "the −log y! terms of the "
             "Poisson log-density are missing"),
            (expected + u_hat**2 / 2, "ℓ(û) must include −û²/2, the log of the N(0, 1) "
             "density of u (up to the constant that cancels)"),
            (expected - 0.5 * np.log(2 * np.pi), "off by −½ log 2π: φ(u) brings 1/√(2π), "
             "and the Gaussian integral √(2π/H) cancels it; keep both or neither"),
            (expected + np.log(sigma), "off by log σ: on the b = σu scale the curvature is "
             "H/σ², and the density of b brings 1/σ; work on the u scale, H = 1 + σ²Σμ"),
            (_exact_group_loglik(y, eta, sigma), "that is the exact integral (by quadrature); "
             "the exercise asks for the Laplace approximation ℓ(û) − ½ log H"),
            (_mode_without_prior(y, eta, sigma) if np.sum(y) > 0 else np.nan,
             "your mode ignores the −u²/2 term: û maximises "
             "Σ log p(y | η + σu) − u²/2, which pulls it towards 0"),
        ], rtol=1e-7)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the Laplace log-likelihood is {want}, yours is {got}")
    return correct("ℓ(û) − ½ log(1 + σ²Σμ̂) for both groups; for the zero counts the exact "
                   f"integral is {_exact_group_loglik(*_laplace_cases()[1][:3]):.4f}, close "
                   "but not equal.")


def _laplace(change):
    def laplace_loglik(y, eta, sigma):
        u_hat, curvature = _mode(y, eta, sigma)
        return change(_log_joint(u_hat, y, eta, sigma) - 0.5 * np.log(curvature),
                      y, eta, sigma, u_hat, curvature)
    return laplace_loglik


def _at_zero(y, eta, sigma):
    return _log_joint(0.0, y, eta, sigma) - 0.5 * np.log(1 + sigma**2 * np.sum(np.exp(eta)))


def _mode_without_prior(y, eta, sigma):
    u = np.log(np.sum(y) / np.sum(np.exp(eta))) / sigma
    return _log_joint(u, y, eta, sigma) - 0.5 * np.log(1 + sigma**2 * np.sum(y))


check_laplace_loglik.mistakes = (
    Mistake("−½ log H left out", _laplace(lambda v, y, e, s, u, h: v + 0.5 * np.log(h)),
            "−½ log H term"),
    Mistake("H without the prior's 1",
            _laplace(lambda v, y, e, s, u, h: v + 0.5 * np.log(h) - 0.5 * np.log(h - 1)),
            "the prior of u"),
    Mistake("H without σ²", _laplace(lambda v, y, e, s, u, h: v + 0.5 * np.log(h)
                                     - 0.5 * np.log(1 + np.sum(np.exp(e + s * u)))),
            "multiplied by σ²"),
    Mistake("ℓ and H at u = 0 instead of the mode", _at_zero, "MODE"),
    Mistake("−log y! left out",
            _laplace(lambda v, y, e, s, u, h: v + np.sum(special.gammaln(y + 1))), "log y!"),
    Mistake("−u²/2 left out of ℓ(û)", _laplace(lambda v, y, e, s, u, h: v + u**2 / 2),
            "−û²/2"),
    Mistake("an extra −½ log 2π", _laplace(lambda v, y, e, s, u, h: v - 0.5 * np.log(2 * np.pi)),
            "½ log 2π"),
    Mistake("b scale without the Jacobian", _laplace(lambda v, y, e, s, u, h: v + np.log(s)),
            "log σ"),
    Mistake("the exact integral instead of Laplace", _exact_group_loglik, "exact integral"),
    Mistake("mode of the likelihood alone (no −u²/2)", _mode_without_prior, "ignores the −u²/2"),
)


# ------------------------------------------------------------ 13.3 marginal probability
# c = 16√3/(15π) ≈ 0.588: expit(x) ≈ Φ(c·x) (the logistic ≈ probit scaling), so
# E expit(η + σZ) ≈ expit(η/√(1 + c²σ²)) and β_PA ≈ β_SS/√(1 + c²σ²)
# (Zeger, Liang & Albert 1988, Biometrics 44, 1049–1060).
_APPROXIMATION = 16 * np.sqrt(3) / (15 * np.pi)


def _marginal_exact(eta, sigma):
    """E expit(η + σZ), Z ~ N(0, 1), by adaptive quadrature (scipy.integrate.quad)."""
    def one(value):
        def integrand(z):
            return special.expit(value + sigma * z) * np.exp(-z**2 / 2) / np.sqrt(2 * np.pi)
        return integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12)[0]
    return np.array([one(v) for v in eta])


def _hermite(eta, sigma, nodes=60, physicists=False, normalise=True):
    if physicists:
        z, w = np.polynomial.hermite.hermgauss(nodes)
        total = np.sum(w * special.expit(eta[:, None] + sigma * z), axis=1)
        return total / np.sqrt(np.pi) if normalise else total
    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    total = np.sum(w * special.expit(eta[:, None] + sigma * z), axis=1)
    return total / np.sqrt(2 * np.pi) if normalise else total


_SIGMA = 1.5  # σ²/2 = 1.125, σ = 1.5 and σ² = 2.25 all differ


@exercise
def check_marginal_probability(marginal_probability) -> Feedback:
    """Exercise 13.3: ``marginal_probability(eta, sigma)`` returns the population-averaged
    P(y = 1) = E expit(η + σZ), Z ~ N(0, 1), for each η (a random-intercept logit model
    averaged over the groups).

    σ = 1.5 makes σ, σ²/2 and σ² differ, and the exact average and the √(1 + c²σ²)
    approximation differ. A Gauss–Hermite answer with 20 or more nodes passes (relative
    error below 1e-5); a near miss is told to use more nodes."""
    eta, sigma = np.linspace(-3.0, 3.0, 7), _SIGMA
    expected = _marginal_exact(eta, sigma)
    case = f"for η = −3, −2, …, 3 and σ = {sigma}"
    answer = call_student(marginal_probability, eta.copy(), sigma, case=case,
                          names=("eta", "sigma"))
    answer = as_array(answer, "the probabilities", expected.shape, case, "one per η")
    if close(answer, expected, rtol=1e-5, atol=1e-9):
        return correct(f"at η = 3 the typical group has P = {special.expit(3.0):.3f}, but "
                       f"averaged over groups (σ = {sigma}) P = {expected[-1]:.3f}: the "
                       "population curve is flatter.")
    message = _matches(answer, [
        (special.expit(eta), "that is expit(η), the probability of a group whose intercept "
         "is exactly 0; average expit(η + σz) over z ~ N(0, 1)"),
        (special.expit(eta / np.sqrt(1 + _APPROXIMATION**2 * sigma**2)), "that is the "
         "approximation expit(η/√(1 + c²σ²)); compute the average itself, by Gauss–Hermite "
         "quadrature or numerical integration"),
        (_hermite(eta, sigma, physicists=True), "numpy's hermgauss integrates against "
         "e^(−x²), not the N(0, 1) density: use z = √2·x (or hermite_e.hermegauss)"),
        (_hermite(eta, sigma, physicists=True, normalise=False), "hermgauss's weights sum "
         "to √π, and the nodes need z = √2·x: use hermite_e.hermegauss and divide its "
         "weights by √(2π)"),
        (_hermite(eta, sigma, normalise=False), "hermegauss's weights sum to √(2π), not 1: "
         "divide by √(2π) so that they average"),
        (_marginal_exact(eta, sigma**2), "you used σ² as the spread of the intercept; the "
         "intercept is σz with z ~ N(0, 1), so its SD is σ"),
        (special.expit(eta + sigma**2 / 2), "you shifted η by σ²/2, which is the log link's "
         "answer (E e^(σZ) = e^(σ²/2)); for the logit there is no such shortcut: average "
         "expit(η + σz) over z ~ N(0, 1)"),
        (special.expit(eta + sigma), "you shifted η by one σ; average over the whole normal "
         "distribution of the intercept"),
    ], rtol=1e-5, atol=1e-8)
    if message is None and close(answer, expected, rtol=1e-3, atol=1e-6):
        gap = float(np.max(np.abs(np.asarray(answer, float) - expected)))
        message = (f"{case} your probabilities are off by up to {gap:.1e}: close, but not "
                   "within 1e-5 of the average. With Gauss–Hermite, use more quadrature "
                   "nodes (20 or more; the hint's 40 are plenty)")
    want, got = side_by_side(expected, answer)
    return wrong(message or f"{case} the averaged probabilities are {want}, yours are {got}")


def _few_nodes(eta, sigma):
    z, w = np.polynomial.hermite_e.hermegauss(8)
    return special.expit(np.asarray(eta)[:, None] + sigma * z) @ (w / np.sqrt(2 * np.pi))


check_marginal_probability.mistakes = (
    Mistake("expit(η): σ ignored", lambda eta, sigma: special.expit(eta), "exactly 0"),
    Mistake("the √(1 + c²σ²) approximation",
            lambda eta, sigma: special.expit(eta / np.sqrt(1 + _APPROXIMATION**2 * sigma**2)),
            "approximation"),
    Mistake("hermgauss nodes without √2",
            lambda eta, sigma: _hermite(eta, sigma, physicists=True), "√2·x"),
    Mistake("hermgauss, neither √2 nor √π",
            lambda eta, sigma: _hermite(eta, sigma, physicists=True, normalise=False), "√π"),
    Mistake("hermegauss weights not divided by √(2π)",
            lambda eta, sigma: _hermite(eta, sigma, normalise=False), "divide by √(2π)"),
    Mistake("σ² as the spread (the hint's 40 nodes)",
            lambda eta, sigma: _hermite(eta, sigma**2, nodes=40), "SD is σ"),
    Mistake("η + σ²/2 (the log link's shift)",
            lambda eta, sigma: special.expit(eta + sigma**2 / 2), "shifted η by σ²/2"),
    Mistake("η + σ", lambda eta, sigma: special.expit(eta + sigma), "one σ"),
    Mistake("Gauss–Hermite with too few nodes (8)", _few_nodes, "more quadrature nodes"),
)
