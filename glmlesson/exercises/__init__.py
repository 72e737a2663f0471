"""Checks and hints for the notebooks' exercises.

Every check prints one line of feedback: ✅ correct, ❌ what is wrong (in the
lesson's terms), or ⏳ not attempted yet for an unfinished stub — it never
raises. ``check_x.evaluate(answer)`` returns the :class:`Feedback` instead.
``hint("04.1")`` prints the hint of exercise 1 in lesson 04.

Each lesson's checks live in a module of their own (``lesson04`` …) and are
re-exported here, so a notebook writes ``from glmlesson.exercises import ...``.

Introduced in 00_start_here.
"""

from glmlesson.exercises._core import Feedback
from glmlesson.exercises.hints import hint

__all__ = ["Feedback", "hint"]
