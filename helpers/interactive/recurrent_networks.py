"""Widgets for notebook 07 (recurrent networks): the gradient explorer.

:func:`gradient_explorer` builds a random vanilla RNN whose recurrent weights are
``W_h = scale * Q`` (``Q`` a random orthogonal matrix, so every singular value of ``W_h`` is
``scale``) and shows, for the sliders' ``scale`` and input scale, how the gradient of a loss at
the last step depends on the distance in time (section 4's experiment), next to the hidden states
of one sequence. Moving a slider runs the forward and backward passes again and redraws.

The returned :class:`GradientExplorer` shows itself when it is a cell's last expression; its state
(the sliders, the norms, the drawn image) can also be read and set from code, which is how it is
tested without a browser.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from helpers.plotting.core import figure
from helpers.plotting.recurrent_networks import plot_gradient_norms, plot_hidden_states
from helpers.reference.recurrent_networks import (
    gradient_norms_through_time,
    orthogonal,
    rnn_backward,
    rnn_forward,
)

__all__ = ["gradient_explorer", "GradientExplorer"]

SCALE_RANGE = (0.1, 3.0)
INPUT_SCALE_RANGE = (0.0, 3.0)
FLOOR = 1e-30  # norms below this are shown at the floor of the log-scale axis


class GradientExplorer:
    """Sliders for the scale of ``W_h`` and of the inputs; the gradient norms through time.

    Build it with :func:`gradient_explorer`. Attributes: ``scale_slider`` and
    ``input_slider`` (``ipywidgets.FloatSlider``), ``image`` (the figure as PNG bytes in an
    ``ipywidgets.Image``), ``summary`` (an ``ipywidgets.HTML`` line), ``widget`` (the whole
    layout), ``norms`` (the last computed norms, shape (T,)), ``H`` (the last hidden states,
    (n, T, h)) and ``draws`` (how many times the figure was drawn).
    """

    def __init__(self, *, hidden: int = 32, steps: int = 50, n: int = 16, inputs: int = 2,
                 scale: float = 1.0, input_scale: float = 1.0, seed: int = 0,
                 forward: Callable[..., np.ndarray] = rnn_forward,
                 backward: Callable[..., tuple[np.ndarray, ...]] = rnn_backward):
        for name, value, low in (("hidden", hidden, 1), ("steps", steps, 2), ("n", n, 1),
                                 ("inputs", inputs, 1)):
            if not isinstance(value, int | np.integer) or value < low:
                raise ValueError(f"gradient_explorer: {name} must be an integer >= {low}, got "
                                 f"{value!r}")
        for name, value, (low, high) in (("scale", scale, SCALE_RANGE),
                                         ("input_scale", input_scale, INPUT_SCALE_RANGE)):
            if not isinstance(value, int | float | np.floating) or not low <= value <= high:
                raise ValueError(f"gradient_explorer: {name} must be a number in [{low}, "
                                 f"{high}], got {value!r}")
        if not (callable(forward) and callable(backward)):
            raise TypeError("gradient_explorer: forward and backward must be functions "
                            "(rnn_forward and rnn_backward)")
        rng = np.random.default_rng(seed)
        self.Q = orthogonal(hidden, rng)
        self.X = rng.normal(size=(n, steps, inputs))
        self.h0 = np.zeros((n, hidden))
        self.Wx = rng.normal(size=(inputs, hidden)) / np.sqrt(inputs)
        self.b = np.zeros(hidden)
        self.forward, self.backward = forward, backward
        self.norms = np.zeros(steps)
        self.H = np.zeros((n, steps, hidden))
        self.draws = 0
        self.scale_slider = widgets.FloatSlider(
            value=float(scale), min=SCALE_RANGE[0], max=SCALE_RANGE[1], step=0.05,
            description="scale of W_h", continuous_update=False, readout_format=".2f",
            style={"description_width": "110px"}, layout=widgets.Layout(width="420px"))
        self.input_slider = widgets.FloatSlider(
            value=float(input_scale), min=INPUT_SCALE_RANGE[0], max=INPUT_SCALE_RANGE[1],
            step=0.1, description="input scale", continuous_update=False, readout_format=".1f",
            style={"description_width": "110px"}, layout=widgets.Layout(width="420px"))
        for slider in (self.scale_slider, self.input_slider):
            slider.observe(self._on_change, names="value")
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="820px"))
        self.summary = widgets.HTML()
        self.widget = widgets.VBox([widgets.HBox([self.scale_slider, self.input_slider]),
                                    self.summary, self.image])
        self.redraw()

    # ------------------------------------------------------------------ state
    def set(self, *, scale: float | None = None, input_scale: float | None = None) -> None:
        """Move the sliders (each redraws once)."""
        if scale is not None:
            self.scale_slider.value = float(scale)
        if input_scale is not None:
            self.input_slider.value = float(input_scale)

    def compute(self) -> np.ndarray:
        """Run the forward and backward passes for the sliders' values; the norms, shape (T,)."""
        scale, input_scale = self.scale_slider.value, self.input_slider.value
        X = input_scale * self.X
        Wh = scale * self.Q
        self.H = np.asarray(self.forward(X, self.h0, self.Wx, Wh, self.b), dtype=float)
        self.norms = gradient_norms_through_time(X, self.h0, self.Wx, Wh, self.b,
                                                 forward=self.forward, backward=self.backward)
        return self.norms

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        """Compute and draw the figure into ``image``, and the summary line."""
        norms = self.compute()
        scale = self.scale_slider.value
        fig, (ax_norms, ax_states) = figure(ncols=2, width=5.0, height=3.4)
        plot_gradient_norms(ax_norms, {f"scale {scale:.2f}": np.maximum(norms, FLOOR)},
                            title="gradient of the last step's loss")
        plot_hidden_states(ax_states, self.H[0], title="hidden states of one sequence")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)  # shown in the Image widget only, never as a cell output
        self.image.value = buffer.getvalue()
        far = min(40, len(norms) - 1)
        ratio = norms[far] / norms[0] if norms[0] > 0 else float("nan")
        saturated = float(np.mean(np.abs(self.H) > 0.95))
        self.summary.value = (
            f"gradient norm at the last step <b>{norms[0]:.2e}</b> · {far} steps back "
            f"<b>{norms[far]:.2e}</b> (ratio {ratio:.1e}) · "
            f"{saturated:.0%} of the states saturated (|h| &gt; 0.95)")
        self.draws += 1

    def _on_change(self, change: dict[str, Any]) -> None:
        self.redraw()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # A cell ending with the explorer shows its widget.
        return self.widget._repr_mimebundle_(**kwargs)


