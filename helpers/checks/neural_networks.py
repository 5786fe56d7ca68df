"""Checks for notebook 03: the perceptron, neurons (tanh) and the MLP's forward pass.

Each checker is a declaration on :mod:`helpers.checks.engine`: hand-made cases (small enough to
follow by hand, with samples exactly on a boundary where that matters), realistic inputs (integer
arrays, Python numbers, one sample, one feature, non-contiguous views), random cases drawn from a
seeded generator, and the usual mistakes of the exercise, each written as a tiny wrong
implementation with the hint that gets an attendee unstuck. Expected values come from
:mod:`helpers.reference.neural_networks`.

The last three exercises are the notebook's challenges: the pocket perceptron (★), a hand-set
network for XOR, checked by its predictions (★★), and the softplus activation (★★★).
"""

from __future__ import annotations

import math

import numpy as np

from helpers.checks.engine import Case, Diagnosis, Exercise, Mistake, Note, make_check
from helpers.checks.source import calls, global_names, has_loop
from helpers.data import make_xor
from helpers.reference import neural_networks as ref
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid


def relu(z: np.ndarray) -> np.ndarray:
    """``max(z, 0)``: an activation unlike the sigmoid, so a hard-coded sigmoid shows up."""
    return np.maximum(z, 0.0)


def identity(z: np.ndarray) -> np.ndarray:
    """No activation at all (a linear layer)."""
    return z


def _view(rng: np.random.Generator, n: int, columns: int, bias: bool = False) -> np.ndarray:
    """A non-contiguous (n, columns) view: every other column of a wider array (its last column
    of ones when ``bias``), as ``X[:, ::2]`` gives."""
    wide = rng.normal(size=(n, 2 * columns - 1))
    if bias:
        wide[:, -1] = 1.0
    view = wide[:, ::2]
    assert not view.flags.c_contiguous
    return view


# --------------------------------------------------------------------------- perceptron_predict
def _perceptron_predict_cases(rng: np.random.Generator) -> list[Case]:
    # Sample 2 lies exactly on the boundary (score 0): the perceptron says +1 there.
    X_hand = np.array([[2.0, 1.0, 1.0], [-1.0, 0.5, 1.0], [1.0, 1.0, 1.0], [0.0, -3.0, 1.0]])
    w_hand = np.array([1.0, 0.0, -1.0])
    # Whole numbers in integer arrays: several scores are exactly 0.
    X_int = np.column_stack([rng.integers(-2, 3, size=(12, 2)), np.ones(12, dtype=int)])
    w_int = np.array([1, -1, 0])
    return [
        Case("hand-made: 4 samples, scores 1, -2, 0 (on the boundary), -1", (X_hand, w_hand)),
        Case("hand-made: integer arrays, 12 samples, several on the boundary", (X_int, w_int)),
        Case("hand-made: one sample (score -0.5)", (np.array([[1.0, -2.0, 1.0]]),
                                                     np.array([0.5, 1.0, 0.0]))),
        Case("random: one feature (+ the bias column), 7 samples", (
            add_bias(rng.normal(size=(7, 1))), rng.normal(size=2))),
        Case("random: a non-contiguous view X[:, ::2], 9 samples", (
            _view(rng, 9, 3, bias=True), rng.normal(size=3))),
        Case("random: 20 samples, 4 columns", (rng.normal(size=(20, 4)), rng.normal(size=4))),
    ]


def _predict_per_feature(X, w):
    # the loop runs over the columns (X.shape[1]) instead of the samples (X.shape[0])
    labels = np.empty(X.shape[1])
    for i in range(X.shape[1]):
        labels[i] = 1.0 if X[i] @ w >= 0 else -1.0
    return labels


