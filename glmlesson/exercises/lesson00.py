"""Check for lesson 00 (start here): a warm-up that predicts with a straight line.

The exercise is there to practise the routine every later lesson uses (fill in a
stub, run its check, ask for a hint, reveal the solution), so the maths is light:
μ = β₀ + β₁x, the mean of y that lesson 01 fits by least squares.

Introduced in 00_start_here.
"""

from __future__ import annotations

import numpy as np

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

__all__ = ["check_line"]


# Cases the notebook never shows: (β₀, β₁, x). No β₀ equals β₁ and no x is all zeros, so
# every catalogued mistake gives other means.
_LINE_CASES = (
    ((2.5, -0.75), np.array([0.0, 1.0, 2.0, 4.5, -3.0])),
    ((-1.2, 3.4), np.array([0.25, 0.5, 10.0])),
    ((0.6, 0.0), np.array([-2.0, 7.0])),
)


@exercise
def check_line(line) -> Feedback:
    """Exercise 00.1: ``line(beta, x)`` returns the means μ = β₀ + β₁x, one per entry of
    the array x (the same shape as x)."""
    for (b0, b1), x in _LINE_CASES:
        beta = np.array([b0, b1])
        case = f"for β = ({b0}, {b1}) and x = {x.tolist()}"
        answer = call_student(line, beta.copy(), x.copy(), case=case, names=("beta", "x"))
        answer = as_array(answer, "μ", x.shape, case,
                          "one mean per x: use the whole array x, not x[0] or a sum over it")
        expected = b0 + b1 * x
        if close(answer, expected):
            continue
        if close(answer, b1 + b0 * x):
            return wrong("intercept and slope are swapped: beta[0] is the intercept β₀ (the "
                         "value at x = 0), beta[1] the slope β₁")
        if close(answer, b1 * x):
            return wrong("the intercept is missing: μ = β₀ + β₁x, and β₀ = beta[0] is the "
                         "mean at x = 0")
        if close(answer, b0 * x):
            return wrong("you multiplied x by beta[0], the intercept; the slope is beta[1]")
        if close(answer, b0 - b1 * x):
            return wrong("the slope has the wrong sign: μ = β₀ + β₁x")
        want, got = side_by_side(expected, answer)
        return wrong(f"{case} the means are {want}, your function gives {got}")
    return correct("μ = β₀ + β₁x for every x at once. Lesson 01 writes this as Xβ.")


check_line.mistakes = (
    Mistake("intercept and slope swapped", lambda beta, x: beta[1] + beta[0] * x, "swapped"),
    Mistake("intercept left out", lambda beta, x: beta[1] * x, "intercept is missing"),
    Mistake("x multiplied by the intercept", lambda beta, x: beta[0] * x,
            "multiplied x by beta[0]"),
    Mistake("slope subtracted", lambda beta, x: beta[0] - beta[1] * x, "wrong sign"),
    Mistake("only the first x used", lambda beta, x: beta[0] + beta[1] * x[0],
            "should have shape"),
    Mistake("the means summed", lambda beta, x: np.sum(beta[0] + beta[1] * x),
            "should have shape"),
    Mistake("slope squared", lambda beta, x: beta[0] + beta[1] ** 2 * x, "the means are"),
)
