"""Lesson 10 checks: the reference answers pass, typical wrong answers fail with the
message that names the mistake, and unfinished stubs are "not attempted"."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong, stub

from glmlesson.exercises import (
    check_categorical_loglik,
    check_one_hot,
    check_reference_coefficients,
    check_softmax,
)
from glmlesson.exercises.hints import HINTS

# -- 10.1 softmax ------------------------------------------------------------------------


def my_softmax(eta):
    z = np.exp(eta - eta.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def test_softmax_reference_passes():
    assert check_softmax.evaluate(my_softmax).passed


def stable_on_axis0(eta):
    z = np.exp(eta - eta.max(axis=0, keepdims=True))
    return z / z.sum(axis=0, keepdims=True)


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda eta: np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True), "overflows"),
        (lambda eta: np.exp(eta - eta.max()) / np.exp(eta - eta.max()).sum(axis=1,
                                                                           keepdims=True),
         "maximum of the whole array"),
        (stable_on_axis0, "wrong axis"),
        (lambda eta: np.exp(eta) / np.exp(eta).sum(), "whole array"),
        (lambda eta: np.exp(eta), "did not normalise"),
        (lambda eta: my_softmax(eta)[:, :-1], "input's shape"),
        (lambda eta: my_softmax(2 * eta), "each row summing to 1"),
    ],
)
def test_softmax_wrong_answers(answer, phrase):
    assert_wrong(check_softmax.evaluate(answer), phrase)


def test_softmax_stub():
    assert check_softmax.evaluate(stub).status == "not attempted"


# -- 10.2 one-hot T(y) --------------------------------------------------------------------


def one_hot(labels, k):
    T = np.zeros((len(labels), k))
    T[np.arange(len(labels)), labels] = 1.0
    return T


def test_one_hot_reference_passes():
    assert check_one_hot.evaluate(one_hot).passed
    assert check_one_hot.evaluate(lambda labels, k: np.eye(k)[labels]).passed


def shifted_left(labels, k):
    T = np.zeros((len(labels), k))
    T[np.arange(len(labels)), labels - 1] = 1.0
    return T


def shifted_right(labels, k):
    T = np.zeros((len(labels), k))
    T[np.arange(len(labels)), (labels + 1) % k] = 1.0
    return T


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda labels, k: one_hot(labels, k).T, "transposed"),
        (lambda labels, k: one_hot(labels, k)[:, :-1], "dropped a column"),
        (lambda labels, k: one_hot(labels, labels.max() + 1), "largest label"),
        (shifted_left, "too far left"),
        (shifted_right, "too far right"),
        (lambda labels, k: labels, "single 1"),
    ],
)
def test_one_hot_wrong_answers(answer, phrase):
    assert_wrong(check_one_hot.evaluate(answer), phrase)


def test_one_hot_stub():
    assert check_one_hot.evaluate(stub).status == "not attempted"


# -- 10.3 categorical log-likelihood --------------------------------------------------------


def categorical_loglik(y, probs):
    return np.sum(np.log(probs[np.arange(len(y)), y]))


def test_loglik_reference_passes():
    assert check_categorical_loglik.evaluate(categorical_loglik).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda y, p: categorical_loglik(y, p) / len(y), "averaged"),
        (lambda y, p: np.sum(np.log(p)), "EVERY class"),
        (lambda y, p: np.sum(p[np.arange(len(y)), y]), "summed probabilities"),
        (lambda y, p: -categorical_loglik(y, p), "sign is flipped"),
        (lambda y, p: categorical_loglik((y + 1) % p.shape[1], p), "NEXT class"),
        (lambda y, p: np.sum(np.log(p[:, y])), "n × n"),
        (lambda y, p: np.log(p[np.arange(len(y)), y]), "one number"),
        (lambda y, p: categorical_loglik(y, p) + 1.0, "your function gives"),
    ],
)
def test_loglik_wrong_answers(answer, phrase):
    assert_wrong(check_categorical_loglik.evaluate(answer), phrase)


def test_loglik_stub():
    assert check_categorical_loglik.evaluate(stub).status == "not attempted"


# -- 10.4 converting coefficients to a reference class ----------------------------------------


def to_reference(B_full, reference):
    differences = B_full - B_full[:, [reference]]
    return np.delete(differences, reference, axis=1)


def test_reference_reference_passes():
    assert check_reference_coefficients.evaluate(to_reference).passed


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda B, r: B - B[:, [r]], "drop the reference class's column"),
        (lambda B, r: to_reference(B, r).T, "transposed"),
        (lambda B, r: -to_reference(B, r), "sign is flipped"),
        (lambda B, r: np.delete(B - B.mean(axis=1, keepdims=True), r, axis=1), "centred"),
        (lambda B, r: np.delete(B, r, axis=1), "only dropped"),
        (lambda B, r: np.delete(B - B[:, [-1]], r, axis=1), "LAST class"),
        (lambda B, r: (B - B[:, [r]])[:, :-1], "dropped the last column"),
        (lambda B, r: 2 * to_reference(B, r), "first row should be"),
    ],
)
def test_reference_wrong_answers(answer, phrase):
    assert_wrong(check_reference_coefficients.evaluate(answer), phrase)


def test_reference_stub_and_hints():
    assert check_reference_coefficients.evaluate(stub).status == "not attempted"
    assert {"10.1", "10.2", "10.3", "10.4"} <= set(HINTS)
