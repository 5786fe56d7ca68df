"""The one engine behind every ``check_<exercise>(fn)``.

An exercise's checker is a declaration: an :class:`Exercise` with a reference implementation,
some :class:`Case` s (hand-made and random) and a catalogue of usual :class:`Mistake` s, each a
small wrong implementation with the hint that gets the attendee unstuck. :func:`make_check` turns
it into the ``check_<name>`` function the notebooks call.

For every case the engine calls the attendee's function on private copies of the inputs, then
reports the first problem it finds, in this order: not implemented yet, an exception, a numpy
warning, an input modified in place, a wrong return value (type, shape, dtype, NaN/inf, values).
A wrong value is matched against the mistake catalogue (the attendee's output equals what a known
mistake produces) and then against generic patterns (sign flipped, off by a factor of n, an
``(n, n)`` broadcast...) to choose the hint.

Example
-------
>>> import numpy as np
>>> from helpers.checks.engine import Case, Exercise, Mistake, make_check
>>> check_double = make_check(Exercise(
...     name="double", reference=lambda x: 2 * x,
...     cases=[Case("a small vector", (np.array([1.0, -2.0]),))],
...     mistakes=[Mistake("square", lambda x: x ** 2, "multiply by 2, do not square.")]))
>>> result = check_double(lambda x: x + x)
✅ double: all 1 cases passed (a small vector).
>>> bool(result)
True
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from helpers.checks.compare import Mismatch, Tolerance, compare
from helpers.checks.hints import generic_hint
from helpers.feedback import (
    FAIL,
    PASS,
    TODO,
    Outcome,
    Result,
    call_guarded,
    describe_error,
    format_value,
    modified_arguments,
    short_type,
    snapshot,
)


class _AttendeeError(Exception):
    """The attendee's function raised when a ``verify`` called it again."""


_SEE_FORMULA = "compare your code with the formula above the exercise."
_COMPUTE = object()  # sentinel: the expected value comes from the reference implementation


@dataclass(frozen=True)
class Case:
    """One input on which the attendee's function is tried.

    Parameters
    ----------
    label : str
        Shown in the feedback, e.g. ``"hand-made: 3 samples, 2 features"``.
    args : tuple
        Positional arguments. They are copied for every call, so they are never modified.
    kwargs : mapping, optional
        Keyword arguments.
    expected : Any, optional
        The expected return value; by default ``reference(*args, **kwargs)``.
    verify : callable, optional
        ``verify(got, *args, **kwargs) -> str | None``: a property check used instead of an
        exact comparison (e.g. statistics of a random initialisation). Returns a description of
        the problem, or None when ``got`` is fine. If it has a parameter named ``fn``, it also
        receives the attendee's function (to call it again, e.g. with the same seed); such
        calls are guarded like the first one.
    hint : str, optional
        Shown when this case fails and no mistake from the catalogue explains it.
    """

    label: str
    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    expected: Any = _COMPUTE
    verify: Callable[..., str | None] | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Mistake:
    """A usual mistake, as a wrong implementation, with the hint that fixes it.

    Parameters
    ----------
    name : str
        Short name for tests and maintainers, e.g. ``"sum instead of mean"``.
    fn : callable
        Same signature as the exercise; returns what the mistaken code returns.
    hint : str
        What to tell an attendee whose output matches ``fn``'s.
    """

    name: str
    fn: Callable[..., Any]
    hint: str


