"""Write the grades: ``grades.csv`` (one row per student and exercise) and ``index.html``.

The page is one self-contained file (no scripts, fonts or style sheets from
elsewhere): students down, exercises across, each cell coloured by its status
with the check's message folded in a ``<details>`` (and in the cell's tooltip).
Everything a student wrote (names, messages) is HTML-escaped.

Introduced in 00_start_here (the exercises every lesson grades).
"""

from __future__ import annotations

import csv
import html
from collections import Counter
from pathlib import Path

from glmlesson.exercises.registry import STATUSES

__all__ = ["COLUMNS", "write_csv", "write_html"]

COLUMNS = ("student", "exercise", "status", "message")
_COLOURS = {"correct": "#c8e6c9", "wrong": "#ffcdd2", "not attempted": "#eeeeee",
            "error": "#ffe0b2"}
_SYMBOLS = {"correct": "✓", "wrong": "✗", "not attempted": "–", "error": "!"}


def _exercise_order(key: str):
    lesson, _, number = key.partition(".")
    return (lesson, int(number) if number.isdigit() else 0, key)


def write_csv(graded: list, path: Path) -> Path:
    """``grades.csv`` with the columns student, exercise, status, message."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for result in graded:
            for verdict in result.verdicts:
                writer.writerow([verdict.student, verdict.exercise, verdict.status,
                                 verdict.message])
    return path


def _cell(verdict) -> str:
    if verdict is None:
        return "<td></td>"
    status = verdict.status
    message = html.escape(verdict.message)
    return (f'<td style="background:{_COLOURS.get(status, "#fff")}" title="{message}">'
            f"<details><summary>{_SYMBOLS.get(status, '?')} {html.escape(status)}</summary>"
            f"<p>{message}</p></details></td>")


def write_html(graded: list, path: Path, title: str, protection: str) -> Path:
    """``index.html``: the students × exercises table, coloured by status."""
    keys = sorted({v.exercise for result in graded for v in result.verdicts},
                  key=_exercise_order)
    counts = {key: Counter() for key in keys}
    for result in graded:
        for verdict in result.verdicts:
            counts[verdict.exercise][verdict.status] += 1
    header = "".join(f"<th>{html.escape(key or '—')}</th>" for key in keys)
    rows = []
    for result in graded:
        by_key = {v.exercise: v for v in result.verdicts}
        correct = sum(v.status == "correct" for v in result.verdicts)
        notes = "".join(f"<li>{html.escape(note)}</li>" for note in result.notes)
        notes = f"<details><summary>{len(result.notes)} notes</summary><ul>{notes}</ul>" \
                "</details>" if result.notes else ""
        rows.append(f"<tr><th>{html.escape(result.student)}<br><small>"
                    f"{html.escape(result.source)}</small></th>"
                    + "".join(_cell(by_key.get(key)) for key in keys)
                    + f"<td>{correct}/{len(result.verdicts)}</td><td>{notes}</td></tr>")
    totals = "".join(
        "<td>" + " ".join(f"{_SYMBOLS[s]}&nbsp;{counts[key][s]}" for s in STATUSES
                          if counts[key][s]) + "</td>" for key in keys)
    legend = " ".join(f'<span style="background:{_COLOURS[s]};padding:0 .4em">{_SYMBOLS[s]} '
                      f"{s}</span>" for s in STATUSES)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #bbb; padding: .3em .5em; vertical-align: top; text-align: left; }}
td {{ max-width: 22em; }}
summary {{ cursor: pointer; white-space: nowrap; }}
details p {{ margin: .3em 0 0; font-size: 90%; }}
tfoot td {{ font-size: 90%; white-space: nowrap; }}
</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p>{len(graded)} submissions. Click a status to read the check's message. {legend}</p>
<p><small>Protection: {html.escape(protection)}</small></p>
<table>
<thead><tr><th>student</th>{header}<th>correct</th><th>run notes</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
<tfoot><tr><th>totals</th>{totals}<td></td><td></td></tr></tfoot>
</table>
</body></html>
"""
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
