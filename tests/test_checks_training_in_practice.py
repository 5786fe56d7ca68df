"""The checks of notebook 05 accept correct variants and name each usual mistake.

The wrong functions here are written independently of the checker's own mistake catalogue.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.checks import training_in_practice as checks
from helpers.reference import training_in_practice as ref
from helpers.reference.backpropagation import hidden_delta, tanh_derivative, weight_gradient
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import minibatches
from helpers.reference.neural_networks import mlp_forward


# What the notebook defines before these exercises, as an attendee's namespace has it.
def relu(z_lin):
    return np.maximum(z_lin, 0.0)


def relu_derivative(z_lin):
    return (z_lin > 0).astype(float)


def evaluate(X, y, weights):
    Z = mlp_forward(X, weights, relu)[1][-1]
    return (ref.softmax_cross_entropy(Z, ref.one_hot(y, Z.shape[1])),
            float(np.mean(Z.argmax(axis=1) == y)))


softmax, one_hot, he_init = ref.softmax, ref.one_hot, ref.he_init
softmax_cross_entropy_gradient = ref.softmax_cross_entropy_gradient
l2_penalty_gradient = ref.l2_penalty_gradient
softmax_mlp_backprop = ref.softmax_mlp_backprop

# --------------------------------------------------------------------------- correct variants


def split_loop(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    n_val = int(np.round(validation_fraction * len(X)))
    is_val = np.zeros(len(X), dtype=bool)
    is_val[order[:n_val]] = True
    # the training part in the original order: the contract does not fix it
    return X[~is_val], y[~is_val], X[order[:n_val]], y[order[:n_val]]


def split_np_split(X, y, validation_fraction, rng):
    order = rng.permutation(X.shape[0])
    val, train = np.split(order, [round(validation_fraction * X.shape[0])])
    return X[train], y[train], X[val], y[val]


def xavier_stack(n_in, n_out, rng):
    a = (6 / (n_in + n_out)) ** 0.5
    return np.vstack([rng.uniform(-a, a, (n_in, n_out)), np.zeros((1, n_out))])


def xavier_scaled(n_in, n_out, rng):
    W = (2 * rng.random((n_in + 1, n_out)) - 1) * np.sqrt(6 / (n_in + n_out))
    W[n_in, :] = 0
    return W


def he_stack(n_in, n_out, rng):
    return np.concatenate([rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in),
                           np.zeros((1, n_out))])


def l2_loop(weights, lam):
    total = 0.0
    for W in weights:
        for row in W[:-1]:
            total += float(np.dot(row, row))
    return lam * total / 2


def l2_norm_squared(weights, lam):
    return 0.5 * lam * sum(np.linalg.norm(W[:-1]) ** 2 for W in weights)


def l2g_copy(weights, lam):
    out = []
    for W in weights:
        G = W.copy()
        G[-1] = 0
        out.append(lam * G)
    return out


def l2g_vstack(weights, lam):
    return [np.vstack([lam * W[:-1], np.zeros((1, W.shape[1]))]) for W in weights]


def softmax_logsumexp(Z):
    m = np.max(Z, axis=1)[:, None]
    return np.exp(Z - m - np.log(np.sum(np.exp(Z - m), axis=1))[:, None])


def softmax_loop(Z):
    out = np.empty(Z.shape)
    for i, row in enumerate(Z):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


def one_hot_eye(y, n_classes):
    return np.eye(n_classes)[y]


def one_hot_compare(y, n_classes):
    return (y[:, None] == np.arange(n_classes)).astype(int)


def ce_loop(Z, Y):
    total = 0.0
    for z, t in zip(Z, Y, strict=True):
        m = z.max()
        total -= float(np.dot(t, z - m - np.log(np.exp(z - m).sum())))
    return total / len(Z)


def ce_labels(Z, Y):
    m = Z.max(axis=1)
    lse = m + np.log(np.exp(Z - m[:, None]).sum(axis=1))
    return np.mean(lse - Z[np.arange(len(Z)), Y.argmax(axis=1)])


def ceg_loop(Z, Y):
    return (softmax_loop(Z) - Y) / len(Z)


def backprop_mean_gradient(X, y, weights, lam=0.0):
    """With the gradient of the MEAN loss as output delta (1/n inside), no /n afterwards."""
    zs, z_lins = mlp_forward(X, weights, relu)
    delta = softmax_cross_entropy_gradient(z_lins[-1], one_hot(y, weights[-1].shape[1]))
    grads = []
    for layer in reversed(range(len(weights))):
        W = weights[layer]
        G = add_bias(zs[layer]).T @ delta
        G[:-1] += lam * W[:-1]
        grads.insert(0, G)
        if layer:
            delta = (delta @ W[:-1].T) * (z_lins[layer - 1] > 0)
    return grads


def backprop_by_hand(X, y, weights, lam=0.0):
    """Its own forward pass (no mlp_forward), np.where for ReLU's derivative."""
    n = X.shape[0]
    inputs, z_lins = [np.asarray(X, dtype=float)], []
    for W in weights:
        z_lins.append(np.hstack([inputs[-1], np.ones((n, 1))]) @ W)
        inputs.append(np.maximum(z_lins[-1], 0))
    P = softmax(z_lins[-1])
    P[np.arange(n), y] -= 1
    delta = P / n
    grads = [None] * len(weights)
    for layer in range(len(weights) - 1, -1, -1):
        W = weights[layer]
        penalty = lam * W
        penalty[-1] = 0
        grads[layer] = np.hstack([inputs[layer], np.ones((n, 1))]).T @ delta + penalty
        if layer > 0:
            delta = (delta @ W[:-1].T) * np.where(z_lins[layer - 1] > 0, 1.0, 0.0)
    return grads