@dataclass
class Exercise:
    """The declaration of an exercise's checker.

    Parameters
    ----------
    name : str
        The exercise (function) name from the curriculum, e.g. ``"mse_loss"``.
    reference : callable or None
        Trusted implementation giving expected values; None if every case has ``expected`` or
        ``verify``.
    cases : sequence of Case, or callable
        The cases, or ``cases(rng) -> list[Case]`` to build random ones from a seeded
        ``numpy.random.Generator`` (so the feedback is the same on every run).
    mistakes : sequence of Mistake
        The catalogue of usual mistakes, tried in order when a value is wrong.
    tolerance : Tolerance
        How close floating-point results must be.
    outputs : tuple of str, optional
        Names of the items when the function returns a tuple, e.g. ``("w", "losses")``.
    prepare : callable, optional
        Applied to both the attendee's and the reference's return value before comparing, e.g.
        ``list`` for a function that returns an iterator.
    hint : str, optional
        Shown when a value is wrong and nothing more specific applies.
    mutation_hint : str, optional
        Shown when an input was modified in place.
    allow_warnings : bool
        Whether numpy warnings (overflow, divide by zero...) are tolerated.
    warning_hints : mapping of str to str
        Exercise-specific hints for numpy warnings, keyed by a phrase of the warning's message
        (``"overflow"``, ``"divide by zero"``, ``"invalid value"``); the engine's generic hint is
        the fallback.
    diagnoses : sequence of (predicate, hint)
        ``predicate(got, *args, **kwargs) -> bool`` on a wrong (prepared) result, for mistakes
        that can be written in many ways (so no single wrong implementation reproduces them);
        consulted after the mistake catalogue, before the generic hints.
    arg_names : tuple of str, optional
        Argument names for the feedback; by default read from ``reference``'s signature.
    seed : int
        Seed of the generator passed to ``cases`` when it is callable.
    """

    name: str
    reference: Callable[..., Any] | None
    cases: Sequence[Case] | Callable[[np.random.Generator], Sequence[Case]]
    mistakes: Sequence[Mistake] = ()
    tolerance: Tolerance = field(default_factory=Tolerance)
    outputs: tuple[str, ...] | None = None
    prepare: Callable[[Any], Any] | None = None
    hint: str | None = None
    mutation_hint: str | None = None
    allow_warnings: bool = False
    warning_hints: Mapping[str, str] = field(default_factory=dict)
    diagnoses: Sequence[tuple[Callable[..., bool], str]] = ()
    arg_names: tuple[str, ...] | None = None
    seed: int = 0

    def build_cases(self) -> list[Case]:
        """The list of cases (random ones drawn from a generator seeded with ``seed``)."""
        if callable(self.cases):
            return list(self.cases(np.random.default_rng(self.seed)))
        return list(self.cases)

    def names_for(self, case: Case) -> list[str]:
        """Argument names for ``case``'s positional arguments."""
        names = list(self.arg_names or ())
        if not names and self.reference is not None:
            try:
                names = list(inspect.signature(self.reference).parameters)
            except (TypeError, ValueError):
                names = []
        return [names[i] if i < len(names) else f"arg{i}" for i in range(len(case.args))]

    def expected_for(self, case: Case) -> Any:
        """The expected (prepared) return value for ``case``."""
        if case.expected is not _COMPUTE:
            return case.expected
        value = self.reference(*snapshot(case.args), **snapshot(dict(case.kwargs)))
        return self.prepare(value) if self.prepare else value

    def check(self, fn: Any) -> Result:
        """Run every case on ``fn``, print feedback and return the result. Never raises."""
        try:
            message, status = self._run(fn)
        except Exception as error:  # a bug in a checker must not look like the attendee's fault
            message = (
                f"{FAIL} {self.name}: the checker itself failed ({type(error).__name__}: "
                f"{error}). This is a bug in the workshop, not in your code: please tell "
                f"the instructor."
            )
            status = "error"
        print(message)
        return Result(self.name, status == "passed", status, message)

    def _run(self, fn: Any) -> tuple[str, str]:
        if not callable(fn):
            return (
                f"{FAIL} {self.name}: check_{self.name} needs the function itself, got "
                f"{short_type(fn)}. Write `check_{self.name}({self.name})`, without calling "
                f"{self.name}.",
                "failed",
            )
        cases = self.build_cases()
        for number, case in enumerate(cases, start=1):
            problem = self._run_case(fn, case)
            if problem is None:
                continue
            status, text = problem
            if status == "not implemented":
                return (
                    f"{TODO} {self.name}: not implemented yet. Replace the "
                    f"`raise NotImplementedError` line with your code, run that cell, then "
                    f"this one again.",
                    status,
                )
            header = f"{FAIL} {self.name}: case {number} of {len(cases)} failed ({case.label})."
            return header + "\n" + self._describe_inputs(case) + "\n" + text, status
        labels = ", ".join(case.label for case in cases)
        return f"{PASS} {self.name}: all {len(cases)} cases passed ({labels}).", "passed"

    def _run_case(self, fn: Callable[..., Any], case: Case) -> tuple[str, str] | None:
        names = self.names_for(case)
        args = snapshot(case.args)
        kwargs = snapshot(dict(case.kwargs))
        outcome = call_guarded(fn, args, kwargs, self.prepare)
        if outcome.not_implemented:
            return "not implemented", ""
        if outcome.error is not None:
            return "failed", self._describe_exception(outcome, names, case)
        if outcome.warnings and not self.allow_warnings:
            return "failed", (
                f"    numpy warned: {'; '.join(outcome.warnings)}\n"
                f"    hint: {self.hint_for_warning(outcome)}"
            )
        changed = modified_arguments(
            dict(zip(names, case.args, strict=True)) | dict(case.kwargs),
            dict(zip(names, args, strict=True)) | kwargs,
        )
        if changed:
            hint = self.mutation_hint or (
                "work on a copy (`w = w.copy()`), or write `w = w - step` instead of `w -= step` "
                "(in-place operators change the caller's array)."
            )
            return "failed", (
                f"    your function modified its input {', '.join(changed)} in "
                f"place; the caller's data must stay as it was.\n    hint: {hint}"
            )
        if case.verify is not None:
            problem = self._verify(fn, case, outcome.value)
            if problem:
                return (
                    "failed",
                    f"    {problem}\n    hint: {case.hint or self.hint or _SEE_FORMULA}",
                )
            return None
        expected = self.expected_for(case)
        mismatch = self._compare(outcome.value, expected)
        if mismatch is None:
            return None
        return "failed", self._describe_mismatch(mismatch, outcome, case, expected)

    def _verify(self, fn: Callable[..., Any], case: Case, got: Any) -> str | None:
        """Run ``case.verify``; calls it makes to the attendee's function are guarded."""
        extra = {}
        if "fn" in inspect.signature(case.verify).parameters:

            def guarded(*args: Any, **kwargs: Any) -> Any:
                again = call_guarded(fn, args, kwargs, self.prepare)
                if again.error is not None:
                    raise _AttendeeError(describe_error(again))
                return again.value

            extra["fn"] = guarded
        try:
            return case.verify(got, *snapshot(case.args), **snapshot(dict(case.kwargs)), **extra)
        except _AttendeeError as error:
            return f"calling your function again raised {error}"

    def _compare(self, got: Any, expected: Any) -> Mismatch | None:
        if got is None and expected is not None:
            return Mismatch("none", "the result", "the result is None.", got, expected)
        if self.outputs and isinstance(expected, tuple):
            count = len(self.outputs)
            if not isinstance(got, tuple | list) or len(got) != count:
                return Mismatch(
                    "type",
                    "the result",
                    f"the result should be a tuple of {count} items "
                    f"({', '.join(self.outputs)}), got {short_type(got)}.",
                    got,
                    expected,
                )
            for index, name in enumerate(self.outputs):
                where = f"`{name}` (output {index + 1} of {count})"
                mismatch = compare(got[index], expected[index], self.tolerance, where)
                if mismatch:
                    return mismatch
            return None
        return compare(got, expected, self.tolerance)

    def _describe_exception(self, outcome: Outcome, names: list[str], case: Case) -> str:
        text = f"    your function raised {describe_error(outcome)}"
        hint = self._mistake_raising_like(outcome.error, case)
        if hint:
            return text + f"\n    hint: {hint}"
        if isinstance(outcome.error, TypeError | ValueError) and names:
            hint = (
                f"the check calls `{self.name}({', '.join(names)})` with the shapes above: "
                f"compare them with the shapes in your code (`print(X.shape)` helps)."
            )
        if isinstance(outcome.error, NameError):
            hint = (
                "a name is not defined: did you run the cells above (helpers, earlier "
                "exercises)? Use the function's arguments rather than notebook variables."
            )
        return text + (f"\n    hint: {hint}" if hint else "")

    def _mistake_raising_like(self, error: BaseException, case: Case) -> str | None:
        """The hint of a catalogued mistake that raises the same exception on this case."""
        for mistake in self.mistakes:
            wrong = call_guarded(
                mistake.fn, snapshot(case.args), snapshot(dict(case.kwargs)), self.prepare
            )
            if type(wrong.error) is type(error) and str(wrong.error) == str(error):
                return mistake.hint
        return None

    def hint_for_warning(self, outcome: Outcome) -> str:
        """Hint for a numpy warning (overflow in exp, log of 0...)."""
        text = " ".join(outcome.warnings)
        specific = dict.fromkeys(
            hint for phrase, hint in self.warning_hints.items() if phrase in text
        )
        if specific:
            return " Also: ".join(specific)
        if "overflow" in text:
            return (
                "exp of a large number overflows: rewrite the formula so that exp only sees "
                "non-positive numbers (see the stable form in the text above)."
            )
        if "divide by zero" in text or "log" in text:
            return (
                "log(0) or a division by 0: keep the argument away from 0 (stable form or "
                "clipping)."
            )
        return self.hint or "look for an operation that produces NaN or inf."

    def _describe_mismatch(
        self, mismatch: Mismatch, outcome: Outcome, case: Case, expected: Any
    ) -> str:
        lines = [f"    {mismatch.message}"]
        if mismatch.kind in ("value", "nonfinite", "shape", "type", "dtype"):
            lines.append(f"    got:      {format_value(outcome.value)}")
            lines.append(f"    expected: {format_value(expected)}")
        hint = (
            self._matching_mistake(outcome.value, case)
            or generic_hint(mismatch, _n_samples(case))
            or case.hint
            or self.hint
        )
        if hint:
            lines.append(f"    hint: {hint}")
        return "\n".join(lines)

    def _matching_mistake(self, got: Any, case: Case) -> str | None:
        for mistake in self.mistakes:
            wrong = call_guarded(
                mistake.fn, snapshot(case.args), snapshot(dict(case.kwargs)), self.prepare
            )
            if (
                wrong.error is None
                and wrong.value is not None
                and self._compare(got, wrong.value) is None
            ):
                return mistake.hint
        for predicate, hint in self.diagnoses:
            try:
                if predicate(got, *snapshot(case.args), **snapshot(dict(case.kwargs))):
                    return hint
            except Exception:  # a diagnosis is a bonus: an odd result must not break feedback
                continue
        return None

    def _describe_inputs(self, case: Case) -> str:
        parts = [
            f"{name} = {_describe_arg(value)}"
            for name, value in zip(self.names_for(case), case.args, strict=True)
        ]
        parts += [f"{name} = {_describe_arg(value)}" for name, value in case.kwargs.items()]
        return "    inputs: " + ("; ".join(parts) if parts else "(none)")


