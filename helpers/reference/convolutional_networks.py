"""Reference implementations for notebook 06 (convolutional networks), and its small digits CNN.

Images are ``(n, c, h, w)`` arrays: n images of c channels, h rows and w columns. A convolution
layer has filters ``W`` of shape ``(c_out, c_in, kh, kw)`` and a separate bias ``b`` of shape
``(c_out,)`` (the usual convention for convolutions; the MLP layers of this series keep their
bias as the last row of ``W`` instead). Along each axis the output has
:func:`output_size` ``= (size + 2 * padding - k) // stride + 1`` positions; padding adds zeros.

The exercises: :func:`im2col`, :func:`conv2d_forward`, :func:`conv2d_backward`,
:func:`maxpool_forward`, :func:`maxpool_backward`; the challenges: :func:`avgpool_backward`,
:func:`col2im`, :func:`conv2d_transpose`. The network of the notebook's last section is
:func:`train_cnn` (conv, ReLU, max-pool, a softmax output layer), built from whichever layer
functions it is given (:class:`CnnLayers`), so that the notebook trains it with the attendee's.

Used by the checks to compute expected values; tested against loops and numerical gradients in
``tests/test_reference_convolutional_networks.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from helpers.reference.logistic_regression import minibatches
from helpers.reference.training_in_practice import (
    one_hot,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)


# --------------------------------------------------------------------------- shapes and checks
def output_size(size: int, k: int, stride: int = 1, padding: int = 0) -> int:
    """Positions of a ``k``-wide window along an axis of ``size`` pixels.

    ``(size + 2 * padding - k) // stride + 1``: the window starts at 0, stride, 2 stride, ...
    of the padded axis while it still fits; leftover pixels that no window reaches are ignored.

    Raises
    ------
    ValueError
        When the window is wider than the padded axis, or stride/padding are out of range.
    """
    if stride < 1 or padding < 0 or k < 1:
        raise ValueError(f"need k >= 1, stride >= 1 and padding >= 0, got k={k}, "
                         f"stride={stride}, padding={padding}")
    if size + 2 * padding < k:
        raise ValueError(f"a window of {k} pixels does not fit in {size} pixels with padding "
                         f"{padding}")
    return (size + 2 * padding - k) // stride + 1


def _images(X: np.ndarray, name: str = "X") -> np.ndarray:
    """``X`` as a float64 array of shape (n, c, h, w), or a ValueError naming the problem."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 4:
        raise ValueError(f"{name} must have 4 axes (n, c, h, w), got shape {X.shape}")
    return X


def _filters(X: np.ndarray, W: np.ndarray, b: np.ndarray | None = None
             ) -> tuple[np.ndarray, np.ndarray | None]:
    """``W`` (and ``b``) as float64, checked against the images ``X`` (n, c, h, w)."""
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 4:
        raise ValueError(f"W must have 4 axes (c_out, c_in, kh, kw), got shape {W.shape}")
    if W.shape[1] != X.shape[1]:
        raise ValueError(f"W has {W.shape[1]} input channels (axis 1 of {W.shape}) but the "
                         f"images have {X.shape[1]} (axis 1 of {X.shape})")
    if b is not None:
        b = np.asarray(b, dtype=np.float64)
        if b.shape != (W.shape[0],):
            raise ValueError(f"b must have shape ({W.shape[0]},), one bias per filter, got "
                             f"{b.shape}")
    return W, b


def _pool_size(X: np.ndarray, size: int) -> tuple[int, int]:
    """Output rows and columns of a ``size x size`` pooling of ``X`` (n, c, h, w)."""
    if int(size) != size or size < 1:
        raise ValueError(f"size must be a positive integer, got {size!r}")
    h_out, w_out = X.shape[2] // size, X.shape[3] // size
    if h_out == 0 or w_out == 0:
        raise ValueError(f"a {size}x{size} window does not fit in images of {X.shape[2]}x"
                         f"{X.shape[3]} pixels")
    return h_out, w_out


