"""Checks for notebook 04, backpropagation and training an MLP.

Each checker is a declaration on :mod:`helpers.checks.engine`: hand-made cases (small enough to
verify by hand), random cases drawn from a seeded generator, and the usual mistakes of the
exercise, each written as a tiny wrong implementation with the hint that gets an attendee unstuck.
Expected values come from :mod:`helpers.reference.backpropagation`, except for ``backprop``, whose
expected gradients are numerical gradients of the reference ``mlp_loss`` (central differences),
on random networks with 1, 2 and 3 weight matrices and sigmoid or tanh hidden units.
``train_mlp`` is checked exactly when it starts from given weights, and by its properties (shapes,
a decreasing loss, determinism, the callback) from a random start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers.checks.compare import Tolerance, compare
from helpers.checks.engine import Case, Exercise, Mistake, make_check
from helpers.feedback import short_type
from helpers.gradcheck import numerical_gradient
from helpers.reference import backpropagation as ref
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid
from helpers.reference.neural_networks import init_weights, mlp_forward, tanh


# --------------------------------------------------------------------------- sigmoid_derivative
def _derivative_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: z = 2 (a single number)", (2.0,)),
        Case("hand-made: z = [-2, -1, 0, 1, 2]", (np.array([-2.0, -1.0, 0.0, 1.0, 2.0]),)),
        Case("hand-made: large |z| (saturated units)", (np.array([-30.0, -8.0, 8.0, 30.0]),)),
        Case("random: a (4, 3) matrix of linear combinations", (rng.normal(0, 2, size=(4, 3)),)),
    ]


_s = sigmoid

check_sigmoid_derivative = make_check(Exercise(
    name="sigmoid_derivative",
    reference=ref.sigmoid_derivative,
    cases=_derivative_cases,
    mistakes=[
        Mistake("applied to the activation", lambda z: z * (1 - z),
                "`z * (1 - z)` is the derivative written in terms of the ACTIVATION "
                "s = sigmoid(z). Here the argument is the linear combination z: compute "
                "`s = sigmoid(z)` first, then `s * (1 - s)`."),
        Mistake("sigmoid of the activation", lambda z: _s(_s(z)) * (1 - _s(_s(z))),
                "sigmoid is applied twice: the argument is already the linear combination z, so "
                "`s = sigmoid(z)` once, then `s * (1 - s)`."),
        Mistake("mixed s and z", lambda z: _s(z) * (1 - z),
                "both factors use sigmoid(z): `sigmoid(z) * (1 - sigmoid(z))`, not `(1 - z)`."),
        Mistake("only s", lambda z: _s(z),
                "a term is missing: the derivative is `sigmoid(z) * (1 - sigmoid(z))`, not "
                "sigmoid(z) alone."),
        Mistake("only 1 - s", lambda z: 1 - _s(z),
                "a term is missing: the derivative is `sigmoid(z) * (1 - sigmoid(z))`, not "
                "`1 - sigmoid(z)` alone."),
        Mistake("1 + s", lambda z: _s(z) * (1 + _s(z)),
                "check the sign inside the bracket: `sigmoid(z) * (1 - sigmoid(z))`."),
    ],
    hints=("the derivative of the sigmoid at z is `sigmoid(z) * (1 - sigmoid(z))` (see the "
         "derivation above the exercise).",),
))


# --------------------------------------------------------------------------- tanh_derivative
check_tanh_derivative = make_check(Exercise(
    name="tanh_derivative",
    reference=ref.tanh_derivative,
    cases=_derivative_cases,
    mistakes=[
        Mistake("no square", lambda z: 1 - tanh(z),
                "the square is missing: `1 - tanh(z) ** 2`."),
        Mistake("applied to the activation", lambda z: 1 - np.asarray(z) ** 2,
                "`1 - z ** 2` is the derivative written in terms of the ACTIVATION tanh(z). Here "
                "the argument is the linear combination z: `1 - tanh(z) ** 2`."),
        Mistake("square inside", lambda z: 1 - tanh(np.asarray(z) ** 2),
                "square the tanh, not its argument: `1 - tanh(z) ** 2`, not `1 - tanh(z ** 2)`."),
        Mistake("1 + tanh^2", lambda z: 1 + tanh(z) ** 2,
                "check the sign: the derivative is `1 - tanh(z) ** 2`, at most 1 (at z = 0)."),
        Mistake("sigmoid's derivative", lambda z: ref.sigmoid_derivative(z),
                "that is the sigmoid's derivative; tanh's is `1 - tanh(z) ** 2`."),
    ],
    hints=("the derivative of tanh at z is `1 - tanh(z) ** 2`.",),
))


# --------------------------------------------------------------------------- mlp_loss
def _network(rng: np.random.Generator, sizes: Sequence[int], scale: float = 1.0
             ) -> list[np.ndarray]:
    return init_weights(list(sizes), rng, scale=scale)


def _labels(rng: np.random.Generator, n: int) -> np.ndarray:
    y = (rng.random(n) < 0.5).astype(float)
    y[:2] = [0.0, 1.0]  # both classes, so that sign and broadcasting mistakes show
    return y


def _mlp_loss_cases(rng: np.random.Generator) -> list[Case]:
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([1.0, 0.0, 1.0])
    W1 = np.array([[0.5, -0.5], [0.5, 0.5], [0.0, 0.0]])  # talk-sized weights, bias row last
    W2 = np.array([[1.0], [-1.0], [0.5]])
    X5 = rng.normal(size=(6, 3))
    return [
        Case("hand-made: 2-2-1 network, 3 samples", (X, y, [W1, W2])),
        Case("random: 3-4-1 network, 6 samples", (X5, _labels(rng, 6), _network(rng, [3, 4, 1]))),
        Case("random: 3-4-3-1 network with tanh hidden units",
             (X5, _labels(rng, 6), _network(rng, [3, 4, 3, 1])), {"activation": tanh}),
        Case("random: no hidden layer (logistic regression), 5 samples",
             (rng.normal(size=(5, 2)), _labels(rng, 5), _network(rng, [2, 1]))),
    ]


def _output(X, weights, activation=sigmoid) -> np.ndarray:
    return mlp_forward(X, weights, activation)[0][-1]


def _loss_naive_column(X, y, weights, activation=sigmoid) -> float:
    p = _output(X, weights, activation)  # (n, 1) against y (n,): an (n, n) matrix
    return float(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))


def _loss_stable_column(X, y, weights, activation=sigmoid) -> float:
    z = mlp_forward(X, weights, activation)[1][-1]
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _loss_per_sample(X, y, weights, activation=sigmoid) -> np.ndarray:
    z = mlp_forward(X, weights, activation)[1][-1][:, 0]
    return np.logaddexp(0.0, z) - y * z


_BROADCAST_HINT = (
    "the network's output `zs[-1]` has shape (n, 1) and y has shape (n,): combining them "
    "broadcasts to an (n, n) matrix and the mean is taken over n * n wrong terms. Take the "
    "column `p = zs[-1][:, 0]` (or `.ravel()`) before comparing with y.")

check_mlp_loss = make_check(Exercise(
    name="mlp_loss",
    reference=ref.mlp_loss,
    cases=_mlp_loss_cases,
    mistakes=[
        Mistake("(n,1) vs (n,) broadcast", _loss_naive_column, _BROADCAST_HINT),
        Mistake("(n,1) vs (n,) broadcast, stable form", _loss_stable_column, _BROADCAST_HINT),
        Mistake("sum instead of mean", lambda X, y, weights, activation=sigmoid: float(
            np.sum(_loss_per_sample(X, y, weights, activation))),
            "the loss is the MEAN over the samples (`np.mean`), not the sum."),
        Mistake("mean squared error", lambda X, y, weights, activation=sigmoid: float(
            np.mean((_output(X, weights, activation)[:, 0] - y) ** 2)),
            "this is the mean squared error; mlp_loss is the binary cross-entropy "
            "`-mean(y log p + (1 - y) log(1 - p))`."),
        Mistake("activation not passed on", lambda X, y, weights, activation=sigmoid: float(
            np.mean(_loss_per_sample(X, y, weights))),
            "pass `activation` on to `mlp_forward(X, weights, activation)`: with tanh hidden "
            "units you computed a sigmoid network."),
        Mistake("positive log-likelihood", lambda X, y, weights, activation=sigmoid: -float(
            np.mean(_loss_per_sample(X, y, weights, activation))),
            "the cross-entropy has a minus sign in front: `-mean(y log p + (1 - y) log(1 - p))` "
            "is positive."),
    ],
    hints=("run `zs, z_lins = mlp_forward(X, weights, activation)`, take `p = zs[-1][:, 0]` and "
         "return the mean binary cross-entropy of p against y.",),
))


# --------------------------------------------------------------------------- output_delta
def _output_delta_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 3 samples",
             (np.array([[0.9], [0.2], [0.6]]), np.array([[1.0], [0.0], [0.0]]))),
        Case("random: 6 samples", (rng.uniform(0.01, 0.99, size=(6, 1)),
                                   _labels(rng, 6).reshape(-1, 1))),
    ]


check_output_delta = make_check(Exercise(
    name="output_delta",
    reference=ref.output_delta,
    cases=_output_delta_cases,
    mistakes=[
        Mistake("slide's sign", lambda p, y: y - p,
                "that is the slide's `y - p`, the NEGATIVE of the derivative. dL/dz_lin = p - y "
                "(see the derivation): with y - p, gradient descent would climb the loss."),
        Mistake("MSE form", lambda p, y: 2 * p * (1 - p) * (p - y),
                "`2 p (1 - p) (p - y)` is the delta for the mean squared error. With the "
                "cross-entropy the factor p (1 - p) cancels: the delta is simply `p - y`."),
        Mistake("MSE form, slide's sign", lambda p, y: 2 * (y - p),
                "`2 (y - p)` is the slide's MSE version (with the sign slip). Here the loss is the "
                "cross-entropy: the delta is simply `p - y`."),
        Mistake("MSE without sigmoid factor", lambda p, y: 2 * (p - y),
                "`2 (p - y)` is dL/dp for the squared error. For the cross-entropy with a sigmoid "
                "output, the delta dL/dz_lin is simply `p - y`."),
        Mistake("with sigmoid factor", lambda p, y: p * (1 - p) * (p - y),
                "the factor p (1 - p) of the sigmoid cancels with the cross-entropy's 1/(p (1 - "
                "p)): the delta is simply `p - y`."),
        Mistake("divided by n", lambda p, y: (p - y) / p.shape[0],
                "no division by n here: the delta is per sample, `p - y`; the mean over the "
                "samples is taken in weight_gradient."),
    ],
    hints=("the output delta is `p - y`, one row per sample, shape (n, 1).",),
))


# --------------------------------------------------------------------------- hidden_delta
def _hidden_delta_cases(rng: np.random.Generator) -> list[Case]:
    der_s, der_t = ref.sigmoid_derivative, ref.tanh_derivative
    return [
        # One hidden unit first: keeping the bias row then broadcasts instead of raising, so the
        # attendee gets the specific hint rather than a shape error.
        Case("hand-made: 1 hidden unit, 1 output, 3 samples",
             (np.array([[0.5], [-1.0], [2.0]]), np.array([[2.0], [-1.0]]),
              np.array([[0.1], [-0.2], [0.3]]), der_s)),
        Case("hand-made: 3 hidden units, 2 outputs, 2 samples",
             (np.array([[0.5, -1.0, 0.0], [1.0, 2.0, -0.5]]),
              np.array([[1.0, -1.0], [2.0, 0.5], [-1.0, 1.5], [0.3, 0.7]]),
              np.array([[0.1, -0.2], [0.3, 0.4]]), der_s)),
        Case("random: 4 hidden units, 3 outputs, 5 samples, tanh",
             (rng.normal(size=(5, 4)), rng.normal(size=(5, 3)), rng.normal(size=(5, 3)), der_t)),
        Case("random: 3 hidden units, 1 output, 6 samples, sigmoid",
             (rng.normal(size=(6, 3)), rng.normal(size=(4, 1)), rng.normal(size=(6, 1)), der_s)),
    ]


check_hidden_delta = make_check(Exercise(
    name="hidden_delta",
    reference=ref.hidden_delta,
    cases=_hidden_delta_cases,
    mistakes=[
        Mistake("no activation derivative", lambda z, W, d, f: d @ W[:-1].T,
                "the activation derivative is missing: multiply (element by element) by "
                "`activation_derivative(z_lin)`."),
        Mistake("bias row kept", lambda z, W, d, f: f(z) * (d @ W.T),
                "drop the bias row of W_next (its LAST row, `W_next[:-1]`): no unit of this layer "
                "feeds the next layer's bias, so it sends no delta back."),
        Mistake("bias row kept, no derivative", lambda z, W, d, f: d @ W.T,
                "drop the bias row of W_next (`W_next[:-1]`) and multiply by "
                "`activation_derivative(z_lin)`."),
        Mistake("first row dropped", lambda z, W, d, f: f(z) * (d @ W[1:].T),
                "the bias is the LAST row of W_next (add_bias appends the ones last): drop it with "
                "`W_next[:-1]`, not `W_next[1:]`."),
        Mistake("first row dropped, no derivative", lambda z, W, d, f: d @ W[1:].T,
                "the bias is the LAST row of W_next: use `W_next[:-1]`; and multiply by "
                "`activation_derivative(z_lin)`."),
        Mistake("derivative argument ignored",
                lambda z, W, d, f: ref.sigmoid_derivative(z) * (d @ W[:-1].T),
                "use the `activation_derivative` argument, not sigmoid_derivative itself: the "
                "same function must work for tanh layers."),
        Mistake("derivative of the delta",
                lambda z, W, d, f: f(d @ W[:-1].T),
                "the activation derivative is taken at this layer's z_lin and MULTIPLIES the "
                "back-propagated sum: "
                "`activation_derivative(z_lin) * (delta_next @ W_next[:-1].T)`."),
    ],
    hints=("`activation_derivative(z_lin) * (delta_next @ W_next[:-1].T)`: shapes (n, d) * ((n, "
         "d_next) @ (d_next, d)).",),
))


# --------------------------------------------------------------------------- weight_gradient
def _weight_gradient_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 2 samples, 2 inputs, 1 output",
             (np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[0.5], [-0.25]]))),
        Case("random: 5 samples, 3 inputs, 4 outputs",
             (rng.normal(size=(5, 3)), rng.normal(size=(5, 4)))),
        Case("random: 4 samples, 2 inputs, 2 outputs",
             (rng.normal(size=(4, 2)), rng.normal(size=(4, 2)))),
    ]


def _ones_first(Z: np.ndarray) -> np.ndarray:
    return np.hstack([np.ones((Z.shape[0], 1)), Z])


check_weight_gradient = make_check(Exercise(
    name="weight_gradient",
    reference=ref.weight_gradient,
    cases=_weight_gradient_cases,
    mistakes=[
        Mistake("no bias row", lambda Z, d: Z.T @ d / Z.shape[0],
                "the bias row is missing: the layer's input gets its column of ones first, "
                "`add_bias(layer_input).T @ delta / n`, so the result has d_in + 1 rows."),
        Mistake("no bias row, summed", lambda Z, d: Z.T @ d,
                "use `add_bias(layer_input)` (the bias row is missing) and divide by n (the loss "
                "is a mean)."),
        Mistake("summed", lambda Z, d: add_bias(Z).T @ d,
                "the loss is a MEAN over the samples, so its gradient is divided by n: "
                "`add_bias(layer_input).T @ delta / n`."),
        Mistake("ones first", lambda Z, d: _ones_first(Z).T @ d / Z.shape[0],
                "the bias is the LAST row (add_bias appends the column of ones last): use "
                "`add_bias(layer_input)`."),
        Mistake("transposed", lambda Z, d: d.T @ add_bias(Z) / Z.shape[0],
                "the result must have the weights' shape (d_in + 1, d_out): "
                "`add_bias(layer_input).T @ delta / n`, not `delta.T @ ...`."),
    ],
    hints=("`add_bias(layer_input).T @ delta / n`, shape (d_in + 1, d_out).",),
))


# --------------------------------------------------------------------------- backprop
def _numerical_gradients(X, y, weights, activation) -> list[np.ndarray]:
    """Central differences of the reference mlp_loss, one weight matrix at a time."""
    grads = []
    for index in range(len(weights)):
        def loss(W, index=index):
            trial = list(weights)
            trial[index] = W
            return ref.mlp_loss(X, y, trial, activation)

        grads.append(numerical_gradient(loss, np.array(weights[index], dtype=float)))
    return grads


def _backprop_case(label: str, rng: np.random.Generator, sizes: Sequence[int], n: int,
                   hidden: str) -> Case:
    X = rng.normal(size=(n, sizes[0]))
    y = _labels(rng, n)
    weights = _network(rng, sizes)
    if hidden == "tanh":
        kwargs = {"activation": tanh, "activation_derivative": ref.tanh_derivative}
        expected = _numerical_gradients(X, y, weights, tanh)
    elif hidden == "sigmoid, explicit":
        kwargs = {"activation": sigmoid, "activation_derivative": ref.sigmoid_derivative}
        expected = _numerical_gradients(X, y, weights, sigmoid)
    else:  # the defaults: sigmoid hidden units
        kwargs = {}
        expected = _numerical_gradients(X, y, weights, sigmoid)
    return Case(label, (X, y, weights), kwargs, expected=expected)


def _backprop_cases(rng: np.random.Generator) -> list[Case]:
    return [
        # Depth 1 first: a network without hidden layer (logistic regression) needs no hidden
        # delta, so mistakes in the output delta (y of shape (n,)) show there with their hint.
        _backprop_case("random: 2-1 network (1 weight matrix, no hidden layer), 4 samples", rng,
                       [2, 1], 4, "sigmoid, explicit"),
        _backprop_case("random: 2-3-1 network, sigmoid (the defaults), 5 samples", rng,
                       [2, 3, 1], 5, "default"),
        _backprop_case("random: 3-4-1 network, tanh, 6 samples", rng, [3, 4, 1], 6, "tanh"),
        _backprop_case("random: 2-4-3-1 network (3 weight matrices), sigmoid, 5 samples", rng,
                       [2, 4, 3, 1], 5, "sigmoid, explicit"),
        _backprop_case("random: 2-3-4-1 network (3 weight matrices), tanh, 6 samples", rng,
                       [2, 3, 4, 1], 6, "tanh"),
    ]


def _wrong_backprop(X, y, weights, activation=sigmoid, activation_derivative=None, *,
                    out=None, hidden=None, grad=None, y_column=True, forward_activation=True,
                    early=False):
    """A configurable wrong backprop: each keyword swaps one step for a usual mistake."""
    der = activation_derivative or ref.sigmoid_derivative
    zs, z_lins = mlp_forward(X, weights, activation if forward_activation else sigmoid)
    target = y.reshape(-1, 1) if y_column else y
    delta = (out or ref.output_delta)(zs[-1], target)
    grads: list[Any] = [None] * len(weights)
    for layer in range(len(weights) - 1, -1, -1):
        if early and layer > 0:  # the delta moves down one layer before this layer's gradient
            delta = (hidden or ref.hidden_delta)(z_lins[layer - 1], weights[layer], delta, der)
        grads[layer] = (grad or ref.weight_gradient)(zs[layer], delta)
        if not early and layer > 0:
            delta = (hidden or ref.hidden_delta)(z_lins[layer - 1], weights[layer], delta, der)
    return grads


def _mistake_backprop(**how) -> Callable[..., list]:
    return lambda X, y, weights, activation=sigmoid, activation_derivative=None: _wrong_backprop(
        X, y, weights, activation, activation_derivative, **how)


check_backprop = make_check(Exercise(
    name="backprop",
    uses=("output_delta", "hidden_delta", "weight_gradient", "sigmoid_derivative",
          "tanh_derivative"),
    reference=ref.backprop,  # the expected values are numerical gradients, set in the cases
    arg_names=("X", "y", "weights"),
    cases=_backprop_cases,
    tolerance=Tolerance(rtol=1e-5, atol=1e-8),  # central differences are accurate to ~1e-10
    mistakes=[
        Mistake("sign flipped", _mistake_backprop(out=lambda p, y: y - p),
                "every gradient has the opposite sign: the output delta is `p - y` (not the "
                "slide's `y - p`)."),
        Mistake("no hidden deltas",
                lambda X, y, weights, activation=sigmoid, activation_derivative=None: [
                    ref.weight_gradient(z, ref.output_delta(
                        mlp_forward(X, weights, activation)[0][-1], y.reshape(-1, 1)))
                    for z in mlp_forward(X, weights, activation)[0][:-1]],
                "every layer used the output delta: go backwards through the layers, computing "
                "`delta = hidden_delta(z_lins[l - 1], weights[l], delta, activation_derivative)` "
                "before the gradient of layer l - 1."),
        Mistake("delta moved down too early", _mistake_backprop(early=True),
                "layer l's gradient uses layer l's delta: compute `weight_gradient(zs[l], delta)` "
                "first, and only then move the delta down with hidden_delta (for layer l - 1)."),
        Mistake("hidden delta without derivative",
                _mistake_backprop(hidden=lambda z, W, d, f: d @ W[:-1].T),
                "the hidden deltas need the activation derivative: `activation_derivative(z_lin) "
                "* (delta @ W[:-1].T)` (is hidden_delta correct?)."),
        Mistake("derivative argument ignored",
                lambda X, y, weights, activation=sigmoid, activation_derivative=None:
                _wrong_backprop(X, y, weights, activation, ref.sigmoid_derivative),
                "pass `activation_derivative` on to hidden_delta: with tanh hidden units you used "
                "the sigmoid's derivative."),
        Mistake("activation not passed to the forward pass",
                _mistake_backprop(forward_activation=False),
                "pass `activation` on to `mlp_forward(X, weights, activation)`: with tanh hidden "
                "units you ran a sigmoid network forward."),
        Mistake("y not a column", _mistake_backprop(y_column=False),
                "y has shape (n,) and the output p has shape (n, 1): `p - y` broadcasts to (n, n). "
                "Reshape first: `output_delta(zs[-1], y.reshape(-1, 1))`."),
        Mistake("MSE output delta",
                _mistake_backprop(out=lambda p, y: 2 * p * (1 - p) * (p - y)),
                "the loss is the cross-entropy: its output delta is `p - y`, not the MSE's "
                "`2 p (1 - p) (p - y)`."),
        Mistake("summed", _mistake_backprop(grad=lambda Z, d: add_bias(Z).T @ d),
                "the loss is a mean: divide each weight gradient by n (weight_gradient does)."),
    ],
    hints=("forward pass with mlp_forward, `delta = output_delta(zs[-1], y.reshape(-1, 1))`, then "
         "for each layer from the last to the first: its gradient `weight_gradient(zs[l], delta)`, "
         "then (if l > 0) `delta = hidden_delta(z_lins[l - 1], weights[l], delta, "
         "activation_derivative)`.",),
    mutation_hint="backprop must not change the weights: compute new arrays (no `W -= ...`).",
))


# --------------------------------------------------------------------------- train_mlp
def _easy_problem(rng: np.random.Generator, n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Two well-separated blobs: any working gradient descent lowers the loss quickly."""
    y = np.tile([0.0, 1.0], n // 2)
    X = rng.normal(0.0, 0.5, size=(n, 2)) + np.where(y[:, None] == 1, 1.5, -1.5)
    return X, y


def _structure_problem(got: Any, sizes: Sequence[int], n_iter: int) -> str | None:
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"train_mlp should return a tuple (weights, losses), got {short_type(got)}."
    weights, losses = got
    shapes = [(a + 1, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    if not isinstance(weights, list | tuple) or len(weights) != len(shapes):
        return (f"weights should be a list of {len(shapes)} matrices (shapes {shapes}), got "
                f"{short_type(weights)}.")
    for index, (W, shape) in enumerate(zip(weights, shapes, strict=True)):
        if not isinstance(W, np.ndarray) or W.shape != shape:
            return f"weights[{index}] should be an array of shape {shape}, got {short_type(W)}."
        if not np.all(np.isfinite(W)):
            return f"weights[{index}] contains NaN or inf."
    values = np.asarray(losses, dtype=float) if isinstance(losses, list | tuple | np.ndarray) \
        else None
    if values is None or values.shape != (n_iter,):
        return (f"losses should be a list of {n_iter} numbers (one per iteration), got "
                f"{short_type(losses)}.")
    if not np.all(np.isfinite(values)):
        return "losses contains NaN or inf."
    return None


def _uniform_start(got: Any, fn: Any, X, y, hidden_sizes, learning_rate, n_iter, rng,
                   init_scale=None, **kwargs) -> str | None:
    """With 0 iterations the returned weights are the start: uniform in [-s, s], bias too."""
    problem = _structure_problem(got, [X.shape[1], *hidden_sizes, 1], n_iter)
    if problem:
        return problem
    weights = got[0]
    largest = max(float(np.abs(W).max()) for W in weights)
    if largest > init_scale:
        return (f"with init_scale={init_scale} every starting weight lies in [-{init_scale}, "
                f"{init_scale}], but one is {largest:.3g}: was init_scale passed to init_weights?")
    if all(np.all(W[-1] == 0) for W in weights):
        return (f"with init_scale={init_scale} the bias rows are drawn too (uniform), but yours "
                f"are all zero (the Xavier default): was init_scale passed to init_weights?")
    return None


def _train_cases() -> Callable[[np.random.Generator], list[Case]]:
    """The cases; the property-based one calls the attendee's function again (determinism,
    callback), through the ``fn`` the engine passes to ``verify``."""

    def cases(rng: np.random.Generator) -> list[Case]:
        X, y = _easy_problem(rng)
        start = init_weights([2, 3, 1], rng, scale=0.5)
        X3, y3 = rng.normal(size=(8, 3)), _labels(rng, 8)
        start3 = init_weights([3, 4, 2, 1], rng, scale=1.0)
        tanh_kwargs = {"activation": tanh, "activation_derivative": ref.tanh_derivative}

        def random_start(got, fn, X, y, hidden_sizes, learning_rate, n_iter, rng, **kwargs):
            problem = _structure_problem(got, [2, *hidden_sizes, 1], n_iter)
            if problem:
                return problem
            weights, losses = got
            final = ref.mlp_loss(X, y, weights)
            if not losses[-1] < losses[0] or not final < losses[0]:
                return (f"the loss did not decrease on an easy problem (first {losses[0]:.4g}, "
                        f"last {losses[-1]:.4g}, loss of the returned weights {final:.4g}): "
                        f"is the update `W - learning_rate * gradient`?")
            again = fn(X, y, hidden_sizes, learning_rate, n_iter, np.random.default_rng(7))
            if compare(again, got, Tolerance(rtol=0, atol=0)) is not None:
                return ("two calls with `np.random.default_rng(7)` gave different results: draw "
                        "every random number from `rng` (init_weights(..., rng)), not from "
                        "np.random directly.")
            calls: list[tuple[int, float]] = []
            fn(X, y, hidden_sizes, learning_rate, n_iter, np.random.default_rng(7),
               callback=lambda i, w, loss: calls.append((i, loss)))
            if [i for i, _ in calls] != list(range(n_iter)):
                return (f"callback should be called after each update with iterations 0 to "
                        f"{n_iter - 1}; it was called {len(calls)} times.")
            return None

        return [
            Case("from given weights: 2-3-1 sigmoid network, 5 iterations",
                 (X, y, [3], 0.5, 5, np.random.default_rng(1)), {"weights": start},
                 hint="start from a copy of `weights` when it is given; record the loss BEFORE "
                      "each update, then `W = W - learning_rate * G` for every layer."),
            Case("from given weights: 3-4-2-1 tanh network, 4 iterations",
                 (X3, y3, [4, 2], 0.3, 4, np.random.default_rng(2)), {"weights": start3,
                                                                      **tanh_kwargs},
                 hint="pass activation and activation_derivative on to mlp_loss and backprop."),
            Case("random start (your initialisation): 2-4-1 network, 60 iterations, easy data",
                 (X, y, [4], 1.0, 60, np.random.default_rng(7)), verify=random_start,
                 hint="initialise with `init_weights([d, *hidden_sizes, 1], rng, init_scale)` "
                      "and run full-batch gradient descent."),
            Case("random start with init_scale=0.5 (the talk's uniform start), 0 iterations",
                 (X, y, [6], 0.5, 0, np.random.default_rng(3)), {"init_scale": 0.5},
                 verify=_uniform_start,
                 hint="without `weights`, start from `init_weights([d, *hidden_sizes, 1], "
                      "rng, init_scale)`: pass init_scale on (None gives Xavier, 0.5 the talk's "
                      "uniform [-0.5, 0.5])."),
        ]

    return cases


def _train_mistake(*, after=False, ascent=False, ignore_activation=False) -> Callable[..., Any]:
    def wrong(X, y, hidden_sizes, learning_rate, n_iter, rng, activation=sigmoid,
              activation_derivative=ref.sigmoid_derivative, init_scale=None, weights=None,
              callback=None):
        if ignore_activation:
            activation, activation_derivative = sigmoid, ref.sigmoid_derivative
        if weights is None:
            weights = init_weights([X.shape[1], *hidden_sizes, 1], rng, init_scale)
        weights = [np.array(W, dtype=float) for W in weights]
        losses = []
        sign = 1.0 if ascent else -1.0
        for _ in range(n_iter):
            if not after:
                losses.append(ref.mlp_loss(X, y, weights, activation))
            grads = ref.backprop(X, y, weights, activation, activation_derivative)
            weights = [W + sign * learning_rate * G for W, G in zip(weights, grads, strict=True)]
            if after:
                losses.append(ref.mlp_loss(X, y, weights, activation))
        return weights, losses

    return wrong


_TRAIN_MISTAKES = [
    Mistake("loss recorded after the update", _train_mistake(after=True),
            "record `losses[k]` BEFORE update k (the loss of the weights being updated), as in "
            "notebook 01's gradient_descent."),
    Mistake("gradient ascent", _train_mistake(ascent=True),
            "step AGAINST the gradient: `W - learning_rate * G`, not `+`."),
    Mistake("activation ignored", _train_mistake(ignore_activation=True),
            "pass activation and activation_derivative on to mlp_loss and backprop."),
]


# From given starting weights the result must equal full-batch gradient descent exactly (and the
# given weights must not be modified); from a random start: init_scale passed on, the shapes, the
# number of losses, a decreasing loss on an easy problem, determinism for a seeded rng and the
# callback.
check_train_mlp = make_check(Exercise(
    name="train_mlp",
    uses=("backprop", "mlp_loss"),
    reference=ref.train_mlp,
    cases=_train_cases(),
    mistakes=_TRAIN_MISTAKES,
    outputs=("weights", "losses"),
    mutation_hint="your function changed the `weights` it was given (`W -= ...` on the "
                  "caller's arrays): copy them first (`[W.copy() for W in weights]`) or write "
                  "`W = W - learning_rate * G`.",
))
