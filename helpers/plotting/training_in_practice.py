"""Figures for notebook 05 (training in practice, digits), in the style of ``core``.

* :func:`plot_digits`: a grid of 8x8 digit images with their labels (and predictions);
* :func:`plot_weight_images`: a layer's incoming weights drawn as images;
* :func:`plot_activation_histograms`: one histogram of activations per layer, on one axes;
* :func:`plot_learning_curves`: training and validation loss / accuracy against epochs;
* :func:`plot_validation_curve`: training and validation error against a setting (degree, lambda);
* :func:`plot_network_boundary`: the decision region of a two-class softmax network;
* :func:`plot_gradient_magnitudes`: the mean absolute gradient of each layer, one line per setup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from helpers.plotting.core import COLORS, plot_decision_boundary, set_axes

__all__ = [
    "plot_digits", "plot_weight_images", "plot_activation_histograms", "plot_learning_curves",
    "plot_validation_curve", "plot_network_boundary", "plot_gradient_magnitudes",
]

_WRONG = "#D55E00"  # Okabe-Ito vermillion, as in core.COLORS


def _flat_axes(axes: Axes | np.ndarray | Sequence[Axes]) -> list[Axes]:
    return list(np.ravel(np.asarray(axes, dtype=object)))


def plot_digits(axes: np.ndarray | Sequence[Axes], images: np.ndarray,
                labels: np.ndarray | None = None, predicted: np.ndarray | None = None,
                cmap: str = "gray_r") -> list[Axes]:
    """Draw digit images, one per axes, titled with the label (and the prediction).

    Parameters
    ----------
    axes : array or sequence of Axes
        e.g. the axes of ``figure(nrows=3, ncols=10, width=1, height=1.1)``; extra axes are hidden.
    images : ndarray, shape (m, 64) or (m, 8, 8)
        Pixel intensities (any scale; each image uses the same colour range).
    labels : ndarray, shape (m,), optional
        True labels, shown as titles.
    predicted : ndarray, shape (m,), optional
        Predicted labels: titles become ``"true 3, said 8"`` (in red when they differ).

    Returns
    -------
    list of Axes
        The axes, flattened.
    """
    flat = _flat_axes(axes)
    images = np.asarray(images, dtype=float)
    side = int(round(np.sqrt(images[0].size))) if len(images) else 8
    vmax = float(images.max()) if images.size else 1.0
    for index, ax in enumerate(flat):
        ax.set_axis_off()
        if index >= len(images):
            continue
        ax.imshow(images[index].reshape(side, side), cmap=cmap, vmin=0.0, vmax=vmax or 1.0)
        if predicted is not None:
            true = "?" if labels is None else str(int(labels[index]))
            wrong = labels is not None and int(labels[index]) != int(predicted[index])
            ax.set_title(f"true {true}, said {int(predicted[index])}", fontsize=9,
                         color=_WRONG if wrong else "black")
        elif labels is not None:
            ax.set_title(str(int(labels[index])), fontsize=10)
    return flat


def plot_weight_images(axes: np.ndarray | Sequence[Axes], W: np.ndarray,
                       cmap: str = "RdBu_r") -> list[Axes]:
    """Draw the incoming weights of a layer's first units as images (bias row dropped).

    Parameters
    ----------
    axes : array or sequence of Axes
        One per unit shown.
    W : ndarray, shape (64 + 1, d_out)
        A first layer's weights; column ``j`` (without its last entry) becomes an 8x8 image, red
        for positive and blue for negative weights, on a colour scale symmetric around 0.

    Returns
    -------
    list of Axes
    """
    flat = _flat_axes(axes)
    body = np.asarray(W, dtype=float)[:-1]
    side = int(round(np.sqrt(body.shape[0])))
    for unit, ax in enumerate(flat):
        ax.set_axis_off()
        if unit >= body.shape[1]:
            continue
        column = body[:, unit]
        limit = float(np.abs(column).max()) or 1.0
        ax.imshow(column.reshape(side, side), cmap=cmap, vmin=-limit, vmax=limit)
    return flat


def plot_activation_histograms(ax: Axes, activations: Sequence[np.ndarray], bins: int = 50,
                               value_range: tuple[float, float] | None = None,
                               **set_axes_kwargs) -> Axes:
    """Histograms of a network's activations, one outlined histogram per layer on one axes.

    Parameters
    ----------
    ax : Axes
    activations : sequence of ndarray
        ``activations[l]`` of any shape (e.g. (n, d_l)): all its values go in histogram ``l``,
        labelled ``layer l+1`` with its standard deviation; deeper layers are drawn darker.
    bins : int
    value_range : (float, float), optional
        Common x range, e.g. ``(-1, 1)`` for tanh.
    **set_axes_kwargs
        Passed to :func:`helpers.plotting.core.set_axes` (title, xlabel...).

    Returns
    -------
    Axes
    """
    count = max(len(activations), 1)
    cmap = plt.get_cmap("viridis_r")
    for layer, a in enumerate(activations):
        values = np.ravel(a)
        ax.hist(values, bins=bins, range=value_range, density=True, histtype="step",
                linewidth=1.5, color=cmap(0.15 + 0.85 * layer / max(count - 1, 1)),
                label=f"layer {layer + 1} (std {values.std():.2g})")
    ax.set_yticks([])
    set_axes_kwargs.setdefault("xlabel", "activation")
    return set_axes(ax, legend=True, **set_axes_kwargs)


def plot_learning_curves(ax_loss: Axes, ax_accuracy: Axes | None, history: dict,
                         best_epoch: int | None = None) -> tuple[Axes, Axes | None]:
    """Training and validation loss (and accuracy) against the epoch.

    Parameters
    ----------
    ax_loss : Axes
    ax_accuracy : Axes or None
        Where to draw the accuracies; None to skip them.
    history : dict
        As returned by ``train_classifier`` (notebook 05's, or :func:`helpers.nn.train_classifier`):
        lists ``"train_loss"``, ``"val_loss"``, ``"val_accuracy"`` and possibly
        ``"train_accuracy"`` (missing or empty lists are skipped).
    best_epoch : int, optional
        Marked with a dotted vertical line (e.g. the epoch early stopping keeps).

    Returns
    -------
    (ax_loss, ax_accuracy)
    """
    panels = [(ax_loss, "loss", "cross-entropy")]
    if ax_accuracy is not None:
        panels.append((ax_accuracy, "accuracy", "accuracy"))
    for ax, key, ylabel in panels:
        for part, color in (("train", COLORS[0]), ("val", COLORS[1])):
            values = history.get(f"{part}_{key}", [])
            if len(values):
                ax.plot(np.arange(1, len(values) + 1), values, color=color,
                        label="training" if part == "train" else "validation")
        if best_epoch is not None:
            ax.axvline(best_epoch + 1, color="gray", linestyle=":", linewidth=1.5,
                       label=f"best epoch ({best_epoch + 1})")
        set_axes(ax, xlabel="epoch", ylabel=ylabel, legend=True)
    return ax_loss, ax_accuracy


def plot_validation_curve(ax: Axes, values: Sequence[float], train_errors: Sequence[float],
                          val_errors: Sequence[float], xlabel: str, ylabel: str = "error",
                          xscale: str | None = None, yscale: str | None = None) -> Axes:
    """Training and validation error against a model setting, with the best setting marked.

    Parameters
    ----------
    values : sequence of float, length m
        The setting (polynomial degree, lambda, hidden units...).
    train_errors, val_errors : sequence of float, length m
    xlabel, ylabel : str
    xscale, yscale : str, optional
        e.g. ``"log"``.

    Returns
    -------
    Axes
    """
    values = np.asarray(values, dtype=float)
    val_errors = np.asarray(val_errors, dtype=float)
    ax.plot(values, train_errors, "o-", color=COLORS[0], label="training")
    ax.plot(values, val_errors, "s-", color=COLORS[1], label="validation")
    best = int(np.nanargmin(val_errors))
    ax.plot(values[best], val_errors[best], "*", color=COLORS[5], markersize=16,
            label=f"best validation ({values[best]:g})")
    return set_axes(ax, xlabel=xlabel, ylabel=ylabel, xscale=xscale, yscale=yscale, legend=True)


def plot_network_boundary(ax: Axes, weights: Sequence[np.ndarray], X: np.ndarray,
                          y: np.ndarray | None = None, activation: str = "relu",
                          **kwargs) -> Axes:
    """The decision region of a two-class softmax network on 2-D inputs (and the data).

    Parameters
    ----------
    weights : list of ndarray
        A network of :mod:`helpers.nn` with 2 inputs and 2 outputs (logits).
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,), optional
        Labels 0/1, drawn when given.
    activation : {"relu", "tanh", "sigmoid"}
        Its hidden layers' activation.
    **kwargs
        Passed to :func:`helpers.plotting.core.plot_decision_boundary` (title, legend...).

    Returns
    -------
    Axes
    """
    from helpers.nn import forward  # the network the demos train

    def class_1(points: np.ndarray) -> np.ndarray:
        Z = forward(points, weights, activation)[1]
        return 1.0 / (1.0 + np.exp(np.clip(Z[:, 0] - Z[:, 1], -500, 500)))  # softmax(Z)[:, 1]

    return plot_decision_boundary(ax, class_1, X, y, **kwargs)


def plot_gradient_magnitudes(ax: Axes, magnitudes: Mapping[str, Sequence[float]],
                             **set_axes_kwargs) -> Axes:
    """Mean absolute gradient of each weight matrix, layer 1 (the input side) to the output.

    Parameters
    ----------
    ax : Axes
    magnitudes : mapping of str to sequence of float
        ``{setup: [mean |dL/dW| of layer 1, layer 2, ...]}``, one line per setup, on a log scale.
    **set_axes_kwargs
        Passed to :func:`helpers.plotting.core.set_axes`.

    Returns
    -------
    Axes
    """
    markers = "osD^v<>"
    for index, (name, values) in enumerate(magnitudes.items()):
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(1, len(values) + 1), values, marker=markers[index % len(markers)],
                color=COLORS[index % len(COLORS)], label=name)
        ax.set_xticks(np.arange(1, len(values) + 1))
    set_axes_kwargs.setdefault("xlabel", "layer (1 = next to the input)")
    set_axes_kwargs.setdefault("ylabel", "mean |gradient|")
    return set_axes(ax, yscale="log", legend=True, **set_axes_kwargs)
