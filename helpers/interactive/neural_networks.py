"""Widgets for notebook 03 (neural networks): the neuron playground.

:func:`neuron_playground` builds the playground of section 3 for a 2-k-1 sigmoid network: one
slider per weight (``w1``, ``w2`` and ``b`` of each hidden unit, ``v1 .. vk`` and ``c`` of the
output unit), a button back to the preset and one for random weights, the figure of
:func:`helpers.plotting.plot_neuron_playground` and a line with the accuracy. Moving a slider
recomputes the network and redraws the figure.

The returned :class:`NeuronPlayground` shows itself when it is a cell's last expression; its
state (the weights, the accuracy, the drawn image) can also be read and set from code, which is
how it is tested without a browser.
"""

from __future__ import annotations

import io
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from helpers.plotting.neural_networks import plot_neuron_playground

__all__ = ["neuron_playground", "NeuronPlayground"]

SLIDER_LIMIT = 10.0  # every slider spans at least [-10, 10]; the output bias c goes down to -30
C_LIMIT = 30.0
STEP = 0.5
# Four columns of hidden-unit sliders, then a row of five output sliders, fit a notebook's width.
_HIDDEN_LAYOUT = {"width": "205px", "description_width": "45px"}
_OUTPUT_LAYOUT = {"width": "165px", "description_width": "22px"}


class NeuronPlayground:
    """Sliders for every weight of a 2-k-1 sigmoid network, and the network's decision region.

    Build it with :func:`neuron_playground`. Attributes: ``hidden_sliders`` (``[unit][w1, w2,
    b]``), ``output_sliders`` (``v1 .. vk`` then ``c``), ``image`` (the figure as PNG bytes in an
    ``ipywidgets.Image``), ``summary`` (an ``ipywidgets.HTML`` line with the accuracy),
    ``widget`` (the whole layout), ``accuracy`` and ``predicted_class_1`` (of the weights drawn
    last) and ``draws`` (how many times the figure was drawn).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, W_hidden: np.ndarray,
                 W_output: np.ndarray, *, rng: np.random.Generator | None = None,
                 resolution: int = 100):
        self.X, self.y = _points(X, y)
        W_hidden, W_output = _weights(W_hidden, W_output)
        if rng is not None and not isinstance(rng, np.random.Generator):
            raise TypeError(f"neuron_playground: rng must be a numpy Generator "
                            f"(np.random.default_rng(seed)), got {type(rng).__name__}")
        if not isinstance(resolution, int | np.integer) or resolution < 2:
            raise ValueError(f"neuron_playground: resolution must be an integer >= 2 (grid "
                             f"points per axis), got {resolution!r}")
        self.preset = (W_hidden.copy(), W_output.copy())
        self.rng = rng if rng is not None else np.random.default_rng(1)
        self.resolution = int(resolution)
        self.accuracy = float("nan")
        self.predicted_class_1 = 0
        self.draws = 0
        self._setting = False  # a button is setting every slider: draw once, at the end

        k = W_hidden.shape[1]
        low, high = _range(W_hidden, -SLIDER_LIMIT, SLIDER_LIMIT)
        self.hidden_sliders = [
            [_slider(W_hidden[row, unit], f"z{unit + 1}: {name}", low, high, _HIDDEN_LAYOUT)
             for row, name in enumerate(("w1", "w2", "b"))]
            for unit in range(k)
        ]
        low, high = _range(W_output[:-1], -SLIDER_LIMIT, SLIDER_LIMIT)
        self.output_sliders = [_slider(W_output[unit, 0], f"v{unit + 1}", low, high,
                                       _OUTPUT_LAYOUT) for unit in range(k)]
        low, high = _range(W_output[-1:], -C_LIMIT, SLIDER_LIMIT)
        self.output_sliders.append(_slider(W_output[-1, 0], "c", low, high, _OUTPUT_LAYOUT))
        for slider in self.sliders:
            slider.observe(self._on_change, names="value")

        preset_button = widgets.Button(description="preset",
                                       tooltip="back to the weights the playground started with",
                                       layout=widgets.Layout(width="160px"))
        random_button = widgets.Button(description="random weights",
                                       layout=widgets.Layout(width="160px"))
        preset_button.on_click(lambda _: self.reset())
        random_button.on_click(lambda _: self.randomize())
        self.buttons = (preset_button, random_button)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="740px"))
        self.summary = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox(column) for column in self.hidden_sliders]),
            widgets.HBox(self.output_sliders),
            widgets.HBox([preset_button, random_button, self.summary]),
            self.image,
        ])
        self.redraw()

    # ------------------------------------------------------------------ state
    @property
    def sliders(self) -> list[widgets.FloatSlider]:
        """Every slider: the hidden units' (unit by unit), then the output unit's."""
        return [s for column in self.hidden_sliders for s in column] + self.output_sliders

    def weights(self) -> tuple[np.ndarray, np.ndarray]:
        """The sliders' weights: ``W_hidden`` (3, k) and ``W_output`` (k + 1, 1)."""
        W_hidden = np.array([[s.value for s in column] for column in self.hidden_sliders]).T
        W_output = np.array([[s.value] for s in self.output_sliders])
        return W_hidden, W_output

    def set_weights(self, W_hidden: np.ndarray, W_output: np.ndarray) -> None:
        """Move every slider to these weights (same shapes as the preset), then redraw once."""
        W_hidden, W_output = _weights(W_hidden, W_output)
        if W_hidden.shape != self.preset[0].shape:
            raise ValueError(f"set_weights: W_hidden has shape {W_hidden.shape}, the playground "
                             f"has {self.preset[0].shape}")
        values = list(W_hidden.T.ravel()) + list(W_output.ravel())
        for slider, value in zip(self.sliders, values, strict=True):
            if not slider.min <= value <= slider.max:
                raise ValueError(f"set_weights: {slider.description} = {value:g} is outside "
                                 f"its slider's range [{slider.min:g}, {slider.max:g}]")
        self._setting = True
        try:
            for slider, value in zip(self.sliders, values, strict=True):
                slider.value = float(value)
        finally:
            self._setting = False
        self.redraw()

    def reset(self) -> None:
        """Back to the weights the playground started with."""
        self.set_weights(*self.preset)

    def randomize(self) -> None:
        """Random weights in [-6, 6], in steps of 0.5, drawn from the playground's ``rng``."""
        W_hidden = np.round(self.rng.uniform(-6, 6, self.preset[0].shape) * 2) / 2
        W_output = np.round(self.rng.uniform(-6, 6, self.preset[1].shape) * 2) / 2
        self.set_weights(W_hidden, W_output)

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        """Recompute the network on the sliders' weights and draw its figure into ``image``."""
        fig, accuracy = plot_neuron_playground(self.X, self.y, *self.weights(),
                                               resolution=self.resolution)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)  # shown in the Image widget only, never as a cell output
        self.image.value = buffer.getvalue()
        self.accuracy = accuracy
        self.predicted_class_1 = int(round(self._fraction_class_1() * len(self.y)))
        self.summary.value = (f"accuracy <b>{accuracy:.1%}</b> · {self.predicted_class_1} of "
                              f"{len(self.y)} points predicted class 1")
        self.draws += 1

    def _fraction_class_1(self) -> float:
        from helpers.reference.neural_networks import mlp_forward

        W_hidden, W_output = self.weights()
        p = mlp_forward(self.X, [W_hidden, W_output])[0][-1]
        return float(np.mean(p >= 0.5))

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._setting:
            self.redraw()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # A cell ending with the playground shows its widget.
        return self.widget._repr_mimebundle_(**kwargs)


