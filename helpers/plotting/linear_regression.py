"""Figures for notebook 01 (linear regression), in the style of :mod:`helpers.plotting.core`.

The loss surface of a one-feature linear model ``a_w(x) = w_1 x + w_2`` (slope and bias) is a bowl
over the plane of its two weights; :func:`plot_loss_contour` draws it with the path gradient
descent takes, and :func:`plot_descent` puts that next to the fitted line and the loss curve (the
three panels of notebook 01's learning-rate explorer).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from helpers.plotting.core import COLORS, plot_data_and_fit, set_axes
from helpers.reference.linear_regression import mse_loss_grid

__all__ = ["plot_loss_contour", "plot_descent", "plot_fits"]


def plot_loss_contour(ax: Axes, X: np.ndarray, y: np.ndarray,
                      w_range: tuple[Sequence[float], Sequence[float]],
                      path: np.ndarray | None = None, w_best: np.ndarray | None = None,
                      resolution: int = 100, n_levels: int = 14,
                      labels: Sequence[str] = ("$w_1$ (slope)", "$w_2$ (bias)"),
                      **set_axes_kwargs) -> Axes:
    """Contours of the MSE over the plane of two weights, optionally with a descent path.

    Parameters
    ----------
    ax : Axes
    X : ndarray, shape (n, 2)
        Design matrix of a two-weight model (e.g. one feature and the bias column).
    y : ndarray, shape (n,)
    w_range : pair of (low, high)
        The ranges of the first and second weight shown; the axes keep these limits, so a
        diverging path leaves the picture instead of squashing it.
    path : ndarray, shape (k, 2), optional
        Successive weights (``path[0]`` the start), drawn as a line with a dot per step.
    w_best : ndarray, shape (2,), optional
        The minimum (e.g. from the normal equation), marked with a star.
    resolution : int
        Grid points per axis.
    n_levels : int
        Number of contour lines, spaced logarithmically above the minimum of the grid.

    Returns
    -------
    Axes
    """
    (lo1, hi1), (lo2, hi2) = w_range
    g1, g2 = np.meshgrid(np.linspace(lo1, hi1, resolution), np.linspace(lo2, hi2, resolution))
    loss = mse_loss_grid(X, y, g1, g2)
    # Log-spaced levels: the bowl is steep far away and flat near the bottom.
    low, high = float(loss.min()), float(loss.max())
    levels = low + np.geomspace(1e-3, 1.0, n_levels) * (high - low)
    ax.contourf(g1, g2, loss, levels=np.concatenate([[low], levels]), cmap="Blues_r", alpha=0.6)
    ax.contour(g1, g2, loss, levels=levels, colors="#4d4d4d", linewidths=0.6)
    if w_best is not None:
        ax.plot(*w_best, marker="*", markersize=16, color=COLORS[2], linestyle="none",
                label="minimum")
    if path is not None and len(path):
        path = np.asarray(path, dtype=float)
        ax.plot(path[:, 0], path[:, 1], color=COLORS[5], marker=".", markersize=4, linewidth=1.2,
                label="path of w")
        ax.plot(*path[0], marker="o", color="black", markersize=6, linestyle="none",
                label="start")
    ax.set_xlim(lo1, hi1)
    ax.set_ylim(lo2, hi2)
    ax.grid(False)
    set_axes_kwargs.setdefault("legend", path is not None or w_best is not None)
    return set_axes(ax, xlabel=labels[0], ylabel=labels[1], **set_axes_kwargs)


def plot_descent(axes: Sequence[Axes], x: np.ndarray, y: np.ndarray, path: np.ndarray,
                 losses: np.ndarray, w_range: tuple[Sequence[float], Sequence[float]],
                 w_best: np.ndarray | None = None, xlabel: str = "x", ylabel: str = "y",
                 title: str | None = None) -> Sequence[Axes]:
    """Three panels of one gradient-descent run of ``y ~ w_1 x + w_2``: fit, loss curve, path.

    Parameters
    ----------
    axes : sequence of 3 Axes
        Where to draw the data with the last line, the loss per iteration (log scale), and the
        path of w over the loss contours.
    x, y : ndarray, shape (n,)
        The data (one feature).
    path : ndarray, shape (k + 1, 2)
        Weights ``(slope, bias)`` from the start to the last update, as returned by
        :func:`helpers.reference.linear_regression.gradient_descent_path`.
    losses : ndarray, shape (k + 1,)
        The MSE at each point of ``path``.
    w_range : pair of (low, high)
        Weight ranges of the contour panel.
    w_best : ndarray, shape (2,), optional
        The least-squares weights, marked on the contour panel.
    title : str, optional
        Title of the first panel (e.g. the learning rate).

    Returns
    -------
    the 3 axes
    """
    ax_fit, ax_loss, ax_path = axes
    w = np.asarray(path, dtype=float)[-1]
    # On the MSE (a convex quadratic) a stable run never ends above its start.
    diverged = not np.isfinite(losses[-1]) or losses[-1] > losses[0]
    if diverged:
        plot_data_and_fit(ax_fit, x, y, None, xlabel=xlabel, ylabel=ylabel, title=title)
    else:
        plot_data_and_fit(ax_fit, x, y, lambda grid: w[0] * grid + w[1], label="last w",
                          xlabel=xlabel, ylabel=ylabel, title=title)
    finite = np.asarray(losses, dtype=float)
    finite = finite[np.isfinite(finite)]
    ax_loss.plot(np.arange(len(finite)), finite, color=COLORS[0])
    status = (f"diverging: loss {finite[-1]:.1e} after {len(finite) - 1} updates" if diverged
              else f"loss after {len(finite) - 1} updates: {finite[-1]:.3f}")
    set_axes(ax_loss, xlabel="update", ylabel="MSE", yscale="log", title=status)
    X = np.column_stack([x, np.ones_like(x)])
    plot_loss_contour(ax_path, X, y, w_range, path=path, w_best=w_best, title="path of w")
    return axes


def plot_fits(ax: Axes, x: np.ndarray, y: np.ndarray,
              predictors: Mapping[str, Callable[[np.ndarray], np.ndarray]],
              ylim: Sequence[float] | None = None, **set_axes_kwargs) -> Axes:
    """Scatter the data and draw several fitted curves on a fine grid of x.

    Parameters
    ----------
    x, y : ndarray, shape (n,)
    predictors : mapping of label to callable
        Each maps a grid of x, shape (m,), to predictions, shape (m,).
    ylim : (low, high), optional
        By default a margin around the data, so a wild curve does not hide it.

    Returns
    -------
    Axes
    """
    ax.scatter(x, y, s=25, color=COLORS[0], alpha=0.8, label="data", zorder=3)
    grid = np.linspace(x.min(), x.max(), 300)
    for index, (label, predict) in enumerate(predictors.items()):
        ax.plot(grid, predict(grid), color=COLORS[(index + 1) % len(COLORS)], label=label)
    if ylim is None:
        margin = 0.25 * (y.max() - y.min())
        ylim = (y.min() - margin, y.max() + margin)
    set_axes_kwargs.setdefault("legend", True)
    return set_axes(ax, ylim=ylim, **set_axes_kwargs)
