"""Reference implementations for notebook 07 (recurrent networks).

Sequences are ``(n, T, d)`` arrays: n sequences of T steps, d features per step. A vanilla RNN
has input weights ``Wx`` of shape ``(d, h)``, recurrent weights ``Wh`` of shape ``(h, h)`` and a
separate bias ``b`` of shape ``(h,)`` (as deep-learning libraries store it; the MLP layers of this
series keep their bias as the last row of ``W`` instead). One step computes

    h_t = tanh(x_t @ Wx + h_{t-1} @ Wh + b),

and the hidden states of all steps form an ``(n, T, h)`` array ``H``.

The exercises: :func:`rnn_step_forward`, :func:`rnn_step_backward`, :func:`rnn_forward`,
:func:`rnn_backward` (backpropagation through time); the challenges: :func:`clip_by_norm`,
:func:`gru_step_forward`, :func:`gru_step_backward`. Around them: the binary-addition task of the
notebook's last section (:func:`to_bits`, :func:`addition_data`, :func:`adder_loss`), the
gradient norms through time of section 4 (:func:`gradient_norms_through_time`) and the loss with
a cliff that motivates gradient clipping (:func:`cliff_loss`).

Used by the checks to compute expected values; tested against loops and numerical gradients in
``tests/test_reference_recurrent_networks.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from helpers.reference.logistic_regression import sigmoid

Forward = Callable[..., np.ndarray]
Backward = Callable[..., tuple[np.ndarray, ...]]


# --------------------------------------------------------------------------- the exercises
def rnn_step_forward(x: np.ndarray, h_prev: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                     b: np.ndarray) -> np.ndarray:
    """One step of a vanilla RNN: ``tanh(x @ Wx + h_prev @ Wh + b)``.

    Parameters
    ----------
    x : ndarray, shape (n, d)
        The inputs of this step, one row per sequence.
    h_prev : ndarray, shape (n, h)
        The hidden states of the previous step.
    Wx : ndarray, shape (d, h)
    Wh : ndarray, shape (h, h)
    b : ndarray, shape (h,)

    Returns
    -------
    ndarray, shape (n, h), float
        The new hidden states.
    """
    return np.tanh(x @ Wx + h_prev @ Wh + b)


def rnn_step_backward(dh: np.ndarray, x: np.ndarray, h_prev: np.ndarray, h: np.ndarray,
                      Wx: np.ndarray, Wh: np.ndarray) -> tuple[np.ndarray, ...]:
    """Backward pass of the step that produced ``h`` from ``x`` and ``h_prev``.

    With ``g = dh * (1 - h**2)`` (the gradient with respect to the step's linear part, since
    ``tanh' = 1 - tanh**2``): ``dx = g @ Wx.T``, ``dh_prev = g @ Wh.T``, ``dWx = x.T @ g``,
    ``dWh = h_prev.T @ g`` and ``db = g.sum(axis=0)``.

    Parameters
    ----------
    dh : ndarray, shape (n, h)
        Gradient of the loss with respect to ``h``.
    x, h_prev, h : ndarray, shapes (n, d), (n, h), (n, h)
        The step's inputs and its output.
    Wx, Wh : ndarray, shapes (d, h), (h, h)

    Returns
    -------
    dx, dh_prev, dWx, dWh, db : ndarrays of shapes (n, d), (n, h), (d, h), (h, h), (h,)
    """
    g = dh * (1.0 - h ** 2)
    return g @ Wx.T, g @ Wh.T, x.T @ g, h_prev.T @ g, g.sum(axis=0)


def rnn_forward(X: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                b: np.ndarray) -> np.ndarray:
    """The hidden state after every step of a vanilla RNN, starting from ``h0``.

    Parameters
    ----------
    X : ndarray, shape (n, T, d)
    h0 : ndarray, shape (n, h)
    Wx, Wh, b : ndarray, shapes (d, h), (h, h), (h,)

    Returns
    -------
    H : ndarray, shape (n, T, h), float
        ``H[:, t]`` is the hidden state after step t (``h0`` itself is not in it).
    """
    n, T, _ = X.shape
    H = np.empty((n, T, Wh.shape[0]))
    h = h0
    for t in range(T):
        h = rnn_step_forward(X[:, t], h, Wx, Wh, b)
        H[:, t] = h
    return H


def rnn_backward(dH: np.ndarray, X: np.ndarray, H: np.ndarray, h0: np.ndarray, Wx: np.ndarray,
                 Wh: np.ndarray) -> tuple[np.ndarray, ...]:
    """Backpropagation through time of ``L = sum(dH * rnn_forward(X, h0, Wx, Wh, b))``.

    From the last step back to the first, the gradient reaching ``h_t`` is its own ``dH[:, t]``
    plus what comes back from step t + 1; the weights' gradients are summed over the steps.

    Parameters
    ----------
    dH : ndarray, shape (n, T, h)
        Gradient of the loss with respect to every hidden state.
    X, H, h0 : ndarray, shapes (n, T, d), (n, T, h), (n, h)
        The inputs, the forward pass's hidden states and the initial state.
    Wx, Wh : ndarray, shapes (d, h), (h, h)

    Returns
    -------
    dX, dh0, dWx, dWh, db : ndarrays of shapes (n, T, d), (n, h), (d, h), (h, h), (h,)
    """
    T = X.shape[1]
    dX = np.zeros(X.shape)
    dWx, dWh, db = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(Wh.shape[0])
    dh_next = np.zeros(h0.shape)  # nothing comes back from after the last step
    for t in reversed(range(T)):
        h_prev = H[:, t - 1] if t > 0 else h0
        dX[:, t], dh_next, dWx_t, dWh_t, db_t = rnn_step_backward(
            dH[:, t] + dh_next, X[:, t], h_prev, H[:, t], Wx, Wh)
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return dX, dh_next, dWx, dWh, db


# --------------------------------------------------------------------------- the challenges
def clip_by_norm(grads: Sequence[np.ndarray], max_norm: float) -> list[np.ndarray]:
    """Rescale a list of gradients so that their global norm is at most ``max_norm``.

    The global norm is ``sqrt(sum of every squared entry of every array)``. When it exceeds
    ``max_norm``, every array is multiplied by ``max_norm / norm`` (one factor for all, so the
    direction is kept); otherwise the arrays are returned unchanged (as new arrays).

    Returns
    -------
    list of ndarray, float, shaped like ``grads``
    """
    norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=float)) for g in grads)))
    scale = max_norm / norm if norm > max_norm else 1.0
    return [np.asarray(g, dtype=float) * scale for g in grads]


def gru_parts(x: np.ndarray, h_prev: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
              b: np.ndarray) -> tuple[np.ndarray, ...]:
    """The pieces of a GRU step (:func:`gru_step_forward`): the reset gate r, the update gate z,
    the candidate state and ``r * h_prev``, each of shape (n, h)."""
    h = Wh.shape[0]
    xw = x @ Wx + b
    r = sigmoid(xw[:, :h] + h_prev @ Wh[:, :h])
    z = sigmoid(xw[:, h:2 * h] + h_prev @ Wh[:, h:2 * h])
    reset = r * h_prev
    candidate = np.tanh(xw[:, 2 * h:] + reset @ Wh[:, 2 * h:])
    return r, z, candidate, reset


def gru_step_forward(x: np.ndarray, h_prev: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                     b: np.ndarray) -> np.ndarray:
    """One step of a gated recurrent unit (GRU), as in Cho et al. (2014) and d2l.ai.

    The columns of ``Wx`` (d, 3h), ``Wh`` (h, 3h) and ``b`` (3h,) hold, in this order, the reset
    gate r, the update gate z and the candidate state::

        r = sigmoid(x Wx_r + h_prev Wh_r + b_r)
        z = sigmoid(x Wx_z + h_prev Wh_z + b_z)
        candidate = tanh(x Wx_c + (r * h_prev) Wh_c + b_c)
        h = z * h_prev + (1 - z) * candidate

    Returns
    -------
    ndarray, shape (n, h)
    """
    _, z, candidate, _ = gru_parts(x, h_prev, Wx, Wh, b)
    return z * h_prev + (1.0 - z) * candidate


def gru_step_backward(dh: np.ndarray, x: np.ndarray, h_prev: np.ndarray, Wx: np.ndarray,
                      Wh: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Backward pass of :func:`gru_step_forward`, given ``dh`` = dL/dh of the step's output.

    Returns
    -------
    dx, dh_prev, dWx, dWh, db : ndarrays of shapes (n, d), (n, h), (d, 3h), (h, 3h), (3h,)
    """
    h = Wh.shape[0]
    r, z, candidate, reset = gru_parts(x, h_prev, Wx, Wh, b)
    g_c = dh * (1.0 - z) * (1.0 - candidate ** 2)          # through the candidate's tanh
    g_z = dh * (h_prev - candidate) * z * (1.0 - z)        # through the update gate's sigmoid
    d_reset = g_c @ Wh[:, 2 * h:].T                        # dL/d(r * h_prev)
    g_r = d_reset * h_prev * r * (1.0 - r)                 # through the reset gate's sigmoid
    G = np.concatenate([g_r, g_z, g_c], axis=1)            # dL/d(linear parts), (n, 3h)
    dWh = np.concatenate([h_prev.T @ g_r, h_prev.T @ g_z, reset.T @ g_c], axis=1)
    dh_prev = (dh * z + d_reset * r + g_r @ Wh[:, :h].T + g_z @ Wh[:, h:2 * h].T)
    return G @ Wx.T, dh_prev, x.T @ G, dWh, G.sum(axis=0)


# --------------------------------------------------------------------------- section 4
def orthogonal(size: int, rng: np.random.Generator) -> np.ndarray:
    """A random ``(size, size)`` orthogonal matrix (every singular value 1), from ``rng``."""
    q, r = np.linalg.qr(rng.normal(size=(size, size)))
    return q * np.sign(np.diag(r))  # the sign fix makes the draw uniform over rotations


def gradient_norms_through_time(X: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                                b: np.ndarray, *, forward: Forward = rnn_forward,
                                backward: Backward = rnn_backward) -> np.ndarray:
    """How strongly the loss at the LAST step depends on the input k steps before it.

    The loss is ``sum(H[:, -1]) / sqrt(h)``, a fixed direction at the last step and nothing at
    the others (``dH`` is zero except at the last step). Backpropagation through time gives its
    gradient with respect to every input; entry k of the result is the norm of the gradient with
    respect to ``x_{T-1-k}``, averaged over the n sequences: k = 0 is the last step itself.

    Parameters
    ----------
    X, h0, Wx, Wh, b : as for :func:`rnn_forward`
    forward, backward : callables
        ``rnn_forward`` and ``rnn_backward`` (the notebook passes the attendee's).

    Returns
    -------
    ndarray, shape (T,)
        The mean gradient norm at distances 0, 1, ..., T - 1 from the last step.
    """
    H = forward(X, h0, Wx, Wh, b)
    dH = np.zeros(H.shape)
    dH[:, -1] = 1.0 / np.sqrt(H.shape[2])
    dX = backward(dH, X, H, h0, Wx, Wh)[0]
    return np.linalg.norm(dX, axis=2).mean(axis=0)[::-1]


def cliff_loss(w: float, *, T: int = 40, h0: float = 0.9, b: float = -0.3, target: float = -1.0,
               forward: Forward = rnn_forward,
               backward: Backward = rnn_backward) -> tuple[float, float]:
    """A one-unit RNN without input, ``h_t = tanh(w h_{t-1} + b)``, and the loss of its end state.

    ``L(w) = (h_T - target)**2``. For small ``w`` the state falls to a negative fixed point;
    above a critical ``w`` it stays near +1. Between the two, ``h_T`` jumps within a tiny range of
    ``w``: the loss has a cliff, and its gradient there is huge (the exploding gradient).

    Returns
    -------
    loss, gradient : float
        ``L(w)`` and ``dL/dw`` (from backpropagation through time, ``dWh``).
    """
    X = np.zeros((1, T, 1))
    start = np.full((1, 1), h0)
    Wx, Wh, bias = np.ones((1, 1)), np.full((1, 1), float(w)), np.full(1, b)
    H = forward(X, start, Wx, Wh, bias)
    h_T = float(H[0, -1, 0])
    dH = np.zeros(H.shape)
    dH[0, -1, 0] = 2.0 * (h_T - target)
    dWh = backward(dH, X, H, start, Wx, Wh)[3]
    return (h_T - target) ** 2, float(np.asarray(dWh).reshape(-1)[0])


# --------------------------------------------------------------------------- section 6: addition
def to_bits(values: np.ndarray, n_bits: int) -> np.ndarray:
    """The binary digits of non-negative integers, least significant first.

    Returns
    -------
    ndarray, shape values.shape + (n_bits,), int
        ``to_bits(6, 4)`` is ``[0, 1, 1, 0]``.
    """
    values = np.asarray(values, dtype=np.int64)
    if np.any(values < 0) or np.any(values >= 2 ** n_bits):
        raise ValueError(f"to_bits: every value must be in [0, 2**{n_bits}) to fit in {n_bits} "
                         f"bits")
    return (values[..., None] >> np.arange(n_bits)) & 1


def from_bits(bits: np.ndarray) -> np.ndarray:
    """The integers whose binary digits, least significant first, are the last axis of ``bits``
    (0/1 values, or booleans)."""
    bits = np.asarray(bits).astype(np.int64)
    return bits @ (2 ** np.arange(bits.shape[-1], dtype=np.int64))


def addition_data(a: np.ndarray, b: np.ndarray, n_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Binary addition as a sequence task: read the bits of a and b, write those of a + b.

    Step t (least significant bit first) gets the input ``(a_t, b_t)`` and the target
    ``(a + b)_t``; the sum must fit in ``n_bits``.

    Returns
    -------
    X : ndarray, shape (n, n_bits, 2), float
    Y : ndarray, shape (n, n_bits), float
    """
    a, b = np.asarray(a), np.asarray(b)
    X = np.stack([to_bits(a, n_bits), to_bits(b, n_bits)], axis=-1).astype(float)
    return X, to_bits(a + b, n_bits).astype(float)


def init_adder(hidden: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Starting parameters ``[Wx (2, h), Wh (h, h), b (h,), w_out (h,), b_out (1,)]`` of the
    adder: an RNN with two inputs and one logistic output per step."""
    return [rng.normal(0.0, 1.0, size=(2, hidden)), 0.5 * orthogonal(hidden, rng),
            np.zeros(hidden), rng.normal(0.0, 1.0 / np.sqrt(hidden), size=hidden), np.zeros(1)]


def adder_loss(params: Sequence[np.ndarray], X: np.ndarray, Y: np.ndarray, *,
               forward: Forward = rnn_forward,
               backward: Backward = rnn_backward) -> tuple[float, list[np.ndarray]]:
    """Mean cross-entropy of the adder's predictions at every step, and its gradient.

    The RNN starts from ``h0 = 0``; step t predicts ``p_t = sigmoid(h_t @ w_out + b_out)``, the
    probability that bit t of the sum is 1. The loss is the mean of notebook 02's cross-entropy
    over the n x T predictions.

    Returns
    -------
    loss : float
    grads : list of ndarray, shaped like ``params``
    """
    Wx, Wh, b, w_out, b_out = params
    h0 = np.zeros((X.shape[0], Wh.shape[0]))
    H = forward(X, h0, Wx, Wh, b)
    z_lin = H @ w_out + b_out
    loss = float(np.mean(np.logaddexp(0.0, z_lin) - Y * z_lin))
    dz = (sigmoid(z_lin) - Y) / Y.size
    dH = dz[:, :, None] * w_out
    _, _, dWx, dWh, db = backward(dH, X, H, h0, Wx, Wh)
    return loss, [dWx, dWh, db, np.einsum("nth,nt->h", H, dz), np.array([dz.sum()])]


def adder_predict(params: Sequence[np.ndarray], X: np.ndarray, *,
                  forward: Forward = rnn_forward) -> np.ndarray:
    """The adder's bits: 1.0 where ``p_t >= 0.5``; shape (n, T)."""
    Wx, Wh, b, w_out, b_out = params
    H = forward(X, np.zeros((X.shape[0], Wh.shape[0])), Wx, Wh, b)
    return (H @ w_out + b_out >= 0.0).astype(float)
