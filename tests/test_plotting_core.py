"""helpers.plotting.core and helpers.progress outside Jupyter (inside it, nbval and the browser
test see them at work in every training cell)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plotting
from helpers.progress import ProgressBar


def test_progress_bar_prints_about_ten_lines_in_a_terminal(capsys):
    bar = ProgressBar(200, description="training")
    for step in range(1, 201):
        bar.update(step, loss=1.0 / step)
    bar.close()
    lines = capsys.readouterr().out.splitlines()
    assert 5 <= len(lines) <= 12
    assert lines[-1] == "training: 200/200  loss 0.005"


def test_live_figure_is_a_no_op_outside_a_notebook():
    fig, ax = plotting.figure()
    with plotting.LiveFigure(fig) as live:
        ax.plot([0, 1], [1, 0])
        live.update()
    assert not plt.fignum_exists(fig.number)  # closed, so it is not shown twice


def test_decision_boundary_and_confusion_matrix():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    y = (X[:, 0] > 0).astype(float)
    fig, (left, right) = plotting.figure(2)
    plotting.plot_decision_boundary(left, lambda G: (G[:, 0] > 0).astype(float), X, y,
                                    resolution=30, legend=False)
    assert left.get_legend() is None and len(left.collections) > 0
    counts = plotting.plot_confusion_matrix(right, np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]))
    np.testing.assert_array_equal(counts, [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
    plt.close(fig)


@pytest.mark.parametrize("losses", [[3.0, 2.0, 1.0], {"train": [3.0, 2.0], "val": [3.5, 2.5]}])
def test_plot_losses_labels_several_curves(losses):
    fig, ax = plotting.figure()
    plotting.plot_losses(ax, losses, log=True)
    assert len(ax.lines) == (1 if isinstance(losses, list) else 2)
    assert (ax.get_legend() is not None) == isinstance(losses, dict)
    assert ax.get_yscale() == "log"
    plt.close(fig)
