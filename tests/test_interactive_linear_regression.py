"""The learning-rate explorer of notebook 01 (helpers.interactive.linear_regression)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import interactive  # noqa: E402
from helpers.interactive import linear_regression  # noqa: E402
from helpers.reference import linear_regression as ref  # noqa: E402


@pytest.fixture
def data():
    x = np.array([4.0, 6.0, 3.0, 6.0, 8.0, 2.0, 10.0])
    y = 5.0 + 58.0 / x
    return x, y, ref.normal_equation(ref.add_bias(x[:, None]), y)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _titles(monkeypatch):
    """Record the first panel's title of every figure the explorer draws."""
    seen = []
    monkeypatch.setattr(linear_regression.plt, "show",
                        lambda: seen.append(plt.gcf().axes[0].get_title()))
    return seen


def test_exported():
    assert interactive.learning_rate_explorer is linear_regression.learning_rate_explorer


def test_sliders_rerun_and_redraw(data, monkeypatch):
    x, y, w_best = data
    titles = _titles(monkeypatch)
    explorer = interactive.learning_rate_explorer(x, y, np.array([0, 15]),
                                                  ((-7, 5), (5, 50)), w_best,
                                                  learning_rate=0.01, n_iter=20)
    assert isinstance(explorer, widgets.interactive)
    rate, updates, output = explorer.children
    assert isinstance(rate, widgets.FloatLogSlider) and isinstance(updates, widgets.IntSlider)
    assert isinstance(output, widgets.Output)
    assert rate.value == pytest.approx(0.01) and updates.value == 20
    assert titles == ["learning rate 0.0100"]
    rate.value = 0.002  # a change reruns gradient descent and redraws
    assert titles[-1] == "learning rate 0.0020"
    assert rate.min == pytest.approx(-4) and rate.max == pytest.approx(np.log10(0.05))


def test_a_diverging_rate_is_drawn_without_warnings(data, monkeypatch):
    x, y, w_best = data
    titles = _titles(monkeypatch)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = interactive.learning_rate_explorer(x, y, np.zeros(2), ((-7, 5), (5, 50)),
                                                      learning_rate=0.04, n_iter=500,
                                                      rate_range=(1e-4, 0.05))
        explorer.children[0].value = 0.05
    assert titles[-1] == "learning rate 0.0500"


@pytest.mark.parametrize("kwargs, phrase", [
    ({"x": np.zeros((3, 1))}, "shape (n,)"),
    ({"y": np.zeros(4)}, "shape (n,)"),
    ({"w_start": np.zeros(3)}, "shape (2,)"),
    ({"rate_range": (0.0, 0.1)}, "0 < low < high"),
    ({"learning_rate": 0.5}, "contain learning_rate"),
])
def test_bad_input_is_named(data, kwargs, phrase):
    x, y, _ = data
    arguments = {"x": x, "y": y, "w_start": np.zeros(2), "w_range": ((-1, 1), (-1, 1))} | kwargs
    with pytest.raises(ValueError, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        interactive.learning_rate_explorer(**arguments)