_TRANSPOSED_HINT = ("X.T @ w pairs the weights with the samples: each ROW of X is a sample "
                    "with d values, so the n scores are X @ w (shape (n,)).")

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
        Mistake("one label per feature", _predict_per_feature,
                "you made one label per COLUMN of X: the samples are its rows, n = X.shape[0] "
                "(X.shape[1] is the number of features d). Better still, no loop: X @ w gives "
                "all n scores at once."),
        Mistake("X.T @ w", lambda X, w: np.where(X.T @ w >= 0, 1.0, -1.0), _TRANSPOSED_HINT),
        Mistake("np.dot(X.T, w)", lambda X, w: np.where(np.dot(X.T, w) >= 0, 1.0, -1.0),
                _TRANSPOSED_HINT),
    ],
    notes=[Note("loop", has_loop,
                "a Python loop over the samples works, but one product X @ w computes every "
                "score at once, and much faster on large data.")],
    hints=(
        "each sample's label says on which side of the line it lies: compute every score "
        "x_i . w at once with one matrix product, then turn the scores into labels; a score of "
        "exactly 0 counts as +1.",
        "shapes: X (n, d) times w (d,) gives the n scores, shape (n,). np.where(condition, a, "
        "b) picks a where the condition holds and b elsewhere; the labels are the floats +1.0 "
        "and -1.0 (not 1/0, not booleans).",
    ),
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


def _batch_train(X, y, n_epochs):
    # the epoch's predictions computed once, every misclassified sample added at the end
    w = np.zeros(X.shape[1])
    for _ in range(n_epochs):
        wrong = ref.perceptron_predict(X, w) != y
        w = w + (y[wrong, None] * X[wrong]).sum(axis=0)
    return w


def _train_one_weight_per_sample(product):
    def train(X, y, n_epochs):
        w = np.zeros(X.shape[0])  # n weights instead of d
        for _ in range(n_epochs):
            for x_i, y_i in zip(X, y, strict=True):
                if (1.0 if product(x_i, w) >= 0 else -1.0) != y_i:
                    w = w + y_i * x_i
        return w
    return train


def _separable(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Points on both sides of a line through (almost) the origin, with a margin."""
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
    # (on these, no shuffled order gives the batch perceptron's weights by chance)
    X_int = np.array([[2, 1, 1], [-1, 3, 1], [0, -2, 1], [1, 1, 1], [-2, -1, 1], [3, -1, 1]])
    y_int = np.array([1, -1, 1, -1, -1, 1])
    X_rand, y_rand = _separable(rng, 30)
    X_view = _view(rng, 12, 3, bias=True)
    y_view = np.where(X_view @ np.array([1.0, -2.0, 0.5]) >= 0, 1.0, -1.0)
    return [
        Case("hand-made: 4 samples, 1 epoch", (X_hand, y_hand, 1)),
        Case("hand-made: 4 samples, 5 epochs", (X_hand, y_hand, 5)),
        Case("hand-made: 0 epochs (the starting weights)", (X_hand, y_hand, 0)),
        Case("hand-made: integer X and integer labels, 6 samples, 3 epochs", (X_int, y_int, 3)),
        Case("hand-made: one sample, 4 epochs", (np.array([[-1.0, 2.0, 1.0]]),
                                                 np.array([-1.0]), 4)),
        Case("random: 30 separable samples, 3 epochs", (X_rand, y_rand, 3)),
        Case("random: 30 separable samples, 20 epochs", (X_rand, y_rand, 20)),
        Case("random: a non-contiguous view X[:, ::2], 12 samples, 10 epochs",
             (X_view, y_view, 10)),
    ]


def _separates_but_differs(got, X, y, n_epochs) -> bool:
    """Weights of the right shape that classify every training sample: only the order of the
    visits, the start or the step can differ from the rule's."""
    got = np.asarray(got, dtype=float)
    return n_epochs > 0 and got.shape == (X.shape[1],) and bool(
        np.all(ref.perceptron_predict(X, got) == y))


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
        Mistake("batch update", _batch_train,
                "update w right after each misclassified sample, inside the loop over the "
                "samples: the next sample must be predicted with the updated w. You predicted "
                "the whole epoch at once (or added every misclassified sample at its end): that "
                "is the batch perceptron, whose weights differ."),
        Mistake("one weight per sample (@)", _train_one_weight_per_sample(lambda x, w: x @ w),
                "w needs one weight per FEATURE (column of X): `np.zeros(X.shape[1])`. "
                "X.shape[0] is the number of samples n."),
        Mistake("one weight per sample (np.dot)",
                _train_one_weight_per_sample(lambda x, w: np.dot(x, w)),
                "w needs one weight per FEATURE (column of X): `np.zeros(X.shape[1])`. "
                "X.shape[0] is the number of samples n."),
    ],
    diagnoses=[Diagnosis(
        "separates, other weights", _separates_but_differs,
        "your weights classify every training sample correctly, but they are not the weights "
        "of the exact rule: start from zeros, visit the samples in the order 0, 1, ..., n-1 in "
        "every epoch (no shuffling), and add exactly y_i * x_i on each mistake (no learning "
        "rate).")],
    hints=(
        "the rule changes w only when a sample is misclassified, one sample at a time: two "
        "nested loops, the epochs outside and the samples inside, in the order 0, 1, ..., n-1 "
        "(no shuffling: the check expects the exact weights of this order), starting from "
        "zeros.",
        "in words: w starts as a float array of d zeros (one weight per column of X); for each "
        "sample predict +1 if x_i . w >= 0, else -1; when that differs from y_i, add y_i times "
        "x_i to w (as a new array rather than in place). Return w, shape (d,).",
    ),
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