def _gradient_of_output(d_out: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    d_out = np.asarray(d_out, dtype=np.float64)
    if d_out.shape != shape:
        raise ValueError(f"d_out must have the shape of the layer's output {shape}, got "
                         f"{d_out.shape}")
    return d_out


# --------------------------------------------------------------------------- im2col and col2im
def im2col(X: np.ndarray, kh: int, kw: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Every ``kh x kw`` patch of every image as one row of a matrix.

    Parameters
    ----------
    X : ndarray, shape (n, c, h, w)
    kh, kw : int
        Patch (filter) height and width.
    stride : int
        Step between patches, along both axes.
    padding : int
        Zeros added on every side of each image first.

    Returns
    -------
    ndarray, shape (n * h_out * w_out, c * kh * kw), float64
        Rows in ``(image, output row, output column)`` order; the columns of a row are its
        patch in ``(channel, patch row, patch column)`` order, i.e. ``patch.ravel()``.
    """
    X = _images(X)
    n, c, h, w = X.shape
    h_out, w_out = output_size(h, kh, stride, padding), output_size(w, kw, stride, padding)
    padded = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    # (n, c, h + 2p - kh + 1, w + 2p - kw + 1, kh, kw): a view, nothing copied yet
    windows = sliding_window_view(padded, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    windows = windows[:, :, :h_out, :w_out]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * h_out * w_out, c * kh * kw)


def col2im(cols: np.ndarray, X_shape: Sequence[int], kh: int, kw: int, stride: int = 1,
           padding: int = 0) -> np.ndarray:
    """The adjoint of :func:`im2col`: add each row's patch back where it was taken from.

    Where patches overlap, their values add up; the padding is cut off at the end. So
    ``sum(im2col(X) * cols) == sum(X * col2im(cols, X.shape))`` for every ``X`` and ``cols``,
    which makes ``col2im`` the backward pass of ``im2col``.

    Parameters
    ----------
    cols : ndarray, shape (n * h_out * w_out, c * kh * kw)
        In :func:`im2col`'s layout.
    X_shape : tuple (n, c, h, w)
        The shape of the images the patches came from.
    kh, kw, stride, padding : int
        As for :func:`im2col`.

    Returns
    -------
    ndarray, shape X_shape, float64
    """
    n, c, h, w = (int(v) for v in X_shape)
    h_out, w_out = output_size(h, kh, stride, padding), output_size(w, kw, stride, padding)
    cols = np.asarray(cols, dtype=np.float64)
    if cols.shape != (n * h_out * w_out, c * kh * kw):
        raise ValueError(f"cols must have shape {(n * h_out * w_out, c * kh * kw)} for images "
                         f"of shape {(n, c, h, w)}, got {cols.shape}")
    patches = cols.reshape(n, h_out, w_out, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    padded = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    for i in range(kh):  # kh * kw slice additions instead of one per patch
        for j in range(kw):
            padded[:, :, i:i + stride * h_out:stride, j:j + stride * w_out:stride] += (
                patches[:, :, i, j])
    return padded[:, :, padding:padding + h, padding:padding + w]


# --------------------------------------------------------------------------- convolution layer
def conv2d_forward(X: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int = 1,
                   padding: int = 0) -> np.ndarray:
    """A convolution layer (cross-correlation, as deep-learning libraries compute it).

    ``out[i, o, r, q] = sum(patch(i, r, q) * W[o]) + b[o]``, where ``patch(i, r, q)`` is the
    ``(c_in, kh, kw)`` window of the padded image ``i`` starting at row ``r * stride`` and
    column ``q * stride``.

    Parameters
    ----------
    X : ndarray, shape (n, c_in, h, w)
    W : ndarray, shape (c_out, c_in, kh, kw)
    b : ndarray, shape (c_out,)
    stride, padding : int

    Returns
    -------
    ndarray, shape (n, c_out, h_out, w_out), float64
    """
    X = _images(X)
    W, b = _filters(X, W, b)
    n, (c_out, _, kh, kw) = X.shape[0], W.shape
    h_out = output_size(X.shape[2], kh, stride, padding)
    w_out = output_size(X.shape[3], kw, stride, padding)
    out = im2col(X, kh, kw, stride, padding) @ W.reshape(c_out, -1).T + b  # one row per patch
    return out.reshape(n, h_out, w_out, c_out).transpose(0, 3, 1, 2)


def conv2d_backward(d_out: np.ndarray, X: np.ndarray, W: np.ndarray, stride: int = 1,
                    padding: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``L = sum(d_out * conv2d_forward(X, W, b, stride, padding))``.

    Parameters
    ----------
    d_out : ndarray, shape (n, c_out, h_out, w_out)
        dL/d(output), e.g. the gradient arriving from the next layer.
    X : ndarray, shape (n, c_in, h, w)
    W : ndarray, shape (c_out, c_in, kh, kw)
    stride, padding : int

    Returns
    -------
    dX : ndarray, shape (n, c_in, h, w)
        Each output's gradient times the filter, added back to the pixels of its patch.
    dW : ndarray, shape (c_out, c_in, kh, kw)
        Sum over images and positions of ``d_out[i, o, r, q] * patch(i, r, q)``.
    db : ndarray, shape (c_out,)
        Sum of ``d_out`` over images and positions.
    """
    X = _images(X)
    W, _ = _filters(X, W)
    n, (c_out, _, kh, kw) = X.shape[0], W.shape
    h_out = output_size(X.shape[2], kh, stride, padding)
    w_out = output_size(X.shape[3], kw, stride, padding)
    d_out = _gradient_of_output(d_out, (n, c_out, h_out, w_out))
    d_rows = d_out.transpose(0, 2, 3, 1).reshape(-1, c_out)  # im2col's row order
    dW = (d_rows.T @ im2col(X, kh, kw, stride, padding)).reshape(W.shape)
    db = d_out.sum(axis=(0, 2, 3))
    dX = col2im(d_rows @ W.reshape(c_out, -1), X.shape, kh, kw, stride, padding)
    return dX, dW, db


def conv2d_transpose(d_out: np.ndarray, W: np.ndarray, padding: int = 0) -> np.ndarray:
    """The input gradient of a stride-1 convolution, computed as another convolution.

    ``dX`` of :func:`conv2d_backward` (stride 1) equals :func:`conv2d_forward` of ``d_out``
    padded with ``k - 1 - padding`` zeros, with the filters flipped in both spatial axes and
    their two channel axes swapped, and no bias: a "transposed convolution".

    Parameters
    ----------
    d_out : ndarray, shape (n, c_out, h_out, w_out)
    W : ndarray, shape (c_out, c_in, kh, kw), with ``padding <= min(kh, kw) - 1``
    padding : int
        The padding of the forward convolution.

    Returns
    -------
    ndarray, shape (n, c_in, h_out + kh - 1 - 2 padding, w_out + kw - 1 - 2 padding)
    """
    d_out = _images(d_out, "d_out")
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 4 or W.shape[0] != d_out.shape[1]:
        raise ValueError(f"W must have shape (c_out, c_in, kh, kw) with c_out = "
                         f"{d_out.shape[1]} (the channels of d_out), got {W.shape}")
    kh, kw = W.shape[2:]
    if padding > min(kh, kw) - 1:
        raise ValueError(f"padding {padding} is larger than the filter size minus one")
    flipped = W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)  # (c_in, c_out, kh, kw)
    full = np.pad(d_out, ((0, 0), (0, 0), (kh - 1 - padding,) * 2, (kw - 1 - padding,) * 2))
    return conv2d_forward(full, flipped, np.zeros(W.shape[1]))


# --------------------------------------------------------------------------- pooling
def _windows(X: np.ndarray, size: int) -> np.ndarray:
    """(n, c, h_out, w_out, size * size): each window's pixels in row-major order."""
    n, c = X.shape[:2]
    h_out, w_out = _pool_size(X, size)
    cropped = X[:, :, :h_out * size, :w_out * size]  # leftover rows and columns are dropped
    blocks = cropped.reshape(n, c, h_out, size, w_out, size).transpose(0, 1, 2, 4, 3, 5)
    return blocks.reshape(n, c, h_out, w_out, size * size)


def _unwindow(values: np.ndarray, X_shape: tuple[int, ...], size: int) -> np.ndarray:
    """Inverse of :func:`_windows`, zeros where the leftover rows and columns were."""
    n, c, h_out, w_out, _ = values.shape
    out = np.zeros(X_shape)
    blocks = values.reshape(n, c, h_out, w_out, size, size).transpose(0, 1, 2, 4, 3, 5)
    out[:, :, :h_out * size, :w_out * size] = blocks.reshape(n, c, h_out * size, w_out * size)
    return out


def maxpool_forward(X: np.ndarray, size: int = 2) -> np.ndarray:
    """The maximum of each non-overlapping ``size x size`` window.

    Parameters
    ----------
    X : ndarray, shape (n, c, h, w)
    size : int

    Returns
    -------
    ndarray, shape (n, c, h // size, w // size), float64
        Rows and columns that do not fill a whole window are dropped.
    """
    X = _images(X)
    n, c = X.shape[:2]
    h_out, w_out = _pool_size(X, size)
    blocks = X[:, :, :h_out * size, :w_out * size].reshape(n, c, h_out, size, w_out, size)
    return blocks.max(axis=(3, 5))  # no copy of the windows, unlike _windows


def maxpool_backward(d_out: np.ndarray, X: np.ndarray, size: int = 2) -> np.ndarray:
    """Gradient of ``sum(d_out * maxpool_forward(X, size))`` with respect to ``X``.

    Each window's ``d_out`` goes to the pixel that was its maximum (on ties, the first in
    row-major order, the one ``argmax`` picks), zeros everywhere else.

    Parameters
    ----------
    d_out : ndarray, shape (n, c, h // size, w // size)
    X : ndarray, shape (n, c, h, w)
    size : int

    Returns
    -------
    ndarray, shape (n, c, h, w), float64
    """
    X = _images(X)
    windows = _windows(X, size)
    d_out = _gradient_of_output(d_out, windows.shape[:4])
    routed = np.zeros(windows.shape)
    np.put_along_axis(routed, windows.argmax(axis=-1)[..., None], d_out[..., None], axis=-1)
    return _unwindow(routed, X.shape, size)


def avgpool_forward(X: np.ndarray, size: int = 2) -> np.ndarray:
    """The mean of each non-overlapping ``size x size`` window, shape (n, c, h // size,
    w // size); leftover rows and columns are dropped."""
    X = _images(X)
    return _windows(X, size).mean(axis=-1)


def avgpool_backward(d_out: np.ndarray, X: np.ndarray, size: int = 2) -> np.ndarray:
    """Gradient of ``sum(d_out * avgpool_forward(X, size))`` with respect to ``X``.

    Every pixel of a window gets ``d_out / size**2`` of its window; the leftover rows and
    columns get 0. Shape of ``X``, float64.
    """
    X = _images(X)
    shape = _windows(X, size).shape
    d_out = _gradient_of_output(d_out, shape[:4])
    spread = np.broadcast_to(d_out[..., None] / size**2, shape)
    return _unwindow(spread, X.shape, size)


# --------------------------------------------------------------------------- the digits CNN
class CnnLayers(NamedTuple):
    """The four layer functions :func:`train_cnn` builds its network from (the attendee's, or
    the references by default)."""

    conv2d_forward: Callable[..., np.ndarray] = conv2d_forward
    conv2d_backward: Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]] = conv2d_backward
    maxpool_forward: Callable[..., np.ndarray] = maxpool_forward
    maxpool_backward: Callable[..., np.ndarray] = maxpool_backward


