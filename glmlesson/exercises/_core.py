"""The machinery every exercise check shares.

A check is written as a function that returns a :class:`Feedback`; the
:func:`exercise` decorator turns it into what a notebook calls: it prints the
feedback (never raises on an unfinished stub) and returns None, so the cell
shows one clear line. Tests call ``check.evaluate(answer)`` to get the
Feedback itself.

Introduced in 00_start_here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Feedback",
    "correct",
    "wrong",
    "not_attempted",
    "exercise",
    "call_student",
    "StudentError",
    "is_stub",
]

_SYMBOLS = {"correct": "✅ Correct", "wrong": "❌ Not yet", "not attempted": "⏳ Not attempted yet"}


@dataclass(frozen=True)
class Feedback:
    """The verdict of a check: ``status`` is "correct", "wrong" or "not attempted"."""

    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        return f"{_SYMBOLS[self.status]}: {self.message}"


def correct(message: str) -> Feedback:
    """Feedback for a right answer."""
    return Feedback("correct", message)


def wrong(message: str) -> Feedback:
    """Feedback for a wrong answer: the message says what is wrong, in the lesson's terms."""
    return Feedback("wrong", message)


_STUB_ADVICE = "replace the ... (or the NotImplementedError) with your answer, then run the cell"


def not_attempted(what: str = _STUB_ADVICE) -> Feedback:
    """Feedback for a stub the student has not filled in yet."""
    return Feedback("not attempted", what)


class StudentError(Exception):
    """Raised inside a check when the student's code raised; carries the Feedback."""

    def __init__(self, feedback: Feedback):
        super().__init__(feedback.message)
        self.feedback = feedback


def is_stub(answer) -> bool:
    """True for the placeholders the notebooks use: None, ``...`` or an empty container."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, (list, tuple, dict, str)) and len(answer) == 0:
        return True
    return False


def call_student(function, *args, **kwargs):
    """Call the student's function; an unfinished stub or a crash becomes Feedback.

    Raises StudentError (caught by :func:`exercise`) instead of letting the
    traceback reach the notebook. Numpy floating-point warnings are silenced
    so a wrong answer shows one message, not a wall of RuntimeWarnings.
    """
    try:
        with np.errstate(all="ignore"):
            result = function(*args, **kwargs)
    except NotImplementedError:
        raise StudentError(not_attempted()) from None
    except Exception as error:  # the student's code: report, do not crash the check
        raise StudentError(
            wrong(f"your code raised {type(error).__name__}: {error}")
        ) from None
    if result is Ellipsis or result is None:
        raise StudentError(not_attempted("your function returns nothing yet"))
    return result


def exercise(check):
    """Decorator: ``check(answer, ...) -> Feedback`` becomes a notebook-facing function
    that prints the feedback and returns None; ``.evaluate`` returns the Feedback."""

    @functools.wraps(check)
    def evaluate(*args, **kwargs) -> Feedback:
        if args and is_stub(args[0]):
            return not_attempted()
        try:
            return check(*args, **kwargs)
        except StudentError as error:
            return error.feedback

    @functools.wraps(check)
    def notebook_check(*args, **kwargs) -> None:
        print(evaluate(*args, **kwargs))

    notebook_check.evaluate = evaluate
    return notebook_check


def close(actual, expected, rtol=1e-6, atol=1e-9, equal_nan=False) -> bool:
    """True when two arrays (or numbers) agree elementwise, shapes included
    (with ``equal_nan``, NaN agrees with NaN)."""
    try:
        actual = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return actual.shape == expected.shape and bool(
        np.allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan)
    )


def first_match(value, candidates, rtol=1e-6, atol=1e-9, equal_nan=True):
    """The message of the first (candidate, message) pair that ``value`` equals, or None.

    Used to recognise a typical wrong answer (a sign flipped, a factor missing) and
    name it in the student's terms. NaN matches NaN, so a mistake that lands outside
    a function's domain (g applied to η, say) is recognised too.
    """
    for candidate, message in candidates:
        with np.errstate(all="ignore"):
            if close(value, candidate, rtol=rtol, atol=atol, equal_nan=equal_nan):
                return message
    return None


def number(value, what) -> float:
    """``value`` as a float; StudentError (caught by :func:`exercise`) if it is not one number."""
    try:
        return float(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise StudentError(
            wrong(f"{what} should be one number, got {type(value).__name__} {value!r}")
        ) from None


def as_number(value, what):
    """(float, None) for something that is one number, else (None, wrong(...))."""
    try:
        return number(value, what), None
    except StudentError as error:
        return None, error.feedback


def quiet_fit(*args, **kwargs):
    """``glmlesson.fit`` for a reference answer, with its warnings kept from the student."""
    import warnings

    from glmlesson.fitting import fit

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(*args, **kwargs)
