"""Checks for notebook 07: a vanilla RNN's step and sequence, forward and backward (BPTT).

Each checker is a declaration on :mod:`helpers.checks.engine`: hand-made cases small enough to
follow by hand, realistic inputs (one sequence, T = 1, h != d, integer inputs, one feature,
non-contiguous views, saturated units), random cases drawn from a seeded generator, and the usual
mistakes of the exercise, each written as a tiny wrong implementation with the hint that gets an
attendee unstuck. Sizes are chosen so that the catalogued mistakes differ from each other (n != T,
d != h, and square ``Wh`` only where a transpose must show in the values).

Forward passes are compared with :mod:`helpers.reference.recurrent_networks`. The backward passes
(``rnn_step_backward``, ``rnn_backward``, ``gru_step_backward``) are compared with **numerical
gradients** (central differences) of the loss they differentiate, ``sum(dh * step(...))`` or
``sum(dH * rnn_forward(...))``: the check does not trust a formula, it differentiates the forward
pass.

The last three exercises are the notebook's challenges: gradient clipping by global norm (★), a
GRU step forward (★★) and its backward pass (★★★).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from helpers.checks.compare import Tolerance
from helpers.checks.engine import Case, Diagnosis, Exercise, Mistake, Note, make_check
from helpers.checks.source import global_names, has_loop
from helpers.gradcheck import numerical_gradient
from helpers.reference import recurrent_networks as ref
from helpers.reference.logistic_regression import sigmoid

# Numerical gradients are accurate to about 1e-9 here: compare them a little more loosely than
# exact results (every catalogued mistake is off by far more).
_NUMERICAL = Tolerance(rtol=1e-5, atol=1e-8)


def _relu(z):
    return np.maximum(z, 0.0)


def _gradient_case(label, forward, inputs, upstream, args, hint=None):
    """A case whose expected values are NUMERICAL gradients: those of
    ``sum(upstream * forward(*inputs))`` with respect to each of ``inputs`` (central differences,
    each array perturbed in place and restored). The attendee's function is called with ``args``."""
    arrays = [np.array(a, dtype=float) for a in inputs]
    expected = tuple(numerical_gradient(lambda _: np.sum(upstream * forward(*arrays)), array)
                     for array in arrays)
    return Case(label, args, expected=expected, hint=hint)


def _time_view(rng, n, T, d):
    """A non-contiguous (n, T, d) view: every other step of a longer sequence, as
    ``X[:, ::2]`` gives."""
    view = rng.normal(size=(n, 2 * T - 1, d))[:, ::2]
    assert not view.flags.c_contiguous
    return view


def _column_view(rng, n, d):
    """A non-contiguous (n, d) view, as ``x[:, ::2]`` gives."""
    view = rng.normal(size=(n, 2 * d - 1))[:, ::2]
    assert not view.flags.c_contiguous
    return view


# =========================================================================== rnn_step_forward
def _step_forward_cases(rng: np.random.Generator) -> list[Case]:
    # By hand: x @ Wx = [[1, -1], [0.5, 0]], h_prev @ Wh = [[0.5, 0], [0, -0.5]], b = [0, 0.5].
    x = np.array([[1.0, 0.0, 1.0], [0.0, 0.5, 0.0]])
    Wx = np.array([[1.0, -0.5], [1.0, 0.0], [0.0, -0.5]])
    h_prev = np.array([[0.5, 0.0], [0.0, -1.0]])
    Wh = np.array([[1.0, 0.0], [0.0, 0.5]])
    b = np.array([0.0, 0.5])
    # |Linear parts| from 56 to 1335: tanh saturates, and e^z overflows past 710.
    x_big, Wx_big = rng.normal(size=(3, 3)), 400.0 * rng.normal(size=(3, 4))
    return [
        Case("hand-made: 2 sequences, d = 3 inputs, h = 2 units", (x, h_prev, Wx, Wh, b)),
        Case("hand-made: one sequence (n = 1), d = 2, h = 3, h_prev = 0",
             (np.array([[1.0, -2.0]]), np.zeros((1, 3)), rng.normal(size=(2, 3)),
              rng.normal(size=(3, 3)), rng.normal(size=3))),
        Case("hand-made: integer inputs (bits), 4 sequences, d = 2, h = 3",
             (np.array([[0, 1], [1, 1], [1, 0], [0, 0]]), rng.normal(size=(4, 3)),
              rng.normal(size=(2, 3)), rng.normal(size=(3, 3)), rng.normal(size=3))),
        Case("random: one feature (d = 1), 5 sequences, h = 4",
             (rng.normal(size=(5, 1)), rng.normal(size=(5, 4)), rng.normal(size=(1, 4)),
              rng.normal(size=(4, 4)), rng.normal(size=4))),
        Case("random: a non-contiguous view x[:, ::2], 3 sequences, d = 3, h = 2",
             (_column_view(rng, 3, 3), rng.normal(size=(3, 2)), rng.normal(size=(3, 2)),
              rng.normal(size=(2, 2)), rng.normal(size=2))),
        Case("random: saturated units (|linear parts| from 56 to 1335), 3 sequences, h = 4",
             (x_big, np.tanh(rng.normal(size=(3, 4))), Wx_big, 40.0 * rng.normal(size=(4, 4)),
              rng.normal(size=4))),
    ]


def _naive_tanh(z):
    with np.errstate(all="ignore"):
        return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def _step_math_tanh(x, h_prev, Wx, Wh, b):
    return math.tanh(x @ Wx + h_prev @ Wh + b)  # one number only: an array raises TypeError


_TANH_OVERFLOW_HINT = (
    "(e^z - e^-z) / (e^z + e^-z) overflows once |z| > 710 (e^z is inf, inf / inf is NaN), and a "
    "saturated unit gets there. Use np.tanh (notebook 03 wrote a safe tanh; np.tanh is safe too).")

