"""The checks of notebook 04 accept correct code written several ways and name each usual mistake.

The wrong functions here are written independently of the checker's own mistake catalogue, the way
an attendee might write them, and each test asserts that the feedback names the actual cause (a
phrase of the right hint), not only that the check fails. Some are defined in one namespace from
source text, as notebook cells are, so that the feedback's call sites and the attribution to an
earlier exercise are those an attendee sees. Also tests the helpers added to
``helpers.reference.backpropagation``.
"""

from __future__ import annotations

import linecache
import math

import numpy as np
import pytest

from helpers.checks import backpropagation as checks
from helpers.gradcheck import numerical_gradient
from helpers.reference import backpropagation as ref
from helpers.reference.backpropagation import Value
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid
from helpers.reference.neural_networks import init_weights, mlp_forward, tanh


def _stub(*args, **kwargs):
    raise NotImplementedError("Replace this line with your code.")


def _passes(check, fn):
    result = check(fn)
    assert result, result.message
    return result


def _fails_with(check, fn, *phrases):
    result = check(fn)
    assert not result
    for phrase in phrases:
        assert phrase in result.message, result.message
    return result


def notebook(source: str, cell: int = 1) -> dict:
    """Run ``source`` as a notebook cell would: one namespace, a cell's file name in linecache (so
    that feedback quotes the lines), and return that namespace."""
    filename = f"<ipython-input-{cell}-0123456789ab>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {"__name__": "__main__"}
    exec(compile(source, filename, "exec"), namespace)
    return namespace


# --------------------------------------------------------------------------- sigmoid_derivative
def sigmoid_derivative_exp(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-z)
    return e / (1 + e) ** 2


def sigmoid_derivative_minus_square(z):
    s = sigmoid(z)
    return s - s**2


def test_sigmoid_derivative_variants():
    _passes(checks.check_sigmoid_derivative, sigmoid_derivative_exp)
    _passes(checks.check_sigmoid_derivative, sigmoid_derivative_minus_square)


def test_sigmoid_derivative_of_activation():
    _fails_with(checks.check_sigmoid_derivative, lambda z: z * (1 - z), "ACTIVATION")


def test_sigmoid_derivative_missing_term():
    _fails_with(checks.check_sigmoid_derivative, lambda z: sigmoid(z), "a term is missing")
    _fails_with(checks.check_sigmoid_derivative, lambda z: 1.0 - sigmoid(z), "a term is missing")


def test_sigmoid_derivative_twice():
    def twice(z):
        a = sigmoid(z)
        return sigmoid(a) * (1 - sigmoid(a))

    _fails_with(checks.check_sigmoid_derivative, twice, "applied twice")


# --------------------------------------------------------------------------- tanh_derivative
def test_tanh_derivative_variants():
    _passes(checks.check_tanh_derivative, lambda z: 1 - np.tanh(z) ** 2)
    _passes(checks.check_tanh_derivative, lambda z: 1 / np.cosh(z) ** 2)
    _passes(checks.check_tanh_derivative, lambda z: 4 * sigmoid(2 * np.asarray(z)) * (
        1 - sigmoid(2 * np.asarray(z))))


def test_tanh_derivative_without_square():
    _fails_with(checks.check_tanh_derivative, lambda z: 1 - np.tanh(z), "the square is missing")


def test_tanh_derivative_of_activation():
    _fails_with(checks.check_tanh_derivative, lambda z: 1 - z * z, "ACTIVATION")


def test_tanh_derivative_square_inside():
    _fails_with(checks.check_tanh_derivative, lambda z: 1 - np.tanh(np.square(z)),
                "not its argument")


# --------------------------------------------------------------------------- mlp_loss
def mlp_loss_naive(X, y, weights, activation=sigmoid):
    zs, _ = mlp_forward(X, weights, activation)
    p = zs[-1].ravel()
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def mlp_loss_loop(X, y, weights, activation=sigmoid):
    a = X
    for index, W in enumerate(weights):
        z = np.hstack([a, np.ones((len(a), 1))]) @ W
        a = sigmoid(z) if index == len(weights) - 1 else activation(z)
    total = 0.0
    for p_i, y_i in zip(a[:, 0], y, strict=True):
        total += -np.log(p_i) if y_i == 1 else -np.log(1 - p_i)
    return total / len(y)


def mlp_loss_clipped(X, y, weights, activation=sigmoid):
    p = np.clip(mlp_forward(X, weights, activation)[0][-1].ravel(), 1e-7, 1 - 1e-7)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def test_mlp_loss_variants():
    _passes(checks.check_mlp_loss, mlp_loss_loop)
    _passes(checks.check_mlp_loss, lambda X, y, weights, activation=sigmoid: float(np.mean(
        ref.softplus(mlp_forward(X, weights, activation)[1][-1].ravel())
        - y * mlp_forward(X, weights, activation)[1][-1].ravel())))
    result = _passes(checks.check_mlp_loss, mlp_loss_clipped)
    assert "note: clipping p passes here" in result.message


