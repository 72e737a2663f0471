"""Which exercises each lesson has, and a verdict for one of them from a namespace.

This is the whole interface the grader (``python -m glmlesson.grade``) uses:

* :func:`exercises` — the exercises of a lesson, in order: the key ("04.3"), the
  name of the check, the name of the student's object the check judges
  (``dispersion_ratio``) and any further arguments the notebook passes to the
  check (``check_inverse_link(inverse_probit, "probit")``).
* :func:`lesson_of_check` — the lesson a check belongs to (to tell which lesson
  a notebook is from the checks it calls).
* :func:`judge` — the check applied to the student's object as it stands in a
  namespace (a kernel's ``globals()`` after the notebook ran), as a plain dict
  ``{"status": ..., "message": ...}`` with status "correct", "wrong",
  "not attempted" or "error". It never raises.

The table below must match the exercise cells of the notebooks (a test reads
them). A check is looked up by name in :mod:`glmlesson.exercises` and called
through its ``evaluate`` method, which returns an object with ``status`` and
``message``.

Introduced in 00_start_here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Exercise", "EXERCISES", "STATUSES", "exercises", "lesson_of_check", "judge"]

STATUSES = ("correct", "wrong", "not attempted", "error")


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``check(namespace[answer], *args)`` judges it."""

    key: str
    check: str
    answer: str
    args: tuple = ()

    @property
    def lesson(self) -> str:
        return self.key.split(".")[0]


def _lesson(lesson: str, *entries) -> tuple[Exercise, ...]:
    return tuple(
        Exercise(f"{lesson}.{number}", check, answer, tuple(args))
        for number, (check, answer, *args) in enumerate(entries, start=1)
    )


EXERCISES: dict[str, tuple[Exercise, ...]] = {
    "00": _lesson("00", ("check_line", "line")),
    "01": _lesson(
        "01",
        ("check_simple_regression", "simple_regression"),
        ("check_gradient_step", "gradient_step"),
        ("check_sigma2_estimates", "sigma2_estimates"),
        ("check_gaussian_loglik", "gaussian_loglik"),
    ),
    "02": _lesson(
        "02",
        ("check_geometric_form", "geometric"),
        ("check_mean_and_variance", "mean_and_variance"),
        ("check_geometric_psi", "geometric_psi"),
    ),
    "03": _lesson(
        "03",
        ("check_usable_links", "usable_links"),
        ("check_glm_loglik", "glm_loglik"),
        ("check_mean_from_beta", "mean_from_beta"),
    ),
    "04": _lesson(
        "04",
        ("check_logistic_gd", "logistic_gd"),
        ("check_compare_links", "compare_links"),
        ("check_dispersion_ratio", "dispersion_ratio"),
    ),
    "05": _lesson(
        "05",
        ("check_odds_ratio", "odds_ratio"),
        ("check_logistic_loglik", "logistic_loglik"),
        ("check_decision_boundary", "decision_boundary"),
    ),
    "06": _lesson(
        "06",
        ("check_inverse_link", "inverse_probit", "probit"),
        ("check_inverse_link", "inverse_cloglog", "cloglog"),
        ("check_best_link", "best_link"),
    ),
    "07": _lesson(
        "07",
        ("check_newton_step", "newton_step"),
        ("check_irls_step", "irls_step"),
        ("check_standard_errors", "standard_errors"),
    ),
    "08": _lesson(
        "08",
        ("check_pearson_dispersion", "pearson_dispersion"),
        ("check_quasi_poisson_bse", "quasi_poisson_bse"),
        ("check_nb_loglik", "nb_loglik"),
        ("check_best_alpha", "best_alpha"),
    ),
    "09": _lesson(
        "09",
        ("check_lr_test", "lr_test"),
        ("check_rates_per_1000", "rates_per_1000"),
        ("check_aic", "my_aic"),
    ),
    "10": _lesson(
        "10",
        ("check_softmax", "my_softmax"),
        ("check_one_hot", "one_hot"),
        ("check_categorical_loglik", "categorical_loglik"),
        ("check_reference_coefficients", "to_reference"),
    ),
    "11": _lesson(
        "11",
        ("check_gamma_dispersion", "gamma_dispersion"),
        ("check_deviance_residuals", "gamma_deviance_residuals"),
        ("check_prob_zero", "prob_zero"),
        ("check_best_power", "best_power"),
    ),
    "12": _lesson(
        "12",
        ("check_coordinate_update", "coordinate_update"),
        ("check_lambda_max", "lambda_max"),
        ("check_cv_deviance", "cv_deviance"),
        ("check_ridge_augmentation", "augment"),
    ),
    "13": _lesson(
        "13",
        ("check_cluster_robust_se", "cluster_robust_se"),
        ("check_laplace_loglik", "laplace_loglik"),
        ("check_marginal_probability", "marginal_probability"),
    ),
    "14": _lesson(
        "14",
        ("check_independence_fitted", "independence_fitted"),
        ("check_g_squared", "g_squared"),
        ("check_category_probabilities", "category_probabilities"),
    ),
}


def exercises(lesson: str) -> tuple[Exercise, ...]:
    """The exercises of ``lesson`` ("04"), in the order the notebook poses them."""
    lesson = str(lesson).zfill(2)
    if lesson not in EXERCISES:
        raise ValueError(f"no lesson {lesson!r} has exercises; the lessons with exercises are "
                         f"{', '.join(EXERCISES)}")
    return EXERCISES[lesson]


def lesson_of_check(check: str) -> str | None:
    """The lesson whose exercises use the check called ``check``, or None."""
    for lesson, entries in EXERCISES.items():
        if any(entry.check == check for entry in entries):
            return lesson
    return None


def _find(key: str) -> Exercise:
    for entry in exercises(key.split(".")[0]):
        if entry.key == key:
            return entry
    raise ValueError(f"no exercise {key!r}; lesson {key.split('.')[0]} has "
                     f"{', '.join(e.key for e in exercises(key.split('.')[0]))}")


def judge(key: str, namespace: dict) -> dict:
    """The verdict on exercise ``key`` ("04.3") for the objects in ``namespace``.

    Returns ``{"status": s, "message": m}``: the check's own status and message when
    the student's object exists, "not attempted" when it does not, "error" when the
    check itself could not judge it (its exception is in the message).
    """
    import glmlesson.exercises as checks

    entry = _find(key)
    if entry.answer not in namespace:
        return {"status": "not attempted",
                "message": f"the notebook defines no {entry.answer} (exercise {key})"}
    try:
        feedback = getattr(checks, entry.check).evaluate(namespace[entry.answer], *entry.args)
        status, message = str(feedback.status), str(feedback.message)
    except BaseException as error:  # noqa: BLE001 - a student's object may raise anything
        if isinstance(error, KeyboardInterrupt):
            raise
        return {"status": "error",
                "message": f"the check could not judge {entry.answer}: "
                           f"{type(error).__name__}: {error}"}
    if status not in STATUSES:
        return {"status": "error", "message": f"the check returned an unknown status {status!r}"}
    return {"status": status, "message": message}
