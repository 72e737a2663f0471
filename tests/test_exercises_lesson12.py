"""Lesson 12 checks: right answers (written two ways) pass, every catalogued wrong answer
fails with its own message, a forgotten return is named, unfinished stubs are "not
attempted", and the reference answers agree with independent oracles (glum and
scikit-learn's elastic net and ridge, a loop over scikit-learn's cross-validation folds)."""

import warnings

import numpy as np
import pytest
from exercise_helpers import assert_wrong, lesson_tests, stub
from glum import GeneralizedLinearRegressor
from sklearn.linear_model import ElasticNet, LogisticRegression, Ridge

from glmlesson import Bernoulli, fit
from glmlesson.exercises import (
    check_coordinate_update,
    check_cv_deviance,
    check_lambda_max,
    check_ridge_augmentation,
)
from glmlesson.exercises.hints import HINTS, hint
from glmlesson.exercises.lesson12 import _cv_case, _lambda_max_cases, _ridge_cases
from glmlesson.penalized import soft_threshold

# -- 12.1 the elastic-net coordinate update --------------------------------------------------


def coordinate_update(rho, curvature, penalty, l1_ratio):
    shrunk = np.sign(rho) * np.maximum(np.abs(rho) - penalty * l1_ratio, 0.0)
    return shrunk / (curvature + penalty * (1 - l1_ratio))


def coordinate_update_by_cases(rho, curvature, penalty, l1_ratio):
    """The same update written as three cases, entry by entry."""
    gamma, out = penalty * l1_ratio, []
    for r, c in zip(rho, curvature, strict=True):
        top = r - gamma if r > gamma else (r + gamma if r < -gamma else 0.0)
        out.append(top / (c + penalty - gamma))
    return out


def test_coordinate_update_right_answers_pass():
    assert check_coordinate_update.evaluate(coordinate_update).passed
    assert check_coordinate_update.evaluate(coordinate_update_by_cases).passed


@pytest.mark.parametrize("line", ["from glmlesson.penalized import soft_threshold",
                                  "from glmlesson.penalized import soft_threshold as lib_st",
                                  "import glmlesson.penalized as P\nlib_st = P.soft_threshold"])
def test_library_soft_threshold_under_any_name_is_noticed(line):
    """A notebook cell that imports the library's soft_threshold under its own name or an
    alias, and a solution that calls it: the check says the exercise rules it out."""
    name = "lib_st" if "lib_st" in line else "soft_threshold"
    namespace = {}
    exec(f"{line}\ndef coordinate_update(rho, curvature, penalty, l1_ratio):\n"  # noqa: S102
         f"    return {name}(rho, penalty * l1_ratio) / (curvature + penalty * (1 - l1_ratio))\n",
         namespace)
    feedback = check_coordinate_update.evaluate(namespace["coordinate_update"])
    assert_wrong(feedback, "rules out")
    assert f"glmlesson.penalized.soft_threshold (imported as {name})" in feedback.message
    assert namespace[name] is soft_threshold


def test_a_library_import_the_answer_does_not_use_is_not_held_against_it():
    namespace = {"np": np}
    exec("from glmlesson.penalized import soft_threshold\n"  # noqa: S102
         "def coordinate_update(rho, curvature, penalty, l1_ratio):\n"
         "    shrunk = np.sign(rho) * np.maximum(np.abs(rho) - penalty * l1_ratio, 0.0)\n"
         "    return shrunk / (curvature + penalty * (1 - l1_ratio))\n", namespace)
    assert check_coordinate_update.evaluate(namespace["coordinate_update"]).passed


