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

Computing and reporting are separate: :func:`compare_gradients` returns a
:class:`GradientComparison` (both gradients, the relative errors, the worst coordinates, the
verdict), :func:`format_comparison` turns one into the feedback text, and :func:`check_gradient`
composes the two behind a guard, so that nothing an attendee's function does makes it raise.

``w`` may be one array, or a list of arrays (a network's weight matrices, with ``grad`` returning
one gradient per matrix): the comparison is then made per block, and the feedback says which
block (which layer) is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from helpers.checks.hints import value_hint
from helpers.feedback import (
    FAIL,
    PASS,
    TODO,
    Result,
    call_guarded,
    describe_error,
    shape_text,
    short_type,
)

#: Where a gradient is checked, and the gradient itself: one array, or one array per block.
Point = np.ndarray | list[np.ndarray]


def numerical_gradient(f: Callable[[Point], float], w: Point, eps: float = 1e-6) -> Point:
    """Central-difference estimate of the gradient of a scalar function.

    Parameters
    ----------
    f : callable
        ``f(w) -> float``.
    w : ndarray of any shape, or list of ndarrays
        Where to evaluate the gradient. It is perturbed one entry at a time and restored, so it is
        left exactly as it was (also if ``f`` raises). For a list (a network's weight matrices),
        ``f`` receives the list and each block is perturbed in turn.
    eps : float
        Step of the central difference ``(f(w + eps e_i) - f(w - eps e_i)) / (2 eps)``.

    Returns
    -------
    ndarray shaped like ``w`` (float64), or a list of them for a list
    """
    if isinstance(w, list):
        # each block is perturbed in place, so f sees the change through the list
        return [numerical_gradient(lambda _: f(w), block, eps) for block in w]
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
    return float(np.max(_relative_errors(a, b)))


