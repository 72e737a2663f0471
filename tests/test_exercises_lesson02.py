"""Lesson 02 checks: the reference answers pass, typical wrong answers fail with the
message that names the mistake, and unfinished stubs are "not attempted"."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong, stub

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


@pytest.mark.parametrize(
    "change, phrase",
    [
        ({"theta": lambda p: np.log(p)}, "θ = log p is the log of the success probability"),
        ({"theta": lambda p: np.log(p / (1 - p))}, "Bernoulli's canonical parameter"),
        ({"theta": lambda p: 1 - p}, "you forgot the log"),
        ({"theta": lambda p: -np.log(1 - p)}, "cannot sum to a finite Z(θ)"),
        ({"log_partition": lambda t: np.log(1 - np.exp(t))}, "A(θ) has the wrong sign"),
        ({"log_partition": lambda t: 1 / (1 - np.exp(t))}, "you returned Z(θ) itself"),
        ({"log_partition": lambda t: np.exp(t)}, "do not sum to one"),
        ({"h": lambda y: 1 / np.arange(1, y.size + 1)}, "do not sum to one"),
    ],
)
def test_geometric_form_wrong_answers(change, phrase):
    assert_wrong(check_geometric_form.evaluate(dict(GEOMETRIC, **change)), phrase)


def test_geometric_form_wrong_structure_and_stubs():
    assert_wrong(check_geometric_form.evaluate({"h": GEOMETRIC["h"]}), "four keys")
    assert check_geometric_form.evaluate(None).status == "not attempted"
    stubbed = dict(GEOMETRIC, theta=lambda p: ...)
    feedback = check_geometric_form.evaluate(stubbed)
    assert feedback.status == "not attempted" and "'theta'" in feedback.message
    all_stubs = {key: (lambda value: ...) for key in GEOMETRIC}
    assert check_geometric_form.evaluate(all_stubs).status == "not attempted"
    assert check_geometric_form.evaluate(dict(GEOMETRIC, T=stub)).status == "not attempted"
    assert_wrong(check_geometric_form.evaluate(dict(GEOMETRIC, T=lambda y: 1 / 0)),
                 "ZeroDivisionError")


# -- 02.2 mean and variance from the log-partition ---------------------------------------


def mean_and_variance(log_partition, theta, h=1e-4):
    a_plus, a_minus = log_partition(theta + h), log_partition(theta - h)
    a_zero = log_partition(theta)
    return (a_plus - a_minus) / (2 * h), (a_plus - 2 * a_zero + a_minus) / h**2


def test_mean_and_variance_reference_passes():
    assert check_mean_and_variance.evaluate(mean_and_variance).passed


def test_mean_and_variance_accepts_a_careful_one_sided_difference():
    def one_sided(log_partition, theta, h=1e-5):
        a = [log_partition(theta + k * h) for k in range(3)]
        return (a[1] - a[0]) / h, (a[2] - 2 * a[1] + a[0]) / h**2

    assert check_mean_and_variance.evaluate(one_sided).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda A, t: mean_and_variance(A, t)[::-1], "swapped"),
        (lambda A, t: (A(t), mean_and_variance(A, t)[0]), "your 'mean' is A(θ) itself"),
        (lambda A, t: (-mean_and_variance(A, t)[0], 1.0), "wrong sign"),
        (lambda A, t: (np.exp(t), np.exp(t)), "the Poisson's A'(θ)"),
        (lambda A, t: (1.0, 2.0), "same numbers for every log-partition"),
        (lambda A, t: (mean_and_variance(A, t)[0], np.sqrt(mean_and_variance(A, t)[1])),
         "standard deviation"),
        (lambda A, t: (mean_and_variance(A, t)[0], mean_and_variance(A, t)[1] * 1e-4),
         "dividing the second difference by h (instead of h²)"),
        (lambda A, t: (mean_and_variance(A, t)[0],) * 2, "you differentiated once"),
        (lambda A, t: mean_and_variance(A, t, h=1e-9), "round-off is divided by h²"),
        (lambda A, t: ((A(t + 1e-4) - A(t - 1e-4)) / 1e-4, 1.0), "twice too large"),
    ],
)
def test_mean_and_variance_wrong_answers(answer, phrase):
    assert_wrong(check_mean_and_variance.evaluate(answer), phrase)


def test_mean_and_variance_stub_and_bad_shape():
    assert check_mean_and_variance.evaluate(stub).status == "not attempted"
    assert check_mean_and_variance.evaluate(...).status == "not attempted"
    assert_wrong(check_mean_and_variance.evaluate(lambda A, t: (1.0, 2.0, 3.0)), "two numbers")


# -- 02.3 Ψ of the geometric distribution --------------------------------------------------


def test_geometric_psi_reference_passes():
    assert check_geometric_psi.evaluate(lambda mu: np.log(mu / (1 + mu))).passed


def test_geometric_psi_agrees_with_the_negative_binomial_at_alpha_one():
    from glmlesson import NegativeBinomial

    assert check_geometric_psi.evaluate(NegativeBinomial(1.0).psi).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (np.log, "the Poisson's bridge"),
        (lambda mu: np.log(mu / (1 - mu)), "the Bernoulli's bridge"),
        (lambda mu: np.exp(mu) / (1 - np.exp(mu)), "you computed A'(μ)"),
        (lambda mu: -np.log1p(mu), "the log of the success probability"),
        (lambda mu: mu / (1 + mu), "you forgot the log"),
        (lambda mu: np.log((1 + mu) / mu), "the sign is flipped"),
        (lambda mu: np.log(mu) / 2, "plugging your θ back into A'(θ)"),
        (lambda mu: 0.5, "should have shape (4,)"),
    ],
)
def test_geometric_psi_wrong_answers(answer, phrase):
    assert_wrong(check_geometric_psi.evaluate(answer), phrase)


def test_geometric_psi_stub_and_crash():
    assert check_geometric_psi.evaluate(stub).status == "not attempted"
    assert check_geometric_psi.evaluate(lambda mu: None).status == "not attempted"
    import math

    assert_wrong(check_geometric_psi.evaluate(lambda mu: math.log(mu)), "TypeError")
