"""Figures for notebook 04 (backpropagation): computational graphs, ReLU's dead units.

:func:`plot_computational_graph` draws the talk's 2-2-1 network as a computational graph: every
weight is a small multiplication node on its edge, the hidden units and the output are a sum node
followed by an activation node, and the loss compares the output with the label. The path along
which dL/dw flows back to one weight of each layer is highlighted, each step labelled with its
local derivative, so that the chain rule can be read off the picture.

:func:`plot_value_graph` draws the graph an autograd ``Value`` recorded: one box per node with its
value and gradient, an arrow from each input to the node computed from it. :func:`plot_dead_units`
shows, for a hidden layer, each unit's largest linear combination over the data: a dead ReLU unit
never gets above 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyBboxPatch

from helpers.plotting.core import COLORS

__all__ = ["plot_computational_graph", "GRAPH_PATHS", "plot_value_graph", "plot_dead_units"]

# Node positions (x, y) of the 2-2-1 graph.
_NODES = {
    "x1": (0.0, 3.2), "x2": (0.0, 0.8),
    "s1": (3.0, 3.2), "s2": (3.0, 0.8),
    "f1": (4.6, 3.2), "f2": (4.6, 0.8),
    "so": (7.6, 2.0), "sig": (9.2, 2.0), "L": (10.8, 2.0), "y": (10.8, 0.4),
    "b1": (3.0, 4.9), "b2": (3.0, -0.9), "bo": (7.6, 0.3),
}
_NODE_TEXT = {
    "x1": "$x_1$", "x2": "$x_2$", "s1": r"$\Sigma$", "s2": r"$\Sigma$", "f1": "$f$",
    "f2": "$f$", "so": r"$\Sigma$", "sig": r"$\sigma$", "L": "$L$", "y": "$y$",
    "b1": "1", "b2": "1", "bo": "1",
}
# What each node computes, written beside it: (text, dx, dy).
_NODE_NAMES = {
    "s1": (r"$z^{(1)}_{\mathrm{lin},1}$", 0.0, -0.62),
    "s2": (r"$z^{(1)}_{\mathrm{lin},2}$", 0.0, 0.62),
    "f1": (r"$z^{(1)}_1$", 0.0, -0.6), "f2": (r"$z^{(1)}_2$", 0.0, 0.6),
    "so": (r"$z^{(2)}_{\mathrm{lin}}$", 0.62, -0.5), "sig": (r"$p = z^{(2)}$", 0.0, -0.6),
}
# Weighted edges: (source, target, label, position of the weight node along the edge).
_WEIGHTS = {
    "w1_11": ("x1", "s1", r"$w^{(1)}_{11}$", 0.6),
    "w1_21": ("x2", "s1", r"$w^{(1)}_{21}$", 0.6),
    "w1_12": ("x1", "s2", r"$w^{(1)}_{12}$", 0.6),
    "w1_22": ("x2", "s2", r"$w^{(1)}_{22}$", 0.6),
    "b1_1": ("b1", "s1", r"$w^{(1)}_{31}$", 0.5),
    "b1_2": ("b2", "s2", r"$w^{(1)}_{32}$", 0.5),
    "w2_11": ("f1", "so", r"$w^{(2)}_{11}$", 0.55),
    "w2_21": ("f2", "so", r"$w^{(2)}_{21}$", 0.55),
    "b2_1": ("bo", "so", r"$w^{(2)}_{31}$", 0.5),
}
_PLAIN_EDGES = [("s1", "f1"), ("s2", "f2"), ("so", "sig"), ("sig", "L"), ("y", "L")]

# The backward paths: a list of (from, to, local derivative) steps, from the loss to the weight.
GRAPH_PATHS = {
    "output": {
        "weight": "w2_11",
        "color": COLORS[5],
        "steps": [("L", "sig", r"$\partial L / \partial p$"),
                  ("sig", "so", r"$p\,(1-p)$"),
                  ("so", "w2_11", r"$z^{(1)}_1$")],
        "formula": (r"$\frac{\partial L}{\partial w^{(2)}_{11}} = \frac{\partial L}{\partial p}"
                    r"\; p(1-p)\; z^{(1)}_1 = \delta^{(2)}\, z^{(1)}_1$"),
    },
    "hidden": {
        "weight": "w1_11",
        "color": COLORS[0],
        "steps": [("L", "sig", r"$\partial L / \partial p$"),
                  ("sig", "so", r"$p\,(1-p)$"),
                  ("so", "f1", r"$w^{(2)}_{11}$"),
                  ("f1", "s1", r"$f'(z^{(1)}_{\mathrm{lin},1})$"),
                  ("s1", "w1_11", "$x_1$")],
        "formula": (r"$\frac{\partial L}{\partial w^{(1)}_{11}} = \delta^{(2)}\; w^{(2)}_{11}"
                    r"\; f'(z^{(1)}_{\mathrm{lin},1})\; x_1 = \delta^{(1)}_1\, x_1$"),
    },
}


def _weight_position(name: str) -> tuple[float, float]:
    source, target, _, t = _WEIGHTS[name]
    (x0, y0), (x1, y1) = _NODES[source], _NODES[target]
    return x0 + t * (x1 - x0), y0 + t * (y1 - y0)


def _position(name: str) -> tuple[float, float]:
    return _NODES[name] if name in _NODES else _weight_position(name)


def plot_computational_graph(ax: Axes | None = None,
                             highlight: Sequence[str] = ("output", "hidden"),
                             show_derivatives: bool = True) -> Axes:
    """Draw the 2-2-1 network as a computational graph, with backward paths highlighted.

    Parameters
    ----------
    ax : Axes, optional
        Where to draw; a new 11 x 7 inch figure by default.
    highlight : sequence of str
        Which backward paths to draw: ``"output"`` (to the output-layer weight
        :math:`w^{(2)}_{11}`) and/or ``"hidden"`` (to the hidden-layer weight
        :math:`w^{(1)}_{11}`); empty for the plain graph.
    show_derivatives : bool
        Label each backward step with its local derivative and write the resulting chain-rule
        product under the graph.

    Returns
    -------
    Axes
        The axes drawn on. Each backward step is an arrow (an annotation without text) in the
        colour of its path.
    """
    unknown = [name for name in highlight if name not in GRAPH_PATHS]
    if unknown:
        raise ValueError(f"unknown path(s) {unknown}; choose from {sorted(GRAPH_PATHS)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 7), layout="constrained")
    ax.set_aspect("equal")
    ax.axis("off")
    grey = "#888888"

    # Forward edges (grey lines), each weight a small box on its edge.
    chosen = {GRAPH_PATHS[name]["weight"]: GRAPH_PATHS[name]["color"] for name in highlight}
    for name, (source, target, label, _) in _WEIGHTS.items():
        (x0, y0), (x1, y1) = _NODES[source], _NODES[target]
        ax.plot([x0, x1], [y0, y1], color=grey, lw=1.2, zorder=1)
        wx, wy = _weight_position(name)
        color = chosen.get(name)
        ax.add_patch(FancyBboxPatch((wx - 0.34, wy - 0.17), 0.68, 0.34,
                                    boxstyle="round,pad=0.02", zorder=3,
                                    facecolor="white" if color is None else color,
                                    edgecolor=grey if color is None else color))
        ax.text(wx, wy, label, ha="center", va="center", fontsize=9, zorder=4,
                color="black" if color is None else "white")
    for source, target in _PLAIN_EDGES:
        (x0, y0), (x1, y1) = _NODES[source], _NODES[target]
        ax.plot([x0, x1], [y0, y1], color=grey, lw=1.2, zorder=1)

    # Nodes.
    for name, (x, y) in _NODES.items():
        small = name.startswith("b")
        ax.add_patch(Circle((x, y), 0.22 if small else 0.32, facecolor="#f4f4f4",
                            edgecolor=grey, lw=1.2, zorder=3))
        ax.text(x, y, _NODE_TEXT[name], ha="center", va="center", fontsize=9 if small else 13,
                zorder=4)
        if name in _NODE_NAMES:
            text, dx, dy = _NODE_NAMES[name]
            ax.text(x + dx, y + dy, text, ha="center", va="center", fontsize=10,
                    color="#444444", zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    for x, y, text in ((0.0, 4.1, "inputs"), (3.8, 5.6, "hidden layer"),
                       (8.4, 3.7, "output layer"), (10.8, 2.75, "loss")):
        ax.text(x, y, text, ha="center", fontsize=10, color="#444444")

    # Backward paths: arrows from the loss towards the weight, offset so that shared steps show
    # one arrow per path.
    labelled: set[tuple[str, str]] = set()
    for rank, name in enumerate(highlight):
        path = GRAPH_PATHS[name]
        offset = 0.16 * (1 if rank % 2 == 0 else -1) if len(highlight) > 1 else 0.14
        for start, end, derivative in path["steps"]:
            (x0, y0), (x1, y1) = _position(start), _position(end)
            direction = np.array([x1 - x0, y1 - y0])
            length = float(np.hypot(*direction))
            unit = direction / length
            normal = np.array([-unit[1], unit[0]]) * offset
            shrink = 0.36 if end not in _WEIGHTS else 0.42
            a = np.array([x0, y0]) + unit * 0.34 + normal
            b = np.array([x1, y1]) - unit * shrink + normal
            ax.annotate("", xy=b, xytext=a, zorder=2,
                        arrowprops={"arrowstyle": "-|>", "color": path["color"], "lw": 2.2,
                                    "shrinkA": 0, "shrinkB": 0})
            if show_derivatives and (start, end) not in labelled:
                labelled.add((start, end))
                shared = all((start, end) in [step[:2] for step in GRAPH_PATHS[other]["steps"]]
                             for other in highlight)
                middle = (a + b) / 2
                up = np.array([-unit[1], unit[0]])
                if up[1] < 0 or (up[1] == 0 and up[0] < 0):
                    up = -up
                # shared steps and the hidden path's labels go above their arrow, the output
                # path's below, so that the two paths' labels never meet
                side = up if shared or name == "hidden" else -up
                where = middle + side * 0.45
                ax.text(*where, derivative, ha="center", va="center", fontsize=11,
                        color="black" if shared and len(highlight) > 1 else path["color"],
                        zorder=5,
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8,
                              "pad": 1})
    if show_derivatives:
        for row, name in enumerate(highlight):
            ax.text(0.0, -1.8 - 0.75 * row, GRAPH_PATHS[name]["formula"], fontsize=14,
                    color=GRAPH_PATHS[name]["color"], ha="left", va="center")
    bottom = -1.8 - 0.75 * (len(highlight) - 1) - 0.5 if show_derivatives and highlight \
        else -1.4
    ax.set_xlim(-0.6, 11.4)
    ax.set_ylim(bottom, 6.0)
    return ax


# --------------------------------------------------------------------------- an autograd graph
def _node_title(node: Any) -> str:
    """The label, with the operation that made the node in brackets; a constant's value."""
    if node.label:
        return f"{node.label}  [{node.op}]" if node.op else node.label
    return node.op if node.op else f"{node.data:g}"


