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
package). Because the directions form a convex cone, one LP finds them all: give
each edge row a slack 0 ≤ tᵢ ≤ 1 with sᵢ·xᵢᵀb ≥ tᵢ (sᵢ = −1 on the lower edge,
+1 on the upper), keep xᵢᵀb = 0 on the other rows, and maximise Σᵢ tᵢ. Every row
that some direction moves reaches tᵢ = 1 (add the directions and rescale), so the
rows with tᵢ = 1 are exactly those whose fitted means go to the edge, and none
exist when the optimum is 0.

Introduced in 05_logistic_regression.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

__all__ = ["recession_direction", "recession_direction_softmax"]


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
    Xs = X / _column_scale(X, used)
    edge = np.flatnonzero(low | high)
    sign = np.where(high[edge], 1.0, -1.0)
    b, slack = _max_slack(sign[:, None] * Xs[edge], Xs[inner])
    if b is None:
        return None
    moved = np.zeros(X.shape[0], dtype=bool)
    moved[edge] = slack > 0.5
    return b / _column_scale(X, used), moved


def _column_scale(X, used):
    scale = np.linalg.norm(X[used], axis=0)
    scale[scale == 0] = 1.0
    return scale


def _max_slack(gaps, equal):
    """max Σ t subject to gaps·b ≥ t, 0 ≤ t ≤ 1, equal·b = 0, b free.

    Returns (b, t), or (None, None) when no t is positive (every direction bounded).
    """
    m, p = gaps.shape
    cost = np.concatenate([np.zeros(p), -np.ones(m)])
    result = optimize.linprog(
        cost,
        A_ub=np.hstack([-gaps, np.eye(m)]), b_ub=np.zeros(m),
        A_eq=np.hstack([equal, np.zeros((equal.shape[0], m))]) if equal.shape[0] else None,
        b_eq=np.zeros(equal.shape[0]) if equal.shape[0] else None,
        bounds=[(None, None)] * p + [(0.0, 1.0)] * m,
        method="highs",
    )
    if result.status != 0 or -result.fun < 0.5:
        return None, None
    return result.x[:p], result.x[p:]


def recession_direction_softmax(X, labels, k, weights):
    """The same test for softmax regression: is there B ≠ 0 (p × (k − 1), reference
    column 0) with each row's own class scoring at least as high as every other class,
    xᵢᵀ(b_{yᵢ} − b_j) ≥ 0 for all j? Then some classes are perfectly separated.

    Returns None, or (B, moved, finite): ``moved`` marks the rows some of whose score
    gaps grow without bound, and ``finite`` is the matrix whose rows are the score gaps
    xᵢᵀ(b_{yᵢ} − b_j) that stay bounded (as linear maps of β flattened class by class):
    the part of the fit that still has a finite maximum.
    """
    X = np.asarray(X, dtype=float)
    used = weights > 0
    n, p = X.shape
    scale = _column_scale(X, used)
    gaps, owners = [], []
    for i in np.flatnonzero(used):
        for j in range(k):
            if j == labels[i]:
                continue
            row = np.zeros((p, k))
            row[:, labels[i]] += X[i]
            row[:, j] -= X[i]
            gaps.append(row[:, :-1].ravel(order="F"))
            owners.append(i)
    gaps = np.array(gaps)
    scaled = gaps / np.tile(scale, k - 1)
    b, slack = _max_slack(scaled, np.zeros((0, p * (k - 1))))
    if b is None:
        return None
    grows = slack > 0.5
    moved = np.zeros(n, dtype=bool)
    moved[np.array(owners)[grows]] = True
    B = b.reshape((p, k - 1), order="F") / scale[:, None]
    return B, moved, gaps[~grows]
