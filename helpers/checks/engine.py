"""The one engine behind every ``check_<exercise>(fn)``.

An exercise's checker is a declaration: an :class:`Exercise` with a reference implementation, some
:class:`Case` s (hand-made and random), a catalogue of usual :class:`Mistake` s (each a small wrong
implementation with the hint that gets the attendee unstuck), :class:`Diagnosis` es for mistakes
that can be written in many ways, :class:`Note` s for correct answers that go against the advice,
tiered general hints, and the earlier exercises it ``uses``. :func:`make_check` turns it into the
``check_<name>`` function the notebooks call.

For every case the engine calls the attendee's function on private copies of the inputs, within
a time limit, and reports the first problem: not implemented yet, an exception, a numpy warning,
an input modified in place, a wrong return value (type, shape, dtype, NaN/inf, values). The hint
for a wrong value or an exception is, in this order: the catalogued mistake that gives the same
result (or raises the same error), a diagnosis, the structure of a list result (reversed, a layer
missing...), the relation of got to expected (sign, factor n...), the case's own hint, and last
the exercise's general hints, one tier more concrete at each failing run. When the function
fails and calls one of the attendee's earlier exercises that fails its own check, that is said
first: it is the real cause.

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
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from helpers.checks.compare import Mismatch, Tolerance, compare
from helpers.checks.hints import generic_hint
from helpers.checks.source import global_names
from helpers.checks.structure import structure_hint
from helpers.feedback import (
    FAIL,
    INFO,
    PASS,
    TODO,
    Outcome,
    Result,
    Status,
    call_guarded,
    describe_error,
    format_value,
    modified_arguments,
    short_type,
    snapshot,
)

TIME_LIMIT = 2.0  # seconds for one whole check, every call of the attendee's function included
_COMPUTE = object()  # sentinel: the expected value comes from the reference implementation
_failed_runs: dict[str, int] = {}  # failing runs per exercise in this session: hints escalate


@dataclass(frozen=True)
class Case:
    """One input on which the attendee's function is tried.

    Parameters
    ----------
    label : str
        Shown in the feedback, e.g. ``"hand-made: 3 samples, 2 features"``.
    args : tuple
        Positional arguments, copied for every call (so never modified).
    kwargs : mapping, optional
        Keyword arguments.
    expected : Any, optional
        The expected return value; by default ``reference(*args, **kwargs)``.
    verify : callable, optional
        ``verify(got, call, *args, **kwargs) -> str | None``, a property check used instead of
        an exact comparison (statistics of a random draw...): returns what is wrong, or None.
        ``call`` is the attendee's function, guarded, to call again (same seed, a callback).
    hint : str, optional
        Shown when this case fails and nothing more specific explains it.
    """

    label: str
    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    expected: Any = _COMPUTE
    verify: Callable[..., str | None] | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Mistake:
    """A usual mistake written as a wrong implementation (same signature as the exercise): an
    attendee whose function returns what ``fn`` returns, or raises what it raises, gets
    ``hint``."""

    name: str
    fn: Callable[..., Any]
    hint: str


@dataclass(frozen=True)
class Diagnosis:
    """A mistake recognised from a wrong result, ``applies(got, *args, **kwargs) -> bool``, for
    mistakes that can be written in too many ways for one wrong implementation."""

    name: str
    applies: Callable[..., bool]
    hint: str


@dataclass(frozen=True)
class Note:
    """A remark on a correct function, ``applies(fn) -> bool`` (e.g. it calls ``np.linalg.inv``):
    the check passes and adds ``text``."""

    name: str
    applies: Callable[[Callable[..., Any]], bool]
    text: str


@dataclass(frozen=True)
class Problem:
    """What went wrong on one case: its status and the lines explaining it."""

    status: Status
    text: str
    cause: str = ""  # one short sentence, for other checks that depend on this one


@dataclass(frozen=True)
class Verdict:
    """A whole check's outcome, before it is printed."""

    status: Status
    message: str
    cause: str = ""


