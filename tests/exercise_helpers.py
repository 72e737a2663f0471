"""Helpers shared by the exercise-check tests (tests/test_exercises_lessonNN.py)."""


def stub(*args):
    """An unfinished answer, as the notebooks hand it out."""
    raise NotImplementedError


def assert_wrong(feedback, phrase):
    """The check said "wrong", and its message names the mistake (contains ``phrase``)."""
    assert feedback.status == "wrong", feedback
    assert phrase in feedback.message, feedback.message
