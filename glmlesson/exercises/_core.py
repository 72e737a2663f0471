"""The machinery every exercise check shares.

A check is written as a function that returns a :class:`Feedback`; the
:func:`exercise` decorator turns it into what a notebook calls: it prints the
feedback (never raises on an unfinished stub) and returns None, so the cell
shows one clear line. Tests call ``check.evaluate(answer)`` to get the
Feedback itself.

One convention reads a student's answer: :func:`call_student` runs their
function, :func:`as_number` and :func:`as_array` read what came back, and each
raises :class:`StudentError` (which :func:`exercise` turns into its Feedback)
instead of letting a traceback reach the notebook. Only an untouched stub (a
body that is nothing but ``raise NotImplementedError``, ``...`` or ``pass``) is
"not attempted"; an edited function that returns None is a mistake, and the
message says what came back and on which case.

Every check keeps, next to it, a catalogue of typical wrong answers
(``check.mistakes``, a tuple of :class:`Mistake`): what the student did, an answer
that does it, and words the check's message must contain. The tests run every
entry; an instructor guide can be generated from them.

Introduced in 00_start_here.
"""

from __future__ import annotations

import contextlib
import contextvars
import dis
import functools
import html
import inspect
import math
import sys
import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Feedback",
    "Mistake",
    "StudentError",
    "correct",
    "wrong",
    "not_attempted",
    "exercise",
    "is_stub",
    "is_untouched",
    "call_student",
    "as_number",
    "as_numbers",
    "as_array",
    "describe",
    "side_by_side",
    "close",
    "first_match",
    "tripwires",
    "quiet_fit",
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


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer to an exercise, kept next to its check.

    Attributes:
        what: the mistake in an instructor's words ("divides χ² by n − 1").
        answer: an answer that makes it, written as a student would.
        says: words the check's message contains when it is given ``answer``.
        check_args: further arguments the check is called with (e.g. a link name).
    """

    what: str
    answer: object
    says: str
    check_args: tuple = field(default=())


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
    """Raised inside a check when the answer cannot be judged further; carries the Feedback."""

    def __init__(self, feedback: Feedback):
        super().__init__(feedback.message)
        self.feedback = feedback


def is_stub(answer) -> bool:
    """True for the placeholders the notebooks use: None, ``...``, an empty container, or a
    function whose body is still the stub (:func:`is_untouched`)."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, (list, tuple, dict, str)) and len(answer) == 0:
        return True
    return is_untouched(answer)


# Instructions a stub's body compiles to: load NotImplementedError (maybe call it with a
# message) and raise it, or return None / ... . Anything else means the student wrote code.
_STUB_OPS = {"RESUME", "NOP", "CACHE", "PUSH_NULL", "PRECALL", "CALL", "KW_NAMES", "POP_TOP",
             "LOAD_GLOBAL", "LOAD_CONST", "RAISE_VARARGS", "RETURN_VALUE", "RETURN_CONST"}


def is_untouched(function) -> bool:
    """True when ``function``'s body is still a stub: only ``raise NotImplementedError``,
    ``...``, ``pass`` or ``return None`` (a docstring and comments do not count)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    previous = None
    for instruction in dis.get_instructions(code):
        name, value = instruction.opname, instruction.argval
        if name not in _STUB_OPS:
            return False
        if name == "LOAD_GLOBAL" and value != "NotImplementedError":
            return False
        if name == "LOAD_CONST" and not (value is None or value is Ellipsis
                                         or isinstance(value, str)):  # a message for the error
            return False
        returned = previous.argval if name == "RETURN_VALUE" and previous else value
        if name in ("RETURN_VALUE", "RETURN_CONST") and not (returned is None
                                                             or returned is Ellipsis):
            return False
        previous = instruction if name == "LOAD_CONST" else None
    return True


def _parameter_names(function):
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    return [p.name for p in parameters
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _arguments_text(names, args) -> str:
    parts = []
    for name, value in zip(names, args, strict=False):
        if isinstance(value, np.ndarray) and value.ndim > 0:
            parts.append(f"{name} of shape {value.shape}")
        elif isinstance(value, (int, float, np.number, str)):
            parts.append(f"{name} = {value!r}")
        else:
            parts.append(f"{name} (a {type(value).__name__})")
    return ", ".join(parts)


def _order_problem(function, names):
    """A message when the student's parameters are the expected ones in another order."""
    if not names:
        return None
    theirs = _parameter_names(function)
    if theirs is None or len(theirs) < len(names):
        return None
    theirs = theirs[: len(names)]
    if sorted(theirs) == sorted(names) and theirs != list(names):
        return (f"your function takes its arguments as ({', '.join(theirs)}), but the check "
                f"passes them as ({', '.join(names)}), like the stub: put the parameters in "
                "that order")
    return None