def _tanh_empty_like(z):
    z = np.asarray(z)
    e = np.exp(-2.0 * np.abs(z))
    result = np.empty_like(z)  # integer z: an integer array, every value cut to 0 or +-1
    result[...] = np.sign(z) * (1.0 - e) / (1.0 + e)
    return result


def _tanh_math(z):
    e = math.exp(-2.0 * abs(z))  # math works on one number only
    return math.copysign(1.0, z) * (1.0 - e) / (1.0 + e)


def _tanh_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: a single number, z = 0.5", (0.5,)),
        Case("hand-made: a Python int, z = 2", (2,)),
        Case("hand-made: z = -2, -0.5, 0, 0.5, 2", (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),)),
        Case("hand-made: an integer array, -3 ... 3", (np.arange(-3, 4),)),
        Case("random: a (3, 4) matrix", (rng.normal(0.0, 2.0, size=(3, 4)),)),
        Case("random: a non-contiguous view Z[:, ::2]", (_view(rng, 3, 4) * 2.0,)),
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
        Mistake("empty_like on integers", _tanh_empty_like,
                "np.empty_like(z) (like zeros_like, or writing into z) keeps z's dtype: for "
                "integer input it is an integer array, and every tanh value is cut to a whole "
                "number. Work on floats: `z = np.asarray(z, dtype=float)` first."),
        Mistake("math on arrays", _tanh_math,
                "`math.exp` (like math.tanh, math.copysign) works on one number only: use "
                "np.exp, np.abs and np.sign, which work elementwise on arrays of any shape."),
    ],
    notes=[Note("np.tanh", lambda fn: calls(fn, "np.tanh"),
                "np.tanh is exactly right, and what you would use in practice; the exercise "
                "was to make the talk's formula safe yourself: try it without np.tanh.")],
    hints=(
        "the talk's formula overflows for large |z|: rewrite it so that exp only ever sees "
        "numbers <= 0 (divide top and bottom by e^|z|), and use that tanh is odd for negative "
        "z. Work on floats, so that integers and single numbers work too.",
        "the stable form: tanh(z) = sign(z) * (1 - e^(-2|z|)) / (1 + e^(-2|z|)), elementwise "
        "(np.exp, np.abs, np.sign) on z converted to a float array; same shape as z.",
    ),
    warning_hints={"overflow": _TANH_OVERFLOW_HINT, "invalid value": _TANH_OVERFLOW_HINT},
))


