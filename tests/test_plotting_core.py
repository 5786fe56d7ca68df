"""helpers.plotting.core outside Jupyter (inside it, nbval and the browser test see its live
figures at work in every training cell)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plotting


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
    fig, (left, right) = plotting.figure(ncols=2)
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


def test_figure_takes_rows_then_columns_and_keyword_only_sizes():
    fig, axes = plotting.figure(2, 3, width=2.0, height=1.5)
    assert axes.shape == (2, 3)  # rows then columns, as plt.subplots
    np.testing.assert_allclose(fig.get_size_inches(), (3 * 2.0, 2 * 1.5))
    fig, axes = plotting.figure(ncols=4, width=1.0, height=1.0, sharey=True)
    assert axes.shape == (4,) and axes[0].get_shared_y_axes().joined(axes[0], axes[3])
    with pytest.raises(TypeError):
        plotting.figure(1, 1, 5.0, 3.0)  # the sizes must be named
    plt.close("all")