def _value_layout(order: Sequence[Any]) -> dict[int, tuple[float, float]]:
    """Columns by the longest path to the root (the root rightmost, each input just left of its
    first use); rows ordered by where the node's children are, then spread one unit apart."""
    children: dict[int, list[Any]] = {id(node): [] for node in order}
    for node in order:
        for parent in dict.fromkeys(node.parents):
            children[id(parent)].append(node)
    steps: dict[int, int] = {}
    for node in reversed(order):  # children before parents
        below = [steps[id(child)] for child in children[id(node)]]
        steps[id(node)] = 1 + min(below) if below else 0
    width = max(steps.values())
    rows: dict[int, float] = {}
    for column in range(width + 1):  # from the root's column leftwards
        members = [node for node in order if steps[id(node)] == column]
        wanted = {id(node): float(np.mean([rows[id(child)] for child in children[id(node)]]))
                  if children[id(node)] else 0.0 for node in members}
        members.sort(key=lambda node: wanted[id(node)])
        ys = [wanted[id(node)] for node in members]
        for index in range(1, len(ys)):  # push apart: at least one unit between neighbours
            ys[index] = max(ys[index], ys[index - 1] + 1.0)
        shift = (np.mean([wanted[id(node)] for node in members]) - np.mean(ys)) if ys else 0.0
        for node, y in zip(members, ys, strict=True):
            rows[id(node)] = y + shift
    return {id(node): (float(width - steps[id(node)]), -rows[id(node)]) for node in order}


