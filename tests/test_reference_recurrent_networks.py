"""Tests for helpers/reference/recurrent_networks.py against loops, closed forms and numerical
gradients: the checks of notebook 07 compute their expected values from these."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.gradcheck import numerical_gradient, relative_error
from helpers.reference import recurrent_networks as ref


def _numerical(loss, arrays):
    return [numerical_gradient(lambda _: loss(), array) for array in arrays]


def _rnn(rng, n=3, T=5, d=2, h=4, scale=0.7):
    return (rng.normal(size=(n, T, d)), rng.normal(size=(n, h)), rng.normal(size=(d, h)),
            scale * rng.normal(size=(h, h)), rng.normal(size=h))


# --------------------------------------------------------------------------- one step
def test_rnn_step_forward_is_the_formula_row_by_row():
    rng = np.random.default_rng(0)
    x, h_prev = rng.normal(size=(4, 3)), rng.normal(size=(4, 5))
    Wx, Wh, b = rng.normal(size=(3, 5)), rng.normal(size=(5, 5)), rng.normal(size=5)
    got = ref.rnn_step_forward(x, h_prev, Wx, Wh, b)
    for i in range(4):
        for k in range(5):
            z = sum(x[i, j] * Wx[j, k] for j in range(3)) + sum(
                h_prev[i, m] * Wh[m, k] for m in range(5)) + b[k]
            assert got[i, k] == pytest.approx(np.tanh(z))


def test_rnn_step_forward_hand_example():
    x = np.array([[1.0, 0.0, 1.0], [0.0, 0.5, 0.0]])
    h_prev = np.array([[0.5, 0.0], [0.0, -1.0]])
    Wx = np.array([[1.0, -0.5], [1.0, 0.0], [0.0, -0.5]])
    Wh = np.array([[1.0, 0.0], [0.0, 0.5]])
    got = ref.rnn_step_forward(x, h_prev, Wx, Wh, np.array([0.0, 0.5]))
    np.testing.assert_allclose(got, np.tanh([[1.5, -0.5], [0.5, 0.0]]))


def test_rnn_step_backward_matches_numerical_gradients():
    rng = np.random.default_rng(1)
    x, h_prev = rng.normal(size=(3, 2)), np.tanh(rng.normal(size=(3, 4)))
    Wx, Wh, b = rng.normal(size=(2, 4)), rng.normal(size=(4, 4)), rng.normal(size=4)
    dh = rng.normal(size=(3, 4))
    arrays = [x, h_prev, Wx, Wh, b]
    numerical = _numerical(lambda: np.sum(dh * ref.rnn_step_forward(*arrays)), arrays)
    h = ref.rnn_step_forward(x, h_prev, Wx, Wh, b)
    for got, expected in zip(ref.rnn_step_backward(dh, x, h_prev, h, Wx, Wh), numerical,
                             strict=True):
        assert got.shape == expected.shape
        assert relative_error(got, expected) < 1e-7


# --------------------------------------------------------------------------- the sequence
def test_rnn_forward_runs_the_step_from_h0():
    rng = np.random.default_rng(2)
    X, h0, Wx, Wh, b = _rnn(rng)
    H = ref.rnn_forward(X, h0, Wx, Wh, b)
    assert H.shape == (3, 5, 4) and H.dtype == float
    h = h0
    for t in range(5):
        h = ref.rnn_step_forward(X[:, t], h, Wx, Wh, b)
        np.testing.assert_array_equal(H[:, t], h)


def test_rnn_forward_one_step_and_integer_inputs():
    rng = np.random.default_rng(3)
    X = rng.integers(0, 2, size=(4, 1, 2))
    h0, Wx, Wh, b = np.zeros((4, 3)), rng.normal(size=(2, 3)), rng.normal(size=(3, 3)), np.ones(3)
    H = ref.rnn_forward(X, h0, Wx, Wh, b)
    assert H.dtype == float
    np.testing.assert_allclose(H[:, 0], np.tanh(X[:, 0] @ Wx + b))


@pytest.mark.parametrize("shape", [(3, 5, 2, 4), (1, 4, 3, 2), (2, 1, 2, 3)])
def test_rnn_backward_matches_numerical_gradients(shape):
    n, T, d, h = shape
    rng = np.random.default_rng(4)
    arrays = list(_rnn(rng, n, T, d, h))
    dH = rng.normal(size=(n, T, h))
    numerical = _numerical(lambda: np.sum(dH * ref.rnn_forward(*arrays)), arrays)
    X, h0, Wx, Wh, b = arrays
    got = ref.rnn_backward(dH, X, ref.rnn_forward(*arrays), h0, Wx, Wh)
    for analytic, expected in zip(got, numerical, strict=True):
        assert analytic.shape == expected.shape
        assert relative_error(analytic, expected) < 1e-6


def test_rnn_backward_with_one_step_is_the_step_backward():
    rng = np.random.default_rng(5)
    X, h0, Wx, Wh, b = _rnn(rng, T=1)
    dH = rng.normal(size=(3, 1, 4))
    H = ref.rnn_forward(X, h0, Wx, Wh, b)
    dX, dh0, dWx, dWh, db = ref.rnn_backward(dH, X, H, h0, Wx, Wh)
    step = ref.rnn_step_backward(dH[:, 0], X[:, 0], h0, H[:, 0], Wx, Wh)
    for got, expected in zip((dX[:, 0], dh0, dWx, dWh, db), step, strict=True):
        np.testing.assert_allclose(got, expected)


def test_rnn_backward_gives_floats_for_integer_inputs():
    rng = np.random.default_rng(6)
    X = rng.integers(0, 2, size=(2, 4, 2))
    h0, Wx, Wh = np.zeros((2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(3, 3))
    H = ref.rnn_forward(X, h0, Wx, Wh, np.zeros(3))
    dX = ref.rnn_backward(np.ones(H.shape), X, H, h0, Wx, Wh)[0]
    assert dX.dtype == float and not np.allclose(dX, np.round(dX))


# --------------------------------------------------------------------------- clipping
def test_clip_by_norm_scales_to_max_norm_and_keeps_the_direction():
    grads = [np.array([[3.0, 0.0], [0.0, 4.0]]), np.array([12.0])]
    clipped = ref.clip_by_norm(grads, 2.6)
    np.testing.assert_allclose(clipped[0], [[0.6, 0.0], [0.0, 0.8]])
    np.testing.assert_allclose(clipped[1], [2.4])
    np.testing.assert_array_equal(grads[1], [12.0])  # the input is not modified


def test_clip_by_norm_leaves_small_and_zero_gradients():
    small = [np.array([0.1, -0.2]), np.array([[0.3]])]
    for got, given in zip(ref.clip_by_norm(small, 1.0), small, strict=True):
        np.testing.assert_array_equal(got, given)
        assert got is not given
    with np.errstate(all="raise"):
        zeros = ref.clip_by_norm([np.zeros(3)], 1.0)
    np.testing.assert_array_equal(zeros[0], np.zeros(3))
    assert ref.clip_by_norm([np.array([3, 4])], 1)[0].dtype == float


# --------------------------------------------------------------------------- the GRU
def _gru_params(rng, d=2, h=3):
    return rng.normal(size=(d, 3 * h)), rng.normal(size=(h, 3 * h)), rng.normal(size=3 * h)


def test_gru_keeps_its_state_when_the_update_gate_is_open():
    rng = np.random.default_rng(7)
    Wx, Wh, b = _gru_params(rng)
    b[3:6] = 50.0  # z = sigmoid(50 + ...) = 1: keep the old state
    h_prev = np.tanh(rng.normal(size=(4, 3)))
    np.testing.assert_allclose(ref.gru_step_forward(rng.normal(size=(4, 2)), h_prev, Wx, Wh, b),
                               h_prev, atol=1e-12)


def test_gru_with_a_closed_update_gate_is_its_candidate():
    rng = np.random.default_rng(8)
    Wx, Wh, b = _gru_params(rng)
    b[3:6] = -50.0  # z = 0: the candidate only
    x, h_prev = rng.normal(size=(4, 2)), np.tanh(rng.normal(size=(4, 3)))
    r = 1 / (1 + np.exp(-(x @ Wx[:, :3] + h_prev @ Wh[:, :3] + b[:3])))
    candidate = np.tanh(x @ Wx[:, 6:] + (r * h_prev) @ Wh[:, 6:] + b[6:])
    np.testing.assert_allclose(ref.gru_step_forward(x, h_prev, Wx, Wh, b), candidate, atol=1e-12)


def test_gru_step_backward_matches_numerical_gradients():
    rng = np.random.default_rng(9)
    x, h_prev = rng.normal(size=(3, 2)), np.tanh(rng.normal(size=(3, 4)))
    Wx, Wh, b = _gru_params(rng, 2, 4)
    dh = rng.normal(size=(3, 4))
    arrays = [x, h_prev, Wx, Wh, b]
    numerical = _numerical(lambda: np.sum(dh * ref.gru_step_forward(*arrays)), arrays)
    for got, expected in zip(ref.gru_step_backward(dh, *arrays), numerical, strict=True):
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)


# --------------------------------------------------------------------------- section 4
def test_orthogonal_is_orthogonal_and_seeded():
    q = ref.orthogonal(6, np.random.default_rng(0))
    np.testing.assert_allclose(q.T @ q, np.eye(6), atol=1e-12)
    np.testing.assert_allclose(np.linalg.svd(q, compute_uv=False), np.ones(6))
    np.testing.assert_array_equal(q, ref.orthogonal(6, np.random.default_rng(0)))


@pytest.mark.parametrize("scale", [0.5, 1.0, 1.5])
def test_gradient_norms_are_scale_to_the_k_in_the_linear_regime(scale):
    # zero inputs and h0 = 0, b = 0: every state is 0, tanh' = 1, and Wx = I makes dX = g, so
    # each step back multiplies the gradient's norm by exactly `scale`
    h, T = 5, 12
    Q = ref.orthogonal(h, np.random.default_rng(1))
    X = np.zeros((2, T, h))
    norms = ref.gradient_norms_through_time(X, np.zeros((2, h)), np.eye(h), scale * Q,
                                            np.zeros(h))
    np.testing.assert_allclose(norms, scale ** np.arange(T))


def test_gradient_norms_use_the_given_functions():
    calls = []

    def forward(*args):
        calls.append("forward")
        return ref.rnn_forward(*args)

    def backward(*args):
        calls.append("backward")
        return ref.rnn_backward(*args)

    rng = np.random.default_rng(2)
    X, h0, Wx, Wh, b = _rnn(rng)
    norms = ref.gradient_norms_through_time(X, h0, Wx, Wh, b, forward=forward, backward=backward)
    assert calls == ["forward", "backward"] and norms.shape == (5,)


def test_cliff_loss_gradient_is_its_derivative_and_the_cliff_is_steep():
    for w in (0.8, 1.3, 2.2):
        loss, gradient = ref.cliff_loss(w)
        eps = 1e-6
        numerical = (ref.cliff_loss(w + eps)[0] - ref.cliff_loss(w - eps)[0]) / (2 * eps)
        assert gradient == pytest.approx(numerical, rel=1e-5)
        state = 0.9
        for _ in range(40):
            state = np.tanh(w * state - 0.3)
        assert loss == pytest.approx((state + 1.0) ** 2)
    ws = np.linspace(1.6, 1.7, 101)
    gradients = np.array([ref.cliff_loss(w)[1] for w in ws])
    assert np.abs(gradients).max() > 100
    assert ref.cliff_loss(0.5)[0] < 0.5 < 3.0 < ref.cliff_loss(2.5)[0]


# --------------------------------------------------------------------------- binary addition
def test_bits_round_trip_least_significant_first():
    np.testing.assert_array_equal(ref.to_bits(6, 4), [0, 1, 1, 0])
    values = np.array([0, 1, 77, 255])
    np.testing.assert_array_equal(ref.from_bits(ref.to_bits(values, 8)), values)
    with pytest.raises(ValueError, match="fit in 3 bits"):
        ref.to_bits(8, 3)
    with pytest.raises(ValueError):
        ref.to_bits(-1, 3)


def test_addition_data_reads_bits_and_writes_the_sum():
    a, b = np.array([45, 3, 127]), np.array([78, 5, 127])
    X, Y = ref.addition_data(a, b, 8)
    assert X.shape == (3, 8, 2) and Y.shape == (3, 8) and X.dtype == Y.dtype == float
    np.testing.assert_array_equal(ref.from_bits(X[:, :, 0]), a)
    np.testing.assert_array_equal(ref.from_bits(X[:, :, 1]), b)
    np.testing.assert_array_equal(ref.from_bits(Y), a + b)


def test_adder_loss_gradient_matches_numerical_gradients():
    rng = np.random.default_rng(3)
    params = [rng.normal(size=(2, 4)), rng.normal(size=(4, 4)), rng.normal(size=4),
              rng.normal(size=4), rng.normal(size=1)]
    X, Y = ref.addition_data(np.array([5, 100, 33, 64]), np.array([9, 27, 90, 63]), 8)
    loss, grads = ref.adder_loss(params, X, Y)
    numerical = _numerical(lambda: ref.adder_loss(params, X, Y)[0], params)
    for got, expected in zip(grads, numerical, strict=True):
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)
    p = 1 / (1 + np.exp(-(ref.rnn_forward(X, np.zeros((4, 4)), *params[:3]) @ params[3]
                          + params[4])))
    assert loss == pytest.approx(-np.mean(Y * np.log(p) + (1 - Y) * np.log(1 - p)))


def test_init_adder_and_predict_shapes():
    params = ref.init_adder(8, np.random.default_rng(0))
    assert [p.shape for p in params] == [(2, 8), (8, 8), (8,), (8,), (1,)]
    np.testing.assert_allclose(np.linalg.svd(params[1], compute_uv=False), 0.5)
    X, _ = ref.addition_data(np.arange(5), np.arange(5), 4)
    predicted = ref.adder_predict(params, X)
    assert predicted.shape == (5, 4) and set(np.unique(predicted)) <= {0.0, 1.0}
