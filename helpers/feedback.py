"""Run an attendee's code safely and describe what happened, for checks and gradient checks.

Everything here turns the attendee's mistakes into data (an :class:`Outcome`) and text, so that a
check can report them instead of raising. Nothing in this module raises because of what the
attendee's function does or returns.
"""

from __future__ import annotations

import contextlib
import copy
import io
import linecache
import os
import signal
import threading
import types
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

_HELPERS_DIR = os.path.dirname(os.path.abspath(__file__))

PASS = "✅"
FAIL = "❌"
TODO = "⏳"
INFO = "ℹ️"

Status = Literal["passed", "failed", "not implemented", "error", "reference"]
"""How a check ended: ``"error"`` is a problem in the call itself (or in the workshop's checker),
``"reference"`` means the function checked is the workshop's own (bound by a catch-up cell)."""

PRINTED_KEPT = 2000  # characters of the attendee's printed output kept for the feedback


class TimeLimitExceeded(BaseException):
    """The attendee's function ran past its time limit (a BaseException, so that an attendee's
    ``except Exception`` cannot swallow it)."""


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
        ``"line N: <source>"`` of the innermost frame of the attendee's own code, followed, when
        that frame is in another function than the one called, by the line of the called function
        that made the call and the shapes of the arguments it passed.
    raised_in : str or None
        Name of the function whose frame raised, when it is not the function called (e.g. a
        ``sigmoid`` stub raising NotImplementedError inside ``predict_proba``).
    warnings : list of str
        Messages of warnings (numpy overflow and friends) emitted during the call.
    printed : str
        The first characters of what the function printed (stdout and stderr).
    printed_chars : int
        How many characters it printed in all.
    timed_out : bool
        True when the call was stopped at its time limit.
    """

    value: Any = None
    error: BaseException | None = None
    location: str | None = None
    raised_in: str | None = None
    warnings: list[str] = field(default_factory=list)
    printed: str = ""
    printed_chars: int = 0
    timed_out: bool = False

    @property
    def not_implemented(self) -> bool:
        """True when the function itself is still an unfinished stub."""
        return isinstance(self.error, NotImplementedError) and self.raised_in is None


def call_guarded(
    fn: Callable[..., Any],
    args: Iterable[Any] = (),
    kwargs: dict[str, Any] | None = None,
    prepare: Callable[[Any], Any] | None = None,
    *,
    time_limit: float | None = None,
) -> Outcome:
    """Call ``fn(*args, **kwargs)``, catching exceptions, warnings and printed output.

    Parameters
    ----------
    fn : callable
        The attendee's function.
    args, kwargs
        Its arguments; the caller is responsible for passing copies.
    prepare : callable, optional
        Applied to the return value inside the guard, e.g. ``list`` to consume an iterator, so
        exceptions raised while iterating are caught as well.
    time_limit : float, optional
        Seconds after which the call is interrupted (where the platform allows it: POSIX, main
        thread); ``outcome.timed_out`` then says so.

    Returns
    -------
    Outcome
    """
    outcome = Outcome()
    printed = _BoundedText(PRINTED_KEPT)
    with (
        warnings.catch_warnings(record=True) as caught,
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
        contextlib.redirect_stdout(printed),
        contextlib.redirect_stderr(printed),
    ):
        warnings.simplefilter("always")
        try:
            with _deadline(time_limit):
                value = fn(*args, **(kwargs or {}))
                outcome.value = prepare(value) if prepare is not None else value
        except TimeLimitExceeded:
            outcome.timed_out = True
        except (Exception, SystemExit) as error:  # the attendee's code may raise anything
            outcome.error = error
            outcome.location = attendee_location(error, getattr(fn, "__code__", None))
            outcome.raised_in = _raised_elsewhere(error, getattr(fn, "__code__", None))
    outcome.warnings = unique(f"{w.category.__name__}: {w.message}" for w in caught)
    outcome.printed, outcome.printed_chars = printed.kept, printed.total
    return outcome


class _BoundedText(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters and counts the rest, so that a
    function printing megabytes costs no memory."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit, self.total, self._parts = limit, 0, []

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = self.limit - min(self.total, self.limit)
        if room:
            self._parts.append(text[:room])
        self.total += len(text)
        return len(text)

    @property
    def kept(self) -> str:
        return "".join(self._parts)


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in this thread after ``seconds`` (POSIX main thread only;
    elsewhere the call simply runs to its end)."""
    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def stop(signum: int, frame: types.FrameType | None) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def unique(items: Iterable[str]) -> list[str]:
    """The distinct items, in first-seen order."""
    return list(dict.fromkeys(items))


