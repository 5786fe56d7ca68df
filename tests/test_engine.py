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


check_mse = make_check(
    Exercise(
        "mse_loss",
        mse,
        _cases,
        mistakes=[
            Mistake(
                "rmse", lambda X, y, w: math.sqrt(mse(X, y, w)), "you return the square root (RMSE)"
            )
        ],
        hint="compare with the formula",
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
    def verify(got, n):
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
    result = check_mse(mse)
    assert result._ipython_display_() is None
    assert repr(result) == "Result(name='mse_loss', passed=True, status='passed')"
    assert str(result).startswith("✅")


def test_checks_are_fast():
    start = time.perf_counter()
    for _ in range(5):
        check_mse(lambda X, y, w: math.sqrt(mse(X, y, w)))
    assert (time.perf_counter() - start) / 5 < 0.2


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
    def same_seed(got, seed, fn):
        return None if np.array_equal(fn(seed), got) else "the same seed gave different values"

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
