"""Checks for lesson 14 (tables and ordered outcomes): the fitted counts of the
independence model, the deviance G² of a table, and the category probabilities of a
cumulative link (proportional-odds) model.

Each check runs the student's function on tables and predictors they have not seen and
names the usual mistake when the answer matches one.

Introduced in 14_tables_and_ordered_outcomes.
"""

from __future__ import annotations

import numpy as np
from scipy import special

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

__all__ = ["check_independence_fitted", "check_g_squared", "check_category_probabilities"]


# ------------------------------------------------------------ 14.1 independence
# A 3 × 4 table with unequal margins: every catalogued mistake gives other numbers, and a
# transposed answer has the wrong shape.
_TABLE = np.array([[25.0, 12.0, 40.0, 9.0],
                   [14.0, 30.0, 22.0, 18.0],
                   [8.0, 19.0, 11.0, 35.0]])


def _expected_counts(table):
    return np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()


@exercise
def check_independence_fitted(independence_fitted) -> Feedback:
    """Exercise 14.1: ``independence_fitted(table)`` returns the fitted counts of the
    independence log-linear model, μ̂ᵢⱼ = nᵢ₊ n₊ⱼ / n (row total × column total / grand
    total), for a two-way table of counts."""
    table = _TABLE.copy()
    expected = _expected_counts(table)
    case = "on a fresh 3 × 4 table"
    answer = call_student(independence_fitted, table.copy(), case=case, names=("table",))
    answer = as_array(answer, "the fitted counts", expected.shape, case,
                      "one fitted count per cell of the table")
    if close(answer, expected):
        return correct("μ̂ = row total × column total / n: the fitted table keeps both margins, "
                       f"and its log is additive (row effect + column effect); G² here would "
                       f"be {_g2(table, expected):.2f} on 6 df.")
    rows, columns, total = table.sum(axis=1), table.sum(axis=0), table.sum()
    message = _matches(answer, [
        (np.outer(rows, columns), "divide by the grand total n: μ̂ᵢⱼ = nᵢ₊ n₊ⱼ / n (your "
         "counts add up to n², not n)"),
        (np.outer(rows, columns) / total**2, "these are the cell PROBABILITIES p̂ᵢ p̂ⱼ; "
         "multiply by n to get counts"),
        (table, "that is the observed table itself (the saturated model); under "
         "independence μ̂ᵢⱼ = nᵢ₊ n₊ⱼ / n"),
        (np.full(table.shape, table.mean()), "that is the same count in every cell (the "
         "intercept-only model); independence keeps the row and column totals"),
        (np.repeat(rows[:, None] / table.shape[1], table.shape[1], axis=1), "you spread each "
         "row total evenly over its columns: that ignores the column totals"),
        (np.repeat(columns[None, :] / table.shape[0], table.shape[0], axis=0), "you spread "
         "each column total evenly over its rows: that ignores the row totals"),
        (np.outer(rows, columns) / table.size, "divide by the grand total n, not by the "
         "number of cells"),
    ])
    want, got = side_by_side(expected, answer)
    return wrong(message or f"{case} the fitted counts are {want}, yours are {got}")


def _outer(scale):
    def independence_fitted(table):
        table = np.asarray(table, dtype=float)
        return np.outer(table.sum(axis=1), table.sum(axis=0)) * scale(table)
    return independence_fitted


check_independence_fitted.mistakes = (
    Mistake("not divided by n", _outer(lambda t: 1.0), "divide by the grand total"),
    Mistake("probabilities, not counts", _outer(lambda t: 1 / t.sum() ** 2), "PROBABILITIES"),
    Mistake("the observed table", lambda table: np.array(table, dtype=float), "saturated"),
    Mistake("the mean count everywhere",
            lambda table: np.full(np.shape(table), np.mean(table)), "intercept-only"),
    Mistake("row totals spread evenly",
            lambda table: np.repeat(table.sum(axis=1)[:, None] / table.shape[1],
                                    table.shape[1], axis=1), "ignores the column totals"),
    Mistake("column totals spread evenly",
            lambda table: np.repeat(table.sum(axis=0)[None, :] / table.shape[0],
                                    table.shape[0], axis=0), "ignores the row totals"),
    Mistake("divided by the number of cells", _outer(lambda t: 1 / t.size),
            "not by the number of cells"),
    Mistake("transposed", lambda table: _expected_counts(np.asarray(table)).T,
            "one fitted count per cell"),
)


# ------------------------------------------------------------ 14.2 G²
def _g2(observed, fitted):
    return float(2 * np.sum(special.xlogy(observed, observed / fitted)))


