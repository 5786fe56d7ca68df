"""Catch up after falling behind: bind a section's exercises to the workshop's reference.

A notebook's catch-up cell (collapsed, after each core section) runs, for example::

    catch_up(globals(), "add_bias", "predict")

Each of your functions that passes its check is kept. One that is missing, unfinished or failing
is replaced by the workshop's reference, with a printed line saying so, so that the cells below
work and you can go on with the next section. A later check on a function that calls the
reference says so instead of passing silently. Running your exercise cell again brings yours back.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Literal

from helpers.checks.registry import all_exercises
from helpers.feedback import PASS

CAUGHT_UP = "↪"

Choice = Literal["yours", "reference"]


def catch_up(namespace: MutableMapping[str, Any], *names: str) -> None:
    """Keep each of your functions that passes its check; bind the others to the reference.

    Prints one line per name and returns nothing (so a notebook cell shows only those lines);
    :func:`bind_or_keep` does the work and returns the choices.

    Parameters
    ----------
    namespace : mutable mapping
        Where your functions live: ``globals()`` in a notebook.
    *names : str
        Exercise names, e.g. ``"add_bias", "predict"``.
    """
    bind_or_keep(namespace, *names)


def bind_or_keep(namespace: MutableMapping[str, Any], *names: str) -> dict[str, Choice]:
    """What :func:`catch_up` does: check, keep or bind each name, print a line for each.

    Parameters
    ----------
    namespace : mutable mapping
        Where your functions live: ``globals()`` in a notebook.
    *names : str
        Exercise names, e.g. ``"add_bias", "predict"``.

    Returns
    -------
    dict of str to {"yours", "reference"}
        Which one each name now refers to. One line per name is printed.
    """
    exercises = all_exercises()
    unknown = [name for name in names if name not in exercises]
    if unknown:
        raise ValueError(f"catch_up: no exercise named {', '.join(map(repr, unknown))}; the "
                         f"exercises are {', '.join(sorted(exercises))}")
    chosen: dict[str, Choice] = {}
    for name in names:
        exercise, yours = exercises[name], namespace.get(name)
        if yours is exercise.reference:
            print(f"{CAUGHT_UP} {name}: already the workshop's reference.")
            chosen[name] = "reference"
            continue
        why = "yours is not defined yet" if yours is None else None
        if why is None:
            verdict = exercise.evaluate(yours)
            if verdict.status == "passed":
                print(f"{PASS} {name}: yours passes its check, kept.")
                chosen[name] = "yours"
                continue
            why = ("yours is not implemented yet" if verdict.status == "not implemented"
                   else f"yours fails its check ({verdict.cause.rstrip('.')})")
        namespace[name] = exercise.reference
        chosen[name] = "reference"
        print(f"{CAUGHT_UP} {name}: {why}; the workshop's reference is used from here on (run "
              f"your exercise cell again to use yours).")
    return chosen