def test_mlp_loss_unclipped_log_fails_on_saturated_outputs():
    result = _fails_with(checks.check_mlp_loss, mlp_loss_naive, "outputs saturate",
                         "divide by zero encountered in log", "log(0) = -inf", "stable form")
    assert "case 6 of 6" in result.message


def test_mlp_loss_column_against_vector():
    def column(X, y, weights, activation=sigmoid):
        p = mlp_forward(X, weights, activation)[0][-1]  # (n, 1)
        return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))

    _fails_with(checks.check_mlp_loss, column, "(n, n)")


def test_mlp_loss_activation_not_passed():
    def forgets(X, y, weights, activation=sigmoid):
        return mlp_loss_naive(X, y, weights)

    _fails_with(checks.check_mlp_loss, forgets, "pass `activation` on")


def test_mlp_loss_sum():
    def summed(X, y, weights, activation=sigmoid):
        return mlp_loss_naive(X, y, weights, activation) * len(y)

    _fails_with(checks.check_mlp_loss, summed, "MEAN")


# --------------------------------------------------------------------------- output_delta
def test_output_delta_variants():
    _passes(checks.check_output_delta, lambda p, y: -(y - p))
    _passes(checks.check_output_delta, lambda p, y: np.subtract(p, y))


def test_output_delta_slide_sign():
    _fails_with(checks.check_output_delta, lambda p, y: y - p, "slide's `y - p`")


def test_output_delta_mse():
    _fails_with(checks.check_output_delta, lambda p, y: 2 * (p - y) * p * (1 - p),
                "mean squared error")
    _fails_with(checks.check_output_delta, lambda p, y: 2 * (y - p), "slide's MSE")


# --------------------------------------------------------------------------- hidden_delta
def hidden_delta_einsum(z_lin, W_next, delta_next, activation_derivative):
    return activation_derivative(z_lin) * np.einsum("nk,jk->nj", delta_next, W_next[:-1])


def hidden_delta_loops(z_lin, W_next, delta_next, activation_derivative):
    n, d = z_lin.shape
    out = np.zeros((n, d))
    for i in range(n):
        for j in range(d):
            out[i, j] = activation_derivative(z_lin[i, j]) * np.dot(W_next[j], delta_next[i])
    return out


def test_hidden_delta_variants():
    _passes(checks.check_hidden_delta, hidden_delta_einsum)
    _passes(checks.check_hidden_delta, hidden_delta_loops)


def test_hidden_delta_without_derivative():
    _fails_with(checks.check_hidden_delta, lambda z, W, d, f: d @ W[:-1].T,
                "activation derivative is missing")


def test_hidden_delta_keeps_bias_row():
    _fails_with(checks.check_hidden_delta, lambda z, W, d, f: f(z) * np.dot(d, W.T),
                "drop the bias row")


def test_hidden_delta_drops_first_row():
    _fails_with(checks.check_hidden_delta, lambda z, W, d, f: f(z) * (d @ W[1:].T),
                "not `W_next[1:]`")


def test_hidden_delta_uses_sigmoid_whatever():
    def fixed(z, W, d, f):
        s = sigmoid(z)
        return s * (1 - s) * (d @ W[:-1].T)

    _fails_with(checks.check_hidden_delta, fixed, "use the `activation_derivative` argument")


# --------------------------------------------------------------------------- weight_gradient
def weight_gradient_einsum(layer_input, delta):
    n = len(layer_input)
    return np.einsum("ni,nj->ij", np.column_stack([layer_input, np.ones(n)]), delta) / n


def weight_gradient_outer(layer_input, delta):
    total = 0
    for x_i, d_i in zip(layer_input, delta, strict=True):
        total = total + np.outer(np.append(x_i, 1.0), d_i)
    return total / len(delta)


def test_weight_gradient_variants():
    _passes(checks.check_weight_gradient, weight_gradient_einsum)
    _passes(checks.check_weight_gradient, weight_gradient_outer)


def test_weight_gradient_without_bias_row():
    _fails_with(checks.check_weight_gradient, lambda Z, d: Z.T @ d / len(Z),
                "the bias row is missing")


def test_weight_gradient_summed():
    _fails_with(checks.check_weight_gradient, lambda Z, d: add_bias(Z).T @ d, "MEAN")


def test_weight_gradient_bias_first():
    def first(Z, d):
        return np.hstack([np.ones((len(Z), 1)), Z]).T @ d / len(Z)

    _fails_with(checks.check_weight_gradient, first, "LAST row")


# --------------------------------------------------------------------------- backprop
def backprop_other_loop(X, y, weights, activation=sigmoid,
                        activation_derivative=ref.sigmoid_derivative):
    """Moves the delta down at the top of the loop, for the layer about to be handled."""
    zs, z_lins = mlp_forward(X, weights, activation)
    delta = zs[-1] - y[:, None]
    grads = []
    for layer in reversed(range(len(weights))):
        if layer < len(weights) - 1:
            delta = activation_derivative(z_lins[layer]) * (delta @ weights[layer + 1][:-1].T)
        grads.insert(0, np.einsum("ni,nj->ij", add_bias(zs[layer]), delta) / len(X))
    return grads


