"""Tests for helpers/interactive/neural_networks.py: the neuron playground, without a browser.

Moving a slider (setting its value, as the browser does through the kernel) must recompute the
network: the accuracy, the summary line and the drawn image change. The buttons, the validation
of the inputs and the display of the widget are tested too.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import interactive  # noqa: E402
from helpers.data import load_ring  # noqa: E402
from helpers.interactive.neural_networks import NeuronPlayground, neuron_playground  # noqa: E402

W_HIDDEN = np.array([[-5.0, 5.0, 0.0, 0.0], [0.0, 0.0, -5.0, 5.0], [6.0, 6.0, 6.0, 6.0]])
W_OUTPUT = np.array([[5.0], [5.0], [5.0], [5.0], [-17.5]])
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _ring(n: int = 80):
    """n points of the ring data, the first n / 2 of each class (class 1: the disc)."""
    X, y = load_ring()
    order = np.concatenate([np.flatnonzero(y == 1)[:n // 2], np.flatnonzero(y == 0)[:n // 2]])
    return X[order], y[order]


@pytest.fixture
def playground():
    X, y = _ring()
    yield neuron_playground(X, y, W_HIDDEN, W_OUTPUT, resolution=20)
    plt.close("all")


def _slider(playground: NeuronPlayground, description: str):
    return next(s for s in playground.sliders if s.description == description)


def test_exported_by_the_interactive_package():
    assert interactive.neuron_playground is neuron_playground


def test_starts_from_the_preset_with_its_accuracy_and_figure(playground):
    assert len(playground.sliders) == 17  # 4 units x (w1, w2, b) + v1..v4 + c
    W_hidden, W_output = playground.weights()
    np.testing.assert_array_equal(W_hidden, W_HIDDEN)
    np.testing.assert_array_equal(W_output, W_OUTPUT)
    assert playground.accuracy == 1.0
    assert playground.predicted_class_1 == 40
    assert "100.0%" in playground.summary.value and "40 of 80" in playground.summary.value
    assert bytes(playground.image.value).startswith(b"\x89PNG")
    assert playground.draws == 1
    assert plt.get_fignums() == []  # drawn into the Image widget only


def test_moving_v4_to_zero_makes_the_region_vanish(playground):
    before = playground.image.value
    _slider(playground, "v4").value = 0.0
    assert playground.draws == 2
    assert playground.predicted_class_1 == 0 and playground.accuracy == 0.5
    assert "0 of 80" in playground.summary.value
    assert playground.image.value != before


def test_moving_c_to_minus_2_5_makes_every_point_class_1(playground):
    _slider(playground, "c").value = -2.5
    assert playground.predicted_class_1 == 80 and playground.accuracy == 0.5


def test_moving_a_hidden_weight_changes_the_region(playground):
    before = playground.image.value
    _slider(playground, "z1: w1").value = -1.0  # its line moves from x1 = 1.2 to x1 = 6
    assert playground.weights()[0][0, 0] == -1.0
    assert playground.predicted_class_1 > 40 and playground.accuracy < 1.0
    assert playground.image.value != before


def test_set_weights_draws_once_and_the_preset_button_restores(playground):
    playground.set_weights(W_HIDDEN / 5, W_OUTPUT)
    assert playground.draws == 2
    preset, random = playground.buttons
    preset.click()
    assert playground.draws == 3 and playground.accuracy == 1.0
    np.testing.assert_array_equal(playground.weights()[0], W_HIDDEN)


def test_random_button_draws_from_the_given_generator():
    X, y = _ring(40)
    first = neuron_playground(X, y, W_HIDDEN, W_OUTPUT, rng=np.random.default_rng(7),
                              resolution=10)
    second = neuron_playground(X, y, W_HIDDEN, W_OUTPUT, rng=np.random.default_rng(7),
                               resolution=10)
    first.buttons[1].click()
    second.randomize()
    for a, b in zip(first.weights(), second.weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    W_hidden, W_output = first.weights()
    assert not np.array_equal(W_hidden, W_HIDDEN)
    assert np.all(np.abs(W_hidden) <= 6) and np.all(np.mod(W_hidden, 0.5) == 0)
    assert first.draws == 2
    plt.close("all")


def test_shows_itself_as_a_widget(playground):
    bundle = playground._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    assert bundle[WIDGET_VIEW]["model_id"] == playground.widget.model_id


def test_slider_ranges_cover_the_weights():
    X, y = _ring(20)
    big = neuron_playground(X, y, W_HIDDEN * 3, np.append(W_OUTPUT[:-1], -45.0), resolution=5)
    np.testing.assert_array_equal(big.weights()[0], W_HIDDEN * 3)
    assert big.weights()[1][-1, 0] == -45.0
    assert _slider(big, "c").min == -45.0 and _slider(big, "v1").max == 10.0
    with pytest.raises(ValueError, match=r"z1: w1 = 99 is outside its slider's range"):
        big.set_weights(np.full((3, 4), 99.0), W_OUTPUT)
    plt.close("all")


@pytest.mark.parametrize("arguments, message", [
    (dict(X=np.zeros((5, 3))), r"X must have shape \(n, 2\)"),
    (dict(y=np.zeros(4)), r"y must have shape \(80,\)"),
    (dict(W_hidden=np.zeros((2, 4))), r"W_hidden must have shape \(3, k\)"),
    (dict(W_output=np.zeros((4, 1))), r"W_output must have shape \(5, 1\)"),
    (dict(W_output=np.array([1.0, 1.0, 1.0, np.nan, 0.0])), "finite"),
    (dict(rng=1), "rng must be a numpy Generator"),
    (dict(resolution=1), "resolution must be an integer >= 2"),
])
def test_bad_inputs_are_named(arguments, message):
    X, y = _ring()
    given = dict(X=X, y=y, W_hidden=W_HIDDEN, W_output=W_OUTPUT) | arguments
    extra = {key: given.pop(key) for key in ("rng", "resolution") if key in given}
    with pytest.raises((ValueError, TypeError), match=message):
        neuron_playground(given["X"], given["y"], given["W_hidden"], given["W_output"], **extra)


def test_set_weights_rejects_another_shape(playground):
    with pytest.raises(ValueError, match="the playground has"):
        playground.set_weights(np.zeros((3, 2)), np.zeros((3, 1)))
