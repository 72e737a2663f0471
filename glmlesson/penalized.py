"""Penalised GLMs (ridge, lasso, elastic net) by penalised IRLS with coordinate descent.

With penalty λ ≥ 0 and l1_ratio a ∈ [0, 1] the fit minimises glmnet's and glum's
objective

    F(β) = D(β)/(2·Σw) + λ·(a·Σⱼ sⱼ|βⱼ| + (1 − a)/2·Σⱼ sⱼβⱼ²),

D the deviance, Σw the total IRLS weight (the prior weights; times the trials for a
Binomial), and sⱼ = 0 for an all-ones (intercept) column, 1 for every other column: the
intercept is not penalised. a = 0 is ridge, a = 1 the lasso, in between the elastic net.

The algorithm is glmnet's. Each IRLS iteration replaces D/(2Σw) by its quadratic
approximation at the current β, Σᵢ Wᵢ(zᵢ − xᵢᵀβ)²/(2Σw) with the working response z and
weights W of lesson 07, and minimises that plus the penalty by **coordinate descent**:
one coefficient at a time, in closed form,

    βⱼ ← S(ρⱼ, λ·a·sⱼ) / (Gⱼⱼ + λ·(1 − a)·sⱼ),   S(ρ, γ) = sign(ρ)·max(|ρ| − γ, 0),

with G = XᵀWX/Σw and ρⱼ = (XᵀWz/Σw)ⱼ − Σ_{k≠j} Gⱼₖβₖ. The soft-threshold S sets a
coefficient to exactly 0 when |ρⱼ| ≤ λa: that is how the lasso selects features. A
step that raises F is halved (the IRLS direction always lowers F for a small enough step).

A penalty path starts at λ_max = maxⱼ |∂(D/(2Σw))/∂βⱼ| / a at the fit with every slope
0, the smallest penalty that keeps all slopes at 0, and walks down a log-spaced grid,
each fit starting from the one before (warm starts).

This module depends only on the lower layers; :mod:`glmlesson.fitting` hands it the
problem (a ``GLMProblem``) and the IRLS working quantities, and builds the result.

Introduced in 12_regularised_glms.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import linalg

from glmlesson.iteration import (
    AT_EDGE,
    CONVERGED,
    ConvergenceWarning,
    IterationState,
    relative_change,
)

__all__ = [
    "check_penalty",
    "penalized_columns",
    "soft_threshold",
    "solve_penalized_quadratic",
    "penalized_objective",
    "penalized_irls",
    "largest_penalty",
    "PenaltyPath",
    "trace_path",
]

_MAX_HALVINGS = 40
_OBJECTIVE_SLACK = 1e-13  # relative rise of F tolerated (rounding) before halving
_MAX_SWEEPS = 100_000
_RIDGE_FLOOR = 1e-3  # glmnet: λ_max for ridge is computed as if a = 0.001
_LARGEST_MARGIN = 1e-12


def check_penalty(penalty, l1_ratio) -> tuple[float, float]:
    """(penalty, l1_ratio) as floats, or ValueError saying what is wrong."""
    if isinstance(penalty, bool) or not (np.isscalar(penalty) and np.isreal(penalty)
                                         and np.isfinite(penalty) and penalty >= 0):
        raise ValueError(
            f"penalty must be a finite number ≥ 0 (λ in D/(2Σw) + λ·(a·Σ|β| + (1 − a)/2·Σβ²)), "
            f"got {penalty!r}; penalty=0 is the plain maximum-likelihood fit"
        )
    if isinstance(l1_ratio, bool) or not (np.isscalar(l1_ratio) and np.isreal(l1_ratio)
                                          and 0.0 <= l1_ratio <= 1.0):
        raise ValueError(
            f"l1_ratio must be a number in [0, 1] (0 = ridge, 1 = lasso, between = elastic "
            f"net), got {l1_ratio!r}"
        )
    return float(penalty), float(l1_ratio)


def penalized_columns(X) -> np.ndarray:
    """sⱼ: 0 for a column of X that is all ones (the intercept, not penalised), else 1."""
    return np.where(np.all(X == 1.0, axis=0), 0.0, 1.0)


def soft_threshold(value, threshold):
    """S(ρ, γ) = sign(ρ)·max(|ρ| − γ, 0): the lasso's closed-form coordinate update."""
    return np.sign(value) * np.maximum(np.abs(value) - threshold, 0.0)


