"""Checks for notebook 03: the perceptron, neurons (tanh) and the MLP's forward pass.

Each checker is a declaration on :mod:`helpers.checks.engine`: hand-made cases (small enough to
follow by hand, with samples exactly on a boundary where that matters), random cases drawn from a
seeded generator, and the usual mistakes of the exercise, each written as a tiny wrong
implementation with the hint that gets an attendee unstuck. Expected values come from
:mod:`helpers.reference.neural_networks`.
"""

from __future__ import annotations

import numpy as np

from helpers.checks.engine import Case, Exercise, Mistake, make_check
from helpers.reference import neural_networks as ref
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid


def relu(z: np.ndarray) -> np.ndarray:
    """``max(z, 0)``: an activation unlike the sigmoid, so a hard-coded sigmoid shows up."""
    return np.maximum(z, 0.0)


def identity(z: np.ndarray) -> np.ndarray:
    """No activation at all (a linear layer)."""
    return z


# --------------------------------------------------------------------------- perceptron_predict
def _perceptron_predict_cases(rng: np.random.Generator) -> list[Case]:
    # Sample 2 lies exactly on the boundary (score 0): the perceptron says +1 there.
    X_hand = np.array([[2.0, 1.0, 1.0], [-1.0, 0.5, 1.0], [1.0, 1.0, 1.0], [0.0, -3.0, 1.0]])
    w_hand = np.array([1.0, 0.0, -1.0])
    # Whole-number inputs and weights: several scores are exactly 0.
    X_int = add_bias(rng.integers(-2, 3, size=(12, 2)).astype(float))
    w_int = np.array([1.0, -1.0, 0.0])
    return [
        Case("hand-made: 4 samples, scores 1, -2, 0 (on the boundary), -1", (X_hand, w_hand)),
        Case("random: 12 whole-number samples, several on the boundary", (X_int, w_int)),
        Case("random: 20 samples, 3 features", (rng.normal(size=(20, 3)), rng.normal(size=3))),
    ]


check_perceptron_predict = make_check(Exercise(
    name="perceptron_predict",
    reference=ref.perceptron_predict,
    cases=_perceptron_predict_cases,
    mistakes=[
        Mistake("np.sign", lambda X, w: np.sign(X @ w),
                "`np.sign` returns 0 where X @ w == 0 (a point on the boundary); the perceptron "
                "must answer +1 or -1 there: `np.where(X @ w >= 0, 1.0, -1.0)`."),
        Mistake("strict >", lambda X, w: np.where(X @ w > 0, 1.0, -1.0),
                "a point exactly on the boundary (X @ w == 0) belongs to class +1: use `>= 0`, "
                "not `> 0`."),
        Mistake("0/1 labels", lambda X, w: np.where(X @ w >= 0, 1.0, 0.0),
                "the perceptron's labels are +1 and -1, not 1 and 0 (nor True / False): "
                "`np.where(X @ w >= 0, 1.0, -1.0)`."),
        Mistake("raw scores", lambda X, w: X @ w,
                "you returned the scores X @ w; threshold them into +1 / -1 labels."),
        Mistake("sides swapped", lambda X, w: np.where(X @ w >= 0, -1.0, 1.0),
                "the labels are swapped: +1 goes where X @ w >= 0 (the side w points to)."),
    ],
    hints=("return +1.0 where X @ w >= 0 and -1.0 elsewhere, one label per sample: shape (n,).",),
))


# --------------------------------------------------------------------------- perceptron_train
def _misclassified(x: np.ndarray, y: float, w: np.ndarray) -> bool:
    return (1.0 if x @ w >= 0 else -1.0) != y


def _train(X, y, n_epochs, update, start=None, wrong=_misclassified):
    """The perceptron loop with one piece swapped: the usual mistakes are built from it."""
    w = np.zeros(X.shape[1]) if start is None else start(X)
    for _ in range(n_epochs):
        for x_i, y_i in zip(X, y, strict=True):
            if wrong(x_i, y_i, w):
                w = update(w, x_i, y_i)
    return w


def _add(w, x, y):
    return w + y * x


