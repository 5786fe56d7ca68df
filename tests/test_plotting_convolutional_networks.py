"""The figures of helpers.plotting.convolutional_networks draw and return what they say."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.plotting import convolutional_networks  # noqa: E402
from helpers.reference.convolutional_networks import conv2d_forward  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _outlines(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()
            and p.get_hatch() is None]


def test_public_names_are_reexported():
    for name in convolutional_networks.__all__:
        assert getattr(plotting, name) is getattr(convolutional_networks, name)


def test_plot_filter_step_outlines_the_window_and_its_output():
    image = np.arange(64.0).reshape(8, 8)
    kernel = np.array([[-1.0, 0.0, 1.0]] * 3)
    result = conv2d_forward(image[None, None], kernel[None, None], np.zeros(1))[0, 0]
    fig, axes = plotting.figure(ncols=3, width=2, height=2)
    flat = plotting.plot_filter_step(axes, image, kernel, result, 2, 4)
    assert [ax.get_title() for ax in flat] == ["image and window", "filter", "feature map"]
    window, = _outlines(flat[0])
    assert window.get_xy() == (3.5, 1.5) and (window.get_width(), window.get_height()) == (3, 3)
    pixel, = _outlines(flat[2])
    assert pixel.get_xy() == (3.5, 1.5) and pixel.get_width() == 1
    assert [t.get_text() for t in flat[1].texts] == ["-1", "0", "1"] * 3
    np.testing.assert_array_equal(flat[2].images[0].get_array(), result)


@pytest.mark.parametrize(("k", "stride", "padding", "expected"),
                         [(3, 1, 0, (6, 6)), (3, 1, 1, (8, 8)), (3, 2, 0, (3, 3)),
                          (3, 2, 1, (4, 4)), (2, 2, 0, (4, 3))])
def test_plot_window_positions_returns_the_output_size(k, stride, padding, expected):
    fig, ax = plotting.figure(width=2, height=2)
    size = (8, 8) if expected != (4, 3) else (8, 7)
    assert plotting.plot_window_positions(ax, size, k, stride, padding) == expected
    dots = ax.collections[0].get_offsets()
    assert len(dots) == expected[0] * expected[1]
    assert ax.images[0].get_array().shape == (size[0] + 2 * padding, size[1] + 2 * padding)
    hatched = [p for p in ax.patches if p.get_hatch()]
    unreached = (size[0] + 2 * padding) * (size[1] + 2 * padding) - (
        ((expected[0] - 1) * stride + k) * ((expected[1] - 1) * stride + k))
    assert len(hatched) == unreached


def test_plot_filters_one_panel_per_filter():
    W = np.random.default_rng(0).normal(size=(5, 2, 3, 3))
    fig, axes = plotting.figure(nrows=2, ncols=3, width=1, height=1)
    flat = plotting.plot_filters(axes, W, channel=1)
    np.testing.assert_array_equal(flat[4].images[0].get_array(), W[4, 1])
    assert len(flat[5].images) == 0
    low, high = flat[0].images[0].get_clim()
    assert low == -high == -np.abs(W[0, 1]).max()


@pytest.mark.parametrize("shared", [True, False])
def test_plot_feature_maps_scales_and_titles(shared):
    maps = np.stack([np.full((4, 4), 1.0), np.full((4, 4), -3.0)])
    fig, axes = plotting.figure(ncols=3, width=1, height=1)
    flat = plotting.plot_feature_maps(axes, maps, titles=["a", "b"], shared_scale=shared)
    assert [ax.get_title() for ax in flat[:2]] == ["a", "b"]
    assert flat[0].images[0].get_clim()[1] == (3.0 if shared else 1.0)
    assert len(flat[2].images) == 0
