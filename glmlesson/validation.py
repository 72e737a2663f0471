"""Checking what a student passes to a fitter, before any arithmetic.

Every problem is a ``ValueError`` that names it and says how to fix it: a
non-numeric or non-finite value, mismatched shapes, p > n, a column that is a
linear combination of others (also when zero prior weights leave a column with
no data), a bad setting. A design that is full-rank but nearly collinear is
fitted, with a :class:`~glmlesson.iteration.CollinearityWarning`.

Shared by :func:`glmlesson.fit` and :func:`glmlesson.multinomial.fit_softmax`.

Introduced in 04_poisson_regression (rank in 07_fitting_glms).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import linalg

from glmlesson.iteration import CollinearityWarning
from glmlesson.least_squares import ALIASING_TOLERANCE, column_dependence

__all__ = [
    "METHODS",
    "DEFAULT_MAX_ITER",
    "check_settings",
    "as_design",
    "check_vector",
    "check_finite",
    "check_weights",
    "check_rank",
    "COLLINEARITY_WARNING_LEVEL",
]

METHODS = ("irls", "newton", "gradient")
DEFAULT_MAX_ITER = {"irls": 100, "newton": 100, "gradient": 1000}
# warn when less than this fraction of a column's length is independent of the others
COLLINEARITY_WARNING_LEVEL = 1e-5


def check_settings(method, max_iter, tol, learning_rate):
    """(method, max_iter, tol, learning_rate) checked, with max_iter's default filled in."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(map(repr, METHODS))}")
    if max_iter is None:
        max_iter = DEFAULT_MAX_ITER[method]
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a whole number ≥ 1, got {max_iter!r}")
    if not (np.isscalar(tol) and np.isreal(tol) and np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a number ≥ 0, got {tol!r}")
    if not (np.isscalar(learning_rate) and np.isreal(learning_rate)
            and np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(
            f"learning_rate must be a positive number, got {learning_rate!r}; "
            "gradient ascent steps uphill by learning_rate × gradient (try 0.05)"
        )
    return method, int(max_iter), float(tol), float(learning_rate)


def _numeric(values, name) -> np.ndarray:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from None


def as_design(X) -> tuple[np.ndarray, list[str] | None]:
    """(X as a 2-D float array, its column names or None).

    A pandas DataFrame gives its column names (read from ``.columns``; pandas is not
    needed otherwise).
    """
    columns = getattr(X, "columns", None)
    names = [str(name) for name in columns] if columns is not None else None
    X = _numeric(X, "X")
    if X.ndim == 1:
        raise ValueError(
            f"X must be a 2-D array (n rows, p columns), got a 1-D array of length {X.size}; "
            "use np.column_stack([np.ones(n), x]) for an intercept and one feature"
        )
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n rows, p columns), got shape {X.shape}")
    n, p = X.shape
    if n == 0 or p == 0:
        raise ValueError(f"X is empty (shape {X.shape}); a fit needs at least one row and column")
    check_finite(X, "X")
    return X, names


def check_finite(values, name):
    """Raise ValueError naming the first non-finite entry of ``values``."""
    bad = ~np.isfinite(values)
    if np.any(bad):
        where = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} has {np.sum(bad)} non-finite values (NaN or inf), first at index "
            f"{tuple(int(i) for i in where)}; remove or impute them before fitting"
        )


def check_vector(values, n, name, default) -> np.ndarray:
    """One finite number per row (a scalar is repeated); ``default`` when None."""
    if values is None:
        return np.full(n, float(default))
    values = _numeric(values, name)
    if values.ndim == 0:
        values = np.full(n, float(values))
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.shape != (n,):
        raise ValueError(f"{name} has shape {values.shape} but X has {n} rows; give one per row")
    check_finite(values, name)
    return values