check_rnn_step_forward = make_check(Exercise(
    name="rnn_step_forward",
    reference=ref.rnn_step_forward,
    cases=_step_forward_cases,
    mistakes=[
        Mistake("sigmoid", lambda x, h, Wx, Wh, b: sigmoid(x @ Wx + h @ Wh + b),
                "that is the sigmoid, with values in (0, 1): a vanilla RNN squashes with tanh, "
                "whose values lie in (-1, 1)."),
        Mistake("no bias", lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh),
                "add the bias b (shape (h,), one per unit) to the two products, inside the tanh."),
        Mistake("Wh transposed", lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh.T + b),
                "Wh is (h, h) with one COLUMN per new unit, like Wx: the product is "
                "`h_prev @ Wh`, without a transpose."),
        Mistake("bias after tanh", lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh) + b,
                "the bias goes inside the tanh, with the two products: tanh(x Wx + h_prev Wh + "
                "b)."),
        Mistake("tanh on one term", lambda x, h, Wx, Wh, b: np.tanh(x @ Wx) + h @ Wh + b,
                "tanh applies to the whole sum x Wx + h_prev Wh + b, not to one of its terms."),
        Mistake("no tanh", lambda x, h, Wx, Wh, b: x @ Wx + h @ Wh + b,
                "you returned the linear part: squash it with np.tanh (the new state is in "
                "(-1, 1))."),
        Mistake("relu", lambda x, h, Wx, Wh, b: _relu(x @ Wx + h @ Wh + b),
                "that is ReLU: the vanilla RNN of this notebook uses tanh."),
        Mistake("h_prev ignored", lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + b),
                "the new state must also depend on the previous one: add h_prev @ Wh. That "
                "term is the network's memory."),
        Mistake("math.tanh on arrays", _step_math_tanh,
                "`math.tanh` works on one number only: use np.tanh, which works elementwise on "
                "arrays of any shape."),
    ],
    notes=[Note("loop", has_loop,
                "a Python loop works, but the matrix products handle all n sequences at once "
                "(and much faster).")],
    hints=(
        "the new state mixes what the step sees (x) with what the network remembers (h_prev): "
        "one matrix product for each, plus the bias, then the squashing nonlinearity, for all n "
        "sequences at once.",
        "shapes: x (n, d) times Wx (d, h) and h_prev (n, h) times Wh (h, h) are both (n, h); b "
        "(h,) broadcasts over the rows; apply np.tanh to the sum of the three.",
    ),
    warning_hints={"overflow": _TANH_OVERFLOW_HINT, "invalid value": _TANH_OVERFLOW_HINT},
))


# =========================================================================== rnn_forward
def _forward_cases(rng: np.random.Generator) -> list[Case]:
    X_hand = np.array([[[1.0], [0.0], [-1.0]], [[0.5], [0.5], [0.5]]])  # n = 2, T = 3, d = 1
    Wx_hand, Wh_hand = np.array([[1.0, -1.0]]), np.array([[0.5, 0.0], [0.5, 0.5]])
    X_bits = rng.integers(0, 2, size=(3, 5, 2))  # integers, d == h = 2: zeros_like(X) fits
    return [
        Case("hand-made: 2 sequences of T = 3 steps, d = 1, h = 2, h0 = 0",
             (X_hand, np.zeros((2, 2)), Wx_hand, Wh_hand, np.array([0.0, 0.25]))),
        Case("hand-made: one sequence (n = 1), T = 4, d = 2, h = 3",
             (rng.normal(size=(1, 4, 2)), rng.normal(size=(1, 3)), rng.normal(size=(2, 3)),
              0.7 * rng.normal(size=(3, 3)), rng.normal(size=3))),
        Case("random: T = 1 (a single step), 3 sequences, d = 2, h = 4",
             (rng.normal(size=(3, 1, 2)), rng.normal(size=(3, 4)), rng.normal(size=(2, 4)),
              rng.normal(size=(4, 4)), rng.normal(size=4))),
        Case("hand-made: integer inputs (bits), 3 sequences of T = 5, d = 2, h = 2",
             (X_bits, np.zeros((3, 2)), rng.normal(size=(2, 2)), 0.7 * rng.normal(size=(2, 2)),
              rng.normal(size=2))),
        Case("random: a non-contiguous view X[:, ::2], 2 sequences of T = 4, d = 3, h = 2",
             (_time_view(rng, 2, 4, 3), rng.normal(size=(2, 2)), rng.normal(size=(3, 2)),
              0.7 * rng.normal(size=(2, 2)), rng.normal(size=2))),
        Case("random: 4 sequences of T = 6, d = 3, h = 5, h0 not zero",
             (rng.normal(size=(4, 6, 3)), rng.normal(size=(4, 5)), rng.normal(size=(3, 5)),
              0.5 * rng.normal(size=(5, 5)), rng.normal(size=5))),
    ]


def _forward_with(X, h0, Wx, Wh, b, *, steps=None, update=True, store=lambda t, T: t,
                  keep_h0=False):
    """The forward loop with one piece changed: the usual mistakes are built from it."""
    n, T, _ = X.shape
    H = np.zeros((n, T, Wh.shape[0]))
    h = h0
    for t in (range(T) if steps is None else steps(T)):
        new = ref.rnn_step_forward(X[:, t], h, Wx, Wh, b)
        H[:, store(t, T)] = new
        if update:
            h = new
    return np.concatenate([np.asarray(h0, float)[:, None], H], axis=1) if keep_h0 else H


def _forward_last_only(X, h0, Wx, Wh, b):
    h = h0
    for t in range(X.shape[1]):
        h = ref.rnn_step_forward(X[:, t], h, Wx, Wh, b)
    return h


def _forward_time_first(X, h0, Wx, Wh, b):
    hs, h = [], h0
    for t in range(X.shape[1]):
        h = ref.rnn_step_forward(X[:, t], h, Wx, Wh, b)
        hs.append(h)
    return np.array(hs)  # (T, n, h): time first


def _forward_zeros_like(X, h0, Wx, Wh, b):
    H = np.zeros_like(X)  # (n, T, d) and X's dtype: wrong when d != h or X holds integers
    h = h0
    for t in range(X.shape[1]):
        h = ref.rnn_step_forward(X[:, t], h, Wx, Wh, b)
        H[:, t] = h
    return H