@dataclass
class Exercise:
    """The declaration of an exercise's checker.

    Parameters
    ----------
    name : str
        The exercise (function) name, e.g. ``"mse_loss"``.
    reference : callable or None
        Trusted implementation giving expected values; None if every case has ``expected`` or
        ``verify``.
    cases : sequence of Case, or callable
        The cases, or ``cases(rng)`` building random ones from a generator seeded with 0.
    mistakes, diagnoses, notes : sequences of Mistake, Diagnosis, Note
        See those classes; mistakes and diagnoses are tried in order.
    hints : sequence of str
        General hints, from a conceptual nudge to the formula; failing runs show the next one.
        None gives the answer as code.
    uses : sequence of str
        Earlier exercises this one may call (``predict_proba`` uses ``sigmoid``): when it fails,
        the attendee's versions of those (found in the function's globals) are checked too.
    tolerance : Tolerance
        How close floating-point results must be.
    outputs : tuple of str, optional
        Names of the items when the function returns a tuple, e.g. ``("w", "losses")``.
    prepare : callable, optional
        Applied to both the attendee's and the reference's return value before comparing (e.g.
        ``list`` for an iterator); exercises with ``prepare`` may be generator functions.
    mutation_hint : str, optional
        Shown when an input was modified in place.
    warning_hints : mapping of str to str
        Hints for numpy warnings, keyed by a phrase of the warning (``"overflow"``).
    arg_names : tuple of str, optional
        Argument names for the feedback; by default ``reference``'s parameter names.
    challenge : bool
        An optional challenge for early finishers rather than a core exercise.
    """

    name: str
    reference: Callable[..., Any] | None
    cases: Sequence[Case] | Callable[[np.random.Generator], Sequence[Case]]
    mistakes: Sequence[Mistake] = ()
    diagnoses: Sequence[Diagnosis] = ()
    notes: Sequence[Note] = ()
    hints: Sequence[str] = ()
    uses: Sequence[str] = ()
    tolerance: Tolerance = field(default_factory=Tolerance)
    outputs: tuple[str, ...] | None = None
    prepare: Callable[[Any], Any] | None = None
    mutation_hint: str | None = None
    warning_hints: Mapping[str, str] = field(default_factory=dict)
    arg_names: tuple[str, ...] | None = None
    challenge: bool = False

    # ------------------------------------------------------------------ public
    def build_cases(self) -> list[Case]:
        """The list of cases (random ones drawn from a generator seeded with 0)."""
        if callable(self.cases):
            return list(self.cases(np.random.default_rng(0)))
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
        tier = _failed_runs.get(self.name, 0)
        verdict = self.evaluate(fn, tier=tier)
        if verdict.status == "failed":
            _failed_runs[self.name] = tier + 1
        elif verdict.status == "passed":
            _failed_runs.pop(self.name, None)
        print(verdict.message)
        return Result(self.name, verdict.status == "passed", verdict.status, verdict.message)

    def evaluate(self, fn: Any, *, tier: int = 0, depth: int = 0,
                 time_limit: float | None = None) -> Verdict:
        """Run every case on ``fn`` quietly (nothing printed, no hint escalation)."""
        limit = TIME_LIMIT if time_limit is None else time_limit
        try:
            return _Run(self, fn, tier, depth, time.perf_counter() + limit).verdict()
        except Exception as error:  # a bug in a checker must not look like the attendee's fault
            return Verdict(
                "error",
                f"{FAIL} {self.name}: the checker itself failed ({type(error).__name__}: "
                f"{error}). This is a bug in the workshop, not in your code: please tell the "
                f"instructor.",
                "the workshop's checker failed",
            )


