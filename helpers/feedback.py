"""Run an attendee's code safely and describe what happened, for checks and gradient checks.

Everything here turns the attendee's mistakes into data (an :class:`Outcome`) and text, so that a
check can report them instead of raising. Nothing in this module raises because of what the
attendee's function does or returns.
"""

from __future__ import annotations

import copy
import linecache
import os
import traceback
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_HELPERS_DIR = os.path.dirname(os.path.abspath(__file__))

PASS = "✅"
FAIL = "❌"
TODO = "⏳"


@dataclass
class Outcome:
    """What happened when an attendee's function was called.

    Attributes
    ----------
    value : Any
        The return value (after ``prepare``), or None when an exception was raised.
    error : BaseException or None
        The exception raised by the function, if any.
    location : str or None
        ``"line N: <source>"`` of the innermost frame of the attendee's own code.
    warnings : list of str
        Messages of warnings (numpy overflow and friends) emitted during the call.
    """

    value: Any = None
    error: BaseException | None = None
    location: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def not_implemented(self) -> bool:
        """True when the function (or one it calls) is still an unfinished stub."""
        return isinstance(self.error, NotImplementedError)


def call_guarded(
    fn: Callable[..., Any],
    args: Iterable[Any] = (),
    kwargs: dict[str, Any] | None = None,
    prepare: Callable[[Any], Any] | None = None,
) -> Outcome:
    """Call ``fn(*args, **kwargs)``, catching exceptions and recording warnings.

    Parameters
    ----------
    fn : callable
        The attendee's function.
    args, kwargs
        Its arguments; the caller is responsible for passing copies.
    prepare : callable, optional
        Applied to the return value inside the guard, e.g. ``list`` to consume an iterator, so
        exceptions raised while iterating are caught as well.

    Returns
    -------
    Outcome
    """
    outcome = Outcome()
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
    ):
        warnings.simplefilter("always")
        try:
            value = fn(*args, **(kwargs or {}))
            outcome.value = prepare(value) if prepare is not None else value
        except (Exception, SystemExit) as error:  # the attendee's code may raise anything
            outcome.error = error
            outcome.location = attendee_location(error)
    outcome.warnings = unique(f"{w.category.__name__}: {w.message}" for w in caught)
    return outcome


def unique(items: Iterable[str]) -> list[str]:
    """The distinct items, in first-seen order."""
    return list(dict.fromkeys(items))


def attendee_location(error: BaseException) -> str | None:
    """Describe the innermost line of the attendee's own code in ``error``'s traceback.

    Frames from this package, numpy and the standard library are skipped, so the line shown is
    the one the attendee wrote (a notebook cell line number, or a file and line in a script).
    """
    frames = traceback.extract_tb(error.__traceback__)
    mine = [f for f in frames if _is_attendee_file(f.filename)]
    if not mine:
        return None
    frame = mine[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
    where = f"line {frame.lineno}"
    if frame.name and frame.name != "<module>":
        where = f"in {frame.name}, {where}"
    return f"{where}: {line}" if line else where


def _is_attendee_file(filename: str) -> bool:
    path = os.path.abspath(filename)
    if path.startswith(_HELPERS_DIR) and not os.path.basename(path).startswith("test_"):
        return False
    lowered = path.replace("\\", "/")
    return not any(part in lowered for part in ("/site-packages/", "/lib/python3", "/numpy/"))


def describe_error(outcome: Outcome) -> str:
    """One or two lines: the exception type, its message and where it was raised."""
    error = outcome.error
    text = f"{type(error).__name__}: {error}".rstrip(": ")
    if outcome.location:
        text += f"\n    raised {outcome.location}"
    return text


def snapshot(value: Any) -> Any:
    """A deep copy, used both to protect cases and to detect in-place modification."""
    return copy.deepcopy(value)


def modified_arguments(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Names of the array arguments (or lists of arrays) whose contents changed."""
    return [name for name in before if not same_contents(before[name], after[name])]


def same_contents(a: Any, b: Any) -> bool:
    """Structural equality of arrays and lists of arrays (NaN equals NaN); other types: True."""
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.shape == b.shape
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    if isinstance(a, list | tuple):
        return (
            isinstance(b, list | tuple)
            and len(a) == len(b)
            and all(same_contents(x, y) for x, y in zip(a, b, strict=True))
        )
    return True


def short_type(value: Any) -> str:
    """``array (5, 3) float64``, ``float``, ``list of 3``, ``None`` ... for messages."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"array {shape_text(value.shape)} {value.dtype}"
    if isinstance(value, list | tuple):
        return f"{type(value).__name__} of {len(value)}"
    return type(value).__name__


def shape_text(shape: tuple[int, ...]) -> str:
    """``(5,)`` and ``(5, 3)`` as Python prints them, ``()`` for a 0-d array."""
    return str(tuple(int(s) for s in shape))


def format_value(value: Any, max_items: int = 12) -> str:
    """A compact, readable rendering of a value for got/expected lines."""
    try:
        if isinstance(value, np.ndarray):
            if value.size <= max_items:
                text = np.array2string(
                    value, precision=4, suppress_small=True, separator=", ", max_line_width=10**6
                ).replace("\n", "")
                return text if value.ndim <= 1 else f"{text} {shape_text(value.shape)}"
            flat = np.array2string(
                value.ravel()[:6], precision=4, suppress_small=True, separator=", "
            )
            return f"array {shape_text(value.shape)} {value.dtype} starting {flat[:-1]}, ...]"
        if isinstance(value, float | np.floating):
            return f"{float(value):.6g}"
        if isinstance(value, list | tuple) and any(
            isinstance(v, np.ndarray | list | tuple) for v in value
        ):
            # nested containers (a list of weight matrices, of (X, y) batches): one item each
            opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
            shown = [format_value(v, max_items) for v in value[:4]]
            more = f", ... ({len(value)} items)" if len(value) > 4 else ""
            return opening + ", ".join(shown) + more + closing
        if isinstance(value, list | tuple) and len(value) > max_items:
            start = format_value(value[:3])[:-1]
            return f"{type(value).__name__} of {len(value)} starting {start}, ...]"
        text = repr(value)
        return text if len(text) <= 200 else text[:197] + "..."
    except Exception:  # a strange object whose repr fails must not crash the check
        return f"<{type(value).__name__}>"


@dataclass
class Result:
    """The truthy-only-when-passed result of a check; its feedback has been printed already.

    Attributes
    ----------
    name : str
        What was checked (an exercise name or ``"gradient"``).
    passed : bool
        True only when every case passed.
    status : str
        ``"passed"``, ``"failed"``, ``"not implemented"`` or ``"error"`` (a problem in the call).
    message : str
        The feedback text that was printed.
    """

    name: str
    passed: bool
    status: str
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"Result(name={self.name!r}, passed={self.passed}, status={self.status!r})"

    def _ipython_display_(self) -> None:
        # The feedback was printed when the check ran; showing the result object again as a cell's
        # "Out[...]" would only repeat it. `print(result)` or `repr(result)` still work.
        pass

    def __str__(self) -> str:
        return self.message
