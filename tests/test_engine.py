"""The checks engine turns every kind of attendee mistake into feedback, and never raises."""

from __future__ import annotations

import math
import subprocess
import sys
import time

import numpy as np
import pytest

from helpers.checks.compare import Tolerance, compare
from helpers.checks.engine import Case, Exercise, Mistake, make_check
from helpers.feedback import format_value


def mse(X, y, w):
    return float(np.mean((X @ w - y) ** 2))


def _cases(rng):
    return [
        Case(
            "hand-made 3x2",
            (
                np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
                np.array([1.0, 2.0, 3.0]),
                np.array([0.5, -0.5]),
            ),
        ),
        Case("random 20x3", (rng.normal(size=(20, 3)), rng.normal(size=20), rng.normal(size=3))),
    ]


def mse_by_hand(X, y, w):
    residual = X @ w - y
    return float(residual @ residual / len(y))


check_mse = make_check(
    Exercise(
        "mse_loss",
        mse_by_hand,
        _cases,
        mistakes=[
            Mistake(
                "rmse", lambda X, y, w: math.sqrt(mse(X, y, w)), "you return the square root (RMSE)"
            )
        ],
        hints=("compare with the formula",),
    )
)


def residuals(X, w):
    return X @ w


check_residuals = make_check(
    Exercise(
        "residuals",
        residuals,
        [Case("random", (np.arange(12.0).reshape(6, 2), np.array([1.0, -1.0])))],
    )
)


def test_correct_function_passes(capsys):
    result = check_mse(mse)
    assert result and result.passed and result.status == "passed"
    out = capsys.readouterr().out
    assert "✅ mse_loss: all 2 cases passed" in out


def test_a_different_but_correct_implementation_passes():
    def loops(X, y, w):
        total = 0.0
        for row, target in zip(X, y, strict=True):
            total += (sum(a * b for a, b in zip(row, w, strict=True)) - target) ** 2
        return total / len(y)

    assert check_mse(loops)


def test_stub_is_not_implemented_yet():
    def stub(X, y, w):
        raise NotImplementedError("Replace this line with your code.")

    result = check_mse(stub)
    assert not result and result.status == "not implemented"
    assert "not implemented yet" in result.message


def test_missing_return():
    def forgot(X, y, w):
        np.mean((X @ w - y) ** 2)

    result = check_mse(forgot)
    assert not result and "is None" in result.message and "`return`" in result.message


def test_exception_names_type_message_and_line():
    def broken(X, y, w):
        residual = X @ w - y
        return residual.nope

    result = check_mse(broken)
    assert not result
    assert "AttributeError" in result.message and "nope" in result.message
    assert "in broken, line" in result.message and "return residual.nope" in result.message
    assert "case 1 of 2 failed (hand-made 3x2)" in result.message


def test_shape_error_in_numpy_points_at_the_attendee_line():
    def transposed(X, y, w):
        return float(np.mean((X.T @ w - y) ** 2))

    result = check_mse(transposed)
    assert "ValueError" in result.message and "X.T @ w" in result.message
    assert "mse_loss(X, y, w)" in result.message


def test_wrong_type_list():
    result = check_residuals(lambda X, w: list(X @ w))
    assert not result and "should be a numpy array of shape (6,), got list of 6" in result.message


def test_column_instead_of_vector():
    result = check_residuals(lambda X, w: (X @ w).reshape(-1, 1))
    assert "shape (6, 1), expected (6,)" in result.message and ".ravel()" in result.message


def test_n_by_n_broadcast_hint():
    result = check_residuals(lambda X, w: (X @ w).reshape(-1, 1) - np.zeros(6))
    assert "(n, n)" in result.message


def test_wrong_dtype():
    result = check_residuals(lambda X, w: (X @ w).astype(np.float32).astype(object))
    assert not result and "dtype object" in result.message


def test_nan_and_inf_are_named():
    def nan(X, w):
        out = X @ w
        out[2] = np.nan
        return out

    result = check_residuals(nan)
    assert "contains nan at [2]" in result.message and "NaN or inf" in result.message
    assert "is inf" in check_mse(lambda X, y, w: float("inf")).message