def _separable(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Points on both sides of a random line through (almost) the origin, with a margin."""
    w_true = np.array([1.5, -1.0, 0.3])
    X = add_bias(rng.uniform(-2.0, 2.0, size=(4 * n, 2)))
    scores = X @ w_true
    keep = np.abs(scores) > 0.3
    X, scores = X[keep][:n], scores[keep][:n]
    return X, np.where(scores >= 0, 1.0, -1.0)


def _perceptron_train_cases(rng: np.random.Generator) -> list[Case]:
    # Four points (x1, x2, 1); the first is +1 and has score 0 at the start (counts as correct).
    X_hand = np.array([[1.0, 2.0, 1.0], [2.0, -1.0, 1.0], [-1.0, -1.0, 1.0], [0.5, 1.5, 1.0]])
    y_hand = np.array([1.0, -1.0, -1.0, 1.0])
    X_rand, y_rand = _separable(rng, 30)
    return [
        Case("hand-made: 4 samples, 1 epoch", (X_hand, y_hand, 1)),
        Case("hand-made: 4 samples, 5 epochs", (X_hand, y_hand, 5)),
        Case("hand-made: 0 epochs (the starting weights)", (X_hand, y_hand, 0)),
        Case("random: 30 separable samples, 3 epochs", (X_rand, y_rand, 3)),
        Case("random: 30 separable samples, 20 epochs", (X_rand, y_rand, 20)),
    ]


check_perceptron_train = make_check(Exercise(
    name="perceptron_train",
    uses=("perceptron_predict",),
    reference=ref.perceptron_train,
    cases=_perceptron_train_cases,
    mistakes=[
        Mistake("subtract", lambda X, y, n: _train(X, y, n, lambda w, x, t: w - t * x),
                "the update ADDS y_i * x_i (`w = w + y_i * x_i`): it turns w towards the "
                "misclassified sample's side. Subtracting pushes it the wrong way."),
        Mistake("update every sample", lambda X, y, n: _train(X, y, n, _add,
                                                             wrong=lambda x, t, w: True),
                "update only when sample i is MISCLASSIFIED (its predicted label, +1 where "
                "x_i @ w >= 0, differs from y_i); you updated on every sample."),
        # np.sign(x_i @ w) != y_i is the same test as y_i * (x_i @ w) <= 0 for +1/-1 labels.
        Mistake("y * score <= 0", lambda X, y, n: _train(
                    X, y, n, _add, wrong=lambda x, t, w: t * (x @ w) <= 0),
                "a sample with x_i @ w == 0 is predicted +1 (as in perceptron_predict), so a +1 "
                "sample on the boundary is correct and must not trigger an update: test "
                "`prediction != y_i`, not `y_i * (x_i @ w) <= 0` (or np.sign, which gives 0)."),
        Mistake("0/1 prediction", lambda X, y, n: _train(
                    X, y, n, _add, wrong=lambda x, t, w: (1.0 if x @ w >= 0 else 0.0) != t),
                "your prediction inside the loop is 1/0, but the labels are +1/-1, so every -1 "
                "sample looks misclassified: predict -1.0 (not 0) on the negative side."),
        Mistake("learning rate (y - y_hat)", lambda X, y, n: _train(
                    X, y, n, lambda w, x, t: w + (t - (1.0 if x @ w >= 0 else -1.0)) * x),
                "with +1/-1 labels, (y_i - prediction) * x_i is 2 * y_i * x_i: the rule here "
                "adds y_i * x_i (no factor, no learning rate)."),
        Mistake("start from ones", lambda X, y, n: _train(X, y, n, _add,
                                                         start=lambda X: np.ones(X.shape[1])),
                "start from zeros: `w = np.zeros(X.shape[1])`."),
        Mistake("n_epochs ignored", lambda X, y, n: ref.perceptron_train(X, y, 1),
                "loop over the epochs as well: `for epoch in range(n_epochs):` around the loop "
                "over the samples."),
    ],
    hints=("the classic rule, exactly: start from w = np.zeros(d); in each of the n_epochs "
          "epochs visit the samples in order i = 0, 1, ..., n-1 (no shuffling: the check expects "
          "the exact weights of this order); when the prediction (+1 where x_i @ w >= 0, "
          "else -1) differs from y_i, set w = w + y_i * x_i.",),
    mutation_hint="start from a new array (`w = np.zeros(X.shape[1])`) and never write into X "
                  "or y.",
))


# --------------------------------------------------------------------------- tanh
# tanh's overflow hint names its own stable form rather than the sigmoid's.
_TANH_OVERFLOW_HINT = (
    "(e^z - e^-z) / (e^z + e^-z) overflows once |z| > 710 (e^z is inf, and inf / inf is NaN). "
    "Divide top and bottom by e^|z|: tanh(z) = sign(z) * (1 - e^(-2|z|)) / (1 + e^(-2|z|)); exp "
    "then only sees numbers <= 0.")


def _naive_tanh(z):
    with np.errstate(all="ignore"):
        z = np.asarray(z, dtype=float)
        return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def _tanh_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: a single number, z = 0.5", (0.5,)),
        Case("hand-made: z = -2, -0.5, 0, 0.5, 2", (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),)),
        Case("random: a (3, 4) matrix", (rng.normal(0.0, 2.0, size=(3, 4)),)),
        Case("hand-made: large |z| (-1e4 ... 1e4) must not overflow",
             (np.array([-1e4, -800.0, -30.0, 1e-10, 30.0, 800.0, 1e4]),)),
    ]


check_tanh = make_check(Exercise(
    name="tanh",
    reference=ref.tanh,
    cases=_tanh_cases,
    mistakes=[
        Mistake("sigmoid", lambda z: sigmoid(z),
                "that is the sigmoid 1 / (1 + e^-z), with values in (0, 1). tanh has values in "
                "(-1, 1): (e^z - e^-z) / (e^z + e^-z), which is also 2 * sigmoid(2z) - 1."),
        Mistake("naive formula, warnings silenced", _naive_tanh,
                "(e^z - e^-z) / (e^z + e^-z) overflows for large |z| (inf / inf = NaN), even "
                "with the warnings silenced. Divide top and bottom by e^|z|: tanh(z) = sign(z) * "
                "(1 - e^(-2|z|)) / (1 + e^(-2|z|))."),
        Mistake("sign lost", lambda z: (1 - np.exp(-2 * np.abs(np.asarray(z, float))))
                / (1 + np.exp(-2 * np.abs(np.asarray(z, float)))),
                "you used |z| and lost the sign: tanh is odd (tanh(-z) = -tanh(z)), so multiply "
                "by np.sign(z)."),
        Mistake("sinh", lambda z: (np.exp(z) - np.exp(-z)) / 2,
                "(e^z - e^-z) / 2 is sinh, not tanh: divide by (e^z + e^-z)."),
        Mistake("exp(-2z) without 2", lambda z: np.sign(z) * (1 - np.exp(-np.abs(z)))
                / (1 + np.exp(-np.abs(z))),
                "dividing top and bottom by e^|z| gives e^(-2|z|) (twice |z|), not e^(-|z|)."),
    ],
    hints=("tanh(z) = (e^z - e^-z) / (e^z + e^-z), elementwise, same shape as z; for large |z| use "
         "sign(z) * (1 - e^(-2|z|)) / (1 + e^(-2|z|)).",),
    warning_hints={"overflow": _TANH_OVERFLOW_HINT, "invalid value": _TANH_OVERFLOW_HINT},
))


# --------------------------------------------------------------------------- layer_forward
def _layer_forward_cases(rng: np.random.Generator) -> list[Case]:
    X_hand = np.array([[1.0, 2.0], [0.0, -1.0]])
    W_hand = np.array([[0.5, -1.0], [0.25, 0.5], [0.0, 0.5]])  # last row: the biases
    return [
        Case("hand-made: 2 samples, 2 inputs -> 2 units, sigmoid", (X_hand, W_hand, sigmoid)),
        Case("random: 5 samples, 3 inputs -> 4 units, tanh", (
            rng.normal(size=(5, 3)), rng.normal(size=(4, 4)), ref.tanh)),
        Case("random: 6 samples, 2 inputs -> 3 units, relu", (
            rng.normal(size=(6, 2)), rng.normal(size=(3, 3)), relu)),
        Case("random: 4 samples, 3 inputs -> 1 unit, sigmoid", (
            rng.normal(size=(4, 3)), rng.normal(size=(4, 1)), sigmoid)),
    ]


def _swap(pair):
    return pair[1], pair[0]


check_layer_forward = make_check(Exercise(
    name="layer_forward",
    reference=ref.layer_forward,
    cases=_layer_forward_cases,
    outputs=("z_lin", "z"),
    mistakes=[
        Mistake("(z, z_lin)", lambda X, W, f: _swap(ref.layer_forward(X, W, f)),
                "the two outputs are swapped: return `z_lin, z` (the linear part first, then "
                "the activation)."),
        Mistake("bias ignored", lambda X, W, f: (X @ W[:-1], f(X @ W[:-1])),
                "the last row of W holds the biases: multiply add_bias(X) (ones appended last) "
                "by the whole W, `add_bias(X) @ W`, instead of dropping the bias row."),
        Mistake("bias first", lambda X, W, f: (
                    np.hstack([np.ones((len(X), 1)), X]) @ W,
                    f(np.hstack([np.ones((len(X), 1)), X]) @ W)),
                "the column of ones goes LAST (add_bias), matching the bias in the LAST row of "
                "W: use `add_bias(X) @ W`."),
        Mistake("sigmoid hard-coded", lambda X, W, f: ref.layer_forward(X, W, sigmoid),
                "apply the `activation` argument (`activation(z_lin)`), not a fixed sigmoid: "
                "the same function must work with tanh or any other activation."),
        Mistake("z_lin activated", lambda X, W, f: (f(add_bias(X) @ W), f(add_bias(X) @ W)),
                "z_lin is the linear part before the activation: `add_bias(X) @ W`."),
    ],
    hints=("z_lin = add_bias(X) @ W (shape (n, d_out)), z = activation(z_lin); return z_lin, z.",),
))


# --------------------------------------------------------------------------- mlp_forward
def _forward(X, weights, hidden, output, keep_input=True):
    """A forward pass with chosen activations: the usual mistakes are built from it."""
    zs, z_lins = [X], []
    for index, W in enumerate(weights):
        z_lin = add_bias(zs[-1]) @ W
        z_lins.append(z_lin)
        zs.append((output if index == len(weights) - 1 else hidden)(z_lin))
    return (zs if keep_input else zs[1:]), z_lins


def _mlp_forward_cases(rng: np.random.Generator) -> list[Case]:
    # The notebook's worked 2-2-1 example.
    X_hand = np.array([[1.0, 2.0]])
    w_hand = [np.array([[0.5, -1.0], [0.25, 0.5], [0.0, 0.5]]), np.array([[1.0], [-1.0], [0.5]])]
    return [
        Case("hand-made: the 2-2-1 example, 1 sample, default activation", (X_hand, w_hand)),
        Case("random: 2-3-1 network, 5 samples, tanh hidden layer", (
            rng.normal(size=(5, 2)), ref.init_weights((2, 3, 1), rng, scale=1.0), ref.tanh)),
        Case("random: 3-4-3-1 network (two hidden layers), 4 samples, relu", (
            rng.normal(size=(4, 3)), ref.init_weights((3, 4, 3, 1), rng, scale=1.0), relu)),
        Case("random: 2-1 network (no hidden layer), 3 samples, tanh", (
            rng.normal(size=(3, 2)), ref.init_weights((2, 1), rng, scale=1.0), ref.tanh)),
    ]


def _act(args):
    return args[2] if len(args) > 2 else sigmoid


check_mlp_forward = make_check(Exercise(
    name="mlp_forward",
    uses=("layer_forward", "tanh"),
    reference=ref.mlp_forward,
    cases=_mlp_forward_cases,
    outputs=("zs", "z_lins"),
    mistakes=[
        Mistake("activation on the output", lambda *a: _forward(a[0], a[1], _act(a), _act(a)),
                "the output layer always uses the sigmoid (its output is a probability); "
                "`activation` is for the hidden layers only."),
        Mistake("no hidden activation", lambda *a: _forward(a[0], a[1], identity, sigmoid),
                "apply the activation to every hidden layer too: zs[l + 1] = "
                "activation(z_lins[l]). Without it, the hidden layers are linear and the "
                "network is no better than logistic regression."),
        Mistake("sigmoid everywhere", lambda *a: _forward(a[0], a[1], sigmoid, sigmoid),
                "use the `activation` argument for the hidden layers (it is not always the "
                "sigmoid); only the output layer uses a fixed sigmoid."),
        Mistake("zs without X", lambda *a: _forward(a[0], a[1], _act(a), sigmoid,
                                                    keep_input=False),
                "zs starts with the input itself: zs[0] = X, so len(zs) == len(weights) + 1 "
                "and len(z_lins) == len(weights)."),
        Mistake("tanh hard-coded", lambda *a: _forward(a[0], a[1], ref.tanh, sigmoid),
                "use the `activation` argument for the hidden layers, not a fixed tanh."),
    ],
    hints=("zs = [X]; for each W in weights: z_lin = add_bias(zs[-1]) @ W, then append "
          "activation(z_lin) (sigmoid for the LAST layer) to zs and z_lin to z_lins. "
          "len(zs) == len(weights) + 1, len(z_lins) == len(weights).",),
))
