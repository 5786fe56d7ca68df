"""Tests for helpers/interactive/recurrent_networks.py: the gradient explorer, without a browser.

Moving a slider (setting its value, as the browser does through the kernel) must run the forward
and backward passes again: the norms, the summary line and the drawn image change. The inputs are
validated, the attendee's functions are the ones called, and the widget displays itself.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import interactive  # noqa: E402
from helpers.interactive.recurrent_networks import gradient_explorer  # noqa: E402
from helpers.reference import recurrent_networks as ref  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def explorer():
    yield gradient_explorer(hidden=8, steps=12, n=3)
    plt.close("all")


def test_exported_by_the_interactive_package():
    assert interactive.gradient_explorer is gradient_explorer


def test_starts_drawn_with_its_norms(explorer):
    assert explorer.draws == 1 and explorer.norms.shape == (12,)
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    assert "gradient norm at the last step" in explorer.summary.value
    assert f"{explorer.norms[0]:.2e}" in explorer.summary.value
    assert plt.get_fignums() == []  # drawn into the Image widget only


def test_the_norms_are_section_4s_measurement(explorer):
    Wh = explorer.scale_slider.value * explorer.Q
    expected = ref.gradient_norms_through_time(explorer.X, explorer.h0, explorer.Wx, Wh,
                                               explorer.b)
    np.testing.assert_allclose(explorer.norms, expected)


def test_the_notebook_default_matches_section_4():
    # the notebook's section 4 draws Q, X and Wx from default_rng(0) in this order
    explorer = gradient_explorer()
    rng = np.random.default_rng(0)
    Q = ref.orthogonal(32, rng)
    X = rng.normal(size=(16, 50, 2))
    Wx = rng.normal(size=(2, 32)) / np.sqrt(2)
    np.testing.assert_array_equal(explorer.Q, Q)
    np.testing.assert_array_equal(explorer.X, X)
    np.testing.assert_array_equal(explorer.Wx, Wx)
    plt.close("all")


def test_moving_the_scale_slider_recomputes_and_redraws(explorer):
    before_image, before_summary = bytes(explorer.image.value), explorer.summary.value
    small = explorer.norms.copy()
    explorer.scale_slider.value = 3.0  # as the browser sets it
    assert explorer.draws == 2
    assert bytes(explorer.image.value) != before_image
    assert explorer.summary.value != before_summary
    assert explorer.norms[-1] / explorer.norms[0] > small[-1] / small[0]


def test_the_input_slider_scales_the_inputs(explorer):
    explorer.set(input_scale=0.0)
    assert np.all(explorer.H == 0.0)  # no input, h0 = 0, b = 0: the states stay at 0
    explorer.set(scale=0.5)
    # linear regime: 11 steps back, 0.5 ** 11 = 5e-4 times the gradient (up to Wx's projection)
    assert explorer.norms[-1] / explorer.norms[0] < 1e-2
    assert explorer.draws == 3


def test_uses_the_given_functions():
    calls = []

    def forward(*args):
        calls.append("forward")
        return ref.rnn_forward(*args)

    def backward(*args):
        calls.append("backward")
        return ref.rnn_backward(*args)

    gradient_explorer(hidden=4, steps=5, n=2, forward=forward, backward=backward)
    assert "forward" in calls and "backward" in calls
    plt.close("all")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"hidden": 0}, ValueError, "hidden must be an integer >= 1"),
    ({"steps": 1}, ValueError, "steps must be an integer >= 2"),
    ({"scale": 5.0}, ValueError, r"scale must be a number in \[0.1, 3.0\]"),
    ({"input_scale": -1.0}, ValueError, "input_scale must be a number"),
    ({"forward": "rnn_forward"}, TypeError, "must be functions"),
])
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        gradient_explorer(**kwargs)


def test_displays_as_a_widget(explorer):
    bundle = explorer._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
