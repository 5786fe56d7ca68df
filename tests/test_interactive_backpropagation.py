"""The training explorer of notebook 04 trains what its controls say and draws it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import interactive  # noqa: E402
from helpers.data import load_ring  # noqa: E402
from helpers.interactive.backpropagation import train_and_draw, training_explorer  # noqa: E402
from helpers.reference import backpropagation as ref  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def ring():
    X, y = load_ring()
    return X[:200], y[:200], X[200:260], y[200:260]


def test_train_and_draw_trains_the_chosen_network(ring):
    X_train, y_train, X_held, y_held = ring
    fig, held, losses = train_and_draw(X_train, y_train, X_held, y_held, hidden_units=4,
                                       learning_rate=1.0, activation="relu", iterations=50)
    _, expected = ref.train_mlp(X_train, y_train, [4], 1.0, 50, np.random.default_rng(1),
                                ref.relu, ref.relu_derivative)
    assert losses == expected and 0.0 <= held <= 1.0
    region, curve = fig.axes
    assert region.get_title() == f"held-out accuracy {held:.1%}"
    assert curve.get_title() == f"final loss {losses[-1]:.4f}"
    assert len(curve.lines[0].get_xdata()) == 50


def test_train_and_draw_rejects_an_unknown_activation(ring):
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        train_and_draw(*ring, activation="softplus")


def test_training_explorer_controls_retrain(ring, monkeypatch):
    seen = []
    monkeypatch.setattr("helpers.interactive.backpropagation.train_and_draw",
                        lambda *args: seen.append(args[4:]))
    monkeypatch.setattr(plt, "show", lambda: None)
    widget = training_explorer(*ring)
    assert isinstance(widget, widgets.interactive)
    assert seen == [(3, 1.0, "tanh", 300)]  # drawn once with the defaults
    controls = {control.description: control for control in widget.children[:-1]}
    assert set(controls) == {"hidden_units", "learning_rate", "activation", "iterations"}
    assert list(controls["activation"].options) == ["sigmoid", "tanh", "relu"]
    controls["activation"].value = "relu"
    assert seen[-1] == (3, 1.0, "relu", 300)
    controls["hidden_units"].value = 8
    assert seen[-1] == (8, 1.0, "relu", 300)
    assert interactive.training_explorer is training_explorer
