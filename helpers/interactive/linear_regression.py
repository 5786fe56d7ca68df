"""Widgets for notebook 01 (linear regression): the learning-rate explorer.

The notebook cell shows the idea in one call::

    interactive.learning_rate_explorer(people, euros, w_start, W_RANGE, w_night,
                                       xlabel="people", ylabel="euros per person")

Two sliders (the learning rate on a log scale, the number of updates) rerun gradient descent on
``y ~ w_1 x + w_2`` and redraw the three panels of
:func:`helpers.plotting.linear_regression.plot_descent`: the data with the last line, the loss
curve, and the path of the weights over the loss contours.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from helpers.plotting.core import figure
from helpers.plotting.linear_regression import plot_descent
from helpers.reference.linear_regression import add_bias, gradient_descent_path

__all__ = ["learning_rate_explorer"]


def learning_rate_explorer(x: np.ndarray, y: np.ndarray, w_start: np.ndarray,
                           w_range: tuple[Sequence[float], Sequence[float]],
                           w_best: np.ndarray | None = None, *, learning_rate: float = 0.01,
                           n_iter: int = 100, rate_range: tuple[float, float] = (1e-4, 0.05),
                           xlabel: str = "x", ylabel: str = "y") -> widgets.interactive:
    """Sliders for the learning rate and the number of updates of gradient descent on a line.

    Each change reruns :func:`helpers.reference.linear_regression.gradient_descent_path` (which
    stops quietly when the loss blows up) and redraws the fit, the loss curve and the path of
    ``w`` over the contours of the MSE.

    Parameters
    ----------
    x, y : ndarray, shape (n,)
        One feature and the targets; the model is ``y ~ w_1 x + w_2`` (bias last).
    w_start : ndarray, shape (2,)
        Where every run starts, ``(slope, bias)``.
    w_range : pair of (low, high)
        The slope and bias ranges of the contour panel.
    w_best : ndarray, shape (2,), optional
        The least-squares weights, marked with a star.
    learning_rate : float
        The slider's initial learning rate, inside ``rate_range``.
    n_iter : int
        The initial number of updates (the slider goes from 5 to 1000).
    rate_range : (low, high)
        The learning-rate slider's range, positive; it moves on a log scale.
    xlabel, ylabel : str
        Axis labels of the data panel.

    Returns
    -------
    ipywidgets.interactive
        The displayed widget: ``children`` are the two sliders and the output area.

    Raises
    ------
    ValueError
        When the shapes do not match or a range is empty or not positive.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w_start = np.asarray(w_start, dtype=float)
    if x.ndim != 1 or x.shape != y.shape or w_start.shape != (2,):
        raise ValueError(f"learning_rate_explorer needs x and y of one shape (n,) and w_start "
                         f"of shape (2,); got {x.shape}, {y.shape} and {w_start.shape}")
    low, high = rate_range
    if not 0 < low < high or not low <= learning_rate <= high:
        raise ValueError(f"rate_range must be (low, high) with 0 < low < high and contain "
                         f"learning_rate; got {rate_range} and {learning_rate}")
    X = add_bias(x[:, None])

    def explore(learning_rate: float, n_iter: int) -> None:
        path, losses = gradient_descent_path(X, y, w_start, learning_rate, n_iter)
        _, axes = figure(ncols=3, width=3.8, height=3.1)
        plot_descent(axes, x, y, path, losses, w_range, w_best, xlabel, ylabel,
                     title=f"learning rate {learning_rate:.4f}")
        plt.show()

    explorer = widgets.interactive(
        explore,
        learning_rate=widgets.FloatLogSlider(
            value=learning_rate, base=10, min=np.log10(low), max=np.log10(high), step=0.02,
            readout_format=".4f", continuous_update=False, description="learning rate",
            style={"description_width": "initial"}),
        n_iter=widgets.IntSlider(value=n_iter, min=5, max=1000, step=5, continuous_update=False,
                                 description="updates"),
    )
    display(explorer)
    return explorer
