"""Every exercise's checker, found by reading the topic modules of :mod:`helpers.checks`.

A topic module is named after its notebook without the number (``linear_regression`` for
``01_linear_regression.ipynb``) and declares its checks with ``make_check``. Nothing lists the
exercises by hand: a new ``check_<name> = make_check(...)`` in a topic module is found here,
exported by :mod:`helpers.checks`, and covered by the contract test.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers.checks.engine import Exercise

_PACKAGE = "helpers.checks"


@functools.cache
def all_checks() -> dict[str, Callable[[Any], Any]]:
    """``{"check_add_bias": check_add_bias, ...}`` for every exercise, in notebook order."""
    checks: dict[str, Callable[[Any], Any]] = {}
    for module in _topic_modules():
        for attribute, value in vars(module).items():
            exercise = getattr(value, "exercise", None)
            declared_here = getattr(value, "__module__", None) == module.__name__
            if attribute.startswith("check_") and isinstance(exercise, Exercise) and declared_here:
                if attribute in checks:
                    raise RuntimeError(f"{attribute} is declared twice in {_PACKAGE}")
                checks[attribute] = value
    return checks


def all_exercises() -> dict[str, Exercise]:
    """``{"add_bias": Exercise(...), ...}`` for every exercise."""
    return {check.exercise.name: check.exercise for check in all_checks().values()}


def topic_of(notebook: str | Path) -> str:
    """``"linear_regression"`` for ``"01_linear_regression"`` or a path to that notebook."""
    return re.sub(r"^\d+_", "", Path(notebook).stem)


def exercises_of(notebook: str | Path) -> list[Exercise]:
    """The exercises of one notebook (core ones first, then challenges), in declaration order."""
    topic = topic_of(notebook)
    exercises = [
        check.exercise
        for check in all_checks().values()
        if check.__module__ == f"{_PACKAGE}.{topic}"
    ]
    return sorted(exercises, key=lambda exercise: exercise.challenge)


def _topic_modules() -> list[Any]:
    package = importlib.import_module(_PACKAGE)
    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__))
    return [importlib.import_module(f"{_PACKAGE}.{name}") for name in names]
