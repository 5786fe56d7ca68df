"""Interactive parts of notebook 05: the lambda slider and the digits project's guarded training.

* :func:`lambda_explorer`: a slider for the L2 strength; each value trains the overfitting
  network of the notebook again and draws its decision region;
* :func:`train_with_live_curves`: runs the attendee's ``train_classifier`` with a progress bar
  and live learning curves, within a time limit; a result that is not a well-formed, finite
  ``(weights, history)`` (or a function that raises, or does not finish) is reported, and the
  workshop's reference ``train_classifier`` trains instead, so the project always ends with a
  trained network.
"""

from __future__ import annotations

import copy
import inspect
import time
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from helpers import nn, plotting
from helpers.feedback import FAIL, INFO, call_guarded, describe_error
from helpers.progress_bar import ProgressBar

__all__ = ["lambda_explorer", "train_with_live_curves", "TIME_LIMIT"]

#: Seconds the attendee's training may take before it is stopped (the solution needs a few).
TIME_LIMIT = 60.0


def lambda_explorer(X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray,
                    y_val: np.ndarray, *, hidden_sizes: Sequence[int] = (64, 64),
                    learning_rate: float = 0.2, n_epochs: int = 800,
                    log10_lambda: float = -1.5) -> widgets.interactive:
    """A slider for log10(lambda); each value trains a two-class network and draws its region.

    Full-batch training with :func:`helpers.nn.train_classifier` (ReLU, He initialisation,
    generator seeded with 0), so only lambda changes from one picture to the next.

    Parameters
    ----------
    X_train, X_val : ndarray, shape (n, 2) and (m, 2)
    y_train, y_val : ndarray of int, shape (n,) and (m,)
        Labels 0 and 1.
    hidden_sizes : sequence of int
    learning_rate : float
    n_epochs : int
    log10_lambda : float
        The slider's starting value, between -4 and 0.

    Returns
    -------
    ipywidgets.interactive
        The slider and its output; the last expression of a cell, it is displayed.
    """
    def show(log10_lambda: float) -> None:
        lam = 10.0 ** log10_lambda
        weights, history = nn.train_classifier(
            X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, len(X_train), n_epochs,
            np.random.default_rng(0), lam=lam)
        fig, ax = plotting.figure(width=4.5, height=4)
        plotting.plot_network_boundary(
            ax, weights, X_train, y_train,
            title=f"λ = {lam:.2g}: training error {1 - history['train_accuracy'][-1]:.0%}, "
                  f"validation error {1 - history['val_accuracy'][-1]:.0%}")
        plt.show()

    slider = widgets.FloatSlider(value=log10_lambda, min=-4.0, max=0.0, step=0.25,
                                 description="log10 λ", continuous_update=False)
    return widgets.interactive(show, log10_lambda=slider)