def _forward_index_time_first(X, h0, Wx, Wh, b):
    H = np.zeros((X.shape[0], X.shape[1], Wh.shape[0]))
    h = h0
    for t in range(X.shape[1]):
        h = ref.rnn_step_forward(X[t], h, Wx, Wh, b)  # X[t] is sequence t, not step t
        H[:, t] = h
    return H


_ZEROS_LIKE_HINT = ("np.zeros_like(X) copies X's shape (n, T, d) and its dtype: with h != d the "
                    "states do not fit, and with integer X every tanh value is cut to 0. "
                    "Allocate the states yourself: np.zeros((n, T, h)), h = Wh.shape[0].")

check_rnn_forward = make_check(Exercise(
    name="rnn_forward",
    uses=("rnn_step_forward",),
    reference=ref.rnn_forward,
    cases=_forward_cases,
    mistakes=[
        Mistake("last state only", _forward_last_only,
                "you returned only the last hidden state, shape (n, h): keep the state after "
                "EVERY step, in an (n, T, h) array (H[:, t] is the state after step t)."),
        Mistake("h0 kept", lambda *a: _forward_with(*a, keep_h0=True),
                "H has one entry too many: it holds the states AFTER steps 0 .. T - 1, so h0 "
                "itself is not in it (H[:, 0] is the state after the first step)."),
        Mistake("time first (np.array)", _forward_time_first,
                "np.array(list_of_states) stacks along a NEW FIRST axis, giving (T, n, h): the "
                "contract is (n, T, h). Use np.stack(states, axis=1), or fill H[:, t]."),
        Mistake("state never updated", lambda *a: _forward_with(*a, update=False),
                "every step starts from h0: after each step the new state must become the "
                "`h_prev` of the next step (that is the memory)."),
        Mistake("time reversed (visits)", lambda *a: _forward_with(
                    *a, steps=lambda T: range(T - 1, -1, -1)),
                "the steps run forward in time, t = 0, 1, ..., T - 1: the first state is "
                "computed from h0 and X[:, 0]."),
        Mistake("time reversed (stored)", lambda *a: _forward_with(
                    *a, store=lambda t, T: T - 1 - t),
                "the states are stored in reverse order: H[:, t] is the state after step t, so "
                "H[:, 0] is the first one."),
        Mistake("np.zeros_like(X)", _forward_zeros_like, _ZEROS_LIKE_HINT),
        Mistake("X[t]", _forward_index_time_first,
                "X[t] is the t-th SEQUENCE (shape (T, d)); the inputs of step t of every "
                "sequence are X[:, t], shape (n, d)."),
    ],
    notes=[Note("rnn_step_forward not used",
                lambda fn: "rnn_step_forward" not in global_names(fn),
                "you did not call your rnn_step_forward: that works, but reusing it keeps the "
                "step's formula in one place.")],
    hints=(
        "one loop over time, t = 0 .. T - 1: each step takes the inputs of step t of every "
        "sequence and the previous state (h0 for the first step), and its result is both stored "
        "and carried to the next step.",
        "shapes: X[:, t] is (n, d), the state (n, h); allocate H as an (n, T, h) float array "
        "(h = Wh.shape[0]) and fill H[:, t] with the state after step t, using your "
        "rnn_step_forward.",
    ),
    mutation_hint="never write into X or h0: start from `h = h0` and let each step create a new "
                  "array.",
))


# =========================================================================== rnn_step_backward
def _step_backward_case(label, rng, n, d, h, *, x=None, scale=1.0, hint=None):
    """A case with the step's h computed from a bias, and its expected gradients numerical."""
    x = rng.normal(size=(n, d)) if x is None else x
    h_prev, Wx = np.tanh(rng.normal(size=(n, h))), rng.normal(size=(d, h))
    Wh, b, dh = scale * rng.normal(size=(h, h)), rng.normal(size=h), rng.normal(size=(n, h))
    h_new = ref.rnn_step_forward(x, h_prev, Wx, Wh, b)
    return _gradient_case(label, ref.rnn_step_forward, (x, h_prev, Wx, Wh, b), dh,
                          (dh, x, h_prev, h_new, Wx, Wh), hint)


@functools.cache
def _step_backward_case_list() -> tuple[Case, ...]:
    rng = np.random.default_rng(11)
    return (
        _step_backward_case("random: 2 sequences, d = 3, h = 2", rng, 2, 3, 2),
        _step_backward_case("random: one sequence (n = 1), d = 2, h = 3", rng, 1, 2, 3),
        _step_backward_case("hand-made: integer inputs x (bits), 4 sequences, d = 2, h = 3", rng,
                            4, 2, 3, x=np.array([[0, 1], [1, 1], [1, 0], [0, 0]])),
        _step_backward_case("random: one feature (d = 1), 3 sequences, h = 4", rng, 3, 1, 4),
        _step_backward_case("random: a non-contiguous view x[:, ::2], 3 sequences, d = 3, h = 2",
                            rng, 3, 3, 2, x=_column_view(rng, 3, 3)),
        _step_backward_case("random: 5 sequences, d = 3, h = 4", rng, 5, 3, 4, scale=0.7),
    )


def _step_backward_with(dh, x, h_prev, h, Wx, Wh, *, local=lambda h: 1.0 - h ** 2,
                        state=None, n_factor=False, into_inputs=None):
    """The step's backward pass with one piece changed: the usual mistakes are built from it."""
    g = dh * local(h)
    g_in = g if into_inputs is None else into_inputs(dh, g)
    dW_state = h_prev if state is None else state
    grads = [g_in @ Wx.T, g_in @ Wh.T, x.T @ g, dW_state.T @ g, g.sum(axis=0)]
    if n_factor:
        grads = [grads[0], grads[1], *(grad / len(dh) for grad in grads[2:])]
    return tuple(grads)


def _step_backward_recomputed(dh, x, h_prev, h, Wx, Wh):
    # the linear part recomputed without b (which the function is not given)
    return _step_backward_with(dh, x, h_prev, np.tanh(x @ Wx + h_prev @ Wh), Wx, Wh)


