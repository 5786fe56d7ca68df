"""A progress bar for training loops: an ipywidgets bar in Jupyter, a few text lines elsewhere.

Example
-------
>>> bar = ProgressBar(100, description="training")
>>> for step in range(100):
...     bar.update(step + 1, loss=0.5)
>>> bar.close()
"""

from __future__ import annotations

from helpers.jupyter import in_notebook


class ProgressBar:
    """Show how far a loop has got, with an optional status such as the current loss.

    Parameters
    ----------
    total : int
        Number of steps.
    description : str
        Label shown before the bar.
    every : int, optional
        Refresh every ``every`` steps (default: about 50 refreshes in all), so the bar itself
        costs nothing measurable.

    Notes
    -----
    The widget is displayed once and then only its value changes (through the widget's comm), so
    the cell's stored output is the same on every run and nbval can compare it.
    """

    def __init__(self, total: int, description: str = "progress", every: int | None = None):
        self.total = max(int(total), 1)
        self.description = description
        self.every = every or max(self.total // 50, 1)
        self._widget = None
        self._label = None
        self._last_text = -1
        if in_notebook():
            import ipywidgets as widgets
            from IPython.display import display

            self._bar = widgets.IntProgress(value=0, min=0, max=self.total,
                                            description=description,
                                            style={"description_width": "initial"})
            self._label = widgets.Label(value="")
            self._widget = widgets.HBox([self._bar, self._label])
            display(self._widget)

    def update(self, step: int, **status: float) -> None:
        """Record that ``step`` of ``total`` steps are done; ``status`` values are shown too."""
        if step % self.every and step != self.total:
            return
        text = f"{step}/{self.total}" + "".join(
            f"  {key} {value:.4g}" for key, value in status.items())
        if self._widget is not None:
            self._bar.value = step
            self._label.value = text
        elif step * 10 // self.total != self._last_text:  # about ten lines in a terminal
            self._last_text = step * 10 // self.total
            print(f"{self.description}: {text}")

    def close(self) -> None:
        """Mark the bar as finished."""
        if self._widget is not None:
            self._bar.bar_style = "success"
