"""How an iterative fit ends: the vocabulary, the tests and the warnings.

Every fitter in the package (IRLS, Newton and gradient ascent for GLMs in
:mod:`glmlesson.fitting`, the same for softmax regression in
:mod:`glmlesson.multinomial`) iterates βₜ → βₜ₊₁ and must say how the run
ended. The course uses one vocabulary for that fate, in the code, the
explorers and the lessons:

- **converged**: the coefficients stopped moving, max|Δβ| ≤ tol·max|β|;
- **still climbing**: the log-likelihood is still rising when the steps run out;
- **oscillating**: the iterates jump back and forth between two bounded points
  (a 2-cycle: each step undoes the last), so the log-likelihood stops rising;
- **diverged**: an iterate is not finite, or the run is running away (the
  log-likelihood falls step after step, or below where it started);
- **separated** / **at the edge**: the likelihood rises forever along a
  direction (perfect separation; fitted means numerically 0), so no finite
  maximum exists.

Introduced in 04_poisson_regression (gradient ascent) and 07_fitting_glms.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

__all__ = [
    "CONVERGED",
    "CLIMBING",
    "OSCILLATING",
    "DIVERGED",
    "SEPARATED",
    "AT_EDGE",
    "FATES",
    "ASCENT_JUDGE_TOL",
    "PerfectSeparationWarning",
    "DivergenceWarning",
    "ConvergenceWarning",
    "MeanRangeWarning",
    "CollinearityWarning",
    "relative_change",
    "IterationState",
    "ascent_fate",
    "judge_ascent_step",
    "close_ascent",
    "IterativeFit",
]

CONVERGED = "converged"
CLIMBING = "still climbing"
OSCILLATING = "oscillating"
DIVERGED = "diverged"
SEPARATED = "separated"
AT_EDGE = "at the edge"
FATES = (CONVERGED, CLIMBING, OSCILLATING, DIVERGED, SEPARATED, AT_EDGE)

# gradient ascent: how many falls in a row, or steps before comparing with the start,
# say "running away"
# gradient ascent run with tol = 0 (a fixed number of steps) still has a fate: it is
# judged with this tolerance, the default of fit's tol
ASCENT_JUDGE_TOL = 1e-10
FALLS_BEFORE_DIVERGED = 5
# three reversing steps whose lengths change by less than this factor are a bounded
# 2-cycle; growing by more is a run-away, shrinking by more is converging
_CYCLE_BAND = 1.01
_RUNAWAY_GROWTH = 1.5  # three reversing steps growing this much: stop, it is running away
STEPS_BEFORE_START_CHECK = 10


class PerfectSeparationWarning(UserWarning):
    """A binary outcome is perfectly predicted: the MLE does not exist (lesson 05)."""


class DivergenceWarning(UserWarning):
    """Gradient ascent diverged: the learning rate is too large (lesson 04)."""


class ConvergenceWarning(UserWarning):
    """The iterations stopped at ``max_iter`` before the coefficients settled, or
    gradient ascent is oscillating."""


class MeanRangeWarning(UserWarning):
    """Fitted means sit on the edge of the family's range (lessons 06 and 09)."""


class CollinearityWarning(UserWarning):
    """Columns of X are nearly linear combinations of each other (lesson 07)."""


def relative_change(old, new) -> float:
    """max|new − old| / max|new|: how far β moved, relative to its size."""
    scale = max(float(np.max(np.abs(new))), np.finfo(float).tiny)
    return float(np.max(np.abs(new - old))) / scale


@dataclass
class IterationState:
    """Where an iteration stands: the current β and how the run has gone so far."""

    beta: np.ndarray | None
    n_iter: int = 0
    history: list = field(default_factory=list)
    converged: bool = False
    diverged: bool = False
    separated: bool = False
    at_edge: bool = False
    fate: str = CLIMBING
    relative_change: float = np.nan
    reason: str = ""
    final: object = None  # the fitter's last iterate (its own type), if it keeps one
    solution: object = None  # the factorisation behind the last full step, if reusable


def ascent_fate(history, steps, start_objective, final=False) -> tuple[str, str]:
    """The fate of gradient ascent so far, from its objective history and its steps.

    Args:
        history: the objective (average log-likelihood) after each step.
        steps: the step vectors βₜ₊₁ − βₜ, same length as history.
        start_objective: the objective at the starting point.
        final: judge a finished run (True) rather than one still going.

    Returns:
        (fate, reason). When the last steps alternate in direction (each undoing the
        last), their lengths decide: growing more than 1.5× in three steps is DIVERGED at
        once; at the end of the run, lengths steady within 1% are OSCILLATING (a bounded
        2-cycle, every iterate finite), still growing is DIVERGED (running away), shrinking
        is CLIMBING (converging). A run whose steps do not alternate is DIVERGED when its
        objective fell ``FALLS_BEFORE_DIVERGED`` steps in a row or lies below its start after
        ``STEPS_BEFORE_START_CHECK`` steps; otherwise it is CLIMBING.
    """
    if len(steps) >= 4:
        last = [np.asarray(s) for s in steps[-4:]]
        lengths = np.array([np.linalg.norm(s) for s in last])
        reverses = all(float(a @ b) < -0.9 * np.linalg.norm(a) * np.linalg.norm(b)
                       for a, b in zip(last[:-1], last[1:], strict=True))
        if reverses and lengths[0] > 0:
            ratio = lengths[-1] / lengths[0]
            if ratio > _RUNAWAY_GROWTH or (final and ratio > _CYCLE_BAND):
                return DIVERGED, "each step overshoots further than the last"
            if final and ratio >= 1.0 / _CYCLE_BAND:
                return OSCILLATING, "the steps jump back and forth between two points"
            return CLIMBING, ""
    falls = 0
    for before, after in zip(history[:-1], history[1:], strict=True):
        falls = falls + 1 if after < before else 0
    if falls >= FALLS_BEFORE_DIVERGED:
        return DIVERGED, "the log-likelihood fell five steps in a row"
    if len(history) >= STEPS_BEFORE_START_CHECK and history[-1] < start_objective:
        return DIVERGED, "the log-likelihood fell below its value at the start"
    return CLIMBING, ""


