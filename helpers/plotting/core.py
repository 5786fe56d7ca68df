"""One consistent look for every figure of the series, from a few small functions.

In the spirit of d2l's ``set_axes``/``plot``: every figure is made with :func:`figure`, axes are
labelled with :func:`set_axes`, and the common pictures of the workshop (data and a fitted line,
loss curves, two-class scatter plots, decision regions, confusion matrices) have one function each.
:class:`LiveFigure` redraws a figure in place while a training loop runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from helpers.jupyter import in_notebook

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
CLASS_COLORS = ("#0072B2", "#E69F00")  # class 0, class 1
CLASS_MARKERS = ("o", "^")
# Decision regions in light CLASS_COLORS: class 0 (or -1), class 1 (or +1).
REGION_CMAP = ListedColormap(["#cfe3f1", "#fbe6bf"])

STYLE = {
    "figure.figsize": (6.0, 4.0),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "image.cmap": "viridis",
}


def use_style() -> None:
    """Apply the workshop's matplotlib style (done when :mod:`helpers.plotting` is imported)."""
    mpl.rcParams.update(STYLE)


def figure(
    nrows: int = 1, ncols: int = 1, *, width: float = 5.0, height: float = 4.0, **kwargs
) -> tuple[Figure, np.ndarray | Axes]:
    """A figure of ``nrows x ncols`` panels, each ``width x height`` inches.

    Rows then columns, as in ``plt.subplots``; the sizes are keyword-only, so that a call reads
    ``figure(ncols=2, width=4.5, height=3.3)``.

    Parameters
    ----------
    nrows, ncols : int
        Number of rows and columns of panels.
    width, height : float
        Size of one panel, in inches (the figure is ``width * ncols`` by ``height * nrows``).
    **kwargs
        Passed to ``plt.subplots`` (e.g. ``sharex=True``).

    Returns
    -------
    fig : Figure
    axes : Axes, or ndarray of Axes when there is more than one panel: shape ``(ncols,)`` or
        ``(nrows,)`` for a single row or column, ``(nrows, ncols)`` otherwise
    """
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), layout="constrained", **kwargs
    )
    return fig, axes


def set_axes(
    ax: Axes,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    xlim: Sequence[float] | None = None,
    ylim: Sequence[float] | None = None,
    xscale: str | None = None,
    yscale: str | None = None,
    legend: bool | Sequence[str] = False,
) -> Axes:
    """Label and scale an axes in one call; returns it."""
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    if xlim is not None:
        ax.set_xlim(xlim)
    if ylim is not None:
        ax.set_ylim(ylim)
    if xscale:
        ax.set_xscale(xscale)
    if yscale:
        ax.set_yscale(yscale)
    if legend is True:
        ax.legend()
    elif legend:
        ax.legend(list(legend))
    return ax


def plot(
    ax: Axes,
    x: np.ndarray,
    ys: np.ndarray | Sequence[np.ndarray],
    labels: Sequence[str] | None = None,
    **set_axes_kwargs,
) -> Axes:
    """Plot one or several curves ``ys`` (each shape ``(len(x),)``) against ``x``."""
    ys = [ys] if isinstance(ys, np.ndarray) and ys.ndim == 1 else list(ys)
    for index, y in enumerate(ys):
        ax.plot(x, y, label=None if labels is None else labels[index])
    return set_axes(ax, legend=labels is not None, **set_axes_kwargs)


def plot_data_and_fit(
    ax: Axes,
    x: np.ndarray,
    y: np.ndarray,
    predict: Callable[[np.ndarray], np.ndarray] | None = None,
    label: str = "model",
    **set_axes_kwargs,
) -> Axes:
    """Scatter the data ``x``, ``y`` (both ``(n,)``) and draw ``predict`` on a fine grid of x."""
    ax.scatter(x, y, s=25, color=COLORS[0], alpha=0.8, label="data")
    if predict is not None:
        grid = np.linspace(x.min(), x.max(), 200)
        ax.plot(grid, predict(grid), color=COLORS[5], label=label)
    return set_axes(ax, legend=True, **set_axes_kwargs)


def plot_losses(
    ax: Axes,
    losses: Sequence[float] | dict[str, Sequence[float]],
    xlabel: str = "iteration",
    ylabel: str = "loss",
    log: bool = False,
    **set_axes_kwargs,
) -> Axes:
    """Loss curve(s): a sequence, or ``{label: sequence}`` for several on one axes."""
    curves = losses if isinstance(losses, dict) else {None: losses}
    for label, values in curves.items():
        ax.plot(np.arange(len(values)), values, label=label)
    return set_axes(
        ax,
        xlabel=xlabel,
        ylabel=ylabel,
        yscale="log" if log else None,
        legend=not (len(curves) == 1 and None in curves),
        **set_axes_kwargs,
    )


