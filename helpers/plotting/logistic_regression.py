"""Figures for notebook 02 (logistic regression), in the style of ``core``.

Decision regions and confusion matrices are general and live in ``core``; here are the pictures
specific to logistic regression: the logistic function, cross-entropy against squared error,
the state of a training run (boundary and loss side by side), the comparison of batch sizes and
the regions of a classifier with more than two classes (the one-vs-rest challenge).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, to_rgb

from helpers.plotting.core import COLORS, plot_decision_boundary, plot_losses, set_axes
from helpers.reference.logistic_regression import sigmoid  # stable: any z draws, no warnings

__all__ = [
    "plot_sigmoid",
    "plot_losses_vs_probability",
    "plot_training_state",
    "plot_sgd_comparison",
    "plot_multiclass_regions",
]

_Z_LIN = r"$z_{\mathrm{lin}}$"


def plot_sigmoid(ax: Axes, z_range: tuple[float, float] = (-8.0, 8.0),
                 points: Sequence[float] = (), **set_axes_kwargs) -> Axes:
    """The logistic function of a score with its 0.5 level, optionally marking some scores.

    The horizontal axis is the linear score ``z_lin = x . w`` that logistic regression feeds the
    sigmoid.

    Parameters
    ----------
    ax : Axes
    z_range : (float, float)
        The interval of scores drawn.
    points : sequence of float
        Scores to mark with a dot and their ``sigmoid`` (a worked example).

    Returns
    -------
    Axes
    """
    z = np.linspace(*z_range, 400)
    ax.plot(z, sigmoid(z), color=COLORS[0],
            label=r"$\sigma(z_{\mathrm{lin}}) = 1 / (1 + e^{-z_{\mathrm{lin}}})$")
    ax.axhline(0.5, color="grey", linestyle="--", linewidth=1)
    ax.axvline(0.0, color="grey", linestyle=":", linewidth=1)
    for value in points:
        s = float(sigmoid(value))
        ax.scatter([value], [s], color=COLORS[5], zorder=3)
        ax.annotate(f"σ({value:g}) = {s:.3f}", (value, s), textcoords="offset points",
                    xytext=(8, -12 if s > 0.5 else 6), fontsize=9)
    set_axes_kwargs.setdefault("xlabel", r"score $z_{\mathrm{lin}} = \mathbf{x}^\top\mathbf{w}$")
    set_axes_kwargs.setdefault("ylabel", r"$p = \sigma(z_{\mathrm{lin}})$ = P(y = 1 | x; w)")
    set_axes_kwargs.setdefault("ylim", (-0.05, 1.05))
    return set_axes(ax, legend=True, **set_axes_kwargs)


def plot_losses_vs_probability(ax_loss: Axes, ax_grad: Axes | None = None) -> Axes:
    """Cross-entropy and squared error of one sample of class 1, against its prediction.

    ``ax_loss`` shows both losses against ``p`` (``-log p`` and ``(1 - p)^2``); ``ax_grad``, if
    given, shows their derivatives with respect to the score ``z_lin`` (where
    ``p = sigmoid(z_lin)``): ``p - 1`` for cross-entropy, ``2 (p - 1) p (1 - p)`` for the squared
    error, which vanishes for a confidently wrong prediction (``z_lin`` very negative).

    Returns
    -------
    Axes
        ``ax_loss``.
    """
    p = np.linspace(1e-3, 1.0, 400)
    ax_loss.plot(p, -np.log(p), color=COLORS[0], label="cross-entropy  $-\\log p$")
    ax_loss.plot(p, (1 - p) ** 2, color=COLORS[5], label="squared error  $(1 - p)^2$")
    set_axes(ax_loss, xlabel="predicted probability p of the true class (y = 1)", ylabel="loss",
             title="loss of one sample with y = 1", ylim=(0, 5), legend=True)
    if ax_grad is not None:
        z = np.linspace(-8, 8, 400)
        s = sigmoid(z)
        ax_grad.plot(z, s - 1, color=COLORS[0], label="cross-entropy: $p - 1$")
        ax_grad.plot(z, 2 * (s - 1) * s * (1 - s), color=COLORS[5],
                     label="squared error: $2(p - 1)\\,p(1 - p)$")
        ax_grad.axhline(0.0, color="grey", linewidth=1)
        set_axes(ax_grad, xlabel=_Z_LIN + " (very negative: confidently wrong)",
                 ylabel="d loss / d" + _Z_LIN, title="how hard the gradient pushes",
                 legend=True)
    return ax_loss


def plot_training_state(ax_boundary: Axes, ax_loss: Axes,
                        predict_proba: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                        y: np.ndarray, losses: Sequence[float], n_steps: int | None = None,
                        xlabel: str = "iteration", title: str | None = None,
                        resolution: int = 100) -> None:
    """Redraw a training run's current state: decision boundary on the left, loss on the right.

    Both axes are cleared first, so call it repeatedly inside a
    :class:`~helpers.plotting.core.LiveFigure` loop.

    Parameters
    ----------
    ax_boundary, ax_loss : Axes
    predict_proba : callable
        Maps points ``(m, 2)`` to probabilities of class 1 ``(m,)`` (the current model).
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,)
    losses : sequence of float
        The loss history so far.
    n_steps : int, optional
        The planned number of steps: fixes the loss plot's x range so it does not jump.
    xlabel : str
        Label of the loss plot's x axis (``"iteration"``, ``"epoch"``).
    title : str, optional
        Title of the boundary plot (default: the number of steps done).
    resolution : int
        Grid points per axis of the decision region (lower redraws faster).
    """
    ax_boundary.clear()
    ax_loss.clear()
    done = len(losses)
    plot_decision_boundary(ax_boundary, predict_proba, X, y, resolution=resolution,
                           title=title if title is not None
                           else f"after {done} {xlabel}{'' if done == 1 else 's'}")
    plot_losses(ax_loss, losses, xlabel=xlabel, ylabel="cross-entropy", title="loss")
    if n_steps is not None:
        ax_loss.set_xlim(0, max(n_steps - 1, 1))
    if done:
        ax_loss.set_ylim(0, max(float(np.max(losses)) * 1.05, 1e-3))


def plot_sgd_comparison(ax_evals: Axes, ax_time: Axes | None,
                        runs: Mapping[str, Mapping[str, Sequence[float]]],
                        log: bool = True, log_time: bool = False) -> None:
    """Loss curves of several training runs against gradient evaluations and wall time.

    Parameters
    ----------
    ax_evals : Axes
        Loss against the number of per-sample gradient evaluations (samples processed).
    ax_time : Axes or None
        Loss against wall-clock seconds.
    runs : mapping
        ``{label: {"evaluations": ..., "seconds": ..., "losses": ...}}``, three sequences of the
        same length per run (one entry per recorded point, e.g. per epoch).
    log : bool
        Logarithmic loss axis.
    log_time : bool
        Logarithmic time axis (runs whose durations differ by orders of magnitude).
    """
    for index, (label, run) in enumerate(runs.items()):
        color = COLORS[index % len(COLORS)]
        ax_evals.plot(run["evaluations"], run["losses"], color=color, label=label)
        if ax_time is not None:
            ax_time.plot(run["seconds"], run["losses"], color=color, label=label)
    yscale = "log" if log else None
    set_axes(ax_evals, xlabel="gradient evaluations (samples processed)",
             ylabel="cross-entropy (all data)", yscale=yscale, legend=True,
             title="per unit of computation")
    if ax_time is not None:
        set_axes(ax_time, xlabel="wall time (s)", ylabel="cross-entropy (all data)",
                 xscale="log" if log_time else None, yscale=yscale, legend=True,
                 title="per second (vectorisation matters)")


def plot_multiclass_regions(ax: Axes, scores: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                            y: np.ndarray, names: Sequence[str] | None = None,
                            resolution: int = 150, margin: float = 0.5,
                            **set_axes_kwargs) -> Axes:
    """Decision regions of a classifier with K classes, and the data coloured by class.

    Each point of a grid gets the class whose score is largest (``argmax`` over the K scores),
    which for one-vs-rest logistic regression is also the class of largest probability.

    Parameters
    ----------
    ax : Axes
    scores : callable
        Maps points ``(m, 2)`` to class scores ``(m, K)``.
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,)
        Labels ``0 .. K - 1``.
    names : sequence of str, optional
        The classes' names in the legend (default ``class 0``, ``class 1``...).
    resolution : int
        Grid points per axis.
    margin : float
        Added around the data on every side.

    Returns
    -------
    Axes
    """
    y = np.asarray(y).astype(int)
    lo = X.min(axis=0) - margin
    hi = X.max(axis=0) + margin
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    grid_scores = np.asarray(scores(np.column_stack([g1.ravel(), g2.ravel()])), dtype=float)
    k = max(grid_scores.shape[1], int(y.max()) + 1)
    region = np.argmax(grid_scores, axis=1).reshape(g1.shape)
    light = ListedColormap([tuple(0.75 + 0.25 * c for c in to_rgb(COLORS[i % len(COLORS)]))
                            for i in range(k)])
    ax.contourf(g1, g2, region, levels=np.arange(k + 1) - 0.5, cmap=light)
    labels = list(names) if names is not None else [f"class {i}" for i in range(k)]
    markers = ("o", "^", "s", "D", "v", "P")
    for i in range(k):
        mask = y == i
        ax.scatter(X[mask, 0], X[mask, 1], s=22, color=COLORS[i % len(COLORS)],
                   marker=markers[i % len(markers)], edgecolor="white", linewidth=0.5,
                   label=labels[i])
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    set_axes_kwargs.setdefault("xlabel", "$x_1$")
    set_axes_kwargs.setdefault("ylabel", "$x_2$")
    return set_axes(ax, legend=True, **set_axes_kwargs)
