"""glmlesson: helpers for a course on Generalized Linear Models.

The notebooks in ``notebooks/`` import this package for fitting
(:func:`glmlesson.fit`), families and links in the notes' vocabulary,
simulated and real data, plots, slider explorers and exercise checks.
"""

from glmlesson.families import (
    Bernoulli,
    Binomial,
    Categorical,
    Family,
    Gamma,
    NegativeBinomial,
    Normal,
    Poisson,
    ScalarFamily,
    Tweedie,
    get_family,
)
from glmlesson.fitting import FitResult, fit, penalty_path
from glmlesson.gee import GEEResult, fit_gee
from glmlesson.glmm import GLMMResult, SingularFitWarning, fit_glmm
from glmlesson.iteration import (
    CollinearityWarning,
    ConvergenceWarning,
    DivergenceWarning,
    MeanRangeWarning,
    PerfectSeparationWarning,
)
from glmlesson.links import Link, get_link
from glmlesson.multinomial import SoftmaxResult, fit_softmax
from glmlesson.ordinal import OrdinalResult, fit_ordinal
from glmlesson.penalized import PenaltyPath

__version__ = "0.1.0"

__all__ = [
    "Bernoulli",
    "Binomial",
    "Categorical",
    "CollinearityWarning",
    "ConvergenceWarning",
    "DivergenceWarning",
    "Family",
    "FitResult",
    "GEEResult",
    "GLMMResult",
    "Gamma",
    "Link",
    "MeanRangeWarning",
    "NegativeBinomial",
    "OrdinalResult",
    "Normal",
    "PenaltyPath",
    "PerfectSeparationWarning",
    "Poisson",
    "ScalarFamily",
    "SingularFitWarning",
    "SoftmaxResult",
    "Tweedie",
    "fit",
    "fit_gee",
    "fit_glmm",
    "fit_ordinal",
    "fit_softmax",
    "get_family",
    "get_link",
    "penalty_path",
]
