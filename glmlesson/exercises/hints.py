"""Hints for the exercises, keyed "LL.N" (lesson LL, exercise N).

The notebooks also show each hint in a folded <details> block; ``hint`` is for
students who prefer to ask from code.

Introduced in 00_start_here.
"""

HINTS: dict[str, str] = {}


def register(key: str, text: str) -> None:
    """Add the hint of exercise ``key`` (e.g. "04.1"); lesson modules call this at import."""
    HINTS[key] = text


def hint(key: str) -> None:
    """Print the hint of exercise ``key``, e.g. ``hint("04.1")``."""
    text = HINTS.get(key)
    if text is None:
        known = ", ".join(sorted(HINTS)) or "none yet"
        print(f"No hint called {key!r}; the exercises with hints are: {known}")
    else:
        print(f"Hint {key}: {text}")
