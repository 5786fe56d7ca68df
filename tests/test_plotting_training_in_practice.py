"""The figures of helpers.plotting.training_in_practice draw and return what they say."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting import training_in_practice  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_public_names_are_reexported():
    for name in training_in_practice.__all__:
        assert getattr(plotting, name) is getattr(training_in_practice, name)


def test_plot_digits_titles_and_hidden_axes():
    images = np.arange(3 * 64, dtype=float).reshape(3, 64) % 17
    fig, axes = plotting.figure(ncols=4, width=1, height=1)
    flat = plotting.plot_digits(axes, images, np.array([1, 2, 3]))
    assert len(flat) == 4
    assert [ax.get_title() for ax in flat[:3]] == ["1", "2", "3"]
    assert len(flat[0].images) == 1 and flat[0].images[0].get_array().shape == (8, 8)
    assert len(flat[3].images) == 0 and not flat[3].axison


def test_plot_digits_marks_wrong_predictions():
    images = np.zeros((2, 8, 8))
    fig, axes = plotting.figure(ncols=2, width=1, height=1)
    flat = plotting.plot_digits(axes, images, np.array([3, 5]), np.array([3, 8]))
    assert flat[0].get_title() == "true 3, said 3"
    assert flat[1].get_title() == "true 5, said 8"
    assert flat[0].title.get_color() != flat[1].title.get_color()


def test_plot_weight_images():
    W = np.random.default_rng(0).normal(size=(65, 5))
    fig, axes = plotting.figure(nrows=2, ncols=3, width=1, height=1)
    flat = plotting.plot_weight_images(axes, W)
    assert len(flat) == 6
    np.testing.assert_array_equal(flat[0].images[0].get_array(), W[:-1, 0].reshape(8, 8))
    assert len(flat[5].images) == 0


def test_plot_activation_histograms_one_per_layer():
    rng = np.random.default_rng(0)
    activations = [np.tanh(rng.normal(size=(50, 10))) for _ in range(3)]
    fig, ax = plotting.figure()
    out = plotting.plot_activation_histograms(ax, activations, value_range=(-1, 1), title="x")
    assert out is ax
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 3 and labels[0].startswith("layer 1 (std ")
    assert ax.get_title() == "x"


def test_plot_learning_curves_with_and_without_validation():
    history = {"train_loss": [1.0, 0.5, 0.4], "val_loss": [1.1, 0.7, 0.8],
               "train_accuracy": [0.5, 0.8, 0.9], "val_accuracy": [0.5, 0.7, 0.7]}
    fig, (ax1, ax2) = plotting.figure(ncols=2)
    out = plotting.plot_learning_curves(ax1, ax2, history, best_epoch=1)
    assert out == (ax1, ax2)
    assert len(ax1.get_lines()) == 3  # training, validation, best epoch
    np.testing.assert_array_equal(ax1.get_lines()[0].get_xdata(), [1, 2, 3])
    assert ax2.get_ylabel() == "accuracy"
    fig, ax = plotting.figure()
    plotting.plot_learning_curves(ax, None, {"train_loss": [1.0, 0.5], "val_loss": []})
    assert len(ax.get_lines()) == 1


def test_plot_validation_curve_marks_the_best():
    fig, ax = plotting.figure()
    out = plotting.plot_validation_curve(ax, [1, 2, 3], [3.0, 2.0, 1.0], [3.0, 1.5, 2.5],
                                         xlabel="degree", yscale="log")
    assert out is ax
    best = ax.get_lines()[2]
    assert best.get_xdata()[0] == 2 and best.get_ydata()[0] == 1.5
    assert ax.get_yscale() == "log"


def test_plot_network_boundary_shades_the_network_classes():
    from helpers import nn

    # a 2-2 network (no hidden layer) whose class 1 is x_1 > 0
    weights = [np.array([[-5.0, 5.0], [0.0, 0.0], [0.0, 0.0]])]
    X = np.array([[-1.0, 0.0], [1.0, 0.5], [0.5, -1.0]])
    fig, ax = plotting.figure()
    plotting.plot_network_boundary(ax, weights, X, np.array([0, 1, 1]), title="boundary")
    assert ax.get_title() == "boundary"
    assert len(ax.collections) >= 3  # the regions, the boundary line, the points
    p = nn.forward(np.array([[1.0, 0.0]]), weights)[1]
    assert p[0, 1] > p[0, 0]


def test_plot_gradient_magnitudes_one_line_per_setup():
    fig, ax = plotting.figure()
    plotting.plot_gradient_magnitudes(ax, {"a": [1e-4, 1e-3, 1e-2], "b": [1e-2, 1e-2, 2e-2]})
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["a", "b"]
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(lines[0].get_ydata(), [1e-4, 1e-3, 1e-2])
    assert ax.get_yscale() == "log" and ax.get_xlabel().startswith("layer")