REFERENCE_LAYERS = CnnLayers()

KERNEL = 3  # 3x3 filters, padded by 1: the feature maps keep the image's size
POOL = 2


def init_cnn(n_filters: int, n_hidden: int, rng: np.random.Generator,
             image_shape: tuple[int, int, int] = (1, 8, 8),
             n_classes: int = 10) -> list[np.ndarray]:
    """He-initialised parameters ``[W, b, V1, V2]`` of :func:`cnn_forward`'s network.

    Parameters
    ----------
    n_filters : int
        Filters of the convolution layer.
    n_hidden : int
        Units of the hidden dense layer.
    rng : numpy.random.Generator
    image_shape : (c, h, w)
    n_classes : int

    Returns
    -------
    W : ndarray, shape (n_filters, c, 3, 3)
        Normal with standard deviation sqrt(2 / (c * 9)) (He, with a filter's fan-in).
    b : ndarray, shape (n_filters,), zeros
    V1 : ndarray, shape (n_filters * (h // 2) * (w // 2) + 1, n_hidden)
        The hidden dense layer, bias as its last row (zeros), as in notebooks 04 and 05.
    V2 : ndarray, shape (n_hidden + 1, n_classes)
        The softmax layer, bias last.
    """
    c, h, w = image_shape
    W = rng.normal(0.0, np.sqrt(2.0 / (c * KERNEL * KERNEL)), size=(n_filters, c, KERNEL, KERNEL))
    dense = []
    for n_in, n_out in ((n_filters * (h // POOL) * (w // POOL), n_hidden), (n_hidden, n_classes)):
        V = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in + 1, n_out))
        V[-1] = 0.0
        dense.append(V)
    return [W, np.zeros(n_filters), *dense]


class CnnCache(NamedTuple):
    """What :func:`cnn_forward` keeps for the backward pass."""

    conv: np.ndarray  # (n, F, h, w): the convolution's output (its z_lin)
    relu: np.ndarray  # (n, F, h, w): after ReLU
    pooled: np.ndarray  # (n, F, h // 2, w // 2)
    features: np.ndarray  # (n, F * (h // 2) * (w // 2)): the pooled maps, flattened
    hidden_lin: np.ndarray  # (n, n_hidden): the hidden layer's z_lin
    hidden: np.ndarray  # (n, n_hidden): after ReLU


def cnn_forward(X: np.ndarray, params: Sequence[np.ndarray],
                layers: CnnLayers = REFERENCE_LAYERS) -> tuple[CnnCache, np.ndarray]:
    """Convolution (3x3, padding 1), ReLU, 2x2 max-pooling, a dense ReLU layer, softmax logits.

    Parameters
    ----------
    X : ndarray, shape (n, c, h, w)
    params : [W, b, V1, V2]
        See :func:`init_cnn`.
    layers : CnnLayers

    Returns
    -------
    cache : CnnCache
    Z : ndarray, shape (n, n_classes)
        The logits; ``softmax(Z)`` are the class probabilities.
    """
    W, b, V1, V2 = params
    conv = np.asarray(layers.conv2d_forward(X, W, b, 1, KERNEL // 2))
    relu = np.maximum(conv, 0.0)  # ReLU (notebook 04)
    pooled = np.asarray(layers.maxpool_forward(relu, POOL))
    features = pooled.reshape(len(X), -1)
    hidden_lin = features @ V1[:-1] + V1[-1]  # == add_bias(features) @ V1, bias row last
    hidden = np.maximum(hidden_lin, 0.0)
    return (CnnCache(conv, relu, pooled, features, hidden_lin, hidden),
            hidden @ V2[:-1] + V2[-1])


def cnn_loss(X: np.ndarray, y: np.ndarray, params: Sequence[np.ndarray],
             layers: CnnLayers = REFERENCE_LAYERS) -> float:
    """Mean softmax cross-entropy of the network's logits for integer labels ``y`` (n,)."""
    _, Z = cnn_forward(X, params, layers)
    return softmax_cross_entropy(Z, one_hot(y, Z.shape[1]))


def cnn_gradients(X: np.ndarray, y: np.ndarray, params: Sequence[np.ndarray],
                  layers: CnnLayers = REFERENCE_LAYERS) -> list[np.ndarray]:
    """Gradient of :func:`cnn_loss` with respect to ``[W, b, V1, V2]``, by backpropagation.

    The dense layers as in notebooks 04 and 05 (``(softmax(Z) - Y) / n`` at the output, ReLU's
    0/1 mask), then back through the flattening (a reshape), ``layers.maxpool_backward``, the
    ReLU mask of the feature maps and ``layers.conv2d_backward``.
    """
    return _loss_and_gradients(X, y, params, layers)[2]


def _loss_and_gradients(X: np.ndarray, y: np.ndarray, params: Sequence[np.ndarray],
                        layers: CnnLayers) -> tuple[float, float, list[np.ndarray]]:
    """(mean loss, accuracy, gradients) on one batch, from one forward pass."""
    W, _, V1, V2 = params
    cache, Z = cnn_forward(X, params, layers)
    Y = one_hot(y, Z.shape[1])
    loss, accuracy = softmax_cross_entropy(Z, Y), float(np.mean(Z.argmax(axis=1) == y))
    delta = softmax_cross_entropy_gradient(Z, Y)  # (n, k)
    dV2 = np.vstack([cache.hidden.T @ delta, delta.sum(axis=0)])
    delta = (delta @ V2[:-1].T) * (cache.hidden_lin > 0)  # (n, n_hidden)
    dV1 = np.vstack([cache.features.T @ delta, delta.sum(axis=0)])
    d_pooled = (delta @ V1[:-1].T).reshape(cache.pooled.shape)
    d_relu = np.asarray(layers.maxpool_backward(d_pooled, cache.relu, POOL))
    d_conv = d_relu * (cache.conv > 0)  # ReLU's derivative: 1 where its input is > 0
    _, dW, db = layers.conv2d_backward(d_conv, X, W, 1, KERNEL // 2)
    grads = [np.asarray(dW, dtype=np.float64), np.asarray(db, dtype=np.float64), dV1, dV2]
    return loss, accuracy, grads


def cnn_predict(X: np.ndarray, params: Sequence[np.ndarray],
                layers: CnnLayers = REFERENCE_LAYERS) -> np.ndarray:
    """The most probable class of each image of ``X`` (n, c, h, w): shape (n,), int."""
    return cnn_forward(X, params, layers)[1].argmax(axis=1)


def _evaluate(X: np.ndarray, y: np.ndarray, params: Sequence[np.ndarray],
              layers: CnnLayers) -> tuple[float, float]:
    _, Z = cnn_forward(X, params, layers)
    return softmax_cross_entropy(Z, one_hot(y, Z.shape[1])), float(np.mean(Z.argmax(axis=1) == y))


def cosine_learning_rate(learning_rate: float, epoch: int, n_epochs: int) -> float:
    """``learning_rate * (1 + cos(pi * epoch / n_epochs)) / 2``: from the full rate at epoch 0
    down towards 0 at the last epoch (large steps first, small ones to settle)."""
    return learning_rate * 0.5 * (1.0 + np.cos(np.pi * epoch / n_epochs))


def train_cnn(X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray, y_val: np.ndarray,
              n_filters: int, n_hidden: int, learning_rate: float, batch_size: int,
              n_epochs: int, rng: np.random.Generator, layers: CnnLayers = REFERENCE_LAYERS,
              callback: Callable[[int, list[np.ndarray], dict], None] | None = None,
              ) -> tuple[list[np.ndarray], dict]:
    """Train :func:`cnn_forward`'s network by mini-batch gradient descent.

    Each epoch is one pass of ``minibatches`` (one ``rng.permutation``) with a step
    ``P <- P - alpha * G`` per batch, the learning rate alpha following
    :func:`cosine_learning_rate`. The training loss and accuracy are the means over the epoch's
    batches, measured while training on them (no extra pass over the training set); the
    validation loss and accuracy are measured after the epoch.

    Parameters
    ----------
    X_train : ndarray, shape (n, c, h, w)
    y_train : ndarray, shape (n,), int labels
    X_val, y_val : ndarray, shapes (m, c, h, w) and (m,)
    n_filters, n_hidden : int
        See :func:`init_cnn`.
    learning_rate : float
        The first epoch's.
    batch_size, n_epochs : int
    rng : numpy.random.Generator
        For the initial weights and the shuffling.
    layers : CnnLayers
        The layer functions to build the network from.
    callback : callable, optional
        ``callback(epoch, params, history)`` after each epoch (progress bars, live figures).

    Returns
    -------
    params : [W, b, V1, V2]
        After the last epoch.
    history : dict
        ``"train_loss"``, ``"train_accuracy"``, ``"val_loss"``, ``"val_accuracy"``: one value
        per epoch.
    """
    X_train, X_val = _images(X_train, "X_train"), _images(X_val, "X_val")
    y_train, y_val = np.asarray(y_train, dtype=np.int64), np.asarray(y_val, dtype=np.int64)
    params = init_cnn(n_filters, n_hidden, rng, X_train.shape[1:],
                      int(max(y_train.max(), y_val.max())) + 1)
    history: dict = {"train_loss": [], "train_accuracy": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(n_epochs):
        alpha = cosine_learning_rate(learning_rate, epoch, n_epochs)
        measured, sizes = [], []
        for X_batch, y_batch in minibatches(X_train, y_train, batch_size, rng):
            loss, accuracy, grads = _loss_and_gradients(X_batch, y_batch, params, layers)
            measured.append((loss, accuracy))
            sizes.append(len(y_batch))
            params = [P - alpha * G for P, G in zip(params, grads, strict=True)]
        train_loss, train_accuracy = np.average(measured, axis=0, weights=sizes)
        history["train_loss"].append(float(train_loss))
        history["train_accuracy"].append(float(train_accuracy))
        val_loss, val_accuracy = _evaluate(X_val, y_val, params, layers)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
        if callback is not None:
            callback(epoch, params, history)
    return params, history
