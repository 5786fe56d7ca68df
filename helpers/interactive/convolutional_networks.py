"""Widgets for notebook 06 (convolutional networks): a 3x3 filter sliding over a digit.

:func:`filter_playground` shows an image, a filter and the feature map they make, with a
dropdown of classic filters (edges, blur, sharpen), nine boxes to edit the filter by hand and a
slider that moves the window over the image. Every change is sent to the kernel, which computes
the feature map again (a cross-correlation, as :func:`helpers.reference.convolutional_networks.
conv2d_forward` computes it) and redraws the picture.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from helpers.plotting.convolutional_networks import plot_filter_step
from helpers.plotting.core import figure
from helpers.reference.convolutional_networks import conv2d_forward

__all__ = ["FILTERS", "filter_playground", "FilterPlayground"]

#: Classic 3x3 filters, by the name the dropdown shows.
FILTERS: dict[str, np.ndarray] = {
    "vertical edges": np.array([[-1.0, 0.0, 1.0]] * 3),
    "horizontal edges": np.array([[-1.0, -1.0, -1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]),
    "blur": np.full((3, 3), 1.0 / 9.0),
    "sharpen": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
    "identity": np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
}
CUSTOM = "custom (edit the boxes)"


def feature_map(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The cross-correlation of one image (h, w) with one filter (kh, kw), no padding, stride 1:
    shape (h - kh + 1, w - kw + 1)."""
    return conv2d_forward(image[None, None], kernel[None, None], np.zeros(1))[0, 0]


def _number(value: float) -> str:
    """``2``, or ``(-1)`` in parentheses so that ``0.5·(-1)`` reads as a product."""
    return f"({value:g})" if value < 0 else f"{value:g}"


@dataclass
class FilterPlayground:
    """The widgets of :func:`filter_playground` and what they show.

    Attributes
    ----------
    image : ndarray, shape (h, w)
    preset : ipywidgets.Dropdown
        The filter's name, or ``CUSTOM`` once a box was edited by hand.
    boxes : list of ipywidgets.FloatText
        The filter's nine values, row by row.
    position : ipywidgets.IntSlider
        The output pixel shown, counted row by row.
    picture : ipywidgets.Image
        The image, the filter and the feature map (PNG).
    formula : ipywidgets.HTML
        The sum that gives the outlined output pixel.
    widget : ipywidgets.VBox
        Everything, as displayed.
    """

    image: np.ndarray
    preset: Any = None
    boxes: list = field(default_factory=list)
    position: Any = None
    picture: Any = None
    formula: Any = None
    widget: Any = None
    _setting: bool = False

    @property
    def kernel(self) -> np.ndarray:
        """The filter the boxes hold, shape (3, 3)."""
        return np.array([box.value for box in self.boxes], dtype=float).reshape(3, 3)

    @property
    def output_shape(self) -> tuple[int, int]:
        """The feature map's shape, (h - 2, w - 2)."""
        return self.image.shape[0] - 2, self.image.shape[1] - 2

    def row_col(self) -> tuple[int, int]:
        """The output pixel the slider points at."""
        return divmod(int(self.position.value), self.output_shape[1])

    def use_filter(self, name: str) -> None:
        """Put the named filter of :data:`FILTERS` into the boxes and redraw once."""
        self._setting = True
        try:
            for box, value in zip(self.boxes, FILTERS[name].ravel(), strict=True):
                box.value = round(float(value), 3)
        finally:
            self._setting = False
        self.redraw()

    def redraw(self) -> None:
        """Compute the feature map again and refresh the picture and the formula."""
        kernel = self.kernel
        result = feature_map(self.image, kernel)
        row, col = self.row_col()
        patch = self.image[row:row + 3, col:col + 3]
        fig, axes = figure(ncols=3, width=2.6, height=2.7)
        plot_filter_step(axes, self.image, kernel, result, row, col)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)  # shown in the Image widget only
        self.picture.value = buffer.getvalue()
        terms = " + ".join(f"{p:.3g}&middot;{_number(k)}"
                           for p, k in zip(patch.ravel(), kernel.ravel(), strict=True))
        self.formula.value = (f"<code>out[{row}, {col}] = {terms} = "
                              f"<b>{result[row, col]:.3g}</b></code>")

    def _on_preset(self, change: dict) -> None:
        if change["new"] != CUSTOM and not self._setting:
            self.use_filter(change["new"])

    def _on_box(self, change: dict) -> None:
        if self._setting:
            return
        if self.preset.value != CUSTOM:
            self._setting = True  # the dropdown now names no preset; no second redraw
            self.preset.value = CUSTOM
            self._setting = False
        self.redraw()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def filter_playground(image: np.ndarray, start: str = "vertical edges") -> FilterPlayground:
    """A 3x3 filter sliding over ``image``: pick or edit the filter, move the window.

    Parameters
    ----------
    image : ndarray, shape (h, w)
        e.g. one digit, ``X_train[0].reshape(8, 8)``; at least 3x3.
    start : str
        The filter shown first, a key of :data:`FILTERS`.

    Returns
    -------
    FilterPlayground
        Displays itself as the widgets when it is a cell's last expression.
    """
    import ipywidgets as widgets

    image = np.asarray(image, dtype=float)
    if image.ndim != 2 or min(image.shape) < 3:
        raise ValueError(f"image must be a 2-D array of at least 3x3 pixels, got shape "
                         f"{image.shape}")
    if start not in FILTERS:
        raise ValueError(f"start must be one of {sorted(FILTERS)}, got {start!r}")
    playground = FilterPlayground(image)
    h_out, w_out = playground.output_shape
    playground.preset = widgets.Dropdown(options=[*FILTERS, CUSTOM], value=start,
                                         description="filter",
                                         layout=widgets.Layout(width="360px"))
    playground.boxes = [widgets.FloatText(value=0.0, step=0.5,
                                          layout=widgets.Layout(width="70px"))
                        for _ in range(9)]
    playground.position = widgets.IntSlider(value=0, min=0, max=h_out * w_out - 1,
                                            description="window", continuous_update=False)
    playground.picture = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
    playground.formula = widgets.HTML()
    grid = widgets.GridBox(playground.boxes, layout=widgets.Layout(
        grid_template_columns="repeat(3, 75px)"))
    playground.widget = widgets.VBox([
        widgets.HBox([widgets.VBox([playground.preset, playground.position]), grid]),
        playground.picture, playground.formula])
    playground.preset.observe(playground._on_preset, names="value")
    for box in playground.boxes:
        box.observe(playground._on_box, names="value")
    playground.position.observe(lambda change: playground.redraw(), names="value")
    playground.use_filter(start)
    return playground
