"""helpers.gradcheck: numerical gradients, relative error, and check_gradient's verdicts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from helpers.gradcheck import check_gradient, numerical_gradient, relative_error

finite = st.floats(-3, 3, allow_nan=False, width=64)


def smooth(a: np.ndarray, b: np.ndarray):
    """A random smooth function of w and its exact gradient."""
    return (lambda w: float(np.sum(a * np.sin(w) + b * w**2)), lambda w: a * np.cos(w) + 2 * b * w)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_numerical_gradient_matches_analytic_on_random_smooth_functions(data):
    shape = data.draw(array_shapes(min_dims=0, max_dims=3, max_side=4))
    w = data.draw(arrays(np.float64, shape, elements=finite))
    a = data.draw(arrays(np.float64, shape, elements=finite))
    b = data.draw(arrays(np.float64, shape, elements=finite))
    f, grad = smooth(a, b)
    before = w.copy()
    numeric = numerical_gradient(f, w)
    assert numeric.shape == w.shape and numeric.dtype == np.float64
    assert np.array_equal(w, before)
    np.testing.assert_allclose(numeric, grad(w), rtol=1e-6, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=5), elements=finite))
def test_check_gradient_accepts_exact_and_rejects_scaled_gradients(w):
    a = np.cos(np.arange(w.size)).reshape(w.shape) + 2.0
    f, grad = smooth(a, np.ones_like(w))
    assert check_gradient(f, grad, w)
    wrong = check_gradient(f, lambda v: 1.5 * grad(v) + 0.1, w)
    assert not wrong and wrong.status == "failed"


def test_relative_error_definition():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == pytest.approx(1.0)
    assert relative_error([1e-12], [0.0]) == pytest.approx(1e-12 / 1e-8)  # the floor
    assert relative_error([3.0, 1.0], [1.0, 1.0]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="equal shapes"):
        relative_error([1.0], [1.0, 2.0])


def test_non_contiguous_input_is_restored():
    w = np.arange(12.0).reshape(3, 4).T
    before = w.copy()
    numeric = numerical_gradient(lambda v: float(np.sum(v**2)), w)
    np.testing.assert_allclose(numeric, 2 * before, rtol=1e-7)
    assert np.array_equal(w, before)


def test_input_restored_when_f_raises():
    w = np.ones(3)

    def f(v):
        if v[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        numerical_gradient(f, w)
    assert np.array_equal(w, np.ones(3))


def test_integer_arrays_are_refused_clearly():
    with pytest.raises(TypeError, match="float array"):
        numerical_gradient(lambda v: 0.0, np.arange(3))


def test_check_gradient_feedback_paths(capsys):
    f = lambda w: float(np.sum(w**2))  # noqa: E731
    w = np.array([1.0, -2.0, 3.0])

    def stub(w):
        raise NotImplementedError

    assert check_gradient(f, stub, w).status == "not implemented"
    assert "not implemented yet" in capsys.readouterr().out
    assert "sign is flipped" in check_gradient(f, lambda v: -2 * v, w).message
    assert "constant factor of 0.5" in check_gradient(f, lambda v: v, w).message
    assert "returned None" in check_gradient(f, lambda v: None, w).message
    assert "shape (3, 1)" in check_gradient(f, lambda v: (2 * v)[:, None], w).message
    raised = check_gradient(f, lambda v: v["x"], w)
    assert not raised and "IndexError" in raised.message
    assert not check_gradient(f, lambda v: np.full(3, np.nan), w)
    assert not check_gradient(f, lambda v: "grad", w)
    worst = check_gradient(f, lambda v: 2 * v + np.array([0.0, 0.0, 1.0]), w)
    assert "[2]" in worst.message.splitlines()[2]  # the worst coordinate is listed first


def test_check_gradient_leaves_w_alone_and_tolerates_zero_gradients():
    w = np.array([0.0, 1.0])
    before = w.copy()
    # d/dw0 of w1**2 is exactly 0: its numerical estimate is tiny noise, not an error
    assert check_gradient(
        lambda v: float(v[1] ** 2) * 1e3, lambda v: np.array([0.0, 2e3 * v[1]]), w
    )
    assert np.array_equal(w, before)


def test_a_non_finite_loss_never_passes(capsys):
    w = np.array([30.0, -30.0])
    result = check_gradient(lambda v: float("nan"), lambda v: np.zeros(2), w)
    assert not result and "not finite" in result.message

    def naive_cross_entropy(v):  # log(0) at a saturated point: inf, and a wrong gradient
        p = 1 / (1 + np.exp(-np.array([50.0, -50.0]) * v[0]))
        with np.errstate(all="ignore"):
            return float(-np.mean(np.log(1 - p)))

    assert not check_gradient(naive_cross_entropy, lambda v: np.zeros(2), w)