@pytest.mark.parametrize("l1_ratio", [1.0, 0.3])
def test_coordinate_update_is_the_one_dimensional_elastic_net(l1_ratio):
    """Oracle: scikit-learn's ElasticNet on one column with xᵀx/n = c, no intercept, solves
    ‖y − xb‖²/(2n) + α(ρ|b| + (1 − ρ)/2·b²), whose minimiser is the update with
    ρ_cd = xᵀy/n."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=50)
    for slope in (-0.9, 0.05, 0.7):
        y = slope * x + 0.3 * rng.normal(size=50)
        model = ElasticNet(alpha=0.2, l1_ratio=l1_ratio, fit_intercept=False, tol=1e-14)
        model.fit(x[:, None], y)
        ours = coordinate_update(np.array([x @ y / 50]), np.array([x @ x / 50]), 0.2, l1_ratio)
        assert model.coef_[0] == pytest.approx(ours[0], abs=1e-10)


# -- 12.2 λ_max ---------------------------------------------------------------------------


def lambda_max(X, y, l1_ratio):
    return np.max(np.abs(X[:, 1:].T @ (y - y.mean()))) / (len(y) * l1_ratio)


def lambda_max_by_loop(X, y, l1_ratio):
    """Column by column, the score written with the residuals of the intercept-only fit."""
    residual = y - np.mean(y)
    return max(abs(float(np.dot(X[:, j], residual))) for j in range(1, X.shape[1])) / (
        l1_ratio * X.shape[0])


def test_lambda_max_right_answers_pass():
    assert check_lambda_max.evaluate(lambda_max).passed
    assert check_lambda_max.evaluate(lambda_max_by_loop).passed


@pytest.mark.parametrize("index", [0, 1])
def test_lambda_max_brackets_the_first_slope_in_glum(index):
    """Oracle: glum's elastic net (the same objective) keeps every slope at 0 just above
    λ_max and lets one leave 0 just below it."""
    X, y, l1_ratio, _ = _lambda_max_cases()[index]
    family = "binomial" if index == 0 else "poisson"
    largest = lambda_max(X, y, l1_ratio)

    def slopes(penalty):
        model = GeneralizedLinearRegressor(family=family, alpha=penalty, l1_ratio=l1_ratio,
                                           fit_intercept=True, gradient_tol=1e-12)
        return model.fit(np.ascontiguousarray(X[:, 1:]), y).coef_

    assert np.all(slopes(largest * 1.001) == 0.0)
    assert np.any(slopes(largest * 0.98) != 0.0)


# -- 12.3 cross-validated deviance ----------------------------------------------------------


def cv_deviance(X, y, penalties, folds):
    bernoulli, total = Bernoulli(), np.zeros(len(penalties))
    for k in np.unique(folds):
        train, test = folds != k, folds == k
        for i, penalty in enumerate(penalties):
            result = fit(X[train], y[train], "bernoulli", penalty=penalty, l1_ratio=1.0)
            total[i] += bernoulli.deviance(y[test], result.predict(X[test]))
    return total / len(y)


def cv_deviance_by_glum(X, y, penalties, folds):
    """The same cross-validation with glum's lasso and the deviance written out."""
    total = np.zeros(len(penalties))
    for k in np.unique(folds):
        train, test = folds != k, folds == k
        for i, penalty in enumerate(penalties):
            model = GeneralizedLinearRegressor(family="binomial", alpha=penalty, l1_ratio=1.0,
                                               gradient_tol=1e-12)
            model.fit(np.ascontiguousarray(X[train, 1:]), y[train])
            mu = model.predict(np.ascontiguousarray(X[test, 1:]))
            total[i] -= 2 * np.sum(y[test] * np.log(mu) + (1 - y[test]) * np.log1p(-mu))
    return total / len(y)


def test_cv_right_answers_pass():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert check_cv_deviance.evaluate(cv_deviance).passed
        assert check_cv_deviance.evaluate(cv_deviance_by_glum).passed


def test_cv_table_of_folds_by_penalties_is_named():
    def table(X, y, penalties, folds):
        return np.ones((np.unique(folds).size, len(penalties)))

    assert_wrong(check_cv_deviance.evaluate(table), "one number per penalty")