# Parameter-order problems call_student noticed during one evaluation: they explain a wrong
# answer, but a function whose parameters are only named in another order may still be right.
_ORDER_NOTES: contextvars.ContextVar[list | None] = contextvars.ContextVar("order_notes",
                                                                           default=None)


def _explain_error(error, function, args, names, case) -> str:
    text = str(error)
    where = f" {case}" if case else ""
    shapes = (isinstance(error, ValueError)
              and any(key in text for key in ("matmul", "not aligned", "broadcast", "shapes")))
    if shapes:
        message = (f"numpy could not combine two arrays in your code{where}: their shapes do not "
                   f"fit ({text}).")
        if names:
            message += (f" The check passed ({', '.join(names)}) with "
                        f"{_arguments_text(names, args)}.")
        if names and "X" in names and "beta" in names:
            return message + (" X is n × p and beta has p entries, so the linear predictor "
                              "is X @ beta (not beta @ X)")
        return message + " Check which axis you sum or index over"
    return f"your code raised {type(error).__name__}{where}: {text}"


def call_student(function, *args, case: str | None = None, names=None, forbidden=(),
                 instead: str = "", **kwargs):
    """Call the student's function and return what it returns.

    ``case`` says in words which case is being tried ("for the cloglog link"), ``names``
    the parameter names the notebook's stub uses, in order. ``forbidden`` lists shortcuts
    the task rules out, as :func:`tripwires` targets, and ``instead`` says what to do
    instead. Raises StudentError with: not attempted for an untouched stub; wrong for an
    edited function that raises, that returns None or ``...`` (a forgotten ``return``), or
    that took a forbidden shortcut (even when its answer is right). Parameters named as
    the stub's but in another order are remembered: :func:`exercise` names them if the
    answer turns out wrong. Numpy's floating-point warnings are silenced so a wrong answer
    shows one message, not a wall of RuntimeWarnings.
    """
    where = f" {case}" if case else ""
    if not callable(function):
        raise StudentError(wrong(f"the answer should be a function, got {describe(function)}"))
    untouched = is_untouched(function)
    problem = _order_problem(function, names)
    notes = _ORDER_NOTES.get()
    if problem and notes is not None and problem not in notes:
        notes.append(problem)
    try:
        with np.errstate(all="ignore"), tripwires(*forbidden, reachable_from=function) as used:
            result = function(*args, **kwargs)
    except NotImplementedError:
        if untouched:
            raise StudentError(not_attempted()) from None
        raise StudentError(wrong(
            f"your function still raises NotImplementedError{where}: remove the stub's "
            "`raise NotImplementedError` line, or finish the branch that reaches it")) from None
    except Exception as error:  # the student's code: report, do not crash the check
        raise StudentError(wrong(problem or _explain_error(error, function, args, names,
                                                           case))) from None
    if used:
        raise StudentError(wrong(f"you used {used[0]}, which this exercise rules out: "
                                 f"{instead}"))
    if result is None or result is Ellipsis:
        if untouched:
            raise StudentError(not_attempted())
        shown = "None" if result is None else "..."
        raise StudentError(wrong(
            f"your function returned {shown}{where}: it computes something but does not "
            "return it. Add a `return` with the answer (changing an array in place, or "
            "printing it, does not hand it back)"))
    return result


def describe(value) -> str:
    """A short description of any answer, never a full array: "an array of shape (80,)
    with values from 0.12 to 4.5", "a tuple of 3 items", "the number 2.5"."""
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(map(str, value))}"
    try:
        array = np.asarray(value, dtype=float)
    except Exception:  # any object a student's code returns
        return f"a {type(value).__name__}"
    if array.ndim == 0:
        return f"the number {float(array):.6g}"
    finite = array[np.isfinite(array)]
    text = f"an array of shape {array.shape}"
    if array.size <= 4:
        return text + f" ({np.round(array, 4).tolist()})"
    if finite.size:
        text += f" with values from {finite.min():.4g} to {finite.max():.4g}"
    return text


def as_number(value, what: str, case: str | None = None) -> float:
    """``value`` as one float; StudentError naming ``what`` when it is not one number."""
    where = f" {case}" if case else ""
    try:
        array = np.asarray(value, dtype=float)
    except Exception:  # any object a student's code returns
        array = None
    if array is None or array.size != 1:
        raise StudentError(wrong(f"{what} should be one number, but your function returned "
                                 f"{describe(value)}{where}"))
    return float(array.reshape(()))