def plot_classes(
    ax: Axes,
    X: np.ndarray,
    y: np.ndarray,
    names: Sequence[str] = ("class 0", "class 1"),
    **set_axes_kwargs,
) -> Axes:
    """Scatter 2-D points ``X`` (``(n, 2)``) coloured by labels ``y`` (``(n,)``, 0/1 or -1/+1)."""
    positive = np.asarray(y) > 0
    for index, mask in enumerate((~positive, positive)):
        ax.scatter(
            X[mask, 0],
            X[mask, 1],
            s=22,
            color=CLASS_COLORS[index],
            marker=CLASS_MARKERS[index],
            edgecolor="white",
            linewidth=0.5,
            label=names[index],
        )
    set_axes_kwargs.setdefault("xlabel", "$x_1$")
    set_axes_kwargs.setdefault("ylabel", "$x_2$")
    return set_axes(ax, legend=True, **set_axes_kwargs)


def plot_decision_boundary(
    ax: Axes,
    predict_proba: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray | None = None,
    resolution: int = 150,
    margin: float = 0.5,
    legend: bool = True,
    **set_axes_kwargs,
) -> Axes:
    """Decision region of a 2-D classifier, its 0.5 boundary, and optionally the data.

    Parameters
    ----------
    predict_proba : callable
        Maps a grid of points ``(m, 2)`` to probabilities of class 1, ``(m,)`` or ``(m, 1)``.
    X : ndarray, shape (n, 2)
        Data, used for the plot limits (and drawn when ``y`` is given).
    y : ndarray, shape (n,), optional
    legend : bool
        Whether to label the classes when ``y`` is drawn (off for grids of small panels).
    """
    lo = X.min(axis=0) - margin
    hi = X.max(axis=0) + margin
    g1, g2 = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    p = np.asarray(predict_proba(grid), dtype=float).reshape(g1.shape)
    ax.contourf(g1, g2, (p >= 0.5).astype(float), levels=[-0.5, 0.5, 1.5], cmap=REGION_CMAP)
    if np.nanmin(p) < 0.5 < np.nanmax(p):
        ax.contour(g1, g2, p, levels=[0.5], colors="black", linewidths=1.5)
    if y is not None:
        plot_classes(ax, X, y)
        if not legend:
            ax.get_legend().remove()
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    return set_axes(ax, **set_axes_kwargs)


def plot_confusion_matrix(
    ax: Axes,
    y_true: np.ndarray,
    y_pred: np.ndarray,
    labels: Sequence[str] | None = None,
    **set_axes_kwargs,
) -> np.ndarray:
    """Draw the confusion matrix of integer labels and return it.

    Returns
    -------
    ndarray, shape (k, k), int
        ``counts[i, j]`` = number of samples of true class ``i`` predicted as ``j``.
    """
    y_true = np.asarray(y_true).astype(int)
    y_pred = np.asarray(y_pred).astype(int)
    k = int(max(y_true.max(), y_pred.max()) + 1) if labels is None else len(labels)
    counts = np.zeros((k, k), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    ax.imshow(counts, cmap="Blues")
    ax.grid(False)
    names = list(labels) if labels is not None else [str(i) for i in range(k)]
    ax.set_xticks(range(k), names, rotation=45 if k > 3 else 0)
    ax.set_yticks(range(k), names)
    threshold = counts.max() / 2
    for (i, j), count in np.ndenumerate(counts):
        ax.text(
            j,
            i,
            str(count),
            ha="center",
            va="center",
            color="white" if count > threshold else "black",
        )
    set_axes_kwargs.setdefault("xlabel", "predicted")
    set_axes_kwargs.setdefault("ylabel", "true")
    set_axes(ax, **set_axes_kwargs)
    return counts


class LiveFigure:
    """A figure that redraws in place while a loop runs, then stays as the cell's output.

    In Jupyter it uses a display handle (no widget, so nbval compares it like any figure); in a
    plain Python process ``update`` does nothing. Use it as a context manager::

        fig, (ax1, ax2) = figure(ncols=2)
        with LiveFigure(fig) as live:
            for step in range(n):
                ...
                if step % 20 == 0:
                    ax1.clear(); plot_losses(ax1, losses)
                    live.update()

    The number of axes must not change after creation (the figure's text representation, which
    nbval compares, names it).
    """

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self._handle = None
        if in_notebook():
            from IPython.display import display

            self._handle = display(fig, display_id=True)

    def update(self) -> None:
        """Redraw the figure in the notebook output."""
        if self._handle is not None:
            self._handle.update(self.fig)

    def close(self) -> None:
        """Draw the final state and release the figure (so it is not shown a second time)."""
        self.update()
        plt.close(self.fig)

    def __enter__(self) -> LiveFigure:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