def test_cv_ridge_end_matches_scikit_learn():
    """Oracle for the fits inside the loop: scikit-learn's ridge LogisticRegression with
    C = 1/(n_train·λ) gives the held-out deviance of l1_ratio = 0 fits."""
    X, y, penalties, folds = _cv_case()
    train, test = folds != 0, folds == 0
    penalty = penalties[1]
    ours = fit(X[train], y[train], "bernoulli", penalty=penalty, l1_ratio=0.0)
    theirs = LogisticRegression(C=1 / (train.sum() * penalty), tol=1e-12, max_iter=10_000)
    theirs.fit(X[train, 1:], y[train])
    assert np.allclose(ours.predict(X[test]), theirs.predict_proba(X[test, 1:])[:, 1],
                       rtol=1e-6)


# -- 12.4 ridge by augmented data -----------------------------------------------------------


def augment(X, y, penalty):
    n, p = X.shape
    rows = np.sqrt(n * penalty) * np.eye(p)[1:]
    return np.vstack([X, rows]), np.concatenate([y, np.zeros(p - 1)])


def augment_with_intercept_row_of_zeros(X, y, penalty):
    """A zero row for the intercept too (it changes nothing) and a list for y."""
    n, p = X.shape
    rows = np.diag(np.r_[0.0, np.full(p - 1, np.sqrt(n * penalty))])
    return np.vstack([X, rows]), list(y) + [0.0] * p


def augment_with_rotated_rows(X, y, penalty):
    """Any rows R with RᵀR = nλ·S are right: here a rotation of √(nλ)·I mixes the slopes."""
    n, p = X.shape
    q = np.linalg.qr(np.random.default_rng(0).normal(size=(p - 1, p - 1)))[0]
    rows = np.column_stack([np.zeros(p - 1), np.sqrt(n * penalty) * q])
    return np.vstack([X, rows]), np.r_[y, np.zeros(p - 1)]


def test_ridge_right_answers_pass():
    assert check_ridge_augmentation.evaluate(augment).passed
    assert check_ridge_augmentation.evaluate(augment_with_intercept_row_of_zeros).passed
    assert check_ridge_augmentation.evaluate(augment_with_rotated_rows).passed


@pytest.mark.parametrize("index", [0, 1])
def test_augmented_least_squares_is_scikit_learn_ridge(index):
    """Oracle: scikit-learn's Ridge minimises ‖y − Xw‖² + α‖w‖² with a free intercept,
    which is n times the lesson's objective when α = nλ."""
    X, y, penalty, _ = _ridge_cases()[index]
    beta = np.linalg.lstsq(*augment(X, y, penalty), rcond=None)[0]
    oracle = Ridge(alpha=len(y) * penalty, tol=1e-12).fit(X[:, 1:], y)
    assert np.allclose(beta, np.r_[oracle.intercept_, oracle.coef_], rtol=1e-9)


def test_returning_the_coefficients_is_named():
    assert_wrong(check_ridge_augmentation.evaluate(
        lambda X, y, penalty: np.linalg.lstsq(*augment(X, y, penalty), rcond=None)[0]),
        "(X_aug, y_aug)")


# -- every check ----------------------------------------------------------------------------

CHECKS = [check_coordinate_update, check_lambda_max, check_cv_deviance, check_ridge_augmentation]


def test_stubs_and_hints():
    for check in CHECKS:
        assert check.evaluate(stub).status == "not attempted"
    assert {"12.1", "12.2", "12.3", "12.4"} <= set(HINTS)


def test_hint_accepts_the_exercise_as_a_number(capsys):
    hint(12.1)
    assert capsys.readouterr().out.startswith("Hint 12.1: Two pieces of the penalty")
    hint(12)
    assert 'give the exercise as a string, e.g. hint("12.1")' in capsys.readouterr().out


def test_catalogues_are_not_empty():
    for check in CHECKS:
        assert len(check.mistakes) >= 5


REFERENCES = [(check_coordinate_update, coordinate_update), (check_lambda_max, lambda_max),
              (check_cv_deviance, cv_deviance), (check_ridge_augmentation, augment)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))