def _describe_arg(value: Any) -> str:
    if isinstance(value, np.random.Generator):
        return "a seeded numpy Generator"
    if callable(value):
        return getattr(value, "__name__", "a function")
    if isinstance(value, np.ndarray) and value.size > 12:
        return short_type(value)
    if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
        return "[" + ", ".join(short_type(v) for v in value) + "]"
    return format_value(value)


def _n_samples(case: Case) -> int | None:
    for value in case.args:
        if isinstance(value, np.ndarray) and value.ndim >= 1:
            return int(value.shape[0])
    return None


def make_check(exercise: Exercise) -> Callable[[Any], Result]:
    """Turn an :class:`Exercise` declaration into the ``check_<name>(fn)`` notebooks call."""

    def check(fn: Any) -> Result:
        return exercise.check(fn)

    check.__name__ = check.__qualname__ = f"check_{exercise.name}"
    check.__doc__ = (
        f"Check your `{exercise.name}` on hand-made and random cases and print feedback.\n\n"
        f"Parameters\n----------\nfn : callable\n    Your `{exercise.name}` function itself "
        f"(not its result).\n\nReturns\n-------\nResult\n    Truthy only when every case passed; "
        f"the feedback has been printed.\n"
    )
    check.exercise = exercise  # for tests and benchmarks
    return check