# --------------------------------------------------------------------------- layer_forward
def _layer_forward_cases(rng: np.random.Generator) -> list[Case]:
    X_hand = np.array([[1.0, 2.0], [0.0, -1.0]])
    W_hand = np.array([[0.5, -1.0], [0.25, 0.5], [0.0, 0.5]])  # last row: the biases
    return [
        Case("hand-made: 2 samples, 2 inputs -> 2 units, sigmoid", (X_hand, W_hand, sigmoid)),
        Case("hand-made: one sample, integer inputs, 3 inputs -> 2 units, tanh", (
            np.array([[1, -2, 3]]), rng.normal(size=(4, 2)), ref.tanh)),
        Case("random: one input, 5 samples -> 3 units, relu", (
            rng.normal(size=(5, 1)), rng.normal(size=(2, 3)), relu)),
        Case("random: 6 samples, 3 inputs -> 4 units, tanh", (
            rng.normal(size=(6, 3)), rng.normal(size=(4, 4)), ref.tanh)),
        Case("random: a non-contiguous view X[:, ::2], 4 samples, 2 inputs -> 1 unit, sigmoid", (
            _view(rng, 4, 2), rng.normal(size=(3, 1)), sigmoid)),
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
        # also X @ W[1:] + W[0] (the first row taken as the biases): the same numbers
        Mistake("bias first", lambda X, W, f: (
                    np.hstack([np.ones((len(X), 1)), X]) @ W,
                    f(np.hstack([np.ones((len(X), 1)), X]) @ W)),
                "the column of ones goes LAST (add_bias), matching the biases in the LAST row "
                "of W (W[-1]; the weights are the rows above it, W[:-1]): use "
                "`add_bias(X) @ W`."),
        Mistake("sigmoid hard-coded", lambda X, W, f: ref.layer_forward(X, W, sigmoid),
                "apply the `activation` argument (`activation(z_lin)`), not a fixed sigmoid: "
                "the same function must work with tanh or any other activation."),
        Mistake("z_lin activated", lambda X, W, f: (f(add_bias(X) @ W), f(add_bias(X) @ W)),
                "z_lin is the linear part before the activation: `add_bias(X) @ W`."),
        Mistake("X @ W (no unit column)", lambda X, W, f: (X @ W, f(X @ W)),
                "W has one more row than X has columns: its last row holds the biases. Append "
                "the column of ones first: `add_bias(X) @ W`."),
        Mistake("W.T", lambda X, W, f: (add_bias(X) @ W.T, f(add_bias(X) @ W.T)),
                "W is already (d_in + 1, d_out), one column per unit: `add_bias(X) @ W`, "
                "without a transpose."),
    ],
    hints=(
        "one layer is two steps, for all samples and units at once: the linear part (append the "
        "unit column to X, then one matrix product with W), then the activation applied to it "
        "elementwise. Return both, the linear part first.",
        "shapes: add_bias(X) is (n, d_in + 1) and W is (d_in + 1, d_out), so their product is "
        "(n, d_out): one column per unit, with its bias from W's last row. activation is a "
        "function: call it on that product, do not pick one yourself.",
    ),
))


# --------------------------------------------------------------------------- mlp_forward
def _forward(X, weights, hidden, output, keep_input=True, feed=lambda z_lin, z: z,
             append=lambda z_lin, z: (z_lin, z)):
    """A forward pass with one piece swapped: the usual mistakes are built from it.

    ``feed`` picks what the next layer receives, ``append`` what goes to (z_lins, zs)."""
    zs, z_lins, current = [X], [], X
    for index, W in enumerate(weights):
        z_lin = add_bias(current) @ W
        z = (output if index == len(weights) - 1 else hidden)(z_lin)
        into_z_lins, into_zs = append(z_lin, z)
        z_lins.append(into_z_lins)
        zs.append(into_zs)
        current = feed(z_lin, z)
    return (zs if keep_input else zs[1:]), z_lins


def _mlp_forward_cases(rng: np.random.Generator) -> list[Case]:
    # The notebook's worked 2-2-1 example.
    X_hand = np.array([[1.0, 2.0]])
    w_hand = [np.array([[0.5, -1.0], [0.25, 0.5], [0.0, 0.5]]), np.array([[1.0], [-1.0], [0.5]])]
    return [
        Case("hand-made: the 2-2-1 example, 1 sample, default activation", (X_hand, w_hand)),
        Case("hand-made: integer inputs, 2-3-1 network, 4 samples, tanh", (
            np.array([[1, 0], [-2, 1], [0, 3], [2, 2]]),
            ref.init_weights((2, 3, 1), rng, scale=1.0), ref.tanh)),
        Case("random: one input, 1-2-1 network, 5 samples, tanh", (
            rng.normal(size=(5, 1)), ref.init_weights((1, 2, 1), rng, scale=1.0), ref.tanh)),
        Case("random: 3-4-3-1 network (two hidden layers), 4 samples, relu", (
            rng.normal(size=(4, 3)), ref.init_weights((3, 4, 3, 1), rng, scale=1.0), relu)),
        Case("random: a non-contiguous view X[:, ::2], 2-3-2 network, 6 samples, sigmoid", (
            _view(rng, 6, 2), ref.init_weights((2, 3, 2), rng, scale=1.0), sigmoid)),
        Case("random: 2-1 network (no hidden layer), 3 samples, tanh", (
            rng.normal(size=(3, 2)), ref.init_weights((2, 1), rng, scale=1.0), ref.tanh)),
    ]


