"""Compare what an attendee's function returned with what was expected, and say how they differ.

:func:`compare` never raises: whatever ``got`` is (None, a string, a list, an array of the wrong
shape, NaN...), it returns None when ``got`` matches ``expected`` or a :class:`Mismatch` that
explains the difference in words.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from helpers.feedback import format_value, shape_text, short_type


@dataclass(frozen=True)
class Tolerance:
    """Closeness for floating-point results: ``|got - expected| <= atol + rtol * |expected|``."""

    rtol: float = 1e-6
    atol: float = 1e-9


@dataclass
class Mismatch:
    """How a result differs from the expected one.

    Attributes
    ----------
    kind : str
        One of ``"none"`` (no return value), ``"type"``, ``"length"``, ``"shape"``, ``"dtype"``,
        ``"nonfinite"`` or ``"value"``.
    where : str
        Which part of the result, e.g. ``"the result"`` or ``"losses (2nd output)"``.
    message : str
        One sentence for the attendee.
    got, expected : Any
        The differing parts (arrays, numbers), used for generic hints.
    """

    kind: str
    where: str
    message: str
    got: Any = None
    expected: Any = None


def compare(got: Any, expected: Any, tol: Tolerance, where: str = "the result") -> Mismatch | None:
    """Compare ``got`` with ``expected`` (number, bool, int, array, tuple or list of those)."""
    try:
        return _compare(got, expected, tol, where)
    except Exception as error:  # an exotic object must become feedback, not a crash
        return Mismatch("type", where, f"{where} could not be compared ({error!r}).", got, expected)


def _compare(got: Any, expected: Any, tol: Tolerance, where: str) -> Mismatch | None:
    if got is None and expected is not None:
        return Mismatch("none", where, f"{where} is None.", got, expected)
    if isinstance(expected, tuple):
        return _compare_sequence(got, expected, tol, where, kinds=(tuple, list))
    if isinstance(expected, list):
        if all(_is_number(e) for e in expected):
            # a list of numbers (e.g. a loss history): any 1-D sequence of numbers will do
            return _compare_array(
                _as_number_array(got), np.asarray(expected, float), tol, where, original=got
            )
        return _compare_sequence(got, expected, tol, where, kinds=(list, tuple))
    if isinstance(expected, np.ndarray):
        return _compare_array(got, expected, tol, where)
    if isinstance(expected, bool | np.bool_):
        if not isinstance(got, bool | np.bool_):
            return Mismatch(
                "type",
                where,
                f"{where} should be True or False, got {short_type(got)}.",
                got,
                expected,
            )
        return None if bool(got) == bool(expected) else _value(where, got, expected)
    if _is_number(expected):
        return _compare_number(got, expected, tol, where)
    return None if got == expected else _value(where, got, expected)


def _compare_sequence(got, expected, tol, where, kinds) -> Mismatch | None:
    if not isinstance(got, kinds):
        return Mismatch(
            "type",
            where,
            f"{where} should be a {type(expected).__name__} of {len(expected)} items, "
            f"got {short_type(got)}.",
            got,
            expected,
        )
    if len(got) != len(expected):
        return Mismatch(
            "length",
            where,
            f"{where} has {len(got)} items, expected {len(expected)}.",
            got,
            expected,
        )
    for index, (g, e) in enumerate(zip(got, expected, strict=True)):
        mismatch = _compare(g, e, tol, f"item {index} of {where}" if where else f"item {index}")
        if mismatch:
            return mismatch
    return None


def _compare_number(got, expected, tol, where) -> Mismatch | None:
    if isinstance(got, np.ndarray) and got.shape == ():
        got = got[()]
    if not _is_number(got):
        return Mismatch(
            "type",
            where,
            f"{where} should be a single number, got {short_type(got)}.",
            got,
            expected,
        )
    if isinstance(got, complex | np.complexfloating):
        return Mismatch("type", where, f"{where} is a complex number: {got}.", got, expected)
    if not np.isfinite(got) and np.isfinite(expected):
        return Mismatch(
            "nonfinite", where, f"{where} is {got}, expected a finite number.", got, expected
        )
    if abs(float(got) - float(expected)) <= tol.atol + tol.rtol * abs(float(expected)):
        return None
    return _value(where, got, expected)


def _compare_array(got, expected, tol, where, original=None) -> Mismatch | None:
    shown = got if original is None else original
    if not isinstance(got, np.ndarray):
        return Mismatch(
            "type",
            where,
            f"{where} should be a numpy array of shape {shape_text(expected.shape)}, "
            f"got {short_type(shown)}.",
            shown,
            expected,
        )
    if got.shape != expected.shape:
        return Mismatch(
            "shape",
            where,
            f"{where} has shape {shape_text(got.shape)}, expected {shape_text(expected.shape)}.",
            got,
            expected,
        )
    not_numeric = got.dtype.kind not in "biuf"
    needs_floats = expected.dtype.kind == "f" and got.dtype.kind in "biu"
    if not_numeric or (needs_floats and not _integers_ok(expected)):
        return Mismatch(
            "dtype",
            where,
            f"{where} has dtype {got.dtype}, expected {expected.dtype}.",
            got,
            expected,
        )
    if expected.dtype.kind in "f":
        bad = ~np.isfinite(got) & np.isfinite(expected)
        if bad.any():
            index = _index_text(np.argwhere(bad)[0])
            return Mismatch(
                "nonfinite",
                where,
                f"{where} contains {got[tuple(np.argwhere(bad)[0])]} at {index} "
                f"({int(bad.sum())} non-finite value(s)), expected finite numbers.",
                got,
                expected,
            )
    close = np.isclose(got, expected, rtol=tol.rtol, atol=tol.atol, equal_nan=True)
    if close.all():
        return None
    first = tuple(np.argwhere(~close)[0])
    return Mismatch(
        "value",
        where,
        f"{where} differs from the expected values in {int((~close).sum())} of {close.size} "
        f"entries; the first is at {_index_text(first)}: got {format_value(got[first])}, "
        f"expected {format_value(expected[first])}.",
        got,
        expected,
    )


def _integers_ok(expected: np.ndarray) -> bool:
    # Integer arrays are acceptable where every expected value is a whole number (0/1 labels,
    # +1/-1 predictions): the attendee's `np.where(..., 1, -1)` is a correct answer.
    return bool(np.all(np.mod(expected, 1) == 0))


def _value(where, got, expected) -> Mismatch:
    return Mismatch("value", where, f"{where} is not the expected value.", got, expected)


def _index_text(index) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool | np.bool_)


def _as_number_array(value: Any) -> Any:
    """Lists/tuples of plain numbers become a 1-D float array; anything else is left alone."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, list | tuple) and all(
        _is_number(v) or (isinstance(v, np.ndarray) and v.shape == ()) for v in value
    ):
        return np.asarray([float(v) for v in value], dtype=float)
    return value