def backprop_recursive(X, y, weights, activation=sigmoid,
                       activation_derivative=ref.sigmoid_derivative):
    def down(layer_input, layer):
        z_lin = add_bias(layer_input) @ weights[layer]
        if layer == len(weights) - 1:
            delta = sigmoid(z_lin) - y.reshape(-1, 1)
            return delta, [add_bias(layer_input).T @ delta / len(X)]
        upper_delta, upper = down(activation(z_lin), layer + 1)
        delta = activation_derivative(z_lin) * (upper_delta @ weights[layer + 1][:-1].T)
        return delta, [add_bias(layer_input).T @ delta / len(X), *upper]

    return down(X, 0)[1]


def test_backprop_variants():
    _passes(checks.check_backprop, backprop_other_loop)
    _passes(checks.check_backprop, backprop_recursive)


def test_backprop_sign_flipped():
    def flipped(X, y, weights, activation=sigmoid, activation_derivative=ref.sigmoid_derivative):
        return [-G for G in backprop_other_loop(X, y, weights, activation, activation_derivative)]

    _fails_with(checks.check_backprop, flipped, "opposite sign")


def test_backprop_without_propagating_deltas():
    def lazy(X, y, weights, activation=sigmoid, activation_derivative=ref.sigmoid_derivative):
        zs, z_lins = mlp_forward(X, weights, activation)
        delta = zs[-1] - y.reshape(-1, 1)
        grads = [None] * len(weights)
        for layer in range(len(weights) - 1, -1, -1):
            grads[layer] = add_bias(zs[layer]).T @ delta / len(X)
            # forgot: delta = hidden_delta(...)
        return grads

    _fails_with(checks.check_backprop, lazy, "every layer used the output delta")


def test_backprop_delta_moved_too_early():
    def early(X, y, weights, activation=sigmoid, activation_derivative=ref.sigmoid_derivative):
        zs, z_lins = mlp_forward(X, weights, activation)
        delta = zs[-1] - y.reshape(-1, 1)
        grads = [None] * len(weights)
        for layer in range(len(weights) - 1, -1, -1):
            if layer > 0:
                delta = activation_derivative(z_lins[layer - 1]) * (delta @ weights[layer][:-1].T)
            grads[layer] = add_bias(zs[layer]).T @ delta / len(X)
        return grads

    _fails_with(checks.check_backprop, early, "only then move the delta down")


def test_backprop_hidden_without_derivative():
    def no_derivative(X, y, weights, activation=sigmoid,
                      activation_derivative=ref.sigmoid_derivative):
        return backprop_other_loop(X, y, weights, activation, lambda z: np.ones_like(z))

    _fails_with(checks.check_backprop, no_derivative, "need the activation derivative")


def test_backprop_y_not_a_column():
    def vector(X, y, weights, activation=sigmoid, activation_derivative=ref.sigmoid_derivative):
        zs, z_lins = mlp_forward(X, weights, activation)
        delta = zs[-1] - y  # (n, n)
        grads = [None] * len(weights)
        for layer in range(len(weights) - 1, -1, -1):
            grads[layer] = add_bias(zs[layer]).T @ delta / len(X)
            if layer > 0:
                delta = activation_derivative(z_lins[layer - 1]) * (delta @ weights[layer][:-1].T)
        return grads

    _fails_with(checks.check_backprop, vector, "y.reshape(-1, 1)")


def test_backprop_ignores_tanh():
    def always_sigmoid(X, y, weights, activation=sigmoid,
                       activation_derivative=ref.sigmoid_derivative):
        return backprop_other_loop(X, y, weights, activation, ref.sigmoid_derivative)

    _fails_with(checks.check_backprop, always_sigmoid, "pass `activation_derivative` on")


def backprop_appending(X, y, weights, activation=sigmoid,
                       activation_derivative=ref.sigmoid_derivative, stop=-1, start=None,
                       input_offset=0):
    """The usual attendee loop, appending; ``stop``, ``start`` and ``input_offset`` break it."""
    zs, z_lins = mlp_forward(X, weights, activation)
    delta = zs[-1] - y.reshape(-1, 1)
    grads = []
    first = len(weights) - 1 if start is None else start
    for layer in range(first, stop, -1):
        grads.append(add_bias(zs[layer + input_offset]).T @ delta / len(X))
        if layer > 0:
            delta = activation_derivative(z_lins[layer - 1]) * (delta @ weights[layer][:-1].T)
    return grads[::-1]


def test_backprop_in_reverse_order():
    def reversed_grads(X, y, weights, activation=sigmoid,
                       activation_derivative=ref.sigmoid_derivative):
        return backprop_appending(X, y, weights, activation, activation_derivative)[::-1]

    result = _fails_with(checks.check_backprop, reversed_grads, "in reverse order",
                         "item 0 belongs to the first layer")
    # the general hint that follows says what to do in words, never the algorithm as code
    assert "hidden_delta(z_lins" not in result.message and "range(len(" not in result.message