def _relative_errors(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise ``|a - b| / max(|a| + |b|, 1e-8)`` of two float arrays of the same shape."""
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)


# --------------------------------------------------------------------------- computing
class Coordinate(NamedTuple):
    """One coordinate of a gradient, as listed among the worst.

    Attributes
    ----------
    block : int or None
        Which array of ``w`` it belongs to when ``w`` is a list; None for a single array.
    index : tuple of int
        Its index inside that array.
    analytic, numerical, relative_error : float
    """

    block: int | None
    index: tuple[int, ...]
    analytic: float
    numerical: float
    relative_error: float


@dataclass(frozen=True)
class GradientComparison:
    """An analytic gradient compared with the numerical one, coordinate by coordinate.

    ``analytic``, ``numerical``, ``relative_errors`` and ``failing`` are shaped like the point
    ``w``: one array, or a list of arrays (one per block of ``w``).

    Attributes
    ----------
    analytic, numerical : ndarray or list of ndarray, float64
        The gradient under test and its central-difference estimate.
    relative_errors : ndarray or list of ndarray, float64
        ``|analytic - numerical| / max(|analytic| + |numerical|, 1e-8)`` per coordinate.
    failing : ndarray or list of ndarray, bool
        Coordinates whose relative error exceeds ``threshold`` and absolute error exceeds
        ``atol``, or where either gradient is not finite.
    worst : list of Coordinate
        The coordinates with the largest relative error, largest first (NaN counts as largest).
    threshold, atol : float
        The tolerances the verdict used.
    """

    analytic: Point
    numerical: Point
    relative_errors: Point
    failing: Point
    worst: list[Coordinate]
    threshold: float
    atol: float

    @classmethod
    def of(cls, analytic: Point, numerical: Point, threshold: float = 1e-7, atol: float = 1e-9,
           n_worst: int = 3) -> GradientComparison:
        """Compare two gradients of the same structure (arrays, or lists of arrays)."""
        pairs = list(zip(_blocks(analytic), _blocks(numerical), strict=True))
        relative = [_relative_errors(a, n) for a, n in pairs]
        failing = [((r > threshold) & (np.abs(a - n) > atol)) | ~np.isfinite(a) | ~np.isfinite(n)
                   for (a, n), r in zip(pairs, relative, strict=True)]
        shaped = isinstance(analytic, list)
        return cls(analytic, numerical, relative if shaped else relative[0],
                   failing if shaped else failing[0], _worst(pairs, relative, shaped, n_worst),
                   threshold, atol)

    @property
    def block_errors(self) -> list[float]:
        """The largest relative error of each block (one entry for a single array)."""
        return [relative_error(a, n)
                for a, n in zip(_blocks(self.analytic), _blocks(self.numerical), strict=True)]

    @property
    def max_relative_error(self) -> float:
        """The largest relative error over all coordinates (NaN when one is NaN)."""
        return float(np.max(self.block_errors))

    @property
    def size(self) -> int:
        """The number of coordinates."""
        return sum(block.size for block in _blocks(self.analytic))

    @property
    def n_failing(self) -> int:
        """The number of failing coordinates."""
        return sum(int(block.sum()) for block in _blocks(self.failing))

    @property
    def passed(self) -> bool:
        """True when no coordinate fails."""
        return self.n_failing == 0


def compare_gradients(
    f: Callable[[Point], float],
    grad: Callable[[Point], Point],
    w: Point,
    eps: float = 1e-6,
    threshold: float = 1e-7,
    atol: float = 1e-9,
    n_worst: int = 3,
) -> GradientComparison:
    """Compare ``grad(w)`` with the central-difference gradient of ``f`` at ``w``.

    Parameters
    ----------
    f : callable
        ``f(w) -> float``.
    grad : callable
        ``grad(w)``: the analytic gradient under test, shaped like ``w`` (a list of arrays
        shaped like the blocks of ``w`` when ``w`` is a list of arrays).
    w : ndarray of any shape, or list of ndarray
        Where to compare; not modified (``f`` and ``grad`` see float64 copies).
    eps : float
        Central-difference step.
    threshold, atol : float
        See :func:`check_gradient`.
    n_worst : int
        How many of the worst coordinates to keep.

    Returns
    -------
    GradientComparison

    Raises
    ------
    ValueError
        When ``grad`` returns something not shaped like ``w``.
    Exception
        Whatever ``f`` or ``grad`` raise (:func:`check_gradient` turns all of it into feedback).
    """
    point = _copy_point(w)
    analytic, problem = _as_gradient(grad(_copy_point(point)), point)
    if problem is not None:
        raise ValueError(problem)
    numerical = numerical_gradient(f, _copy_point(point), eps)
    return GradientComparison.of(analytic, numerical, threshold, atol, n_worst)


# --------------------------------------------------------------------------- reporting
def format_comparison(comparison: GradientComparison, name: str = "gradient") -> str:
    """The feedback text of a comparison: the verdict, the worst coordinates and a hint.

    For a list of arrays, a failing comparison also gives each block's largest relative error,
    so that the wrong layer stands out.
    """
    c = comparison
    errors = f"max relative error {c.max_relative_error:.1e}, threshold {c.threshold:.0e}"
    if c.passed:
        return f"{PASS} {name}: analytic and numerical gradients agree ({errors})."
    header = (f"{FAIL} {name}: analytic and numerical gradients differ in {c.n_failing} of "
              f"{c.size} coordinates ({errors}).")
    if isinstance(c.analytic, list):
        lines = [f"{header} Per block:", *_block_lines(c), "    worst coordinates:"]
        # the hint looks at the failing blocks only: a sign slip in one layer is still a sign slip
        wrong = [index for index, failing in enumerate(c.failing) if failing.any()]
        got, expected = (np.concatenate([x[index].ravel() for index in wrong])
                         for x in (c.analytic, c.numerical))
    else:
        lines = [f"{header} Worst coordinates:"]
        got, expected = c.analytic, c.numerical
    lines.append(f"    {'index':<12}{'analytic':>14}{'numerical':>14}{'rel. error':>12}")
    for worst in c.worst:
        where = str(list(worst.index))
        if worst.block is not None:
            where = f"w[{worst.block}]{where}"
        lines.append(f"    {where:<12}{worst.analytic:>14.6g}{worst.numerical:>14.6g}"
                     f"{worst.relative_error:>12.2e}")
    return "\n".join([*lines, _diagnose(got, expected)])


def _block_lines(comparison: GradientComparison) -> list[str]:
    """One line per block: its shape, largest relative error and failing coordinates."""
    lines = []
    for index, (block, error, failing) in enumerate(zip(
            _blocks(comparison.analytic), comparison.block_errors, _blocks(comparison.failing),
            strict=True)):
        count = int(failing.sum())
        verdict = (f"{FAIL} {count} of {block.size} coordinates differ" if count
                   else f"{PASS} agrees")
        lines.append(f"    w[{index}] {shape_text(block.shape)}: max relative error "
                     f"{error:.1e}  {verdict}")
    return lines


# --------------------------------------------------------------------------- checking
def check_gradient(
    f: Callable[[Point], float],
    grad: Callable[[Point], Point],
    w: Point,
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
        ``grad(w)``: the analytic gradient under test, an ndarray shaped like ``w``; when ``w``
        is a list of arrays, a list of arrays shaped like them.
    w : ndarray of any shape, or list of ndarray
        The point where both are compared; not modified. A list of arrays (e.g. a network's
        weight matrices) is checked block by block: the feedback gives each block's largest
        relative error, so a wrong layer stands out.
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
    point = _copy_point(w)  # our own copy: the caller's arrays are never touched
    analytic = call_guarded(grad, (_copy_point(point),))
    numeric = call_guarded(lambda v: numerical_gradient(f, v, eps), (_copy_point(point),))
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
    got, problem = _as_gradient(analytic.value, point)
    if problem is not None:
        return _report(name, "failed", f"{FAIL} {name}: {problem}")
    if not all(np.all(np.isfinite(block)) for block in _blocks(numeric.value)):
        return _report(name, "failed", f"{FAIL} {name}: the loss is not finite (NaN or inf) at or "
                       f"next to w, so its gradient cannot be checked there. Make the loss stable "
                       f"first (e.g. np.logaddexp instead of log(sigmoid(...))).")
    comparison = GradientComparison.of(got, numeric.value, threshold, atol, n_worst)
    return _report(name, "passed" if comparison.passed else "failed",
                   format_comparison(comparison, name))


# --------------------------------------------------------------------------- one array or blocks
def _is_blocks(w: Any) -> bool:
    """A list (or tuple) of arrays is checked block by block; anything else is one array."""
    return (isinstance(w, list | tuple) and len(w) > 0
            and all(isinstance(block, np.ndarray) for block in w))


def _blocks(x: Point) -> list[np.ndarray]:
    """The blocks of a point or gradient: itself in a list when it is a single array."""
    return x if isinstance(x, list) else [x]


def _copy_point(w: Any) -> Point:
    """A float64 copy of ``w``: one array, or a list of arrays."""
    if _is_blocks(w):
        return [np.array(block, dtype=np.float64) for block in w]
    return np.array(w, dtype=np.float64)


def _as_gradient(value: Any, point: Point) -> tuple[Point | None, str | None]:
    """``value`` as a float64 gradient shaped like ``point``, or None and what is wrong."""
    if value is None:
        return None, "your gradient function returned None: did you forget `return`?"
    if not isinstance(point, list):
        return _as_block(value, point)
    if not isinstance(value, list | tuple) or len(value) != len(point):
        return None, (f"the gradient is {short_type(value)}, expected a list of {len(point)} "
                      f"arrays, one per array of w.")
    blocks = []
    for index, (block, like) in enumerate(zip(value, point, strict=True)):
        got, problem = _as_block(block, like, index)
        if problem is not None:
            return None, problem
        blocks.append(got)
    return blocks, None


def _as_block(value: Any, like: np.ndarray,
              block: int | None = None) -> tuple[np.ndarray | None, str | None]:
    """``value`` as a float64 array shaped like ``like`` (of ``w[block]``), or what is wrong."""
    got = np.asarray(value, dtype=np.float64) if _numeric(value) else None
    if got is not None and got.shape == like.shape:
        return got, None
    shown = "something that is not an array" if got is None else shape_text(got.shape)
    expected = shape_text(like.shape)
    if block is None:
        return None, f"the gradient has shape {shown}, expected {expected} (the shape of w)."
    return None, f"the gradient of w[{block}] has shape {shown}, expected {expected}."


def _worst(pairs: list[tuple[np.ndarray, np.ndarray]], relative: list[np.ndarray],
           shaped: bool, n_worst: int) -> list[Coordinate]:
    """The ``n_worst`` coordinates of largest relative error over all blocks, largest first."""
    flat = np.concatenate([np.nan_to_num(r, nan=np.inf).ravel() for r in relative])
    ends = np.cumsum([r.size for r in relative])
    worst = []
    for position in np.argsort(-flat)[:n_worst]:
        block = int(np.searchsorted(ends, position, side="right"))
        start = ends[block] - relative[block].size
        index = np.unravel_index(position - start, relative[block].shape)
        (a, n), r = pairs[block], relative[block]
        worst.append(Coordinate(block if shaped else None, tuple(map(int, index)),
                                float(a[index]), float(n[index]), float(r[index])))
    return worst


def _numeric(value: Any) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except Exception:
        return False


def _diagnose(got: np.ndarray, expected: np.ndarray) -> str:
    relation = value_hint(got, expected, None, rtol=1e-5, atol=1e-9)
    return "    hint: " + (relation or "check each term of the derivation against the loss as "
                                      "written.")


def _report(name: str, status: str, message: str) -> Result:
    print(message)
    return Result(name, status == "passed", status, message)