def _step_backward_swap(index_a, index_b, transform=lambda grads: grads):
    def wrong(dh, x, h_prev, h, Wx, Wh):
        grads = list(ref.rnn_step_backward(dh, x, h_prev, h, Wx, Wh))
        grads[index_a], grads[index_b] = grads[index_b], grads[index_a]
        return tuple(transform(grads))
    return wrong


def _step_backward_replace(index, value):
    def wrong(dh, x, h_prev, h, Wx, Wh):
        grads = list(ref.rnn_step_backward(dh, x, h_prev, h, Wx, Wh))
        g = dh * (1.0 - h ** 2)
        grads[index] = value(g, dh=dh, x=x, h_prev=h_prev, h=h, Wx=Wx, Wh=Wh)
        return tuple(grads)
    return wrong


_STEP_OUTPUTS = ("dx", "dh_prev", "dWx", "dWh", "db")

check_rnn_step_backward = make_check(Exercise(
    name="rnn_step_backward",
    reference=ref.rnn_step_backward,
    cases=lambda rng: list(_step_backward_case_list()),
    outputs=_STEP_OUTPUTS,
    tolerance=_NUMERICAL,
    mistakes=[
        Mistake("tanh' forgotten", lambda *a: _step_backward_with(*a, local=lambda h: 1.0),
                "the gradient must go through the tanh first: multiply dh by tanh' = 1 - h**2 "
                "(elementwise) before the matrix products."),
        Mistake("tanh' of h", lambda *a: _step_backward_with(
                    *a, local=lambda h: 1.0 - np.tanh(h) ** 2),
                "h is ALREADY tanh of the linear part, so tanh' = 1 - h**2; 1 - tanh(h)**2 "
                "applies tanh a second time."),
        Mistake("tanh' recomputed without b", _step_backward_recomputed,
                "you recomputed the linear part from x and h_prev, but without the bias b (which "
                "this function is not given). No need: tanh' = 1 - h**2, and h is given."),
        Mistake("tanh' = 1 - h", lambda *a: _step_backward_with(*a, local=lambda h: 1.0 - h),
                "tanh' = 1 - tanh**2: square h, 1 - h**2 (not 1 - h)."),
        Mistake("sigmoid' h (1 - h)", lambda *a: _step_backward_with(
                    *a, local=lambda h: h * (1.0 - h)),
                "h (1 - h) is the SIGMOID's derivative; for tanh it is 1 - h**2."),
        Mistake("dWh with h", lambda dh, x, hp, h, Wx, Wh: _step_backward_with(
                    dh, x, hp, h, Wx, Wh, state=h),
                "dWh pairs the gradient with what Wh multiplied in the forward pass: h_prev, "
                "not the step's output h (`h_prev.T @ g`)."),
        Mistake("tanh' only in the weights", lambda *a: _step_backward_with(
                    *a, into_inputs=lambda dh, g: dh),
                "dx and dh_prev also go through the tanh: use the same g = dh * (1 - h**2) for "
                "them as for the weights."),
        Mistake("dh_prev with Wh (no transpose)", _step_backward_replace(
                    1, lambda g, Wh, **_: g @ Wh),
                "dh_prev = g @ Wh.T: the forward pass multiplied h_prev by Wh on the right, so "
                "the gradient comes back through the TRANSPOSE (Wh is square, so the shapes "
                "cannot tell)."),
        Mistake("dx and dh_prev swapped", _step_backward_swap(0, 1),
                "dx and dh_prev are swapped: return them in the order (dx, dh_prev, dWx, dWh, "
                "db)."),
        Mistake("dWx transposed", _step_backward_replace(2, lambda g, x, **_: g.T @ x),
                "dWx must have Wx's shape (d, h): `x.T @ g`, not `g.T @ x`."),
        Mistake("db not summed", _step_backward_replace(4, lambda g, **_: g),
                "db has b's shape (h,): sum g over the n sequences (axis 0); the bias is shared "
                "by every sequence."),
        Mistake("db summed over units", _step_backward_replace(4, lambda g, **_: g.sum(axis=1)),
                "sum over the SEQUENCES (axis 0, the rows), which gives one value per unit, "
                "shape (h,); axis 1 sums over the units."),
        Mistake("db averaged", _step_backward_replace(4, lambda g, **_: g.mean(axis=0)),
                "db is the SUM of g over the sequences, not the mean: the loss sums over them "
                "(any 1/n is already inside dh)."),
        Mistake("weights divided by n", lambda *a: _step_backward_with(*a, n_factor=True),
                "no 1/n here: the loss is sum(dh * h), so the gradients are plain sums over the "
                "sequences (a mean loss puts its 1/n into dh)."),
    ],
    hints=(
        "the step is h = tanh(linear part), the linear part being x Wx + h_prev Wh + b: first "
        "bring dh back through the tanh (using the given h), then through the linear part, as "
        "for a layer in notebook 04.",
        "with g = dL/d(linear part), shape (n, h): each input gets g times the TRANSPOSE of the "
        "matrix that multiplied it; each weight matrix gets the transpose of what it multiplied "
        "times g; the bias gets g summed over the sequences. Shapes: (n, d), (n, h), (d, h), "
        "(h, h), (h,).",
    ),
))


# =========================================================================== rnn_backward
def _backward_case(label, rng, n, T, d, h, *, X=None, h0=None, dH=None, scale=0.7, hint=None):
    """A case whose expected gradients are numerical: sum(dH * rnn_forward(...))."""
    X = rng.normal(size=(n, T, d)) if X is None else X
    h0 = rng.normal(size=(n, h)) if h0 is None else h0
    Wx, Wh, b = rng.normal(size=(d, h)), scale * rng.normal(size=(h, h)), rng.normal(size=h)
    dH = rng.normal(size=(n, T, h)) if dH is None else dH
    H = ref.rnn_forward(X, h0, Wx, Wh, b)
    return _gradient_case(label, ref.rnn_forward, (X, h0, Wx, Wh, b), dH,
                          (dH, X, H, h0, Wx, Wh), hint)