def test_backprop_loop_stops_one_layer_early():
    def preallocated(X, y, weights, activation=sigmoid,
                     activation_derivative=ref.sigmoid_derivative):
        zs, z_lins = mlp_forward(X, weights, activation)
        delta = zs[-1] - y.reshape(-1, 1)
        grads = [None] * len(weights)
        for layer in range(len(weights) - 1, 0, -1):
            grads[layer] = add_bias(zs[layer]).T @ delta / len(X)
            delta = activation_derivative(z_lins[layer - 1]) * (delta @ weights[layer][:-1].T)
        return grads

    _fails_with(checks.check_backprop, preallocated, "item 0 is None", "stops one layer early")
    # appending: a multi-layer case shows the first layer's item missing
    def appending(X, y, weights, activation=sigmoid, activation_derivative=ref.sigmoid_derivative):
        if len(weights) == 1:  # get past the first case, to the structural diagnosis
            return backprop_appending(X, y, weights, activation, activation_derivative)
        return backprop_appending(X, y, weights, activation, activation_derivative, stop=0)

    _fails_with(checks.check_backprop, appending, "FIRST layer's item is missing",
                "stop one layer early")


def test_backprop_loop_starts_past_the_last_layer():
    def from_len(X, y, weights, activation=sigmoid, activation_derivative=ref.sigmoid_derivative):
        return backprop_appending(X, y, weights, activation, activation_derivative,
                                  start=len(weights))

    _fails_with(checks.check_backprop, from_len, "IndexError", "starts at the last one")


def test_backprop_next_layer_as_input():
    def next_input(X, y, weights, activation=sigmoid, activation_derivative=ref.sigmoid_derivative):
        return backprop_appending(X, y, weights, activation, activation_derivative,
                                  input_offset=1)

    _fails_with(checks.check_backprop, next_input, "`zs[l + 1]` is the layer's OUTPUT")


BACKPROP_CELLS = """
import numpy as np
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid
from helpers.reference.neural_networks import init_weights, mlp_forward


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def output_delta(p, y):
    return {output_delta}


def hidden_delta(z_lin, W_next, delta_next, activation_derivative):
    return activation_derivative(z_lin) * (delta_next @ W_next[:-1].T)


def weight_gradient(layer_input, delta):
    return add_bias(layer_input).T @ delta / len(layer_input)


def mlp_loss(X, y, weights, activation=sigmoid):
    z = mlp_forward(X, weights, activation)[1][-1][:, 0]
    return {mlp_loss}


def backprop(X, y, weights, activation=sigmoid, activation_derivative=sigmoid_derivative):
    zs, z_lins = mlp_forward(X, weights, activation)
    delta = output_delta(zs[-1], y.reshape(-1, 1))
    grads = [None] * len(weights)
    for layer in range(len(weights) - 1, -1, -1):
        grads[layer] = weight_gradient(zs[layer], delta)
        if layer > 0:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta, activation_derivative)
    return grads


def train_mlp(X, y, hidden_sizes, learning_rate, n_iter, rng, activation=sigmoid,
              activation_derivative=sigmoid_derivative, init_scale=None, weights=None,
              callback=None):
    if weights is None:
        weights = init_weights({sizes}, rng, init_scale)
    weights = [W.copy() for W in weights]
    losses = []
    for k in range(n_iter):
        losses.append(mlp_loss(X, y, weights, activation))
        grads = backprop(X, y, weights, activation, activation_derivative)
        weights = [W - learning_rate * G for W, G in zip(weights, grads)]
        if callback is not None:
            callback(k, weights, losses[-1])
    return weights, losses
"""
RIGHT = {"output_delta": "p - y", "mlp_loss": "float(np.mean(np.logaddexp(0.0, z) - y * z))",
         "sizes": "[X.shape[1], *hidden_sizes, 1]"}


def test_a_notebook_with_every_function_right_passes():
    cells = notebook(BACKPROP_CELLS.format(**RIGHT))
    for name in ("output_delta", "mlp_loss", "backprop", "train_mlp"):
        _passes(getattr(checks, f"check_{name}"), cells[name])


def test_backprop_names_the_failing_output_delta_first():
    cells = notebook(BACKPROP_CELLS.format(**RIGHT | {"output_delta": "y - p"}))
    result = _fails_with(checks.check_backprop, cells["backprop"],
                         "backprop calls your `output_delta`, which fails its own check",
                         "fix `output_delta` first")
    assert result.message.index("output_delta") < result.message.index("case ")


