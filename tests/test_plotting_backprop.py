"""The computational-graph figure of notebook 04 draws without error and returns what it says."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting.backprop import GRAPH_PATHS  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(ax) -> list[str]:
    return [text.get_text() for text in ax.texts]


def test_default_draws_both_paths_on_a_new_figure():
    ax = plotting.plot_computational_graph()
    assert isinstance(ax, matplotlib.axes.Axes)
    steps = sum(len(path["steps"]) for path in GRAPH_PATHS.values())
    assert ax.backward_arrows == steps
    texts = _texts(ax)
    for path in GRAPH_PATHS.values():
        assert path["formula"] in texts
    # every weight of the 2-2-1 network is on the graph (6 hidden + 3 output)
    assert sum("w^{(" in text and "frac" not in text for text in texts) >= 9


def test_draws_on_a_given_axes():
    fig, ax = plt.subplots()
    assert plotting.plot_computational_graph(ax, highlight=["hidden"]) is ax
    assert ax.backward_arrows == len(GRAPH_PATHS["hidden"]["steps"])
    assert GRAPH_PATHS["output"]["formula"] not in _texts(ax)
    fig.canvas.draw()  # renders the mathtext labels: fails on a LaTeX syntax error


def test_plain_graph_and_no_labels():
    ax = plotting.plot_computational_graph(highlight=())
    assert ax.backward_arrows == 0
    ax = plotting.plot_computational_graph(highlight=["output"], show_derivatives=False)
    assert ax.backward_arrows == 3
    assert GRAPH_PATHS["output"]["formula"] not in _texts(ax)


def test_unknown_path():
    with pytest.raises(ValueError, match="unknown path"):
        plotting.plot_computational_graph(highlight=["input"])


def test_full_figure_renders():
    ax = plotting.plot_computational_graph()
    ax.figure.canvas.draw()