@functools.cache
def _backward_case_list() -> tuple[Case, ...]:
    rng = np.random.default_rng(7)
    last_only = np.zeros((3, 5, 2))
    last_only[:, -1] = rng.normal(size=(3, 2))
    view = rng.normal(size=(2, 7, 3))[:, ::2]  # a non-contiguous (2, 4, 3) view
    return (
        _backward_case("random: 2 sequences of T = 3, d = 1, h = 2", rng, 2, 3, 1, 2),
        _backward_case("random: one sequence (n = 1), T = 4, d = 2, h = 3", rng, 1, 4, 2, 3),
        _backward_case("random: T = 1 (a single step), 3 sequences, d = 2, h = 4", rng,
                       3, 1, 2, 4, hint="with T = 1 the result is one step's backward pass, "
                                        "with dh = dH[:, 0] and h_prev = h0."),
        _backward_case("hand-made: integer inputs (bits), 3 sequences of T = 5, d = 2, h = 4",
                       rng, 3, 5, 2, 4, X=rng.integers(0, 2, size=(3, 5, 2))),
        _backward_case("random: a loss on the last step only (dH = 0 before it), 3 sequences "
                       "of T = 5, d = 3, h = 2", rng, 3, 5, 3, 2, dH=last_only,
                       hint="only the last step has its own gradient here: every other step's "
                            "gradient comes back from the future."),
        _backward_case("random: a non-contiguous view X[:, ::2], 2 sequences of T = 4, d = 3, "
                       "h = 2", rng, 2, 4, 3, 2, X=view),
        _backward_case("random: 4 sequences of T = 6, d = 3, h = 5", rng, 4, 6, 3, 5, scale=0.5),
    )


def _bptt(dH, X, H, h0, Wx, Wh, *, order="backward", carry=True, prev="h_prev", accumulate=True,
          last_only=False, dh0="dh_prev", local_state=None, start_with_last=False,
          dX_like_X=False, divide_by_T=False):
    """Backpropagation through time with one piece changed: the usual mistakes."""
    n, T, _ = X.shape
    dX = np.zeros_like(X) if dX_like_X else np.zeros(X.shape)
    dWx, dWh, db = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(Wh.shape[0])
    dh_next = dH[:, -1].copy() if start_with_last else np.zeros(h0.shape)
    steps = range(T - 1, -1, -1) if order == "backward" else range(T)
    if last_only:
        steps = [T - 1]
    dh_in = np.zeros(h0.shape)
    for t in steps:
        h_prev = {"h_prev": H[:, t - 1] if t > 0 else h0,
                  "wraps": H[:, t - 1],           # t = 0: H[:, -1], the LAST state
                  "own": H[:, t]}[prev]
        dh_in = dH[:, t] + dh_next if carry else dH[:, t]
        if local_state is None:
            step = ref.rnn_step_backward(dh_in, X[:, t], h_prev, H[:, t], Wx, Wh)
        else:  # tanh' taken at another state than the step's output
            step = ref.rnn_step_backward(dh_in, X[:, t], h_prev, local_state(H, h0, t), Wx, Wh)
        dX[:, t], dh_next = step[0], step[1]
        if accumulate:
            dWx, dWh, db = dWx + step[2], dWh + step[3], db + step[4]
        else:
            dWx, dWh, db = step[2], step[3], step[4]
    if divide_by_T:
        dWx, dWh, db = dWx / T, dWh / T, db / T
    grad_h0 = {"dh_prev": dh_next, "zeros": np.zeros(h0.shape), "entering": dh_in}[dh0]
    return dX, grad_h0, dWx, dWh, db


def _previous_state(H, h0, t):
    return H[:, t - 1] if t > 0 else h0


def _only_dh0_wrong(got, dH, X, H, h0, Wx, Wh) -> bool:
    """Every output right except dh0 (however it was computed)."""
    expected = ref.rnn_backward(dH, X, H, h0, Wx, Wh)
    return len(got) == 5 and all(
        np.allclose(np.asarray(g, dtype=float), e, rtol=1e-5, atol=1e-8)
        for index, (g, e) in enumerate(zip(got, expected, strict=True)) if index != 1)