@pytest.mark.parametrize(("sizes", "cause"), [
    ("[len(X), *hidden_sizes, 1]", "the number of SAMPLES"),
    ("[X.shape[0], *hidden_sizes, 1]", "the number of SAMPLES"),
    ("[*hidden_sizes, 1]", "they start with the hidden sizes"),
    ("[X.shape[1], hidden_sizes, 1]", "the `*` unpacks hidden_sizes"),
])
def test_train_mlp_wrong_layer_sizes_are_named_end_to_end(sizes, cause):
    """The error surfaces inside the attendee's mlp_loss (or in init_weights); the feedback shows
    where train_mlp called it with which shapes, and names the layer sizes as the cause."""
    cells = notebook(BACKPROP_CELLS.format(**RIGHT | {"sizes": sizes}))
    result = _fails_with(checks.check_train_mlp, cells["train_mlp"], "the layer sizes", cause,
                         "[X.shape[1], *hidden_sizes, 1]")
    assert "fails its own check" not in result.message  # mlp_loss and backprop are right
    if "hidden_sizes, 1]" in sizes and "*" in sizes:  # raised in mlp_loss: the call site shows
        assert "raised in mlp_loss" in result.message
        assert "called from train_mlp" in result.message
        assert "losses.append(mlp_loss(X, y, weights, activation))" in result.message
        assert "weights = [array (" in result.message


def test_train_mlp_names_the_failing_mlp_loss_first():
    cells = notebook(BACKPROP_CELLS.format(**RIGHT | {
        "mlp_loss": "float(np.sum(np.logaddexp(0.0, z) - y * z))"}))
    _fails_with(checks.check_train_mlp, cells["train_mlp"],
                "train_mlp calls your `mlp_loss`, which fails its own check")