def _act(args):
    return args[2] if len(args) > 2 else sigmoid


def _each_layer_on_x(X, weights, activation=sigmoid):
    zs, z_lins = [X], []
    for index, W in enumerate(weights):
        f = sigmoid if index == len(weights) - 1 else activation
        z_lin, z = ref.layer_forward(X, W, f)  # X again instead of the previous layer's output
        z_lins.append(z_lin)
        zs.append(z)
    return zs, z_lins


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
        Mistake("(z_lins, zs)", lambda *a: _swap(ref.mlp_forward(*a)),
                "the two lists are swapped: return `zs, z_lins` (zs, the activations with X "
                "first, comes first)."),
        Mistake("appends swapped", lambda *a: _forward(
                    a[0], a[1], _act(a), sigmoid, append=lambda z_lin, z: (z, z_lin)),
                "your appends are swapped: zs collects the activations (what the activation "
                "function returns) and z_lins the linear parts (add_bias(zs[l]) @ weights[l])."),
        Mistake("next layer fed z_lin", lambda *a: _forward(
                    a[0], a[1], _act(a), sigmoid, feed=lambda z_lin, z: z_lin),
                "each layer's input is the previous layer's ACTIVATIONS (the last item of zs), "
                "not its linear part z_lin."),
        Mistake("every layer fed X", _each_layer_on_x,
                "each layer's input is the previous layer's output (the last item of zs), not "
                "X: only the first layer sees X."),
    ],
    notes=[Note("layer_forward not used", lambda fn: "layer_forward" not in global_names(fn),
                "you did not call your layer_forward: that works, but reusing it keeps the "
                "logic of one layer in one place.")],
    hints=(
        "walk through the layers in order: each layer takes the previous layer's activations "
        "(the last item of zs so far), and only the last layer differs, its activation being "
        "the sigmoid. Keep every layer's linear part and activation.",
        "structure: zs starts as a list holding X alone, z_lins as an empty list; for each "
        "weight matrix, one layer_forward call gives (z_lin, z): z_lin goes to z_lins, z to zs. "
        "At the end len(zs) == len(weights) + 1 and len(z_lins) == len(weights).",
    ),
))


# =========================================================================== challenges
# --------------------------------------------------------------------------- perceptron_pocket ★
def _pocket(X, y, n_epochs, *, replace_on_ties=False, once_per_epoch=False, start_empty=False):
    """The pocket algorithm with one piece changed: the usual mistakes are built from it."""
    w = np.zeros(X.shape[1])
    pocket = w
    pocket_errors = np.inf if start_empty else int(np.sum(ref.perceptron_predict(X, w) != y))

    def consider(candidate):
        nonlocal pocket, pocket_errors
        errors = int(np.sum(ref.perceptron_predict(X, candidate) != y))
        if errors < pocket_errors or (replace_on_ties and errors == pocket_errors):
            pocket, pocket_errors = candidate, errors

    for _ in range(n_epochs):
        for x_i, y_i in zip(X, y, strict=True):
            if _misclassified(x_i, y_i, w):
                w = w + y_i * x_i
                if not once_per_epoch:
                    consider(w)
        if once_per_epoch:
            consider(w)
    return pocket


def _noisy(rng: np.random.Generator, n: int, flipped: int) -> tuple[np.ndarray, np.ndarray]:
    """Separable points with ``flipped`` labels turned: no line separates them any more."""
    X, y = _separable(rng, n)
    y = y.copy()
    y[rng.choice(n, size=flipped, replace=False)] *= -1
    return X, y