def test_numpy_warning_is_feedback():
    def overflowing(X, y, w):
        return mse(X, y, w) + float(np.exp(np.array(1000.0)) * 0)

    result = check_mse(overflowing)
    assert not result and "overflow encountered in exp" in result.message


def test_in_place_modification_is_caught_and_does_not_leak():
    calls = []

    def mutating(X, y, w):
        calls.append(w.copy())
        w -= 1.0
        return mse(X, y, w + 1.0)

    result = check_mse(mutating)
    assert not result and "modified its input w in place" in result.message
    # the case itself is untouched: a correct function still passes afterwards
    assert check_mse(mse)


def test_mistake_catalogue_hint_beats_generic():
    result = check_mse(lambda X, y, w: math.sqrt(mse(X, y, w)))
    assert "RMSE" in result.message


def test_generic_factor_and_sign_hints():
    summed = check_mse(lambda X, y, w: float(np.sum((X @ w - y) ** 2)))
    assert "3 times the expected one (n = 3 samples)" in summed.message
    assert "opposite sign" in check_residuals(lambda X, w: -(X @ w)).message


def test_default_hint_when_nothing_matches():
    result = check_mse(lambda X, y, w: 42.0)
    assert "compare with the formula" in result.message


def test_passing_the_result_instead_of_the_function():
    result = check_mse(3.0)
    assert not result and "needs the function itself" in result.message


def test_strange_return_values_never_crash():
    class Weird:
        def __eq__(self, other):
            raise RuntimeError("no")

        def __repr__(self):
            raise RuntimeError("no repr either")

    for value in (Weird(), "text", {"a": 1}, np.array(["a", "b"]), 1 + 2j, [1, "a"]):
        assert not check_mse(lambda X, y, w, v=value: v)
        assert not check_residuals(lambda X, w, v=value: v)


def test_a_buggy_checker_reports_instead_of_raising():
    def bad_cases(rng):
        raise RuntimeError("oops")

    check = make_check(Exercise("thing", lambda: 1, bad_cases))
    result = check(lambda: 1)
    assert not result and result.status == "error" and "bug in the workshop" in result.message


def test_generators_are_consumed_inside_the_guard():
    def reference(n):
        yield from range(n)

    check = make_check(Exercise("count", reference, [Case("n=3", (3,))], prepare=list))

    def explodes(n):
        yield 0
        raise ValueError("bad batch")

    assert check(lambda n: iter(range(n)))
    result = check(explodes)
    assert not result and "ValueError: bad batch" in result.message


def test_tuple_outputs_are_named():
    def ref(x):
        return x * 2, [1.0, 2.0]

    check = make_check(Exercise("pair", ref, [Case("x", (np.ones(2),))], outputs=("w", "losses")))
    assert check(lambda x: (x * 2, np.array([1.0, 2.0])))
    assert "`losses` (output 2 of 2) has 1 items" not in check(lambda x: (x * 2, [1.0])).message
    assert "shape (1,), expected (2,)" in check(lambda x: (x * 2, [1.0])).message
    assert "tuple of 2 items (w, losses)" in check(lambda x: x * 2).message


def test_verify_cases_for_properties():
    def verify(got, call, n):
        return None if got.shape == (n,) and np.all(got >= 0) else "expected n non-negative values"

    check = make_check(
        Exercise("draw", None, [Case("n=5", (5,), verify=verify, hint="use abs")], arg_names=("n",))
    )
    assert check(lambda n: np.ones(n))
    result = check(lambda n: -np.ones(n))
    assert not result and "non-negative" in result.message and "use abs" in result.message


def test_random_cases_are_deterministic():
    first = check_mse(lambda X, y, w: 1.0).message
    assert first == check_mse(lambda X, y, w: 1.0).message


def test_integers_are_fine_where_values_are_whole():
    check = make_check(
        Exercise(
            "signs", lambda x: np.where(x >= 0, 1.0, -1.0), [Case("x", (np.array([-1.0, 2.0]),))]
        )
    )
    assert check(lambda x: np.where(x >= 0, 1, -1))