check_rnn_backward = make_check(Exercise(
    name="rnn_backward",
    uses=("rnn_step_backward",),
    reference=ref.rnn_backward,
    cases=lambda rng: list(_backward_case_list()),
    outputs=("dX", "dh0", "dWx", "dWh", "db"),
    tolerance=_NUMERICAL,
    mistakes=[
        Mistake("future gradient dropped", lambda *a: _bptt(*a, carry=False),
                "h_t is used twice: by the loss (dH[:, t]) and by the next step. The gradient "
                "reaching h_t is the SUM of the two: add the dh_prev that step t + 1 sent back "
                "to dH[:, t] before the step's backward pass."),
        Mistake("time forward", lambda *a: _bptt(*a, order="forward"),
                "go backwards in time, t = T - 1 down to 0: the gradient of step t needs what "
                "step t + 1 sends back, so step t + 1 must be done first "
                "(`for t in reversed(range(T))`)."),
        Mistake("h_prev wraps around at t = 0", lambda *a: _bptt(*a, prev="wraps"),
                "at t = 0, H[:, t - 1] is H[:, -1], the LAST state (negative indices wrap "
                "around): the state before step 0 is h0. Use h0 when t == 0."),
        Mistake("h_prev off by one", lambda *a: _bptt(*a, prev="own"),
                "h_prev of step t is the state BEFORE it, H[:, t - 1] (h0 for t = 0); H[:, t] "
                "is the step's own output."),
        Mistake("weights overwritten", lambda *a: _bptt(*a, accumulate=False),
                "Wx, Wh and b are shared by every step, so their gradients are SUMS over the "
                "steps: add each step's dWx, dWh, db to running totals instead of replacing "
                "them (yours keep only step 0's)."),
        Mistake("last step only", lambda *a: _bptt(*a, last_only=True),
                "you only did the last step: loop over every step, from t = T - 1 down to 0."),
        Mistake("dh0 forgotten", lambda *a: _bptt(*a, dh0="zeros"),
                "dh0 is not zero: h0 feeds step 0, so its gradient is the dh_prev that step 0 "
                "sends back (what the loop carries after its last iteration)."),
        Mistake("dh0 one step late", lambda *a: _bptt(*a, dh0="entering"),
                "you returned the gradient ENTERING step 0 (with respect to its output H[:, 0]); "
                "dh0 is what step 0 sends back towards h0, its dh_prev."),
        Mistake("dX like X (integers)", lambda *a: _bptt(*a, dX_like_X=True),
                "np.zeros_like(X) keeps X's dtype: with integer inputs every gradient written "
                "into it is cut to a whole number. Use np.zeros(X.shape), which is float."),
        Mistake("last dH counted twice", lambda *a: _bptt(*a, start_with_last=True),
                "nothing comes back from after the last step: start the carried gradient at "
                "zeros, not at dH[:, -1] (which the last step adds itself)."),
        Mistake("tanh' at h_prev", lambda *a: _bptt(*a, local_state=_previous_state),
                "tanh' = 1 - h**2 uses the OUTPUT of step t, H[:, t]; you passed the state "
                "before it."),
        Mistake("weights averaged over time", lambda *a: _bptt(*a, divide_by_T=True),
                "the weights' gradients are SUMS over the steps (the loss sums over them), not "
                "means: no division by T."),
    ],
    diagnoses=[Diagnosis(
        "only dh0 wrong", _only_dh0_wrong,
        "everything is right except dh0: it is the gradient that step 0 sends back towards the "
        "state before it (the carried gradient after the loop's last iteration).")],
    notes=[Note("rnn_step_backward not used",
                lambda fn: "rnn_step_backward" not in global_names(fn),
                "you did not call your rnn_step_backward: that works, but reusing it keeps one "
                "step's derivative in one place.")],
    hints=(
        "walk back in time, from the last step to the first: each step's backward pass gets the "
        "gradient reaching its output, which is its own part of dH plus what the step after it "
        "sent back; the shared weights collect one contribution per step.",
        "in the loop, step t needs X[:, t], its own output H[:, t] and the state before it (h0 "
        "when t is 0); keep dX of X's shape (float), running sums for dWx, dWh, db, and a "
        "carried (n, h) gradient that starts at zeros. After the loop, dh0 is what step 0 sent "
        "back.",
    ),
))


# =========================================================================== challenges
# --------------------------------------------------------------------------- clip_by_norm ★
def _clip_cases(rng: np.random.Generator) -> list[Case]:
    big = [np.array([[3.0, 0.0], [0.0, 4.0]]), np.array([12.0])]  # global norm 13
    mixed = [rng.normal(0.0, 5.0, size=(3, 4)), rng.normal(size=(4, 4)), rng.normal(size=4),
             np.array([2.0])]
    small = [0.01 * rng.normal(size=(2, 3)), 0.01 * rng.normal(size=3)]
    return [
        Case("hand-made: two arrays of global norm 13 (5 and 12), max_norm 2.6", (big, 2.6)),
        Case("hand-made: global norm below max_norm: unchanged", (small, 1.0)),
        Case("random: four gradients (an RNN's Wx, Wh, b and an output bias), max_norm 5",
             (mixed, 5.0)),
        Case("hand-made: one array of integers, norm 5, max_norm 1 (an int)",
             ([np.array([3, 4])], 1)),
        Case("hand-made: all zeros (norm 0): unchanged, no division by zero",
             ([np.zeros((2, 2)), np.zeros(2)], 1.0)),
        Case("hand-made: one gradient far larger than the others, max_norm 1",
             ([np.array([1e3, -2e3]), np.array([[0.5, 0.5]])], 1.0)),
    ]


def _clip_each(grads, max_norm):
    out = []
    for g in grads:
        norm = np.linalg.norm(g)
        out.append(g * (max_norm / norm) if norm > max_norm else g.astype(float))
    return out


def _clip_always(grads, max_norm):
    norm = np.sqrt(sum(np.sum(np.asarray(g, float) ** 2) for g in grads))
    with np.errstate(all="ignore"):
        return [np.asarray(g, float) * (max_norm / norm) for g in grads]


def _clip_inverted(grads, max_norm):
    norm = np.sqrt(sum(np.sum(np.asarray(g, float) ** 2) for g in grads))
    return [np.asarray(g, float) * (norm / max_norm) if norm > max_norm else np.asarray(g, float)
            for g in grads]


def _clip_sum_of_norms(grads, max_norm):
    norm = sum(np.linalg.norm(np.asarray(g, float)) for g in grads)
    return [np.asarray(g, float) * (max_norm / norm) if norm > max_norm else np.asarray(g, float)
            for g in grads]


def _clip_no_sqrt(grads, max_norm):
    squared = sum(np.sum(np.asarray(g, float) ** 2) for g in grads)
    return [np.asarray(g, float) * (max_norm / squared) if squared > max_norm
            else np.asarray(g, float) for g in grads]


check_clip_by_norm = make_check(Exercise(
    name="clip_by_norm",
    reference=ref.clip_by_norm,
    cases=_clip_cases,
    challenge=True,
    mistakes=[
        Mistake("each array clipped alone", _clip_each,
                "clip by the GLOBAL norm, over every entry of every array, with ONE factor for "
                "all of them: clipping each array by its own norm changes the direction of the "
                "whole gradient."),
        Mistake("always rescaled", _clip_always,
                "rescale only when the global norm EXCEEDS max_norm; a smaller gradient is "
                "returned as it is (and a zero gradient stays zero, with no division by 0)."),
        Mistake("values clipped", lambda grads, c: [np.clip(np.asarray(g, float), -c, c)
                                                    for g in grads],
                "np.clip cuts each value separately, which changes the direction; clipping by "
                "norm multiplies every array by the same factor max_norm / norm."),
        Mistake("factor inverted", _clip_inverted,
                "the factor is max_norm / norm (below 1 when the norm is too large), not norm / "
                "max_norm."),
        Mistake("sum of the norms", _clip_sum_of_norms,
                "the global norm is the square root of the sum of ALL squared entries, "
                "sqrt(sum of |g|**2 over the arrays), not the sum of the arrays' norms."),
        Mistake("no square root", _clip_no_sqrt,
                "the norm is the SQUARE ROOT of the sum of squares."),
    ],
    hints=(
        "one number measures the whole gradient: the norm of all arrays taken together, as if "
        "they were one long vector. If it is too large, shrink every array by the same factor, "
        "so that the direction stays the same and the new norm is exactly max_norm.",
        "norm = square root of the sum, over the arrays, of the sums of their squared entries; "
        "when norm > max_norm multiply every array by max_norm / norm, otherwise keep them; "
        "return a new list of float arrays, never modifying the given ones.",
    ),
    mutation_hint="return new arrays (`g * factor`), never `g *= factor`: the caller's "
                  "gradients must stay as they were.",
    warning_hints={"invalid value": "with all-zero gradients the norm is 0 and max_norm / 0 is "
                                    "inf (0 * inf is NaN): rescale only when the norm EXCEEDS "
                                    "max_norm.",
                   "divide by zero": "with all-zero gradients the norm is 0: rescale only when "
                                     "the norm EXCEEDS max_norm."},
))


