"""Where an attendee stands: every exercise of a notebook as passing, failing or not started.

In a notebook, the last cell runs ``show_progress(globals(), "01_linear_regression")``: it checks
each exercise of that notebook quietly on the attendee's own functions and prints one line each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from helpers.catchup import CAUGHT_UP
from helpers.checks.registry import exercises_of
from helpers.feedback import FAIL, PASS, TODO

Standing = Literal["passed", "failing", "not started", "reference"]
SYMBOLS: dict[str, str] = {"passed": PASS, "failing": FAIL, "not started": TODO,
                           "reference": CAUGHT_UP}


@dataclass(frozen=True)
class ExerciseStatus:
    """One exercise's standing: ``name``, whether it is a ``challenge``, its ``status`` and, for
    a failing one, the ``cause`` (which case failed and how)."""

    name: str
    challenge: bool
    status: Standing
    cause: str = ""


def exercise_statuses(namespace: Mapping[str, Any], notebook: str | Path) -> list[ExerciseStatus]:
    """Check every exercise of ``notebook`` quietly on the functions in ``namespace``."""
    statuses = []
    for exercise in exercises_of(notebook):
        fn = namespace.get(exercise.name)
        if fn is None:
            statuses.append(ExerciseStatus(exercise.name, exercise.challenge, "not started"))
            continue
        verdict = exercise.evaluate(fn)
        status: Standing = {"passed": "passed", "not implemented": "not started",
                            "reference": "reference"}.get(verdict.status, "failing")
        statuses.append(ExerciseStatus(exercise.name, exercise.challenge, status,
                                       verdict.cause if status == "failing" else ""))
    return statuses


def progress_report(statuses: list[ExerciseStatus], notebook: str | Path) -> str:
    """The text ``show_progress`` prints."""
    lines = []
    for challenge, title in ((False, "exercises"), (True, "challenges")):
        group = [s for s in statuses if s.challenge == challenge]
        if not group:
            continue
        done = sum(s.status == "passed" for s in group)
        lines.append(f"{Path(notebook).stem}, {title}: {done} of {len(group)} pass.")
        width = max(len(s.name) for s in group)
        for s in group:
            text = {"passed": "passes its check", "failing": f"fails: {s.cause}",
                    "not started": "not started yet",
                    "reference": "the workshop's reference (from a catch-up cell)"}[s.status]
            lines.append(f"  {SYMBOLS[s.status]} {s.name.ljust(width)}  {text}")
    return "\n".join(lines)


def show_progress(namespace: Mapping[str, Any], notebook: str | Path) -> list[ExerciseStatus]:
    """Print where you stand in ``notebook`` (e.g. ``"01_linear_regression"``): one line per
    exercise, checked on your own functions (``globals()`` in a notebook)."""
    statuses = exercise_statuses(namespace, notebook)
    print(progress_report(statuses, notebook))
    return statuses