def gradient_explorer(*, hidden: int = 32, steps: int = 50, n: int = 16, inputs: int = 2,
                      scale: float = 1.0, input_scale: float = 1.0, seed: int = 0,
                      forward: Callable[..., np.ndarray] = rnn_forward,
                      backward: Callable[..., tuple[np.ndarray, ...]] = rnn_backward
                      ) -> GradientExplorer:
    """Explore how the scale of ``W_h`` makes gradients vanish or explode through time.

    A random RNN (``hidden`` units, ``inputs`` inputs, inputs drawn from a standard normal and
    multiplied by the input-scale slider, ``b = 0``, ``h0 = 0``) reads ``n`` sequences of
    ``steps`` steps; ``W_h = scale * Q`` with ``Q`` a random orthogonal matrix. The left panel is
    :func:`helpers.reference.recurrent_networks.gradient_norms_through_time`: the norm of the
    gradient of a loss at the last step with respect to the input k steps before it. The right
    panel shows the hidden states of the first sequence (saturated units are dark red or blue).

    Parameters
    ----------
    hidden, steps, n, inputs : int
        The RNN's size and the data's.
    scale, input_scale : float
        The sliders' starting values, in [0.1, 3] and [0, 3].
    seed : int
        Seeds the random RNN and inputs.
    forward, backward : callables
        ``rnn_forward`` and ``rnn_backward`` (the notebook passes the attendee's).

    Returns
    -------
    GradientExplorer
        Shows itself as the cell's output; ``set(scale=...)``, ``norms``, ``H``.

    Raises
    ------
    ValueError
        When a size is not a positive integer or a starting value is out of its slider's range.
    TypeError
        When ``forward`` or ``backward`` is not a function.
    """
    return GradientExplorer(hidden=hidden, steps=steps, n=n, inputs=inputs, scale=scale,
                            input_scale=input_scale, seed=seed, forward=forward,
                            backward=backward)