# --------------------------------------------------------------------------- the project
def train_with_live_curves(train: Callable[..., Any], X_train: np.ndarray, y_train: np.ndarray,
                           X_val: np.ndarray, y_val: np.ndarray, *, hidden_sizes: Sequence[int],
                           learning_rate: float, batch_size: int, n_epochs: int,
                           rng: np.random.Generator, lam: float = 0.0,
                           patience: int | None = None, time_limit: float = TIME_LIMIT,
                           redraw_seconds: float = 1.0, description: str = "training",
                           ) -> tuple[list[np.ndarray], dict]:
    """Train with ``train`` (your ``train_classifier``), showing its progress; never hangs.

    ``train`` is called with the arguments of notebook 05's ``train_classifier`` and a
    ``callback`` (when its signature has one) that moves a progress bar and redraws the learning
    curves at most every ``redraw_seconds``. It is stopped after ``time_limit`` seconds. When it
    raises, does not finish, or returns anything but ``(weights, history)`` with finite weights
    of the right shapes and one history entry per epoch (at most ``n_epochs``), that is printed
    and the workshop's reference ``train_classifier`` trains from the same generator state.

    Parameters
    ----------
    train : callable
        ``train(X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, batch_size,
        n_epochs, rng, lam=..., patience=..., callback=...)``.
    X_train, y_train, X_val, y_val : ndarray
        Shapes (n, d), (n,), (m, d), (m,); integer labels.
    hidden_sizes, learning_rate, batch_size, n_epochs, rng, lam, patience
        As for ``train_classifier``.
    time_limit : float
        Seconds before ``train`` is stopped.
    redraw_seconds : float
        Seconds of training between two redraws of the curves (drawing is slow next to a
        training step). The time the display takes is printed apart from the training time.
    description : str
        The progress bar's label.

    Returns
    -------
    weights : list of ndarray
    history : dict
        Lists ``"train_loss"``, ``"val_loss"``, ``"val_accuracy"`` (one value per epoch run).
        The kept epoch is marked on the final figure and printed with the training time.
    """
    from helpers.reference.training_in_practice import train_classifier as reference

    sizes = [X_train.shape[1], *hidden_sizes, int(max(np.max(y_train), np.max(y_val))) + 1]
    shapes = [(a + 1, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    settings = (X_train, y_train, X_val, y_val, tuple(hidden_sizes), learning_rate, batch_size,
                n_epochs)
    start_rng = copy.deepcopy(rng)  # for the reference, should yours fail
    bar = ProgressBar(n_epochs, description)
    fig, (ax_loss, ax_accuracy) = plotting.figure(ncols=2, width=5, height=3.5)

    def draw(history: Any, best_epoch: int | None = None) -> None:
        ax_loss.clear()
        ax_accuracy.clear()
        plotting.plot_learning_curves(ax_loss, ax_accuracy, history, best_epoch=best_epoch)

    drawing = [0.0]  # seconds spent on the progress display, not on training
    last_draw = [time.perf_counter()]

    with plotting.LiveFigure(fig) as live:
        def callback(epoch: int, weights: Any, history: Any) -> None:
            started = time.perf_counter()
            try:  # whatever your history looks like, the progress display must not break it
                bar.update(epoch + 1, val_loss=float(history["val_loss"][-1]))
                if started - last_draw[0] >= redraw_seconds:
                    draw(history)
                    live.update()
                    last_draw[0] = time.perf_counter()
            except Exception:
                pass
            drawing[0] += time.perf_counter() - started

        kwargs: dict[str, Any] = {"lam": lam, "patience": patience}
        if _accepts(train, "callback"):
            kwargs["callback"] = callback
        started = time.perf_counter()
        outcome = call_guarded(train, (*_copies(settings), rng), kwargs, time_limit=time_limit)
        seconds = time.perf_counter() - started
        if outcome.printed:
            print(outcome.printed.rstrip())
        problem = _outcome_problem(outcome, shapes, n_epochs, patience, time_limit)
        if problem:
            print(f"{FAIL} your train_classifier {problem}\n{INFO} The workshop's reference "
                  f"train_classifier trains the network instead (fix yours, then run this cell "
                  f"again).")
            drawing[0] = 0.0
            started = time.perf_counter()
            weights, history = reference(*settings, start_rng, lam=lam, patience=patience,
                                         callback=callback)
            seconds = time.perf_counter() - started
        else:
            weights, history = outcome.value
        best = _kept_epoch(history, patience)
        draw(history, best_epoch=best)
    bar.close()
    epochs = len(history["val_loss"])
    print(f"trained {epochs} epochs in {seconds - drawing[0]:.2f} s (plus {drawing[0]:.2f} s "
          f"for the progress display); kept epoch {best + 1} (validation accuracy "
          f"{float(history['val_accuracy'][best]):.1%})")
    return [np.asarray(W) for W in weights], history


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def _copies(values: tuple) -> tuple:
    return tuple(np.array(v) if isinstance(v, np.ndarray) else v for v in values)


def _outcome_problem(outcome: Any, shapes: list[tuple[int, int]], n_epochs: int,
                     patience: int | None, time_limit: float) -> str | None:
    """Why the attendee's training cannot be used, or None."""
    from helpers.checks.training_runs import training_result_problem

    if outcome.timed_out:
        return (f"did not finish within {time_limit:g} s (a loop that never ends, e.g. a `while` "
                f"whose condition never changes, or far more epochs than n_epochs).")
    if outcome.not_implemented:
        return "is not implemented yet."
    if outcome.error is not None:
        return f"raised {describe_error(outcome)}"
    problem = training_result_problem(outcome.value, shapes, n_epochs, patience)
    return None if problem is None else f"returned something unusable: {problem}"


def _kept_epoch(history: dict, patience: int | None) -> int:
    """The epoch whose weights were returned: the lowest validation loss with patience."""
    losses = np.asarray(history["val_loss"], dtype=float)
    return int(np.argmin(losses)) if patience is not None else len(losses) - 1