def _g2_cases():
    with_zero = np.array([[12.0, 0.0, 7.0], [5.0, 9.0, 14.0]])
    uniform = np.full(_TABLE.shape, _TABLE.sum() / _TABLE.size)
    return [(_TABLE, _expected_counts(_TABLE), "on a 3 × 4 table"),
            (with_zero, _expected_counts(with_zero), "on a 2 × 3 table with an empty cell"),
            (_TABLE, uniform, "on the 3 × 4 table with the fitted counts of ANOTHER model "
             "(the uniform model: every cell n/12)")]


@exercise
def check_g_squared(g_squared) -> Feedback:
    """Exercise 14.2: ``g_squared(observed, fitted)`` returns the deviance
    G² = 2 Σ yᵢ log(yᵢ/μ̂ᵢ) of fitted counts, with 0·log 0 = 0 (fitted counts that add up to
    the observed total, so the Poisson deviance's Σ(y − μ̂) term is 0 and either form is
    right). The second table has an empty cell; the first has 6 degrees of
    freedom, so dividing by them is not mistaken for a missing factor 2; the third gives
    the fitted counts of the uniform model, so an answer that ignores ``fitted`` and
    recomputes the independence fit from ``observed`` is caught."""
    for observed, fitted, case in _g2_cases():
        expected = _g2(observed, fitted)
        answer = call_student(g_squared, observed.copy(), fitted.copy(), case=case,
                              names=("observed", "fitted"))
        answer = as_number(answer, "G²", case)
        if close(answer, expected, rtol=1e-8):
            continue
        pearson = float(np.sum((observed - fitted) ** 2 / fitted))
        df = (observed.shape[0] - 1) * (observed.shape[1] - 1)
        message = _matches(answer, [
            (np.nan, "your G² is NaN: an empty cell gives 0·log 0, which counts as 0 "
             "(scipy.special.xlogy(y, y/μ) does that)"),
            (expected / 2, "G² has a factor 2: G² = 2 Σ y log(y/μ̂)"),
            (-expected, "the sign is flipped: it is y·log(y/μ̂), not y·log(μ̂/y)"),
            (pearson, "that is Pearson's X² = Σ(y − μ̂)²/μ̂; the deviance is "
             "G² = 2 Σ y log(y/μ̂)"),
            (expected / np.log(10), "use the natural logarithm (np.log), not log10"),
            (expected / df, "you divided by the degrees of freedom; return G² itself"),
            (_g2(observed, _expected_counts(observed)), "your G² does not use `fitted`: it "
             "recomputes the independence fit from `observed`. G² measures the fitted counts "
             "it is GIVEN (from any model): 2 Σ y log(y/μ̂) with μ̂ = fitted"),
            (float(2 * np.sum(special.xlogy(fitted, fitted / observed))), "you swapped the "
             "arguments: G² = 2 Σ y log(y/μ̂) weighs by the OBSERVED counts y, not by the "
             "fitted μ̂ (your formula is 2 Σ μ̂ log(μ̂/y))"),
        ], rtol=1e-8)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} G² is {want}, yours is {got}")
    return correct("G² = 2 Σ y log(y/μ̂), empty cells contributing 0: compare it with a χ² on "
                   "(rows − 1)(columns − 1) degrees of freedom to test independence.")


def _g2_with(change):
    def g_squared(observed, fitted):
        observed, fitted = np.asarray(observed, float), np.asarray(fitted, float)
        return change(_g2(observed, fitted), observed, fitted)
    return g_squared


def _naive_log(observed, fitted):
    return 2 * np.sum(observed * np.log(observed / fitted))


def _recomputed_independence(observed, fitted):
    observed = np.asarray(observed, float)
    mu = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    return 2 * np.sum(special.xlogy(observed, observed / mu))


def _swapped(observed, fitted):
    return 2 * np.sum(special.xlogy(fitted, fitted / observed))


check_g_squared.mistakes = (
    Mistake("0·log 0 gives NaN", _naive_log, "0·log 0"),
    Mistake("no factor 2", _g2_with(lambda g, o, f: g / 2), "factor 2"),
    Mistake("log(μ̂/y)", _g2_with(lambda g, o, f: -g), "sign is flipped"),
    Mistake("Pearson's X²", lambda o, f: np.sum((o - f) ** 2 / f), "Pearson"),
    Mistake("log10", _g2_with(lambda g, o, f: g / np.log(10)), "log10"),
    Mistake("divided by the degrees of freedom",
            _g2_with(lambda g, o, f: g / ((o.shape[0] - 1) * (o.shape[1] - 1))),
            "degrees of freedom"),
    Mistake("fitted ignored: independence recomputed from observed", _recomputed_independence,
            "does not use `fitted`"),
    Mistake("observed and fitted swapped", _swapped, "swapped the arguments"),
)


# ------------------------------------------------------------ 14.3 category probabilities
_ETA = np.array([-1.5, -0.3, 0.0, 0.8, 2.2])
_THRESHOLDS = np.array([-1.0, 0.5, 2.0])


