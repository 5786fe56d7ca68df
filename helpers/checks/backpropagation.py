"""Checks for notebook 04: backpropagation, training an MLP, ReLU and a small autograd.

Each checker is a declaration on :mod:`helpers.checks.engine`: hand-made cases (small enough to
verify by hand), random cases drawn from a seeded generator, and the usual mistakes of the
exercise, each written as a tiny wrong implementation with the hint that gets an attendee unstuck.
Expected values come from :mod:`helpers.reference.backpropagation`, except for ``backprop`` and
``regression_backprop``, whose expected gradients are numerical gradients of the reference loss
(central differences). ``train_mlp`` is checked exactly when it starts from given weights, and by
its properties (shapes, a decreasing loss, determinism, the callback) from a random start.

The autograd exercises work on graphs of :class:`~helpers.reference.backpropagation.Value` whose
nodes carry labels: their results (nodes, dicts keyed by nodes) are compared through those labels,
since the check's copy of a graph is not the attendee's. ``topological_order`` is compared exactly
on graphs whose topological order is unique, and by its properties on one that has several.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from helpers.checks.compare import Tolerance, compare
from helpers.checks.engine import Case, Diagnosis, Exercise, Mistake, Note, make_check
from helpers.checks.source import calls, has_loop
from helpers.feedback import short_type
from helpers.gradcheck import numerical_gradient
from helpers.reference import backpropagation as ref
from helpers.reference.backpropagation import Value
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid
from helpers.reference.neural_networks import init_weights, mlp_forward, tanh

_s = sigmoid


# --------------------------------------------------------------------------- activation derivatives
def _derivative_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: z = 2 (a Python number)", (2,)),
        Case("hand-made: z = [-2, -1, 0, 1, 2] (an integer array)", (np.array([-2, -1, 0, 1, 2]),)),
        Case("hand-made: large |z| (saturated units)", (np.array([-30.0, -8.0, 8.0, 30.0]),)),
        Case("random: a (4, 3) matrix of linear combinations, every other column of a (4, 6) one",
             (rng.normal(0, 2, size=(4, 6))[:, ::2],)),
    ]


check_sigmoid_derivative = make_check(Exercise(
    name="sigmoid_derivative",
    reference=ref.sigmoid_derivative,
    cases=_derivative_cases,
    mistakes=[
        Mistake("applied to the activation", lambda z: z * (1 - np.asarray(z)),
                "`z * (1 - z)` is the derivative written in terms of the ACTIVATION "
                "s = sigmoid(z). Here the argument is the linear combination z: compute "
                "`s = sigmoid(z)` first, then `s * (1 - s)`."),
        Mistake("sigmoid of the activation", lambda z: _s(_s(z)) * (1 - _s(_s(z))),
                "sigmoid is applied twice: the argument is already the linear combination z, so "
                "`s = sigmoid(z)` once, then `s * (1 - s)`."),
        Mistake("mixed s and z", lambda z: _s(z) * (1 - np.asarray(z)),
                "both factors use sigmoid(z): `sigmoid(z) * (1 - sigmoid(z))`, not `(1 - z)`."),
        Mistake("only s", lambda z: _s(z),
                "a term is missing: the derivative is `sigmoid(z) * (1 - sigmoid(z))`, not "
                "sigmoid(z) alone."),
        Mistake("only 1 - s", lambda z: 1 - _s(z),
                "a term is missing: the derivative is `sigmoid(z) * (1 - sigmoid(z))`, not "
                "`1 - sigmoid(z)` alone (which is also e^-z / (1 + e^-z): the denominator of the "
                "derivative is SQUARED)."),
        Mistake("1 + s", lambda z: _s(z) * (1 + _s(z)),
                "check the sign inside the bracket: `sigmoid(z) * (1 - sigmoid(z))`."),
    ],
    hints=("write the sigmoid as (1 + e^-z)^-1 and differentiate it with the chain rule; then look "
           "for the sigmoid itself in what you get.",
           "the derivative is e^-z / (1 + e^-z)^2: split it into 1 / (1 + e^-z) times "
           "e^-z / (1 + e^-z) and recognise both factors. z is the linear combination: apply the "
           "helpers' sigmoid to it once, then combine."),
))


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
    hints=("write tanh(z) as (e^z - e^-z) / (e^z + e^-z) and use the quotient rule; then look for "
           "tanh itself in what you get.",
           "the quotient rule gives ((e^z + e^-z)^2 - (e^z - e^-z)^2) / (e^z + e^-z)^2: that is 1 "
           "minus the square of a fraction you know. Apply the helpers' tanh to z (the linear "
           "combination) once."),
))


# --------------------------------------------------------------------------- mlp_loss
def _network(rng: np.random.Generator, sizes: Sequence[int], scale: float = 1.0
             ) -> list[np.ndarray]:
    return init_weights(list(sizes), rng, scale=scale)


def _labels(rng: np.random.Generator, n: int) -> np.ndarray:
    y = (rng.random(n) < 0.5).astype(float)
    y[:2] = [0.0, 1.0][:n]  # both classes, so that sign and broadcasting mistakes show
    return y


def _confident_network() -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """A 2-2-1 network whose output saturates: p is exactly 1.0 in floating point for two samples
    of class 1 (z_lin about 40), about 1e-17 for one of class 0, and one sample is moderately
    wrong. The exact loss is finite; an unclipped log computes log(0) and 0 * -inf = NaN, while a
    log of p clipped to [eps, 1 - eps] (eps up to 1e-7) is still within the tolerance."""
    X = np.array([[3.0, 0.0], [0.0, 3.0], [2.0, 0.5], [0.0, 0.05], [-0.3, 0.4]])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    W1 = np.array([[4.0, -4.0], [-4.0, 4.0], [0.0, 0.0]])
    W2 = np.array([[40.0], [-40.0], [0.5]])
    return X, y, [W1, W2]


def _mlp_loss_cases(rng: np.random.Generator) -> list[Case]:
    X = np.array([[1, 0], [0, 1], [1, 1]])  # integer inputs, as data files often give them
    y = np.array([1.0, 0.0, 1.0])
    W1 = np.array([[0.5, -0.5], [0.5, 0.5], [0.0, 0.0]])  # talk-sized weights, bias row last
    W2 = np.array([[1.0], [-1.0], [0.5]])
    X6 = rng.normal(size=(6, 6))[:, ::2]  # a view: every other column
    return [
        Case("hand-made: 2-2-1 network, 3 samples (integer inputs)", (X, y, [W1, W2])),
        Case("random: 3-4-1 network, 6 samples (every other column of a (6, 6) array)",
             (X6, _labels(rng, 6), _network(rng, [3, 4, 1]))),
        Case("random: 3-4-3-1 network with tanh hidden units",
             (X6, _labels(rng, 6), _network(rng, [3, 4, 3, 1])), {"activation": tanh}),
        Case("random: no hidden layer (logistic regression), 5 samples, 1 feature",
             (rng.normal(size=(5, 1)), _labels(rng, 5), _network(rng, [1, 1]))),
        Case("random: 2-3-1 network, 1 sample",
             (rng.normal(size=(1, 2)), np.array([1.0]), _network(rng, [2, 3, 1]))),
        Case("hand-made: a confident 2-2-1 network (outputs saturate to exactly 0 and 1)",
             _confident_network()),
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
_SATURATED_HINT = (
    "an output that saturates is exactly 0.0 or 1.0 in floating point, so log(p) or log(1 - p) is "
    "log(0) = -inf (and 0 * -inf is NaN). Compute the loss from the output's linear combination "
    "z with the stable form log(1 + e^z) - y z (`np.logaddexp(0, z) - y * z`, as in notebook "
    "02), or at least clip p away from 0 and 1.")

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
    notes=[Note("clipped", lambda fn: calls(fn, "np.clip"),
                "clipping p passes here, but it changes the loss of outputs that saturate; the "
                "stable form from the output's linear combination (np.logaddexp) is exact for "
                "every output and needs no epsilon.")],
    warning_hints={"divide by zero": _SATURATED_HINT, "invalid value": _SATURATED_HINT,
                   "overflow": _SATURATED_HINT},
    hints=("run the network forward (passing the activation on), take its output probabilities "
           "as a vector of shape (n,), and average notebook 02's cross-entropy over the samples.",
           "the output zs[-1] has shape (n, 1): take its only column so that it lines up with y "
           "(n,). Where outputs saturate, compute from the output's linear combination z with the "
           "stable form log(1 + e^z) - y z (np.logaddexp, notebook 02)."),
))


# --------------------------------------------------------------------------- output_delta
def _output_delta_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 3 samples",
             (np.array([[0.9], [0.2], [0.6]]), np.array([[1.0], [0.0], [0.0]]))),
        Case("random: 6 samples, integer labels", (rng.uniform(0.01, 0.99, size=(6, 1)),
                                                   _labels(rng, 6).astype(int).reshape(-1, 1))),
        Case("hand-made: 1 sample", (np.array([[0.25]]), np.array([[1.0]]))),
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
        Mistake("dL/dp only", lambda p, y: -y / p + (1 - y) / (1 - p),
                "that is dL/dp, the derivative with respect to the OUTPUT p. The delta goes one "
                "step further, to the linear combination: multiply by dp/dz_lin = p (1 - p), and "
                "simplify (the result is `p - y`)."),
        Mistake("divided by n", lambda p, y: (p - y) / p.shape[0],
                "no division by n here: the delta is per sample, `p - y`; the mean over the "
                "samples is taken in weight_gradient."),
    ],
    hints=("the delta is the derivative of one sample's loss with respect to the output unit's "
           "linear combination: go through p with the chain rule, dL/dp times dp/dz_lin.",
           "dL/dp = -y/p + (1 - y)/(1 - p) and dp/dz_lin = p(1 - p): multiply them and put the "
           "first over its common denominator; the result has no fraction left. One row per "
           "sample, shape (n, 1)."),
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
        Case("random: 2 hidden units, 3 outputs, 1 sample, tanh",
             (rng.normal(size=(1, 2)), rng.normal(size=(3, 3)), rng.normal(size=(1, 3)), der_t)),
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
    hints=("a unit of this layer feeds EVERY unit of the next layer: its delta adds up what comes "
           "back along each of those paths (the next unit's delta times the weight between "
           "them), then goes through its own activation with the chain rule.",
           "per sample, delta_j = f'(z_lin_j) * sum over k of w_jk delta_next_k. For every sample "
           "and unit at once the sum over k is a matrix product of delta_next (n, d_next) with "
           "the transpose of W_next without its bias row (the last row), shape (n, d); then "
           "multiply elementwise by activation_derivative at z_lin."),
))


# --------------------------------------------------------------------------- weight_gradient
def _weight_gradient_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: 2 samples, 2 inputs, 1 output",
             (np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[0.5], [-0.25]]))),
        Case("random: 5 samples, 3 inputs, 4 outputs",
             (rng.normal(size=(5, 3)), rng.normal(size=(5, 4)))),
        Case("random: 4 samples, 2 integer inputs (the first layer's X), 2 outputs",
             (rng.integers(-3, 4, size=(4, 2)), rng.normal(size=(4, 2)))),
        Case("random: 1 sample, 3 inputs, 2 outputs",
             (rng.normal(size=(1, 3)), rng.normal(size=(1, 2)))),
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
        Mistake("divided by d_in", lambda Z, d: add_bias(Z).T @ d / Z.shape[1],
                "divide by the number of SAMPLES n = layer_input.shape[0] (the loss is a mean "
                "over samples), not by the number of inputs shape[1]."),
    ],
    hints=("a weight w_ij multiplies input i of the layer on its way to z_lin_j: per sample, its "
           "gradient is (input i) times delta_j, and the loss is a mean over the samples. The "
           "bias weight's input is the constant 1.",
           "for all the weights at once: the layer's input with its column of ones appended "
           "(n, d_in + 1), transposed, times delta (n, d_out), divided by n: shape "
           "(d_in + 1, d_out), like the weight matrix."),
))


# --------------------------------------------------------------------------- backprop
def _numerical_gradients(X, y, weights, activation, loss=ref.mlp_loss) -> list[np.ndarray]:
    """Central differences of a reference loss, one weight matrix at a time."""
    copies = [np.array(W, dtype=float) for W in weights]
    return numerical_gradient(lambda trial: loss(X, y, trial, activation), copies)


_HIDDEN = {"tanh": (tanh, ref.tanh_derivative), "sigmoid": (sigmoid, ref.sigmoid_derivative),
           "relu": (ref.relu, ref.relu_derivative)}


def _backprop_case(label: str, rng: np.random.Generator, sizes: Sequence[int], n: int,
                   hidden: str, loss=ref.mlp_loss, defaults: str = "sigmoid") -> Case:
    X = rng.normal(size=(n, sizes[0]))
    y = _labels(rng, n) if loss is ref.mlp_loss else rng.normal(size=n)
    weights = _network(rng, sizes)
    activation, derivative = _HIDDEN[hidden.removesuffix(", explicit")]
    kwargs = {} if hidden == defaults else {"activation": activation,
                                            "activation_derivative": derivative}
    return Case(label, (X, y, weights), kwargs,
                expected=_numerical_gradients(X, y, weights, activation, loss))


def _backprop_cases(rng: np.random.Generator) -> list[Case]:
    return [
        # Depth 1 first: a network without hidden layer (logistic regression) needs no hidden
        # delta, so mistakes in the output delta (y of shape (n,)) show there with their hint.
        _backprop_case("random: 2-1 network (1 weight matrix, no hidden layer), 4 samples", rng,
                       [2, 1], 4, "sigmoid, explicit"),
        _backprop_case("random: 2-3-1 network, sigmoid (the defaults), 5 samples", rng,
                       [2, 3, 1], 5, "sigmoid"),
        _backprop_case("random: 3-4-1 network, tanh, 6 samples", rng, [3, 4, 1], 6, "tanh"),
        _backprop_case("random: 2-4-3-1 network (3 weight matrices), sigmoid, 5 samples", rng,
                       [2, 4, 3, 1], 5, "sigmoid, explicit"),
        _backprop_case("random: 2-3-4-1 network (3 weight matrices), tanh, 6 samples", rng,
                       [2, 3, 4, 1], 6, "tanh"),
        _backprop_case("random: 3-2-1 network, tanh, 1 sample", rng, [3, 2, 1], 1, "tanh"),
    ]


def _wrong_backprop(X, y, weights, activation=sigmoid, activation_derivative=None, *,
                    out=None, hidden=None, grad=None, y_column=True, forward_activation=True,
                    early=False, layers=None, next_input=False):
    """A configurable wrong backprop: each keyword swaps one step for a usual mistake."""
    der = activation_derivative or ref.sigmoid_derivative
    zs, z_lins = mlp_forward(X, weights, activation if forward_activation else sigmoid)
    target = y.reshape(-1, 1) if y_column else y
    delta = (out or ref.output_delta)(zs[-1], target)
    grads: list[Any] = [None] * len(weights)
    for layer in (layers or range)(len(weights) - 1, -1, -1):
        if early and layer > 0:  # the delta moves down one layer before this layer's gradient
            delta = (hidden or ref.hidden_delta)(z_lins[layer - 1], weights[layer], delta, der)
        grads[layer] = (grad or ref.weight_gradient)(zs[layer + 1 if next_input else layer],
                                                     delta)
        if not early and layer > 0:
            delta = (hidden or ref.hidden_delta)(z_lins[layer - 1], weights[layer], delta, der)
    return grads


def _mistake_backprop(**how) -> Callable[..., list]:
    return lambda X, y, weights, activation=sigmoid, activation_derivative=None: _wrong_backprop(
        X, y, weights, activation, activation_derivative, **how)


def _stops_early(start: int, stop: int, step: int) -> range:
    return range(start, stop + 1, step)  # range(len(weights) - 1, 0, -1): layer 0 never visited


def _starts_late(start: int, stop: int, step: int) -> range:
    return range(start + 1, stop, step)  # range(len(weights), -1, -1): one layer past the end


def _appending_from_past_the_end(X, y, weights, activation=sigmoid,
                                 activation_derivative=None) -> list:
    """The loop starts at len(weights) and appends: weights[len(weights)] raises IndexError."""
    der = activation_derivative or ref.sigmoid_derivative
    zs, z_lins = mlp_forward(X, weights, activation)
    delta = ref.output_delta(zs[-1], y.reshape(-1, 1))
    grads = []
    for layer in range(len(weights), -1, -1):
        grads.append(ref.weight_gradient(zs[layer], delta))
        if layer > 0:
            delta = ref.hidden_delta(z_lins[layer - 1], weights[layer], delta, der)
    return grads[::-1]


_LOOP_START_HINT = (
    "the layers are weights[0] to weights[len(weights) - 1]: the backward loop starts at the last "
    "one, `range(len(weights) - 1, -1, -1)`, not at len(weights).")

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
        Mistake("loop stops one layer early", _mistake_backprop(layers=_stops_early),
                "the first layer's gradient is missing (item 0 is None): the loop over the layers "
                "stops one layer early. It must go down to layer 0 included: "
                "`range(len(weights) - 1, -1, -1)` (the stop value of range is excluded)."),
        Mistake("loop starts past the end", _mistake_backprop(layers=_starts_late),
                _LOOP_START_HINT),
        Mistake("loop starts past the end (appending)", _appending_from_past_the_end,
                _LOOP_START_HINT),
        Mistake("zs[l + 1] as the layer's input", _mistake_backprop(next_input=True),
                "layer l's input is `zs[l]` (zs[0] = X feeds weights[0]); `zs[l + 1]` is the "
                "layer's OUTPUT. The gradient of weights[l] is `weight_gradient(zs[l], delta)`."),
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
    hints=("run the network forward once and keep every layer's zs and z_lins. Then go backwards: "
           "the output delta first; then, for each layer from the last to the first, that "
           "layer's weight gradient, then the delta of the layer below it.",
           "layer l's gradient comes from its input zs[l] and its delta (your weight_gradient); "
           "the delta of layer l - 1 from its z_lin, the weights of layer l and this delta (your "
           "hidden_delta). The labels go into output_delta as a column (n, 1). Return the "
           "gradients in the order of weights: item 0 for weights[0]."),
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
            return (f"weights[{index}] should be an array of shape {shape} (layer sizes "
                    f"{list(sizes)}: d features, the hidden sizes, 1 output; one row more for "
                    f"the bias), got {short_type(W)}.")
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
                        f"does each update step against the gradient?")
            again = fn(X, y, hidden_sizes, learning_rate, n_iter, np.random.default_rng(7))
            if compare(again, got, Tolerance(rtol=0, atol=0)) is not None:
                return ("two calls with `np.random.default_rng(7)` gave different results: draw "
                        "every random number from `rng` (init_weights(..., rng)), not from "
                        "np.random directly.")
            calls_made: list[tuple[int, float]] = []
            fn(X, y, hidden_sizes, learning_rate, n_iter, np.random.default_rng(7),
               callback=lambda i, w, loss: calls_made.append((i, loss)))
            if [i for i, _ in calls_made] != list(range(n_iter)):
                return (f"callback should be called after each update with iterations 0 to "
                        f"{n_iter - 1}; it was called {len(calls_made)} times.")
            return None

        return [
            Case("from given weights: 2-3-1 sigmoid network, 5 iterations",
                 (X, y, [3], 0.5, 5, np.random.default_rng(1)), {"weights": start},
                 hint="start from a copy of the given weights; record the loss BEFORE each "
                      "update, then step every weight matrix against its gradient, scaled by "
                      "the learning rate."),
            Case("from given weights: 3-4-2-1 tanh network, 4 iterations",
                 (X3, y3, [4, 2], 0.3, 4, np.random.default_rng(2)), {"weights": start3,
                                                                      **tanh_kwargs},
                 hint="pass activation and activation_derivative on to mlp_loss and backprop."),
            Case("random start (your initialisation): 2-4-1 network, 60 iterations, easy data",
                 (X, y, [4], 1.0, 60, np.random.default_rng(7)), verify=random_start,
                 hint="without given weights, start from init_weights with the layer sizes "
                      "[d, *hidden_sizes, 1] (d = the number of features), rng and init_scale, "
                      "then run full-batch gradient descent."),
            Case("random start with init_scale=0.5 (the talk's uniform start), 0 iterations",
                 (X, y, [6], 0.5, 0, np.random.default_rng(3)), {"init_scale": 0.5},
                 verify=_uniform_start,
                 hint="pass init_scale on to init_weights (None gives Xavier, 0.5 the talk's "
                      "uniform [-0.5, 0.5])."),
        ]

    return cases


def _train_mistake(*, after=False, ascent=False, ignore_activation=False,
                   sizes=None) -> Callable[..., Any]:
    def wrong(X, y, hidden_sizes, learning_rate, n_iter, rng, activation=sigmoid,
              activation_derivative=ref.sigmoid_derivative, init_scale=None, weights=None,
              callback=None):
        if ignore_activation:
            activation, activation_derivative = sigmoid, ref.sigmoid_derivative
        if weights is None:
            layer_sizes = (sizes or (lambda X, h: [X.shape[1], *h, 1]))(X, hidden_sizes)
            weights = init_weights(layer_sizes, rng, init_scale)
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
    Mistake("layer sizes from the number of samples",
            _train_mistake(sizes=lambda X, h: [X.shape[0], *h, 1]),
            "the layer sizes are wrong: the first weight matrix was built for X.shape[0] inputs, "
            "the number of SAMPLES (see the shapes of `weights` above). A layer's input size is "
            "the number of FEATURES d = X.shape[1]: build the weights with the layer sizes "
            "`[X.shape[1], *hidden_sizes, 1]`."),
    Mistake("input size missing from the layer sizes",
            _train_mistake(sizes=lambda X, h: [*h, 1]),
            "the layer sizes are wrong: they start with the hidden sizes, so the first weight "
            "matrix does not take the d = X.shape[1] features (see the shapes of `weights` above). "
            "The sizes are `[X.shape[1], *hidden_sizes, 1]`: features, hidden layers, one output."),
    Mistake("hidden sizes not unpacked",
            _train_mistake(sizes=lambda X, h: [X.shape[1], h, 1]),
            "the layer sizes must be a flat list of numbers: `[X.shape[1], *hidden_sizes, 1]` "
            "(the `*` unpacks hidden_sizes); `[X.shape[1], hidden_sizes, 1]` puts a list inside "
            "the list."),
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
    hints=("gradient descent as in notebook 01, with backprop giving one gradient per weight "
           "matrix: each iteration records the loss, computes the gradients and takes one step "
           "on every matrix.",
           "start from copies of the given weights, or from init_weights with the layer sizes "
           "(d features, the hidden sizes, 1 output), rng and init_scale. losses[k] is the loss "
           "before update k; call callback(k, weights, loss) after it."),
))


# --------------------------------------------------------------------------- relu
def _float_result(name: str, reference: Callable[[Any], Any]) -> Callable[..., str | None]:
    """A verify for integer input: the right values, and a float array (the contract)."""

    def verify(got: Any, call: Any, z: np.ndarray) -> str | None:
        expected = reference(z)
        mismatch = compare(got, expected, Tolerance())
        if mismatch is not None:
            return mismatch.message
        if got.dtype.kind != "f":
            kind = "a boolean" if got.dtype.kind == "b" else f"an {got.dtype}"
            return (f"for an integer array {name} returned {kind} array; the result is float "
                    f"(0.0, 1.0, 2.5...) whatever the input's dtype: convert with .astype(float) "
                    f"or compute with a float (0.0 rather than 0).")
        return None

    return verify


def _relu_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: z = [-2, -0.5, 0, 0.5, 3]", (np.array([-2.0, -0.5, 0.0, 0.5, 3.0]),)),
        Case("hand-made: z = -1.5 (a Python float)", (-1.5,)),
        Case("hand-made: z = 2 (a Python int)", (2,)),
        Case("random: a (4, 3) matrix, every other column of a (4, 6) one",
             (rng.normal(size=(4, 6))[:, ::2],)),
        Case("hand-made: an integer array [[-3, 0], [2, 5]]", (np.array([[-3, 0], [2, 5]]),),
             verify=_float_result("relu", ref.relu)),
    ]


def _python_max(z):
    return max(z, 0)  # an array in a truth test raises ValueError, as Python's max does


check_relu = make_check(Exercise(
    name="relu",
    reference=ref.relu,
    cases=_relu_cases,
    mistakes=[
        Mistake("np.max", lambda z: np.max(z, 0),
                "`np.max(z, 0)` takes the largest entry along axis 0 (a reduction); ReLU compares "
                "each entry with 0: the elementwise `np.maximum(z, 0.0)`."),
        Mistake("Python's max", _python_max,
                "Python's `max(z, 0)` compares the whole array with 0 at once; ReLU compares each "
                "entry: `np.maximum(z, 0.0)`."),
        Mistake("absolute value", lambda z: np.abs(z),
                "negative entries become 0, not their absolute value: `np.maximum(z, 0.0)`."),
        Mistake("derivative instead", lambda z: ref.relu_derivative(z),
                "that is ReLU's derivative (0 or 1); relu(z) keeps the positive entries as they "
                "are: `np.maximum(z, 0.0)`."),
        Mistake("minimum", lambda z: np.minimum(z, 0.0),
                "ReLU keeps the POSITIVE entries and sets the negative ones to 0: "
                "`np.maximum`, not `np.minimum`."),
    ],
    notes=[Note("loop", lambda fn: has_loop(fn),
                "a Python loop works, but numpy's elementwise maximum does the whole array in one "
                "vectorised call, which is what a network with thousands of units needs.")],
    mutation_hint="relu must not change its input: `z[z < 0] = 0` writes into the caller's "
                  "array. Compute a new array (np.maximum), or work on `z.copy()`.",
    hints=("ReLU keeps each positive entry as it is and replaces each negative one by 0; the "
           "result has z's shape and is float.",
           "numpy's elementwise maximum of an array and a number does it (np.max is a reduction "
           "and Python's max compares whole arrays); compare with the float 0.0 so that integer "
           "input gives floats."),
))


def _relu_derivative_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: z = [-2, -0.5, 0, 0.5, 3] (0 included)",
             (np.array([-2.0, -0.5, 0.0, 0.5, 3.0]),)),
        Case("hand-made: z = 0 (a Python number, the kink)", (0.0,)),
        Case("hand-made: z = 2.5 (a Python number)", (2.5,)),
        Case("random: a (4, 3) matrix, every other column of a (4, 6) one",
             (rng.normal(size=(4, 6))[:, ::2],)),
        Case("hand-made: an integer array [[-3, 0], [2, 5]]", (np.array([[-3, 0], [2, 5]]),),
             verify=_float_result("relu_derivative", ref.relu_derivative)),
    ]


check_relu_derivative = make_check(Exercise(
    name="relu_derivative",
    reference=ref.relu_derivative,
    cases=_relu_derivative_cases,
    mistakes=[
        Mistake("1 at the kink", lambda z: (np.asarray(z, float) >= 0).astype(float),
                "at z = 0 exactly the convention is 0 (the derivative is 1 only where z > 0): "
                "`z > 0`, not `z >= 0`."),
        Mistake("relu itself", lambda z: ref.relu(z),
                "that is relu(z) itself; its derivative is the SLOPE: 1.0 where z > 0, else 0.0."),
        Mistake("sign", lambda z: np.sign(np.asarray(z, float)),
                "np.sign gives -1 for negative z, but ReLU is flat there: its slope is 0.0 where "
                "z <= 0 and 1.0 where z > 0."),
        Mistake("identity's slope", lambda z: np.ones_like(np.asarray(z, float)),
                "the slope is 1 only where z > 0; where z <= 0 ReLU is flat (slope 0.0)."),
        Mistake("booleans", lambda z: np.asarray(z) > 0,
                "a comparison gives booleans (True/False); the derivative is a float, 1.0 or "
                "0.0: convert with `.astype(float)` (or `np.where(z > 0, 1.0, 0.0)`)."),
    ],
    hints=("ReLU is two straight pieces: for z < 0 it is the constant 0, for z > 0 it is z. What "
           "is the slope of each piece? At z = 0 there is a kink: the convention is 0.",
           "1.0 where z > 0, 0.0 elsewhere (z = 0 included): a comparison turned into floats, "
           "the same shape as z."),
))


# --------------------------------------------------------------------------- local_derivatives
def _local_cases(rng: np.random.Generator) -> list[Case]:
    x = float(rng.normal(0, 2))
    return [
        Case("hand-made: '+' at x = 2, y = -3", ("+", 2.0, -3.0)),
        Case("hand-made: '*' at x = 2, y = -3 (Python ints)", ("*", 2, -3)),
        Case("hand-made: '**' at x = 3 with the constant exponent c = 2", ("**", 3.0, 2)),
        Case("hand-made: '**' at x = 4 with c = -0.5", ("**", 4.0, -0.5)),
        Case("hand-made: 'exp' at x = 0.5", ("exp", 0.5)),
        Case("hand-made: 'log' at x = 4", ("log", 4.0)),
        Case("hand-made: 'tanh' at x = 0.8", ("tanh", 0.8)),
        Case("hand-made: 'sigmoid' at x = 1.5", ("sigmoid", 1.5)),
        Case(f"random: 'sigmoid' at x = {x:.4f}", ("sigmoid", x)),
        Case("hand-made: 'sigmoid' at x = -800 (saturated)", ("sigmoid", -800.0)),
    ]


def _local(**wrong: Callable[..., Any]) -> Callable[..., Any]:
    """local_derivatives with the operations named in ``wrong`` replaced (keyword: the op's
    name, ``plus``, ``times``, ``power``, ``exp``, ``log``, ``tanh``, ``sigmoid``)."""
    names = {"+": "plus", "*": "times", "**": "power"}

    def local_derivatives(op, x, y=None):
        replaced = wrong.get(names.get(op, op))
        return replaced(x, y) if replaced else ref.local_derivatives(op, x, y)

    return local_derivatives


def _naive_sigmoid(x, y):
    import math

    s = 1.0 / (1.0 + math.exp(-x))  # math.exp(800) raises OverflowError
    return (s * (1.0 - s),)


check_local_derivatives = make_check(Exercise(
    name="local_derivatives",
    reference=ref.local_derivatives,
    cases=_local_cases,
    mistakes=[
        Mistake("'+': one derivative", _local(plus=lambda x, y: (1.0,)),
                "x + y has TWO inputs: return one derivative for each, (d/dx, d/dy)."),
        Mistake("'*': derivatives swapped", _local(times=lambda x, y: (float(x), float(y))),
                "the derivative of x * y with respect to x is y (the OTHER input), and with "
                "respect to y it is x: `(y, x)`."),
        Mistake("a bare number for one input", _local(
            power=lambda x, y: ref.local_derivatives("**", x, y)[0],
            exp=lambda x, y: ref.local_derivatives("exp", x)[0],
            log=lambda x, y: ref.local_derivatives("log", x)[0],
            tanh=lambda x, y: ref.local_derivatives("tanh", x)[0],
            sigmoid=lambda x, y: ref.local_derivatives("sigmoid", x)[0]),
                "return a tuple also when the operation has ONE Value input: `(d,)`, with the "
                "trailing comma (the Value class zips it with the parents)."),
        Mistake("'**': exponent not lowered", _local(power=lambda x, y: (y * x ** y,)),
                "the power goes down by one: the derivative of x ** c is `c * x ** (c - 1)`."),
        Mistake("'**': factor c missing", _local(power=lambda x, y: (x ** (y - 1),)),
                "bring the exponent down as a factor: the derivative of x ** c is "
                "`c * x ** (c - 1)`."),
        Mistake("'**': a derivative for the exponent too", _local(
            power=lambda x, y: (y * x ** (y - 1), x ** y * np.log(x))),
                "the exponent c is a constant number, not a Value input: `x ** c` has one input, "
                "so one derivative, `(c * x ** (c - 1),)`."),
        Mistake("'log': log instead of 1/x", _local(log=lambda x, y: (float(np.log(x)),)),
                "that is log(x) itself; its derivative is `1 / x`."),
        Mistake("'tanh': in terms of the activation", _local(tanh=lambda x, y: (1.0 - x ** 2,)),
                "`1 - x ** 2` is tanh's derivative written with the OUTPUT; here x is the input: "
                "`1 - math.tanh(x) ** 2`."),
        Mistake("'sigmoid': in terms of the activation",
                _local(sigmoid=lambda x, y: (x * (1.0 - x),)),
                "`x * (1 - x)` is the sigmoid's derivative written with the OUTPUT; here x is the "
                "input: with `s = sigmoid(x)`, the derivative is `s * (1 - s)`."),
        Mistake("'sigmoid' that overflows", _local(sigmoid=_naive_sigmoid),
                "`math.exp(-x)` overflows for x = -800: compute s with the helpers' stable "
                "`sigmoid(x)` (imported above), then `s * (1 - s)`."),
    ],
    warning_hints={"overflow": "np.exp(-x) overflows for x = -800: compute s with the helpers' "
                               "stable sigmoid, then combine."},
    hints=("differentiate the operation's output with respect to each Value input in turn (the "
           "other held fixed), and evaluate at the given numbers: the derivatives of x + y, x y, "
           "x^c, e^x, log x, tanh x and the sigmoid of x.",
           "+ and * have two inputs (return two numbers; for x y the derivative with respect to x "
           "is the other input), the rest one input (a 1-tuple). For ** the exponent c is a "
           "constant: the power rule. tanh and the sigmoid: your derivatives of section 2, at x."),
))


# --------------------------------------------------------------------------- topological_order
def _leaf(data: float, label: str) -> Value:
    return Value(data, label=label)


def _named(value: Value, label: str) -> Value:
    value.label = label
    return value


def _diamond() -> Value:
    """x, a = x * x, b = a * x, c = a * b: several paths, and a unique topological order."""
    x = _leaf(1.5, "x")
    a = _named(x * x, "a = x*x")
    b = _named(a * x, "b = a*x")
    return _named(a * b, "c = a*b")


def _chain() -> Value:
    x = _leaf(0.5, "x")
    e = _named(x.exp(), "exp(x)")
    return _named(e.log(), "log(exp(x))")


def _square() -> Value:
    x = _leaf(3, "x")  # an integer: a Value holds it as a float
    return _named(x * x, "x*x")


def _neuron() -> Value:
    """(w * x + b).sigmoid(): three leaves, so several orders are valid."""
    w, x, b = _leaf(0.8, "w"), _leaf(1.5, "x"), _leaf(-0.5, "b")
    wx = _named(w * x, "w*x")
    z = _named(wx + b, "z = w*x + b")
    return _named(z.sigmoid(), "sigmoid(z)")


def _labels_of(value: Any) -> Any:
    """A list of nodes as the list of their labels (anything else in it left as it is)."""
    if isinstance(value, list | tuple):
        return [item.label if isinstance(item, Value) else item for item in value]
    return value


def _all_nodes(root: Value) -> dict[str, Value]:
    return {node.label: node for node in ref.topological_order(root)}


def _valid_order(got: Any, call: Any, root: Value) -> str | None:
    """Any topological order of a graph with several: each node once, parents first."""
    nodes = _all_nodes(root)
    if not isinstance(got, list):
        return f"the result should be a list of the graph's nodes, got {short_type(got)}."
    unknown = [item for item in got if item not in nodes]
    if unknown:
        return (f"{unknown[0]!r} is not a node of the graph: the list holds the Value objects "
                f"themselves (the nodes), nothing else.")
    repeated = sorted({label for label in got if got.count(label) > 1})
    if repeated:
        return (f"{repeated[0]!r} appears {got.count(repeated[0])} times: each node goes into the "
                f"list once, even when it is reached along several paths (remember the visited "
                f"nodes).")
    missing = [label for label in nodes if label not in got]
    if missing:
        return (f"nodes missing: {', '.join(map(repr, missing))}. Every node the root was "
                f"computed from belongs in the list, down to the leaves, and the root itself.")
    for position, label in enumerate(got):
        for parent in nodes[label].parents:
            if got.index(parent.label) > position:
                return (f"{label!r} comes before its parent {parent.label!r}: a node goes into "
                        f"the list only after all its parents.")
    return None


def _dfs_without_visited(root):
    order = []

    def visit(node):
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order


def _pre_order(root):
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            order.append(node)
            for parent in node.parents:
                visit(parent)

    visit(root)
    return order


_ORDER_TIER_2 = (
    "a recursive helper visit(node): if the node is not in a set of visited nodes, add it to the "
    "set, visit each of its parents, then append the node to the list. Call it on the root and "
    "return the list.")

check_topological_order = make_check(Exercise(
    name="topological_order",
    reference=ref.topological_order,
    cases=[
        Case("hand-made: a single leaf x", (_leaf(2.0, "x"),)),
        Case("hand-made: c = a*b with a = x*x, b = a*x (several paths; one valid order)",
             (_diamond(),)),
        Case("hand-made: a chain x -> exp(x) -> log(exp(x))", (_chain(),)),
        Case("hand-made: x*x (the same parent twice)", (_square(),)),
        Case("hand-made: sigmoid(w*x + b) (three leaves: several valid orders)", (_neuron(),),
             verify=_valid_order),
    ],
    prepare=_labels_of,
    mistakes=[
        Mistake("no visited set", _dfs_without_visited,
                "a node reached along several paths is listed several times: keep a set of the "
                "nodes already visited, and skip a node that is in it."),
        Mistake("node before its parents", _pre_order,
                "the node is appended BEFORE its parents: append a node only after visiting all "
                "its parents, so that the leaves come first and the root last."),
        Mistake("reversed", lambda root: ref.topological_order(root)[::-1],
                "the list is reversed: parents come first, the root comes LAST (append a node "
                "after visiting its parents, and do not reverse the list)."),
        Mistake("only the direct parents", lambda root: [*dict.fromkeys(root.parents), root],
                "only the root's own parents are listed: visit the parents' parents too "
                "(recursively), down to the leaves."),
        Mistake("data instead of nodes",
                lambda root: [node.data for node in ref.topological_order(root)],
                "return the nodes themselves (the Value objects), not their `.data`."),
    ],
    hints=("a node may go into the list only when all its parents are in it: before adding a node, "
           "visit its parents (and theirs...). A node can be reached along several paths: add it "
           "once.", _ORDER_TIER_2),
))


# --------------------------------------------------------------------------- gradients
class _Gradients:
    """A ``{node: gradient}`` dict seen through the nodes' labels: equal to another when the labels
    match and the gradients are close (so that a copied graph compares with its original)."""

    def __init__(self, items: Mapping[Any, float]):
        self.items = items

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Gradients) or set(self.items) != set(other.items):
            return False
        return all(np.isclose(float(self.items[key]), float(other.items[key]), rtol=1e-6,
                              atol=1e-9) for key in self.items)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{key}: {_number(value)}" for key, value in self.items.items()) \
            + "}"


def _number(value: Any) -> str:
    try:
        return f"{float(value):.6g}"
    except (TypeError, ValueError):
        return repr(value)


def _by_label(value: Any) -> Any:
    """A dict keyed by nodes as :class:`_Gradients` keyed by their labels, in label order."""
    if not isinstance(value, dict):
        return value
    keys = [key.label if isinstance(key, Value) else key for key in value]
    if len(set(map(repr, keys))) != len(keys):
        return value
    pairs = sorted(zip(keys, value.values(), strict=True), key=lambda pair: repr(pair[0]))
    return _Gradients(dict(pairs))


def _two_paths() -> Value:
    """L = x*y + x: x reaches L along two paths."""
    x, y = _leaf(2.0, "x"), _leaf(-3, "y")
    xy = _named(x * y, "x*y")
    return _named(xy + x, "L = x*y + x")


def _activations() -> Value:
    """tanh, exp, log, sigmoid and ** in one graph."""
    x = _leaf(0.3, "x")
    t = _named(x.tanh(), "t = tanh(x)")
    e = _named(t.exp(), "e = exp(t)")
    s = _named(x.sigmoid(), "s = sigmoid(x)")
    q = _named(s ** 2, "q = s**2")
    m = _named(e * q, "m = e*q")
    return _named(m.log(), "L = log(m)")


def _cross_entropy_neuron() -> Value:
    """One sigmoid neuron with two inputs and the cross-entropy: -(y log p + (1 - y) log(1 - p)),
    constants made explicit (labelled) so that every node has a label."""
    w1, w2, b = _leaf(0.5, "w1"), _leaf(-1.0, "w2"), _leaf(0.1, "b")
    x1, x2, y, one, minus = (_leaf(1.2, "x1"), _leaf(0.4, "x2"), _leaf(1.0, "y"),
                             _leaf(1.0, "1"), _leaf(-1.0, "-1"))
    z = _named(_named(_named(w1 * x1, "w1*x1") + _named(w2 * x2, "w2*x2"), "sum") + b, "z")
    p = _named(z.sigmoid(), "p")
    log_p = _named(p.log(), "log p")
    one_minus_p = _named(one + _named(p * minus, "-p"), "1 - p")
    one_minus_y = _named(one + _named(y * minus, "-y"), "1 - y")
    log_q = _named(one_minus_p.log(), "log(1 - p)")
    total = _named(_named(y * log_p, "y log p") + _named(one_minus_y * log_q,
                                                          "(1 - y) log(1 - p)"), "sum of logs")
    return _named(total * minus, "L")


def _wrong_gradients(*, overwrite=False, forward=False, seed=1.0, chain=True, leaves_only=False):
    def gradients(root):
        order = ref.topological_order(root)
        grads = dict.fromkeys(order, 0.0)
        grads[root] = seed
        for node in (order if forward else reversed(order)):
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                step = local * grads[node] if chain else local
                grads[parent] = step if overwrite else grads[parent] + step
        if leaves_only:
            return {node: grad for node, grad in grads.items() if not node.parents}
        return grads

    return gradients


_GRADIENTS_CASES = [
    Case("hand-made: a single leaf x (d x / d x = 1)", (_leaf(2.0, "x"),)),
    Case("hand-made: L = x*y + x (x reaches L along two paths)", (_two_paths(),)),
    Case("hand-made: x*x (the same parent twice)", (_square(),)),
    Case("hand-made: L = log(exp(tanh(x)) * sigmoid(x)**2)", (_activations(),)),
    Case("hand-made: one sigmoid neuron with the cross-entropy loss",
         (_cross_entropy_neuron(),)),
]


def _missing_nodes(got: Any, root: Value) -> bool:
    return isinstance(got, _Gradients) and set(got.items) < set(_all_nodes(root))


check_gradients = make_check(Exercise(
    name="gradients",
    uses=("topological_order",),
    reference=ref.gradients,
    cases=_GRADIENTS_CASES,
    prepare=_by_label,
    mistakes=[
        Mistake("no seed", _wrong_gradients(seed=0.0),
                "every gradient is 0: start from the root's own gradient, d root / d root = 1, "
                "before going backwards."),
        Mistake("paths overwrite each other", _wrong_gradients(overwrite=True),
                "a node reached along several paths must get the SUM of what each path brings "
                "(`grads[parent] += ...`); with `=` the last path overwrites the others."),
        Mistake("forward order", _wrong_gradients(forward=True),
                "go through the nodes from the root back to the leaves (the REVERSE of the "
                "topological order): a node's gradient must be complete before it is passed on "
                "to its parents."),
        Mistake("local derivative only", _wrong_gradients(chain=False),
                "the chain rule: what a node passes to a parent is its own gradient TIMES the "
                "local derivative, `local * grads[node]`, not the local derivative alone."),
        Mistake("leaves only", _wrong_gradients(leaves_only=True),
                "return the gradient of EVERY node of the graph (the intermediate nodes and the "
                "root too), not only the leaves."),
    ],
    diagnoses=[Diagnosis("nodes missing", _missing_nodes,
                         "some nodes of the graph have no entry: the dict maps every node of "
                         "topological_order(root) to its gradient, the root included (1.0).")],
    hints=("the chain rule from the root backwards: the root's gradient is 1, and each node passes "
           "to each of its parents its own gradient times the local derivative it recorded for "
           "that parent. A node reached along several paths adds up what each path brings.",
           "a dict from every node of the topological order to 0.0, the root set to 1.0; then "
           "the nodes in REVERSE topological order, and for each parent of a node, paired with "
           "the local derivative recorded for it (node.parents and node.local_grads, in the same "
           "order): add the local derivative times the node's gradient to the parent's."),
))


# --------------------------------------------------------------------------- challenges
def _softplus_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: z = 0 (a Python int)", (0,)),
        Case("hand-made: z = [-2, -1, 0, 1, 2] (an integer array)",
             (np.array([-2, -1, 0, 1, 2]),)),
        Case("hand-made: large |z| (z = -800 and 800)", (np.array([-800.0, -40.0, 40.0, 800.0]),)),
        Case("random: a (3, 4) matrix", (rng.normal(0, 3, size=(3, 4)),)),
    ]


_SOFTPLUS_OVERFLOW = ("e^z overflows for z = 800: divide the numerator and the denominator by "
                      "e^z, or recognise a function you already have in a stable form.")

check_softplus_derivative = make_check(Exercise(
    name="softplus_derivative",
    reference=ref.softplus_derivative,
    cases=_softplus_cases,
    challenge=True,
    mistakes=[
        Mistake("softplus itself", lambda z: ref.softplus(z),
                "that is softplus(z) itself; its derivative is d/dz log(1 + e^z)."),
        Mistake("inner derivative missing or sign flipped", lambda z: sigmoid(-np.asarray(z)),
                "d/dz log(1 + e^z) = (1 / (1 + e^z)) times the inner derivative e^z: with the "
                "inner derivative the result is e^z / (1 + e^z), which increases with z."),
        Mistake("e^z alone", lambda z: np.exp(np.minimum(np.asarray(z, float), 700.0)),
                "the derivative of log(u) is u' / u: e^z / (1 + e^z), not e^z alone."),
    ],
    warning_hints={"overflow": _SOFTPLUS_OVERFLOW, "invalid value": _SOFTPLUS_OVERFLOW},
    hints=("the chain rule on log(u) with u = 1 + e^z: (1/u) times u'.",
           "you get e^z / (1 + e^z): divide top and bottom by e^z and look at what remains."),
))


def _regression_cases(rng: np.random.Generator) -> list[Case]:
    loss = ref.regression_loss
    return [
        _backprop_case("random: 1-1 network (no hidden layer: linear regression), 5 samples",
                       rng, [1, 1], 5, "tanh", loss, "tanh"),
        _backprop_case("random: 1-4-1 network, tanh (the defaults), 6 samples", rng, [1, 4, 1],
                       6, "tanh", loss, "tanh"),
        _backprop_case("random: 2-3-2-1 network, sigmoid hidden units, 5 samples", rng,
                       [2, 3, 2, 1], 5, "sigmoid", loss, "tanh"),
        _backprop_case("random: 2-4-1 network, ReLU hidden units, 1 sample", rng, [2, 4, 1], 1,
                       "relu", loss, "tanh"),
    ]


def _regression_mistake(out: Callable[..., np.ndarray], column: bool = True):
    def wrong(X, y, weights, activation=tanh, activation_derivative=ref.tanh_derivative):
        zs, z_lins = mlp_forward(X, weights, activation)
        delta = out(zs[-1], z_lins[-1], y.reshape(-1, 1) if column else y)
        grads: list[Any] = [None] * len(weights)
        for layer in range(len(weights) - 1, -1, -1):
            grads[layer] = ref.weight_gradient(zs[layer], delta)
            if layer > 0:
                delta = ref.hidden_delta(z_lins[layer - 1], weights[layer], delta,
                                         activation_derivative)
        return grads

    return wrong


_LINEAR_OUTPUT_HINT = (
    "the output is LINEAR now: y_hat is the last layer's z_lin (z_lins[-1]), not the sigmoid's "
    "p = zs[-1] (mlp_forward applies a sigmoid to the last layer; a regression network does "
    "not); and the squared error's delta is 2 (y_hat - y).")

check_regression_backprop = make_check(Exercise(
    name="regression_backprop",
    uses=("hidden_delta", "weight_gradient"),
    reference=ref.regression_backprop,
    arg_names=("X", "y", "weights"),
    cases=_regression_cases,
    tolerance=Tolerance(rtol=1e-5, atol=1e-8),
    challenge=True,
    mistakes=[
        Mistake("backprop's output delta kept", _regression_mistake(lambda p, z, y: p - y),
                _LINEAR_OUTPUT_HINT),
        Mistake("sigmoid output as y_hat", _regression_mistake(lambda p, z, y: 2 * (p - y)),
                _LINEAR_OUTPUT_HINT),
        Mistake("factor 2 missing", _regression_mistake(lambda p, z, y: z - y),
                "the derivative of (y_hat - y)^2 with respect to y_hat is 2 (y_hat - y): the "
                "factor 2 is missing."),
        Mistake("sign flipped", _regression_mistake(lambda p, z, y: 2 * (y - z)),
                "the sign is flipped: d/dy_hat (y_hat - y)^2 = 2 (y_hat - y)."),
        Mistake("sigmoid factor kept", _regression_mistake(
            lambda p, z, y: 2 * p * (1 - p) * (p - y)),
                "that is the delta of a SIGMOID output with the squared error; the output here is "
                "linear (no activation, slope 1): the delta is 2 (y_hat - y) with y_hat = "
                "z_lins[-1]."),
        Mistake("y not a column", _regression_mistake(lambda p, z, y: 2 * (z - y), column=False),
                "y has shape (n,) and the output (n, 1): reshape y to a column before subtracting, "
                "or the difference broadcasts to (n, n)."),
    ],
    hints=("only the output delta changes: the output is the last layer's linear combination "
           "y_hat (no sigmoid), and the loss is the mean of (y_hat - y)^2. Differentiate one "
           "sample's loss with respect to y_hat.",
           "delta_out = 2 (y_hat - y) per sample, with y_hat = z_lins[-1] (n, 1) and y as a "
           "column; the hidden deltas and the weight gradients are exactly those of backprop."),
))


class _Node:
    """What matters of a Value node for ``divide``: its data and, parent by parent, the local
    derivative (in any order: the parents may be listed either way round)."""

    def __init__(self, data: Any, links: tuple):
        self.data, self.links = data, links

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Node) or len(self.links) != len(other.links):
            return False
        try:
            close = np.isclose(float(self.data), float(other.data), rtol=1e-9, atol=1e-12)
            return bool(close) and all(
                a[0] == b[0] and np.isclose(float(a[1]), float(b[1]), rtol=1e-9, atol=1e-12)
                for a, b in zip(self.links, other.links, strict=True))
        except (TypeError, ValueError):
            return False

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        links = ", ".join(f"{label}: {_number(local)}" for label, local in self.links)
        return f"Value(data={_number(self.data)}; parents and local derivatives {{{links}}})"


def _as_node(value: Any) -> Any:
    if not isinstance(value, Value) and not all(
            hasattr(value, name) for name in ("data", "parents", "local_grads")):
        return value
    try:
        parents = [getattr(parent, "label", repr(parent)) for parent in value.parents]
        links = tuple(sorted(zip(parents, value.local_grads, strict=False),
                             key=lambda link: (link[0], _number(link[1]))))
        if len(parents) != len(tuple(value.local_grads)):
            links += (("(local derivatives and parents differ in number)", float("nan")),)
        return _Node(value.data, links)
    except TypeError:
        return value


def _divide_cases(rng: np.random.Generator) -> list[Case]:
    x = _leaf(2.0, "x")
    return [
        Case("hand-made: a = 3, b = 4", (_leaf(3.0, "a"), _leaf(4.0, "b"))),
        Case("hand-made: a = -2, b = 0.5", (_leaf(-2.0, "a"), _leaf(0.5, "b"))),
        Case("hand-made: a = 6, b = 3 (given as integers)", (_leaf(6, "a"), _leaf(3, "b"))),
        Case("hand-made: x / x (the same Value twice)", (x, x)),
    ]


check_divide = make_check(Exercise(
    name="divide",
    reference=ref.divide,
    cases=_divide_cases,
    prepare=_as_node,
    challenge=True,
    mistakes=[
        Mistake("a number, not a Value", lambda a, b: a.data / b.data,
                "return a new Value (its data, its parents (a, b) and one local derivative per "
                "parent), not the number a.data / b.data: the graph must remember the division."),
        Mistake("through * and **", lambda a, b: a * b ** -1,
                "`a * b ** -1` is a / b built from two existing operations: its gradients are "
                "right, but the challenge is ONE new operation: a single node whose parents are "
                "a and b, with the local derivatives of the division itself."),
        Mistake("denominator's sign", lambda a, b: Value(
            a.data / b.data, (a, b), (1 / b.data, a.data / b.data ** 2), "/"),
                "the derivative of a / b with respect to b is NEGATIVE: -a / b**2 (b is in the "
                "denominator: a larger b gives a smaller result)."),
        Mistake("a missing in the b derivative", lambda a, b: Value(
            a.data / b.data, (a, b), (1 / b.data, -1 / b.data ** 2), "/"),
                "d(a / b)/db = -a / b**2: the factor a is missing (a / b = a * b**-1)."),
        Mistake("only a as a parent", lambda a, b: Value(a.data / b.data, (a,), (1 / b.data,),
                                                         "/"),
                "b is an input too: the result has two parents, (a, b), and two local "
                "derivatives, (1 / b, -a / b**2)."),
        Mistake("local derivatives swapped", lambda a, b: Value(
            a.data / b.data, (a, b), (-a.data / b.data ** 2, 1 / b.data), "/"),
                "each local derivative goes with its parent, in the same order: the first, "
                "1 / b, with a; the second, -a / b**2, with b."),
    ],
    hints=("a / b = a * b**-1: differentiate with respect to a (b fixed) and with respect to b "
           "(a fixed), then build the result node as the Value class's operations do.",
           "the result's data is a's value over b's; its parents are a and b; its local "
           "derivatives, in the same order, 1/b and -a/b^2 at the current values; its op '/'."),
))