# --------------------------------------------------------------------------- train_mlp
def train_mlp_other(X, y, hidden_sizes, learning_rate, n_iter, rng, activation=sigmoid,
                    activation_derivative=ref.sigmoid_derivative, init_scale=None, weights=None,
                    callback=None):
    """Correct, written differently: its own Xavier-like start, a while loop, a loss array."""
    if weights is None:
        sizes = [X.shape[1], *hidden_sizes, 1]
        weights = [rng.normal(0, 1 / np.sqrt(a), size=(a + 1, b)) if init_scale is None
                   else rng.uniform(-init_scale, init_scale, size=(a + 1, b))
                   for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    current = [W.copy() for W in weights]
    losses = np.zeros(n_iter)
    step = 0
    while step < n_iter:
        losses[step] = ref.mlp_loss(X, y, current, activation)
        grads = ref.backprop(X, y, current, activation, activation_derivative)
        current = [W - learning_rate * G for W, G in zip(current, grads, strict=True)]
        if callback:
            callback(step, current, losses[step])
        step += 1
    return current, losses


def test_train_mlp_variant():
    _passes(checks.check_train_mlp, train_mlp_other)


def test_train_mlp_in_place_update():
    def in_place(X, y, hidden_sizes, learning_rate, n_iter, rng, activation=sigmoid,
                 activation_derivative=ref.sigmoid_derivative, init_scale=None, weights=None,
                 callback=None):
        if weights is None:
            weights = init_weights([X.shape[1], *hidden_sizes, 1], rng, init_scale)
        losses = []
        for step in range(n_iter):
            losses.append(ref.mlp_loss(X, y, weights, activation))
            for W, G in zip(weights, ref.backprop(X, y, weights, activation,
                                                  activation_derivative), strict=True):
                W -= learning_rate * G
            if callback:
                callback(step, weights, losses[-1])
        return weights, losses

    _fails_with(checks.check_train_mlp, in_place, "copy them first")


def test_train_mlp_loss_after_update():
    def after(X, y, hidden_sizes, learning_rate, n_iter, rng, activation=sigmoid,
              activation_derivative=ref.sigmoid_derivative, init_scale=None, weights=None,
              callback=None):
        current, _ = train_mlp_other(X, y, hidden_sizes, learning_rate, n_iter, rng,
                                     activation, activation_derivative, weights=weights)
        history = []
        w = [W.copy() for W in weights] if weights is not None else None
        for _ in range(n_iter):
            w, _ = train_mlp_other(X, y, hidden_sizes, learning_rate, 1, rng, activation,
                                   activation_derivative, weights=w)
            history.append(ref.mlp_loss(X, y, w, activation))
        return current, history

    _fails_with(checks.check_train_mlp, after, "BEFORE update k")


def test_train_mlp_ascent():
    def ascent(X, y, hidden_sizes, learning_rate, n_iter, rng, **kwargs):
        return train_mlp_other(X, y, hidden_sizes, -learning_rate, n_iter, rng, **kwargs)

    _fails_with(checks.check_train_mlp, ascent, "AGAINST the gradient")


def test_train_mlp_not_deterministic():
    def global_random(X, y, hidden_sizes, learning_rate, n_iter, rng, **kwargs):
        if kwargs.get("weights") is None:
            sizes = [X.shape[1], *hidden_sizes, 1]
            kwargs["weights"] = [np.random.uniform(-1, 1, size=(a + 1, b))
                                 for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        return train_mlp_other(X, y, hidden_sizes, learning_rate, n_iter, rng, **kwargs)

    _fails_with(checks.check_train_mlp, global_random, "different results")


def test_train_mlp_ignores_given_weights():
    def fresh(X, y, hidden_sizes, learning_rate, n_iter, rng, weights=None, **kwargs):
        return train_mlp_other(X, y, hidden_sizes, learning_rate, n_iter, rng, **kwargs)

    _fails_with(checks.check_train_mlp, fresh, "start from a copy of the given weights")


def test_train_mlp_without_callback_calls():
    def silent(X, y, hidden_sizes, learning_rate, n_iter, rng, callback=None, **kwargs):
        return train_mlp_other(X, y, hidden_sizes, learning_rate, n_iter, rng, **kwargs)

    _fails_with(checks.check_train_mlp, silent, "callback should be called")


def test_train_mlp_wrong_number_of_losses():
    def short(*args, **kwargs):
        weights, losses = train_mlp_other(*args, **kwargs)
        return weights, losses[1:]

    _fails_with(checks.check_train_mlp, short, "losses")


# --------------------------------------------------------------------------- reference helpers
def test_flatten_and_unflatten_round_trip():
    rng = np.random.default_rng(0)
    weights = init_weights([3, 4, 2, 1], rng, scale=1.0)
    vector = ref.flatten_weights(weights)
    assert vector.shape == (16 + 10 + 3,)
    back = ref.unflatten_weights(vector, [W.shape for W in weights])
    for W, V in zip(weights, back, strict=True):
        np.testing.assert_array_equal(W, V)
    with pytest.raises(ValueError, match="cannot fill"):
        ref.unflatten_weights(vector[:-1], [W.shape for W in weights])


def test_whole_network_gradient_through_flat_vector():
    rng = np.random.default_rng(1)
    weights = init_weights([2, 3, 2, 1], rng, scale=1.0)
    X = rng.normal(size=(6, 2))
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
    shapes = [W.shape for W in weights]

    def loss(v):
        return ref.mlp_loss(X, y, ref.unflatten_weights(v, shapes), tanh)

    analytic = ref.flatten_weights(ref.backprop(X, y, weights, tanh, ref.tanh_derivative))
    numeric = numerical_gradient(loss, ref.flatten_weights(weights))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_mlp_predict_proba():
    rng = np.random.default_rng(2)
    weights = init_weights([2, 5, 1], rng)
    X = rng.normal(size=(7, 2))
    p = ref.mlp_predict_proba(X, weights, tanh)
    assert p.shape == (7,)
    np.testing.assert_allclose(p, sigmoid(add_bias(tanh(add_bias(X) @ weights[0])) @ weights[1])
                               [:, 0])


def test_train_mlp_ignoring_init_scale_is_caught():
    def ignores_scale(X, y, hidden_sizes, learning_rate, n_iter, rng, init_scale=None, **kwargs):
        return ref.train_mlp(X, y, hidden_sizes, learning_rate, n_iter, rng, **kwargs)

    _fails_with(checks.check_train_mlp, ignores_scale, "was init_scale passed to init_weights")


# --------------------------------------------------------------------------- relu
def test_relu_variants():
    _passes(checks.check_relu, lambda z: np.maximum(z, 0.0))
    _passes(checks.check_relu, lambda z: np.where(np.asarray(z) > 0, z, 0.0) * 1.0)
    _passes(checks.check_relu, lambda z: (np.asarray(z) + np.abs(z)) / 2)
    _passes(checks.check_relu, lambda z: np.clip(z, 0.0, None))

    def copy_then_zero(z):
        out = np.array(z, dtype=float)
        out[out < 0] = 0.0
        return out

    _passes(checks.check_relu, copy_then_zero)


def test_relu_loop_passes_with_a_note():
    def loop(z):
        flat = np.asarray(z, dtype=float)
        return np.array([v if v > 0 else 0.0 for v in flat.ravel()]).reshape(flat.shape)

    result = _passes(checks.check_relu, loop)
    assert "note: a Python loop works" in result.message


def test_relu_python_max():
    _fails_with(checks.check_relu, lambda z: max(0, z), "ValueError",
                "Python's `max(z, 0)` compares the whole array")


def test_relu_np_max():
    _fails_with(checks.check_relu, lambda z: np.max(z, axis=0), "a reduction")


def test_relu_in_place():
    def in_place(z):
        z[z < 0] = 0
        return z

    _fails_with(checks.check_relu, in_place, "modified its input", "writes into the caller's")


def test_relu_keeps_integers():
    _fails_with(checks.check_relu, lambda z: np.maximum(z, 0), "integer array relu returned",
                "the result is float")


# --------------------------------------------------------------------------- relu_derivative
def test_relu_derivative_variants():
    _passes(checks.check_relu_derivative, lambda z: np.where(np.asarray(z) > 0, 1.0, 0.0))
    _passes(checks.check_relu_derivative, lambda z: np.heaviside(z, 0.0))
    _passes(checks.check_relu_derivative, lambda z: (np.asarray(z) > 0) * 1.0)


def test_relu_derivative_one_at_the_kink():
    _fails_with(checks.check_relu_derivative, lambda z: np.heaviside(z, 1.0),
                "the convention is 0", "`z > 0`, not `z >= 0`")


def test_relu_derivative_booleans():
    _fails_with(checks.check_relu_derivative, lambda z: np.asarray(z) > 0,
                "a comparison gives booleans")


def test_relu_derivative_of_the_activation_is_relu():
    _fails_with(checks.check_relu_derivative, lambda z: np.maximum(z, 0.0),
                "that is relu(z) itself")


def test_relu_derivative_sign():
    _fails_with(checks.check_relu_derivative, lambda z: np.sign(z), "np.sign gives -1")


# --------------------------------------------------------------------------- local_derivatives
def local_derivatives_dict(op, x, y=None):
    """Correct, written as a table of lambdas, with numpy instead of math."""
    sig = 1 / (1 + np.exp(-np.clip(x, -500, 500)))
    table = {
        "+": lambda: (1.0, 1.0),
        "*": lambda: (y, x),
        "**": lambda: (y * x ** (y - 1),),
        "exp": lambda: (np.exp(x),),
        "log": lambda: (1 / x,),
        "tanh": lambda: (1 / np.cosh(x) ** 2,),
        "sigmoid": lambda: (sig * (1 - sig),),
    }
    return table[op]()


def test_local_derivatives_variant():
    _passes(checks.check_local_derivatives, local_derivatives_dict)


def test_local_derivatives_product_swapped():
    def swapped(op, x, y=None):
        return (y, x)[::-1] if op == "*" else local_derivatives_dict(op, x, y)

    _fails_with(checks.check_local_derivatives, swapped, "the OTHER input")


def test_local_derivatives_bare_number():
    def bare(op, x, y=None):
        result = local_derivatives_dict(op, x, y)
        return result if len(result) == 2 else result[0]

    _fails_with(checks.check_local_derivatives, bare, "also when the operation has ONE",
                "trailing comma")


def test_local_derivatives_power_rule():
    def no_factor(op, x, y=None):
        return (x ** (y - 1),) if op == "**" else local_derivatives_dict(op, x, y)

    _fails_with(checks.check_local_derivatives, no_factor, "bring the exponent down")


def test_local_derivatives_tanh_of_the_output():
    def of_output(op, x, y=None):
        return (1 - x * x,) if op == "tanh" else local_derivatives_dict(op, x, y)

    _fails_with(checks.check_local_derivatives, of_output, "written with the OUTPUT")


def test_local_derivatives_naive_sigmoid_overflows():
    def naive(op, x, y=None):
        if op == "sigmoid":
            s = 1 / (1 + math.exp(-x))
            return (s * (1 - s),)
        return local_derivatives_dict(op, x, y)

    _fails_with(checks.check_local_derivatives, naive, "OverflowError", "stable `sigmoid(x)`")


# --------------------------------------------------------------------------- topological_order
def topological_order_recursive(root):
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    return order


def topological_order_kahn(root):
    """Correct, written differently: Kahn's algorithm (its order differs where several exist)."""
    nodes, stack, seen = [], [root], set()
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            nodes.append(node)
            stack.extend(node.parents)
    waiting = {id(n): len({id(p) for p in n.parents}) for n in nodes}
    children = {id(n): [] for n in nodes}
    for node in nodes:
        for parent in {id(p): p for p in node.parents}.values():
            children[id(parent)].append(node)
    ready = [n for n in nodes if waiting[id(n)] == 0]
    order = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for child in children[id(node)]:
            waiting[id(child)] -= 1
            if waiting[id(child)] == 0:
                ready.append(child)
    return order


def test_topological_order_variants():
    _passes(checks.check_topological_order, topological_order_recursive)
    _passes(checks.check_topological_order, topological_order_kahn)


def test_topological_order_without_visited_set():
    def repeats(root):
        order = []

        def visit(node):
            for parent in node.parents:
                visit(parent)
            order.append(node)

        visit(root)
        return order

    _fails_with(checks.check_topological_order, repeats, "listed several times",
                "a set of the nodes already visited")


def test_topological_order_node_before_parents():
    def pre_order(root):
        order = []

        def visit(node):
            if node not in order:
                order.append(node)
                for parent in node.parents:
                    visit(parent)

        visit(root)
        return order

    _fails_with(checks.check_topological_order, pre_order, "appended BEFORE its parents")


def test_topological_order_values_instead_of_nodes():
    def values(root):
        return [node.data for node in topological_order_recursive(root)]

    _fails_with(checks.check_topological_order, values, "not their `.data`")


def test_topological_order_wrong_on_a_graph_with_several_orders():
    def leaves_last(root):
        order = topological_order_recursive(root)
        if len(order) == 6:  # only the sigmoid(w*x + b) graph: put the leaf b at the end
            order.append(order.pop(order.index(root.parents[0].parents[1])))
        return order

    _fails_with(checks.check_topological_order, leaves_last, "'z = w*x + b' comes before its "
                "parent 'b'", "only after all its parents")


# --------------------------------------------------------------------------- gradients
GRADIENTS_CELLS = """
def topological_order(root):
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    return {order}


def gradients(root):
    grads = {{node: 0.0 for node in topological_order(root)}}
    grads[root] = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            grads[parent] {update} local * grads[node]
    return grads
"""


def test_gradients_variant_and_with_the_attendees_topological_order():
    cells = notebook(GRADIENTS_CELLS.format(order="order", update="+="))
    _passes(checks.check_topological_order, cells["topological_order"])
    _passes(checks.check_gradients, cells["gradients"])


def test_gradients_overwrite():
    cells = notebook(GRADIENTS_CELLS.format(order="order", update="="))
    _fails_with(checks.check_gradients, cells["gradients"], "the SUM of what each path brings")


def test_gradients_names_the_failing_topological_order_first():
    cells = notebook(GRADIENTS_CELLS.format(order="order[::-1]", update="+="))
    _fails_with(checks.check_gradients, cells["gradients"],
                "gradients calls your `topological_order`, which fails its own check")


def test_gradients_forward_order():
    def forward(root):
        order = topological_order_recursive(root)
        grads = dict.fromkeys(order, 0.0)
        grads[root] = 1.0
        for node in order:
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                grads[parent] += local * grads[node]
        return grads

    _fails_with(checks.check_gradients, forward, "the REVERSE of the topological order")


def test_gradients_without_seed():
    def no_seed(root):
        order = topological_order_recursive(root)
        grads = {node: 0.0 for node in order}
        for node in order[::-1]:
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                grads[parent] += local * grads[node]
        return grads

    _fails_with(checks.check_gradients, no_seed, "d root / d root = 1")


def test_gradients_only_leaves():
    def leaves(root):
        return {node: grad for node, grad in ref.gradients(root).items() if not node.parents}

    result = _fails_with(checks.check_gradients, leaves, "not only the leaves")
    assert "case 2 of" in result.message  # a single leaf (case 1) is right


def test_gradients_returns_the_grads_in_a_list():
    def listed(root):
        return list(ref.gradients(root).values())

    _fails_with(checks.check_gradients, listed, "not the expected value")


# --------------------------------------------------------------------------- challenges
def test_softplus_derivative():
    _passes(checks.check_softplus_derivative, lambda z: sigmoid(z))
    _passes(checks.check_softplus_derivative, lambda z: np.exp(-np.logaddexp(0.0, -np.asarray(
        z, dtype=float))))
    _fails_with(checks.check_softplus_derivative,
                lambda z: np.exp(z) / (1 + np.exp(z)), "overflow", "divide the numerator")
    _fails_with(checks.check_softplus_derivative, lambda z: 1 / (1 + np.exp(z)),
                "the inner derivative")


def regression_backprop_loop(X, y, weights, activation=tanh,
                             activation_derivative=ref.tanh_derivative, output="linear"):
    zs, z_lins = mlp_forward(X, weights, activation)
    y_hat = z_lins[-1] if output == "linear" else zs[-1]
    delta = 2 * (y_hat - y[:, None]) if output != "half" else (z_lins[-1] - y[:, None])
    grads = []
    for layer in reversed(range(len(weights))):
        grads.insert(0, add_bias(zs[layer]).T @ delta / len(X))
        if layer:
            delta = activation_derivative(z_lins[layer - 1]) * (delta @ weights[layer][:-1].T)
    return grads


def test_regression_backprop():
    _passes(checks.check_regression_backprop, regression_backprop_loop)
    _fails_with(checks.check_regression_backprop,
                lambda X, y, weights, activation=tanh, activation_derivative=ref.tanh_derivative:
                regression_backprop_loop(X, y, weights, activation, activation_derivative,
                                         output="sigmoid"),
                "the output is LINEAR now")
    _fails_with(checks.check_regression_backprop,
                lambda X, y, weights, activation=tanh, activation_derivative=ref.tanh_derivative:
                regression_backprop_loop(X, y, weights, activation, activation_derivative,
                                         output="half"),
                "the factor 2 is missing")


def test_divide():
    _passes(checks.check_divide, lambda a, b: Value(a.data / b.data, (a, b),
                                                    (1 / b.data, -a.data / b.data ** 2)))
    # the parents the other way round, each with its own local derivative: also right
    _passes(checks.check_divide, lambda a, b: Value(a.data / b.data, (b, a),
                                                    (-a.data / b.data ** 2, 1 / b.data), "/"))
    # through the other operations: a * b ** -1 records its own (correct) graph
    # a / b through * and ** has the right gradients, but is not one new operation
    _fails_with(checks.check_divide, lambda a, b: a * b ** -1, "ONE new operation")
    _fails_with(checks.check_divide, lambda a, b: a.data / b.data, "not the number")
    _fails_with(checks.check_divide, lambda a, b: Value(a.data / b.data, (a, b),
                                                        (1 / b.data, a.data / b.data ** 2)),
                "is NEGATIVE")
