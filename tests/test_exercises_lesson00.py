"""Lesson 00 check: the reference answer passes, typical wrong answers fail with the
message that names the mistake, and an unfinished stub is "not attempted"."""

import numpy as np
import pytest
from exercise_helpers import assert_wrong

from glmlesson.exercises import check_line, hint
from glmlesson.exercises.hints import HINTS


def stub(beta, x):
    raise NotImplementedError


def test_stub_is_not_attempted():
    assert check_line.evaluate(stub).status == "not attempted"
    assert check_line.evaluate(...).status == "not attempted"
    assert check_line.evaluate(lambda beta, x: None).status == "not attempted"


def test_hint_is_registered_and_printed(capsys):
    assert "00.1" in HINTS
    hint("00.1")
    assert capsys.readouterr().out.startswith("Hint 00.1: beta[0] is the intercept")


def test_reference_passes():
    assert check_line.evaluate(lambda beta, x: beta[0] + beta[1] * x).passed
    assert check_line.evaluate(lambda beta, x: np.column_stack([np.ones_like(x), x]) @ beta).passed


def test_notebook_call_prints_one_line(capsys):
    check_line(lambda beta, x: beta[0] + beta[1] * x)
    assert capsys.readouterr().out.startswith("✅ Correct")


@pytest.mark.parametrize(
    "answer, phrase",
    [
        (lambda b, x: b[1] + b[0] * x, "swapped"),
        (lambda b, x: b[1] * x, "intercept is missing"),
        (lambda b, x: b[0] * x, "multiplied x by beta[0]"),
        (lambda b, x: b[0] - b[1] * x, "wrong sign"),
        (lambda b, x: b[0] + b[1] * x[0], "one mean per x"),
        (lambda b, x: np.sum(b[0] + b[1] * x), "one mean per x"),
        (lambda b, x: b[0] + b[1] * x + 0.1, "your function gives"),
        (lambda b, x: ["a"] * len(x), "your function gives"),
        (lambda b, x: b[2], "IndexError"),
    ],
)
def test_wrong_answers(answer, phrase):
    assert_wrong(check_line.evaluate(answer), phrase)
