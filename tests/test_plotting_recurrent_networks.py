"""Tests for helpers/plotting/recurrent_networks.py: each figure draws and returns what it says."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting import recurrent_networks  # noqa: E402
from helpers.plotting.recurrent_networks import (  # noqa: E402
    plot_addition,
    plot_cliff,
    plot_gradient_norms,
    plot_hidden_states,
    plot_lstm_cell,
    plot_unrolled_rnn,
)
from helpers.reference import recurrent_networks as ref  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_all_exported_and_reexported():
    for name in recurrent_networks.__all__:
        assert getattr(plotting, name) is getattr(recurrent_networks, name)


@pytest.mark.parametrize("n_steps, shown", [(1, [1]), (4, [1, 2, 3, 4]), (9, [1, 2, 3, 9])])
def test_plot_unrolled_rnn_draws_one_cell_per_step(n_steps, shown):
    fig, ax = plt.subplots()
    assert plot_unrolled_rnn(ax, n_steps) is ax
    cells = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(cells) == 1 + len(shown)  # the folded cell, then the unrolled copies
    texts = _texts(ax)
    for step in shown:
        assert f"$x_{{{step}}}$" in texts and texts.count(f"$h_{{{step}}}$") == 1
    assert "$h_0$" in texts and ("$\\cdots$" in texts) == (n_steps > 5)
    assert any("the same $W_x$, $W_h$, $b$" in t for t in texts)


@pytest.mark.parametrize("bad", [0, -2, 2.5])
def test_plot_unrolled_rnn_rejects_bad_step_counts(bad):
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="n_steps must be an integer >= 1"):
        plot_unrolled_rnn(ax, bad)


def test_plot_gradient_norms_one_log_curve_per_scale():
    fig, ax = plt.subplots()
    norms = {"s = 0.5": 0.5 ** np.arange(10), "s = 2": 2.0 ** np.arange(10)}
    assert plot_gradient_norms(ax, norms, title="t") is ax
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[1].get_ydata(), 2.0 ** np.arange(10))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(norms)


def test_plot_gradient_norms_hides_underflow_and_rejects_bad_input():
    fig, ax = plt.subplots()
    plot_gradient_norms(ax, {"underflow": np.array([1.0, 1e-300, 0.0])})
    assert np.isnan(ax.lines[0].get_ydata()[2])
    with pytest.raises(ValueError, match="empty"):
        plot_gradient_norms(ax, {})
    with pytest.raises(ValueError, match="must be 1-D"):
        plot_gradient_norms(ax, {"2-D": np.ones((2, 3))})


def test_plot_hidden_states_shows_units_by_steps():
    fig, ax = plt.subplots()
    H = np.tanh(np.random.default_rng(0).normal(size=(7, 3)))  # T = 7 steps, h = 3 units
    assert plot_hidden_states(ax, H) is ax
    image = ax.images[0]
    assert image.get_array().shape == (3, 7) and image.get_clim() == (-1.0, 1.0)
    with pytest.raises(ValueError, match=r"must be \(T, h\)"):
        plot_hidden_states(ax, np.zeros((2, 7, 3)))


def test_plot_cliff_draws_the_loss_and_the_paths_inside_the_range():
    fig, ax = plt.subplots()
    ws = np.linspace(0, 2, 21)
    path = np.array([0.5, 1.0, -50.0])
    assert plot_cliff(ax, ws, ws ** 2, {"a path": (path, path ** 2)}) is ax
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[1].get_xdata(), [0.5, 1.0])  # -50 is off the plot
    assert ax.get_xlim() == (0.0, 2.0)
    with pytest.raises(ValueError, match="same length"):
        plot_cliff(ax, ws, ws[:-1])


def test_plot_lstm_cell_has_four_layers_and_the_pointwise_operations():
    fig, ax = plt.subplots()
    assert plot_lstm_cell(ax) is ax
    layers = [p for p in ax.patches if isinstance(p, FancyBboxPatch)
              and p.get_facecolor()[:3] != matplotlib.colors.to_rgb("#f2f2f2")]
    assert len(layers) == 4
    assert len([p for p in ax.patches if isinstance(p, Circle)]) == 5  # x, +, x, tanh, x
    texts = _texts(ax)
    for name in ("$f_t$", "$i_t$", r"$\tilde c_t$", "$o_t$", "$c_{t-1}$", "$c_t$", "$h_{t-1}$",
                 "$x_t$"):
        assert name in texts
    assert texts.count(r"$\sigma$") == 3 and texts.count("tanh") == 2


def test_plot_addition_writes_the_sum_and_marks_wrong_bits():
    fig, ax = plt.subplots()
    X, Y = ref.addition_data(np.array([45]), np.array([78]), 8)
    predicted = Y[0].copy()
    predicted[[0, 5]] = 1 - predicted[[0, 5]]
    assert plot_addition(ax, X[0, :, 0], X[0, :, 1], Y[0], predicted) is ax
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(cells) == 4 * 8
    texts = _texts(ax)
    assert {"= 45", "= 78", "= 123", f"= {ref.from_bits(predicted)}"} <= set(texts)
    wrong = [p for p in cells if p.get_facecolor()[:3] == matplotlib.colors.to_rgb(
        plotting.COLORS[1])]
    assert len(wrong) == 2
    with pytest.raises(ValueError, match="every row must be 8 bits"):
        plot_addition(ax, X[0, :, 0], X[0, :4, 1], Y[0])