def plot_value_graph(root: Any, ax: Axes | None = None, show_grad: bool = True) -> Axes:
    """Draw the graph a :class:`~helpers.reference.backpropagation.Value` was computed from.

    Parameters
    ----------
    root : Value
        The last node (e.g. a loss); its graph is everything it was computed from (any object
        with ``data``, ``grad``, ``parents``, ``op`` and ``label`` attributes will do).
    ax : Axes, optional
        Where to draw; a new figure sized to the graph by default.
    show_grad : bool
        Write each node's ``grad`` under its value (run ``root.backward()`` first).

    Returns
    -------
    Axes
        One rounded box per node (a leaf's box is shaded), one arrow per (input, node) pair.
    """
    from helpers.reference.backpropagation import topological_order

    order = topological_order(root)
    where = _value_layout(order)
    xs = [x for x, _ in where.values()]
    ys = [y for _, y in where.values()]
    if ax is None:
        _, ax = plt.subplots(figsize=(1.9 * (max(xs) - min(xs) + 1) + 0.4,
                                      0.95 * (max(ys) - min(ys) + 1) + 0.4),
                             layout="constrained")
    ax.axis("off")
    half_width, half_height = 0.42, 0.36
    for node in order:
        x, y = where[id(node)]
        leaf = not node.parents
        text = f"{_node_title(node)}\ndata {node.data:.4g}"
        if show_grad:
            text += f"\ngrad {node.grad:.4g}"
        ax.add_patch(FancyBboxPatch((x - half_width, y - half_height), 2 * half_width,
                                    2 * half_height, boxstyle="round,pad=0.02", zorder=2,
                                    facecolor="#eef3fa" if leaf else "white",
                                    edgecolor=COLORS[0] if node is root else "#888888",
                                    linewidth=2.0 if node is root else 1.0))
        ax.text(x, y, text, ha="center", va="center", fontsize=8, zorder=3)
        for parent in dict.fromkeys(node.parents):
            (x0, y0), (x1, y1) = where[id(parent)], (x, y)
            ax.annotate("", xy=(x1 - half_width, y1), xytext=(x0 + half_width, y0), zorder=1,
                        arrowprops={"arrowstyle": "-|>", "color": "#888888", "lw": 1.0,
                                    "shrinkA": 0, "shrinkB": 0})
    ax.set_xlim(min(xs) - 0.55, max(xs) + 0.55)
    ax.set_ylim(min(ys) - 0.5, max(ys) + 0.5)
    return ax


