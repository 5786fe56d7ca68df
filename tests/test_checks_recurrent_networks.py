"""Tests for helpers/checks/recurrent_networks.py: correct variants pass, mistakes get their hint.

The wrong implementations here are written independently of the checker's own Mistake functions,
as an attendee would write them; each test asserts that the check fails AND that its feedback
names the cause (a phrase of the right hint). Correct variants written differently must pass.
The per-check contract (stubs, None, speed...) is in tests/test_check_contract.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.checks import engine
from helpers.checks.recurrent_networks import (
    check_clip_by_norm,
    check_gru_step_backward,
    check_gru_step_forward,
    check_rnn_backward,
    check_rnn_forward,
    check_rnn_step_backward,
    check_rnn_step_forward,
)
from helpers.reference import recurrent_networks as ref
from helpers.reference.logistic_regression import sigmoid


@pytest.fixture(autouse=True)
def _first_failing_run(monkeypatch):
    """Every test starts at the first tier of general hints, whatever ran before it."""
    monkeypatch.setattr(engine, "_failed_runs", {})


def _attendee(source: str) -> dict:
    """Functions defined as in a notebook: they share one namespace (their globals)."""
    namespace = {"np": np, "sigmoid": sigmoid}
    exec(source, namespace)
    return namespace


def _fails_with(check, fn, phrase):
    result = check(fn)
    assert not result, f"{check.__name__} passed a wrong function"
    assert phrase in result.message, result.message
    return result


# =========================================================================== rnn_step_forward
def step_einsum(x, h_prev, Wx, Wh, b):
    return np.tanh(np.einsum("nd,dh->nh", x, Wx) + np.einsum("nk,kh->nh", h_prev, Wh) + b)


def step_dot(x, h_prev, Wx, Wh, b):
    z_lin = np.dot(x, Wx) + np.dot(h_prev, Wh)
    z_lin = z_lin + b[None, :]
    return np.tanh(z_lin)


def step_exp_stable(x, h_prev, Wx, Wh, b):
    z = x @ Wx + h_prev @ Wh + b
    e = np.exp(-2.0 * np.abs(z))
    return np.sign(z) * (1 - e) / (1 + e)


def step_row_loop(x, h_prev, Wx, Wh, b):
    out = np.empty((x.shape[0], Wh.shape[0]))
    for i in range(x.shape[0]):
        out[i] = np.tanh(x[i] @ Wx + h_prev[i] @ Wh + b)
    return out


@pytest.mark.parametrize("fn", [step_einsum, step_dot, step_exp_stable, step_row_loop])
def test_rnn_step_forward_accepts_correct_variants(fn):
    assert check_rnn_step_forward(fn)


def test_rnn_step_forward_notes_a_loop():
    assert "note: a Python loop works" in check_rnn_step_forward(step_row_loop).message
    assert "note:" not in check_rnn_step_forward(step_dot).message


def step_naive_tanh(x, h_prev, Wx, Wh, b):
    z = x @ Wx + h_prev @ Wh + b
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def step_math(x, h_prev, Wx, Wh, b):
    return math.tanh(x @ Wx + h_prev @ Wh + b)


@pytest.mark.parametrize("fn, phrase", [
    (lambda x, h, Wx, Wh, b: 1 / (1 + np.exp(-(x @ Wx + h @ Wh + b))), "a vanilla RNN squashes "
                                                                        "with tanh"),
    (lambda x, h, Wx, Wh, b: np.tanh(np.dot(x, Wx) + np.dot(h, Wh)), "add the bias b"),
    (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + (Wh @ h.T).T + b), "without a transpose"),
    (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + h @ Wh) + b, "the bias goes inside the tanh"),
    (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx) + h @ Wh + b, "not to one of its terms"),
    (lambda x, h, Wx, Wh, b: x @ Wx + h @ Wh + b, "you returned the linear part"),
    (lambda x, h, Wx, Wh, b: np.maximum(0, x @ Wx + h @ Wh + b), "that is ReLU"),
    (lambda x, h, Wx, Wh, b: np.tanh(x @ Wx + b), "That term is the network's memory"),
    (step_math, "`math.tanh` works on one number only"),
    (step_naive_tanh, "Use np.tanh"),
])
def test_rnn_step_forward_names_mistakes(fn, phrase):
    _fails_with(check_rnn_step_forward, fn, phrase)


def test_rnn_step_forward_general_hints_escalate_without_the_answer():
    def halved(x, h_prev, Wx, Wh, b):  # no catalogued mistake: the general hints speak
        return np.tanh(0.5 * (x @ Wx + h_prev @ Wh + b))

    first = check_rnn_step_forward(halved)
    second = check_rnn_step_forward(halved)
    assert "(1 of 2)" in first.message and "mixes what the step sees" in first.message
    assert "(2 of 2)" in second.message and "b (h,) broadcasts over the rows" in second.message
    assert "x @ Wx" not in first.message + second.message


def test_rnn_step_forward_integer_inputs_give_floats():
    def int_buffer(x, h_prev, Wx, Wh, b):
        out = np.zeros_like(x, shape=(x.shape[0], Wh.shape[0]))  # x's dtype: integers
        out[...] = np.tanh(x @ Wx + h_prev @ Wh + b)
        return out

    result = _fails_with(check_rnn_step_forward, int_buffer, "integer inputs")
    assert "dtype" in result.message


# =========================================================================== rnn_forward
def forward_list(X, h0, Wx, Wh, b):
    states, h = [], h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
        states.append(h)
    return np.stack(states, axis=1)


def forward_transpose(X, h0, Wx, Wh, b):
    states, h = [], h0
    for x_t in np.transpose(X, (1, 0, 2)):
        h = ref.rnn_step_forward(x_t, h, Wx, Wh, b)
        states.append(h)
    return np.array(states).transpose(1, 0, 2)


def forward_empty(X, h0, Wx, Wh, b):
    n, T, _ = X.shape
    H = np.empty((n, T, len(b)))
    for t in range(T):
        H[:, t] = ref.rnn_step_forward(X[:, t], H[:, t - 1] if t else h0, Wx, Wh, b)
    return H


@pytest.mark.parametrize("fn", [forward_list, forward_transpose, forward_empty])
def test_rnn_forward_accepts_correct_variants(fn):
    assert check_rnn_forward(fn)


def test_rnn_forward_notes_when_the_step_is_not_reused():
    assert "you did not call your rnn_step_forward" in check_rnn_forward(forward_list).message


def forward_last(X, h0, Wx, Wh, b):
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
    return h


def forward_with_h0(X, h0, Wx, Wh, b):
    states = [h0]
    for t in range(X.shape[1]):
        states.append(np.tanh(X[:, t] @ Wx + states[-1] @ Wh + b))
    return np.stack(states, axis=1)


def forward_time_first(X, h0, Wx, Wh, b):
    states, h = [], h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
        states.append(h)
    return np.array(states)


def forward_no_memory(X, h0, Wx, Wh, b):
    H = np.zeros((X.shape[0], X.shape[1], Wh.shape[0]))
    for t in range(X.shape[1]):
        H[:, t] = np.tanh(X[:, t] @ Wx + h0 @ Wh + b)
    return H


def forward_backwards(X, h0, Wx, Wh, b):
    H = np.zeros((X.shape[0], X.shape[1], Wh.shape[0]))
    h = h0
    for t in range(X.shape[1] - 1, -1, -1):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
        H[:, t] = h
    return H


def forward_reversed_list(X, h0, Wx, Wh, b):
    states, h = [], h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
        states.insert(0, h)  # newest first
    return np.stack(states, axis=1)


def forward_zeros_like(X, h0, Wx, Wh, b):
    H = np.zeros_like(X)
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
        H[:, t] = h
    return H


def forward_sequence_index(X, h0, Wx, Wh, b):
    H = np.zeros((X.shape[0], X.shape[1], Wh.shape[0]))
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(X[t] @ Wx + h @ Wh + b)
        H[:, t] = h
    return H


@pytest.mark.parametrize("fn, phrase", [
    (forward_last, "you returned only the last hidden state"),
    (forward_with_h0, "h0 itself is not in it"),
    (forward_time_first, "np.stack(states, axis=1)"),
    (forward_no_memory, "every step starts from h0"),
    (forward_backwards, "the steps run forward in time"),
    (forward_reversed_list, "the states are stored in reverse order"),
    (forward_zeros_like, "np.zeros_like(X) copies X's shape"),
    (forward_sequence_index, "X[t] is the t-th SEQUENCE"),
])
def test_rnn_forward_names_mistakes(fn, phrase):
    _fails_with(check_rnn_forward, fn, phrase)


def test_rnn_forward_blames_a_failing_step_first():
    attendee = _attendee(
        "def rnn_step_forward(x, h_prev, Wx, Wh, b):\n"
        "    return np.tanh(x @ Wx + h_prev @ Wh)\n"  # the bias forgotten
        "def rnn_forward(X, h0, Wx, Wh, b):\n"
        "    H = np.zeros((X.shape[0], X.shape[1], Wh.shape[0]))\n"
        "    h = h0\n"
        "    for t in range(X.shape[1]):\n"
        "        h = rnn_step_forward(X[:, t], h, Wx, Wh, b)\n"
        "        H[:, t] = h\n"
        "    return H\n")
    result = check_rnn_forward(attendee["rnn_forward"])
    assert not result
    assert result.message.startswith(
        "❌ rnn_forward calls your `rnn_step_forward`, which fails its own check")


def test_rnn_forward_does_not_modify_h0():
    def in_place(X, h0, Wx, Wh, b):
        H = np.zeros((X.shape[0], X.shape[1], Wh.shape[0]))
        for t in range(X.shape[1]):
            h0[...] = np.tanh(X[:, t] @ Wx + h0 @ Wh + b)  # overwrites the caller's h0
            H[:, t] = h0
        return H

    _fails_with(check_rnn_forward, in_place, "never write into X or h0")


# =========================================================================== rnn_step_backward
def step_backward_einsum(dh, x, h_prev, h, Wx, Wh):
    g = dh * (1.0 - np.square(h))
    return (np.einsum("nh,dh->nd", g, Wx), np.einsum("nh,kh->nk", g, Wh),
            np.einsum("nd,nh->dh", x, g), np.einsum("nk,nh->kh", h_prev, g), np.sum(g, axis=0))


def step_backward_list(dh, x, h_prev, h, Wx, Wh):
    da = dh * (1 - h * h)
    return [np.dot(da, Wx.T), np.dot(da, Wh.T), np.dot(x.T, da), np.dot(h_prev.T, da),
            da.sum(0)]


@pytest.mark.parametrize("fn", [step_backward_einsum, step_backward_list])
def test_rnn_step_backward_accepts_correct_variants(fn):
    assert check_rnn_step_backward(fn)


def _step_backward(local, *, dWh_from="h_prev", dh_prev=lambda g, Wh: g @ Wh.T,
                   db=lambda g: g.sum(axis=0), per_n=False, inputs_local=True):
    def backward(dh, x, h_prev, h, Wx, Wh):
        g = dh * local(h, x, h_prev, Wx, Wh)
        g_in = g if inputs_local else dh
        state = h_prev if dWh_from == "h_prev" else h
        grads = [g_in @ Wx.T, dh_prev(g_in, Wh), x.T @ g, state.T @ g, db(g)]
        if per_n:
            grads[2:] = [grad / x.shape[0] for grad in grads[2:]]
        return tuple(grads)
    return backward


def _tanh_prime(h, *_):
    return 1 - h ** 2


@pytest.mark.parametrize("fn, phrase", [
    (_step_backward(lambda h, *_: 1.0), "multiply dh by tanh' = 1 - h**2"),
    (_step_backward(lambda h, *_: 1 - np.tanh(h) ** 2), "applies tanh a second time"),
    (_step_backward(lambda h, x, hp, Wx, Wh: 1 - np.tanh(x @ Wx + hp @ Wh) ** 2),
     "but without the bias b"),
    (_step_backward(lambda h, *_: 1 - h), "square h, 1 - h**2"),
    (_step_backward(lambda h, *_: h * (1 - h)), "SIGMOID's derivative"),
    (_step_backward(_tanh_prime, dWh_from="h"), "h_prev, not the step's output h"),
    (_step_backward(_tanh_prime, inputs_local=False), "dx and dh_prev also go through the tanh"),
    (_step_backward(_tanh_prime, dh_prev=lambda g, Wh: g @ Wh), "through the TRANSPOSE"),
    (_step_backward(_tanh_prime, db=lambda g: g), "sum g over the n sequences"),
    (_step_backward(_tanh_prime, db=lambda g: np.sum(g, axis=1)), "sum over the SEQUENCES"),
    (_step_backward(_tanh_prime, db=lambda g: np.mean(g, axis=0)), "not the mean"),
    (_step_backward(_tanh_prime, per_n=True), "no 1/n here"),
])
def test_rnn_step_backward_names_mistakes(fn, phrase):
    _fails_with(check_rnn_step_backward, fn, phrase)


def test_rnn_step_backward_names_swapped_outputs_and_transposes():
    def swapped(dh, x, h_prev, h, Wx, Wh):
        dx, dh_prev, dWx, dWh, db = ref.rnn_step_backward(dh, x, h_prev, h, Wx, Wh)
        return dh_prev, dx, dWx, dWh, db

    def transposed(dh, x, h_prev, h, Wx, Wh):
        g = dh * (1 - h ** 2)
        return g @ Wx.T, g @ Wh.T, (x.T @ g).T, h_prev.T @ g, g.sum(axis=0)

    _fails_with(check_rnn_step_backward, swapped, "dx and dh_prev are swapped")
    _fails_with(check_rnn_step_backward, transposed, "dWx must have Wx's shape (d, h)")


def test_rnn_step_backward_general_hints_escalate_without_the_answer():
    def doubled(dh, x, h_prev, h, Wx, Wh):  # no catalogued mistake
        grads = ref.rnn_step_backward(dh, x, h_prev, h, Wx, Wh)
        return tuple(2 * grad for grad in grads)

    first = check_rnn_step_backward(doubled)
    second = check_rnn_step_backward(doubled)
    assert "(1 of 2)" in first.message and "bring dh back through the tanh" in first.message
    assert "(2 of 2)" in second.message and "TRANSPOSE" in second.message
    assert "@ Wx.T" not in first.message + second.message


# =========================================================================== rnn_backward
def bptt_while(dH, X, H, h0, Wx, Wh):
    n, T, d = X.shape
    grads = {"Wx": np.zeros_like(Wx, dtype=float), "Wh": np.zeros_like(Wh, dtype=float),
             "b": np.zeros(Wh.shape[1])}
    dX, carried, t = np.zeros((n, T, d)), np.zeros_like(h0, dtype=float), T - 1
    while t >= 0:
        previous = h0 if t == 0 else H[:, t - 1]
        dx, carried, dWx, dWh, db = ref.rnn_step_backward(dH[:, t] + carried, X[:, t], previous,
                                                          H[:, t], Wx, Wh)
        dX[:, t] = dx
        grads["Wx"] += dWx
        grads["Wh"] += dWh
        grads["b"] += db
        t -= 1
    return dX, carried, grads["Wx"], grads["Wh"], grads["b"]


def bptt_vectorised_weights(dH, X, H, h0, Wx, Wh):
    # every step's g first, then the weight gradients in one einsum each
    n, T, _ = X.shape
    G = np.zeros(H.shape)
    carried = np.zeros(h0.shape)
    for t in reversed(range(T)):
        G[:, t] = (dH[:, t] + carried) * (1 - H[:, t] ** 2)
        carried = G[:, t] @ Wh.T
    previous = np.concatenate([h0[:, None], H[:, :-1]], axis=1)
    return (G @ Wx.T, carried, np.einsum("ntd,nth->dh", X, G),
            np.einsum("ntk,nth->kh", previous, G), G.sum(axis=(0, 1)))


@pytest.mark.parametrize("fn", [bptt_while, bptt_vectorised_weights])
def test_rnn_backward_accepts_correct_variants(fn):
    assert check_rnn_backward(fn)


def _bptt(*, carry=True, backwards=True, prev="ok", accumulate=True, dh0="carried",
          dX_like=False, first=None, local_at="h", mean_over_T=False, only_last=False):
    def backward(dH, X, H, h0, Wx, Wh):
        n, T, _ = X.shape
        dX = np.zeros_like(X) if dX_like else np.zeros(X.shape)
        dWx, dWh, db = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(Wh.shape[0])
        carried = np.zeros(h0.shape) if first is None else first(dH)
        order = list(range(T - 1, -1, -1)) if backwards else list(range(T))
        if only_last:
            order = order[:1]
        entering = None
        for t in order:
            if prev == "ok":
                h_prev = H[:, t - 1] if t > 0 else h0
            elif prev == "naive":
                h_prev = H[:, t - 1]
            else:
                h_prev = H[:, t]
            entering = dH[:, t] + carried if carry else dH[:, t]
            state = H[:, t] if local_at == "h" else h_prev
            g = entering * (1 - state ** 2)
            dX[:, t] = g @ Wx.T
            carried = g @ Wh.T
            if accumulate:
                dWx, dWh, db = dWx + X[:, t].T @ g, dWh + h_prev.T @ g, db + g.sum(axis=0)
            else:
                dWx, dWh, db = X[:, t].T @ g, h_prev.T @ g, g.sum(axis=0)
        if mean_over_T:
            dWx, dWh, db = dWx / T, dWh / T, db / T
        result_h0 = {"carried": carried, "zeros": np.zeros_like(h0), "entering": entering}[dh0]
        return dX, result_h0, dWx, dWh, db
    return backward


@pytest.mark.parametrize("fn, phrase", [
    (_bptt(carry=False), "The gradient reaching h_t is the SUM of the two"),
    (_bptt(backwards=False), "go backwards in time"),
    (_bptt(prev="naive"), "negative indices wrap around"),
    (_bptt(prev="own"), "H[:, t] is the step's own output"),
    (_bptt(accumulate=False), "their gradients are SUMS over the steps"),
    (_bptt(only_last=True), "you only did the last step"),
    (_bptt(dh0="zeros"), "dh0 is not zero"),
    (_bptt(dh0="entering"), "the gradient ENTERING step 0"),
    (_bptt(dX_like=True), "np.zeros_like(X) keeps X's dtype"),
    (_bptt(first=lambda dH: dH[:, -1].copy()), "start the carried gradient at zeros"),
    (_bptt(local_at="prev"), "uses the OUTPUT of step t"),
    (_bptt(mean_over_T=True), "no division by T"),
])
def test_rnn_backward_names_mistakes(fn, phrase):
    _fails_with(check_rnn_backward, fn, phrase)


def test_rnn_backward_diagnoses_a_wrong_dh0_however_computed():
    def dh0_from_the_last_step(dH, X, H, h0, Wx, Wh):
        dX, _, dWx, dWh, db = ref.rnn_backward(dH, X, H, h0, Wx, Wh)
        return dX, dH[:, -1] @ Wh.T, dWx, dWh, db

    _fails_with(check_rnn_backward, dh0_from_the_last_step, "everything is right except dh0")


def test_rnn_backward_blames_a_failing_step_backward_first():
    attendee = _attendee(
        "def rnn_step_backward(dh, x, h_prev, h, Wx, Wh):\n"
        "    g = dh\n"  # tanh' forgotten
        "    return g @ Wx.T, g @ Wh.T, x.T @ g, h_prev.T @ g, g.sum(axis=0)\n"
        "def rnn_backward(dH, X, H, h0, Wx, Wh):\n"
        "    n, T, _ = X.shape\n"
        "    dX = np.zeros(X.shape)\n"
        "    dWx, dWh, db = np.zeros(Wx.shape), np.zeros(Wh.shape), np.zeros(Wh.shape[0])\n"
        "    dh_next = np.zeros(h0.shape)\n"
        "    for t in reversed(range(T)):\n"
        "        h_prev = H[:, t - 1] if t > 0 else h0\n"
        "        dx, dh_next, a, c, e = rnn_step_backward(dH[:, t] + dh_next, X[:, t], h_prev,\n"
        "                                                 H[:, t], Wx, Wh)\n"
        "        dX[:, t] = dx\n"
        "        dWx, dWh, db = dWx + a, dWh + c, db + e\n"
        "    return dX, dh_next, dWx, dWh, db\n")
    result = check_rnn_backward(attendee["rnn_backward"])
    assert not result
    assert result.message.startswith(
        "❌ rnn_backward calls your `rnn_step_backward`, which fails its own check")


def test_rnn_backward_expected_values_are_numerical_gradients():
    # the check's expectations come from central differences, not from the reference formula:
    # they agree with it to the numerical tolerance, not to the last bit
    from helpers.checks.recurrent_networks import _backward_case_list

    for case in _backward_case_list():
        reference = ref.rnn_backward(*case.args)
        for got, expected in zip(reference, case.expected, strict=True):
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-8)
        assert any(not np.array_equal(got, expected)
                   for got, expected in zip(reference, case.expected, strict=True))


# =========================================================================== clip_by_norm
def clip_concatenate(grads, max_norm):
    flat = np.concatenate([np.ravel(g) for g in grads]).astype(float)
    norm = np.linalg.norm(flat)
    factor = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return [g * factor for g in (np.asarray(g, dtype=float) for g in grads)]


def clip_tuple(grads, max_norm):
    total = math.sqrt(sum(float((np.asarray(g, float) ** 2).sum()) for g in grads))
    if total <= max_norm:
        return tuple(np.array(g, dtype=float) for g in grads)
    return tuple(np.asarray(g, float) * (max_norm / total) for g in grads)


@pytest.mark.parametrize("fn", [clip_concatenate, clip_tuple])
def test_clip_by_norm_accepts_correct_variants(fn):
    assert check_clip_by_norm(fn)


def clip_each(grads, max_norm):
    return [g * min(1.0, max_norm / np.linalg.norm(g)) if np.linalg.norm(g) > 0 else g * 1.0
            for g in grads]


def clip_always(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads))
    return [g * (max_norm / norm) for g in grads]


def clip_values(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm).astype(float) for g in grads]


def clip_in_place(grads, max_norm):
    norm = np.sqrt(sum((np.asarray(g, float) ** 2).sum() for g in grads))
    if norm > max_norm:
        for g in grads:
            g *= max_norm / norm
    return grads


@pytest.mark.parametrize("fn, phrase", [
    (clip_each, "clip by the GLOBAL norm"),
    (clip_values, "np.clip cuts each value separately"),
    (lambda grads, c: [np.asarray(g, float) * max(1.0, np.sqrt(sum((np.asarray(h, float) ** 2)
                                                                    .sum() for h in grads)) / c)
                       for g in grads], "the factor is max_norm / norm"),
    (lambda grads, c: [np.asarray(g, float) * min(1.0, c / sum(np.linalg.norm(h) for h in grads))
                       for g in grads], "not the sum of the arrays' norms"),
])
def test_clip_by_norm_names_mistakes(fn, phrase):
    _fails_with(check_clip_by_norm, fn, phrase)


def test_clip_by_norm_zero_gradients_and_in_place_changes():
    result = check_clip_by_norm(clip_always)
    assert not result and "rescale only when the global norm EXCEEDS max_norm" in result.message
    _fails_with(check_clip_by_norm, clip_in_place, "never `g *= factor`")


# =========================================================================== gru_step_forward
def gru_split(x, h_prev, Wx, Wh, b):
    Wxr, Wxz, Wxc = np.split(Wx, 3, axis=1)
    Whr, Whz, Whc = np.split(Wh, 3, axis=1)
    br, bz, bc = np.split(b, 3)
    r = 1 / (1 + np.exp(-(x @ Wxr + h_prev @ Whr + br)))
    z = 1 / (1 + np.exp(-(x @ Wxz + h_prev @ Whz + bz)))
    c = np.tanh(x @ Wxc + (r * h_prev) @ Whc + bc)
    return h_prev + (1 - z) * (c - h_prev)


@pytest.mark.parametrize("fn", [gru_split])
def test_gru_step_forward_accepts_correct_variants(fn):
    assert check_gru_step_forward(fn)


def _gru(*, mix="d2l", reset="before", order=(0, 1, 2), gate=sigmoid, squash=np.tanh):
    def gru(x, h_prev, Wx, Wh, b):
        h = Wh.shape[0]
        cols = [slice(k * h, (k + 1) * h) for k in order]
        r = gate(x @ Wx[:, cols[0]] + h_prev @ Wh[:, cols[0]] + b[cols[0]])
        z = gate(x @ Wx[:, cols[1]] + h_prev @ Wh[:, cols[1]] + b[cols[1]])
        if reset == "before":
            c = squash(x @ Wx[:, cols[2]] + (r * h_prev) @ Wh[:, cols[2]] + b[cols[2]])
        elif reset == "after":
            c = squash(x @ Wx[:, cols[2]] + r * (h_prev @ Wh[:, cols[2]]) + b[cols[2]])
        else:
            c = squash(x @ Wx[:, cols[2]] + h_prev @ Wh[:, cols[2]] + b[cols[2]])
        if mix == "d2l":
            return z * h_prev + (1 - z) * c
        return (1 - z) * h_prev + z * c if mix == "colah" else c
    return gru


@pytest.mark.parametrize("fn, phrase", [
    (_gru(mix="colah"), "colah's post writes it with z and 1 - z"),
    (_gru(reset="after"), "PyTorch's variant"),
    (_gru(reset="none"), "not h_prev @ Wh_c"),
    (_gru(order=(1, 0, 2)), "Your r and z use each other's columns"),
    (_gru(gate=np.tanh), "the gates r and z use the SIGMOID"),
    (_gru(squash=sigmoid), "the candidate state uses tanh"),
    (_gru(mix="none"), "you returned the candidate"),
])
def test_gru_step_forward_names_mistakes(fn, phrase):
    _fails_with(check_gru_step_forward, fn, phrase)


# =========================================================================== gru_step_backward
def _gru_backward(*, direct=True, via_reset=True, z_sign=1.0, reset_input="r*h",
                  tanh_prime=True):
    def backward(dh, x, h_prev, Wx, Wh, b):
        h = Wh.shape[0]
        a = x @ Wx + b
        r = sigmoid(a[:, :h] + h_prev @ Wh[:, :h])
        z = sigmoid(a[:, h:2 * h] + h_prev @ Wh[:, h:2 * h])
        c = np.tanh(a[:, 2 * h:] + (r * h_prev) @ Wh[:, 2 * h:])
        gc = dh * (1 - z) * ((1 - c * c) if tanh_prime else 1)
        gz = z_sign * dh * (h_prev - c) * z * (1 - z)
        d_rh = gc @ Wh[:, 2 * h:].T
        gr = d_rh * h_prev * r * (1 - r)
        G = np.hstack([gr, gz, gc])
        left = r * h_prev if reset_input == "r*h" else h_prev
        dWh = np.hstack([h_prev.T @ gr, h_prev.T @ gz, left.T @ gc])
        dh_prev = gr @ Wh[:, :h].T + gz @ Wh[:, h:2 * h].T
        if direct:
            dh_prev = dh_prev + dh * z
        if via_reset:
            dh_prev = dh_prev + d_rh * r
        return G @ Wx.T, dh_prev, x.T @ G, dWh, G.sum(axis=0)
    return backward


def test_gru_step_backward_accepts_an_independent_version():
    assert check_gru_step_backward(_gru_backward())


@pytest.mark.parametrize("fn, phrase", [
    (_gru_backward(direct=False), "add dh * z to dh_prev"),
    (_gru_backward(via_reset=False), "through r * h_prev"),
    (_gru_backward(z_sign=-1.0), "check the sign of the update gate's gradient"),
    (_gru_backward(reset_input="h"), "(r * h_prev).T @ g_candidate"),
    (_gru_backward(tanh_prime=False), "multiply by 1 - candidate**2"),
])
def test_gru_step_backward_names_mistakes(fn, phrase):
    _fails_with(check_gru_step_backward, fn, phrase)
