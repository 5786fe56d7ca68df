"""Every ``helpers.checks.check_*`` keeps the contract, and every catalogued mistake is reachable.

The checks are discovered from the package (nothing here lists them), so a new exercise is covered
as soon as it is declared. For each check: a correct function passes; the workshop's reference
itself is reported as the reference; a stub, ``None``, an exception, a non-function, a class, a
function with the wrong parameters, ``yield`` instead of ``return``, megabytes of prints and an
endless function all get their own message, within the time limit. For each catalogued mistake:
the check fails and shows that mistake's own hint (a mistake shadowed by an earlier one, or never
different from the reference on any case, fails here).
"""

from __future__ import annotations

import inspect
import time

import pytest

from helpers.checks import engine
from helpers.checks.registry import all_checks, all_exercises

CHECKS = all_checks()
MISTAKES = [
    (name, mistake)
    for name, check in CHECKS.items()
    for mistake in check.exercise.mistakes
]


def _copy_of(reference):
    """A function that behaves like ``reference`` without being it (as an attendee's would)."""

    def copy(*args, **kwargs):
        return reference(*args, **kwargs)

    return copy


def _stub(*args, **kwargs):
    raise NotImplementedError("Replace this line with your code.")


@pytest.fixture(params=sorted(CHECKS), ids=lambda name: name.removeprefix("check_"))
def check(request, capsys):
    yield CHECKS[request.param]
    capsys.readouterr()


def test_checks_are_found_and_exported():
    import helpers.checks

    assert len(CHECKS) >= 37
    assert set(helpers.checks.__all__) == set(CHECKS)
    assert all(getattr(helpers.checks, name) is check for name, check in CHECKS.items())
    assert all(name == f"check_{check.exercise.name}" for name, check in CHECKS.items())


def test_a_correct_function_passes(check):
    result = check(_copy_of(check.exercise.reference))
    assert result and result.status == "passed", result.message
    assert result.message.startswith(f"✅ {check.exercise.name}: all ")


def test_the_reference_itself_is_named(check):
    result = check(check.exercise.reference)
    assert not result and result.status == "reference"
    assert f"the workshop's reference `{check.exercise.name}`" in result.message


def test_a_stub_is_not_implemented_yet(check):
    result = check(_stub)
    assert not result and result.status == "not implemented"
    assert "not implemented yet" in result.message


def test_a_missing_return_is_named(check):
    result = check(lambda *args, **kwargs: None)
    assert not result and result.status == "failed"
    assert "None" in result.message


def test_an_exception_is_named(check):
    result = check(lambda *args, **kwargs: 1 / 0)
    assert not result and "ZeroDivisionError: division by zero" in result.message


@pytest.mark.parametrize("value", [3.0, None, "mse_loss"])
def test_a_non_function_is_named(check, value):
    result = check(value)
    assert not result and result.status == "error"
    assert "needs the function itself" in result.message


def test_a_class_is_named(check):
    class Thing:
        pass

    result = check(Thing)
    assert not result and "got the class Thing" in result.message


def test_wrong_parameters_are_named(check):
    result = check(lambda: 0.0)
    assert not result and result.status == "failed"
    assert "your function's parameters are ()" in result.message


def test_yield_instead_of_return(check):
    def generator(*args, **kwargs):
        yield check.exercise.reference(*args, **kwargs)

    result = check(generator)
    if check.exercise.prepare is None:
        assert not result and "contains `yield`" in result.message
    else:  # an exercise that returns an iterator (minibatches): yield is the answer
        assert "contains `yield`" not in result.message


def test_megabytes_of_prints_are_bounded(check):
    reference = check.exercise.reference

    def chatty(*args, **kwargs):
        print("x" * 3_000_000)
        return reference(*args, **kwargs)

    result = check(chatty)
    assert result, result.message
    assert "characters in all" in result.message and len(result.message) < 5000


def test_an_endless_function_is_stopped(check, monkeypatch):
    monkeypatch.setattr(engine, "TIME_LIMIT", 0.2)

    def endless(*args, **kwargs):
        while True:
            pass

    start = time.perf_counter()
    result = check(endless)
    assert time.perf_counter() - start < 1.5
    assert not result and "did not finish within 0.2 s" in result.message


def test_the_real_time_limit_is_two_seconds(capsys):
    def sleepy(X, y, w):
        time.sleep(30)

    start = time.perf_counter()
    result = CHECKS["check_mse_loss"](sleepy)
    assert 1.9 < time.perf_counter() - start < 3.0
    assert "did not finish within 2 s" in result.message


def test_used_exercises_exist():
    exercises = all_exercises()
    for exercise in exercises.values():
        assert set(exercise.uses) <= set(exercises), exercise.name
        assert exercise.name not in exercise.uses


@pytest.mark.parametrize(("name", "mistake"), MISTAKES,
                         ids=[f"{name.removeprefix('check_')}-{m.name}" for name, m in MISTAKES])
def test_each_mistake_shows_its_own_hint(name, mistake, capsys):
    result = CHECKS[name](mistake.fn)
    assert not result, f"{name} passes the mistake {mistake.name!r}"
    assert mistake.hint in result.message, (
        f"{name}: the mistake {mistake.name!r} is caught, but with another hint:\n"
        f"{result.message}")


def test_mistakes_have_the_exercise_signature():
    for name, mistake in MISTAKES:
        reference = CHECKS[name].exercise.reference
        if reference is None:
            continue
        try:
            wanted = inspect.signature(reference).parameters
            theirs = inspect.signature(mistake.fn).parameters
        except (TypeError, ValueError):
            continue
        varargs = any(p.kind is p.VAR_POSITIONAL for p in theirs.values())
        assert varargs or len(theirs) >= len(
            [p for p in wanted.values() if p.default is p.empty]), (name, mistake.name)
