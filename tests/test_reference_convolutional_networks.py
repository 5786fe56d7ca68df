"""helpers.reference.convolutional_networks against loops, numerical gradients and its own
contract (shapes, conventions, errors), and the digits CNN built on it."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.gradcheck import check_gradient, numerical_gradient
from helpers.reference import convolutional_networks as ref


def _loops(X, W, b, stride, padding):
    """The definition, out[i, o, r, q] = b[o] + sum(patch * W[o]), by plain loops."""
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, c_out, (kh, kw) = X.shape[0], W.shape[0], W.shape[2:]
    h_out = (X.shape[2] + 2 * padding - kh) // stride + 1
    w_out = (X.shape[3] + 2 * padding - kw) // stride + 1
    out = np.empty((n, c_out, h_out, w_out))
    for i in range(n):
        for o in range(c_out):
            for r in range(h_out):
                for q in range(w_out):
                    patch = Xp[i, :, r * stride:r * stride + kh, q * stride:q * stride + kw]
                    out[i, o, r, q] = np.sum(patch * W[o]) + b[o]
    return out


SETTINGS = [(1, 0), (1, 1), (2, 0), (2, 1), (3, 2)]  # (stride, padding)


@pytest.mark.parametrize(("stride", "padding"), SETTINGS)
def test_conv2d_forward_is_the_definition(stride, padding):
    rng = np.random.default_rng(stride * 10 + padding)
    X, W, b = rng.normal(size=(2, 3, 7, 6)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    np.testing.assert_allclose(ref.conv2d_forward(X, W, b, stride, padding),
                               _loops(X, W, b, stride, padding), rtol=1e-12, atol=1e-12)


def test_output_size_formula_and_errors():
    assert ref.output_size(8, 3) == 6
    assert ref.output_size(8, 3, padding=1) == 8
    assert ref.output_size(8, 3, stride=2) == 3  # the last row is reached by no window
    assert ref.output_size(5, 2, stride=2) == 2
    with pytest.raises(ValueError, match="does not fit"):
        ref.output_size(2, 3)
    with pytest.raises(ValueError, match="stride >= 1"):
        ref.output_size(8, 3, stride=0)


def test_im2col_layout_by_hand():
    cols = ref.im2col(np.arange(12).reshape(1, 1, 3, 4), 2, 2)
    np.testing.assert_array_equal(cols[:4], [[0, 1, 4, 5], [1, 2, 5, 6], [2, 3, 6, 7],
                                             [4, 5, 8, 9]])
    assert cols.shape == (6, 4) and cols.dtype == np.float64
    two_channels = np.stack([np.zeros((3, 3)), np.ones((3, 3))])[None]
    row = ref.im2col(two_channels, 3, 3)[0]
    np.testing.assert_array_equal(row, [0] * 9 + [1] * 9)  # channel first, then rows, columns


def test_im2col_accepts_views_and_pads_with_zeros():
    base = np.random.default_rng(0).normal(size=(2, 2, 10, 5))
    view = base[:, :, ::2]
    np.testing.assert_array_equal(ref.im2col(view, 3, 3, 2, 1),
                                  ref.im2col(np.ascontiguousarray(view), 3, 3, 2, 1))
    corner = ref.im2col(np.ones((1, 1, 2, 2)), 3, 3, padding=1)[0].reshape(3, 3)
    np.testing.assert_array_equal(corner, [[0, 0, 0], [0, 1, 1], [0, 1, 1]])


@pytest.mark.parametrize(("stride", "padding"), SETTINGS)
def test_col2im_is_the_adjoint_of_im2col(stride, padding):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 3, 7, 6))
    C = rng.normal(size=ref.im2col(X, 3, 2, stride, padding).shape)
    left = np.sum(ref.im2col(X, 3, 2, stride, padding) * C)
    right = np.sum(X * ref.col2im(C, X.shape, 3, 2, stride, padding))
    assert left == pytest.approx(right, rel=1e-12)


def test_col2im_counts_overlaps():
    counts = ref.col2im(np.ones((4, 4)), (1, 1, 3, 3), 2, 2)
    np.testing.assert_array_equal(counts[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


@pytest.mark.parametrize(("stride", "padding"), SETTINGS)
def test_conv2d_backward_passes_gradient_check(stride, padding, capsys):
    rng = np.random.default_rng(2)
    X, W, b = rng.normal(size=(2, 3, 7, 6)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    G = rng.normal(size=ref.conv2d_forward(X, W, b, stride, padding).shape)
    result = check_gradient(lambda p: np.sum(G * ref.conv2d_forward(p[0], p[1], p[2], stride,
                                                                     padding)),
                            lambda p: list(ref.conv2d_backward(G, p[0], p[1], stride, padding)),
                            [X, W, b], eps=1e-3)
    assert result, capsys.readouterr().out


@pytest.mark.parametrize("padding", [0, 1, 2])
def test_conv2d_transpose_is_the_input_gradient(padding):
    rng = np.random.default_rng(3)
    X, W = rng.normal(size=(2, 2, 6, 5)), rng.normal(size=(3, 2, 3, 3))
    G = rng.normal(size=ref.conv2d_forward(X, W, np.zeros(3), 1, padding).shape)
    np.testing.assert_allclose(ref.conv2d_transpose(G, W, padding),
                               ref.conv2d_backward(G, X, W, 1, padding)[0], atol=1e-12)


def test_maxpool_forward_and_leftovers():
    X = np.arange(35.0).reshape(1, 1, 5, 7)
    np.testing.assert_array_equal(ref.maxpool_forward(X), [[[[8, 10, 12], [22, 24, 26]]]])
    negative = -np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(ref.maxpool_forward(negative), [[[[-1, -3], [-9, -11]]]])
    assert ref.maxpool_forward(np.zeros((2, 3, 6, 9)), 3).shape == (2, 3, 2, 3)


def test_maxpool_backward_routes_to_the_first_maximum():
    X = np.array([[[[1, 5, 3, 3], [5, 2, 3, 3], [0, 0, 7, 1], [0, 0, 7, 1]]]])
    G = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    expected = [[[[0, 1, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]]]]
    np.testing.assert_array_equal(ref.maxpool_backward(G, X), expected)


@pytest.mark.parametrize("size", [2, 3])
def test_pooling_gradients_are_numerical(size):
    rng = np.random.default_rng(4)
    X = rng.permutation(2 * 2 * 7 * 8).reshape(2, 2, 7, 8) * 0.1  # no ties within a step
    G = rng.normal(size=ref.maxpool_forward(X, size).shape)
    for forward, backward in ((ref.maxpool_forward, ref.maxpool_backward),
                              (ref.avgpool_forward, ref.avgpool_backward)):
        numerical = numerical_gradient(lambda v, f=forward: np.sum(G * f(v, size)), X, eps=1e-3)
        np.testing.assert_allclose(backward(G, X, size), numerical, atol=1e-9)


def test_bad_inputs_are_named():
    X = np.zeros((1, 2, 5, 5))
    with pytest.raises(ValueError, match="4 axes"):
        ref.conv2d_forward(np.zeros((5, 5)), np.zeros((1, 1, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError, match="input channels"):
        ref.conv2d_forward(X, np.zeros((3, 1, 3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="one bias per filter"):
        ref.conv2d_forward(X, np.zeros((3, 2, 3, 3)), np.zeros(2))
    with pytest.raises(ValueError, match="shape of the layer's output"):
        ref.conv2d_backward(np.zeros((1, 3, 2, 2)), X, np.zeros((3, 2, 3, 3)))
    with pytest.raises(ValueError, match="does not fit"):
        ref.maxpool_forward(X, 6)
    with pytest.raises(ValueError, match="positive integer"):
        ref.maxpool_forward(X, 1.5)
    with pytest.raises(ValueError, match="cols must have shape"):
        ref.col2im(np.zeros((3, 3)), (1, 1, 3, 3), 2, 2)


def _small_network(seed=2):
    rng = np.random.default_rng(seed)
    params = ref.init_cnn(4, 8, rng)
    params[1] = rng.normal(scale=0.1, size=4)  # away from ReLU's kink
    return params, rng.normal(size=(6, 1, 8, 8)), rng.integers(0, 10, 6)


def test_init_cnn_shapes_and_bias_rows():
    W, b, V1, V2 = ref.init_cnn(32, 64, np.random.default_rng(0))
    assert W.shape == (32, 1, 3, 3) and b.shape == (32,)
    assert V1.shape == (32 * 16 + 1, 64) and V2.shape == (65, 10)
    assert not b.any() and not V1[-1].any() and not V2[-1].any()
    assert W.std() == pytest.approx(np.sqrt(2 / 9), rel=0.2)


def test_cnn_gradients_pass_gradient_check(capsys):
    params, X, y = _small_network()
    result = check_gradient(lambda p: ref.cnn_loss(X, y, p), lambda p: ref.cnn_gradients(X, y, p),
                            params, eps=1e-5)
    assert result, capsys.readouterr().out


def test_the_cnn_runs_on_the_layers_it_is_given():
    called = set()

    def spy(name):
        def wrapped(*args, **kwargs):
            called.add(name)
            return getattr(ref, name)(*args, **kwargs)
        return wrapped

    layers = ref.CnnLayers(*(spy(name) for name in ref.CnnLayers._fields))
    params, X, y = _small_network()
    grads = ref.cnn_gradients(X, y, params, layers)
    assert called == set(ref.CnnLayers._fields)
    for got, expected in zip(grads, ref.cnn_gradients(X, y, params), strict=True):
        np.testing.assert_allclose(got, expected)


def test_cosine_learning_rate():
    assert ref.cosine_learning_rate(0.1, 0, 20) == pytest.approx(0.1)
    assert ref.cosine_learning_rate(0.1, 10, 20) == pytest.approx(0.05)
    assert 0 < ref.cosine_learning_rate(0.1, 19, 20) < 0.001


def test_train_cnn_learns_and_reports_each_epoch():
    rng = np.random.default_rng(5)
    # two classes: a bright left half or a bright right half
    y = rng.integers(0, 2, 120)
    X = rng.uniform(0, 0.3, size=(120, 1, 8, 8))
    X[y == 0, :, :, :4] += 0.7
    X[y == 1, :, :, 4:] += 0.7
    seen = []
    params, history = ref.train_cnn(X[:80], y[:80], X[80:], y[80:], n_filters=4, n_hidden=8,
                                    learning_rate=0.1, batch_size=16, n_epochs=6,
                                    rng=np.random.default_rng(0),
                                    callback=lambda epoch, p, h: seen.append(epoch))
    assert seen == list(range(6))
    assert {len(values) for values in history.values()} == {6}
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["val_accuracy"][-1] == 1.0
    assert np.mean(ref.cnn_predict(X[80:], params) == y[80:]) == 1.0
