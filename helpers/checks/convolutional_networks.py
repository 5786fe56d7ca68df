"""Checks for notebook 06, convolutional networks (declared on :mod:`helpers.checks.engine`).

Exercises: ``im2col``, ``conv2d_forward``, ``conv2d_backward``, ``maxpool_forward`` and
``maxpool_backward``; challenges: ``avgpool_backward`` (★), ``col2im`` (★★) and
``conv2d_transpose`` (★★★).

The forward exercises compare with :mod:`helpers.reference.convolutional_networks`. The backward
ones compare with NUMERICAL gradients of the loss the contract defines,
``sum(d_out * forward(...))`` (central differences of the reference forward pass): that loss is
linear in X, W and b (piecewise linear for max-pooling), so central differences are exact up to
rounding. Only where max-pooling has ties, where the gradient is not defined and the contract
fixes a convention (the first maximum in row-major order), does the reference give the expected
value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from helpers.checks.engine import Case, Diagnosis, Exercise, Mistake, Note, make_check
from helpers.checks.source import global_names, has_loop
from helpers.reference import convolutional_networks as ref

#: Images 0 and 7 of the digits data set (a 0 and a 7), pixel intensities 0..16: real inputs,
#: with the many equal pixels (zeros) that make max-pooling ties.
DIGIT_ZERO = np.array([
    [0, 0, 5, 13, 9, 1, 0, 0], [0, 0, 13, 15, 10, 15, 5, 0], [0, 3, 15, 2, 0, 11, 8, 0],
    [0, 4, 12, 0, 0, 8, 8, 0], [0, 5, 8, 0, 0, 9, 8, 0], [0, 4, 11, 0, 1, 12, 7, 0],
    [0, 2, 14, 5, 10, 12, 0, 0], [0, 0, 6, 13, 10, 0, 0, 0]])
DIGIT_SEVEN = np.array([
    [0, 0, 7, 8, 13, 16, 15, 1], [0, 0, 7, 7, 4, 11, 12, 0], [0, 0, 0, 0, 8, 13, 1, 0],
    [0, 4, 8, 8, 15, 15, 6, 0], [0, 2, 11, 15, 15, 4, 0, 0], [0, 0, 0, 16, 5, 0, 0, 0],
    [0, 0, 9, 15, 1, 0, 0, 0], [0, 0, 13, 5, 0, 0, 0, 0]])

_STEP = 1e-3  # central-difference step: the losses are (piecewise) linear, no truncation error


def _gen(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Random floats at least 0.1 apart (no two pixels within a central-difference step)."""
    return (rng.permutation(int(np.prod(shape))).reshape(shape) - np.prod(shape) / 2) * 0.1


def _numerical(losses: Callable[[np.ndarray], np.ndarray], at: np.ndarray) -> np.ndarray:
    """Central differences of a loss at ``at``, all coordinates in one batched evaluation.

    ``losses(points)`` takes ``m`` points stacked as an array of shape ``(m, *at.shape)`` and
    returns their ``m`` losses: the layers work on batches, so every perturbed copy of ``at``
    (two per coordinate) goes through the layer in one call instead of one call each, which
    keeps the first run of a check (it builds the cases) well under its time budget.
    """
    at = np.asarray(at, dtype=np.float64)
    steps = _STEP * np.eye(at.size).reshape(at.size, *at.shape)
    plus, minus = losses(at[None] + steps), losses(at[None] - steps)
    return ((plus - minus) / (2 * _STEP)).reshape(at.shape)


def _weighted_sums(d_out: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    """``sum(d_out * outputs[k])`` for each k, ``outputs`` of shape (m, *d_out.shape)."""
    return np.tensordot(outputs, np.asarray(d_out, dtype=np.float64), axes=d_out.ndim)


def _per_image(layer: Callable[[np.ndarray], np.ndarray], Xs: np.ndarray) -> np.ndarray:
    """``layer`` applied to m stacked copies of a batch (m, n, c, h, w): one call, (m, n, ...)."""
    out = layer(Xs.reshape(-1, *Xs.shape[2:]))
    return out.reshape(len(Xs), Xs.shape[1], *out.shape[1:])


def _out_size(size: int, k: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - k) // stride + 1


# =========================================================================== im2col
def _patches(X, kh, kw, stride, padding, pad=None):
    """(n, h_out, w_out, c, kh, kw): every patch, by plain loops (for the wrong variants)."""
    X = np.asarray(X, dtype=float)
    p = padding if pad is None else pad
    Xp = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))
    n, c, h, w = Xp.shape
    h_out, w_out = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.empty((n, h_out, w_out, c, kh, kw))
    for r in range(h_out):
        for q in range(w_out):
            out[:, r, q] = Xp[:, :, r * stride:r * stride + kh, q * stride:q * stride + kw]
    return out


def _rows(patches):
    n, h_out, w_out, c, kh, kw = patches.shape
    return patches.reshape(n * h_out * w_out, c * kh * kw)


def _im2col_channels_last(X, kh, kw, stride=1, padding=0):
    p = _patches(X, kh, kw, stride, padding).transpose(0, 1, 2, 4, 5, 3)
    return p.reshape(p.shape[0] * p.shape[1] * p.shape[2], -1)


def _im2col_patch_by_columns(X, kh, kw, stride=1, padding=0):
    p = _patches(X, kh, kw, stride, padding).transpose(0, 1, 2, 3, 5, 4)
    return p.reshape(p.shape[0] * p.shape[1] * p.shape[2], -1)


def _im2col_positions_by_columns(X, kh, kw, stride=1, padding=0):
    return _rows(_patches(X, kh, kw, stride, padding).transpose(0, 2, 1, 3, 4, 5))


def _im2col_image_last(X, kh, kw, stride=1, padding=0):
    return _rows(_patches(X, kh, kw, stride, padding).transpose(1, 2, 0, 3, 4, 5))


def _im2col_no_padding(X, kh, kw, stride=1, padding=0):
    return _rows(_patches(X, kh, kw, stride, padding, pad=0))


def _im2col_padding_twice(X, kh, kw, stride=1, padding=0):
    return _rows(_patches(X, kh, kw, stride, padding, pad=2 * padding))


def _im2col_no_stride(X, kh, kw, stride=1, padding=0):
    return _rows(_patches(X, kh, kw, 1, padding))


