"""Tests of helpers.plotting.logistic_regression: every figure draws without warnings."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting import logistic_regression  # noqa: E402
from helpers.reference.logistic_regression import predict_proba  # noqa: E402


@pytest.fixture(autouse=True)
def no_warnings_and_close():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def test_exported_through_plotting():
    for name in logistic_regression.__all__:
        assert getattr(plotting, name) is getattr(logistic_regression, name)


def test_plot_sigmoid_draws_the_curve_and_points():
    fig, ax = plotting.figure()
    assert plotting.plot_sigmoid(ax, z_range=(-1000, 1000), points=(-2.0, 0.0, 3.0)) is ax
    (curve,) = [line for line in ax.get_lines() if line.get_label().startswith("$\\sigma")]
    values = curve.get_ydata()
    assert np.all((values >= 0) & (values <= 1)) and values[0] < 1e-6 and values[-1] > 1 - 1e-6
    assert len(ax.collections) == 3  # one dot per marked point
    assert any("0.500" in text.get_text() for text in ax.texts)


def test_plot_losses_vs_probability():
    fig, (ax1, ax2) = plotting.figure(ncols=2)
    assert plotting.plot_losses_vs_probability(ax1, ax2) is ax1
    ce, se = ax1.get_lines()[:2]
    p = ce.get_xdata()
    np.testing.assert_allclose(ce.get_ydata(), -np.log(p))
    np.testing.assert_allclose(se.get_ydata(), (1 - p) ** 2)
    grad_ce, grad_se = ax2.get_lines()[:2]
    assert np.all(grad_ce.get_ydata() <= 0)
    # squared error's gradient vanishes for a confidently wrong prediction; cross-entropy's does not
    assert abs(grad_se.get_ydata()[0]) < 1e-2 < abs(grad_ce.get_ydata()[0])


def test_plot_losses_vs_probability_one_axes():
    fig, ax = plotting.figure()
    plotting.plot_losses_vs_probability(ax)
    assert len(ax.get_lines()) == 2


def test_plot_training_state_redraws():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(float)
    fig, (ax1, ax2) = plotting.figure(ncols=2)
    w = np.array([1.0, 0.0, 0.0])
    for step in range(3):  # redrawing must not pile up artists
        plotting.plot_training_state(ax1, ax2, lambda P: predict_proba(
            np.column_stack([P, np.ones(len(P))]), w), X, y, [0.7, 0.5, 0.4][:step + 1],
            n_steps=10)
    assert len(ax2.get_lines()) == 1
    assert ax2.get_xlim() == (0.0, 9.0)
    assert ax1.get_title() == "after 3 iterations"


def test_plot_training_state_empty_history():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    fig, (ax1, ax2) = plotting.figure(ncols=2)
    plotting.plot_training_state(ax1, ax2, lambda P: np.full(len(P), 0.3), X,
                                 np.array([0.0, 1.0]), [], title="start")
    assert ax1.get_title() == "start"


def test_plot_sgd_comparison():
    runs = {
        "full batch": {"evaluations": [100, 200], "seconds": [0.01, 0.02], "losses": [0.6, 0.5]},
        "batch 1": {"evaluations": [100, 200], "seconds": [0.3, 0.6], "losses": [0.3, 0.2]},
    }
    fig, (ax1, ax2) = plotting.figure(ncols=2)
    plotting.plot_sgd_comparison(ax1, ax2, runs)
    assert [line.get_label() for line in ax1.get_lines()] == ["full batch", "batch 1"]
    np.testing.assert_allclose(ax2.get_lines()[1].get_xdata(), [0.3, 0.6])
    assert ax1.get_yscale() == "log" and ax2.get_xscale() == "linear"
    fig, (ax1, ax2) = plotting.figure(ncols=2)
    plotting.plot_sgd_comparison(ax1, ax2, runs, log_time=True)
    assert ax2.get_xscale() == "log"
    fig, ax = plotting.figure()
    plotting.plot_sgd_comparison(ax, None, runs, log=False)
    assert ax.get_yscale() == "linear"


def test_plot_sigmoid_labels_the_score_z_lin():
    fig, ax = plotting.figure()
    plotting.plot_sigmoid(ax)
    assert "z_{\\mathrm{lin}}" in ax.get_xlabel() and "eta" not in ax.get_xlabel()


def test_plot_multiclass_regions():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = np.repeat([0, 1, 2], 10)
    W = np.array([[1.0, -1.0, 0.0], [0.0, 0.5, -0.5]])
    fig, ax = plotting.figure()
    assert plotting.plot_multiclass_regions(ax, lambda P: P @ W, X, y, names=["a", "b", "c"],
                                            title="three") is ax
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]
    assert len(ax.collections) >= 3 and ax.get_title() == "three"
    fig, ax = plotting.figure()
    plotting.plot_multiclass_regions(ax, lambda P: P @ W, X, y)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1",
                                                                   "class 2"]
