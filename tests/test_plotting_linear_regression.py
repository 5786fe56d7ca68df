"""Figures of notebook 01 (helpers.plotting.linear_regression) and the reference extras they use."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting import linear_regression  # noqa: E402
from helpers.reference import linear_regression as ref  # noqa: E402


@pytest.fixture
def line_data():
    rng = np.random.default_rng(0)
    x = rng.uniform(1, 10, 30)
    y = 2.0 * x + 4.0 + rng.normal(0, 1, 30)
    return x, y, ref.add_bias(x[:, None])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- reference extras
def test_gradient_descent_path_matches_gradient_descent(line_data):
    _, y, X = line_data
    w0 = np.array([0.0, 1.0])
    before = w0.copy()
    path, losses = ref.gradient_descent_path(X, y, w0, 0.01, 25)
    w, expected_losses = ref.gradient_descent(X, y, w0, 0.01, 25)
    assert path.shape == (26, 2) and losses.shape == (26,)
    np.testing.assert_array_equal(path[0], before)
    np.testing.assert_allclose(path[-1], w)
    np.testing.assert_allclose(losses[:-1], expected_losses)
    assert losses[-1] == pytest.approx(ref.mse_loss(X, y, w))
    np.testing.assert_array_equal(w0, before)


def test_gradient_descent_path_stops_silently_when_diverging(line_data):
    _, y, X = line_data
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        path, losses = ref.gradient_descent_path(X, y, np.zeros(2), 1.0, 10_000)
    assert len(path) == len(losses) < 10_001
    assert losses[-1] > 1e12 or not np.isfinite(losses[-1])
    assert np.all(losses[:-1] <= 1e12)


def test_mse_loss_grid_matches_mse_loss(line_data):
    _, y, X = line_data
    g1, g2 = np.meshgrid(np.linspace(-1, 3, 4), np.linspace(0, 5, 3))
    grid = ref.mse_loss_grid(X, y, g1, g2)
    assert grid.shape == (3, 4)
    for index in np.ndindex(g1.shape):
        w = np.array([g1[index], g2[index]])
        assert grid[index] == pytest.approx(ref.mse_loss(X, y, w))


# --------------------------------------------------------------------------- figures
def test_exports():
    assert set(linear_regression.__all__) == {"plot_loss_contour", "plot_descent", "plot_fits"}
    for name in linear_regression.__all__:
        assert getattr(plotting, name) is getattr(linear_regression, name)


def test_plot_loss_contour_keeps_limits_and_draws_path(line_data):
    _, y, X = line_data
    fig, ax = plotting.figure()
    path, _ = ref.gradient_descent_path(X, y, np.zeros(2), 0.01, 30)
    returned = plotting.plot_loss_contour(ax, X, y, ((-1, 5), (-2, 8)), path=path,
                                          w_best=ref.normal_equation(X, y), resolution=30)
    assert returned is ax
    assert ax.get_xlim() == (-1, 5) and ax.get_ylim() == (-2, 8)
    drawn = [line.get_label() for line in ax.get_lines()]
    assert {"path of w", "start", "minimum"} <= set(drawn)
    path_line = next(line for line in ax.get_lines() if line.get_label() == "path of w")
    np.testing.assert_allclose(path_line.get_xydata(), path)


@pytest.mark.parametrize("learning_rate, status", [(0.01, "loss after"), (1.0, "diverging")])
def test_plot_descent_three_panels_without_warnings(line_data, learning_rate, status):
    x, y, X = line_data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path, losses = ref.gradient_descent_path(X, y, np.zeros(2), learning_rate, 50)
        fig, axes = plotting.figure(ncols=3, width=3, height=3)
        returned = plotting.plot_descent(axes, x, y, path, losses, ((-1, 5), (-2, 8)),
                                         ref.normal_equation(X, y), title="run")
        fig.canvas.draw()
    assert list(returned) == list(axes)
    assert status in axes[1].get_title()
    assert axes[1].get_yscale() == "log"
    assert axes[0].get_title() == "run"


def test_plot_fits_draws_one_curve_per_predictor(line_data):
    x, y, _ = line_data
    fig, ax = plotting.figure()
    returned = plotting.plot_fits(ax, x, y, {"line": lambda g: 2 * g + 4, "wild": lambda g: g**9})
    assert returned is ax
    assert [line.get_label() for line in ax.get_lines()] == ["line", "wild"]
    low, high = ax.get_ylim()
    assert low < y.min() and high > y.max() and high < 1e3  # the wild curve does not rescale