_COUNTS = {2: "two", 3: "three", 4: "four"}


def as_numbers(value, names, case: str | None = None) -> tuple[float, ...]:
    """``value`` as len(names) floats, e.g. (intercept, slope); StudentError otherwise."""
    where = f" {case}" if case else ""
    try:
        items = None if isinstance(value, (str, dict)) else tuple(value)
    except Exception:  # any object a student's code returns
        items = None
    if items is None or len(items) != len(names):
        count = _COUNTS.get(len(names), str(len(names)))
        raise StudentError(wrong(f"return {count} numbers, ({', '.join(names)}); your function "
                                 f"returned {describe(value)}{where}"))
    return tuple(as_number(item, name, case) for item, name in zip(items, names, strict=True))


def as_array(value, what: str, shape=None, case: str | None = None,
             meaning: str = "") -> np.ndarray:
    """``value`` as a float array (of ``shape`` if given); StudentError otherwise.
    ``meaning`` says what the shape stands for ("one mean per row of X")."""
    where = f" {case}" if case else ""
    try:
        array = np.asarray(value, dtype=float)
    except Exception:  # any object a student's code returns
        raise StudentError(wrong(f"{what} should be an array of numbers, but your function "
                                 f"returned {describe(value)}{where}")) from None
    if shape is not None and array.shape != tuple(shape):
        because = f" ({meaning})" if meaning else ""
        raise StudentError(wrong(f"{what} should have shape {tuple(shape)}{because}, but your "
                                 f"function returned {describe(value)}{where}"))
    return array


def _digits(expected, actual) -> int:
    """Significant digits enough to see where two numbers differ (at least 4)."""
    with np.errstate(all="ignore"):
        gap = np.abs(np.asarray(actual, float) - np.asarray(expected, float))
        relative = gap / np.maximum(np.abs(np.asarray(expected, float)), 1e-300)
    relative = relative[np.isfinite(relative)]
    if relative.size == 0 or relative.max() >= 1e-3 or relative.max() == 0:
        return 4
    relative = float(relative.max())
    return min(15, 2 + math.ceil(-math.log10(relative)))


def side_by_side(expected, actual) -> tuple[str, str]:
    """Both numbers (or short arrays) with enough digits to see the difference; arrays are
    cut to their first six entries."""
    digits = _digits(expected, actual)

    def text(value):
        array = np.asarray(value, dtype=float)
        if array.ndim == 0:
            return f"{float(array):.{digits}g}"
        shown = ", ".join(f"{v:.{digits}g}" for v in array.ravel()[:6])
        return f"[{shown}{', …' if array.size > 6 else ''}]"

    return text(expected), text(actual)


def exercise(check):
    """Decorator: ``check(answer, ...) -> Feedback`` becomes a notebook-facing function
    that prints the feedback and returns None; ``.evaluate`` returns the Feedback and
    ``.mistakes`` holds the catalogue of typical wrong answers (set by the lesson)."""

    @functools.wraps(check)
    def evaluate(*args, **kwargs) -> Feedback:
        if args and is_stub(args[0]):
            return not_attempted()
        notes = []
        token = _ORDER_NOTES.set(notes)
        try:
            with np.errstate(all="ignore"):  # the check's own arithmetic on odd answers
                feedback = check(*args, **kwargs)
        except StudentError as error:
            feedback = error.feedback
        finally:
            _ORDER_NOTES.reset(token)
        if feedback.status == "wrong" and notes:  # the likeliest cause of a wrong answer
            return wrong(notes[0])
        return feedback

    @functools.wraps(check)
    def notebook_check(*args, folded=False, **kwargs) -> None:
        feedback = evaluate(*args, **kwargs)
        if folded:  # a solution cell: the verdict stays folded even after Run All
            _display(FoldedFeedback(str(feedback)))
        else:
            print(feedback)

    notebook_check.evaluate = evaluate
    notebook_check.mistakes = ()
    return notebook_check