def neuron_playground(X: np.ndarray, y: np.ndarray, W_hidden: np.ndarray, W_output: np.ndarray,
                      *, rng: np.random.Generator | None = None,
                      resolution: int = 100) -> NeuronPlayground:
    """The neuron playground: a slider for every weight of a 2-k-1 sigmoid network.

    The network is ``p = sigmoid(add_bias(sigmoid(add_bias(X) @ W_hidden)) @ W_output)``. The
    figure shows each hidden unit's line over the data, then the decision region ``p >= 0.5``
    with its accuracy; it is redrawn whenever a slider moves.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        The data (two features, no bias column).
    y : ndarray, shape (n,)
        0/1 labels.
    W_hidden : ndarray, shape (3, k)
        The starting weights of the k hidden units, one column each: ``w1``, ``w2``, then the
        bias ``b`` in the last row.
    W_output : ndarray, shape (k + 1, 1) or (k + 1,)
        The output unit's weights ``v1 .. vk``, then its bias ``c``.
    rng : numpy.random.Generator, optional
        Source of the "random weights" button (default: seeded with 1).
    resolution : int
        Grid points per axis of the decision region (fewer draw faster).

    Returns
    -------
    NeuronPlayground
        Shows itself as the cell's output; ``weights()``, ``set_weights(...)``, ``accuracy``.

    Raises
    ------
    ValueError
        When a shape does not fit (``X`` not (n, 2), ``W_hidden`` not (3, k), ``W_output`` not
        k + 1 weights, ``y`` not n labels) or a weight is not finite.
    """
    return NeuronPlayground(X, y, W_hidden, W_output, rng=rng, resolution=resolution)


def _points(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"neuron_playground: X must have shape (n, 2) (two features, no bias "
                         f"column), got {X.shape}")
    if y.shape != (len(X),):
        raise ValueError(f"neuron_playground: y must have shape ({len(X)},), one 0/1 label per "
                         f"row of X, got {y.shape}")
    return X, y


def _weights(W_hidden: Any, W_output: Any) -> tuple[np.ndarray, np.ndarray]:
    W_hidden = np.asarray(W_hidden, dtype=float)
    W_output = np.asarray(W_output, dtype=float)
    if W_hidden.ndim != 2 or W_hidden.shape[0] != 3 or W_hidden.shape[1] < 1:
        raise ValueError(f"neuron_playground: W_hidden must have shape (3, k): rows w1, w2 and "
                         f"the bias b, one column per hidden unit; got {W_hidden.shape}")
    k = W_hidden.shape[1]
    if W_output.shape not in ((k + 1,), (k + 1, 1)):
        raise ValueError(f"neuron_playground: W_output must have shape ({k + 1}, 1): one weight "
                         f"per hidden unit, then the bias c; got {W_output.shape}")
    if not (np.all(np.isfinite(W_hidden)) and np.all(np.isfinite(W_output))):
        raise ValueError("neuron_playground: every weight must be a finite number")
    return W_hidden, W_output.reshape(k + 1, 1)


def _range(values: np.ndarray, low: float, high: float) -> tuple[float, float]:
    """A slider range covering [low, high] and the given values, in whole steps."""
    low = min(low, float(np.floor(values.min() / STEP) * STEP))
    high = max(high, float(np.ceil(values.max() / STEP) * STEP))
    return low, high


def _slider(value: float, description: str, low: float, high: float,
            layout: dict[str, str]) -> widgets.FloatSlider:
    return widgets.FloatSlider(value=float(value), min=low, max=high, step=STEP,
                               description=description, continuous_update=False,
                               readout_format=".1f",
                               style={"description_width": layout["description_width"]},
                               layout=widgets.Layout(width=layout["width"]))
