"""The checks of notebook 04 accept correct code written several ways and name each usual mistake.

The wrong functions here are written independently of the checker's own mistake catalogue, the way
an attendee might write them. Also tests the helpers added to ``helpers.reference.backpropagation``.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import backpropagation as checks
from helpers.gradcheck import numerical_gradient
from helpers.reference import backpropagation as ref
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid
from helpers.reference.neural_networks import init_weights, mlp_forward, tanh


def _stub(*args, **kwargs):
    raise NotImplementedError("Replace this line with your code.")


def _passes(check, fn):
    result = check(fn)
    assert result, result.message
    return result


def _fails_with(check, fn, phrase):
    result = check(fn)
    assert not result
    assert phrase in result.message, result.message
    return result


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


def test_mlp_loss_variants():
    _passes(checks.check_mlp_loss, mlp_loss_naive)
    _passes(checks.check_mlp_loss, mlp_loss_loop)


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

    _fails_with(checks.check_train_mlp, fresh, "start from a copy of `weights`")


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
