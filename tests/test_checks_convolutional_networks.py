"""The checks of notebook 06 accept correct variants and name each usual mistake.

The functions here are written the way attendees write them, independently of the checker's own
mistake catalogue: correct ones in other styles (loops, einsum, stride tricks, np.add.at) must
pass; wrong ones must fail with feedback that names the cause (a phrase of the right hint).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from helpers.checks import convolutional_networks as checks
from helpers.reference import convolutional_networks as ref


def _pad(X, p):
    return np.pad(np.asarray(X, dtype=float), ((0, 0), (0, 0), (p, p), (p, p)))


def _size(size, k, stride, padding):
    return (size + 2 * padding - k) // stride + 1


# =========================================================================== correct variants
def im2col_patch_loop(X, kh, kw, stride=1, padding=0):
    n, c, h, w = X.shape
    Xp = _pad(X, padding)
    rows = []
    for i in range(n):
        for r in range(_size(h, kh, stride, padding)):
            for q in range(_size(w, kw, stride, padding)):
                rows.append(Xp[i, :, r * stride:r * stride + kh, q * stride:q * stride + kw]
                            .ravel())
    return np.array(rows)


def im2col_as_strided(X, kh, kw, stride=1, padding=0):
    Xp = np.ascontiguousarray(_pad(X, padding))
    n, c, H, W = Xp.shape
    h_out, w_out = (H - kh) // stride + 1, (W - kw) // stride + 1
    s = Xp.strides
    view = as_strided(Xp, (n, h_out, w_out, c, kh, kw),
                      (s[0], s[2] * stride, s[3] * stride, s[1], s[2], s[3]))
    return view.reshape(n * h_out * w_out, -1).copy()


def im2col_sliding(X, kh, kw, stride=1, padding=0):
    windows = sliding_window_view(_pad(X, padding), (kh, kw), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride]
    n, c, h_out, w_out = windows.shape[:4]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * h_out * w_out, c * kh * kw)


def conv_loops(X, W, b, stride=1, padding=0):
    n, c, h, w = X.shape
    c_out, _, kh, kw = W.shape
    Xp = _pad(X, padding)
    out = np.zeros((n, c_out, _size(h, kh, stride, padding), _size(w, kw, stride, padding)))
    for i in range(n):
        for o in range(c_out):
            for r in range(out.shape[2]):
                for q in range(out.shape[3]):
                    patch = Xp[i, :, r * stride:r * stride + kh, q * stride:q * stride + kw]
                    out[i, o, r, q] = np.sum(patch * W[o]) + b[o]
    return out


def conv_einsum(X, W, b, stride=1, padding=0):
    windows = sliding_window_view(_pad(X, padding), W.shape[2:], axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride]
    return np.einsum("ncrquv,ocuv->norq", windows, W) + b[None, :, None, None]


def conv_im2col_columns(X, W, b, stride=1, padding=0):
    # filters as the left factor: (c_out, c kh kw) @ (c kh kw, patches)
    cols = ref.im2col(X, W.shape[2], W.shape[3], stride, padding)
    n = X.shape[0]
    h_out = _size(X.shape[2], W.shape[2], stride, padding)
    w_out = _size(X.shape[3], W.shape[3], stride, padding)
    out = W.reshape(W.shape[0], -1) @ cols.T + b[:, None]
    return out.reshape(W.shape[0], n, h_out, w_out).transpose(1, 0, 2, 3)


def conv_backward_loops(d_out, X, W, stride=1, padding=0):
    n, c, h, w = X.shape
    _, _, kh, kw = W.shape
    Xp = _pad(X, padding)
    dXp, dW = np.zeros_like(Xp), np.zeros(W.shape)
    for i in range(n):
        for o in range(W.shape[0]):
            for r in range(d_out.shape[2]):
                for q in range(d_out.shape[3]):
                    window = (i, slice(None), slice(r * stride, r * stride + kh),
                              slice(q * stride, q * stride + kw))
                    dW[o] += d_out[i, o, r, q] * Xp[window]
                    dXp[window] += d_out[i, o, r, q] * W[o]
    return dXp[:, :, padding:padding + h, padding:padding + w], dW, d_out.sum(axis=(0, 2, 3))


def conv_backward_add_at(d_out, X, W, stride=1, padding=0):
    n, c, h, w = X.shape
    c_out, _, kh, kw = W.shape
    h_out, w_out = d_out.shape[2:]
    cols = ref.im2col(X, kh, kw, stride, padding)
    G = np.moveaxis(d_out, 1, -1).reshape(-1, c_out)
    dcols = (G @ W.reshape(c_out, -1)).reshape(n, h_out, w_out, c, kh, kw)
    rows = (np.arange(h_out) * stride)[:, None, None, None] + np.arange(kh)[None, None, :, None]
    cols_ = (np.arange(w_out) * stride)[None, :, None, None] + np.arange(kw)[None, None, None, :]
    dXp = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    for i in range(n):
        for ch in range(c):
            np.add.at(dXp[i, ch], (np.broadcast_to(rows, (h_out, w_out, kh, kw)),
                                   np.broadcast_to(cols_, (h_out, w_out, kh, kw))),
                      dcols[i, :, :, ch])
    dX = dXp[:, :, padding:dXp.shape[2] - padding, padding:dXp.shape[3] - padding]
    return dX, (G.T @ cols).reshape(W.shape), G.sum(axis=0)


def maxpool_loops(X, size=2):
    n, c, h, w = X.shape
    out = np.empty((n, c, h // size, w // size))
    for r in range(h // size):
        for q in range(w // size):
            out[:, :, r, q] = X[:, :, r * size:(r + 1) * size, q * size:(q + 1) * size].max(
                axis=(2, 3))
    return out


def maxpool_sliding(X, size=2):
    return sliding_window_view(X, (size, size), axis=(2, 3))[:, :, ::size, ::size].max(
        axis=(4, 5))


def maxpool_backward_loops(d_out, X, size=2):
    dX = np.zeros(X.shape)
    n, c = X.shape[:2]
    for i in range(n):
        for ch in range(c):
            for r in range(X.shape[2] // size):
                for q in range(X.shape[3] // size):
                    window = X[i, ch, r * size:(r + 1) * size, q * size:(q + 1) * size]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dX[i, ch, r * size + a, q * size + b] += d_out[i, ch, r, q]
    return dX


def avgpool_backward_kron(d_out, X, size=2):
    dX = np.zeros(X.shape)
    h2, w2 = d_out.shape[2] * size, d_out.shape[3] * size
    dX[:, :, :h2, :w2] = np.kron(d_out, np.ones((size, size))) / size**2
    return dX


def col2im_patch_loop(cols, X_shape, kh, kw, stride=1, padding=0, assign=False):
    n, c, h, w = X_shape
    h_out, w_out = _size(h, kh, stride, padding), _size(w, kw, stride, padding)
    patches = cols.reshape(n, h_out, w_out, c, kh, kw)
    out = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    for r in range(h_out):
        for q in range(w_out):
            window = (slice(None), slice(None), slice(r * stride, r * stride + kh),
                      slice(q * stride, q * stride + kw))
            if assign:  # the mistake below: overlapping patches overwrite each other
                out[window] = patches[:, r, q]
            else:
                out[window] += patches[:, r, q]
    return out[:, :, padding:padding + h, padding:padding + w]


def transpose_with_loops(d_out, W, padding=0):
    kh, kw = W.shape[2:]
    n, c_out, h_out, w_out = d_out.shape
    full = np.zeros((n, W.shape[1], h_out + kh - 1, w_out + kw - 1))
    for r in range(h_out):
        for q in range(w_out):
            full[:, :, r:r + kh, q:q + kw] += np.einsum("no,ocuv->ncuv", d_out[:, :, r, q], W)
    return full[:, :, padding:full.shape[2] - padding, padding:full.shape[3] - padding]


CORRECT = [
    ("im2col", im2col_patch_loop), ("im2col", im2col_as_strided), ("im2col", im2col_sliding),
    ("conv2d_forward", conv_loops), ("conv2d_forward", conv_einsum),
    ("conv2d_forward", conv_im2col_columns),
    ("conv2d_backward", conv_backward_loops), ("conv2d_backward", conv_backward_add_at),
    ("maxpool_forward", maxpool_loops), ("maxpool_forward", maxpool_sliding),
    ("maxpool_backward", maxpool_backward_loops),
    ("avgpool_backward", avgpool_backward_kron),
    ("col2im", col2im_patch_loop),
    ("conv2d_transpose", transpose_with_loops),
]


@pytest.mark.parametrize(("name", "fn"), CORRECT, ids=[f"{n}-{f.__name__}" for n, f in CORRECT])
def test_correct_variants_pass(name, fn, capsys):
    result = getattr(checks, f"check_{name}")(fn)
    assert result, capsys.readouterr().out
    assert result.message.startswith(f"✅ {name}: all ")


def test_a_conv2d_forward_without_im2col_gets_a_note(capsys):
    result = checks.check_conv2d_forward(conv_loops)
    assert result and "does not call im2col" in result.message


@pytest.mark.parametrize(("name", "fn"), [("maxpool_forward", maxpool_loops),
                                          ("maxpool_backward", maxpool_backward_loops)])
def test_pooling_with_python_loops_gets_a_note(name, fn, capsys):
    result = getattr(checks, f"check_{name}")(fn)
    assert result and "loops in Python" in result.message


def test_a_transpose_without_conv2d_forward_gets_a_note(capsys):
    result = checks.check_conv2d_transpose(transpose_with_loops)
    assert result and "does not call conv2d_forward" in result.message


def test_vectorised_answers_get_no_note(capsys):
    assert "note:" not in checks.check_maxpool_forward(maxpool_sliding).message
    assert "note:" not in checks.check_conv2d_forward(conv_im2col_columns).message


# =========================================================================== usual mistakes
def im2col_channel_last(X, kh, kw, stride=1, padding=0):
    Xp = _pad(X, padding)
    n = X.shape[0]
    rows = []
    for i in range(n):
        for r in range(_size(X.shape[2], kh, stride, padding)):
            for q in range(_size(X.shape[3], kw, stride, padding)):
                patch = Xp[i, :, r * stride:r * stride + kh, q * stride:q * stride + kw]
                rows.append(np.moveaxis(patch, 0, -1).ravel())  # (kh, kw, c)
    return np.array(rows)


def im2col_positions_outer(X, kh, kw, stride=1, padding=0):
    Xp = _pad(X, padding)
    rows = []
    for r in range(_size(X.shape[2], kh, stride, padding)):
        for q in range(_size(X.shape[3], kw, stride, padding)):
            for i in range(X.shape[0]):  # the image loop innermost
                rows.append(Xp[i, :, r * stride:r * stride + kh,
                               q * stride:q * stride + kw].ravel())
    return np.array(rows)


def im2col_unpadded(X, kh, kw, stride=1, padding=0):
    return im2col_patch_loop(X, kh, kw, stride, 0)


def im2col_stride_one(X, kh, kw, stride=1, padding=0):
    return im2col_sliding(X, kh, kw, 1, padding)


def im2col_not_flattened(X, kh, kw, stride=1, padding=0):
    windows = sliding_window_view(_pad(X, padding), (kh, kw), axis=(2, 3))[:, :, ::stride,
                                                                           ::stride]
    return windows.transpose(0, 2, 3, 1, 4, 5)


def im2col_rows_shuffled(X, kh, kw, stride=1, padding=0):
    rows = im2col_patch_loop(X, kh, kw, stride, padding)
    return rows[::-1]  # every patch, in the reverse order


def conv_true_convolution(X, W, b, stride=1, padding=0):
    return conv_loops(X, np.flip(W, axis=(2, 3)), b, stride, padding)


def conv_forgot_bias(X, W, b, stride=1, padding=0):
    return conv_loops(X, W, np.zeros_like(b, dtype=float), stride, padding)


def conv_bias_broadcast(X, W, b, stride=1, padding=0):
    out = conv_loops(X, W, np.zeros(len(b)), stride, padding)
    return out + b


def conv_plain_reshape(X, W, b, stride=1, padding=0):
    cols = ref.im2col(X, W.shape[2], W.shape[3], stride, padding)
    out = cols @ W.reshape(W.shape[0], -1).T + b
    return out.reshape(X.shape[0], W.shape[0], _size(X.shape[2], W.shape[2], stride, padding),
                       _size(X.shape[3], W.shape[3], stride, padding))


def conv_integer_output(X, W, b, stride=1, padding=0):
    out = np.zeros((X.shape[0], W.shape[0], _size(X.shape[2], W.shape[2], stride, padding),
                    _size(X.shape[3], W.shape[3], stride, padding)), dtype=X.dtype)
    out[...] = conv_loops(X, W, b, stride, padding)
    return out


def backward_overwrites_dw(d_out, X, W, stride=1, padding=0):
    dX, _, db = conv_backward_loops(d_out, X, W, stride, padding)
    for i in range(X.shape[0]):  # dW recomputed per image, the last one wins
        _, dW, _ = conv_backward_loops(d_out[i:i + 1], X[i:i + 1], W, stride, padding)
    return dX, dW, db


def backward_means(d_out, X, W, stride=1, padding=0):
    dX, dW, db = conv_backward_loops(d_out, X, W, stride, padding)
    return dX, dW / X.shape[0], db / X.shape[0]


def backward_db_positions(d_out, X, W, stride=1, padding=0):
    dX, dW, _ = conv_backward_loops(d_out, X, W, stride, padding)
    return dX, dW, d_out.sum(axis=0)


def backward_padded_dx(d_out, X, W, stride=1, padding=0):
    Xp = _pad(X, padding)
    dXp, dW, db = conv_backward_loops(d_out, Xp, W, stride, 0)
    return dXp, dW, db


def backward_assigns(d_out, X, W, stride=1, padding=0):
    n, c, h, w = X.shape
    kh, kw = W.shape[2:]
    dXp = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    for i in range(n):
        for r in range(d_out.shape[2]):
            for q in range(d_out.shape[3]):
                dXp[i, :, r * stride:r * stride + kh, q * stride:q * stride + kw] = np.einsum(
                    "o,ocuv->cuv", d_out[i, :, r, q], W)
    _, dW, db = conv_backward_loops(d_out, X, W, stride, padding)
    return dXp[:, :, padding:padding + h, padding:padding + w], dW, db


def backward_d_out_reshaped(d_out, X, W, stride=1, padding=0):
    c_out = W.shape[0]
    cols = ref.im2col(X, W.shape[2], W.shape[3], stride, padding)
    G = d_out.reshape(-1, c_out)
    dW = (G.T @ cols).reshape(W.shape)
    dX = ref.col2im(G @ W.reshape(c_out, -1), X.shape, W.shape[2], W.shape[3], stride, padding)
    return dX, dW, d_out.sum(axis=(0, 2, 3))


def backward_wrong_order(d_out, X, W, stride=1, padding=0):
    dX, dW, db = conv_backward_loops(d_out, X, W, stride, padding)
    return dW, dX, db


def backward_integer_dx(d_out, X, W, stride=1, padding=0):
    dX, dW, db = conv_backward_loops(d_out, X, W, stride, padding)
    out = np.zeros_like(X)
    out[...] = dX
    return out, dW, db


def maxpool_mean(X, size=2):
    return sliding_window_view(X, (size, size), axis=(2, 3))[:, :, ::size, ::size].mean(
        axis=(4, 5))


def maxpool_from_zero(X, size=2):
    out = np.zeros((X.shape[0], X.shape[1], X.shape[2] // size, X.shape[3] // size))
    for u in range(size):
        for v in range(size):
            block = X[:, :, u:out.shape[2] * size:size, v:out.shape[3] * size:size]
            out = np.maximum(out, block)
    return out


def maxpool_every_other(X, size=2):
    n, c, h, w = X.shape
    return X[:, :, :h // size * size, :w // size * size].reshape(
        n, c, size, h // size, size, w // size).max(axis=(2, 4))


def maxpool_ceil(X, size=2):
    n, c, h, w = X.shape
    out = np.empty((n, c, -(-h // size), -(-w // size)))
    for r in range(out.shape[2]):
        for q in range(out.shape[3]):
            out[:, :, r, q] = X[:, :, r * size:(r + 1) * size, q * size:(q + 1) * size].max(
                axis=(2, 3))
    return out


def maxpool_two(X, size=2):
    return maxpool_loops(X, 2)


def backward_to_all_ties(d_out, X, size=2):
    up = np.repeat(np.repeat(maxpool_loops(X, size), size, 2), size, 3)
    grad = np.repeat(np.repeat(d_out, size, 2), size, 3)
    dX = np.zeros(X.shape)
    h2, w2 = up.shape[2:]
    dX[:, :, :h2, :w2] = (X[:, :, :h2, :w2] == up) * grad
    return dX


def backward_everywhere(d_out, X, size=2):
    dX = np.zeros(X.shape)
    grad = np.repeat(np.repeat(d_out, size, 2), size, 3)
    dX[:, :, :grad.shape[2], :grad.shape[3]] = grad
    return dX


def backward_averaged(d_out, X, size=2):
    return avgpool_backward_kron(d_out, X, size)


def backward_last_tie(d_out, X, size=2):
    dX = np.zeros(X.shape)
    for i in range(X.shape[0]):
        for ch in range(X.shape[1]):
            for r in range(X.shape[2] // size):
                for q in range(X.shape[3] // size):
                    window = X[i, ch, r * size:(r + 1) * size, q * size:(q + 1) * size]
                    best = (0, 0)
                    for a in range(size):
                        for b in range(size):
                            if window[a, b] >= window[best]:  # >= keeps the last maximum
                                best = (a, b)
                    dX[i, ch, r * size + best[0], q * size + best[1]] = d_out[i, ch, r, q]
    return dX


def backward_cropped(d_out, X, size=2):
    full = maxpool_backward_loops(d_out, X, size)
    return full[:, :, :d_out.shape[2] * size, :d_out.shape[3] * size]


def backward_integer_array(d_out, X, size=2):
    dX = np.zeros_like(X)
    dX[...] = maxpool_backward_loops(d_out, X, size)
    return dX


def avg_not_divided(d_out, X, size=2):
    return avgpool_backward_kron(d_out, X, size) * size**2


def avg_leftover_dropped(d_out, X, size=2):
    return np.kron(d_out, np.ones((size, size))) / size**2


def col2im_assign(cols, X_shape, kh, kw, stride=1, padding=0):
    return col2im_patch_loop(cols, X_shape, kh, kw, stride, padding, assign=True)


def col2im_uncropped(cols, X_shape, kh, kw, stride=1, padding=0):
    n, c, h, w = X_shape
    return col2im_patch_loop(cols, (n, c, h + 2 * padding, w + 2 * padding), kh, kw, stride, 0)


def transpose_not_flipped(d_out, W, padding=0):
    kh, kw = W.shape[2:]
    full = np.pad(d_out, ((0, 0), (0, 0), (kh - 1 - padding,) * 2, (kw - 1 - padding,) * 2))
    return ref.conv2d_forward(full, W.transpose(1, 0, 2, 3), np.zeros(W.shape[1]))


def transpose_full_padding(d_out, W, padding=0):
    kh, kw = W.shape[2:]
    full = np.pad(d_out, ((0, 0), (0, 0), (kh - 1,) * 2, (kw - 1,) * 2))
    return ref.conv2d_forward(full, np.flip(W, (2, 3)).transpose(1, 0, 2, 3),
                              np.zeros(W.shape[1]))


MISTAKES = [
    ("im2col", im2col_channel_last, "channel by channel"),
    ("im2col", im2col_positions_outer, "image by image"),
    ("im2col", im2col_unpadded, "the padding is missing"),
    ("im2col", im2col_stride_one, "the stride is ignored"),
    ("im2col", im2col_not_flattened, "not as a matrix"),
    ("im2col", im2col_rows_shuffled, "every patch is there"),
    ("conv2d_forward", conv_true_convolution, "you flipped the filters"),
    ("conv2d_forward", conv_forgot_bias, "the bias is missing"),
    ("conv2d_forward", conv_bias_broadcast, "the bias went to the wrong axis"),
    ("conv2d_forward", conv_plain_reshape, "move the channel axis"),
    ("conv2d_forward", conv_integer_output, "integer dtype"),
    ("conv2d_backward", backward_overwrites_dw, "accumulate"),
    ("conv2d_backward", backward_means, "Do not divide by n"),
    ("conv2d_backward", backward_db_positions, "one entry per filter"),
    ("conv2d_backward", backward_padded_dx, "cut the padding off"),
    ("conv2d_backward", backward_assigns, "do not assign"),
    ("conv2d_backward", backward_d_out_reshaped, "move the channel axis last"),
    ("conv2d_backward", backward_wrong_order, "`dX, dW, db`"),
    ("conv2d_backward", backward_integer_dx, "integer dtype"),
    ("maxpool_forward", maxpool_mean, "average pooling"),
    ("maxpool_forward", maxpool_from_zero, "negative maximum"),
    ("maxpool_forward", maxpool_every_other, "INSIDE a window"),
    ("maxpool_forward", maxpool_ceil, "do not fill a whole window"),
    ("maxpool_forward", maxpool_two, "use the `size` argument"),
    ("maxpool_backward", backward_to_all_ties, "only ONE pixel"),
    ("maxpool_backward", backward_everywhere, "WAS the maximum"),
    ("maxpool_backward", backward_averaged, "average pooling's gradient"),
    ("maxpool_backward", backward_last_tie, "only ONE pixel"),
    ("maxpool_backward", backward_cropped, "dX has the shape of X"),
    ("maxpool_backward", backward_integer_array, "integer dtype"),
    ("avgpool_backward", avg_not_divided, "d_out / size**2"),
    ("avgpool_backward", avg_leftover_dropped, "the shape of X"),
    ("col2im", col2im_assign, "ADD each row"),
    ("col2im", col2im_uncropped, "cut the padding off"),
    ("conv2d_transpose", transpose_not_flipped, "flip each filter"),
    ("conv2d_transpose", transpose_full_padding, "k - 1 - padding"),
]


@pytest.mark.parametrize(("name", "fn", "phrase"), MISTAKES,
                         ids=[f"{n}-{f.__name__}" for n, f, _ in MISTAKES])
def test_usual_mistakes_are_named(name, fn, phrase, capsys):
    result = getattr(checks, f"check_{name}")(fn)
    assert not result, f"check_{name} passes {fn.__name__}"
    assert phrase in result.message, result.message


# =========================================================================== more feedback
def test_conv2d_forward_blames_a_failing_im2col(capsys):
    namespace = {"np": np}
    exec(  # an attendee's notebook: a wrong im2col, and a conv2d_forward that calls it
        "def im2col(X, kh, kw, stride=1, padding=0):\n"
        "    return np.zeros((1, 1))\n"
        "def conv2d_forward(X, W, b, stride=1, padding=0):\n"
        "    cols = im2col(X, W.shape[2], W.shape[3], stride, padding)\n"
        "    return cols @ W.reshape(W.shape[0], -1).T + b\n", namespace)
    result = checks.check_conv2d_forward(namespace["conv2d_forward"])
    assert not result
    assert "calls your `im2col`, which fails its own check" in result.message


def test_the_backward_expectations_are_numerical_gradients():
    """The conv2d_backward cases expect the central-difference gradients of the contract's loss,
    which the reference formulas match."""
    for case in checks.check_conv2d_backward.exercise.build_cases():
        expected = checks.check_conv2d_backward.exercise.expected_for(case)
        formula = ref.conv2d_backward(*case.args, **case.kwargs)
        for numerical, analytic in zip(expected, formula, strict=True):
            np.testing.assert_allclose(numerical, analytic, rtol=1e-8, atol=1e-9)


def test_maxpool_backward_ties_follow_the_contract():
    X = np.array([[[[1.0, 5.0], [5.0, 2.0]]]])
    got = ref.maxpool_backward(np.array([[[[3.0]]]]), X)
    np.testing.assert_array_equal(got, [[[[0.0, 3.0], [0.0, 0.0]]]])