class FoldedFeedback:
    """A check's verdict shown folded: in JupyterLab and Notebook 7 a closed
    ``<details>`` block (so a solution's answer is not on screen after Run All, when
    Jupyter shows every executed cell's output again), as plain text elsewhere (what
    nbval compares)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return ("<details><summary>The solution's check (click to show)</summary>"
                f"<pre>{html.escape(self.text)}</pre></details>")


def _display(value) -> None:
    try:
        from IPython.display import display
    except ImportError:  # outside Jupyter: plain text
        print(value)
        return
    display(value)


def close(actual, expected, rtol=1e-6, atol=1e-9, equal_nan=False) -> bool:
    """True when two arrays (or numbers) agree elementwise, shapes included
    (with ``equal_nan``, NaN agrees with NaN)."""
    try:
        actual = np.asarray(actual, dtype=float)
    except Exception:  # any object a student's code returns
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


def _by_the_student(frame) -> bool:
    """False when the library itself made the call (``result.summary()`` reads
    ``result.aic``); the exercises' own catalogue of answers counts as a student."""
    module = frame.f_globals.get("__name__", "")
    return not module.startswith("glmlesson.") or module.startswith("glmlesson.exercises")


def _wire(original, label, used):
    if isinstance(original, property):
        def read(self):
            if _by_the_student(sys._getframe(1)):
                used.append(label)
            return original.fget(self)

        return property(read)

    @functools.wraps(original)
    def wired(*args, **kwargs):
        if _by_the_student(sys._getframe(1)):
            used.append(label)
        return original(*args, **kwargs)

    return wired


def _holders(function):
    """Where a student's function can find an object without naming its module: the
    namespace its code runs in (``__globals__``: a notebook's namespace, where
    ``from numpy import polyfit`` or ``import … as`` put names) and its closure cells."""
    namespace = getattr(function, "__globals__", None)
    cells = getattr(function, "__closure__", None) or ()
    return (namespace if isinstance(namespace, dict) else {}), cells


def _wire_names(function, forbidden, used):
    """Replace, in ``function``'s namespace and closure, every name bound to a forbidden
    object (by identity: ``from m import f`` or ``f as g`` made another name for it) by a
    wire that records "label (imported as name)"; returns what :func:`tripwires` restores."""
    namespace, cells = _holders(function)
    saved = []
    for name, value in list(namespace.items()):
        for original, label in forbidden:
            if value is original:
                namespace[name] = _wire(original, f"{label} (imported as {name})", used)
                saved.append((namespace, name, original))
    free = getattr(getattr(function, "__code__", None), "co_freevars", ())
    for name, cell in zip(free, cells, strict=False):
        with contextlib.suppress(ValueError):  # an empty cell
            for original, label in forbidden:
                if cell.cell_contents is original:
                    cell.cell_contents = _wire(original, f"{label} (as {name})", used)
                    saved.append((cell, None, original))
    return saved


@contextlib.contextmanager
def tripwires(*targets, reachable_from=None):
    """Notice shortcuts a task forbids, while the student's code runs.

    ``targets`` are (owner, attribute, label): a module, class or object and the name of
    a function or property on it. Inside the ``with`` block each is replaced by a wrapper
    that records ``label`` in the yielded list and then does what the original does (so
    the student's code runs on, and the check can say which shortcut it took). Calls the
    rest of glmlesson makes (``result.summary()`` reading ``result.aic``) are not recorded.
    With ``reachable_from`` (the student's function), names in its namespace and closure
    bound to a forbidden function itself (``from numpy import polyfit``,
    ``import … as``) are wired too, and the function itself, if it is one, is recorded.
    """
    used: list[str] = []
    saved = []
    forbidden = []
    for owner, attribute, label in targets:
        own = attribute in vars(owner)
        original = inspect.getattr_static(owner, attribute)
        if not isinstance(original, property):
            forbidden.append((getattr(owner, attribute), label))
        if isinstance(owner, type):
            setattr(owner, attribute, _wire(original, label, used))
        else:
            object.__setattr__(owner, attribute, _wire(getattr(owner, attribute), label, used))
        saved.append((owner, attribute, own, original))
    names = []
    if reachable_from is not None:
        used.extend(label for original, label in forbidden if reachable_from is original)
        names = _wire_names(reachable_from, forbidden, used)
    try:
        yield used
    finally:
        for holder, name, original in reversed(names):
            if name is None:
                holder.cell_contents = original
            else:
                holder[name] = original
        for owner, attribute, own, original in reversed(saved):
            if not own:
                delattr(owner, attribute)
            elif isinstance(owner, type):
                setattr(owner, attribute, original)
            else:
                object.__setattr__(owner, attribute, original)


def quiet_fit(*args, **kwargs):
    """``glmlesson.fit`` for a reference answer, with its warnings kept from the student."""
    from glmlesson.fitting import fit

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(*args, **kwargs)