def test_compare_tolerance():
    tol = Tolerance(rtol=1e-6, atol=1e-9)
    assert compare(1.0 + 1e-9, 1.0, tol) is None
    assert compare(1.1, 1.0, tol).kind == "value"
    assert compare(np.float64(2.0), 2.0, tol) is None
    assert compare(np.array(2.0), 2.0, tol) is None
    assert compare(np.array([2.0]), 2.0, tol).kind == "type"
    assert compare(True, True, tol) is None and compare(1, True, tol).kind == "type"


def test_format_value_is_compact():
    assert format_value(np.arange(4.0).reshape(2, 2)) == "[[0., 1.], [2., 3.]] (2, 2)"
    assert format_value(np.zeros((50, 3))).startswith("array (50, 3) float64 starting [0., 0.")
    assert format_value(0.123456789) == "0.123457"


def test_result_is_quiet_in_ipython_and_readable_elsewhere():
    from IPython.core.formatters import DisplayFormatter

    result = check_mse(mse)
    # a cell ending with a check shows the printed feedback only, not an "Out[...]" repeat of it
    assert DisplayFormatter().format(result) == ({}, {})
    assert repr(result) == "Result(name='mse_loss', passed=True, status='passed')"
    assert str(result).startswith("✅")


def test_works_in_a_plain_python_process():
    code = (
        "from helpers.checks.engine import Case, Exercise, make_check\n"
        "c = make_check(Exercise('one', lambda: 1.0, [Case('none')]))\n"
        "assert c(lambda: 1.0)\n"
        "def stub():\n    raise NotImplementedError\n"
        "assert not c(stub)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "✅ one" in done.stdout and "not implemented yet" in done.stdout


@pytest.mark.parametrize("name", ["mse_loss", "residuals"])
def test_check_function_metadata(name):
    check = check_mse if name == "mse_loss" else check_residuals
    assert check.__name__ == f"check_{name}" and check.exercise.name == name
    assert "Returns" in check.__doc__


def test_missing_return_with_tuple_outputs():
    check = make_check(Exercise("pair", lambda x: (x, [1.0]), [Case("x", (np.ones(2),))],
                                outputs=("w", "losses")))
    result = check(lambda x: None)
    assert not result and "is None" in result.message and "`return`" in result.message


def test_plotting_exports_every_topic_module():
    from helpers import plotting

    assert {"plot_decision_boundary", "LiveFigure"} <= set(plotting.__all__)
    assert all(hasattr(plotting, name) for name in plotting.__all__)
    assert len(plotting.__all__) == len(set(plotting.__all__))


def test_sys_exit_in_attendee_code_is_feedback():
    import sys as system

    result = check_mse(lambda X, y, w: system.exit(1))
    assert not result and "SystemExit" in result.message


def test_verify_can_call_the_function_again_for_determinism():
    def same_seed(got, call, seed):
        return None if np.array_equal(call(seed), got) else "the same seed gave different values"

    check = make_check(Exercise("draw", None, [Case("seed 1", (1,), verify=same_seed)],
                                arg_names=("seed",)))
    assert check(lambda seed: np.random.default_rng(seed).random(3))
    assert "same seed gave different" in check(lambda seed: np.random.random(3)).message
    calls = []

    def fails_second_time(seed):
        calls.append(seed)
        if len(calls) > 1:
            raise ValueError("second call")
        return np.zeros(3)

    result = check(fails_second_time)
    assert not result and "calling your function again raised ValueError" in result.message


# --------------------------------------------------------------------------- real causes
def _namespace(source: str, **names) -> dict:
    """Functions defined as in a notebook: their globals are this namespace."""
    import textwrap

    namespace = {"np": np, **names}
    exec(textwrap.dedent(source), namespace)  # noqa: S102 - test scaffolding
    return namespace


def _square_ref(x):
    return x**2


def _sum_of_squares_ref(x):
    return float(np.sum(_square_ref(x)))


check_square = make_check(Exercise("square_it", _square_ref, [Case("x", (np.arange(3.0),))]))
check_sum_squares = make_check(Exercise(
    "sum_squares", _sum_of_squares_ref, [Case("x", (np.arange(3.0),))], uses=("square_it",)))


def test_a_failing_dependency_is_named_first(monkeypatch):
    from helpers.checks import registry

    monkeypatch.setattr(registry, "all_exercises", lambda: {
        "square_it": check_square.exercise, "sum_squares": check_sum_squares.exercise})
    ns = _namespace("""
        def square_it(x):
            return x * 2
        def sum_squares(x):
            return float(np.sum(square_it(x)))
    """)
    result = check_sum_squares(ns["sum_squares"])
    first = result.message.splitlines()[0]
    assert first.startswith("❌ sum_squares calls your `square_it`, which fails its own check")
    assert "check_square_it(square_it)" in first
    # a correct dependency is not blamed, and an unused one is not checked
    ns = _namespace("""
        def square_it(x):
            return x ** 2
        def sum_squares(x):
            return float(np.sum(square_it(x))) + 1
    """)
    assert "fails its own check" not in check_sum_squares(ns["sum_squares"]).message
    ns = _namespace("""
        def square_it(x):
            return x * 2
        def sum_squares(x):
            return float(np.sum(x ** 3))
    """)
    assert "square_it" not in check_sum_squares(ns["sum_squares"]).message


def test_a_stub_called_inside_is_named(monkeypatch):
    ns = _namespace("""
        def square_it(x):
            raise NotImplementedError("Replace this line with your code.")
        def sum_squares(x):
            total = square_it(x)
            return float(np.sum(total))
    """)
    result = check_sum_squares(ns["sum_squares"])
    assert result.status == "failed"
    assert "calls `square_it`, which is not implemented yet" in result.message
    assert "called from sum_squares" in result.message
    assert "x = array (3,) float64" in result.message


def test_an_error_in_another_function_shows_the_call_and_its_arguments():
    ns = _namespace("""
        def helper(A, B):
            return A @ B
        def sum_squares(x):
            return float(np.sum(helper(x[:, None], x[:, None])))
    """)
    message = check_sum_squares(ns["sum_squares"]).message
    assert "raised in helper" in message and "called from sum_squares" in message
    assert "A = array (3, 1) float64, B = array (3, 1) float64" in message


def test_the_reference_bound_by_catch_up_is_named():
    result = check_square(_square_ref)
    assert not result and result.status == "reference"
    assert "the workshop's reference `square_it`" in result.message


def test_a_passing_function_that_uses_a_reference_gets_a_note(monkeypatch):
    from helpers.checks import registry

    monkeypatch.setattr(registry, "all_exercises", lambda: {"square_it": check_square.exercise})
    ns = _namespace("""
        def sum_squares(x):
            return float(np.sum(square_it(x)))
    """, square_it=_square_ref)
    result = check_sum_squares(ns["sum_squares"])
    assert result and "calls the workshop's reference `square_it`" in result.message


# --------------------------------------------------------------------------- bad callables
def test_a_class_a_generator_and_wrong_parameters_are_named():
    class MSE:
        pass

    def generator(X, y, w):
        yield mse(X, y, w)

    assert "got the class MSE" in check_mse(MSE).message
    assert "contains `yield`" in check_mse(generator).message
    result = check_mse(lambda X, w: 0.0)
    assert "calls `mse_loss(X, y, w)`" in result.message
    assert "your function's parameters are (X, w)" in result.message


def test_prints_are_shown_bounded_and_do_not_fail():
    def chatty(X, y, w):
        print("debug", X.shape)
        print("x" * 10**6)
        return mse(X, y, w)

    result = check_mse(chatty)
    assert result
    assert "| debug (3, 2)" in result.message and "characters in all" in result.message
    assert len(result.message) < 3000


def test_an_endless_function_is_stopped_at_the_time_limit(monkeypatch):
    from helpers.checks import engine

    monkeypatch.setattr(engine, "TIME_LIMIT", 0.3)

    def endless(X, y, w):
        while True:
            try:
                time.sleep(1)
            except Exception:  # an attendee's broad except must not swallow the limit
                pass

    start = time.perf_counter()
    result = check_mse(endless)
    assert time.perf_counter() - start < 1.0
    assert not result and "did not finish within 0.3 s" in result.message
    assert check_mse(mse), "the alarm is cleared after a timeout"


# --------------------------------------------------------------------------- hints
def test_general_hints_escalate_with_each_failing_run_and_reset_on_pass():
    check = make_check(Exercise("tiers", lambda x: x + 1.0, [Case("x", (np.ones(3),))],
                                hints=("think about it", "add one", "x plus one, elementwise")))
    wrong = lambda x: x * 3.0  # noqa: E731
    messages = [check(wrong).message for _ in range(4)]
    assert "(1 of 3) think about it" in messages[0]
    assert "Run this check again after a change" in messages[0]
    assert "(2 of 3) add one" in messages[1]
    assert "(3 of 3) x plus one" in messages[2] and "Run this check again" not in messages[2]
    assert "(3 of 3)" in messages[3]
    assert check(lambda x: x + 1)
    assert "(1 of 3)" in check(wrong).message


def test_a_catalogued_mistake_raising_the_same_error_is_named():
    check = make_check(Exercise(
        "solve", lambda A, b: np.linalg.solve(A.T @ A, A.T @ b),
        [Case("3x2", (np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.ones(3)))],
        mistakes=[Mistake("not square", lambda A, b: np.linalg.solve(A, b),
                          "A is not square: solve the normal equations instead.")]))
    result = check(lambda A, b: np.linalg.solve(A, b))
    assert "LinAlgError" in result.message and "solve the normal equations" in result.message


def test_notes_on_correct_answers():
    from helpers.checks.engine import Note
    from helpers.checks.source import calls, has_loop

    check = make_check(Exercise("solve2", lambda A, b: np.linalg.solve(A, b),
                                [Case("2x2", (np.eye(2) * 2, np.ones(2)))],
                                notes=[Note("inverse", lambda fn: calls(fn, "np.linalg.inv"),
                                            "prefer solve")]))

    def with_inverse(A, b):
        return np.linalg.inv(A) @ b

    def with_solve(A, b):
        return np.linalg.solve(A, b)

    result = check(with_inverse)
    assert result and "note: prefer solve" in result.message
    assert "note" not in check(with_solve).message
    assert not has_loop(with_solve) and has_loop(_loop_sum)


def _loop_sum(values):
    return sum(v for v in values)


def test_structure_hints_for_lists_of_layers():
    from helpers.checks.structure import structure_hint

    rng = np.random.default_rng(0)
    expected = [rng.normal(size=(3, 4)), rng.normal(size=(5, 2)), rng.normal(size=(3, 1))]
    assert "reverse order" in structure_hint(expected[::-1], expected)
    assert "FIRST layer's item is missing" in structure_hint(expected[1:], expected)
    assert "LAST layer's item is missing" in structure_hint(expected[:-1], expected)
    assert "too many at the end" in structure_hint([*expected, expected[-1]], expected)
    assert "empty" in structure_hint([], expected)
    transposed = [expected[0], expected[1].T, expected[2]]
    assert "item 1 has shape (2, 5), expected (5, 2): it is transposed" in structure_hint(
        transposed, expected)
    flipped = [expected[0], -expected[1], expected[2]]
    assert "item 0 is right; item 1 is right up to its sign" in structure_hint(flipped, expected)
    halved = [expected[0] / 2, expected[1], expected[2]]
    assert "item 0 is 0.5 times the expected one" in structure_hint(halved, expected)
    bias = [expected[0], expected[1], expected[2].copy()]
    bias[2][-1] += 1
    assert "item 2 is right except its last row (the bias row)" in structure_hint(bias, expected)
    assert structure_hint(expected, expected) is None
    pair = (np.ones(3), [1.0, 2.0])
    assert "swapped" in structure_hint(([1.0, 2.0], np.ones(3)), pair, ("w", "losses"))


def test_non_contiguous_inputs_reach_the_function_non_contiguous():
    seen = []

    def record(x):
        seen.append(x.flags.c_contiguous)
        return 2 * x

    check = make_check(Exercise("double_view", lambda x: 2 * x,
                                [Case("a strided view", (np.arange(12.0).reshape(3, 4)[:, ::2],)),
                                 Case("a transposed matrix", (np.arange(6.0).reshape(2, 3).T,))]))
    assert check(record)
    assert seen == [False, False]
    assert check(lambda x: 2 * np.ascontiguousarray(x))
