"""Widgets of notebook 04: train a small MLP on the ring data with settings chosen by sliders.

:func:`training_explorer` is the notebook's "your turn" cell in one call: sliders and dropdowns
for the number of hidden units, the learning rate, the hidden activation and the number of
iterations; each change trains a fresh network (the reference ``train_mlp``, same seed) and draws
its decision region on the held-out points and its loss curve. :func:`train_and_draw` is one such
run, usable without widgets.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers.plotting.core import figure, plot_decision_boundary, plot_losses
from helpers.reference import backpropagation as ref
from helpers.reference.logistic_regression import accuracy, sigmoid
from helpers.reference.neural_networks import tanh

__all__ = ["ACTIVATIONS", "train_and_draw", "training_explorer"]

#: The hidden activations to choose from, with their derivatives.
ACTIVATIONS = {
    "sigmoid": (sigmoid, ref.sigmoid_derivative),
    "tanh": (tanh, ref.tanh_derivative),
    "relu": (ref.relu, ref.relu_derivative),
}


def train_and_draw(X_train: np.ndarray, y_train: np.ndarray, X_held: np.ndarray,
                   y_held: np.ndarray, hidden_units: int = 3, learning_rate: float = 1.0,
                   activation: str = "tanh", iterations: int = 300,
                   seed: int = 1) -> tuple[Figure, float, list[float]]:
    """Train a d-``hidden_units``-1 network by full-batch gradient descent and draw it.

    Parameters
    ----------
    X_train, X_held : ndarray, shape (n, 2)
    y_train, y_held : ndarray, shape (n,)
        Labels 0/1.
    hidden_units : int
    learning_rate : float
    activation : {"sigmoid", "tanh", "relu"}
        The hidden layer's activation.
    iterations : int
    seed : int
        Seeds the initial weights (the same start for every setting).

    Returns
    -------
    fig : Figure
        Left: the decision region on the held-out points; right: the training loss.
    held_accuracy : float
    losses : list of float
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose from {sorted(ACTIVATIONS)}")
    act, derivative = ACTIVATIONS[activation]
    weights, losses = ref.train_mlp(X_train, y_train, [hidden_units], learning_rate, iterations,
                                    np.random.default_rng(seed), act, derivative)
    held_accuracy = accuracy(y_held, ref.mlp_predict_proba(X_held, weights, act))
    fig, axes = figure(ncols=2, width=4.2, height=3.4)
    plot_decision_boundary(axes[0], lambda P: ref.mlp_predict_proba(P, weights, act), X_held,
                           y_held, resolution=80, title=f"held-out accuracy {held_accuracy:.1%}")
    plot_losses(axes[1], losses, log=True, title=f"final loss {losses[-1]:.4f}")
    return fig, held_accuracy, losses


def training_explorer(X_train: np.ndarray, y_train: np.ndarray, X_held: np.ndarray,
                      y_held: np.ndarray) -> widgets.interactive:
    """Sliders and dropdowns that retrain and redraw the network on every change.

    Parameters
    ----------
    X_train, y_train, X_held, y_held
        As for :func:`train_and_draw`.

    Returns
    -------
    ipywidgets.interactive
        The controls and the figure; shown when it is a cell's last expression.
    """

    def explore(hidden_units: int, learning_rate: float, activation: str,
                iterations: int) -> None:
        train_and_draw(X_train, y_train, X_held, y_held, hidden_units, learning_rate,
                       activation, iterations)
        plt.show()

    return widgets.interactive(
        explore,
        hidden_units=widgets.IntSlider(3, 1, 16, continuous_update=False),
        learning_rate=widgets.Dropdown(options=[0.1, 0.3, 1.0, 3.0, 10.0, 30.0], value=1.0),
        activation=widgets.Dropdown(options=list(ACTIVATIONS), value="tanh"),
        iterations=widgets.IntSlider(300, 100, 1000, step=100, continuous_update=False),
    )
