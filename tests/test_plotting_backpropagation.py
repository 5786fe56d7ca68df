"""The computational-graph figure of notebook 04 draws what it says: nodes, weights, and one arrow
per backward step in its path's colour."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting.backpropagation import GRAPH_PATHS  # noqa: E402

N_NODES = 13  # 2 inputs, 2 x (sum, activation), output sum and sigmoid, loss, label, 3 bias units
N_WEIGHTS = 9  # 2-2-1 network: (2 + 1) x 2 hidden weights and (2 + 1) x 1 output weights


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(ax) -> list[str]:
    return [text.get_text() for text in ax.texts]


def _backward_arrows(ax) -> list[Annotation]:
    """The backward steps: the arrows drawn with annotate (and no text)."""
    return [text for text in ax.texts
            if isinstance(text, Annotation) and text.arrow_patch is not None]


def _arrow_colors(ax) -> list[tuple[float, ...]]:
    return [tuple(arrow.arrow_patch.get_edgecolor()) for arrow in _backward_arrows(ax)]


def _colors_of(*paths: str) -> list[tuple[float, ...]]:
    return [to_rgba(GRAPH_PATHS[name]["color"]) for name in paths
            for _ in GRAPH_PATHS[name]["steps"]]


def test_default_draws_both_paths_on_a_new_figure():
    ax = plotting.plot_computational_graph()
    assert isinstance(ax, matplotlib.axes.Axes)
    assert _arrow_colors(ax) == _colors_of("output", "hidden")
    assert all(arrow.get_text() == "" for arrow in _backward_arrows(ax))
    texts = _texts(ax)
    for path in GRAPH_PATHS.values():
        assert path["formula"] in texts
    # every weight of the 2-2-1 network is on the graph (6 hidden + 3 output)
    assert sum("w^{(" in text and "frac" not in text for text in texts) >= N_WEIGHTS


def test_draws_on_a_given_axes():
    fig, ax = plt.subplots()
    assert plotting.plot_computational_graph(ax, highlight=["hidden"]) is ax
    assert _arrow_colors(ax) == _colors_of("hidden")
    assert GRAPH_PATHS["output"]["formula"] not in _texts(ax)
    fig.canvas.draw()  # renders the mathtext labels: fails on a LaTeX syntax error


def test_plain_graph_and_no_labels():
    plain = plotting.plot_computational_graph(highlight=())
    assert _backward_arrows(plain) == []
    ax = plotting.plot_computational_graph(highlight=["output"], show_derivatives=False)
    assert _arrow_colors(ax) == _colors_of("output")
    assert len(_backward_arrows(ax)) == 3
    # the plain graph's labels and the arrows, nothing else: no derivatives, no formula
    assert _texts(ax) == _texts(plain) + [""] * 3


def test_unknown_path():
    with pytest.raises(ValueError, match="unknown path"):
        plotting.plot_computational_graph(highlight=["input"])


def test_full_figure_draws_nodes_weights_highlights_and_limits():
    ax = plotting.plot_computational_graph()
    ax.figure.canvas.draw()  # every mathtext label renders
    circles = [patch for patch in ax.patches if isinstance(patch, Circle)]
    boxes = [patch for patch in ax.patches if isinstance(patch, FancyBboxPatch)]
    assert len(circles) == N_NODES and len(boxes) == N_WEIGHTS
    # the weight each path leads to is filled with that path's colour, the others are white
    white = to_rgba("white")
    filled = sorted(tuple(box.get_facecolor()) for box in boxes if box.get_facecolor() != white)
    assert filled == sorted(to_rgba(path["color"]) for path in GRAPH_PATHS.values())
    # each local derivative labels its step
    texts = _texts(ax)
    for path in GRAPH_PATHS.values():
        for _, _, derivative in path["steps"]:
            assert derivative in texts
    assert ax.get_xlim() == (-0.6, 11.4)
    assert ax.get_ylim() == (-1.8 - 0.75 - 0.5, 6.0)  # room for both formulas
    assert not ax.axison and ax.get_aspect() == 1.0


# --------------------------------------------------------------------------- plot_value_graph
def _neuron_graph():
    from helpers.reference.backpropagation import Value

    w, x, b, y = (Value(v, label=name) for v, name in ((0.8, "w"), (1.5, "x"), (-0.5, "b"),
                                                        (1.0, "y")))
    z = w * x + b
    z.label = "z_lin"
    loss = (z.sigmoid() - y) ** 2
    loss.label = "L"
    return loss, (w, x, b, y)


def test_value_graph_draws_one_box_per_node_and_one_arrow_per_input():
    from helpers.reference.backpropagation import topological_order

    loss, (w, *_) = _neuron_graph()
    loss.backward()
    ax = plotting.plot_value_graph(loss)
    ax.figure.canvas.draw()
    order = topological_order(loss)
    boxes = [patch for patch in ax.patches if isinstance(patch, FancyBboxPatch)]
    assert len(boxes) == len(order) == 11
    edges = sum(len(set(map(id, node.parents))) for node in order)
    assert len(_backward_arrows(ax)) == edges == 10
    texts = _texts(ax)
    assert any(text.startswith("w\ndata 0.8\ngrad -0.2207") for text in texts)
    assert any(text.startswith("L  [**]\ndata 0.1101\ngrad 1") for text in texts)
    assert any(text.startswith("z_lin  [+]") for text in texts)
    assert any(text.startswith("-1\ndata -1") for text in texts)  # the constant of p - y
    # the root is drawn last in its column, rightmost, with a thicker edge
    right = max(boxes, key=lambda box: box.get_x())
    assert right.get_linewidth() == 2.0 and w.grad == pytest.approx(-0.2207, abs=1e-4)
    # leaves are shaded, computed nodes white
    white = to_rgba("white")
    assert sum(tuple(box.get_facecolor()) != white for box in boxes) == 5  # w, x, b, y, -1


def test_value_graph_without_gradients_on_a_given_axes():
    loss, _ = _neuron_graph()
    fig, ax = plt.subplots()
    assert plotting.plot_value_graph(loss, ax, show_grad=False) is ax
    assert not any("grad" in text for text in _texts(ax))


def test_value_graph_of_a_repeated_input_draws_one_arrow():
    from helpers.reference.backpropagation import Value

    x = Value(3.0, label="x")
    ax = plotting.plot_value_graph(x * x)
    assert len(_backward_arrows(ax)) == 1 and len(ax.patches) == 2


def test_value_graph_of_a_leaf():
    from helpers.reference.backpropagation import Value

    ax = plotting.plot_value_graph(Value(2.0, label="w"))
    assert _texts(ax) == ["w\ndata 2\ngrad 0"] and not _backward_arrows(ax)


# --------------------------------------------------------------------------- plot_dead_units
def test_dead_units_bars():
    import numpy as np

    z_lin = np.array([[1.0, -2.0, 0.0, -0.5], [-1.0, -0.1, 0.0, 0.3]])
    fig, ax = plt.subplots()
    assert plotting.plot_dead_units(ax, z_lin, title="t") is ax
    alive, dead = ax.containers
    assert [bar.get_height() for bar in alive] == [1.0, 0.3]
    assert [bar.get_height() for bar in dead] == [-0.1, 0.0]  # units 2 and 3: never above 0
    assert [bar.get_x() + bar.get_width() / 2 for bar in dead] == [2, 3]
    assert ax.get_title() == "t" and ax.get_legend() is not None