def _perceptron_pocket_cases(rng: np.random.Generator) -> list[Case]:
    X_xor = add_bias(np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]]))
    y_xor = np.array([-1.0, -1.0, 1.0, 1.0])
    # Integer data where no update ever beats the zeros (they predict +1 everywhere).
    X_int = np.array([[-2, 2, 1], [1, 0, 1], [-1, 0, 1], [-2, 1, 1], [0, -2, 1], [-1, 1, 1]])
    y_int = np.array([1, 1, 1, -1, 1, 1])
    # A draw on which the last weights, replacing on ties and checking once per epoch all
    # give different weights (so that each mistake is named).
    X_noisy, y_noisy = _noisy(np.random.default_rng(2), 20, 3)
    X_sep, y_sep = _separable(rng, 30)
    return [
        Case("random: 20 samples, 3 labels flipped (not separable), 4 epochs",
             (X_noisy, y_noisy, 4)),
        Case("hand-made: XOR's 4 points (no line separates them), 3 epochs", (X_xor, y_xor, 3)),
        Case("hand-made: 0 epochs (the pocket holds the zeros)", (X_xor, y_xor, 0)),
        Case("hand-made: integer data where the zeros stay the best, 3 epochs",
             (X_int, y_int, 3)),
        Case("random: 30 separable samples, 20 epochs (the pocket ends with the perceptron's "
             "weights)", (X_sep, y_sep, 20)),
    ]


check_perceptron_pocket = make_check(Exercise(
    name="perceptron_pocket",
    uses=("perceptron_predict",),
    reference=ref.perceptron_pocket,
    cases=_perceptron_pocket_cases,
    challenge=True,
    mistakes=[
        Mistake("last weights", lambda X, y, n: ref.perceptron_train(X, y, n),
                "you returned the perceptron's last weights, not the pocket's: either you return "
                "w instead of the pocket, or the pocket IS w (`pocket = w`, then `w += ...` "
                "changes both): update w as a new array (`w = w + y_i * x_i`) or store "
                "`pocket = w.copy()`."),
        Mistake("ties replace", lambda X, y, n: _pocket(X, y, n, replace_on_ties=True),
                "the pocket changes only for STRICTLY fewer training errors (`<`, not `<=`): "
                "on a tie it keeps the weights it already has."),
        Mistake("once per epoch", lambda X, y, n: _pocket(X, y, n, once_per_epoch=True),
                "compare with the pocket after EVERY update, inside the loop over the samples, "
                "not once at the end of each epoch: the best weights may appear mid-epoch."),
        Mistake("pocket starts empty", lambda X, y, n: _pocket(X, y, n, start_empty=True),
                "the starting zeros go into the pocket too, with their own number of errors "
                "(they predict +1 everywhere): here no later w beats them, so the pocket must "
                "still hold zeros."),
    ],
    hints=(
        "run the perceptron rule exactly as in perceptron_train, with two more variables: the "
        "pocket's weights and their number of training errors (the starting zeros go in "
        "first). Only an update changes w, so only after an update can the pocket change.",
        "after each update, count the training errors of the new w on all n samples (the "
        "samples whose prediction differs from their label); if strictly fewer than the "
        "pocket's, the pocket takes w. Careful: if the pocket is the same array as w, changing "
        "w in place changes the pocket too.",
    ),
    mutation_hint="start from a new array (`w = np.zeros(X.shape[1])`) and never write into X "
                  "or y.",
))


# --------------------------------------------------------------------------- xor_network ★★
def _predicted_classes(p):
    """The classes a network's output gives, p >= 0.5 -> 1.0, one per sample (n,).

    An output that is not one probability per sample is returned as it is, so that the check
    reports its type or shape; values outside [0, 1] come back unthresholded (n,), so that the
    comparison fails and a diagnosis names them."""
    if not isinstance(p, np.ndarray) or p.dtype.kind not in "biuf":
        return p
    if p.ndim not in (1, 2) or (p.ndim == 2 and p.shape[1] != 1):
        return p
    p = p.astype(float).ravel()
    if not np.all(np.isfinite(p)) or p.min() < 0.0 or p.max() > 1.0:
        return p
    return (p >= 0.5).astype(float)


def _network(W1, W2):
    weights = [np.array(W1, dtype=float), np.array(W2, dtype=float)]
    return lambda X: ref.mlp_forward(X, weights)[0][-1]


