"""Checks for lesson 10 (softmax regression): a stable softmax, the one-hot T(y), the
categorical log-likelihood and the conversion of coefficients to a reference class.

Each check runs the student's function on fresh inputs (large linear predictors, a
class absent from the labels, …) and names the usual mistake when the answer matches one.

Introduced in 10_softmax_regression.
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

__all__ = [
    "check_softmax",
    "check_one_hot",
    "check_categorical_loglik",
    "check_reference_coefficients",
]


def _softmax_cases():
    rng = np.random.default_rng(10101)
    return [
        rng.normal(size=(6, 3)),
        rng.normal(size=(5, 4)) * 3.0,
        np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -999.0], [0.0, 0.0, 0.0]]),
        # rows with a large spread: subtracting the row's minimum (or mean) still overflows
        np.array([[-3000.0, 0.0, 1.0], [2.0, -900.0, 0.5], [0.3, -0.2, 0.1]]),
    ]


def _shifted(eta, shift):
    with np.errstate(all="ignore"):
        e = np.exp(eta - shift)
        return e / e.sum(axis=1, keepdims=True)


@exercise
def check_softmax(my_softmax) -> Feedback:
    """Exercise 10.1: ``my_softmax(eta)`` turns an (n, k) array of linear predictors into
    probabilities, row by row, without overflow."""
    for eta in _softmax_cases():
        expected = special.softmax(eta, axis=1)
        case = f"for η of shape {eta.shape}"
        answer = as_array(call_student(my_softmax, eta.copy(), case=case, names=("eta",)),
                          "the probabilities", eta.shape, case,
                          "the input's shape: one probability per class in each row")
        if close(answer, expected, rtol=1e-9, atol=1e-12):
            continue
        message = _matches(answer, [
            (_shifted(eta, eta.min(axis=1, keepdims=True)), "you subtracted each row's MINIMUM: "
             "in a row with a large spread (η = [−3000, 0, 1]) the largest entry becomes "
             "e^3001, which overflows. Subtract each row's maximum, so the largest exponent is "
             "e^0 = 1"),
            (_shifted(eta, eta.mean(axis=1, keepdims=True)), "you subtracted each row's mean: "
             "in a row with a large spread (η = [−3000, 0, 1]) e^(η − mean) still overflows. "
             "Subtract each row's maximum"),
        ], rtol=1e-9, atol=1e-12)
        if message:
            return wrong(message)
        if not np.all(np.isfinite(answer)):
            big = np.max(np.abs(eta)) > 500
            if big and np.all(np.isfinite(answer[np.max(eta, axis=1) > 0])):
                return wrong("rows far below the others became 0/0 = NaN: you subtracted the "
                             "maximum of the whole array; subtract each row's own maximum "
                             "(axis=1, keepdims=True)")
            return wrong("NaN or inf for linear predictors near ±1000: e^1000 overflows. "
                         "Subtract each row's maximum before np.exp (softmax(η − c) = softmax(η))")
        message = _matches(answer, [
            (special.softmax(eta, axis=0), "each COLUMN sums to 1: you normalised along the "
             "wrong axis; every row (one observation) must sum to 1 (axis=1)"),
            (np.exp(eta) / np.sum(np.exp(eta)), "you divided by the total over the whole array; "
             "divide each row by its own sum (axis=1, keepdims=True)"),
            (np.exp(eta), "you exponentiated but did not normalise: divide each row by its sum"),
            (eta / np.sum(eta, axis=1, keepdims=True), "you normalised η without exponentiating "
             "it first: probabilities are e^η / Σ e^η"),
        ])
        want, got = side_by_side(expected[0], answer[0])
        return wrong(message or "the rows should be e^η / Σ_j e^η_j (each row summing to 1); "
                     f"for η = {np.round(eta[0], 3).tolist()} expected {want}, got {got}")
    return correct("stable softmax: rows sum to 1, and η = ±1000 causes no overflow.")


@exercise
def check_one_hot(one_hot) -> Feedback:
    """Exercise 10.2: ``one_hot(labels, k)`` returns T(y): an (n, k) array with a single 1 per
    row, in column labels[i]."""
    rng = np.random.default_rng(10201)
    cases = [(rng.integers(0, 3, 12), 3), (np.array([0, 2, 1, 2, 0, 1, 1]), 5)]
    for labels, k in cases:
        expected = np.eye(k)[labels]
        case = f"for labels {labels.tolist()} and k = {k}"
        answer = as_array(call_student(one_hot, labels.copy(), k, case=case,
                                       names=("labels", "k")), "T(y)", None, case)
        if close(answer, expected):
            continue
        n = labels.size
        if answer.shape == (k, n):
            return wrong(f"your array is k × n = {answer.shape}: transposed; one ROW per "
                         "observation, one column per class")
        if answer.shape == (n, k - 1):
            return wrong("you dropped a column: T(y) here is the full one-hot vector with all k "
                         "entries (the reference coding drops one only in θ)")
        if answer.shape == (n, labels.max() + 1) and labels.max() + 1 != k:
            return wrong(f"your T(y) has {labels.max() + 1} columns, sized by the largest label "
                         f"present; use the k given ({k}): a class can be absent from the data")
        if close(answer, np.eye(k)[(labels - 1) % k]):
            return wrong("the 1s are one column too far left: labels already start at 0, no "
                         "need to subtract 1")
        if close(answer, np.eye(k)[(labels + 1) % k]):
            return wrong("the 1s are one column too far right: labels start at 0 (column 0 is "
                         "the first class)")
        return wrong(f"for labels {labels.tolist()} and k = {k}, row i should have a single 1 "
                     f"in column labels[i] (shape {(n, k)}), got shape {answer.shape}")
    return correct("T(y) is the one-hot vector: E[T(y)] = μ, the class probabilities.")


@exercise
def check_categorical_loglik(categorical_loglik) -> Feedback:
    """Exercise 10.3: ``categorical_loglik(y, probs)`` returns Σᵢ log probs[i, yᵢ]."""
    rng = np.random.default_rng(10301)
    for n, k in ((30, 3), (25, 4), (900, 5)):  # the last: a product of probabilities underflows
        probs = special.softmax(rng.normal(size=(n, k)) * 1.5, axis=1)
        y = rng.integers(0, k, n)
        chosen = probs[np.arange(n), y]
        expected = float(np.sum(np.log(chosen)))
        case = f"on fresh probabilities (n = {n}, k = {k})"
        answer = call_student(categorical_loglik, y.copy(), probs.copy(), case=case,
                              names=("y", "probs"))
        if np.shape(answer) == (n, n):
            return wrong("you returned an n × n array: probs[:, y] picks a whole column per "
                         "label; index with probs[np.arange(n), y] to pick one entry per row, "
                         "then sum the logs")
        answer = as_number(answer, "the log-likelihood", case)
        if close(answer, expected, rtol=1e-9):
            continue
        shifted = probs[np.arange(n), (y + 1) % k]
        message = _matches(answer, [
            (expected / n, "you averaged over the rows; the log-likelihood is the SUM"),
            (float(np.sum(np.log(probs))), "you added log μ of EVERY class in each row; only the "
             "observed class counts: T(y)·log μ picks one entry per row"),
            (float(np.sum(chosen)), "you summed probabilities; sum their logarithms"),
            (float(np.log(np.prod(chosen))), "right idea, but the product underflows; sum the "
             "logs instead"),
            (-expected, "the sign is flipped: log-probabilities are negative"),
            (float(np.sum(np.log(shifted))), "each row used the probability of the NEXT class: "
             "labels already start at 0"),
            (float(np.sum(np.log(probs[:, y]))), "probs[:, y] is an n × n array; index with "
             "probs[np.arange(n), y] to pick one entry per row"),
        ], rtol=1e-9)
        want, got = side_by_side(expected, answer)
        return wrong(message or f"{case} the log-likelihood is {want}, your function gives "
                     f"{got}")
    return correct("ℓ = Σ log μ_{i,yᵢ} = Σ T(yᵢ)·log μᵢ.")


@exercise
def check_reference_coefficients(to_reference) -> Feedback:
    """Exercise 10.4: ``to_reference(B_full, reference)`` turns a p × k coefficient matrix (one
    column per class, any parametrisation) into the p × (k−1) matrix of β_j − β_reference for
    the classes j ≠ reference, in class order."""
    rng = np.random.default_rng(10401)
    p, k = 2, 4
    B_full = rng.normal(size=(p, k))
    for reference in (k - 1, 1):
        others = [j for j in range(k) if j != reference]
        expected = (B_full - B_full[:, [reference]])[:, others]
        case = f"for reference class {reference}"
        answer = as_array(call_student(to_reference, B_full.copy(), reference, case=case,
                                       names=("B_full", "reference")),
                          "the coefficient matrix", None, case)
        if close(answer, expected):
            continue
        if answer.shape == (p, k):
            return wrong(f"your matrix is p × k = {answer.shape}: drop the reference class's "
                         "column (it is all zeros after the subtraction): p × (k−1)")
        if answer.shape == (k - 1, p):
            return wrong("your matrix is (k−1) × p: transposed; keep one row per feature")
        if answer.shape != expected.shape:
            return wrong(f"the result should be p × (k−1) = {expected.shape}, got {answer.shape}")
        message = _matches(answer, [
            (-expected, "the sign is flipped: log(μ_j / μ_ref) = xᵀ(β_j − β_ref), so subtract the "
             "reference column from the others"),
            ((B_full - B_full.mean(axis=1, keepdims=True))[:, others], "you centred each row "
             "(the symmetric, sum-to-zero form); the reference form subtracts the REFERENCE "
             "class's column"),
            (B_full[:, others], "you only dropped the reference column; subtract it from the "
             "others first"),
            ((B_full - B_full[:, [k - 1]])[:, others], f"you subtracted the LAST class's column; "
             f"here the reference is class {reference}"),
            ((B_full - B_full[:, [0]])[:, others], f"you subtracted the FIRST class's column; "
             f"here the reference is class {reference}"),
            ((B_full - B_full[:, [reference]])[:, :-1], f"you dropped the last column instead of "
             f"the reference class's (class {reference})"),
        ])
        want, got = side_by_side(expected[0], answer[0])
        return wrong(message or f"{case} the first row should be {want}, got {got}")
    return correct("only differences β_j − β_ref are identified; any reference gives the same "
                   "probabilities.")


# ------------------------------------------------------------ typical wrong answers
def _softmax(shift_of, axis=1, exponentiate=True):
    def my_softmax(eta):
        e = np.exp(eta - shift_of(eta)) if exponentiate else eta
        return e / e.sum(axis=axis, keepdims=True)
    return my_softmax


check_softmax.mistakes = (
    Mistake("subtracts each row's minimum",
            _softmax(lambda eta: eta.min(axis=1, keepdims=True)), "MINIMUM"),
    Mistake("subtracts each row's mean",
            _softmax(lambda eta: eta.mean(axis=1, keepdims=True)), "row's mean"),
    Mistake("subtracts the maximum of the whole array", _softmax(np.max), "whole array"),
    Mistake("subtracts nothing", _softmax(lambda eta: 0.0), "overflows"),
    Mistake("normalises columns", _softmax(lambda eta: eta.max(axis=0, keepdims=True), axis=0),
            "COLUMN"),
    Mistake("divides by the total of the whole array",
            lambda eta: np.exp(eta - eta.max()) / np.sum(np.exp(eta - eta.max())),
            "whole array"),
    Mistake("exponentiates but does not normalise", lambda eta: np.exp(eta), "did not normalise"),
    Mistake("normalises η without exponentiating",
            _softmax(lambda eta: 0.0, exponentiate=False), "without exponentiating"),
    Mistake("returns one row", lambda eta: _softmax(lambda e: e.max(axis=1, keepdims=True))(eta)[0],
            "input's shape"),
)


check_one_hot.mistakes = (
    Mistake("transposed (k × n)", lambda labels, k: np.eye(k)[labels].T, "transposed"),
    Mistake("drops a column", lambda labels, k: np.eye(k)[labels][:, :-1], "dropped a column"),
    Mistake("k taken from the labels",
            lambda labels, k: np.eye(labels.max() + 1)[labels], "sized by the largest label"),
    Mistake("labels − 1", lambda labels, k: np.eye(k)[(labels - 1) % k], "too far left"),
    Mistake("labels + 1", lambda labels, k: np.eye(k)[(labels + 1) % k], "too far right"),
    Mistake("the labels themselves", lambda labels, k: labels, "single 1"),
)


check_categorical_loglik.mistakes = (
    Mistake("averaged", lambda y, probs: np.mean(np.log(probs[np.arange(len(y)), y])),
            "averaged"),
    Mistake("log of every class", lambda y, probs: np.sum(np.log(probs)), "EVERY class"),
    Mistake("probabilities summed, not their logs",
            lambda y, probs: np.sum(probs[np.arange(len(y)), y]), "summed probabilities"),
    Mistake("negative log-likelihood",
            lambda y, probs: -np.sum(np.log(probs[np.arange(len(y)), y])), "sign is flipped"),
    Mistake("labels shifted by one",
            lambda y, probs: np.sum(np.log(probs[np.arange(len(y)), (y + 1) % probs.shape[1]])),
            "NEXT class"),
    Mistake("probs[:, y] (n × n), summed", lambda y, probs: np.sum(np.log(probs[:, y])),
            "probs[np.arange(n), y]"),
    Mistake("probs[:, y] (n × n), returned", lambda y, probs: np.log(probs[:, y]), "n × n"),
    Mistake("log of the product (underflows on longer data)",
            lambda y, probs: np.log(np.prod(probs[np.arange(len(y)), y])), "underflows"),
)


def _reference(centre_of, drop=lambda matrix, reference: np.delete(matrix, reference, axis=1)):
    def to_reference(B_full, reference):
        return drop(B_full - centre_of(B_full, reference), reference)
    return to_reference


check_reference_coefficients.mistakes = (
    Mistake("sign flipped", lambda B, r: np.delete(B[:, [r]] - B, r, axis=1), "sign is flipped"),
    Mistake("centred rows (sum-to-zero form)", _reference(lambda B, r: B.mean(axis=1,
                                                                           keepdims=True)),
            "centred"),
    Mistake("reference column only dropped", _reference(lambda B, r: 0.0), "only dropped"),
    Mistake("always the last class as reference", _reference(lambda B, r: B[:, [-1]]),
            "LAST class"),
    Mistake("always the first class as reference", _reference(lambda B, r: B[:, [0]]),
            "FIRST class"),
    Mistake("drops the last column, not the reference's",
            _reference(lambda B, r: B[:, [r]], drop=lambda M, r: M[:, :-1]), "dropped the last"),
    Mistake("keeps all k columns", _reference(lambda B, r: B[:, [r]], drop=lambda M, r: M),
            "p × k"),
    Mistake("transposed", lambda B, r: np.delete(B - B[:, [r]], r, axis=1).T, "transposed"),
)