def penalized_objective(deviance, total_weight, beta, penalty, l1_ratio, scales) -> float:
    """F(β) = D/(2Σw) + λ·(a·Σ sⱼ|βⱼ| + (1 − a)/2·Σ sⱼβⱼ²)."""
    l1 = float(np.sum(scales * np.abs(beta)))
    l2 = float(np.sum(scales * beta**2))
    return deviance / (2.0 * total_weight) + penalty * (l1_ratio * l1 + 0.5 * (1.0 - l1_ratio) * l2)


def solve_penalized_quadratic(gram, target, penalty, l1_ratio, scales, beta, tol,
                              free=None) -> np.ndarray:
    """argmin_β ½βᵀGβ − cᵀβ + λ·Σ sⱼ(a|βⱼ| + (1 − a)/2·βⱼ²) over the ``free`` coordinates
    (the others stay 0), from the start ``beta``.

    Ridge (a = 0) is one linear solve, (G + λ·diag(s))β = c. Otherwise coordinate descent
    with covariance updates (glmnet's scheme for n ≫ p): keep the gradient r = c − Gβ and
    update it by one column of G when a coefficient moves; sweep all coordinates, then only
    the non-zero ones until they settle, then all again, until a full sweep moves no
    coefficient by more than ``tol`` relative to max|β|. A coordinate whose column has no
    weight and no ridge term stays 0.
    """
    p = gram.shape[0]
    free = np.ones(p, dtype=bool) if free is None else free
    beta = np.where(free, beta, 0.0)
    ridge = penalty * (1.0 - l1_ratio) * scales
    diagonal = np.diag(gram) + ridge
    usable = free & (diagonal > 0)
    beta[~usable] = 0.0
    if l1_ratio == 0.0 or penalty == 0.0 or np.all(scales[usable] == 0.0):  # no |β| term
        system = gram[np.ix_(usable, usable)] + np.diag(ridge[usable])
        try:
            beta[usable] = linalg.cho_solve(linalg.cho_factor(system), target[usable])
            return beta
        except linalg.LinAlgError:
            pass  # singular: coordinate descent still finds a minimiser
    threshold = (penalty * l1_ratio * scales).tolist()
    diagonal_list = diagonal.tolist()
    gram_diagonal = np.diag(gram).tolist()
    residual = target - gram @ beta
    everything = np.flatnonzero(usable).tolist()

    def sweep(indices) -> float:
        largest = 0.0
        for j in indices:
            old = beta[j]
            rho = residual[j] + gram_diagonal[j] * old
            magnitude = abs(rho) - threshold[j]  # soft-thresholding, in scalars for speed
            new = 0.0
            if magnitude > 0:
                new = (magnitude if rho > 0 else -magnitude) / diagonal_list[j]
            if new != old:
                delta = new - old
                residual[:] -= gram[j] * delta  # G is symmetric: row j = column j
                beta[j] = new
                largest = max(largest, abs(delta))
        return largest

    def settled(change) -> bool:
        return change <= tol * max(float(np.max(np.abs(beta))), np.finfo(float).tiny)

    sweeps = 0
    while sweeps < _MAX_SWEEPS:
        sweeps += 1
        if settled(sweep(everything)):
            break
        active = [j for j in everything if beta[j] != 0.0]
        while sweeps < _MAX_SWEEPS:
            sweeps += 1
            if settled(sweep(active)):
                break
    return beta