def _im2col_no_plus_one(X, kh, kw, stride=1, padding=0):
    p = _patches(X, kh, kw, stride, padding)
    n, c, h, w = np.shape(X)
    return _rows(p[:, :(h + 2 * padding - kh) // stride, :(w + 2 * padding - kw) // stride])


def _im2col_cases(rng: np.random.Generator) -> list[Case]:
    X1 = np.arange(12).reshape(1, 1, 3, 4)
    X2 = rng.integers(0, 17, size=(2, 2, 4, 5))
    X3 = np.arange(1, 10).reshape(1, 1, 3, 3)
    X4 = rng.integers(0, 17, size=(1, 1, 5, 6))
    X5 = rng.normal(size=(3, 2, 14, 7))[:, :, ::2]  # a non-contiguous view, (3, 2, 7, 7)
    return [
        Case("hand-made: one 3x4 image of integers, 2x2 patches", (X1, 2, 2)),
        Case("two images, two channels, 4x5 images, 3x2 patches", (X2, 3, 2)),
        Case("padding 1: one 3x3 image, 3x3 patches", (X3, 3, 3), {"padding": 1}),
        Case("stride 2, with a row and a column no patch reaches: a 5x6 image, 2x2 patches",
             (X4, 2, 2), {"stride": 2}),
        Case("random: a non-contiguous view (3 images, 2 channels, 7x7), 3x3 patches, stride "
             "2, padding 1", (X5, 3, 3), {"stride": 2, "padding": 1}),
    ]


def _sorted_rows(A: np.ndarray) -> np.ndarray:
    return A[np.lexsort(A.T[::-1])]


def _rows_in_other_order(got: Any, X, kh, kw, stride=1, padding=0) -> bool:
    expected = ref.im2col(X, kh, kw, stride, padding)
    return (isinstance(got, np.ndarray) and got.shape == expected.shape
            and np.allclose(_sorted_rows(np.asarray(got, dtype=float)), _sorted_rows(expected)))


def _columns_in_other_order(got: Any, X, kh, kw, stride=1, padding=0) -> bool:
    expected = ref.im2col(X, kh, kw, stride, padding)
    return (isinstance(got, np.ndarray) and got.shape == expected.shape
            and np.allclose(np.sort(got, axis=1), np.sort(expected, axis=1)))


def _not_flattened(got: Any, X, kh, kw, stride=1, padding=0) -> bool:
    expected = ref.im2col(X, kh, kw, stride, padding)
    return (isinstance(got, np.ndarray) and got.ndim != 2 and got.size == expected.size
            and got.shape[0] == np.shape(X)[0])


check_im2col = make_check(Exercise(
    name="im2col",
    reference=ref.im2col,
    cases=_im2col_cases,
    mistakes=[
        Mistake("output size without + 1", _im2col_no_plus_one,
                "one patch position too few along an axis: the number of positions is "
                "(size + 2 * padding - k) // stride + 1 (the first patch starts at 0, then "
                "one more per stride that still fits)."),
        Mistake("patch read column by column", _im2col_patch_by_columns,
                "each row must be the patch flattened row by row, in (channel, patch row, "
                "patch column) order (`patch.ravel()` of the (c, kh, kw) patch); yours reads "
                "it column by column (kw before kh)."),
        Mistake("positions column by column", _im2col_positions_by_columns,
                "the rows are in the wrong order: they go image by image, then output row by "
                "output row, then column by column (`(i, r, q)`, like reading the output "
                "row-major). Yours walk down the columns first."),
        Mistake("channel last in a row", _im2col_channels_last,
                "each row must list the patch channel by channel, (channel, patch row, patch "
                "column) order, so that it lines up with `W[o].ravel()` of a (c_in, kh, kw) "
                "filter; yours puts the channel last."),
        Mistake("image index last", _im2col_image_last,
                "the rows go image by image: all the patches of image 0 first (in row-major "
                "order of their positions), then those of image 1."),
        Mistake("padding forgotten", _im2col_no_padding,
                "the padding is missing: add `padding` zeros on every side of each image "
                "first (`np.pad` with ((0, 0), (0, 0), (p, p), (p, p)))."),
        Mistake("padding twice", _im2col_padding_twice,
                "too many patches: the padding is applied twice (once when padding the image, "
                "and again in the output size?). Pad once, by `padding` on each side; the "
                "output size counts it once: (size + 2 * padding - k) // stride + 1."),
        Mistake("stride ignored", _im2col_no_stride,
                "the stride is ignored: patch (r, q) starts at row r * stride and column "
                "q * stride of the padded image."),
    ],
    diagnoses=[
        Diagnosis("not flattened", _not_flattened,
                  "the values are there but not as a matrix: reshape to (n * h_out * w_out, "
                  "c * kh * kw), one row per patch (after putting the axes in the order "
                  "(n, h_out, w_out, c, kh, kw))."),
        Diagnosis("patches in another order", _rows_in_other_order,
                  "every patch is there, but the rows are in another order: image by image, "
                  "then output row by output row, then column by column."),
        Diagnosis("values of a patch in another order", _columns_in_other_order,
                  "each row holds the right values in another order: a row is its (c, kh, kw) "
                  "patch flattened in (channel, patch row, patch column) order."),
    ],
    hints=(
        "a patch starts at row r * stride and column q * stride of the PADDED image and is "
        "kh x kw pixels over all channels. Pad first, then collect the patches; in the "
        "matrix, each patch becomes one row.",
        "shapes: the padded images are (n, c, h + 2p, w + 2p), h_out = floor((h + 2p - kh) / "
        "stride) + 1; gather an array of shape (n, h_out, w_out, c, kh, kw) (for example with "
        "one strided slice per offset (u, v) of the patch, kh kw slices in all), then reshape "
        "it to a matrix of n h_out w_out rows and c kh kw columns.",
    ),
))


# =========================================================================== conv2d_forward
def _conv_cases(rng: np.random.Generator) -> list[Case]:
    X1 = np.array([[[[1, 2, 0, 3], [4, 1, 1, 0], [0, 2, 5, 1], [3, 0, 1, 2]]]])
    W1 = np.array([[[[1, 2], [0, -1]]]])
    X2, W2 = rng.normal(size=(2, 3, 5, 6)), rng.normal(size=(4, 3, 3, 3))
    W3 = rng.integers(-2, 3, size=(2, 1, 3, 3))  # integer filters too
    X4, W4 = rng.normal(size=(2, 2, 7, 6)), rng.normal(size=(3, 2, 3, 3))
    X5 = rng.normal(size=(3, 2, 12, 5))[:, :, ::2]  # non-contiguous, (3, 2, 6, 5)
    W5 = rng.normal(size=(2, 2, 2, 3))
    return [
        Case("hand-made: one 4x4 image of integers, one 2x2 filter", (X1, W1, np.array([0.5]))),
        Case("two images, three channels, four 3x3 filters (so w_out = c_out = 4)",
             (X2, W2, rng.normal(size=4))),
        Case("padding 1 keeps the size: a digit (integers 0..16), two 3x3 filters",
             (DIGIT_ZERO.reshape(1, 1, 8, 8), W3, np.array([1.0, -1.0])), {"padding": 1}),
        Case("stride 2 and padding 1, a column no patch reaches: 7x6 images",
             (X4, W4, rng.normal(size=3)), {"stride": 2, "padding": 1}),
        Case("random: a non-contiguous view, 2x3 filters, padding 1",
             (X5, W5, rng.normal(size=2)), {"padding": 1}),
    ]


def _conv_matrix(X, W, stride, padding):
    """(n * h_out * w_out, c_out): one row per patch, one column per filter, no bias."""
    return ref.im2col(X, W.shape[2], W.shape[3], stride, padding) @ np.reshape(
        np.asarray(W, dtype=float), (W.shape[0], -1)).T


def _conv_flipped(X, W, b, stride=1, padding=0):
    return ref.conv2d_forward(X, np.asarray(W)[:, :, ::-1, ::-1], b, stride, padding)


def _conv_no_bias(X, W, b, stride=1, padding=0):
    return ref.conv2d_forward(X, W, np.zeros(np.shape(b)), stride, padding)


def _conv_bias_on_width(X, W, b, stride=1, padding=0):
    return _conv_no_bias(X, W, b, stride, padding) + b  # broadcasts along the LAST axis


def _conv_reshaped_not_transposed(X, W, b, stride=1, padding=0):
    n, (kh, kw) = np.shape(X)[0], np.shape(W)[2:]
    h_out = _out_size(np.shape(X)[2], kh, stride, padding)
    w_out = _out_size(np.shape(X)[3], kw, stride, padding)
    return (_conv_matrix(X, W, stride, padding) + b).reshape(n, np.shape(W)[0], h_out, w_out)


def _conv_filters_channels_last(X, W, b, stride=1, padding=0):
    W = np.asarray(W, dtype=float)
    cols = ref.im2col(X, W.shape[2], W.shape[3], stride, padding)
    out = cols @ W.transpose(0, 2, 3, 1).reshape(W.shape[0], -1).T + b
    n, h_out = np.shape(X)[0], _out_size(np.shape(X)[2], W.shape[2], stride, padding)
    w_out = _out_size(np.shape(X)[3], W.shape[3], stride, padding)
    return out.reshape(n, h_out, w_out, W.shape[0]).transpose(0, 3, 1, 2)


def _conv_no_plus_one(X, W, b, stride=1, padding=0):
    n, (kh, kw) = np.shape(X)[0], np.shape(W)[2:]
    h_out = (np.shape(X)[2] + 2 * padding - kh) // stride
    w_out = (np.shape(X)[3] + 2 * padding - kw) // stride
    rows = _conv_matrix(X, W, stride, padding) + b
    return rows.reshape(n, h_out, w_out, np.shape(W)[0]).transpose(0, 3, 1, 2)  # raises


def _conv_no_padding(X, W, b, stride=1, padding=0):
    return ref.conv2d_forward(X, W, b, stride, 0)


def _conv_padding_twice(X, W, b, stride=1, padding=0):
    return ref.conv2d_forward(X, W, b, stride, 2 * padding)


def _conv_no_stride(X, W, b, stride=1, padding=0):
    return ref.conv2d_forward(X, W, b, 1, padding)


def _conv_integer_output(X, W, b, stride=1, padding=0):
    return ref.conv2d_forward(X, W, b, stride, padding).astype(np.asarray(X).dtype)


_INTEGER_HINT = ("your result has the images' integer dtype, which cuts off every fraction: "
                 "create the output array as floats (`np.zeros(shape)`, not "
                 "`np.zeros_like(X)` when X holds integers).")


def _without_im2col(fn: Callable[..., Any]) -> bool:
    return "im2col" not in global_names(fn)


check_conv2d_forward = make_check(Exercise(
    name="conv2d_forward",
    reference=ref.conv2d_forward,
    uses=("im2col",),
    cases=_conv_cases,
    mistakes=[
        Mistake("true convolution (flipped filters)", _conv_flipped,
                "you flipped the filters: that is the convolution of mathematics. Deep-learning "
                "layers compute cross-correlation, `sum(patch * W[o])` with the filter as it "
                "is (no `[::-1, ::-1]`)."),
        Mistake("bias not added", _conv_no_bias,
                "the bias is missing: add `b[o]` to every output of filter o."),
        Mistake("bias added along the width", _conv_bias_on_width,
                "the bias went to the wrong axis: `out + b` on the (n, c_out, h_out, w_out) "
                "output adds b along the LAST axis (the columns). Add it per filter: to the "
                "(n * h_out * w_out, c_out) matrix before reshaping, or `b[:, None, None]`."),
        Mistake("reshaped without moving the channel axis", _conv_reshaped_not_transposed,
                "the values are scrambled: the matrix product has one ROW per patch (image, "
                "row, column) and one COLUMN per filter. Reshape it to (n, h_out, w_out, "
                "c_out), then move the channel axis: `.transpose(0, 3, 1, 2)`."),
        Mistake("filters flattened channel last", _conv_filters_channels_last,
                "flatten each filter in the order of im2col's columns, (channel, row, column): "
                "`W.reshape(c_out, -1)` keeps W[o] in that order."),
        Mistake("integer output array", _conv_integer_output, _INTEGER_HINT),
        Mistake("output size without + 1", _conv_no_plus_one,
                "the output size is (size + 2 * padding - k) // stride + 1: the + 1 counts the "
                "first position."),
        Mistake("padding forgotten", _conv_no_padding,
                "the padding is missing: pass `padding` on to im2col (and count it in the "
                "output size)."),
        Mistake("padding twice", _conv_padding_twice,
                "the padding is applied twice: pad once, by `padding` zeros on each side."),
        Mistake("stride ignored", _conv_no_stride,
                "the stride is ignored: pass it on to im2col, and divide by it in the output "
                "size."),
    ],
    notes=[Note("no im2col", _without_im2col,
                "your conv2d_forward does not call im2col. Correct is correct, but section 6 "
                "times loops against one matrix product: use im2col there to see why "
                "libraries do it this way.")],
    hints=(
        "with every patch as a row of im2col's matrix and every filter flattened to a row, "
        "all the sums `sum(patch * W[o])` are ONE matrix product; the bias is one number per "
        "filter.",
        "shapes: im2col gives (n * h_out * w_out, c_in * kh * kw); the filters flattened are "
        "(c_out, c_in * kh * kw); their product (with the right transpose) is (n * h_out * "
        "w_out, c_out). Add b along the filter axis, then reshape to (n, h_out, w_out, c_out) "
        "and move the channel axis to position 1.",
    ),
))


# =========================================================================== conv2d_backward
def _conv_losses_of_inputs(d_out, W, b, stride, padding):
    """Xs (m, n, c, h, w) -> the m losses sum(d_out * conv2d_forward(Xs[k], W, b))."""
    return lambda Xs: _weighted_sums(d_out, _per_image(
        lambda X: ref.conv2d_forward(X, W, b, stride, padding), Xs))


def _conv_losses_of_parameters(d_out, X, W, b, stride, padding, which):
    """Ws (m, *W.shape) or bs (m, c_out) -> m losses: the m filter banks side by side, as the
    output channels of one convolution."""
    c_out = np.shape(W)[0]

    def losses(points):
        m = len(points)
        W_all = points.reshape(-1, *np.shape(W)[1:]) if which == "W" else np.tile(W, (m, 1, 1, 1))
        b_all = points.ravel() if which == "b" else np.tile(b, m)
        out = ref.conv2d_forward(X, W_all, b_all, stride, padding)  # (n, m * c_out, ...)
        out = out.reshape(out.shape[0], m, c_out, *out.shape[2:]).swapaxes(0, 1)
        return _weighted_sums(d_out, out)

    return losses


def _numerical_conv_gradients(d_out, X, W, stride=1, padding=0):
    """(dX, dW, db) of ``sum(d_out * conv2d_forward(X, W, b, stride, padding))``, numerically."""
    b = np.zeros(np.shape(W)[0])
    return (_numerical(_conv_losses_of_inputs(d_out, W, b, stride, padding), X),
            _numerical(_conv_losses_of_parameters(d_out, X, W, b, stride, padding, "W"), W),
            _numerical(_conv_losses_of_parameters(d_out, X, W, b, stride, padding, "b"), b))


def _backward_case(label: str, d_out, X, W, stride: int = 1, padding: int = 0) -> Case:
    kwargs = ({"stride": stride} if stride != 1 else {}) | ({"padding": padding} if padding
                                                            else {})
    return Case(label, (d_out, X, W), kwargs,
                expected=_numerical_conv_gradients(d_out, X, W, stride, padding))


@functools.cache
def _conv_backward_case_list() -> tuple[Case, ...]:
    rng = _gen(6)
    X1 = np.arange(9).reshape(1, 1, 3, 3)
    W1 = np.array([[[[1, 2], [0, -1]]]])
    X2, W2 = rng.normal(size=(2, 2, 4, 5)), rng.normal(size=(3, 2, 3, 3))
    W3 = rng.normal(size=(2, 1, 3, 3))
    X4, W4 = rng.normal(size=(2, 2, 7, 6)), rng.normal(size=(3, 2, 3, 3))
    X5 = rng.normal(size=(3, 2, 12, 5))[:, :, ::2]  # non-contiguous, (3, 2, 6, 5)
    W5 = rng.normal(size=(2, 2, 2, 3))
    return (
        _backward_case("hand-made: one 3x3 image of integers, one 2x2 filter, d_out all ones",
                       np.ones((1, 1, 2, 2)), X1, W1),
        _backward_case("two images, two channels, three 3x3 filters (dW and db add up over "
                       "the batch)", rng.normal(size=(2, 3, 2, 3)), X2, W2),
        _backward_case("padding 1: a digit (integers 0..16), two 3x3 filters",
                       rng.normal(size=(1, 2, 8, 8)), DIGIT_SEVEN.reshape(1, 1, 8, 8), W3,
                       padding=1),
        _backward_case("stride 2 and padding 1, a column no patch reaches: 7x6 images",
                       rng.normal(size=(2, 3, 4, 3)), X4, W4, stride=2, padding=1),
        _backward_case("random: a non-contiguous view, 2x3 filters, padding 1",
                       rng.normal(size=(3, 2, 7, 5)), X5, W5, padding=1),
    )


def _d_rows(d_out):
    return np.transpose(d_out, (0, 2, 3, 1)).reshape(-1, np.shape(d_out)[1])


def _backward_parts(d_out, X, W, stride, padding):
    """(d_rows, cols, W as a matrix), the pieces of the im2col backward pass."""
    W = np.asarray(W, dtype=float)
    cols = ref.im2col(X, W.shape[2], W.shape[3], stride, padding)
    return _d_rows(np.asarray(d_out, dtype=float)), cols, W.reshape(W.shape[0], -1)


def _cb_last_image_only(d_out, X, W, stride=1, padding=0):
    dX, _, _ = ref.conv2d_backward(d_out, X, W, stride, padding)
    _, dW, db = ref.conv2d_backward(d_out[-1:], X[-1:], W, stride, padding)
    return dX, dW, db


def _cb_batch_mean(d_out, X, W, stride=1, padding=0):
    dX, dW, db = ref.conv2d_backward(d_out, X, W, stride, padding)
    return dX, dW / np.shape(X)[0], db / np.shape(X)[0]


def _cb_db_per_position(d_out, X, W, stride=1, padding=0):
    dX, dW, _ = ref.conv2d_backward(d_out, X, W, stride, padding)
    return dX, dW, np.sum(d_out, axis=0)


def _cb_db_per_image(d_out, X, W, stride=1, padding=0):
    dX, dW, _ = ref.conv2d_backward(d_out, X, W, stride, padding)
    return dX, dW, np.sum(d_out, axis=(2, 3))


def _cb_db_mean(d_out, X, W, stride=1, padding=0):
    dX, dW, _ = ref.conv2d_backward(d_out, X, W, stride, padding)
    return dX, dW, np.mean(d_out, axis=(0, 2, 3))


def _cb_padding_kept(d_out, X, W, stride=1, padding=0):
    d_rows, _, W_rows = _backward_parts(d_out, X, W, stride, padding)
    n, c, h, w = np.shape(X)
    padded_shape = (n, c, h + 2 * padding, w + 2 * padding)
    dX = ref.col2im(d_rows @ W_rows, padded_shape, *np.shape(W)[2:], stride, 0)
    _, dW, db = ref.conv2d_backward(d_out, X, W, stride, padding)
    return dX, dW, db


def _cb_overwritten(d_out, X, W, stride=1, padding=0):
    d_rows, _, W_rows = _backward_parts(d_out, X, W, stride, padding)
    n, c, h, w = np.shape(X)
    kh, kw = np.shape(W)[2:]
    h_out, w_out = np.shape(d_out)[2:]
    patches = (d_rows @ W_rows).reshape(n, h_out, w_out, c, kh, kw)
    dXp = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    for r in range(h_out):
        for q in range(w_out):  # `=` where `+=` is needed: the last patch wins
            dXp[:, :, r * stride:r * stride + kh, q * stride:q * stride + kw] = patches[:, r, q]
    _, dW, db = ref.conv2d_backward(d_out, X, W, stride, padding)
    return dXp[:, :, padding:padding + h, padding:padding + w], dW, db


def _cb_dx_not_flipped(d_out, X, W, stride=1, padding=0):
    _, dW, db = ref.conv2d_backward(d_out, X, W, stride, padding)
    W = np.asarray(W, dtype=float)
    return ref.conv2d_transpose(d_out, W[:, :, ::-1, ::-1], padding), dW, db


def _cb_d_out_not_transposed(d_out, X, W, stride=1, padding=0):
    _, cols, W_rows = _backward_parts(d_out, X, W, stride, padding)
    d_rows = np.reshape(d_out, (-1, np.shape(d_out)[1]))  # (n, c_out, h, w) read as rows
    dX = ref.col2im(d_rows @ W_rows, np.shape(X), *np.shape(W)[2:], stride, padding)
    return dX, (d_rows.T @ cols).reshape(np.shape(W)), np.sum(d_out, axis=(0, 2, 3))


def _cb_dw_channels_swapped(d_out, X, W, stride=1, padding=0):
    dX, dW, db = ref.conv2d_backward(d_out, X, W, stride, padding)
    return dX, dW.transpose(1, 0, 2, 3), db


def _cb_integer_dx(d_out, X, W, stride=1, padding=0):
    dX, dW, db = ref.conv2d_backward(d_out, X, W, stride, padding)
    return dX.astype(np.asarray(X).dtype), dW, db


def _cb_outputs_order(d_out, X, W, stride=1, padding=0):
    dX, dW, db = ref.conv2d_backward(d_out, X, W, stride, padding)
    return dW, dX, db


def _dw_from_one_image(got: Any, d_out, X, W, stride=1, padding=0) -> bool:
    """dW (output 2) is the gradient of a single image of a batch of several."""
    if not isinstance(got, tuple | list) or len(got) != 3 or np.shape(X)[0] < 2:
        return False
    dW = np.asarray(got[1], dtype=float)
    for i in range(np.shape(X)[0]):
        one = ref.conv2d_backward(d_out[i:i + 1], X[i:i + 1], W, stride, padding)[1]
        if dW.shape == one.shape and np.allclose(dW, one):
            return True
    return False


_SUM_OVER_BATCH = ("dW and db add up the contributions of EVERY image of the batch (and every "
                   "position): the loss sum(d_out * out) is a sum over all of them.")

check_conv2d_backward = make_check(Exercise(
    name="conv2d_backward",
    reference=ref.conv2d_backward,
    uses=("im2col",),
    cases=lambda rng: _conv_backward_case_list(),
    outputs=("dX", "dW", "db"),
    mistakes=[
        Mistake("dX an array of integers", _cb_integer_dx, _INTEGER_HINT),
        Mistake("outputs in another order", _cb_outputs_order,
                "return the three gradients in the order `dX, dW, db`."),
        Mistake("dW from the last image only", _cb_last_image_only,
                _SUM_OVER_BATCH + " In a loop over the images, accumulate (`dW += ...`) "
                "instead of assigning."),
        Mistake("dW averaged over the batch", _cb_batch_mean,
                _SUM_OVER_BATCH + " Do not divide by n: any 1/n of the real loss is already "
                "inside d_out."),
        Mistake("db per position", _cb_db_per_position,
                "db has one entry per filter: sum d_out over the images AND the positions, "
                "axes (0, 2, 3)."),
        Mistake("db per image", _cb_db_per_image,
                "db has one entry per filter: sum d_out over the images too, axes (0, 2, 3)."),
        Mistake("db as a mean", _cb_db_mean,
                "db is the SUM of d_out over images and positions (each output adds b[o] "
                "once), not its mean."),
        Mistake("dW with channel axes swapped", _cb_dw_channels_swapped,
                "dW is shaped like W, (c_out, c_in, kh, kw): `(d_rows.T @ cols)` is (c_out, "
                "c_in * kh * kw), reshape it to W.shape."),
        Mistake("d_out flattened without moving its channel axis", _cb_d_out_not_transposed,
                "d_out is (n, c_out, h_out, w_out) but im2col's rows are (image, row, column) "
                "with one column per filter: move the channel axis last before flattening, "
                "`d_out.transpose(0, 2, 3, 1).reshape(-1, c_out)`."),
        Mistake("dX with the padding left on", _cb_padding_kept,
                "dX has the shape of X: cut the padding off the padded gradient, "
                "`dX_padded[:, :, p:p + h, p:p + w]` (what lands on the padding zeros is "
                "thrown away)."),
        Mistake("dX overwritten where patches overlap", _cb_overwritten,
                "patches overlap (stride smaller than the filter): a pixel gets gradient from "
                "EVERY patch that contains it, so ADD each patch's gradient (`+=`), do not "
                "assign it."),
        Mistake("dX as a correlation without the flip", _cb_dx_not_flipped,
                "written as a convolution of d_out, dX needs the filters flipped (and their "
                "channel axes swapped, d_out padded by k - 1 - padding), see challenge ★★★; "
                "or compute it with im2col's layout: `d_rows @ W.reshape(c_out, -1)`, then "
                "put each row's values back on its patch."),
    ],
    diagnoses=[Diagnosis("dW from one image only", _dw_from_one_image,
                         _SUM_OVER_BATCH + " Yours is one image's dW: in a loop over the "
                         "images, accumulate (`dW += ...`) instead of assigning.")],
    hints=(
        "each output is sum(patch * W[o]) + b[o]: its gradient with respect to W[o] is the "
        "patch, with respect to the patch pixels it is W[o], with respect to b[o] it is 1. "
        "Multiply by that output's d_out and add up over every image and position.",
        "in im2col's layout: d_out as a (n * h_out * w_out, c_out) matrix (rows in im2col's "
        "order) times the (n * h_out * w_out, c_in * kh * kw) patches gives dW (reshape it "
        "to W.shape); d_out times the flattened filters gives one gradient row per patch, "
        "whose values are added back onto the pixels of their patch (overlaps add up, "
        "padding is cut off); db sums d_out over axes 0, 2 and 3.",
    ),
))


# =========================================================================== maxpool_forward
_HAND_POOL = np.array([[[[1, 5, 3, 3], [5, 2, 3, 3], [0, 0, 7, 1], [0, 0, 7, 1]]]])


def _pool_cases(rng: np.random.Generator) -> list[Case]:
    X1 = np.array([[[[1, 9, 2, 0], [4, 3, 8, 6], [7, 2, 0, 5], [1, 6, 3, 4]]]])
    X2 = -rng.uniform(0.5, 3.0, size=(1, 2, 4, 4))
    X3 = rng.normal(size=(2, 3, 10, 7))[:, :, ::2]  # non-contiguous, (2, 3, 5, 7)
    X4 = rng.integers(-5, 10, size=(1, 2, 6, 9))
    return [
        Case("hand-made: one 4x4 image of integers, 2x2 windows", (X1,)),
        Case("negative values only (as before a ReLU)", (X2,)),
        Case("two images, three channels, 5x7 images (a row and a column left over), a "
             "non-contiguous view", (X3,)),
        Case("3x3 windows on 6x9 images", (X4,), {"size": 3}),
        Case("a digit (integers 0..16, many equal pixels)", (DIGIT_SEVEN.reshape(1, 1, 8, 8),)),
    ]


def _blocks(X, size, crop=True):
    X = np.asarray(X, dtype=float)
    n, c, h, w = X.shape
    h2, w2 = h // size, w // size
    return X[:, :, :h2 * size, :w2 * size].reshape(n, c, h2, size, w2, size)


def _mp_mean(X, size=2):
    return _blocks(X, size).mean(axis=(3, 5))


def _mp_from_zero(X, size=2):
    return np.maximum(_blocks(X, size).max(axis=(3, 5)), 0.0)


def _mp_strided_grid(X, size=2):
    X = np.asarray(X, dtype=float)
    n, c, h, w = X.shape
    h2, w2 = h // size, w // size
    grid = X[:, :, :h2 * size, :w2 * size].reshape(n, c, size, h2, size, w2)
    return grid.max(axis=(2, 4))


def _mp_overlapping(X, size=2):
    X = np.asarray(X, dtype=float)
    return sliding_window_view(X, (size, size), axis=(2, 3)).max(axis=(4, 5))


def _mp_leftover_kept(X, size=2):
    X = np.asarray(X, dtype=float)
    n, c, h, w = X.shape
    H, Wd = -(-h // size) * size, -(-w // size) * size
    padded = np.full((n, c, H, Wd), -np.inf)
    padded[:, :, :h, :w] = X
    return padded.reshape(n, c, H // size, size, Wd // size, size).max(axis=(3, 5))


def _mp_size_two(X, size=2):
    return ref.maxpool_forward(X, 2)


_POOL_LOOP_NOTE = ("your function loops in Python: correct, and fast enough at these sizes, but a "
                   "reshape that gives each window its own axes does the same without a loop (see "
                   "the hints); a network calls this layer on every batch.")

check_maxpool_forward = make_check(Exercise(
    name="maxpool_forward",
    reference=ref.maxpool_forward,
    cases=_pool_cases,
    notes=[Note("Python loop", has_loop, _POOL_LOOP_NOTE)],
    mistakes=[
        Mistake("mean instead of max", _mp_mean,
                "that is the MEAN of each window (average pooling): max-pooling keeps the "
                "largest value."),
        Mistake("every size-th pixel instead of a window", _mp_strided_grid,
                "your 'windows' take every size-th pixel across the image: reshape to (n, c, "
                "h_out, size, w_out, size), so that axes 3 and 5 run INSIDE a window, and "
                "take the max over those."),
        Mistake("overlapping windows", _mp_overlapping,
                "the windows overlap (a step of 1): max-pooling's windows do not overlap, the "
                "window (r, q) covers rows r * size to r * size + size - 1."),
        Mistake("maximum started at 0", _mp_from_zero,
                "a window of negative numbers has a negative maximum: start from the window's "
                "own values (or -inf), not from 0."),
        Mistake("leftover rows and columns kept", _mp_leftover_kept,
                "rows and columns that do not fill a whole window are dropped: crop the image "
                "to h // size * size rows and w // size * size columns first."),
        Mistake("size ignored", _mp_size_two,
                "use the `size` argument, not 2: the check also tries 3x3 windows."),
    ],
    hints=(
        "the output pixel (r, q) is the largest of the size x size pixels of rows r * size "
        "... r * size + size - 1 and columns q * size ... q * size + size - 1; windows do not "
        "overlap, leftover rows and columns are ignored.",
        "crop to (h // size * size, w // size * size), reshape to (n, c, h // size, size, "
        "w // size, size) and take the maximum over the two axes that run inside a window.",
    ),
))


# =========================================================================== maxpool_backward
def _pool_losses(forward, d_out, size):
    """Xs (m, n, c, h, w) -> the m losses sum(d_out * forward(Xs[k], size))."""
    return lambda Xs: _weighted_sums(d_out, _per_image(lambda X: forward(X, size), Xs))


def _pool_backward_case(label: str, d_out, X, size: int | None = None,
                        ties: bool = False) -> Case:
    kwargs = {} if size is None else {"size": size}
    s = 2 if size is None else size
    if ties:  # the gradient is not defined at a tie: the contract's convention decides
        expected = ref.maxpool_backward(d_out, X, s)
    else:
        expected = _numerical(_pool_losses(ref.maxpool_forward, d_out, s), X)
    return Case(label, (d_out, X), kwargs, expected=expected)


@functools.cache
def _pool_backward_case_list() -> tuple[Case, ...]:
    rng = _gen(8)
    X1 = np.array([[[[1, 9, 2, 0], [4, 3, 8, 6], [7, 2, 0, 5], [1, 6, 3, 4]]]])
    X3 = _distinct(rng, (2, 3, 5, 7))
    X4 = _distinct(rng, (1, 2, 6, 9))
    X5 = np.maximum(rng.normal(size=(2, 2, 6, 8)), 0.0)  # after a ReLU: windows of zeros
    return (
        _pool_backward_case("hand-made: one 4x4 image of distinct integers, d_out = 1, 2, 3, 4",
                            np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), X1),
        _pool_backward_case("hand-made ties: windows with equal maxima (the first in row-major "
                            "order gets d_out)", np.array([[[[1.0, 2.0], [3.0, 4.0]]]]),
                            _HAND_POOL, ties=True),
        _pool_backward_case("5x7 images: the leftover row and column get 0",
                            rng.normal(size=(2, 3, 2, 3)), X3),
        _pool_backward_case("3x3 windows on 6x9 images", rng.normal(size=(1, 2, 2, 3)), X4,
                            size=3),
        _pool_backward_case("a digit (integers, ties among equal pixels)",
                            rng.normal(size=(1, 1, 4, 4)), DIGIT_ZERO.reshape(1, 1, 8, 8),
                            ties=True),
        _pool_backward_case("random: after a ReLU, windows full of zeros (ties)",
                            rng.normal(size=(2, 2, 3, 4)), X5, ties=True),
    )


def _windows(X, size):
    """(n, c, h2, w2, size * size) row-major windows, as floats."""
    b = _blocks(X, size)
    n, c, h2, _, w2, _ = b.shape
    return b.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h2, w2, size * size)


def _unwindow(values, X, size):
    n, c, h2, w2, _ = values.shape
    out = np.zeros(np.shape(X))
    blocks = values.reshape(n, c, h2, w2, size, size).transpose(0, 1, 2, 4, 3, 5)
    out[:, :, :h2 * size, :w2 * size] = blocks.reshape(n, c, h2 * size, w2 * size)
    return out


def _route(d_out, X, size, pick):
    """d_out sent to the window position(s) that ``pick(windows)`` (a 0/1 mask) selects."""
    windows = _windows(X, size)
    return _unwindow(pick(windows) * np.asarray(d_out, dtype=float)[..., None], X, size)


def _first(windows):
    mask = np.zeros(windows.shape)
    np.put_along_axis(mask, windows.argmax(axis=-1)[..., None], 1.0, axis=-1)
    return mask


def _mb_every_pixel(d_out, X, size=2):
    return _route(d_out, X, size, lambda w: np.ones(w.shape))


def _mb_averaged(d_out, X, size=2):
    return _route(d_out, X, size, lambda w: np.full(w.shape, 1.0 / size**2))


def _mb_all_ties(d_out, X, size=2):
    return _route(d_out, X, size, lambda w: (w == w.max(axis=-1, keepdims=True)).astype(float))


def _mb_last_tie(d_out, X, size=2):
    def last(windows):
        flipped = _first(windows[..., ::-1])
        return flipped[..., ::-1]
    return _route(d_out, X, size, last)


def _mb_column_major_tie(d_out, X, size=2):
    def column_major(windows):
        shape = windows.shape
        by_columns = windows.reshape(*shape[:4], size, size).swapaxes(-1, -2).reshape(shape)
        mask = _first(by_columns)
        return mask.reshape(*shape[:4], size, size).swapaxes(-1, -2).reshape(shape)
    return _route(d_out, X, size, column_major)


def _mb_mask_only(d_out, X, size=2):
    return _route(np.ones(np.shape(d_out)), X, size, _first)


def _mb_integer_array(d_out, X, size=2):
    return ref.maxpool_backward(d_out, X, size).astype(np.asarray(X).dtype)


def _mb_leftover_dropped(d_out, X, size=2):
    n, c, h, w = np.shape(X)
    return ref.maxpool_backward(d_out, X, size)[:, :, :h // size * size, :w // size * size]


_TIE_HINT = ("on a tie, only ONE pixel gets the window's d_out: the first maximum in row-major "
             "order (the one `argmax` of the flattened window picks). Otherwise a window passes "
             "on more gradient than it received.")

check_maxpool_backward = make_check(Exercise(
    name="maxpool_backward",
    reference=ref.maxpool_backward,
    cases=lambda rng: _pool_backward_case_list(),
    notes=[Note("Python loop", has_loop, _POOL_LOOP_NOTE)],
    mistakes=[
        Mistake("gradient array of integers", _mb_integer_array, _INTEGER_HINT),
        Mistake("gradient to every pixel of the window", _mb_every_pixel,
                "only the pixel that WAS the maximum influenced the output: it gets the "
                "window's d_out, every other pixel of the window gets 0."),
        Mistake("gradient averaged over the window", _mb_averaged,
                "that is average pooling's gradient (d_out / size**2 everywhere): for "
                "max-pooling, the whole d_out goes to the maximum, 0 to the others."),
        Mistake("mask without d_out", _mb_mask_only,
                "the right pixels, but 1 instead of the window's d_out: multiply the mask by "
                "d_out (the chain rule)."),
        Mistake("gradient to every tied maximum", _mb_all_ties, _TIE_HINT),
        Mistake("ties to the last maximum", _mb_last_tie, _TIE_HINT),
        Mistake("ties in column-major order", _mb_column_major_tie,
                "on a tie, the FIRST maximum in ROW-major order gets d_out: flatten each "
                "window row by row (axes in the order (..., window row, window column)) before "
                "`argmax`."),
        Mistake("leftover rows and columns dropped", _mb_leftover_dropped,
                "dX has the shape of X: the rows and columns no window covered get 0, they are "
                "not dropped."),
    ],
    hints=(
        "the pooled output is just one pixel of its window (the maximum), so d_out flows back "
        "to that pixel only, and every other pixel gets 0; leftover rows and columns too.",
        "make the windows an axis of their own: crop, reshape to (n, c, h // size, size, "
        "w // size, size), move the axes so that each window is size * size values in "
        "row-major order, find the position of the first maximum (argmax), put d_out there "
        "and zeros elsewhere, and undo the reshapes into an array shaped like X.",
    ),
))


# =========================================================================== challenges
# ★ avgpool_backward ------------------------------------------------------------------------
@functools.cache
def _avg_backward_case_list() -> tuple[Case, ...]:
    rng = _gen(9)
    X1 = np.array([[[[1, 9, 2, 0], [4, 3, 8, 6], [7, 2, 0, 5], [1, 6, 3, 4]]]])
    X2 = rng.normal(size=(2, 3, 10, 7))[:, :, ::2]  # non-contiguous, (2, 3, 5, 7)
    X3 = rng.integers(0, 17, size=(1, 2, 6, 9))
    cases = [("hand-made: one 4x4 image of integers, d_out = 1, 2, 3, 4",
              np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), X1, 2),
             ("5x7 images (a non-contiguous view): the leftover row and column get 0",
              rng.normal(size=(2, 3, 2, 3)), X2, 2),
             ("3x3 windows on 6x9 images of integers", rng.normal(size=(1, 2, 2, 3)), X3, 3)]
    return tuple(
        Case(label, (d_out, X), {} if size == 2 else {"size": size},
             expected=_numerical(_pool_losses(ref.avgpool_forward, d_out, size), X))
        for label, d_out, X, size in cases)


def _ab_not_divided(d_out, X, size=2):
    return ref.avgpool_backward(d_out, X, size) * size**2


def _ab_divided_by_size(d_out, X, size=2):
    return ref.avgpool_backward(d_out, X, size) * size


def _ab_to_first_pixel(d_out, X, size=2):
    return _route(d_out, X, size, lambda w: np.eye(size * size)[np.zeros(w.shape[:4], int)])


def _ab_leftover_dropped(d_out, X, size=2):
    n, c, h, w = np.shape(X)
    return ref.avgpool_backward(d_out, X, size)[:, :, :h // size * size, :w // size * size]


check_avgpool_backward = make_check(Exercise(
    name="avgpool_backward",
    reference=ref.avgpool_backward,
    cases=lambda rng: _avg_backward_case_list(),
    challenge=True,
    mistakes=[
        Mistake("not divided by the window's size", _ab_not_divided,
                "each pixel contributes 1 / size**2 of the window's mean, so it gets d_out / "
                "size**2, not d_out."),
        Mistake("divided by size, not size squared", _ab_divided_by_size,
                "a window has size * size pixels: divide d_out by size**2."),
        Mistake("routed like max-pooling", _ab_to_first_pixel,
                "every pixel of the window takes part in a mean: all of them get d_out / "
                "size**2 (not just one)."),
        Mistake("leftover rows and columns dropped", _ab_leftover_dropped,
                "dX has the shape of X: the rows and columns no window covered get 0."),
    ],
    hints=(
        "the output is the mean of its window, so each of the window's pixels has the same "
        "partial derivative; what is it?",
        "every pixel of a window gets its window's d_out divided by the number of pixels in a "
        "window (repeat d_out along the two image axes, or reshape and broadcast), and the "
        "leftover rows and columns get 0.",
    ),
))


# ★★ col2im ---------------------------------------------------------------------------------
def _col2im_cases(rng: np.random.Generator) -> list[Case]:
    def random_cols(shape, kh, kw, stride=1, padding=0):
        n, c, h, w = shape
        rows = n * _out_size(h, kh, stride, padding) * _out_size(w, kw, stride, padding)
        return rng.normal(size=(rows, c * kh * kw))

    return [
        Case("hand-made: all ones, one 3x3 image, 2x2 patches (each pixel counts its patches)",
             (np.ones((4, 4)), (1, 1, 3, 3), 2, 2)),
        Case("two images, two channels, 4x5 images, 3x2 patches",
             (random_cols((2, 2, 4, 5), 3, 2), (2, 2, 4, 5), 3, 2)),
        Case("padding 1: what lands on the padding is dropped",
             (random_cols((1, 2, 3, 3), 3, 3, 1, 1), (1, 2, 3, 3), 3, 3), {"padding": 1}),
        Case("stride 2, padding 1, with a row and a column no patch reaches",
             (random_cols((2, 1, 6, 7), 3, 3, 2, 1), (2, 1, 6, 7), 3, 3),
             {"stride": 2, "padding": 1}),
    ]


def _c2i_loops(cols, X_shape, kh, kw, stride, padding, assign=False, order=(0, 1, 2),
               crop_start=True):
    n, c, h, w = X_shape
    h_out, w_out = _out_size(h, kh, stride, padding), _out_size(w, kw, stride, padding)
    patches = np.asarray(cols, dtype=float).reshape(n, h_out, w_out, *[
        (c, kh, kw)[i] for i in order])
    patches = patches.transpose(0, 1, 2, *[3 + order.index(i) for i in range(3)])
    padded = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    for r in range(h_out):
        for q in range(w_out):
            window = (slice(None), slice(None), slice(r * stride, r * stride + kh),
                      slice(q * stride, q * stride + kw))
            if assign:
                padded[window] = patches[:, r, q]
            else:
                padded[window] += patches[:, r, q]
    if crop_start:
        return padded[:, :, padding:padding + h, padding:padding + w]
    return padded[:, :, :h, :w]


def _c2i_assign(cols, X_shape, kh, kw, stride=1, padding=0):
    return _c2i_loops(cols, X_shape, kh, kw, stride, padding, assign=True)


def _c2i_padding_kept(cols, X_shape, kh, kw, stride=1, padding=0):
    n, c, h, w = X_shape
    return _c2i_loops(cols, (n, c, h + 2 * padding, w + 2 * padding), kh, kw, stride, 0)


def _c2i_wrong_crop(cols, X_shape, kh, kw, stride=1, padding=0):
    return _c2i_loops(cols, X_shape, kh, kw, stride, padding, crop_start=False)


def _c2i_channels_last(cols, X_shape, kh, kw, stride=1, padding=0):
    return _c2i_loops(cols, X_shape, kh, kw, stride, padding, order=(1, 2, 0))


check_col2im = make_check(Exercise(
    name="col2im",
    reference=ref.col2im,
    cases=_col2im_cases,
    challenge=True,
    mistakes=[
        Mistake("assigned instead of added", _c2i_assign,
                "patches overlap: ADD each row's values onto its patch (`+=`); assigning keeps "
                "only the last patch that covers a pixel."),
        Mistake("padding not cut off", _c2i_padding_kept,
                "the result has the shape of the images, X_shape: cut the padding off, "
                "`padded[:, :, p:p + h, p:p + w]`."),
        Mistake("padding cut from one side", _c2i_wrong_crop,
                "the padding is on EVERY side: keep `padded[:, :, p:p + h, p:p + w]`, not the "
                "first h rows and w columns."),
        Mistake("row read channel last", _c2i_channels_last,
                "a row holds its patch in (channel, patch row, patch column) order, as im2col "
                "wrote it: reshape it to (c, kh, kw)."),
    ],
    hints=(
        "undo im2col's gathering: row (i, r, q) came from the patch at rows r * stride ... "
        "and columns q * stride ... of padded image i; put its values back there, adding "
        "where patches overlap.",
        "reshape cols to (n, h_out, w_out, c, kh, kw); start from zeros of shape (n, c, "
        "h + 2p, w + 2p); add each patch (or each of the kh * kw offsets, as strided slices) "
        "into it; return the part without the padding.",
    ),
))


# ★★★ conv2d_transpose -----------------------------------------------------------------------
def _transpose_case(label: str, d_out, W, padding: int = 0) -> Case:
    n, _, h_out, w_out = np.shape(d_out)
    c_in, kh, kw = np.shape(W)[1:]
    X_shape = (n, c_in, h_out + kh - 1 - 2 * padding, w_out + kw - 1 - 2 * padding)
    b = np.zeros(np.shape(W)[0])
    expected = _numerical(_conv_losses_of_inputs(d_out, W, b, 1, padding), np.zeros(X_shape))
    return Case(label, (d_out, W), {"padding": padding} if padding else {}, expected=expected)


@functools.cache
def _transpose_case_list() -> tuple[Case, ...]:
    rng = _gen(10)
    return (
        _transpose_case("hand-made: d_out all ones (2x2), one 2x2 filter of integers",
                        np.ones((1, 1, 2, 2)), np.array([[[[1, 2], [0, -1]]]])),
        _transpose_case("two channels in, two out", rng.normal(size=(2, 2, 3, 4)),
                        rng.normal(size=(2, 2, 3, 2))),
        _transpose_case("three filters over two channels", rng.normal(size=(2, 3, 3, 4)),
                        rng.normal(size=(3, 2, 3, 3))),
        _transpose_case("padding 1", rng.normal(size=(1, 2, 6, 5)),
                        rng.normal(size=(2, 1, 3, 3)), padding=1),
    )


def _ct_parts(d_out, W, padding, flip=(True, True), swap=True, pad=None):
    W = np.asarray(W, dtype=float)
    kh, kw = W.shape[2:]
    if flip[0]:
        W = W[:, :, ::-1]
    if flip[1]:
        W = W[:, :, :, ::-1]
    if swap:
        W = W.transpose(1, 0, 2, 3)
    ph, pw = (kh - 1 - padding, kw - 1 - padding) if pad is None else (pad, pad)
    full = np.pad(np.asarray(d_out, dtype=float), ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    return ref.conv2d_forward(full, W, np.zeros(W.shape[0]))


def _ct_not_flipped(d_out, W, padding=0):
    return _ct_parts(d_out, W, padding, flip=(False, False))


def _ct_one_axis_flipped(d_out, W, padding=0):
    return _ct_parts(d_out, W, padding, flip=(True, False))


def _ct_not_swapped(d_out, W, padding=0):
    return _ct_parts(d_out, W, padding, swap=False)


def _ct_full_padding(d_out, W, padding=0):
    return _ct_parts(d_out, W, padding, pad=np.shape(W)[2] - 1)


def _ct_forward_padding(d_out, W, padding=0):
    return _ct_parts(d_out, W, padding, pad=padding)


check_conv2d_transpose = make_check(Exercise(
    name="conv2d_transpose",
    reference=ref.conv2d_transpose,
    uses=("conv2d_forward",),
    cases=lambda rng: _transpose_case_list(),
    challenge=True,
    notes=[Note("no conv2d_forward", lambda fn: "conv2d_forward" not in global_names(fn),
                "your conv2d_transpose does not call conv2d_forward: the values are right, "
                "but the challenge is to get them from one forward convolution (padded d_out, "
                "flipped filters with swapped channel axes).")],
    mistakes=[
        Mistake("filters not flipped", _ct_not_flipped,
                "flip each filter in both spatial axes (`W[:, :, ::-1, ::-1]`): pixel (a, b) "
                "of a patch met W at (a, b), so going back, d_out meets W from the other "
                "end."),
        Mistake("one axis flipped", _ct_one_axis_flipped,
                "flip the filters along BOTH spatial axes, rows and columns."),
        Mistake("channel axes not swapped", _ct_not_swapped,
                "the new filters map the c_out channels of d_out back to c_in channels: swap "
                "the first two axes, `.transpose(1, 0, 2, 3)`."),
        Mistake("padding k - 1 whatever the forward padding", _ct_full_padding,
                "pad d_out by k - 1 - padding, not k - 1: the forward padding's pixels are not "
                "part of X."),
        Mistake("padding of the forward pass", _ct_forward_padding,
                "pad d_out by k - 1 - padding ('full' correlation), so that every pixel of X "
                "meets every output it contributed to."),
    ],
    hints=(
        "pixel x of X contributed to the outputs whose patch contains it, each time multiplied "
        "by a different filter entry; going back, d_out slides over X's positions with the "
        "filter seen from the other end.",
        "pad d_out with k - 1 - padding zeros on each side, flip W in both spatial axes, swap "
        "its channel axes to (c_in, c_out, kh, kw), and call conv2d_forward with a zero bias "
        "and stride 1.",
    ),
))