_XOR_W1, _XOR_W2 = ref.XOR_WEIGHTS
_CENTRES = np.array([[1, -1], [-1, 1], [1, 1], [-1, -1]])


def _xor_cases(rng: np.random.Generator) -> list[Case]:
    X, y = make_xor(40, rng)
    X_far, y_far = make_xor(12, rng, noise=0.05)
    return [
        Case("hand-made: the 4 cluster centres (1, -1), (-1, 1), (1, 1), (-1, -1), integers",
             (_CENTRES,), expected=np.array([1.0, 1.0, 0.0, 0.0])),
        Case("random: 40 XOR samples (noise 0.1)", (X,), expected=y),
        Case("random: 12 XOR samples close to the centres (noise 0.05)", (X_far,),
             expected=y_far),
    ]


def _one_band_side(got, X) -> bool:
    """Class 1 on both mixed-sign clusters and on exactly one same-sign cluster: one line."""
    got, X = np.asarray(got, dtype=float), np.asarray(X, dtype=float)
    if got.shape != (len(X),) or not np.all(np.isin(got, (0.0, 1.0))):
        return False
    mixed = X[:, 0] * X[:, 1] < 0
    upper = (X[:, 0] > 0) & (X[:, 1] > 0)
    lower = (X[:, 0] < 0) & (X[:, 1] < 0)
    return bool(np.all(got[mixed] == 1) and upper.any() and lower.any() and (
        (np.all(got[upper] == 1) and np.all(got[lower] == 0))
        or (np.all(got[upper] == 0) and np.all(got[lower] == 1))))


def _not_probabilities(got, X) -> bool:
    got = np.asarray(got, dtype=float)
    return got.shape == (len(X),) and bool(np.any((got < 0) | (got > 1)))


check_xor_network = make_check(Exercise(
    name="xor_network",
    uses=("mlp_forward",),
    reference=ref.xor_network,
    cases=_xor_cases,
    prepare=_predicted_classes,
    challenge=True,
    mistakes=[
        Mistake("the opposite class", _network(_XOR_W1, -_XOR_W2),
                "your network answers the opposite class everywhere (class 1 on (1, 1) and "
                "(-1, -1)): class 1 is where the signs of x1 and x2 DIFFER. Flip the output "
                "unit (negate its weights and bias)."),
        Mistake("an OR", _network(_XOR_W1, np.array([[10.0], [10.0], [-5.0]])),
                "every point is class 1: your output unit fires as soon as ONE hidden unit is "
                "on (an OR). Make it need both (an AND): its bias must be below minus each "
                "output weight, e.g. weights 10, 10 and bias -15."),
        Mistake("lines through the origin", _network(
                    np.array([[5.0, -5.0], [5.0, -5.0], [0.0, 0.0]]), _XOR_W2),
                "no point is class 1: your two hidden units are never on together. Class 1 "
                "lies in a band between two parallel lines, x1 + x2 = -1 and x1 + x2 = 1: one "
                "unit on above the lower line, the other below the upper one."),
    ],
    diagnoses=[
        Diagnosis("one line", _one_band_side,
                  "your network gets (1, -1) and (-1, 1) right but only one of (1, 1) and "
                  "(-1, -1): one line cuts off one corner. The second hidden unit must cut off "
                  "the other corner, and the output must need BOTH units on."),
        Diagnosis("not probabilities", _not_probabilities,
                  "your values are not probabilities (some are outside [0, 1]): return the "
                  "network's output p, after the output unit's sigmoid, not its linear part."),
    ],
    notes=[Note("mlp_forward not used", lambda fn: "mlp_forward" not in global_names(fn),
                "you did not call mlp_forward: fine, as long as it is a 2-2-1 sigmoid network.")],
    hints=(
        "XOR's class 1 clusters, (1, -1) and (-1, 1), lie in a band between two parallel "
        "lines, and the class 0 clusters lie outside it, one on each side. One hidden unit per "
        "line, each on towards the band, and an output unit that needs both (an AND, as the "
        "playground's output needed all four).",
        "a unit with the column (a, b, c) of W1 is on where a x1 + b x2 + c > 0: use the lines "
        "x1 + x2 = -1 and x1 + x2 = 1, times a steepness such as 5, each oriented towards the "
        "band; give the output unit weights such as 10 and 10 and a bias between -20 and -10. "
        "W1 is (3, 2), W2 (3, 1); return the network's p.",
    ),
))


