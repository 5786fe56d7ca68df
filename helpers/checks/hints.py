"""Generic hints: recognise common shapes of mistakes from got vs expected alone.

These apply to every exercise; an exercise's own mistake catalogue (see
:class:`helpers.checks.engine.Mistake`) is consulted first because it is more specific.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.checks.compare import Mismatch
from helpers.feedback import format_value, shape_text


def generic_hint(mismatch: Mismatch, n_samples: int | None) -> str | None:
    """A hint for ``mismatch`` based only on how ``got`` relates to ``expected``, or None."""
    try:
        if mismatch.kind == "none":
            return "did you forget the `return` statement at the end of your function?"
        if mismatch.kind == "shape":
            return _shape_hint(mismatch.got.shape, mismatch.expected.shape, n_samples)
        if mismatch.kind == "dtype":
            return "convert with `.astype(float)` (numpy arrays in this workshop are float64)."
        if mismatch.kind == "nonfinite":
            return (
                "NaN or inf usually comes from exp overflowing, log(0), or 0/0: look for the "
                "numerically stable form of the formula."
            )
        if mismatch.kind == "value":
            return value_hint(mismatch.got, mismatch.expected, n_samples)
    except Exception:  # a hint is a bonus: never let it break the feedback
        return None
    return None


def _shape_hint(got: tuple, expected: tuple, n: int | None) -> str | None:
    if len(got) == 2 and len(expected) == 1 and got == (expected[0], expected[0]):
        return (
            "an (n, n) result usually comes from broadcasting an (n, 1) column against an "
            "(n,) vector: make both 1-D (e.g. `.ravel()`) before subtracting."
        )
    if len(got) == 2 and len(expected) == 1 and got == (expected[0], 1):
        return "you return a column of shape (n, 1); return a 1-D array of shape (n,) (`.ravel()`)."
    if len(got) == 1 and len(expected) == 2 and expected == (got[0], 1):
        return "you return shape (n,); this one should be a column (n, 1): use `.reshape(-1, 1)`."
    if len(got) == len(expected) == 2 and got == expected[::-1]:
        return "the shape is transposed: check the order of your matrix product or use `.T`."
    if got == () and expected != ():
        return f"you return a single number; one value per entry {shape_text(expected)} is needed."
    if expected == () and got != ():
        return "reduce to a single number (e.g. `np.mean(...)`) instead of returning an array."
    if len(got) == len(expected) and all(
        g == e + 1 or g == e for g, e in zip(got, expected, strict=True)
    ):
        return "one column/row too many: is a bias column added twice, or a range off by one?"
    if len(got) == len(expected) and all(
        g == e - 1 or g == e for g, e in zip(got, expected, strict=True)
    ):
        return "one column/row missing: did you forget the bias column, or is a range off by one?"
    return None


def value_hint(got: Any, expected: Any, n: int | None, rtol: float = 1e-6,
               atol: float = 1e-12) -> str | None:
    """How ``got`` relates to ``expected`` when it is off by a sign or a constant factor (a
    factor n names the usual sum-instead-of-mean), or None. Also used by gradient checks, with
    the looser tolerance of numerical gradients."""
    g = np.asarray(got, dtype=float)
    e = np.asarray(expected, dtype=float)
    if g.shape != e.shape or not np.all(np.isfinite(g)):
        return None
    if np.allclose(g, -e, rtol=rtol, atol=atol) and np.any(np.abs(e) > 1e-12):
        return ("your result has the opposite sign: check the sign of each term "
                "(e.g. `y - p` vs `p - y`).")
    mask = np.abs(e) > 1e-12
    if not mask.any():
        return None
    if np.all(g == 0):
        return ("your result is all zeros: is a term missing, or is an array created with "
                "np.zeros but never filled in?")
    ratios = g[mask] / e[mask]
    ratio = float(np.median(ratios))
    if np.allclose(g, ratio * e, rtol=rtol, atol=atol) and abs(ratio - 1) > 1e-6:
        return _factor_hint(ratio, n, single=int(mask.sum()) == 1)
    return None


def _factor_hint(ratio: float, n: int | None, single: bool) -> str | None:
    text = f"your result is {format_value(ratio)} times the expected one"
    if n and np.isclose(ratio, n):
        return text + f" (n = {n} samples): did you sum instead of taking the mean (divide by n)?"
    if n and np.isclose(ratio, 1 / n):
        return text + f" (1/n with n = {n}): did you divide by n twice, or take a mean too early?"
    if np.isclose(ratio, 2) or np.isclose(ratio, 0.5):
        return text + ": a factor 2 is missing or extra (is it in the formula as written?)."
    # any single number is a multiple of another: only a whole-array ratio says something
    return None if single else text + ": a constant factor is off somewhere."
