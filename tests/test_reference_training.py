"""Notebook 05's reference answers that train a network (softmax_mlp_backprop, train_classifier)
and the challenges, against numerical gradients and the contract's properties (early stopping
also for helpers.nn's fast version)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import nn
from helpers.gradcheck import check_gradient
from helpers.reference import training_in_practice as ref
from helpers.reference.linear_regression import add_bias


def _network(rng, sizes):
    return [rng.normal(0, 0.8, size=(a + 1, b)) for a, b in zip(sizes[:-1], sizes[1:],
                                                                 strict=True)]


def _logits(X, weights, masks=None):
    z = X
    for index, W in enumerate(weights[:-1]):
        z = np.maximum(add_bias(z) @ W, 0.0)
        if masks is not None:
            z = z * masks[index]
    return add_bias(z) @ weights[-1]


@pytest.mark.parametrize("sizes", [(3, 4), (3, 5, 4), (4, 6, 5, 3)])
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_softmax_mlp_backprop_is_the_gradient_of_its_loss(sizes, lam, capsys):
    rng = np.random.default_rng(len(sizes))
    X, y = rng.normal(size=(7, sizes[0])), rng.integers(0, sizes[-1], 7)
    weights = _network(rng, sizes)

    def loss(w):
        return (ref.softmax_cross_entropy(_logits(X, w), ref.one_hot(y, sizes[-1]))
                + ref.l2_penalty(w, lam))

    result = check_gradient(loss, lambda w: ref.softmax_mlp_backprop(X, y, w, lam), weights)
    assert result, capsys.readouterr().out


def _blobs(seed, n=60):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    y = np.arange(n) % 3
    return centres[y] + rng.normal(size=(n, 2)), y


def test_train_classifier_history_and_shapes():
    X, y = _blobs(0)
    X_val, y_val = _blobs(1, 30)
    epochs = []
    weights, history = ref.train_classifier(X, y, X_val, y_val, (8,), 0.2, 16, 20,
                                            np.random.default_rng(0), lam=1e-3,
                                            callback=lambda e, w, h: epochs.append(e))
    assert set(history) == {"train_loss", "val_loss", "val_accuracy"}
    assert all(len(values) == 20 for values in history.values()) and epochs == list(range(20))
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["val_accuracy"][-1] >= 0.95
    assert [W.shape for W in weights] == [(3, 8), (9, 3)]


def test_train_classifier_draws_the_weights_first_then_the_batches():
    X, y = _blobs(2, 12)
    start, history = ref.train_classifier(X, y, X, y, (4,), 0.1, 5, 0, np.random.default_rng(3))
    rng = np.random.default_rng(3)
    expected = [ref.he_init(2, 4, rng), ref.he_init(4, 3, rng)]
    for W, E in zip(start, expected, strict=True):
        np.testing.assert_array_equal(W, E)
    assert history == {"train_loss": [], "val_loss": [], "val_accuracy": []}
    trained, _ = ref.train_classifier(X, y, X, y, (4,), 0.1, 5, 1, np.random.default_rng(3))
    manual = [W.copy() for W in expected]
    order = rng.permutation(12)
    for start_index in range(0, 12, 5):
        batch = order[start_index:start_index + 5]
        grads = ref.softmax_mlp_backprop(X[batch], y[batch], manual)
        manual = [W - 0.1 * G for W, G in zip(manual, grads, strict=True)]
    for W, M in zip(trained, manual, strict=True):
        np.testing.assert_allclose(W, M, rtol=1e-12)


def test_train_classifier_uses_the_rng_and_leaves_the_data_alone():
    X, y = _blobs(4)
    copies = X.copy(), y.copy()
    runs = [ref.train_classifier(X, y, X, y, (5,), 0.1, 10, 3, np.random.default_rng(seed))
            for seed in (7, 7, 8)]
    np.testing.assert_array_equal(runs[0][0][0], runs[1][0][0])
    assert not np.array_equal(runs[0][0][0], runs[2][0][0])
    np.testing.assert_array_equal(X, copies[0])
    np.testing.assert_array_equal(y, copies[1])


@pytest.mark.parametrize("train", [ref.train_classifier, nn.train_classifier],
                         ids=["reference", "helpers.nn"])
def test_early_stopping_returns_the_best_epochs_weights(train):
    # A big network on a tiny noisy set overfits quickly: the validation loss turns up.
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.integers(0, 2, 20)
    X_val, y_val = rng.normal(size=(20, 2)), rng.integers(0, 2, 20)
    kept = {}

    def remember(epoch, weights, history):
        kept[epoch] = [W.copy() for W in weights]

    weights, history = train(X, y, X_val, y_val, (64, 64), 0.2, 20, 500,
                             np.random.default_rng(1), patience=20, callback=remember)
    best = int(np.argmin(history["val_loss"]))
    assert len(history["val_loss"]) == best + 21 < 500
    for W, K in zip(weights, kept[best], strict=True):
        np.testing.assert_array_equal(W, K)
    if train is nn.train_classifier:  # its history says so too
        assert history["best_epoch"] == best and history["stopped_early"]


def test_decayed_learning_rate():
    assert ref.decayed_learning_rate(0.5, 0, 0.1) == 0.5
    assert ref.decayed_learning_rate(1, 3, 1) == 0.25
    np.testing.assert_allclose(ref.decayed_learning_rate(0.2, np.arange(3), 1.0),
                               [0.2, 0.1, 0.2 / 3])


def test_momentum_step_accumulates_and_copies():
    W, G, V = [np.ones((2, 2))], [np.full((2, 2), 2.0)], [np.full((2, 2), 0.5)]
    weights, velocities = ref.momentum_step(W, G, V, 0.1, 0.9)
    np.testing.assert_allclose(velocities[0], 0.9 * 0.5 - 0.1 * 2.0)
    np.testing.assert_allclose(weights[0], 1.0 + 0.9 * 0.5 - 0.1 * 2.0)
    assert np.all(W[0] == 1.0) and np.all(V[0] == 0.5)
    plain, _ = ref.momentum_step(W, G, V, 0.1, 0.0)
    np.testing.assert_allclose(plain[0], W[0] - 0.1 * G[0])


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5])
def test_dropout_backprop_is_the_gradient_with_its_masks(p, capsys):
    rng = np.random.default_rng(9)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 3, 6)
    weights = _network(rng, (3, 5, 4, 3))
    masks_rng = np.random.default_rng(1)
    masks = []
    for width in (5, 4):  # the masks dropout_backprop draws with default_rng(1)
        masks.append((masks_rng.random((6, width)) >= p) / (1 - p))

    def loss(w):
        return ref.softmax_cross_entropy(_logits(X, w, masks), ref.one_hot(y, 3))

    result = check_gradient(loss, lambda w: ref.dropout_backprop(X, y, w, p,
                                                                 np.random.default_rng(1)),
                            weights)
    assert result, capsys.readouterr().out
    if p == 0.0:
        for D, G in zip(ref.dropout_backprop(X, y, weights, 0.0, np.random.default_rng(1)),
                        ref.softmax_mlp_backprop(X, y, weights), strict=True):
            np.testing.assert_allclose(D, G, rtol=1e-12)