def attendee_location(error: BaseException, called: types.CodeType | None = None) -> str | None:
    """Describe the innermost line of the attendee's own code in ``error``'s traceback.

    Frames from this package, numpy and the standard library are skipped, so the line shown is
    the one the attendee wrote (a notebook cell line number, or a file and line in a script).
    When that line is in another function than ``called`` (the code of the function the check
    called), the line of ``called`` that made the call follows, with the shapes of the arguments
    the other function received: the cause is often what was passed, not the callee.
    """
    frames = [(tb.tb_frame, tb.tb_lineno) for tb in _walk(error.__traceback__)]
    mine = [(frame, line) for frame, line in frames if _is_attendee_file(frame.f_code.co_filename)]
    if not mine:
        return None
    text = _describe_frame(*mine[-1])
    positions = [i for i, (frame, _) in enumerate(frames) if frame.f_code is called]
    if called is not None and positions and mine[-1][0].f_code is not called:
        outer = positions[0]
        frame, line = frames[outer]
        text += f"\n    called from {_describe_frame(frame, line).removeprefix('in ')}"
        if outer + 1 < len(frames):
            arguments = _arguments(frames[outer + 1][0])
            if arguments:
                text += f"\n    with {arguments}"
    return text


def _walk(tb: types.TracebackType | None) -> Iterator[types.TracebackType]:
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _describe_frame(frame: types.FrameType, lineno: int) -> str:
    code = frame.f_code
    source = linecache.getline(code.co_filename, lineno).strip()
    where = f"line {lineno}"
    if code.co_name and code.co_name != "<module>":
        where = f"in {code.co_name}, {where}"
    return f"{where}: {source}" if source else where


def _arguments(frame: types.FrameType) -> str:
    """``X = array (20, 2) float64, weights = list of 2`` for a frame's parameters."""
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount
    names = [name for name in code.co_varnames[:count] if name != "self"]
    try:
        return ", ".join(f"{name} = {_shape_of(frame.f_locals[name])}" for name in names
                         if name in frame.f_locals)
    except Exception:  # exotic locals must not break the feedback
        return ""


def _shape_of(value: Any) -> str:
    if isinstance(value, list | tuple) and value and all(
        isinstance(v, np.ndarray) for v in value
    ):
        return "[" + ", ".join(f"array {shape_text(v.shape)}" for v in value) + "]"
    if isinstance(value, np.ndarray | list | tuple) or value is None:
        return short_type(value)
    return format_value(value) if isinstance(value, int | float | str) else short_type(value)


def _raised_elsewhere(error: BaseException, called: types.CodeType | None) -> str | None:
    """The name of the attendee's function that raised, when it is not ``called`` itself."""
    frames = [tb.tb_frame for tb in _walk(error.__traceback__)]
    if called is None or not frames or not any(frame.f_code is called for frame in frames):
        return None
    mine = [frame for frame in frames if _is_attendee_file(frame.f_code.co_filename)]
    if not mine or mine[-1].f_code is called:
        return None
    return mine[-1].f_code.co_name


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
    """A deep copy, used both to protect cases and to detect in-place modification.

    An array that is a strided view (``X[:, ::2]``, neither C- nor Fortran-contiguous) is copied
    into a strided view of fresh memory, so that a case with a non-contiguous input really hands
    the attendee's function one (``copy.deepcopy`` alone would make it contiguous).
    """
    if isinstance(value, np.ndarray):
        return _strided_copy(value)
    if isinstance(value, list | tuple) and any(isinstance(v, np.ndarray) for v in value):
        copied = [snapshot(v) for v in value]
        return copied if isinstance(value, list) else type(value)(copied)
    if isinstance(value, dict):
        return {key: snapshot(v) for key, v in value.items()}
    return copy.deepcopy(value)


def _strided_copy(array: np.ndarray) -> np.ndarray:
    if array.ndim == 0 or array.flags.c_contiguous or array.flags.f_contiguous:
        return array.copy(order="K")
    wider = np.empty((*array.shape[:-1], 2 * array.shape[-1]), dtype=array.dtype)
    view = wider[..., ::2]
    view[...] = array
    return view


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
    status : Status
        ``"passed"``, ``"failed"``, ``"not implemented"``, ``"error"`` (a problem in the call) or
        ``"reference"`` (the function checked is the workshop's reference).
    message : str
        The feedback text that was printed.
    """

    name: str
    passed: bool
    status: Status
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
