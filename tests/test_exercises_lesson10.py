"""Lesson 10 checks: right answers pass, every catalogued wrong answer fails with its own
message, a forgotten return is named, and unfinished stubs are "not attempted"."""

import numpy as np
from exercise_helpers import lesson_tests, stub

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




def test_one_hot_stub():
    assert check_one_hot.evaluate(stub).status == "not attempted"


# -- 10.3 categorical log-likelihood --------------------------------------------------------


def categorical_loglik(y, probs):
    return np.sum(np.log(probs[np.arange(len(y)), y]))


def test_loglik_reference_passes():
    assert check_categorical_loglik.evaluate(categorical_loglik).passed




def test_loglik_stub():
    assert check_categorical_loglik.evaluate(stub).status == "not attempted"


# -- 10.4 converting coefficients to a reference class ----------------------------------------


def to_reference(B_full, reference):
    differences = B_full - B_full[:, [reference]]
    return np.delete(differences, reference, axis=1)


def test_reference_reference_passes():
    assert check_reference_coefficients.evaluate(to_reference).passed




def test_reference_stub_and_hints():
    assert check_reference_coefficients.evaluate(stub).status == "not attempted"
    assert {"10.1", "10.2", "10.3", "10.4"} <= set(HINTS)


# -- every check: its catalogue of wrong answers, a forgotten return, the stub -------------
CHECKS = [check_softmax, check_one_hot, check_categorical_loglik, check_reference_coefficients]
REFERENCES = [(check_softmax, my_softmax), (check_one_hot, one_hot),
    (check_categorical_loglik, categorical_loglik),
    (check_reference_coefficients, to_reference)]
test_catalogued_mistake_is_rejected, test_forgotten_return_is_named_and_stub_not_attempted = (
    lesson_tests(CHECKS, REFERENCES))


def test_differently_written_right_answers_pass():
    def softmax_by_logsumexp(eta):
        from scipy.special import logsumexp

        return np.exp(eta - logsumexp(eta, axis=1, keepdims=True))

    def loglik_through_one_hot(y, probs):
        return float(np.sum(np.eye(probs.shape[1])[y] * np.log(probs)))

    def reference_by_columns(B_full, reference):
        columns = [B_full[:, j] - B_full[:, reference] for j in range(B_full.shape[1])
                   if j != reference]
        return np.column_stack(columns)

    assert check_softmax.evaluate(softmax_by_logsumexp).passed
    assert check_categorical_loglik.evaluate(loglik_through_one_hot).passed
    assert check_reference_coefficients.evaluate(reference_by_columns).passed