def _probabilities(eta, thresholds, cdf=special.expit, sign=-1.0):
    cumulative = cdf(thresholds[None, :] + sign * eta[:, None])
    n = eta.size
    return np.diff(np.hstack([np.zeros((n, 1)), cumulative, np.ones((n, 1))]), axis=1)


@exercise
def check_category_probabilities(category_probabilities) -> Feedback:
    """Exercise 14.3: ``category_probabilities(eta, thresholds)`` returns the (n, K) array
    P(y = j) = F(θⱼ − η) − F(θⱼ₋₁ − η) of a proportional-odds model (F = expit, θ₋₁ = −∞,
    θ_{K−1} = +∞), with η = xᵀβ for each row (MASS::polr's sign convention)."""
    eta, thresholds = _ETA.copy(), _THRESHOLDS.copy()
    expected = _probabilities(eta, thresholds)
    case = "for 5 values of η and thresholds (−1, 0.5, 2)"
    answer = call_student(category_probabilities, eta.copy(), thresholds.copy(), case=case,
                          names=("eta", "thresholds"))
    answer = as_array(answer, "the probabilities", expected.shape, case,
                      "one row per η, one column per category: K = 4 categories for "
                      "3 thresholds")
    if close(answer, expected, rtol=1e-8, atol=1e-12):
        return correct("each row sums to 1, and a larger η = xᵀβ moves probability towards "
                       f"the top category (from {expected[0, -1]:.3f} to {expected[-1, -1]:.3f}).")
    cumulative = special.expit(thresholds[None, :] - eta[:, None])
    message = _matches(answer, [
        (_probabilities(eta, thresholds, sign=1.0), "you used F(θⱼ + η); the model is "
         "P(y ≤ j) = F(θⱼ − xᵀβ), so a positive η moves probability UP the scale"),
        (np.hstack([cumulative, np.ones((eta.size, 1))]), "these are the cumulative "
         "probabilities P(y ≤ j); take differences of neighbouring columns"),
        (_probabilities(eta, thresholds, cdf=special.ndtr), "that is the probit model "
         "(the normal CDF); the proportional-odds model uses F = expit"),
        (expected[:, ::-1], "your categories are in reverse order: column 0 is the lowest "
         "category, P(y = 0) = F(θ₀ − η)"),
        (-np.diff(np.hstack([np.zeros((eta.size, 1)), special.expit(eta[:, None] - thresholds),
                             np.ones((eta.size, 1))]), axis=1),
         "you used F(η − θⱼ) as P(y ≤ j), which is P(y > j); the model is P(y ≤ j) = "
         "F(θⱼ − η)"),
    ], rtol=1e-8, atol=1e-12)
    if message is None and np.any(np.asarray(answer, float) < -1e-12):
        message = ("some of your probabilities are negative: the cumulative probabilities "
                   "P(y ≤ j) = F(θⱼ − η) must increase with j (θⱼ − η grows with j). "
                   "F(η − θⱼ) decreases with j: check the sign inside F")
    want, got = side_by_side(expected, answer)
    return wrong(message or f"{case} the probabilities are {want}, yours are {got}")


def _cumulative_only(eta, thresholds):
    cumulative = special.expit(np.asarray(thresholds)[None, :] - np.asarray(eta)[:, None])
    return np.hstack([cumulative, np.ones((len(eta), 1))])


def _reversed_survival(eta, thresholds):
    upper = special.expit(np.asarray(eta)[:, None] - np.asarray(thresholds)[None, :])
    n = len(eta)
    return -np.diff(np.hstack([np.zeros((n, 1)), upper, np.ones((n, 1))]), axis=1)


def _sign_slip(eta, thresholds):
    cumulative = special.expit(np.asarray(eta)[:, None] - np.asarray(thresholds)[None, :])
    n = len(eta)
    return np.diff(np.hstack([np.zeros((n, 1)), cumulative, np.ones((n, 1))]), axis=1)


check_category_probabilities.mistakes = (
    Mistake("F(θ + η): polr's sign flipped",
            lambda eta, thresholds: _probabilities(eta, thresholds, sign=1.0), "F(θⱼ + η)"),
    Mistake("cumulative probabilities, not differenced", _cumulative_only, "cumulative"),
    Mistake("probit instead of logit",
            lambda eta, thresholds: _probabilities(eta, thresholds, cdf=special.ndtr),
            "probit"),
    Mistake("categories in reverse order",
            lambda eta, thresholds: _probabilities(eta, thresholds)[:, ::-1], "reverse order"),
    Mistake("F(η − θ) as P(y ≤ j)", _reversed_survival, "P(y > j)"),
    Mistake("expit(η − θ): the sign slip, negative probabilities", _sign_slip,
            "must increase with j"),
    Mistake("K − 1 columns (the top category left out)",
            lambda eta, thresholds: _probabilities(eta, thresholds)[:, :-1], "K = 4"),
)