class _Run:
    """One check of one function: the cases in order, then the verdict."""

    def __init__(self, exercise: Exercise, fn: Any, tier: int, depth: int, deadline: float):
        self.exercise, self.fn, self.tier, self.depth, self.deadline = (
            exercise, fn, tier, depth, deadline)
        self.name = exercise.name
        self.printed: list[tuple[str, Outcome]] = []

    # ------------------------------------------------------------------ verdict
    def verdict(self) -> Verdict:
        early = self._not_a_function()
        if early:
            return early
        cases = self.exercise.build_cases()
        for number, case in enumerate(cases, start=1):
            problem = self._run_case(case)
            if problem is None:
                continue
            if problem.status == "not implemented":
                return Verdict(problem.status, problem.text, "it is not implemented yet")
            header = f"{FAIL} {self.name}: case {number} of {len(cases)} failed ({case.label})."
            body = header + "\n" + self._describe_inputs(case) + "\n" + problem.text
            blame = None if problem.cause.startswith("it calls") else self._failing_dependency()
            if blame:
                body = blame + "\n" + body
            cause = f"case {number} ({case.label}) failed" + (
                f": {problem.cause}" if problem.cause else "")
            return Verdict(problem.status, body + self._printed_text(), cause)
        labels = ", ".join(case.label for case in cases)
        message = f"{PASS} {self.name}: all {len(cases)} cases passed ({labels})."
        return Verdict("passed", message + self._notes() + self._printed_text())

    def _not_a_function(self) -> Verdict | None:
        fn, name = self.fn, self.name
        if inspect.isclass(fn):
            return Verdict("error", f"{FAIL} {name}: check_{name} needs your function, got the "
                                    f"class {fn.__name__}. Write `check_{name}({name})`.",
                           "not a function")
        if not callable(fn):
            return Verdict(
                "error",
                f"{FAIL} {name}: check_{name} needs the function itself, got {short_type(fn)}. "
                f"Write `check_{name}({name})`, without calling {name}.",
                "not a function",
            )
        if fn is self.exercise.reference:
            return Verdict(
                "reference",
                f"{INFO} {name}: this is the workshop's reference `{name}` (a catch-up cell "
                f"bound it), not yours. To check yours, run your exercise cell again, then this "
                f"cell.",
                "the workshop's reference is in use",
            )
        if inspect.isgeneratorfunction(fn) and self.exercise.prepare is None:
            return Verdict(
                "failed",
                f"{FAIL} {name}: your function contains `yield`, so calling it returns a "
                f"generator instead of running it: use `return` to give back the result.",
                "it uses yield instead of return",
            )
        return None

    # ------------------------------------------------------------------ one case
    def _run_case(self, case: Case) -> Problem | None:
        names = self.exercise.names_for(case)
        wrong_call = self._signature_problem(case, names)
        if wrong_call:
            return wrong_call
        args, kwargs = snapshot(case.args), snapshot(dict(case.kwargs))
        outcome = self._call(self.fn, args, kwargs)
        if outcome.printed_chars:
            self.printed.append((case.label, outcome))
        if outcome.timed_out:
            return Problem("failed", (
                f"    your function did not finish within {TIME_LIMIT:g} s, so the check "
                f"stopped it.\n    hint: look for a loop that never ends (a `while` whose "
                f"condition never changes), a `sleep`, or a loop over far more items than the "
                f"inputs have."), "it did not finish in time")
        if outcome.not_implemented:
            return Problem("not implemented", (
                f"{TODO} {self.name}: not implemented yet. Replace the `raise "
                f"NotImplementedError` line with your code, run that cell, then this one again."))
        if outcome.error is not None:
            return self._exception_problem(outcome, names, case)
        if outcome.warnings:
            return Problem("failed", (
                f"    numpy warned: {'; '.join(outcome.warnings)}\n"
                f"    hint: {self._warning_hint(outcome)}"), "numpy warned: " + outcome.warnings[0])
        changed = modified_arguments(
            dict(zip(names, case.args, strict=True)) | dict(case.kwargs),
            dict(zip(names, args, strict=True)) | kwargs,
        )
        if changed:
            hint = self.exercise.mutation_hint or (
                "work on a copy (`w = w.copy()`), or write `w = w - step` instead of `w -= step` "
                "(in-place operators change the caller's array)."
            )
            return Problem("failed", (
                f"    your function modified its input {', '.join(changed)} in place; the "
                f"caller's data must stay as it was.\n    hint: {hint}"),
                f"it modified its input {', '.join(changed)} in place")
        if case.verify is not None:
            problem = self._verify(case, outcome.value)
            return None if not problem else Problem(
                "failed", f"    {problem}\n    hint: {case.hint or self._tier_hint()}", problem)
        expected = self.exercise.expected_for(case)
        mismatch = self._compare(outcome.value, expected)
        if mismatch is None:
            return None
        return Problem("failed", self._describe_mismatch(mismatch, outcome, case, expected),
                       mismatch.message)

    def _call(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Outcome:
        remaining = max(self.deadline - time.perf_counter(), 0.05)
        return call_guarded(fn, args, kwargs, self.exercise.prepare, time_limit=remaining)

    def _signature_problem(self, case: Case, names: list[str]) -> Problem | None:
        try:
            signature = inspect.signature(self.fn)
        except (TypeError, ValueError):  # builtins and ufuncs: just call them
            return None
        try:
            signature.bind(*case.args, **case.kwargs)
        except TypeError as error:
            call = ", ".join([*names, *(f"{k}=..." for k in case.kwargs)])
            return Problem("failed", (
                f"    check_{self.name} calls `{self.name}({call})`, but your function's "
                f"parameters are {signature} ({error}).\n    hint: keep the parameters of the "
                f"exercise cell's `def` line."), "its parameters differ from the exercise's")
        return None

    def _verify(self, case: Case, got: Any) -> str | None:
        def call(*args: Any, **kwargs: Any) -> Any:
            again = self._call(self.fn, args, kwargs)
            if again.error is not None or again.timed_out:
                raise _CalledAgainError(
                    "did not finish in time" if again.timed_out else describe_error(again))
            return again.value

        try:
            return case.verify(got, call, *snapshot(case.args), **snapshot(dict(case.kwargs)))
        except _CalledAgainError as error:
            return f"calling your function again raised {error}"

    def _compare(self, got: Any, expected: Any) -> Mismatch | None:
        outputs = self.exercise.outputs
        if got is None and expected is not None:
            return Mismatch("none", "the result", "the result is None.", got, expected)
        if outputs and isinstance(expected, tuple):
            count = len(outputs)
            if not isinstance(got, tuple | list) or len(got) != count:
                return Mismatch(
                    "type", "the result",
                    f"the result should be a tuple of {count} items ({', '.join(outputs)}), "
                    f"got {short_type(got)}.", got, expected)
            for index, name in enumerate(outputs):
                where = f"`{name}` (output {index + 1} of {count})"
                mismatch = compare(got[index], expected[index], self.exercise.tolerance, where)
                if mismatch:
                    return mismatch
            return None
        return compare(got, expected, self.exercise.tolerance)

    # ------------------------------------------------------------------ hints
    def _matching_mistake(self, outcome: Outcome, case: Case) -> str | None:
        """The hint of the first mistake that returns what the attendee's function returned, or
        raises the same exception."""
        for mistake in self.exercise.mistakes:
            wrong = call_guarded(mistake.fn, snapshot(case.args), snapshot(dict(case.kwargs)),
                                 self.exercise.prepare)
            if outcome.error is not None:
                if type(wrong.error) is type(outcome.error) and str(wrong.error) == str(
                        outcome.error):
                    return mistake.hint
            elif wrong.error is None and wrong.value is not None and self._compare(
                    outcome.value, wrong.value) is None:
                return mistake.hint
        return None

    def _diagnosis(self, got: Any, case: Case) -> str | None:
        for diagnosis in self.exercise.diagnoses:
            try:
                if diagnosis.applies(got, *snapshot(case.args), **snapshot(dict(case.kwargs))):
                    return diagnosis.hint
            except Exception:  # a diagnosis is a bonus: an odd result must not break feedback
                continue
        return None

    def _tier_hint(self) -> str:
        hints = list(self.exercise.hints) or ["compare your code with the formula above the "
                                              "exercise, and open the hints under it."]
        index = min(self.tier, len(hints) - 1)
        text = hints[index]
        if len(hints) > 1:
            text = f"({index + 1} of {len(hints)}) {text}"
            if index + 1 < len(hints):
                text += " Run this check again after a change for a more concrete hint."
        return text

    def _describe_exception(self, outcome: Outcome) -> str:
        if isinstance(outcome.error, NotImplementedError) and outcome.raised_in:
            return (f"    your function calls `{outcome.raised_in}`, which is not implemented "
                    f"yet:\n    raised {outcome.location}")
        return f"    your function raised {describe_error(outcome)}"

    def _exception_problem(self, outcome: Outcome, names: list[str], case: Case) -> Problem:
        text = self._describe_exception(outcome)
        cause = f"it raised {type(outcome.error).__name__}"
        if isinstance(outcome.error, NotImplementedError) and outcome.raised_in:
            return Problem("failed", text + f"\n    hint: write `{outcome.raised_in}` first (its "
                                            f"exercise is above), then run this check again.",
                           f"it calls {outcome.raised_in}, which is not implemented yet")
        hint = self._matching_mistake(outcome, case)
        if hint is None and isinstance(outcome.error, NameError):
            hint = ("a name is not defined: did you run the cells above (imports, earlier "
                    "exercises)? Use the function's arguments rather than notebook variables.")
        if hint is None and isinstance(outcome.error, TypeError | ValueError) and names:
            hint = (f"the check calls `{self.name}({', '.join(names)})` with the shapes above: "
                    f"compare them with the shapes in your code (`print(X.shape)` helps).")
        return Problem("failed", text + (f"\n    hint: {hint}" if hint else ""), cause)

    def _warning_hint(self, outcome: Outcome) -> str:
        text = " ".join(outcome.warnings)
        specific = dict.fromkeys(
            hint for phrase, hint in self.exercise.warning_hints.items() if phrase in text)
        if specific:
            return " Also: ".join(specific)
        if "overflow" in text:
            return ("exp of a large number overflows: rewrite the formula so that exp only sees "
                    "non-positive numbers (see the stable form in the text above).")
        if "divide by zero" in text or "log" in text:
            return ("log(0) or a division by 0: keep the argument away from 0 (stable form or "
                    "clipping).")
        return "look for an operation that produces NaN or inf."

    def _describe_mismatch(self, mismatch: Mismatch, outcome: Outcome, case: Case,
                           expected: Any) -> str:
        lines = [f"    {mismatch.message}"]
        if mismatch.kind in ("value", "nonfinite", "shape", "type", "dtype", "length"):
            lines.append(f"    got:      {format_value(outcome.value)}")
            lines.append(f"    expected: {format_value(expected)}")
        specific = (self._matching_mistake(outcome, case)
                    or self._diagnosis(outcome.value, case))
        if specific:
            lines.append(f"    hint: {specific}")
            return "\n".join(lines)
        # what got vs expected shows (structure, a factor...), then the general help
        observed = (structure_hint(outcome.value, expected, self.exercise.outputs)
                    or generic_hint(mismatch, _n_samples(case)))
        if observed:
            lines.append(f"    hint: {observed}")
        lines.append(f"    {'also' if observed else 'hint'}: {case.hint or self._tier_hint()}")
        return "\n".join(lines)

    # ------------------------------------------------------------------ around the cases
    def _failing_dependency(self) -> str | None:
        """A first line naming the attendee's earlier exercise that fails its own check, when
        the function calls one."""
        if self.depth >= 3 or not self.exercise.uses:
            return None
        from helpers.checks.registry import all_exercises  # the registry imports this module

        namespace = getattr(self.fn, "__globals__", {})
        referenced = global_names(self.fn)
        exercises = all_exercises()
        for name in self.exercise.uses:
            theirs, exercise = namespace.get(name), exercises.get(name)
            if name not in referenced or exercise is None or not callable(theirs):
                continue
            if theirs is exercise.reference:
                continue
            remaining = max(self.deadline - time.perf_counter(), 0.1)
            verdict = exercise.evaluate(theirs, depth=self.depth + 1, time_limit=remaining)
            if verdict.status in ("failed", "not implemented", "error"):
                return (
                    f"{FAIL} {self.name} calls your `{name}`, which fails its own check "
                    f"({verdict.cause}): fix `{name}` first (`check_{name}({name})` says "
                    f"how), then run this check again. What this check saw:"
                )
        return None

    def _notes(self) -> str:
        notes = []
        for note in self.exercise.notes:
            try:
                if note.applies(self.fn):
                    notes.append(note.text)
            except Exception:  # a note is a bonus
                continue
        namespace = getattr(self.fn, "__globals__", {})
        referenced = global_names(self.fn)
        if self.exercise.uses:
            from helpers.checks.registry import all_exercises

            exercises = all_exercises()
            borrowed = [name for name in self.exercise.uses if name in referenced
                        and name in exercises and namespace.get(name) is not None
                        and namespace.get(name) is exercises[name].reference]
            if borrowed:
                listed = ", ".join(f"`{name}`" for name in borrowed)
                notes.append(f"it calls the workshop's reference {listed} (bound by a catch-up "
                             f"cell), not yours.")
        return "".join(f"\n    note: {text}" for text in notes)

    def _printed_text(self) -> str:
        if not self.printed:
            return ""
        label, outcome = self.printed[0]
        lines = outcome.printed.splitlines()
        shown = "\n".join(f"      | {line[:120]}" for line in lines[:5])
        more = outcome.printed_chars - sum(len(line) + 1 for line in lines[:5])
        tail = f"\n      | ... ({outcome.printed_chars:,} characters in all)" if more > 0 else ""
        return (f"\n    note: your function printed this (case: {label}); remove debugging "
                f"prints once it works:\n{shown}{tail}")

    def _describe_inputs(self, case: Case) -> str:
        parts = [
            f"{name} = {_describe_arg(value)}"
            for name, value in zip(self.exercise.names_for(case), case.args, strict=True)
        ]
        parts += [f"{name} = {_describe_arg(value)}" for name, value in case.kwargs.items()]
        return "    inputs: " + ("; ".join(parts) if parts else "(none)")


class _CalledAgainError(Exception):
    """The attendee's function raised when a ``verify`` called it again."""


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
    check.exercise = exercise  # for the registry, tests and benchmarks
    # the declaring module, as namedtuple does it: the registry groups exercises by notebook
    check.__module__ = sys._getframe(1).f_globals.get("__name__", __name__)
    return check
