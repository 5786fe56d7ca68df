"""Figures for notebook 03 (neural networks): perceptrons, hidden units, MLP diagrams.

All drawn with matplotlib only, in the style of :mod:`helpers.plotting.core`:

* :func:`plot_perceptron`: a perceptron's two half-planes, its boundary and the data;
* :func:`plot_unit_lines`: the line ``w1 x1 + w2 x2 + b = 0`` of each unit of a layer, with an
  arrow towards the side where the unit is "on";
* :func:`plot_neuron_playground`: the figure of the neuron playground (each hidden unit's line,
  then the decision region of the whole network);
* :func:`plot_network`: the diagram of a multi-layer perceptron from its layer sizes, bias units
  included.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from helpers.plotting.core import (
    CLASS_COLORS,
    COLORS,
    REGION_CMAP,
    figure,
    plot_classes,
    plot_decision_boundary,
    set_axes,
)

__all__ = ["plot_perceptron", "plot_unit_lines", "plot_neuron_playground", "plot_network"]

_UNIT_COLORS = [COLORS[5], COLORS[2], COLORS[3], COLORS[0], COLORS[1], COLORS[4], COLORS[7]]


def _limits(X: np.ndarray, margin: float) -> tuple[np.ndarray, np.ndarray]:
    return X.min(axis=0) - margin, X.max(axis=0) + margin


def _line_segment(w1: float, w2: float, b: float, lo: np.ndarray,
                  hi: np.ndarray) -> np.ndarray | None:
    """The part of ``w1 x1 + w2 x2 + b = 0`` inside the box ``[lo, hi]``: (2, 2), or None."""
    points = []
    if abs(w2) > 1e-12:
        for x1 in (lo[0], hi[0]):
            points.append((x1, -(w1 * x1 + b) / w2))
    if abs(w1) > 1e-12:
        for x2 in (lo[1], hi[1]):
            points.append((-(w2 * x2 + b) / w1, x2))
    eps = 1e-9
    inside = [p for p in points if lo[0] - eps <= p[0] <= hi[0] + eps
              and lo[1] - eps <= p[1] <= hi[1] + eps]
    if len(inside) < 2:
        return None
    inside = np.array(sorted(set(inside)))
    return np.array([inside[0], inside[-1]])


def plot_perceptron(ax: Axes, X: np.ndarray, y: np.ndarray, w: np.ndarray,
                    title: str | None = None, legend: bool = True, margin: float = 0.5,
                    resolution: int = 120) -> Axes:
    """A perceptron's decision regions, its boundary and the data, misclassified points circled.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        The inputs WITHOUT the bias column.
    y : ndarray, shape (n,)
        Labels, +1/-1 (0/1 also works: positive means class +1).
    w : ndarray, shape (3,)
        ``(w1, w2, bias)``: the perceptron says +1 where ``w1 x1 + w2 x2 + bias >= 0``.
    title : str, optional
    legend : bool
        Whether to show the legend (leave it out in grids of small panels).

    Returns
    -------
    Axes
    """
    w = np.asarray(w, dtype=float)
    lo, hi = _limits(X, margin)
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    side = (w[0] * g1 + w[1] * g2 + w[2] >= 0).astype(float)
    ax.contourf(g1, g2, side, levels=[-0.5, 0.5, 1.5], cmap=REGION_CMAP)
    segment = _line_segment(w[0], w[1], w[2], lo, hi)
    if segment is not None:
        ax.plot(segment[:, 0], segment[:, 1], color="black", linewidth=1.5)
    plot_classes(ax, X, y, names=("class -1", "class +1"))
    positive = np.asarray(y) > 0
    predicted = X @ w[:2] + w[2] >= 0
    wrong = predicted != positive
    if wrong.any():
        ax.scatter(X[wrong, 0], X[wrong, 1], s=90, facecolor="none", edgecolor="black",
                   linewidth=1.2, label="misclassified")
    if legend:
        ax.legend(loc="upper left", fontsize=8)
    elif ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    return set_axes(ax, title=title)


def plot_unit_lines(ax: Axes, W: np.ndarray, lo: Sequence[float], hi: Sequence[float],
                    names: Sequence[str] | None = None, arrows: bool = True) -> Axes:
    """Draw each unit's line ``W[0, k] x1 + W[1, k] x2 + W[2, k] = 0`` in its own colour.

    Parameters
    ----------
    W : ndarray, shape (3, k)
        A layer's weights for 2 inputs (last row: the biases), one column per unit.
    lo, hi : sequence of 2 floats
        The box to draw in (the axes limits).
    names : sequence of str, optional
        One label per unit; default ``$z_1$, $z_2$, ...``.
    arrows : bool
        Draw an arrow from the middle of each line towards the side where the unit's linear
        part is positive (where a sigmoid unit is above 0.5).

    Returns
    -------
    Axes
    """
    W = np.asarray(W, dtype=float)
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    names = names or [f"$z_{k + 1}$" for k in range(W.shape[1])]
    length = 0.12 * float(np.min(hi - lo))
    for k in range(W.shape[1]):
        color = _UNIT_COLORS[k % len(_UNIT_COLORS)]
        w1, w2, b = W[:, k]
        segment = _line_segment(w1, w2, b, lo, hi)
        if segment is None:
            continue
        ax.plot(segment[:, 0], segment[:, 1], color=color, linewidth=2, label=names[k])
        if arrows:
            middle = segment.mean(axis=0)
            direction = np.array([w1, w2]) / np.hypot(w1, w2) * length
            ax.annotate("", xy=middle + direction, xytext=middle,
                        arrowprops={"arrowstyle": "->", "color": color, "linewidth": 2})
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    return ax


def plot_neuron_playground(X: np.ndarray, y: np.ndarray, W_hidden: np.ndarray,
                           W_output: np.ndarray, margin: float = 0.5,
                           resolution: int = 100) -> tuple[Figure, float]:
    """The neuron playground's figure: the hidden units' lines, then the network's decision.

    The network is ``p = sigmoid(add_bias(sigmoid(add_bias(X) @ W_hidden)) @ W_output)``.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,)
        0/1 labels.
    W_hidden : ndarray, shape (3, k)
        The k hidden units (last row: biases).
    W_output : ndarray, shape (k + 1, 1)
        The output unit (last entry: its bias).

    Returns
    -------
    fig : Figure
        Two panels: left the units' lines over the data, right the decision region.
    accuracy : float
        Fraction of samples classified correctly (p >= 0.5 for class 1).
    """
    from helpers.reference.neural_networks import mlp_forward

    weights = [np.asarray(W_hidden, float), np.asarray(W_output, float).reshape(-1, 1)]

    def predict_proba(points: np.ndarray) -> np.ndarray:
        return mlp_forward(points, weights)[0][-1].ravel()

    accuracy = float(np.mean((predict_proba(X) >= 0.5) == (np.asarray(y) > 0)))
    lo, hi = _limits(X, margin)
    fig, (left, right) = figure(ncols=2, width=4.6, height=4.2)
    plot_classes(left, X, y)
    plot_unit_lines(left, weights[0], lo, hi)
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8, ncols=3)
    set_axes(left, title="each hidden unit: one line")
    plot_decision_boundary(right, predict_proba, X, y, resolution=resolution, margin=margin)
    plot_unit_lines(right, weights[0], lo, hi, arrows=False)
    for line in right.get_lines():
        line.set_alpha(0.35)
    if right.get_legend() is not None:
        right.get_legend().remove()
    set_axes(right, title=f"output unit: accuracy {accuracy:.1%}")
    return fig, accuracy


def _unit_positions(count: int, max_units: int) -> tuple[np.ndarray, bool]:
    """Vertical positions of the drawn units (centred on 0), and whether some are elided."""
    shown = min(count, max_units)
    return np.arange(shown)[::-1] - (shown - 1) / 2, count > max_units


def plot_network(ax: Axes, layer_sizes: Sequence[int], bias: bool = True,
                 layer_names: Sequence[str] | None = None, show_shapes: bool = True,
                 max_units: int = 8, unit_labels: bool = True) -> Axes:
    """Diagram of a multi-layer perceptron: circles for units, squares for the bias units.

    Every unit of a layer (the bias unit "1" included) is connected to every unit of the next
    layer: each connection is one entry of that layer's weight matrix, whose shape is written
    below the layer when ``show_shapes`` is True.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, inputs first, outputs last, e.g. ``(2, 4, 1)``.
    bias : bool
        Draw the bias unit (a square holding "1") under each layer but the last.
    layer_names : sequence of str, optional
        Default: "input", "hidden 1", ..., "output".
    show_shapes : bool
        Write ``W^(l): (d_in + 1, d_out)`` between consecutive layers.
    max_units : int
        Larger layers are drawn with ``max_units`` circles and a vertical ellipsis.
    unit_labels : bool
        Write ``x_i``, ``z_i`` and ``p`` inside the units (for small layers).

    Returns
    -------
    Axes
    """
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs at least 2 positive sizes, got {layer_sizes}")
    n_layers = len(sizes)
    names = list(layer_names) if layer_names is not None else (
        ["input"] + [f"hidden {i}" if n_layers > 3 else "hidden" for i in range(1, n_layers - 1)]
        + ["output"])
    radius, gap = 0.28, 2.6
    tallest = min(max(sizes), max_units)
    positions = []  # per layer: (ys of the drawn units, y of the bias unit or None, elided)
    for index, size in enumerate(sizes):
        ys, elided = _unit_positions(size, max_units)
        bias_y = ys.min() - 1.0 if bias and index < n_layers - 1 else None
        positions.append((ys, bias_y, elided))
    # connections first, so the units are drawn on top of them
    for index in range(n_layers - 1):
        x0, x1 = index * gap, (index + 1) * gap
        ys0, bias_y0, _ = positions[index]
        ys1 = positions[index + 1][0]
        for y_to in ys1:
            for y_from in ys0:
                ax.plot([x0, x1], [y_from, y_to], color="0.6", linewidth=0.8, zorder=1)
            if bias_y0 is not None:
                ax.plot([x0, x1], [bias_y0, y_to], color="0.6", linewidth=0.8,
                        linestyle="--", zorder=1)
    layer_colors = [COLORS[4]] + [COLORS[2]] * (n_layers - 2) + [CLASS_COLORS[1]]
    for index, (size, (ys, bias_y, elided)) in enumerate(zip(sizes, positions, strict=True)):
        x = index * gap
        for number, y_unit in enumerate(ys):
            ax.add_patch(Circle((x, y_unit), radius, facecolor=layer_colors[index],
                                edgecolor="black", linewidth=1.0, zorder=3))
            if unit_labels and not elided:
                label = _unit_label(index, number, size, n_layers)
                ax.text(x, y_unit, label, ha="center", va="center", fontsize=10, zorder=4)
        if elided:
            ax.text(x + 0.45, (ys[-1] + ys[-2]) / 2, "⋮", ha="left", va="center", fontsize=12)
        if bias_y is not None:
            ax.add_patch(FancyBboxPatch((x - radius * 0.85, bias_y - radius * 0.85),
                                        1.7 * radius, 1.7 * radius,
                                        boxstyle="round,pad=0.02", facecolor="0.88",
                                        edgecolor="black", linewidth=1.0, zorder=3))
            ax.text(x, bias_y, "1", ha="center", va="center", fontsize=10, zorder=4)
        ax.text(x, (tallest - 1) / 2 + 0.75, f"{names[index]}\n{size} unit{'s' * (size > 1)}",
                ha="center", va="bottom", fontsize=10)
    bottom = min(p[1] if p[1] is not None else p[0].min() for p in positions)
    if show_shapes:
        for index in range(n_layers - 1):
            stagger = 0.7 * (index % 2) if n_layers > 3 else 0.0  # long labels side by side
            ax.text((index + 0.5) * gap, bottom - 0.6 - stagger,
                    f"$W^{{({index + 1})}}$: ({sizes[index]} + 1, {sizes[index + 1]})"
                    if bias else f"$W^{{({index + 1})}}$: ({sizes[index]}, {sizes[index + 1]})",
                    ha="center", va="top", fontsize=10)
    ax.set_xlim(-0.8, (n_layers - 1) * gap + 0.8)
    low = bottom - (1.3 + 0.7 * (n_layers > 3) if show_shapes else 0.6)
    ax.set_ylim(low, (tallest - 1) / 2 + 1.8)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _unit_label(layer: int, number: int, size: int, n_layers: int) -> str:
    if layer == 0:
        return f"$x_{number + 1}$"
    if layer == n_layers - 1:
        return "$p$" if size == 1 else f"$p_{number + 1}$"
    return f"$z_{number + 1}$" if n_layers == 3 else ""  # z^(l)_k does not fit in a circle
