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
    get_family,
)
from glmlesson.fitting import (
    ConvergenceWarning,
    DivergenceWarning,
    FitResult,
    PerfectSeparationWarning,
    fit,
)
from glmlesson.links import Link, get_link
from glmlesson.multinomial import SoftmaxResult, fit_softmax

__version__ = "0.1.0"

__all__ = [
    "Bernoulli",
    "Binomial",
    "Categorical",
    "ConvergenceWarning",
    "DivergenceWarning",
    "Family",
    "FitResult",
    "Gamma",
    "Link",
    "NegativeBinomial",
    "Normal",
    "PerfectSeparationWarning",
    "Poisson",
    "SoftmaxResult",
    "fit",
    "fit_softmax",
    "get_family",
    "get_link",
]