# --------------------------------------------------------------------------- softplus ★★★
_SOFTPLUS_OVERFLOW_HINT = (
    "log(1 + e^z) overflows once z > 709 (e^z is inf). Factor e^z out for positive z: "
    "softplus(z) = max(z, 0) + log(1 + e^(-|z|)), so that exp only sees numbers <= 0.")


def _naive_softplus(z):
    with np.errstate(all="ignore"):
        return np.log(1.0 + np.exp(np.asarray(z, dtype=float)))


def _softplus_empty_like(z):
    z = np.asarray(z)
    result = np.empty_like(z)  # integer z: an integer array, the values cut to whole numbers
    result[...] = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    return result


def _softplus_math(z):
    e = math.exp(-abs(z))  # one number only: an array raises TypeError here
    return max(z, 0.0) + math.log1p(e)


def _softplus_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("hand-made: a single number, z = 0 (log 2)", (0.0,)),
        Case("hand-made: a Python int, z = 3", (3,)),
        Case("hand-made: z = -2, -0.5, 0.5, 2", (np.array([-2.0, -0.5, 0.5, 2.0]),)),
        Case("hand-made: an integer array, -3 ... 3", (np.arange(-3, 4),)),
        Case("random: a non-contiguous view Z[:, ::2]", (_view(rng, 3, 4) * 3.0,)),
        Case("hand-made: large |z| (-1e4 ... 1e4) must not overflow",
             (np.array([-1e4, -800.0, -40.0, 40.0, 800.0, 1e4]),)),
    ]


check_softplus = make_check(Exercise(
    name="softplus",
    reference=ref.softplus,
    cases=_softplus_cases,
    challenge=True,
    mistakes=[
        # before relu: on whole numbers, the cut values ARE max(z, 0)
        Mistake("empty_like on integers", _softplus_empty_like,
                "np.empty_like(z) keeps z's dtype: for integer input it is an integer array and "
                "every value is cut to a whole number. Work on floats: `z = np.asarray(z, "
                "dtype=float)` first."),
        Mistake("relu", lambda z: np.maximum(np.asarray(z, dtype=float), 0.0),
                "max(z, 0) is ReLU, the function softplus smooths: softplus(z) = log(1 + e^z) "
                "is log 2 at 0 and above max(z, 0) everywhere."),
        Mistake("naive formula, warnings silenced", _naive_softplus,
                "log(1 + e^z) overflows for large z (e^z is inf), even with the warnings "
                "silenced. Write it as max(z, 0) + log(1 + e^(-|z|))."),
        Mistake("max(z, 0) missing", lambda z: np.log1p(np.exp(-np.abs(np.asarray(z, float)))),
                "log(1 + e^(-|z|)) is only the correction: for z > 0, log(1 + e^z) = z + "
                "log(1 + e^(-z)), so add max(z, 0)."),
        # also max(z, 0) + log(1 + e^(-z)): the same numbers (it overflows for very negative z)
        Mistake("about |z| for z < 0", lambda z: np.abs(np.asarray(z, float))
                + np.log1p(np.exp(-np.abs(np.asarray(z, float)))),
                "for z < 0 your values are about |z|, but softplus is small there (log(1 + e^z) "
                "< e^z): the first term is max(z, 0) (not |z|) and the exponent is -|z| (not "
                "-z)."),
        Mistake("math on arrays", _softplus_math,
                "`math.exp` and `math.log1p` (and the built-in max) work on one number only: "
                "use np.exp, np.log1p, np.abs and np.maximum, which work elementwise."),
    ],
    hints=(
        "for z > 0, factor e^z out of 1 + e^z: log(1 + e^z) = z + log(1 + e^(-z)). Combine "
        "both signs of z into one expression in which exp only ever sees -|z|, and work on "
        "floats.",
        "softplus(z) = max(z, 0) + log(1 + e^(-|z|)), elementwise (np.maximum, np.log1p, "
        "np.exp, np.abs); same shape as z.",
    ),
    warning_hints={"overflow": _SOFTPLUS_OVERFLOW_HINT},
))
