"""The series' fast network (helpers.nn) against closed forms, numerical gradients and the plain
reference answers of notebook 05 (the same numbers, the same random draws)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import nn
from helpers.gradcheck import check_gradient
from helpers.reference import training_in_practice as ref
from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid
from helpers.reference.neural_networks import tanh

ACTIVATIONS = {"relu": lambda z: np.maximum(z, 0.0), "tanh": tanh, "sigmoid": sigmoid}


def _problem(seed=0, n=9, sizes=(4, 6, 5, 3)):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, sizes[-1], n)
    weights = nn.init_network(list(sizes), rng, init=0.8)  # non-zero bias rows too
    return X, y, weights


def _naive_forward(X, weights, activation):
    """The textbook forward pass with add_bias, to compare with the fast one."""
    a = X
    for W in weights[:-1]:
        a = ACTIVATIONS[activation](add_bias(a) @ W)
    return add_bias(a) @ weights[-1]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_forward_equals_add_bias_version(activation):
    X, _, weights = _problem()
    activations, Z = nn.forward(X, weights, activation)
    np.testing.assert_allclose(Z, _naive_forward(X, weights, activation), rtol=1e-12)
    assert activations[0] is X and len(activations) == len(weights)
    assert [a.shape[1] for a in activations] == [4, 6, 5]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_loss_is_cross_entropy_plus_penalty(activation, lam):
    X, y, weights = _problem(1)
    Z = _naive_forward(X, weights, activation)
    expected = ref.softmax_cross_entropy(Z, ref.one_hot(y, 3)) + ref.l2_penalty(weights, lam)
    assert nn.loss(X, y, weights, activation, lam) == pytest.approx(expected, rel=1e-12)
    data, accuracy = nn.evaluate(X, y, weights, activation)
    assert data == pytest.approx(ref.softmax_cross_entropy(Z, ref.one_hot(y, 3)), rel=1e-12)
    assert accuracy == np.mean(Z.argmax(axis=1) == y)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_backprop_passes_gradient_check(activation, lam, capsys):
    X, y, weights = _problem(2)
    result = check_gradient(lambda w: nn.loss(X, y, w, activation, lam),
                            lambda w: nn.backprop(X, y, w, activation, lam), weights)
    assert result, capsys.readouterr().out


def test_backprop_equals_the_reference_answer_for_relu():
    X, y, weights = _problem(3)
    for lam in (0.0, 0.2):
        fast = nn.backprop(X, y, weights, "relu", lam)
        plain = ref.softmax_mlp_backprop(X, y, weights, lam)
        for F, P in zip(fast, plain, strict=True):
            np.testing.assert_allclose(F, P, rtol=1e-10, atol=1e-14)


def test_backprop_handles_float_labels_and_leaves_inputs_alone():
    X, y, weights = _problem(3)
    before = [W.copy() for W in weights]
    X_before = X.copy()
    grads_int = nn.backprop(X, y, weights, "tanh", 0.1)
    grads_float = nn.backprop(X, y.astype(float), weights, "tanh", 0.1)
    for G, H, W, B in zip(grads_int, grads_float, weights, before, strict=True):
        np.testing.assert_array_equal(G, H)
        np.testing.assert_array_equal(W, B)
        assert G.shape == W.shape
    np.testing.assert_array_equal(X, X_before)


@pytest.mark.parametrize("lam", [0.0, 0.05])
def test_sgd_step_is_a_gradient_step_in_place(lam):
    X, y, weights = _problem(4)
    grads = nn.backprop(X, y, weights, "relu", lam)
    expected = [W - 0.3 * G for W, G in zip(weights, grads, strict=True)]
    ids = [id(W) for W in weights]
    nn.sgd_step(X, y, weights, 0.3, "relu", lam)
    for W, E in zip(weights, expected, strict=True):
        np.testing.assert_allclose(W, E, rtol=1e-12, atol=1e-15)
    assert [id(W) for W in weights] == ids


def test_unknown_activation_and_bad_settings_are_refused():
    X, y, weights = _problem()
    with pytest.raises(ValueError, match="activation must be one of"):
        nn.forward(X, weights, "swish")
    with pytest.raises(ValueError, match="batch_size"):
        nn.train_classifier(X, y, None, None, (4,), 0.1, 0, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="activation"):
        nn.train_classifier(X, y, None, None, (4,), 0.1, 4, 2, np.random.default_rng(0),
                            activation="Relu")


def test_init_network_schemes():
    rng = np.random.default_rng(0)
    he = nn.init_network([300, 200, 10], rng, "he")
    assert [W.shape for W in he] == [(301, 200), (201, 10)]
    assert np.all(he[0][-1] == 0) and he[0][:-1].std() == pytest.approx(np.sqrt(2 / 300), rel=0.02)
    xavier = nn.init_network([300, 200], rng, "xavier")[0]
    assert np.abs(xavier).max() <= np.sqrt(6 / 500) and np.all(xavier[-1] == 0)
    assert all(np.all(W == 0) for W in nn.init_network([3, 4, 2], rng, "zeros"))
    talk = nn.init_network([3, 4], rng, 0.5)[0]
    assert np.abs(talk).max() <= 0.5 and np.any(talk[-1] != 0)
    # the same draws as he_init layer by layer (what train_classifier does)
    again = np.random.default_rng(1)
    expected = [ref.he_init(5, 4, again), ref.he_init(4, 3, again)]
    for W, E in zip(nn.init_network([5, 4, 3], np.random.default_rng(1)), expected, strict=True):
        np.testing.assert_array_equal(W, E)
    for bad in ("lecun", -1.0, True):
        with pytest.raises(ValueError, match="init must be"):
            nn.init_network([3, 4], rng, bad)


def test_predict_classes():
    X, _, weights = _problem()
    predicted = nn.predict_classes(X, weights)
    np.testing.assert_array_equal(predicted, _naive_forward(X, weights, "relu").argmax(axis=1))


def _blobs(seed, n=90):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    y = rng.integers(0, 3, n)
    return centres[y] + rng.normal(size=(n, 2)), y


def test_train_classifier_learns_and_records_history():
    X, y = _blobs(0)
    X_val, y_val = _blobs(1, 60)
    calls = []
    weights, history = nn.train_classifier(
        X, y, X_val, y_val, hidden_sizes=(8,), learning_rate=0.2, batch_size=16, n_epochs=30,
        rng=np.random.default_rng(0), lam=1e-3, callback=lambda e, w, h: calls.append(e))
    assert calls == list(range(30))
    for key in ("train_loss", "val_loss", "train_accuracy", "val_accuracy"):
        assert len(history[key]) == 30
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["val_accuracy"][-1] >= 0.95
    assert history["best_epoch"] == 29 and not history["stopped_early"]
    assert [W.shape for W in weights] == [(3, 8), (9, 3)]
    assert all(W.dtype == np.float64 for W in weights)


@pytest.mark.parametrize(("batch_size", "lam", "patience"), [(7, 0.0, None), (16, 0.01, 3),
                                                              (90, 0.001, None)])
def test_train_classifier_gives_the_reference_answers_results(batch_size, lam, patience):
    X, y = _blobs(2)
    X_val, y_val = _blobs(3, 30)
    settings = (X, y, X_val, y_val, (6, 5), 0.3, batch_size, 12)
    fast_weights, fast = nn.train_classifier(*settings, np.random.default_rng(4), lam, patience)
    plain_weights, plain = ref.train_classifier(*settings, np.random.default_rng(4), lam,
                                                patience)
    for F, P in zip(fast_weights, plain_weights, strict=True):
        np.testing.assert_allclose(F, P, rtol=1e-9, atol=1e-12)
    for key in plain:
        np.testing.assert_allclose(fast[key], plain[key], rtol=1e-9)


def test_train_classifier_is_deterministic_and_does_not_modify_inputs():
    X, y = _blobs(2)
    X_copy, y_copy = X.copy(), y.copy()
    runs = [nn.train_classifier(X, y, None, None, (5,), 0.1, 10, 5, np.random.default_rng(3))
            for _ in range(2)]
    for W1, W2 in zip(runs[0][0], runs[1][0], strict=True):
        np.testing.assert_array_equal(W1, W2)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    assert runs[0][1]["val_loss"] == []


def test_full_batch_equals_repeated_gradient_steps_from_given_weights():
    X, y = _blobs(4, 30)
    start = nn.init_network([2, 4, 3], np.random.default_rng(5), "xavier")
    weights, _ = nn.train_classifier(X, y, None, None, (4,), 0.5, len(X), 3,
                                     np.random.default_rng(6), weights=start, activation="tanh")
    manual = [W.copy() for W in start]
    for _ in range(3):  # the order of the samples does not change a full-batch gradient
        grads = nn.backprop(X, y, manual, "tanh")
        manual = [W - 0.5 * G for W, G in zip(manual, grads, strict=True)]
    for W, M in zip(weights, manual, strict=True):
        np.testing.assert_allclose(W, M, rtol=1e-10, atol=1e-12)
    assert np.all(start[0] == nn.init_network([2, 4, 3], np.random.default_rng(5), "xavier")[0])


def test_patience_needs_validation_data():
    X, y = _blobs(0)
    with pytest.raises(ValueError, match="validation"):
        nn.train_classifier(X, y, None, None, (4,), 0.1, 10, 2, np.random.default_rng(0),
                            patience=3)


def test_workspace_changes_nothing_but_allocations():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(20, 5)), rng.integers(0, 3, 20)
    plain = nn.init_network([5, 7, 4, 3], rng, "he")
    reused = [W.copy() for W in plain]
    workspace = nn.Workspace()
    for start in (0, 8, 16):  # the last batch is smaller: a second set of arrays
        batch = slice(start, start + 8)
        nn.sgd_step(X[batch], y[batch], plain, 0.2, "tanh", 0.01)
        nn.sgd_step(X[batch], y[batch], reused, 0.2, "tanh", 0.01, workspace)
    for W, V in zip(plain, reused, strict=True):
        np.testing.assert_array_equal(W, V)
    first = workspace.array("logits", (3, 8))
    assert workspace.array("logits", (3, 8)) is first
    assert workspace.array("logits", (3, 4)) is not first
    ones = workspace.with_ones("input", 8, 5)
    assert ones.shape == (8, 6) and np.all(ones[:, -1] == 1.0)
    assert np.all(workspace.with_ones_row("hidden 0", 7, 8)[-1] == 1.0)
