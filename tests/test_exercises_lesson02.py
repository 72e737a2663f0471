"""Lesson 02 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong, forgot_return, lesson_tests, stub

from glmlesson.exercises import check_geometric_form, check_geometric_psi, check_mean_and_variance
from glmlesson.exercises.hints import HINTS


def test_hints_registered():
    assert {"02.1", "02.2", "02.3"} <= set(HINTS)


# -- 02.1 the geometric distribution in exponential-family form ------------------------

GEOMETRIC = {
    "h": lambda y: np.ones_like(y),
    "T": lambda y: y,
    "theta": lambda p: np.log(1 - p),
    "log_partition": lambda theta: -np.log(1 - np.exp(theta)),
}


def test_geometric_form_reference_passes():
    assert check_geometric_form.evaluate(GEOMETRIC).passed


def test_geometric_form_accepts_h_as_a_number_and_an_equivalent_split():
    assert check_geometric_form.evaluate(dict(GEOMETRIC, h=lambda y: 1)).passed
    mirrored = {
        "h": lambda y: 1.0,
        "T": lambda y: -y,
        "theta": lambda p: -np.log(1 - p),
        "log_partition": lambda theta: -np.log(1 - np.exp(-theta)),
    }
    assert check_geometric_form.evaluate(mirrored).passed


def test_geometric_form_wrong_structure_and_stubs():
    assert_wrong(check_geometric_form.evaluate({"h": GEOMETRIC["h"]}), "four keys")
    assert check_geometric_form.evaluate(None).status == "not attempted"
    all_stubs = {key: (lambda value: ...) for key in GEOMETRIC}  # the notebook's stub
    assert check_geometric_form.evaluate(all_stubs).status == "not attempted"
    # once the student has filled in some pieces, one left as the stub is a mistake
    assert_wrong(check_geometric_form.evaluate(dict(GEOMETRIC, theta=lambda p: ...)),
                 "'theta' is still the stub")
    assert_wrong(check_geometric_form.evaluate(dict(GEOMETRIC, T=stub)), "'T' is still the stub")
    assert_wrong(check_geometric_form.evaluate(dict(GEOMETRIC, T=lambda y: 1 / 0)),
                 "ZeroDivisionError")
    forgot = dict(GEOMETRIC, log_partition=forgot_return(GEOMETRIC["log_partition"]))
    assert_wrong(check_geometric_form.evaluate(forgot), "returned None in 'log_partition'")


def test_a_log_partition_reading_a_global_p_is_named():
    namespace = {"np": np, "p": 0.3}
    exec("def log_partition(theta):\n    return -np.log(p)", namespace)  # as in a notebook
    feedback = check_geometric_form.evaluate(dict(GEOMETRIC,
                                                  log_partition=namespace["log_partition"]))
    assert_wrong(feedback, "does not depend on θ (it reads the global p)")


# -- 02.2 mean and variance from the log-partition ---------------------------------------


def mean_and_variance(log_partition, theta, h=1e-4):
    a_plus, a_minus = log_partition(theta + h), log_partition(theta - h)
    a_zero = log_partition(theta)
    return (a_plus - a_minus) / (2 * h), (a_plus - 2 * a_zero + a_minus) / h**2


def test_mean_and_variance_reference_passes():
    assert check_mean_and_variance.evaluate(mean_and_variance).passed


@pytest.mark.parametrize("h", [1e-4, 1e-3])
def test_one_sided_differences_are_named(h):
    def one_sided(log_partition, theta):
        a = [log_partition(theta + k * h) for k in range(3)]
        return (a[1] - a[0]) / h, (a[2] - 2 * a[1] + a[0]) / h**2

    assert_wrong(check_mean_and_variance.evaluate(one_sided), "one-sided difference with step")


def test_mean_and_variance_bad_shape():
    assert_wrong(check_mean_and_variance.evaluate(lambda A, t: (1.0, 2.0, 3.0)), "two numbers")


@pytest.mark.parametrize("h", [1e-5, 1e-4, 1e-3])
def test_central_differences_with_a_sensible_step_pass(h):
    assert check_mean_and_variance.evaluate(lambda A, t: mean_and_variance(A, t, h)).passed


@pytest.mark.parametrize("h", [0.01, 0.05, 0.3])
def test_too_large_a_step_is_named_with_its_size(h):
    feedback = check_mean_and_variance.evaluate(lambda A, t: mean_and_variance(A, t, h))
    assert_wrong(feedback, f"central difference with step h ≈ {h:.2g}")


# -- 02.3 Ψ of the geometric distribution --------------------------------------------------


def test_geometric_psi_reference_passes():
    assert check_geometric_psi.evaluate(lambda mu: np.log(mu / (1 + mu))).passed


def test_geometric_psi_agrees_with_the_negative_binomial_at_alpha_one():
    from glmlesson import NegativeBinomial

    assert check_geometric_psi.evaluate(NegativeBinomial(1.0).psi).passed


def test_geometric_psi_crash():
    import math

    assert_wrong(check_geometric_psi.evaluate(lambda mu: math.log(mu)), "TypeError")


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
CHECKS = [check_geometric_form, check_mean_and_variance, check_geometric_psi]
REFERENCES = [
    (check_mean_and_variance, mean_and_variance),
    (check_geometric_psi, lambda mu: np.log(mu / (1 + mu))),
]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))
