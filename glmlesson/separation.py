"""Is the maximum-likelihood estimate at infinity? A linear-programming test.

With a link whose mean only approaches an edge of the family's range as η runs
off to infinity (logit, probit and cloglog approach 0 and 1; log approaches 0),
the log-likelihood can keep rising along a direction b forever: then no finite
β̂ exists. That happens exactly when some direction b ≠ 0 (Xb ≠ 0) moves every
observation towards where it already is:

- xᵢᵀb ≤ 0 where yᵢ sits on the edge approached as η → −∞ (y = 0 for logit, log),
- xᵢᵀb ≥ 0 where yᵢ sits on the edge approached as η → +∞ (y = 1 for logit),
- xᵢᵀb = 0 for every other observation (with zero prior weight, no constraint).

For a binary response this is perfect (or quasi-complete) separation (lesson 05);
for counts with a log link it is a group whose counts are all zero (R's "fitted
rates numerically 0", lesson 09). Whether such b exists is a linear programme
(the approach of Konis's ``safeBinaryRegression`` and the ``detectseparation``
package): maximise Σᵢ sᵢ·xᵢᵀb over the box |bⱼ| ≤ 1 under the constraints
above, sᵢ = ∓1 on the edges; the optimum is positive exactly when b exists.
Rows with xᵢᵀb ≠ 0 at the optimum are those whose fitted mean goes to the edge.

Introduced in 05_logistic_regression.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

__all__ = ["recession_direction", "recession_direction_softmax"]

_LP_TOLERANCE = 1e-7


def recession_direction(X, at_low, at_high, weights):
    """A direction b along which the log-likelihood rises without bound, or None.

    Args:
        X: (n, p) design.
        at_low: rows whose response sits on the edge the mean approaches as η → −∞.
        at_high: rows on the edge approached as η → +∞.
        weights: prior weights (rows with weight 0 are ignored).

    Returns:
        (b, rows) with rows the boolean mask of observations whose fitted means go
        to the edge along b, or None when every direction is bounded (the MLE is
        finite, however strong the predictors).
    """
    X = np.asarray(X, dtype=float)
    used = weights > 0
    low, high = at_low & used, at_high & used
    inner = used & ~low & ~high
    if not (np.any(low) or np.any(high)):
        return None
    scale = np.linalg.norm(X[used], axis=0)
    scale[scale == 0] = 1.0
    Xs = X / scale
    direction = Xs[high].sum(axis=0) - Xs[low].sum(axis=0)
    upper = [Xs[low], -Xs[high]]
    result = optimize.linprog(
        -direction,
        A_ub=np.vstack(upper) if any(len(block) for block in upper) else None,
        b_ub=np.zeros(int(low.sum() + high.sum())) if (low.any() or high.any()) else None,
        A_eq=Xs[inner] if inner.any() else None,
        b_eq=np.zeros(int(inner.sum())) if inner.any() else None,
        bounds=[(-1.0, 1.0)] * X.shape[1],
        method="highs",
    )
    if result.status != 0 or -result.fun <= _LP_TOLERANCE * max(1.0, used.sum()) ** 0.5:
        return None
    b = result.x
    moved = used & (np.abs(Xs @ b) > _LP_TOLERANCE)
    return b / scale, moved


def recession_direction_softmax(X, labels, k, weights):
    """The same test for softmax regression: is there B ≠ 0 (p × (k − 1), reference
    column 0) with each row's own class scoring at least as high as every other class,
    xᵢᵀ(b_{yᵢ} − b_j) ≥ 0 for all j? Then some classes are perfectly separated.

    Returns (B, rows) or None, as :func:`recession_direction`.
    """
    X = np.asarray(X, dtype=float)
    used = weights > 0
    n, p = X.shape
    scale = np.linalg.norm(X[used], axis=0)
    scale[scale == 0] = 1.0
    Xs = X / scale
    rows = []
    for i in np.flatnonzero(used):
        for j in range(k):
            if j == labels[i]:
                continue
            row = np.zeros((p, k))
            row[:, labels[i]] += Xs[i]
            row[:, j] -= Xs[i]
            rows.append(row[:, :-1].ravel(order="F"))
    gaps = np.array(rows)
    result = optimize.linprog(
        -gaps.sum(axis=0), A_ub=-gaps, b_ub=np.zeros(len(rows)),
        bounds=[(-1.0, 1.0)] * (p * (k - 1)), method="highs",
    )
    if result.status != 0 or -result.fun <= _LP_TOLERANCE * max(1.0, len(rows)) ** 0.5:
        return None
    B = result.x.reshape((p, k - 1), order="F")
    scores = np.column_stack([Xs @ B, np.zeros(n)])
    moved = used & (np.ptp(scores, axis=1) > _LP_TOLERANCE)
    return B / scale[:, None], moved