# --------------------------------------------------------------------------- gru_step_forward ★★
def _gru_cases(rng: np.random.Generator) -> list[Case]:
    def params(d, h, scale=1.0):
        return (scale * rng.normal(size=(d, 3 * h)), scale * rng.normal(size=(h, 3 * h)),
                rng.normal(size=3 * h))

    return [
        Case("random: 2 sequences, d = 3, h = 2", (rng.normal(size=(2, 3)),
                                                   np.tanh(rng.normal(size=(2, 2))),
                                                   *params(3, 2))),
        Case("random: one sequence (n = 1), d = 2, h = 3, h_prev = 0",
             (rng.normal(size=(1, 2)), np.zeros((1, 3)), *params(2, 3))),
        Case("hand-made: integer inputs (bits), 4 sequences, d = 2, h = 3",
             (np.array([[0, 1], [1, 1], [1, 0], [0, 0]]), np.tanh(rng.normal(size=(4, 3))),
              *params(2, 3))),
        Case("random: a non-contiguous view x[:, ::2], 3 sequences, d = 3, h = 4",
             (_column_view(rng, 3, 3), np.tanh(rng.normal(size=(3, 4))), *params(3, 4))),
        Case("random: 5 sequences, d = 1, h = 2, large weights",
             (rng.normal(size=(5, 1)), np.tanh(rng.normal(size=(5, 2))), *params(1, 2, 3.0))),
    ]


def _gru_with(x, h_prev, Wx, Wh, b, *, order=(0, 1, 2), reset="before", mix="d2l",
              gate=sigmoid, squash=np.tanh, use_reset=True):
    """A GRU step with one piece changed: the usual mistakes are built from it."""
    h = Wh.shape[0]
    blocks = [slice(i * h, (i + 1) * h) for i in order]  # reset, update, candidate columns
    xw = x @ Wx + b
    r = gate(xw[:, blocks[0]] + h_prev @ Wh[:, blocks[0]])
    z = gate(xw[:, blocks[1]] + h_prev @ Wh[:, blocks[1]])
    if not use_reset:
        candidate = squash(xw[:, blocks[2]] + h_prev @ Wh[:, blocks[2]])
    elif reset == "before":
        candidate = squash(xw[:, blocks[2]] + (r * h_prev) @ Wh[:, blocks[2]])
    else:  # after the product, as PyTorch writes it
        candidate = squash(xw[:, blocks[2]] + r * (h_prev @ Wh[:, blocks[2]]))
    if mix == "d2l":
        return z * h_prev + (1.0 - z) * candidate
    if mix == "colah":
        return (1.0 - z) * h_prev + z * candidate
    return candidate


check_gru_step_forward = make_check(Exercise(
    name="gru_step_forward",
    reference=ref.gru_step_forward,
    cases=_gru_cases,
    challenge=True,
    mistakes=[
        Mistake("z and 1 - z swapped (colah's convention)", lambda *a: _gru_with(*a, mix="colah"),
                "this notebook (like d2l.ai and PyTorch) keeps the OLD state where z is 1: "
                "h = z * h_prev + (1 - z) * candidate. colah's post writes it with z and 1 - z "
                "the other way round (the same model, with the gate's sign flipped)."),
        Mistake("reset after the product", lambda *a: _gru_with(*a, reset="after"),
                "the reset gate multiplies h_prev BEFORE the product with Wh's candidate "
                "columns: (r * h_prev) @ Wh_c. Applying r after the product is PyTorch's "
                "variant, not this notebook's."),
        Mistake("reset gate unused", lambda *a: _gru_with(*a, use_reset=False),
                "the candidate sees the previous state through the reset gate: (r * h_prev) "
                "@ Wh_c, not h_prev @ Wh_c."),
        Mistake("gates in the wrong columns", lambda *a: _gru_with(*a, order=(1, 0, 2)),
                "the column blocks are, in order: reset gate [0, h), update gate [h, 2h), "
                "candidate [2h, 3h). Your r and z use each other's columns."),
        Mistake("candidate first", lambda *a: _gru_with(*a, order=(1, 2, 0)),
                "the column blocks are, in order: reset gate [0, h), update gate [h, 2h), "
                "candidate [2h, 3h): the candidate's columns come LAST."),
        Mistake("tanh gates", lambda *a: _gru_with(*a, gate=np.tanh),
                "the gates r and z use the SIGMOID: they are fractions in (0, 1) saying how much "
                "to keep; only the candidate uses tanh."),
        Mistake("sigmoid candidate", lambda *a: _gru_with(*a, squash=sigmoid),
                "the candidate state uses tanh (values in (-1, 1), like a vanilla RNN's state); "
                "only the gates use the sigmoid."),
        Mistake("candidate returned", lambda *a: _gru_with(*a, mix="none"),
                "you returned the candidate; the new state MIXES it with the old one: z * "
                "h_prev + (1 - z) * candidate."),
    ],
    hints=(
        "three parts, each a small RNN step with its own column block of Wx, Wh and b: two "
        "gates squashed with the sigmoid (reset r, update z), then a candidate state squashed "
        "with tanh whose recurrent input is the previous state scaled by r; the new state is a "
        "z-weighted mix of the old state and the candidate.",
        "with h = Wh.shape[0], the blocks are columns [0, h) for r, [h, 2h) for z and [2h, 3h) "
        "for the candidate; the candidate's recurrent term multiplies r * h_prev (elementwise) "
        "by Wh's candidate columns; the result keeps h_prev where z is 1 and takes the "
        "candidate where z is 0. Shape (n, h).",
    ),
))