def judge_ascent_step(state: IterationState, gradient, judge, tol, steps,
                      start_objective) -> bool:
    """After one gradient step (``state.relative_change`` and ``state.history`` updated):
    set the fate so far and say whether to stop.

    Converged needs both a small step (relative change ≤ ``judge``) and a small gradient
    (max|∇| ≤ √judge): a tiny step relative to a huge β is not convergence. A run with
    tol = 0 goes on to ``max_iter`` even when converged; a diverging run stops.
    """
    if state.relative_change <= judge and float(np.max(np.abs(gradient))) <= np.sqrt(judge):
        state.fate = CONVERGED
        return tol > 0
    fate, reason = ascent_fate(state.history[-12:], steps[-4:], start_objective)
    state.fate, state.reason = (fate, reason) if fate == DIVERGED else (CLIMBING, "")
    return fate == DIVERGED


def close_ascent(state: IterationState, steps, start_objective) -> IterationState:
    """The final fate of gradient ascent: a run still climbing at the end may turn out to
    be oscillating; the flags follow the fate."""
    if state.fate == CLIMBING:
        fate, reason = ascent_fate(state.history[-12:], steps[-4:], start_objective, final=True)
        if fate in (OSCILLATING, DIVERGED):
            state.fate, state.reason = fate, reason
    state.converged = state.fate == CONVERGED
    state.diverged = state.fate == DIVERGED
    return state


class IterativeFit:
    """What every fitted model in the package shares: how its iterations ended.

    Subclasses are dataclasses with the fields ``n_iter``, ``converged``,
    ``diverged``, ``perfect_separation``, ``history``, ``method`` and ``fate``.
    """

    def _status(self) -> str:
        unit = "steps" if self.method == "gradient" else "iterations"
        if self.fate == CONVERGED:
            return f"converged in {self.n_iter} {unit}"
        if self.fate == SEPARATED:
            return f"perfect separation after {self.n_iter} iterations"
        if self.fate == AT_EDGE:
            return f"fitted means at the edge of the range after {self.n_iter} {unit}"
        if self.fate == DIVERGED:
            return f"diverged after {self.n_iter} {unit}"
        if self.fate == OSCILLATING:
            return f"oscillating after {self.n_iter} {unit}"
        return f"not converged in {self.n_iter} {unit} (still climbing)"

    def _normal_quantile(self, level):
        return stats.norm.ppf(0.5 + level / 2.0)


# --------------------------------------------------------------------------- warnings
def warn_about(result, state: IterationState, tol, learning_rate, fast_method,
               stacklevel=4):
    """The one warning (if any) that says how ``result``'s iterations ended."""
    unit = "steps" if result.method == "gradient" else "iterations"
    if state.fate == DIVERGED:
        warnings.warn(
            f"gradient ascent diverged after {result.n_iter} steps with learning_rate="
            f"{learning_rate:g}: {state.reason}. Kept the last finite iterate "
            "(diverged=True); lower the learning rate.",
            DivergenceWarning, stacklevel=stacklevel,
        )
    elif state.fate == OSCILLATING:
        warnings.warn(
            f"gradient ascent is oscillating after {result.n_iter} steps with learning_rate="
            f"{learning_rate:g}: {state.reason}, so the log-likelihood no longer rises "
            "(converged=False). Lower the learning rate.",
            ConvergenceWarning, stacklevel=stacklevel,
        )
    elif state.fate == SEPARATED:
        warnings.warn(
            "perfect separation: a direction of the coefficients predicts some outcomes "
            "perfectly, so their fitted probabilities go to 0 or 1 and the maximum-likelihood "
            f"estimate does not exist (it is at infinity); the coefficients after "
            f"{result.n_iter} iterations are finite but arbitrary (perfect_separation=True). "
            "Drop the separating feature, add data or penalise (lesson 12).",
            PerfectSeparationWarning, stacklevel=stacklevel,
        )
    elif state.fate == AT_EDGE:
        warnings.warn(f"{state.reason} (converged=False).", MeanRangeWarning,
                      stacklevel=stacklevel)
    elif state.fate == CLIMBING and tol > 0:
        advice = (f"raise max_iter or the learning rate, or use method='{fast_method}'"
                  if result.method == "gradient" else "raise max_iter or check the model")
        warnings.warn(
            f"{result.method} did not converge in {result.n_iter} {unit} (last relative "
            f"change of β {state.relative_change:.2g} > tol={tol:g}); {advice}.",
            ConvergenceWarning, stacklevel=stacklevel,
        )