def check_weights(weights, n) -> np.ndarray:
    """Prior weights: one per row, ≥ 0, not all zero."""
    weights = check_vector(weights, n, "weights", default=1.0)
    if np.any(weights < 0):
        raise ValueError(
            f"weights must be ≥ 0, but {np.sum(weights < 0)} are negative; prior weights "
            "count how much each observation is worth"
        )
    if not np.any(weights > 0):
        raise ValueError("all weights are zero: there is nothing to fit")
    return weights


def _column_list(columns, names) -> str:
    if names is None:
        return ", ".join(str(j) for j in columns)
    return ", ".join(f"{j} ({names[j]!r})" for j in columns)


def check_rank(X, weights, names=None, stacklevel=4):
    """Raise ValueError unless √W·X has full column rank (R's criterion: no column has
    less than 1e-7 of its length independent of the columns before it); warn when the
    design is full rank but nearly collinear.

    A quick test on the Cholesky factor of the scaled Gram matrix settles the ordinary
    case; only a poorly conditioned design pays for the column-by-column test.
    """
    n_used, p = int(np.sum(weights > 0)), X.shape[1]
    if p > n_used:
        raise ValueError(
            f"p > n: X has {p} columns but only {n_used} rows with positive weight, so β "
            "is not identified; use fewer columns, more data, or a penalty (lesson 12)"
        )
    keep = weights > 0
    design = X if np.all(weights == 1.0) else X[keep] * np.sqrt(weights[keep])[:, None]
    gram = design.T @ design
    norms = np.sqrt(np.diag(gram))
    if np.all(norms > 0):
        try:
            factor = linalg.cholesky(gram / np.outer(norms, norms), lower=False)
            singular = np.linalg.svd(factor, compute_uv=False)
            if singular[-1] > 0 and singular[0] / singular[-1] < 0.1 / COLLINEARITY_WARNING_LEVEL:
                return
        except linalg.LinAlgError:
            pass
    independent, condition = column_dependence(X, weights)
    empty = np.flatnonzero(np.linalg.norm(design, axis=0) == 0)
    if empty.size:
        where = ("all zero" if np.all(X[:, empty] == 0)
                 else "zero on every row with positive weight (zero prior weights left it "
                      "without data)")
        raise ValueError(
            f"X column(s) {_column_list(empty, names)} are {where}, so β for them is not "
            "identified; drop them"
        )
    aliased = np.flatnonzero(independent < ALIASING_TOLERANCE)
    if aliased.size:
        j = int(aliased[0])
        earlier = [i for i in range(j) if independent[i] >= ALIASING_TOLERANCE]
        partners = _partners(design, j, earlier)
        raise ValueError(
            f"X is rank-deficient: column {_column_list([j], names)} is a linear combination "
            f"of column(s) {_column_list(partners, names)} (on the rows with positive weight), "
            "so β is not identified; drop one of them (e.g. a duplicated column, or one dummy "
            "when dummies sum to the intercept)"
        )
    weakest = int(np.argmin(independent))
    if independent[weakest] < COLLINEARITY_WARNING_LEVEL:
        warnings.warn(
            f"X is nearly collinear: only {independent[weakest]:.1e} of column "
            f"{_column_list([weakest], names)}'s length is independent of the columns before "
            f"it (condition number {condition:.1e}). The fit is computed stably, but those "
            "coefficients are poorly determined; centre or rescale the columns (e.g. "
            "year − 2000) or drop one.",
            CollinearityWarning, stacklevel=stacklevel,
        )


def _partners(design, j, earlier) -> list[int]:
    """The earlier columns that column j is (nearly) a combination of."""
    if not earlier:
        return []
    scaled = design / np.where(np.linalg.norm(design, axis=0) > 0,
                               np.linalg.norm(design, axis=0), 1.0)
    coef, *_ = np.linalg.lstsq(scaled[:, earlier], scaled[:, j], rcond=None)
    return [i for i, c in zip(earlier, coef, strict=True) if abs(c) > 1e-6]
