"""Checks and hints for the notebooks' exercises.

Every check prints one line of feedback: ✅ correct, ❌ what is wrong (in the
lesson's terms), or ⏳ not attempted yet for an unfinished stub — it never
raises. ``check_x.evaluate(answer)`` returns the :class:`Feedback` instead.
``hint("04.1")`` prints the hint of exercise 1 in lesson 04.

Each lesson's checks live in a module of their own (``lesson04`` …) and are
re-exported here, so a notebook writes ``from glmlesson.exercises import ...``.
Every check carries ``check.mistakes``, its catalogue of typical wrong answers
(:class:`Mistake`: what the student did, an answer that does it, and words of the
message the check gives), which the tests run and the instructor guide quotes.

Introduced in 00_start_here.
"""

from glmlesson.exercises._core import Feedback, Mistake
from glmlesson.exercises.hints import hint
from glmlesson.exercises.lesson00 import check_line
from glmlesson.exercises.lesson01 import (
    check_gaussian_loglik,
    check_gradient_step,
    check_sigma2_estimates,
    check_simple_regression,
)
from glmlesson.exercises.lesson02 import (
    check_geometric_form,
    check_geometric_psi,
    check_mean_and_variance,
)
from glmlesson.exercises.lesson03 import (
    check_glm_loglik,
    check_mean_from_beta,
    check_usable_links,
)
from glmlesson.exercises.lesson04 import (
    check_compare_links,
    check_dispersion_ratio,
    check_logistic_gd,
)
from glmlesson.exercises.lesson05 import (
    check_decision_boundary,
    check_logistic_loglik,
    check_odds_ratio,
)
from glmlesson.exercises.lesson06 import check_best_link, check_inverse_link
from glmlesson.exercises.lesson07 import (
    check_irls_step,
    check_newton_step,
    check_standard_errors,
)
from glmlesson.exercises.lesson08 import (
    check_best_alpha,
    check_nb_loglik,
    check_pearson_dispersion,
    check_quasi_poisson_bse,
)
from glmlesson.exercises.lesson09 import check_aic, check_lr_test, check_rates_per_1000
from glmlesson.exercises.lesson10 import (
    check_categorical_loglik,
    check_one_hot,
    check_reference_coefficients,
    check_softmax,
)
from glmlesson.exercises.lesson11 import (
    check_best_power,
    check_deviance_residuals,
    check_gamma_dispersion,
    check_prob_zero,
)
from glmlesson.exercises.lesson12 import (
    check_coordinate_update,
    check_cv_deviance,
    check_lambda_max,
    check_ridge_augmentation,
)
from glmlesson.exercises.lesson13 import (
    check_cluster_robust_se,
    check_laplace_loglik,
    check_marginal_probability,
)
from glmlesson.exercises.lesson14 import (
    check_category_probabilities,
    check_g_squared,
    check_independence_fitted,
)

__all__ = [
    "Feedback",
    "Mistake",
    "hint",
    "check_line",
    "check_simple_regression",
    "check_gradient_step",
    "check_sigma2_estimates",
    "check_gaussian_loglik",
    "check_geometric_form",
    "check_mean_and_variance",
    "check_geometric_psi",
    "check_usable_links",
    "check_glm_loglik",
    "check_mean_from_beta",
    "check_logistic_gd",
    "check_compare_links",
    "check_dispersion_ratio",
    "check_odds_ratio",
    "check_logistic_loglik",
    "check_decision_boundary",
    "check_inverse_link",
    "check_best_link",
    "check_newton_step",
    "check_irls_step",
    "check_standard_errors",
    "check_pearson_dispersion",
    "check_quasi_poisson_bse",
    "check_nb_loglik",
    "check_best_alpha",
    "check_lr_test",
    "check_rates_per_1000",
    "check_aic",
    "check_softmax",
    "check_one_hot",
    "check_categorical_loglik",
    "check_reference_coefficients",
    "check_gamma_dispersion",
    "check_deviance_residuals",
    "check_prob_zero",
    "check_best_power",
    "check_coordinate_update",
    "check_lambda_max",
    "check_cv_deviance",
    "check_ridge_augmentation",
    "check_cluster_robust_se",
    "check_laplace_loglik",
    "check_marginal_probability",
    "check_independence_fitted",
    "check_g_squared",
    "check_category_probabilities",
]