# --------------------------------------------------------------------------- gru_step_backward ★★★
def _gru_backward_case(label, rng, n, d, h, *, x=None, hint=None):
    x = rng.normal(size=(n, d)) if x is None else x
    h_prev = np.tanh(rng.normal(size=(n, h)))
    Wx, Wh, b = rng.normal(size=(d, 3 * h)), rng.normal(size=(h, 3 * h)), rng.normal(size=3 * h)
    dh = rng.normal(size=(n, h))
    return _gradient_case(label, ref.gru_step_forward, (x, h_prev, Wx, Wh, b), dh,
                          (dh, x, h_prev, Wx, Wh, b), hint)


@functools.cache
def _gru_backward_case_list() -> tuple[Case, ...]:
    rng = np.random.default_rng(5)
    return (
        _gru_backward_case("random: 2 sequences, d = 3, h = 2", rng, 2, 3, 2),
        _gru_backward_case("random: one sequence (n = 1), d = 2, h = 3", rng, 1, 2, 3),
        _gru_backward_case("hand-made: integer inputs (bits), 4 sequences, d = 2, h = 3", rng,
                           4, 2, 3, x=np.array([[0, 1], [1, 1], [1, 0], [0, 0]])),
        _gru_backward_case("random: 5 sequences, d = 1, h = 4", rng, 5, 1, 4),
    )


def _gru_backward_with(dh, x, h_prev, Wx, Wh, b, *, direct=True, through_reset=True,
                       reset_factor="h_prev", z_sign=1.0, reset_state=True, tanh_prime=True,
                       one_minus_z=True):
    """The GRU's backward pass with one piece changed: the usual mistakes are built from it."""
    h = Wh.shape[0]
    r, z, candidate, reset = ref.gru_parts(x, h_prev, Wx, Wh, b)
    g_c = dh * ((1.0 - z) if one_minus_z else 1.0) * (
        (1.0 - candidate ** 2) if tanh_prime else 1.0)
    g_z = z_sign * dh * (h_prev - candidate) * z * (1.0 - z)
    d_reset = g_c @ Wh[:, 2 * h:].T
    g_r = d_reset * (h_prev if reset_factor == "h_prev" else r) * r * (1.0 - r)
    G = np.concatenate([g_r, g_z, g_c], axis=1)
    dWh = np.concatenate([h_prev.T @ g_r, h_prev.T @ g_z,
                          (reset if reset_state else h_prev).T @ g_c], axis=1)
    dh_prev = g_r @ Wh[:, :h].T + g_z @ Wh[:, h:2 * h].T
    if direct:
        dh_prev = dh_prev + dh * z
    if through_reset:
        dh_prev = dh_prev + d_reset * r
    return G @ Wx.T, dh_prev, x.T @ G, dWh, G.sum(axis=0)


check_gru_step_backward = make_check(Exercise(
    name="gru_step_backward",
    uses=("gru_step_forward",),
    reference=ref.gru_step_backward,
    cases=lambda rng: list(_gru_backward_case_list()),
    outputs=_STEP_OUTPUTS,
    tolerance=_NUMERICAL,
    challenge=True,
    mistakes=[
        Mistake("direct path forgotten", lambda *a: _gru_backward_with(*a, direct=False),
                "h_prev also reaches h DIRECTLY, through z * h_prev: add dh * z to dh_prev. "
                "That path is the gated shortcut through which gradients flow back far."),
        Mistake("reset path forgotten", lambda *a: _gru_backward_with(*a, through_reset=False),
                "h_prev also enters the candidate through r * h_prev: add (dL/d(r * h_prev)) * "
                "r to dh_prev."),
        Mistake("reset gate's gradient times r", lambda *a: _gru_backward_with(
                    *a, reset_factor="r"),
                "the derivative of r * h_prev with respect to r is h_prev: the reset gate's "
                "gradient is (dL/d(r * h_prev)) * h_prev * r * (1 - r)."),
        Mistake("update gate's sign flipped", lambda *a: _gru_backward_with(*a, z_sign=-1.0),
                "dh/dz = h_prev - candidate (h = z * h_prev + (1 - z) * candidate): check the "
                "sign of the update gate's gradient."),
        Mistake("dWh candidate with h_prev", lambda *a: _gru_backward_with(
                    *a, reset_state=False),
                "the candidate's columns of Wh multiplied r * h_prev in the forward pass, so "
                "their gradient is (r * h_prev).T @ g_candidate, not h_prev.T @ g_candidate."),
        Mistake("candidate's tanh' forgotten", lambda *a: _gru_backward_with(
                    *a, tanh_prime=False),
                "the candidate is a tanh: multiply by 1 - candidate**2 on the way back."),
        Mistake("(1 - z) forgotten", lambda *a: _gru_backward_with(*a, one_minus_z=False),
                "the candidate enters h as (1 - z) * candidate: its gradient is dh * (1 - z), "
                "times tanh'."),
    ],
    hints=(
        "recompute the forward pass's pieces (r, z, the candidate, r * h_prev), then walk back "
        "through h = z * h_prev + (1 - z) * candidate: three branches (the candidate, the update "
        "gate, the direct path) and inside the candidate a fourth (the reset gate). h_prev "
        "collects a contribution from every path it takes.",
        "get the gradient of each linear part: candidate (through tanh' and 1 - z), z (through "
        "h_prev - candidate and sigmoid'), r (through the candidate's recurrent product, h_prev "
        "and sigmoid'); stack them in the r, z, candidate column order; dWx, db and dx follow as "
        "for the vanilla step. dWh's candidate block uses r * h_prev; dh_prev sums four terms.",
    ),
))
