"""Helpers shared by the exercise-check tests (tests/test_exercises_lessonNN.py).

Every lesson's test file runs the same four kinds of test on each of its checks:
the catalogue of typical wrong answers kept next to the check (``check.mistakes``),
right answers written in more than one way, a forgotten ``return`` and an untouched stub.
"""

import pytest


def stub(*args):
    """An unfinished answer, as the notebooks hand it out."""
    raise NotImplementedError


def stub_with_docstring(*args):
    """Return the answer (a stub with a docstring and a message, still untouched)."""
    # your code here
    raise NotImplementedError("write your answer here")


def forgot_return(reference):
    """An edited answer that does all the work of ``reference`` but forgets ``return``."""

    def answer(*args):
        result = reference(*args)  # noqa: F841 -- the forgotten return is the point

    return answer


def assert_wrong(feedback, phrase):
    """The check said "wrong", and its message names the mistake (contains ``phrase``)."""
    assert feedback.status == "wrong", feedback
    assert phrase in feedback.message, feedback.message


def catalogue(*checks):
    """One pytest parameter (check, mistake) per catalogued wrong answer of ``checks``."""
    return [
        pytest.param(check, mistake, id=f"{check.__name__}: {mistake.what}")
        for check in checks
        for mistake in check.mistakes
    ]


def assert_rejected(check, mistake):
    """A catalogued wrong answer is judged wrong, with the message that names it."""
    assert_wrong(check.evaluate(mistake.answer, *mistake.check_args), mistake.says)


def assert_forgotten_return_named(check, reference, *check_args):
    """An answer that computes everything but returns None is wrong, and the message says
    what came back and on which case."""
    feedback = check.evaluate(forgot_return(reference), *check_args)
    assert_wrong(feedback, "returned None")
    assert "return" in feedback.message.split("returned None", 1)[1]


def assert_stub_not_attempted(check, *check_args):
    """Untouched stubs (with or without a docstring) and placeholders are "not attempted"."""
    for answer in (stub, stub_with_docstring, None, ...):
        assert check.evaluate(answer, *check_args).status == "not attempted", answer


def lesson_tests(checks, references):
    """The two tests every lesson's test file runs, for its module to bind to test_ names:
    each catalogued mistake of ``checks`` is rejected with its own message; for each
    (check, reference answer, *check arguments) of ``references`` a forgotten return is
    named and the untouched stub is "not attempted"."""

    @pytest.mark.parametrize("check, mistake", catalogue(*checks))
    def test_catalogued_mistake_is_rejected(check, mistake):
        assert_rejected(check, mistake)

    @pytest.mark.parametrize("case", references)
    def test_forgotten_return_is_named_and_stub_not_attempted(case):
        check, reference, *check_args = case
        assert_forgotten_return_named(check, reference, *check_args)
        assert_stub_not_attempted(check, *check_args)

    return (test_catalogued_mistake_is_rejected,
            test_forgotten_return_is_named_and_stub_not_attempted)