# --------------------------------------------------------------------------- dead units
def plot_dead_units(ax: Axes, z_lin: np.ndarray, **set_axes_kwargs: Any) -> Axes:
    """One bar per hidden unit: its largest linear combination over the samples.

    A unit whose bar stays at or below 0 is dead for a ReLU: it outputs 0 on every sample, its
    derivative is 0 there, and no gradient reaches its weights.

    Parameters
    ----------
    ax : Axes
    z_lin : ndarray, shape (n, d)
        The layer's linear combinations on the data.
    **set_axes_kwargs
        Passed to :func:`helpers.plotting.core.set_axes` (title...).

    Returns
    -------
    Axes
    """
    from helpers.plotting.core import set_axes

    largest = np.max(z_lin, axis=0)
    dead = largest <= 0
    units = np.arange(1, len(largest) + 1)
    ax.bar(units[~dead], largest[~dead], color=COLORS[0], label="alive")
    ax.bar(units[dead], largest[dead], color=COLORS[3], label="dead (never above 0)")
    ax.axhline(0.0, color="black", lw=0.8)
    low, high = min(float(largest.min()), 0.0), max(float(largest.max()), 0.0)
    span = (high - low) or 1.0
    ax.set_ylim(low - 0.05 * span, high + 0.35 * span)  # room for the legend above the bars
    ax.legend(loc="upper center", ncol=2)
    set_axes_kwargs.setdefault("xlabel", "hidden unit")
    set_axes_kwargs.setdefault("ylabel", r"largest $z_{\mathrm{lin}}$ over the samples")
    return set_axes(ax, **set_axes_kwargs)
