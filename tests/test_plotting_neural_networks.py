"""Tests for helpers/plotting/neural_networks.py: each figure draws and returns what it says."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting import neural_networks  # noqa: E402
from helpers.plotting.neural_networks import (  # noqa: E402
    plot_network,
    plot_neuron_playground,
    plot_perceptron,
    plot_unit_lines,
)

W_HIDDEN = np.array([[-5.0, 5.0, 0.0, 0.0], [0.0, 0.0, -5.0, 5.0], [6.0, 6.0, 6.0, 6.0]])
W_OUTPUT = np.array([[5.0], [5.0], [5.0], [5.0], [-17.5]])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _ring(n: int = 200):
    rng = np.random.default_rng(0)
    angle = rng.uniform(0, 2 * np.pi, n)
    inner = np.arange(n) % 2 == 0
    radius = np.where(inner, rng.uniform(0, 0.9, n), rng.uniform(1.6, 2.4, n))
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), inner.astype(float)


def test_all_exported_and_reexported():
    for name in neural_networks.__all__:
        assert getattr(plotting, name) is getattr(neural_networks, name)


@pytest.mark.parametrize("sizes", [(2, 2, 1), (2, 4, 1), (3, 5, 4, 2), (64, 16, 10)])
def test_plot_network_draws_units_and_bias_units(sizes):
    fig, ax = plt.subplots()
    assert plot_network(ax, sizes) is ax
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    biases = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(circles) == sum(min(s, 8) for s in sizes)
    assert len(biases) == len(sizes) - 1
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("1") >= len(sizes) - 1
    for index in range(len(sizes) - 1):
        assert any(f"({sizes[index]} + 1, {sizes[index + 1]})" in t for t in texts)
    # one line per connection: (drawn units + bias) x drawn units of the next layer
    shown = [min(s, 8) for s in sizes]
    assert len(ax.lines) == sum((a + 1) * b for a, b in zip(shown[:-1], shown[1:], strict=True))
    fig.canvas.draw()


def test_plot_network_without_bias():
    fig, ax = plt.subplots()
    plot_network(ax, (2, 3, 1), bias=False, show_shapes=False)
    assert not [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(ax.lines) == 2 * 3 + 3 * 1


def test_plot_network_rejects_a_single_layer():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError):
        plot_network(ax, (3,))


def test_plot_perceptron_marks_misclassified_points():
    X, y01 = _ring(40)
    y = 2 * y01 - 1
    fig, ax = plt.subplots()
    assert plot_perceptron(ax, X, y, np.array([1.0, 0.5, -0.2]), title="t") is ax
    assert ax.get_title() == "t"
    wrong = (X @ np.array([1.0, 0.5]) - 0.2 >= 0) != (y > 0)
    circled = [c for c in ax.collections if c.get_label() == "misclassified"]
    assert len(circled) == 1 and len(circled[0].get_offsets()) == wrong.sum()
    assert len(ax.lines) == 1  # the boundary
    fig.canvas.draw()


def test_plot_perceptron_with_zero_weights_has_no_line_and_no_legend():
    X, y01 = _ring(20)
    fig, ax = plt.subplots()
    plot_perceptron(ax, X, 2 * y01 - 1, np.zeros(3), legend=False)
    assert len(ax.lines) == 0 and ax.get_legend() is None


def test_plot_unit_lines_draws_one_line_per_unit_inside_the_box():
    fig, ax = plt.subplots()
    plot_unit_lines(ax, W_HIDDEN, (-3, -3), (3, 3))
    assert len(ax.lines) == 4
    for line, k in zip(ax.lines, range(4), strict=True):
        x, y = line.get_data()
        w1, w2, b = W_HIDDEN[:, k]
        np.testing.assert_allclose(w1 * np.asarray(x) + w2 * np.asarray(y) + b, 0, atol=1e-9)
        assert line.get_label() == f"$z_{k + 1}$"
    assert ax.get_xlim() == (-3, 3)


def test_plot_unit_lines_skips_lines_outside_the_box():
    fig, ax = plt.subplots()
    plot_unit_lines(ax, np.array([[1.0], [0.0], [-10.0]]), (-3, -3), (3, 3))  # x1 = 10
    assert len(ax.lines) == 0


def test_plot_neuron_playground_returns_figure_and_accuracy():
    X, y = _ring()
    fig, accuracy = plot_neuron_playground(X, y, W_HIDDEN, W_OUTPUT, resolution=40)
    assert len(fig.axes) == 2
    assert accuracy == 1.0
    assert "100.0%" in fig.axes[1].get_title()
    fig.canvas.draw()
    _, zero = plot_neuron_playground(X, y, W_HIDDEN, np.zeros(5), resolution=20)
    assert zero == 0.5  # p = 0.5 everywhere: everything is class 1
