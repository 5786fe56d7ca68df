"""Widgets and timed runs of notebook 02 (logistic regression): batch size and learning rate.

:func:`sgd_explorer` is the notebook's "explore" cell in one call: a batch-size slider and a
learning-rate slider; each change trains a fresh model with mini-batch SGD (same data, same
starting weights, same seed) and draws its decision boundary and its loss per epoch.
:func:`train_and_draw` is one such run, usable without widgets. :func:`compare_batch_sizes` runs
the same training with several batch sizes, one epoch at a time under a progress bar, timing each
epoch: the data of the notebook's "full batch, mini-batch, batch size 1" figure.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers.plotting.core import figure
from helpers.plotting.logistic_regression import plot_training_state
from helpers.progress_bar import ProgressBar
from helpers.reference import logistic_regression as ref

__all__ = ["BATCH_SIZES", "compare_batch_sizes", "sgd_explorer", "train_and_draw"]

#: The batch sizes the explorer's slider offers.
BATCH_SIZES = (1, 4, 16, 32, 100, 400)

Features = Callable[[np.ndarray], np.ndarray]
Trainer = Callable[..., tuple[np.ndarray, Any]]


def _check_data(X: np.ndarray, y: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"{name}: X must be 2-D points of shape (n, 2), got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"{name}: y must have shape ({X.shape[0]},) like X's rows, got "
                         f"{y.shape}")
    return X, y


def train_and_draw(X: np.ndarray, y: np.ndarray, features: Features, batch_size: int = 32,
                   learning_rate: float = 0.5, n_epochs: int = 15, seed: int = 0,
                   train: Trainer = ref.sgd) -> tuple[Figure, float, list[float]]:
    """Train logistic regression on ``features(X)`` with mini-batch SGD from zero weights, and
    draw the result.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        The 2-D points.
    y : ndarray, shape (n,)
        Labels 0/1.
    features : callable
        Maps points ``(m, 2)`` to the model's inputs ``(m, d)``, bias column included (e.g.
        ``quadratic_features``).
    batch_size, learning_rate, n_epochs : int, float, int
        The settings of the run.
    seed : int
        Seeds the shuffling (the same batches for the same settings).
    train : callable
        ``train(X, y, w0, learning_rate, batch_size, n_epochs, rng) -> (w, losses)``: the
        reference ``sgd`` by default, or the attendee's.

    Returns
    -------
    fig : Figure
        Left: the decision boundary on the data; right: the loss after each epoch.
    accuracy : float
        On the training points.
    losses : list of float
    """
    X, y = _check_data(X, y, "train_and_draw")
    F = features(X)
    w, losses = train(F, y, np.zeros(F.shape[1]), learning_rate, batch_size, n_epochs,
                      np.random.default_rng(seed))
    losses = [float(loss) for loss in losses]
    accuracy = ref.accuracy(y, ref.predict_proba(F, w))
    fig, (ax_boundary, ax_loss) = figure(ncols=2, width=4.4, height=3.6)
    plot_training_state(ax_boundary, ax_loss, lambda P: ref.predict_proba(features(P), w), X, y,
                        losses, xlabel="epoch", resolution=80,
                        title=f"batch {batch_size}, rate {learning_rate:.3g}: "
                              f"{accuracy:.0%} correct")
    return fig, accuracy, losses


def sgd_explorer(X: np.ndarray, y: np.ndarray, features: Features, n_epochs: int = 15,
                 seed: int = 0, train: Trainer = ref.sgd) -> widgets.interactive:
    """Sliders for the batch size and the learning rate; each change retrains and redraws.

    Parameters
    ----------
    X, y, features, n_epochs, seed, train
        As for :func:`train_and_draw`.

    Returns
    -------
    ipywidgets.interactive
        The sliders and the figure (updated when a slider is released); shown when it is a
        cell's last expression.
    """
    X, y = _check_data(X, y, "sgd_explorer")

    def explore(batch_size: int, learning_rate: float) -> None:
        train_and_draw(X, y, features, batch_size, learning_rate, n_epochs, seed, train)
        plt.show()

    return widgets.interactive(
        explore,
        batch_size=widgets.SelectionSlider(options=list(BATCH_SIZES), value=32,
                                           description="batch size", continuous_update=False),
        learning_rate=widgets.FloatLogSlider(value=0.5, base=10, min=-3, max=1, step=0.25,
                                             description="learning rate",
                                             continuous_update=False),
    )


def compare_batch_sizes(train: Trainer, X: np.ndarray, y: np.ndarray,
                        batch_sizes: Mapping[str, int], learning_rate: float, n_epochs: int,
                        seed: int = 0) -> dict[str, dict[str, Any]]:
    """Train from zero weights once per batch size, one epoch per call, timing every epoch.

    Each run has its own generator seeded with ``seed``; calling ``train`` one epoch at a time
    with the same generator gives the same weights as one call with ``n_epochs`` (each epoch
    draws its own permutation). A progress bar follows the runs.

    Parameters
    ----------
    train : callable
        ``train(X, y, w0, learning_rate, batch_size, 1, rng) -> (w, [loss])``: an ``sgd``.
    X : ndarray, shape (n, d)
        The model's inputs, bias column included.
    y : ndarray, shape (n,)
    batch_sizes : mapping of str to int
        ``{label: batch_size}``, in the order to run them.
    learning_rate : float
    n_epochs : int
    seed : int

    Returns
    -------
    dict
        ``{label: run}``, each run a dict with ``"evaluations"`` (samples processed after each
        epoch), ``"seconds"`` (cumulated time), ``"losses"`` (full-data loss after each epoch),
        ``"steps"`` (gradient steps in all) and ``"w"`` (the final weights).
    """
    if n_epochs < 1:
        raise ValueError(f"compare_batch_sizes: n_epochs must be at least 1, got {n_epochs}")
    n = len(y)
    runs: dict[str, dict[str, Any]] = {}
    bar = ProgressBar(n_epochs * len(batch_sizes), description="comparing batch sizes")
    for index, (label, batch_size) in enumerate(batch_sizes.items()):
        if not 1 <= batch_size <= n:
            raise ValueError(f"compare_batch_sizes: batch size {batch_size} ({label!r}) is not "
                             f"between 1 and n = {n}")
        rng = np.random.default_rng(seed)
        w = np.zeros(X.shape[1])
        run: dict[str, Any] = {"evaluations": [], "seconds": [], "losses": []}
        elapsed = 0.0
        for epoch in range(n_epochs):
            start = time.perf_counter()
            w, epoch_losses = train(X, y, w, learning_rate, batch_size, 1, rng)
            elapsed += time.perf_counter() - start
            run["evaluations"].append((epoch + 1) * n)
            run["seconds"].append(elapsed)
            run["losses"].append(float(epoch_losses[0]))
            bar.update(index * n_epochs + epoch + 1, loss=run["losses"][-1])
        run["steps"] = n_epochs * -(-n // batch_size)  # ceil(n / batch_size) steps per epoch
        run["w"] = w
        runs[label] = run
    bar.close()
    return runs