def penalized_irls(problem, quadratic: Callable, penalty, l1_ratio, begin, max_iter, tol,
                   free=None, design=None) -> IterationState:
    """Minimise F(β) by penalised IRLS (see the module docstring).

    Args:
        problem: a :class:`glmlesson.fitting.GLMProblem` (X, the response on the μ scale
            ``y_fit``, IRLS weights ``w_fit``, ``eta_of``, ``evaluate``).
        quadratic: ``working_quantities(problem, iterate)`` → (z, W, …), lesson 07's
            working response and weights.
        begin: the starting iterate (with ``beta``, or ``beta=None`` for R's start).
        free: boolean mask of the coefficients allowed to move (default all).
        design: X in column-major order (made here when None; a path passes one copy to
            all its fits): the rows are weighted column by column at every iteration.

    Returns:
        IterationState with ``beta``, ``final`` (the last iterate), ``history`` (F after
        each iteration) and the fate: converged when the full step's relative change of β
        is ≤ ``tol``; "at the edge" when no halving keeps μ in the family's range.

    Introduced in 12_regularised_glms.
    """
    X = problem.X
    design = np.asfortranarray(X) if design is None else design
    scales = penalized_columns(X)
    total = float(np.sum(problem.w_fit))
    current = begin
    beta = np.zeros(X.shape[1]) if begin.beta is None else begin.beta.copy()
    objective = (np.inf if begin.beta is None else
                 penalized_objective(begin.deviance, total, beta, penalty, l1_ratio, scales))
    inner_tol = max(0.01 * tol, 1e-15)
    state = IterationState(beta=None)
    for number in range(1, max_iter + 1):
        gram, target = _normal_equations(problem, quadratic, current, total, design)
        proposal = solve_penalized_quadratic(gram, target, penalty, l1_ratio, scales,
                                             beta.copy(), inner_tol, free)
        candidate = proposal
        for _ in range(_MAX_HALVINGS):
            accepted = problem.evaluate(problem.eta_of(candidate))
            if accepted is not None:
                new_objective = penalized_objective(accepted.deviance, total, candidate,
                                                    penalty, l1_ratio, scales)
                if new_objective <= objective + _OBJECTIVE_SLACK * (abs(objective) + 1.0):
                    break
            candidate = 0.5 * (beta + candidate)
        else:
            state.fate = AT_EDGE
            state.reason = (f"no step kept the penalised objective falling with μ inside the "
                            f"{problem.family.name} range {problem.family.mean_range} "
                            f"({problem.link.name} link); stopped at the last valid iterate")
            break
        accepted.beta = candidate
        state.relative_change = relative_change(beta, proposal)
        current, beta, objective = accepted, candidate, new_objective
        state.n_iter, state.beta = number, beta
        state.history.append(objective)
        if state.relative_change <= tol:
            state.fate = CONVERGED
            break
    if state.beta is None:  # not a single acceptable step: stay at the start
        state.beta = beta
    state.converged = state.fate == CONVERGED
    state.at_edge = state.fate == AT_EDGE
    state.final = current if current.beta is not None else None
    return state


def _normal_equations(problem, quadratic, current, total, design):
    """(G, c) = (XᵀWX/Σw, XᵀWz/Σw): the IRLS quadratic ½βᵀGβ − cᵀβ at ``current``, from
    one symmetric product BᵀB with B = √(W/Σw)·[X, z] (the cost of an IRLS iteration);
    ``design`` is X in column-major order, so B is filled column by column."""
    z, W = quadratic(problem, current)[:2]
    n, p = design.shape
    root = np.sqrt(W / total)
    both = np.empty((n, p + 1), order="F")
    np.multiply(design, root[:, None], out=both[:, :p])
    np.multiply(z, root, out=both[:, p])
    product = both.T @ both
    return product[:p, :p], product[:p, p]


def largest_penalty(problem, quadratic: Callable, l1_ratio, begin, max_iter, tol,
                    design=None):
    """(λ_max, the iterate with every penalised coefficient 0).

    The fit with only the unpenalised columns (the intercept; none: β = 0) is the
    solution for every λ ≥ λ_max = maxⱼ |∂(D/(2Σw))/∂βⱼ| / a, the score of a penalised
    column there over a; for ridge (a = 0) glmnet's convention a = 0.001 is used. The
    score is c − Gβ = Xᵀ[W·(z − Xβ)]/Σw, computed as coordinate descent computes it, and
    λ_max is raised by 10⁻¹² of itself so that rounding cannot leave a slope of 10⁻¹⁷ there.
    """
    scales = penalized_columns(problem.X)
    free = scales == 0.0
    if np.any(free):
        null = penalized_irls(problem, quadratic, 1.0, 1.0, begin, max_iter, tol, free=free,
                              design=design)
        start = null.final
    else:
        start = problem.evaluate(problem.eta_of(np.zeros(problem.X.shape[1])))
        if start is not None:
            start.beta = np.zeros(problem.X.shape[1])
    if start is None:
        raise ValueError(
            f"the fit with every slope 0 is not valid for the {problem.family.name} family "
            f"with the {problem.link.name} link (μ leaves the range); add an intercept column "
            "of ones, or use the family's default link"
        )
    design = np.asfortranarray(problem.X) if design is None else design
    gram, target = _normal_equations(problem, quadratic, start, float(np.sum(problem.w_fit)),
                                     design)
    score = target - gram @ start.beta
    largest = float(np.max(np.abs(score[~free]), initial=0.0)) / max(l1_ratio, _RIDGE_FLOOR)
    return largest * (1.0 + _LARGEST_MARGIN), start


