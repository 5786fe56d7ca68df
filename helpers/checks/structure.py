"""Diagnoses of results made of several arrays: one gradient or weight matrix per layer, pairs.

A network's gradient is a list with one array per layer. When it is wrong, "item 0 has shape
(4, 1), expected (3, 3)" says little; what helps is the structure: the list is reversed, a layer
is missing, one layer is transposed, or the shapes are right and only layer 2 is off, by a sign, a
constant factor or its bias row. :func:`structure_hint` says which, from got vs expected alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from helpers.feedback import format_value, shape_text


def structure_hint(got: Any, expected: Any, outputs: Sequence[str] | None = None) -> str | None:
    """A hint about how ``got`` is arranged differently from ``expected``, or None.

    Parameters
    ----------
    got : Any
        What the attendee's function returned.
    expected : Any
        The expected value: a list of arrays, or a tuple (named by ``outputs``) whose items may
        be lists of arrays.
    outputs : sequence of str, optional
        Names of a tuple result's items, e.g. ``("weights", "losses")``.
    """
    try:
        if outputs and isinstance(expected, tuple):
            return _tuple_hint(got, expected, outputs)
        return _list_hint(got, expected)
    except Exception:  # a diagnosis is a bonus: an odd result must not break the feedback
        return None


def _tuple_hint(got: Any, expected: tuple, outputs: Sequence[str]) -> str | None:
    if not isinstance(got, tuple | list) or len(got) != len(expected):
        return None
    if len(expected) == 2 and _same_layout(got[0], expected[1]) and _same_layout(
        got[1], expected[0]
    ) and not _same_layout(got[0], expected[0]):
        return f"the two outputs are swapped: return `({outputs[0]}, {outputs[1]})` in that order."
    for name, g, e in zip(outputs, got, expected, strict=True):
        hint = _list_hint(g, e)
        if hint:
            return f"in `{name}`: {hint}"
    return None


def _list_hint(got: Any, expected: Any) -> str | None:
    if not _is_array_list(expected) or not isinstance(got, list | tuple):
        return None
    n = len(expected)
    if not _is_array_list(got):
        return None if got else (
            f"the list is empty: it needs one array per layer ({n}). Does your loop run at all "
            f"(check its range)?"
        )
    shapes = [np.shape(g) for g in got]
    wanted = [np.shape(e) for e in expected]
    if len(got) != n:
        return _count_hint(shapes, wanted)
    if n > 1 and shapes == wanted[::-1] and shapes != wanted:
        return (
            "the items are in reverse order: item 0 belongs to the first layer (weights[0]). "
            "Backpropagation meets the layers from the last one back, so reverse the list (or "
            "insert each item at the front) before returning it."
        )
    misshaped = [i for i in range(n) if shapes[i] != wanted[i]]
    if len(misshaped) == 1:
        i = misshaped[0]
        if len(shapes[i]) == 2 and shapes[i] == wanted[i][::-1]:
            return (
                f"item {i} has shape {shape_text(shapes[i])}, expected "
                f"{shape_text(wanted[i])}: it is transposed (the other items have the right "
                f"shape). Check the order of the matrix product for that layer."
            )
    if misshaped:
        return None
    return _layer_values_hint(got, expected)


def _count_hint(shapes: list[tuple], wanted: list[tuple]) -> str:
    got, n = len(shapes), len(wanted)
    text = f"the list has {got} item{'s' if got != 1 else ''}, expected {n} (one per layer)"
    if got == n - 1 and shapes == wanted[1:]:
        return text + ": the FIRST layer's item is missing. Does the loop stop one layer early?"
    if got == n - 1 and shapes == wanted[:-1]:
        return text + ": the LAST layer's item is missing. Is the output layer handled?"
    if got == n + 1 and shapes[1:] == wanted:
        return text + ": there is one item too many at the start. Is a layer visited twice?"
    if got == n + 1 and shapes[:-1] == wanted:
        return text + ": there is one item too many at the end. Is the range one too long?"
    return text + ": is the layer loop's range off by one?"


def _layer_values_hint(got: Sequence[Any], expected: Sequence[np.ndarray]) -> str | None:
    verdicts = [_relation(np.asarray(g, dtype=float), e) for g, e in zip(got, expected,
                                                                          strict=True)]
    if all(v == "right" for v in verdicts) or all(v == "wrong" for v in verdicts):
        return None  # nothing structural to say
    parts = [f"item {i} is {v}" for i, v in enumerate(verdicts)]
    return "layer by layer, " + "; ".join(parts) + "."


def _relation(got: np.ndarray, expected: np.ndarray) -> str:
    close = _close(got, expected)
    if close:
        return "right"
    if np.any(np.abs(expected) > 1e-12) and _close(got, -expected):
        return "right up to its sign (flipped)"
    if got.ndim == 2 and got.shape[0] > 1:
        if _close(got[:-1], expected[:-1]):
            return "right except its last row (the bias row)"
        if _close(got[-1], expected[-1]):
            return "wrong except its last row (the bias row is right)"
    mask = np.abs(expected) > 1e-12
    if mask.sum() > 1:
        ratio = float(np.median(got[mask] / expected[mask]))
        if _close(got, ratio * expected):
            return f"{format_value(ratio)} times the expected one"
    return "wrong"


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and bool(
        np.allclose(a, b, rtol=1e-6, atol=1e-9)
    )


def _is_array_list(value: Any) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(v, np.ndarray) and v.ndim >= 1 for v in value)
    )


def _same_layout(got: Any, expected: Any) -> bool:
    """Same kind of container with the same shapes (values not compared)."""
    if isinstance(expected, np.ndarray):
        return isinstance(got, np.ndarray) and got.shape == expected.shape
    if isinstance(expected, list | tuple):
        return (
            isinstance(got, list | tuple | np.ndarray)
            and len(got) == len(expected)
            and all(_same_layout(np.asarray(g) if not isinstance(g, list | tuple) else g, e)
                    if isinstance(e, np.ndarray | list | tuple) else np.ndim(g) == 0
                    for g, e in zip(got, expected, strict=True))
        )
    return np.ndim(got) == 0