def he_init_stacked(n_in, n_out, rng):
    """A correct he_init that draws fewer numbers than the reference (no bias row drawn)."""
    return np.vstack([rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out)), np.zeros((1, n_out))])


def train_in_place(X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, batch_size,
                   n_epochs, rng, lam=0.0, patience=None, callback=None):
    """In-place updates, copies of the best weights, a counter of bad epochs, its own he_init."""
    sizes = [X_train.shape[1], *hidden_sizes, int(max(y_train.max(), y_val.max())) + 1]
    weights = [he_init_stacked(a, b, rng) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    best, best_weights, bad = float("inf"), [W.copy() for W in weights], 0
    for epoch in range(n_epochs):
        for X_batch, y_batch in minibatches(X_train, y_train, batch_size, rng):
            grads = softmax_mlp_backprop(X_batch, y_batch, weights, lam)
            for W, G in zip(weights, grads, strict=True):
                W -= learning_rate * G
        history["train_loss"].append(evaluate(X_train, y_train, weights)[0])
        val_loss, val_accuracy = evaluate(X_val, y_val, weights)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
        if callback:
            callback(epoch, weights, history)
        if val_loss < best:
            best, best_weights, bad = val_loss, [W.copy() for W in weights], 0
        else:
            bad += 1
            if patience is not None and bad == patience:
                break
    return (best_weights if patience is not None else weights), history


def train_while(X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, batch_size,
                n_epochs, rng, lam=0.0, patience=None, callback=None):
    """A while loop, numpy arrays in the history, a tuple of weights."""
    k = len(np.unique(np.concatenate([y_train, y_val])))
    sizes = [X_train.shape[1], *hidden_sizes, k]
    weights = tuple(he_init(sizes[i], sizes[i + 1], rng) for i in range(len(sizes) - 1))
    history = {"train_loss": np.zeros(0), "val_loss": np.zeros(0), "val_accuracy": np.zeros(0)}
    epoch, best_epoch, kept = 0, 0, weights
    while epoch < n_epochs and (patience is None or epoch - best_epoch <= patience):
        for X_batch, y_batch in minibatches(X_train, y_train, batch_size, rng):
            grads = softmax_mlp_backprop(X_batch, y_batch, list(weights), lam)
            weights = tuple(W - learning_rate * G for W, G in zip(weights, grads, strict=True))
        losses = (evaluate(X_train, y_train, weights)[0], *evaluate(X_val, y_val, weights))
        for key, value in zip(("train_loss", "val_loss", "val_accuracy"), losses, strict=True):
            history[key] = np.append(history[key], value)
        if callback is not None:
            callback(epoch, weights, history)
        if history["val_loss"][-1] <= history["val_loss"].min():
            best_epoch, kept = epoch, weights
        epoch += 1
    return (kept if patience is not None else weights), history


def decay_power(learning_rate, epoch, decay):
    return learning_rate * (1 + decay * np.asarray(epoch)) ** -1.0


def momentum_loop(weights, grads, velocities, learning_rate, beta):
    new_w, new_v = [], []
    for W, G, V in zip(weights, grads, velocities, strict=True):
        V = beta * V - learning_rate * G
        new_v.append(V)
        new_w.append(W + V)
    return new_w, new_v


def dropout_greater(X, y, weights, p, rng):
    """`>` instead of `>=` (the same masks, with probability 1), its own loops."""
    n = len(X)
    z, z_lins, zs, masks = X, [], [X], []
    for W in weights[:-1]:
        z_lin = add_bias(z) @ W
        mask = (rng.random(z_lin.shape) > p) / (1 - p)
        z = relu(z_lin) * mask
        z_lins.append(z_lin)
        zs.append(z)
        masks.append(mask)
    delta = softmax(add_bias(z) @ weights[-1]) - one_hot(y, weights[-1].shape[1])
    grads = []
    for layer in range(len(weights) - 1, -1, -1):
        grads.insert(0, add_bias(zs[layer]).T @ delta / n)
        if layer:
            delta = (delta @ weights[layer][:-1].T) * relu_derivative(z_lins[layer - 1]) \
                * masks[layer - 1]
    return grads


CORRECT = [
    ("train_validation_split", split_loop),
    ("train_validation_split", split_np_split),
    ("xavier_init", xavier_stack),
    ("xavier_init", xavier_scaled),
    ("he_init", he_stack),
    ("l2_penalty", l2_loop),
    ("l2_penalty", l2_norm_squared),
    ("l2_penalty_gradient", l2g_copy),
    ("l2_penalty_gradient", l2g_vstack),
    ("softmax", softmax_logsumexp),
    ("softmax", softmax_loop),
    ("one_hot", one_hot_eye),
    ("one_hot", one_hot_compare),
    ("softmax_cross_entropy", ce_loop),
    ("softmax_cross_entropy", ce_labels),
    ("softmax_cross_entropy_gradient", ceg_loop),
    ("softmax_mlp_backprop", backprop_mean_gradient),
    ("softmax_mlp_backprop", backprop_by_hand),
    ("train_classifier", train_in_place),
    ("train_classifier", train_while),
    ("decayed_learning_rate", decay_power),
    ("momentum_step", momentum_loop),
    ("dropout_backprop", dropout_greater),
]


@pytest.mark.parametrize(("name", "fn"), CORRECT, ids=[f"{n}-{f.__name__}" for n, f in CORRECT])
def test_correct_variants_pass(name, fn, capsys):
    result = getattr(checks, f"check_{name}")(fn)
    assert result, capsys.readouterr().out
    assert "all" in result.message and "passed" in result.message


# --------------------------------------------------------------------------- usual mistakes


def split_unshuffled(X, y, validation_fraction, rng):
    k = round(validation_fraction * len(X))
    return X[k:], y[k:], X[:k], y[:k]


def split_overlapping(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    k = round(validation_fraction * len(X))
    return X, y, X[order[:k]], y[order[:k]]


def split_overlap_one(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    k = round(validation_fraction * len(X))
    return X[order[k - 1:]], y[order[k - 1:]], X[order[:k]], y[order[:k]]


def split_separate_shuffles(X, y, validation_fraction, rng):
    k = round(validation_fraction * len(X))
    Xp = X[rng.permutation(len(X))]
    yp = y[rng.permutation(len(y))]
    return Xp[k:], yp[k:], Xp[:k], yp[:k]


def split_int(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    k = int(validation_fraction * len(X))
    return X[order[k:]], y[order[k:]], X[order[:k]], y[order[:k]]


def split_in_place(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    X[:] = X[order]
    y[:] = y[order]
    k = round(validation_fraction * len(X))
    return X[k:].copy(), y[k:].copy(), X[:k].copy(), y[:k].copy()


def xavier_talk(n_in, n_out, rng):
    W = rng.uniform(-0.5, 0.5, (n_in + 1, n_out))
    W[-1] = 0
    return W


def xavier_zeros(n_in, n_out, rng):
    return np.zeros((n_in + 1, n_out))


def xavier_bias(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-a, a, (n_in + 1, n_out))


def xavier_normal(n_in, n_out, rng):
    W = rng.normal(0, np.sqrt(2 / (n_in + n_out)), (n_in + 1, n_out))
    W[-1] = 0
    return W


def xavier_no_bias_row(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-a, a, (n_in, n_out))


def he_variance(n_in, n_out, rng):
    W = rng.normal(0, 2 / n_in, (n_in + 1, n_out))
    W[-1] = 0
    return W


def he_bias(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_in), (n_in + 1, n_out))


def he_fan_out(n_in, n_out, rng):
    W = rng.normal(0, np.sqrt(2 / n_out), (n_in + 1, n_out))
    W[-1] = 0
    return W


def he_uniform(n_in, n_out, rng):
    a = np.sqrt(3) * np.sqrt(2 / n_in)  # the same standard deviation, but uniform
    W = rng.uniform(-a, a, (n_in + 1, n_out))
    W[-1] = 0
    return W


def he_talk(n_in, n_out, rng):
    W = rng.uniform(-0.5, 0.5, (n_in + 1, n_out))
    W[-1] = 0
    return W


def l2_bias(weights, lam):
    return lam / 2 * sum((W ** 2).sum() for W in weights)


def l2_no_half(weights, lam):
    return lam * sum((W[:-1] ** 2).sum() for W in weights)


def l2g_bias(weights, lam):
    return [W * lam for W in weights]


def l2g_in_place(weights, lam):
    out = []
    for W in weights:
        W[-1] = 0
        out.append(lam * W)
    return out


def l2g_alias(weights, lam):
    out = []
    for W in weights:
        G = W
        G *= lam
        G[-1] = 0
        out.append(G)
    return out


def softmax_naive(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def softmax_axis0(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / np.sum(e, axis=0)


def softmax_global_max(Z):
    e = np.exp(Z - Z.max())
    return e / e.sum(axis=1, keepdims=True)


def one_hot_shift(y, n_classes):
    Y = np.zeros((len(y), n_classes))
    Y[np.arange(len(y)), y - 1] = 1
    return Y


def one_hot_extra_column(y, n_classes):
    return np.eye(n_classes + 1)[y]


def one_hot_max(y, n_classes):
    return np.eye(y.max() + 1)[y]


def ce_total(Z, Y):
    return -np.sum(Y * np.log(ref.softmax(Z)))


def ce_naive_log(Z, Y):
    return -np.mean(np.sum(Y * np.log(ref.softmax(Z)), axis=1))


def ce_naive_exp(Z, Y):
    return -np.mean(np.sum(Y * (Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))), axis=1))


def ce_clip(Z, Y):
    P = np.clip(ref.softmax(Z), 1e-15, 1 - 1e-15)
    return -np.mean(np.sum(Y * np.log(P), axis=1))


def ce_mean_everything(Z, Y):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return -np.mean(Y * (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))))


def ceg_no_n(Z, Y):
    return ref.softmax(Z) - Y


def ceg_flipped(Z, Y):
    return (Y - ref.softmax(Z)) / len(Z)


def ceg_naive(Z, Y):
    return (softmax_naive(Z) - Y) / len(Z)


def split_columns(X, y, validation_fraction, rng):
    n = X.shape[1]
    idx = rng.permutation(n)
    k = round(validation_fraction * n)
    return X[idx[k:]], y[idx[k:]], X[idx[:k]], y[idx[:k]]


def l2_square_sum(weights, lam):
    return lam / 2 * sum(W[:-1].sum() ** 2 for W in weights)


def l2g_zeros(weights, lam):
    grads = []
    for W in weights:
        G = np.zeros_like(W)
        G[:-1] = lam * W[:-1]
        grads.append(G)
    return grads


def softmax_empty_like(Z):
    out = np.empty_like(Z)
    for i, row in enumerate(Z):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


def softmax_math(Z):
    e = math.exp(Z - np.max(Z, axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def one_hot_columns(y, n_classes):
    Y = np.zeros((len(y), n_classes))
    Y[:, y] = 1
    return Y


def _backprop_with(X, y, weights, lam=0.0, *, delta_of=None, derivative=relu_derivative,
                   penalty_of=None, logits_from="z_lins"):
    zs, z_lins = mlp_forward(X, weights, relu)
    Z = z_lins[-1] if logits_from == "z_lins" else zs[-1]
    k = weights[-1].shape[1]
    delta = delta_of(Z, y, k) if delta_of else softmax(Z) - one_hot(y, k)
    grads = penalty_of(weights, lam) if penalty_of else l2_penalty_gradient(weights, lam)
    for layer in range(len(weights) - 1, -1, -1):
        grads[layer] = grads[layer] + weight_gradient(zs[layer], delta)
        if layer > 0:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta, derivative)
    return grads


def backprop_y_minus_p(X, y, weights, lam=0.0):
    return _backprop_with(X, y, weights, lam, delta_of=lambda Z, y, k: one_hot(y, k) - softmax(Z))


def backprop_gradient_function(X, y, weights, lam=0.0):
    return _backprop_with(X, y, weights, lam, delta_of=lambda Z, y, k:
                          softmax_cross_entropy_gradient(Z, one_hot(y, k)))


def backprop_no_lam(X, y, weights, lam=0.0):
    return _backprop_with(X, y, weights, lam,
                          penalty_of=lambda w, lam: [np.zeros_like(W) for W in w])


def backprop_lam_everywhere(X, y, weights, lam=0.0):
    return _backprop_with(X, y, weights, lam, penalty_of=lambda w, lam: [lam * W for W in w])


def backprop_sigmoid_logits(X, y, weights, lam=0.0):
    return _backprop_with(X, y, weights, lam, logits_from="zs")


def backprop_linear_hidden(X, y, weights, lam=0.0):
    return _backprop_with(X, y, weights, lam, derivative=lambda z: 1.0)


def backprop_copied_tanh(X, y, weights, lam=0.0):
    return _backprop_with(X, y, weights, lam, derivative=tanh_derivative)


def backprop_classes_from_y(X, y, weights, lam=0.0):
    return _backprop_with(X, y, weights, lam,
                          delta_of=lambda Z, y, k: softmax(Z) - one_hot(y, y.max() + 1))


def _train(flaw=None, *, init=he_init):
    """A hand-written train_classifier with one slip, as an attendee would make it."""
    def train(X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, batch_size, n_epochs,
              rng, lam=0.0, patience=None, callback=None):
        sizes = [X_train.shape[1], *hidden_sizes, int(max(y_train.max(), y_val.max())) + 1]
        weights = [init(a, b, rng) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
        best, best_epoch, best_weights = np.inf, 0, weights
        batches = list(minibatches(X_train, y_train, batch_size, rng)) if flaw == "eager" \
            else None
        for epoch in range(n_epochs):
            seen = []
            for X_batch, y_batch in (batches or minibatches(X_train, y_train, batch_size, rng)):
                seen.append(evaluate(X_batch, y_batch, weights)[0])
                grads = softmax_mlp_backprop(X_batch, y_batch, weights,
                                             0 if flaw == "no lam" else lam)
                if flaw == "plus":
                    weights = [W + learning_rate * G for W, G in zip(weights, grads, strict=True)]
                else:
                    weights = [W - learning_rate * G for W, G in zip(weights, grads, strict=True)]
            train_loss = np.mean(seen) if flaw == "running loss" else \
                evaluate(X_train, y_train, weights)[0]
            val_loss, val_accuracy = evaluate(X_val, y_val, weights)
            if flaw == "val on train":
                val_loss, val_accuracy = evaluate(X_train, y_train, weights)
            history["train_loss"].append(train_loss)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(100 * val_accuracy if flaw == "percent"
                                           else val_accuracy)
            if val_loss < best:
                best, best_epoch, best_weights = val_loss, epoch, weights
            elif patience and epoch - best_epoch > (patience if flaw == "late" else patience - 1):
                break
        return (weights if flaw == "last" else best_weights) if patience else weights, history
    return train


def train_global_random(X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, batch_size,
                        n_epochs, rng, lam=0.0, patience=None, callback=None):
    return _train(init=lambda a, b, rng: he_init(a, b, np.random.default_rng()))(
        X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, batch_size, n_epochs, rng,
        lam, patience, callback)


def decay_linear(learning_rate, epoch, decay):
    return learning_rate * (1 - decay * epoch)


def decay_floor(learning_rate, epoch, decay):
    return learning_rate // (1 + decay * epoch)


def momentum_torch(weights, grads, velocities, learning_rate, beta):
    velocities = [beta * V + G for V, G in zip(velocities, grads, strict=True)]
    return [W - learning_rate * V for W, V in zip(weights, velocities, strict=True)], velocities


def momentum_stale(weights, grads, velocities, learning_rate, beta):
    return ([W + V for W, V in zip(weights, velocities, strict=True)],
            [beta * V - learning_rate * G for V, G in zip(velocities, grads, strict=True)])


def momentum_in_place(weights, grads, velocities, learning_rate, beta):
    for W, G, V in zip(weights, grads, velocities, strict=True):
        V *= beta
        V -= learning_rate * G
        W += V
    return weights, velocities


def _dropout(X, y, weights, p, rng, *, scale=True, back=True, keep_p=False, per_unit=False):
    zs, z_lins, masks = [X], [], []
    for W in weights[:-1]:
        z_lin = add_bias(zs[-1]) @ W
        r = rng.random(z_lin.shape[1] if per_unit else z_lin.shape)
        mask = (r < p if keep_p else r >= p) * 1.0
        if scale:
            mask = mask / (1 - p)
        z_lins.append(z_lin)
        masks.append(mask)
        zs.append(relu(z_lin) * mask)
    delta = softmax(add_bias(zs[-1]) @ weights[-1]) - one_hot(y, weights[-1].shape[1])
    grads = [None] * len(weights)
    for layer in range(len(weights) - 1, -1, -1):
        grads[layer] = weight_gradient(zs[layer], delta)
        if layer:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta, relu_derivative)
            if back:
                delta = delta * masks[layer - 1]
    return grads


def dropout_unscaled(X, y, weights, p, rng):
    return _dropout(X, y, weights, p, rng, scale=False)


def dropout_forward_only(X, y, weights, p, rng):
    return _dropout(X, y, weights, p, rng, back=False)


def dropout_keep_p(X, y, weights, p, rng):
    return _dropout(X, y, weights, p, rng, keep_p=True)


def dropout_per_unit(X, y, weights, p, rng):
    return _dropout(X, y, weights, p, rng, per_unit=True)


def _stub(*args):
    raise NotImplementedError("Replace this line with your code.")


MISTAKES = [
    ("train_validation_split", split_unshuffled, "not shuffled"),
    ("train_validation_split", split_overlapping, "overlap"),
    ("train_validation_split", split_overlap_one, "overlap by one"),
    ("train_validation_split", split_separate_shuffles, "ONE `order = rng.permutation(n)`"),
    ("train_validation_split", split_int, "use `round(validation_fraction * n)`"),
    ("train_validation_split", split_in_place, "modified its input"),
    ("xavier_init", xavier_talk, "talk's U[-0.5, 0.5]"),
    ("xavier_init", xavier_zeros, "symmetry"),
    ("xavier_init", xavier_bias, "the bias) should be exactly zero"),
    ("xavier_init", xavier_normal, "UNIFORM"),
    ("xavier_init", xavier_no_bias_row, "bias row is missing"),
    ("he_init", he_variance, "variance 2 / n_in as the standard deviation"),
    ("he_init", he_bias, "the bias) should be exactly zero"),
    ("he_init", xavier_zeros, "symmetry"),
    ("he_init", he_fan_out, "not n_out"),
    ("he_init", he_uniform, "NORMAL distribution"),
    ("he_init", he_talk, "talk's U[-0.5, 0.5]"),
    ("l2_penalty", l2_bias, "leave the bias out"),
    ("l2_penalty", l2_no_half, "the 1/2 is there"),
    ("l2_penalty_gradient", l2g_bias, "bias row is not penalised"),
    ("l2_penalty_gradient", l2g_in_place, "changed the caller's weights"),
    ("l2_penalty_gradient", l2g_alias, "changed the caller's weights"),
    ("softmax", softmax_naive, "overflow"),
    ("softmax", softmax_axis0, "normalise each ROW"),
    ("softmax", softmax_global_max, "Z.max(axis=1, keepdims=True)"),
    ("one_hot", one_hot_shift, "off by one"),
    ("one_hot", one_hot_extra_column, "off by one"),
    ("one_hot", one_hot_max, "not `y.max() + 1`"),
    ("softmax_cross_entropy", ce_total, "summed over the batch"),
    ("softmax_cross_entropy", ce_naive_log, "log-sum-exp"),
    ("softmax_cross_entropy", ce_naive_exp, "log-sum-exp"),
    ("softmax_cross_entropy", ce_clip, "log-sum-exp"),
    ("softmax_cross_entropy", ce_mean_everything, "SUM over the classes"),
    ("softmax_cross_entropy_gradient", ceg_no_n, "divide by n"),
    ("softmax_cross_entropy_gradient", ceg_flipped, "sign is flipped"),
    ("softmax_cross_entropy_gradient", ceg_naive, "stable softmax"),
    ("train_validation_split", split_columns, "`X.shape[0]`"),
    ("l2_penalty", l2_square_sum, "square each weight, then add"),
    ("l2_penalty_gradient", l2g_zeros, "copies W's dtype"),
    ("softmax", softmax_empty_like, "copies Z's dtype"),
    ("softmax", softmax_math, "`math.exp` works on one number only"),
    ("one_hot", one_hot_columns, "sets whole COLUMNS"),
    ("softmax_mlp_backprop", backprop_y_minus_p, "prediction minus target"),
    ("softmax_mlp_backprop", backprop_gradient_function, "1/n is applied twice"),
    ("softmax_mlp_backprop", backprop_no_lam, "add the penalty's gradient"),
    ("softmax_mlp_backprop", backprop_lam_everywhere, "bias rows are not penalised"),
    ("softmax_mlp_backprop", backprop_sigmoid_logits, "`z_lins[-1]`"),
    ("softmax_mlp_backprop", backprop_linear_hidden, "need ReLU's derivative"),
    ("softmax_mlp_backprop", backprop_copied_tanh, "not notebook 04's `tanh_derivative`"),
    ("softmax_mlp_backprop", backprop_classes_from_y, "`weights[-1].shape[1]`"),
    ("train_classifier", _train("plus"), "AGAINST the gradient"),
    ("train_classifier", _train("no lam"), "pass `lam` on"),
    ("train_classifier", _train("running loss"), "not the mean of the batch losses"),
    ("train_classifier", _train("val on train"), "measured on the VALIDATION data"),
    ("train_classifier", _train("percent"), "fractions between 0 and 1"),
    ("train_classifier", _train("last"), "not the last ones"),
    ("train_classifier", _train("late"), "stopped one epoch late"),
    ("train_classifier", _train("eager"), "history['train_loss'] after epoch"),
    ("train_classifier", train_global_random, "never from np.random directly"),
    ("decayed_learning_rate", decay_linear, "linear decay"),
    ("decayed_learning_rate", decay_floor, "rounds down"),
    ("momentum_step", momentum_torch, "PyTorch's form"),
    ("momentum_step", momentum_stale, "the NEW velocity"),
    ("momentum_step", momentum_in_place, "changed the weights or velocities"),
    ("dropout_backprop", dropout_unscaled, "scale the kept units up"),
    ("dropout_backprop", dropout_forward_only, "passes no gradient back"),
    ("dropout_backprop", dropout_keep_p, "probability of DROPPING"),
    ("dropout_backprop", dropout_per_unit, "per unit AND per sample"),
]


@pytest.mark.parametrize(("name", "fn", "phrase"), MISTAKES,
                         ids=[f"{n}-{f.__name__}" for n, f, _ in MISTAKES])
def test_usual_mistakes_are_named(name, fn, phrase, capsys):
    result = getattr(checks, f"check_{name}")(fn)
    assert not result
    assert result.status == "failed"
    assert phrase in result.message, result.message


def test_split_ceil_is_rejected_with_its_hint():
    import math

    from helpers.checks import check_train_validation_split

    def split_ceil(X, y, validation_fraction, rng):
        order = rng.permutation(len(X))
        k = math.ceil(validation_fraction * len(X))
        return X[order[k:]], y[order[k:]], X[order[:k]], y[order[:k]]

    result = check_train_validation_split(split_ceil)
    assert not result and "rounds 2.1 up to 3" in result.message


def test_init_checks_require_the_given_rng():
    import numpy as np

    from helpers.checks import check_he_init, check_xavier_init

    def xavier_global(n_in, n_out, rng):
        a = np.sqrt(6 / (n_in + n_out))
        W = np.random.uniform(-a, a, (n_in + 1, n_out))
        W[-1] = 0
        return W

    def he_fixed_seed(n_in, n_out, rng):
        W = np.random.default_rng(0).normal(0, np.sqrt(2 / n_in), (n_in + 1, n_out))
        W[-1] = 0
        return W

    assert "same seed gave different weights" in check_xavier_init(xavier_global).message
    assert "different seeds gave the same weights" in check_he_init(he_fixed_seed).message


def test_train_classifier_names_a_failing_softmax_mlp_backprop_first(capsys):
    """The attendee's train_classifier calls their own (broken) softmax_mlp_backprop through the
    notebook's globals: the check says that this is the cause."""
    namespace = {"np": np, "he_init": he_init, "minibatches": minibatches, "evaluate": evaluate,
                 "softmax_mlp_backprop": backprop_no_lam}
    exec(compile(_TRAIN_SOURCE, "<notebook cell>", "exec"), namespace)
    result = checks.check_train_classifier(namespace["train_classifier"])
    assert not result
    assert "calls your `softmax_mlp_backprop`, which fails its own check" in result.message


_TRAIN_SOURCE = """
def train_classifier(X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, batch_size,
                     n_epochs, rng, lam=0.0, patience=None, callback=None):
    k = int(max(y_train.max(), y_val.max())) + 1
    sizes = [X_train.shape[1], *hidden_sizes, k]
    weights = [he_init(a, b, rng) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(n_epochs):
        for X_batch, y_batch in minibatches(X_train, y_train, batch_size, rng):
            grads = softmax_mlp_backprop(X_batch, y_batch, weights, lam)
            weights = [W - learning_rate * G for W, G in zip(weights, grads, strict=True)]
        history["train_loss"].append(evaluate(X_train, y_train, weights)[0])
        val_loss, val_accuracy = evaluate(X_val, y_val, weights)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
    return weights, history
"""
