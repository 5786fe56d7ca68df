"""helpers.gradcheck: numerical gradients, relative error, and check_gradient's verdicts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from helpers.gradcheck import (
    GradientComparison,
    check_gradient,
    compare_gradients,
    format_comparison,
    numerical_gradient,
    relative_error,
)

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
    assert "opposite sign" in check_gradient(f, lambda v: -2 * v, w).message
    assert "0.5 times the expected one" in check_gradient(f, lambda v: v, w).message
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


# --------------------------------------------------------------------------- lists of arrays
def _two_layer_problem():
    """A loss of two weight matrices and its exact gradient, one array per matrix."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 3))
    weights = [rng.normal(size=(3, 4)), rng.normal(size=(4, 2))]

    def loss(ws):
        return float(np.sum(np.tanh(X @ ws[0]) @ ws[1]) ** 2)

    def grad(ws):
        hidden = np.tanh(X @ ws[0])
        outer = 2 * np.sum(hidden @ ws[1])
        d_hidden = outer * np.ones((5, 2)) @ ws[1].T
        return [X.T @ (d_hidden * (1 - hidden**2)), outer * hidden.T @ np.ones((5, 2))]

    return loss, grad, weights


def test_compare_gradients_of_one_array():
    f = lambda w: float(np.sum(w**3))  # noqa: E731
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    comparison = compare_gradients(f, lambda v: 3 * v**2, w)
    assert isinstance(comparison, GradientComparison) and comparison.passed
    np.testing.assert_allclose(comparison.numerical, 3 * w**2, rtol=1e-8)
    np.testing.assert_array_equal(comparison.analytic, 3 * w**2)
    assert comparison.relative_errors.shape == w.shape and comparison.size == 4
    assert comparison.max_relative_error == relative_error(comparison.analytic,
                                                           comparison.numerical)
    assert comparison.block_errors == [comparison.max_relative_error]
    wrong = compare_gradients(f, lambda v: 3 * v**2 + np.array([[0.0, 0.0], [0.0, 1.0]]), w)
    assert not wrong.passed and wrong.n_failing == 1
    assert wrong.worst[0].index == (1, 1) and wrong.worst[0].block is None
    assert wrong.worst[0].analytic == 28.0
    assert wrong.worst[0].relative_error == pytest.approx(1 / 55, rel=1e-6)
    assert [c.relative_error for c in wrong.worst] == sorted(
        (c.relative_error for c in wrong.worst), reverse=True)


def test_compare_gradients_raises_what_check_gradient_reports():
    w = np.ones(3)
    with pytest.raises(ValueError, match=r"shape \(3, 1\)"):
        compare_gradients(lambda v: float(np.sum(v)), lambda v: v[:, None], w)
    with pytest.raises(KeyError):
        compare_gradients(lambda v: {}["x"], lambda v: v, w)


def test_format_comparison_is_check_gradients_message(capsys):
    f = lambda w: float(np.sum(w**2))  # noqa: E731
    w = np.array([1.0, -2.0, 3.0])
    for grad in (lambda v: 2 * v, lambda v: 2 * v + np.array([0.0, 0.0, 1.0])):
        message = format_comparison(compare_gradients(f, grad, w), "g")
        assert check_gradient(f, grad, w, name="g").message == message
        assert capsys.readouterr().out == message + "\n"


def test_check_gradient_of_a_list_of_arrays_passes_and_leaves_it_alone():
    loss, grad, weights = _two_layer_problem()
    before = [W.copy() for W in weights]
    result = check_gradient(loss, grad, weights, name="two layers")
    assert result, result.message
    assert "agree" in result.message
    for W, original in zip(weights, before, strict=True):
        np.testing.assert_array_equal(W, original)
    comparison = compare_gradients(loss, grad, weights)
    assert [r.shape for r in comparison.relative_errors] == [(3, 4), (4, 2)]
    assert len(comparison.block_errors) == 2 and comparison.size == 20


def test_check_gradient_names_the_wrong_block():
    loss, grad, weights = _two_layer_problem()

    def second_layer_halved(ws):
        first, second = grad(ws)
        return [first, second / 2]

    result = check_gradient(loss, second_layer_halved, weights, name="backprop")
    assert not result and result.status == "failed"
    lines = result.message.splitlines()
    assert "differ in 8 of 20 coordinates" in lines[0] and "Per block" in lines[0]
    assert lines[1].startswith("    w[0] (3, 4): max relative error") and "agrees" in lines[1]
    assert lines[2].startswith("    w[1] (4, 2): max relative error 3.3e-01")
    assert "8 of 8 coordinates differ" in lines[2]
    assert lines[5].lstrip().startswith("w[1][")  # the worst coordinates are in the wrong block
    # the hint sees the wrong block alone: a factor, not "check each term"
    assert "0.5 times the expected one" in lines[-1]
    comparison = compare_gradients(loss, second_layer_halved, weights)
    assert comparison.block_errors[0] < 1e-7 < comparison.block_errors[1]
    assert comparison.worst[0].block == 1


def test_check_gradient_of_a_list_reports_a_malformed_gradient():
    loss, grad, weights = _two_layer_problem()
    cases = {
        "a list of 2 arrays": lambda ws: grad(ws)[:1],
        "array (3, 4) float64": lambda ws: grad(ws)[0],
        "the gradient of w[1] has shape (2, 4), expected (4, 2).":
            lambda ws: [grad(ws)[0], grad(ws)[1].T],
        "the gradient of w[0] has shape something that is not an array":
            lambda ws: [None, grad(ws)[1]],
    }
    for phrase, bad_grad in cases.items():
        result = check_gradient(loss, bad_grad, weights)
        assert not result and phrase in result.message, result.message
    raised = check_gradient(lambda ws: ws[2], grad, weights)
    assert not raised and "the loss function raised IndexError" in raised.message


def test_numerical_gradient_of_a_list_of_blocks():
    blocks = [np.array([[1.0, -2.0]]), np.array([3.0, 0.5, -1.0])]
    before = [b.copy() for b in blocks]

    def f(ws):
        return float(np.sum(ws[0] ** 2) + np.sum(ws[0]) * np.sum(ws[1] ** 3))

    grads = numerical_gradient(f, blocks)
    assert isinstance(grads, list) and [g.shape for g in grads] == [(1, 2), (3,)]
    np.testing.assert_allclose(grads[0], 2 * blocks[0] + np.sum(blocks[1] ** 3), rtol=1e-7)
    np.testing.assert_allclose(grads[1], np.sum(blocks[0]) * 3 * blocks[1] ** 2, rtol=1e-7)
    assert all(np.array_equal(a, b) for a, b in zip(blocks, before, strict=True))
