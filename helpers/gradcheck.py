"""Numerical gradient checking, in the style of CS231n's ``gradient_check.py``.

Rule of thumb for :func:`relative_error` between an analytic and a numerical gradient, in float64
with central differences and ``eps = 1e-6``:

* ``> 1e-2``: the gradient is almost certainly wrong;
* ``1e-2`` to ``1e-4``: suspicious, unless the function has kinks (ReLU, abs);
* ``1e-4`` to ``1e-7``: fine for kinked functions, too large for smooth ones;
* ``< 1e-7``: correct.

:func:`check_gradient` uses ``1e-7`` as its default threshold, and also accepts coordinates whose
absolute error is below ``atol`` (a true gradient of 0 is estimated as about ``1e-10``, which
would otherwise be a large *relative* error).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.feedback import FAIL, PASS, TODO, Result, call_guarded, describe_error, shape_text


def numerical_gradient(
    f: Callable[[np.ndarray], float], w: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """Central-difference estimate of the gradient of a scalar function.

    Parameters
    ----------
    f : callable
        ``f(w) -> float``.
    w : ndarray, any shape
        Where to evaluate the gradient. It is perturbed one entry at a time and restored, so it is
        left exactly as it was (also if ``f`` raises).
    eps : float
        Step of the central difference ``(f(w + eps e_i) - f(w - eps e_i)) / (2 eps)``.

    Returns
    -------
    ndarray, same shape as ``w``, float64
    """
    w = np.asarray(w)
    if not np.issubdtype(w.dtype, np.floating):
        raise TypeError(f"numerical_gradient needs a float array, got dtype {w.dtype}")
    grad = np.zeros(w.shape, dtype=np.float64)
    flat_grad = grad.reshape(-1)
    # Perturb through a flat view so any shape works; restore each entry in `finally`.
    flat = w.reshape(-1) if w.flags.c_contiguous else None
    target = w if flat is None else flat
    for i in range(w.size):
        index = np.unravel_index(i, w.shape) if flat is None else i
        original = target[index]
        try:
            target[index] = original + eps
            f_plus = float(f(w))
            target[index] = original - eps
            f_minus = float(f(w))
        finally:
            target[index] = original
        flat_grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a: Any, b: Any) -> float:
    """Largest elementwise relative error ``|a - b| / max(|a| + |b|, 1e-8)``.

    Parameters
    ----------
    a, b : array_like, same shape

    Returns
    -------
    float
        0.0 for identical arrays; about 1 when they are unrelated; ``inf``/``nan`` propagate.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error needs equal shapes, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))


def check_gradient(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], np.ndarray],
    w: np.ndarray,
    eps: float = 1e-6,
    threshold: float = 1e-7,
    atol: float = 1e-9,
    n_worst: int = 3,
    name: str = "gradient",
) -> Result:
    """Compare an analytic gradient with the numerical one, print a verdict, return the result.

    Parameters
    ----------
    f : callable
        ``f(w) -> float``, the function whose gradient is checked.
    grad : callable
        ``grad(w) -> ndarray`` shaped like ``w``: the analytic gradient under test.
    w : ndarray, any shape
        The point where both are compared; not modified.
    eps : float
        Central-difference step.
    threshold : float
        Largest acceptable relative error per coordinate (see the module's rule of thumb).
    atol : float
        Coordinates whose absolute error is at most ``atol`` pass whatever their relative error.
    n_worst : int
        How many of the worst coordinates to print.
    name : str
        What is checked, for the printed message.

    Returns
    -------
    Result
        Truthy only when every coordinate passes. Never raises because of ``f`` or ``grad``.
    """
    w = np.array(w, dtype=np.float64)  # our own copy: the caller's array is never touched
    analytic = call_guarded(grad, (w.copy(),))
    numeric = call_guarded(lambda v: numerical_gradient(f, v, eps), (w.copy(),))
    for outcome, what in ((analytic, "your gradient function"), (numeric, "the loss function")):
        if outcome.not_implemented:
            return _report(
                name,
                "not implemented",
                f"{TODO} {name}: not implemented yet ({what} raises "
                f"NotImplementedError). Finish the exercise above first.",
            )
        if outcome.error is not None:
            return _report(
                name, "failed", f"{FAIL} {name}: {what} raised {describe_error(outcome)}"
            )
    got = analytic.value
    if got is None:
        return _report(
            name,
            "failed",
            f"{FAIL} {name}: your gradient function returned None: did you forget `return`?",
        )
    got = np.asarray(got, dtype=np.float64) if _numeric(got) else None
    if got is None or got.shape != w.shape:
        shown = "something that is not an array" if got is None else shape_text(got.shape)
        return _report(
            name,
            "failed",
            f"{FAIL} {name}: the gradient has shape {shown}, "
            f"expected {shape_text(w.shape)} (the shape of w).",
        )
    expected = numeric.value
    if not np.all(np.isfinite(expected)):
        return _report(name, "failed", f"{FAIL} {name}: the loss is not finite (NaN or inf) at or "
                       f"next to w, so its gradient cannot be checked there. Make the loss stable "
                       f"first (e.g. np.logaddexp instead of log(sigmoid(...))).")
    abs_err = np.abs(got - expected)
    rel_err = abs_err / np.maximum(np.abs(got) + np.abs(expected), 1e-8)
    bad = (rel_err > threshold) & (abs_err > atol) | ~np.isfinite(got)
    worst = np.argsort(-np.nan_to_num(rel_err, nan=np.inf).ravel())[:n_worst]
    lines = [f"    {'index':<12}{'analytic':>14}{'numerical':>14}{'rel. error':>12}"]
    for flat in worst:
        index = np.unravel_index(flat, w.shape)
        lines.append(
            f"    {str(list(map(int, index))):<12}{got[index]:>14.6g}"
            f"{expected[index]:>14.6g}{rel_err[index]:>12.2e}"
        )
    max_rel = relative_error(got, expected)
    if not bad.any():
        return _report(
            name,
            "passed",
            f"{PASS} {name}: analytic and numerical gradients agree "
            f"(max relative error {max_rel:.1e}, threshold {threshold:.0e}).",
        )
    header = (
        f"{FAIL} {name}: analytic and numerical gradients differ in {int(bad.sum())} of "
        f"{w.size} coordinates (max relative error {max_rel:.1e}, threshold "
        f"{threshold:.0e}). Worst coordinates:"
    )
    return _report(name, "failed", "\n".join([header, *lines, _diagnose(got, expected)]))


def _numeric(value: Any) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except Exception:
        return False


def _diagnose(got: np.ndarray, expected: np.ndarray) -> str:
    mask = np.abs(expected) > 1e-9
    if mask.any() and np.allclose(got, -expected, rtol=1e-5, atol=1e-9):
        return "    hint: the sign is flipped."
    if mask.any():
        ratio = float(np.median(got[mask] / expected[mask]))
        if abs(ratio - 1) > 1e-3 and np.allclose(got, ratio * expected, rtol=1e-5, atol=1e-9):
            return f"    hint: off by a constant factor of {ratio:.4g} (missing 2, or 1/n?)."
    return "    hint: check each term of the derivation against the loss as written."


def _report(name: str, status: str, message: str) -> Result:
    print(message)
    return Result(name, status == "passed", status, message)