@dataclass
class PenaltyPath:
    """Fits along a decreasing sequence of penalties (what :func:`trace_path` returns).

    Attributes:
        penalties: λ, decreasing (from λ_max when the grid is the default one).
        coefs: one row of β̂ per penalty (exact zeros where the lasso drops a column).
        deviances: D(β̂) at each penalty.
        l1_ratio: a, the same for every fit.
        largest_penalty: λ_max, the smallest penalty at which every slope is 0.
        converged: one flag per penalty.
        n_iter: IRLS iterations per penalty.
        names: the columns' names (from a DataFrame X), or None.

    Introduced in 12_regularised_glms.
    """

    penalties: np.ndarray
    coefs: np.ndarray
    deviances: np.ndarray
    l1_ratio: float
    largest_penalty: float
    converged: np.ndarray
    n_iter: np.ndarray
    names: list | None = None

    def __repr__(self) -> str:
        return (f"PenaltyPath({self.penalties.size} penalties from {self.penalties[0]:.4g} to "
                f"{self.penalties[-1]:.4g}, l1_ratio={self.l1_ratio:g}, "
                f"{self.coefs.shape[1]} coefficients)")


def trace_path(problem, quadratic: Callable, l1_ratio, penalties, n_penalties, begin,
               max_iter, tol) -> PenaltyPath:
    """Fit every penalty of a decreasing sequence, each from the previous fit.

    The default sequence is ``n_penalties`` values log-spaced from λ_max down to
    λ_max·ε, ε = 10⁻⁴ when there are more rows than columns and 10⁻² otherwise
    (glmnet's ``lambda.min.ratio``). Given penalties are sorted into decreasing order.

    Introduced in 12_regularised_glms.
    """
    _, l1_ratio = check_penalty(0.0, l1_ratio)
    design = np.asfortranarray(problem.X)
    largest, start = largest_penalty(problem, quadratic, l1_ratio, begin, max_iter, tol, design)
    if penalties is None:
        if (isinstance(n_penalties, bool) or not isinstance(n_penalties, (int, np.integer))
                or n_penalties < 1):
            raise ValueError(f"n_penalties must be a whole number ≥ 1, got {n_penalties!r}")
        n, p = problem.X.shape
        ratio = 1e-4 if n > p else 1e-2
        penalties = largest * np.geomspace(1.0, ratio, int(n_penalties))
    else:
        penalties = np.atleast_1d(np.asarray(penalties, dtype=float))
        if penalties.ndim != 1 or penalties.size == 0:
            raise ValueError("penalties must be a 1-D sequence of numbers ≥ 0")
        for value in penalties:
            check_penalty(value, l1_ratio)
        penalties = np.sort(penalties)[::-1]
    coefs = np.empty((penalties.size, problem.X.shape[1]))
    deviances = np.empty(penalties.size)
    converged = np.zeros(penalties.size, dtype=bool)
    n_iter = np.zeros(penalties.size, dtype=int)
    current = start
    for k, penalty in enumerate(penalties):
        state = penalized_irls(problem, quadratic, penalty, l1_ratio, current, max_iter, tol,
                               design=design)
        current = state.final if state.final is not None else current
        coefs[k], deviances[k] = current.beta, current.deviance
        converged[k], n_iter[k] = state.converged, state.n_iter
    if not np.all(converged):
        failed = penalties[~converged]
        warnings.warn(
            f"{failed.size} of the {penalties.size} penalised fits did not converge in "
            f"{max_iter} iterations (penalties {', '.join(f'{v:.3g}' for v in failed[:5])}"
            f"{', …' if failed.size > 5 else ''}); see PenaltyPath.converged, raise max_iter",
            ConvergenceWarning, stacklevel=3,
        )
    return PenaltyPath(penalties, coefs, deviances, l1_ratio, largest, converged, n_iter,
                       problem.names)
