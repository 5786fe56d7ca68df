"""Figures for notebook 06 (convolutional networks), in the style of ``core``.

* :func:`plot_filter_step`: an image with one window outlined, the filter, and the feature map
  with the output of that window outlined (the picture of the filter playground);
* :func:`plot_window_positions`: where a window lands on a padded image for a stride and a
  padding (the output-size formula, drawn);
* :func:`plot_filters`: a convolution layer's filters as small images;
* :func:`plot_feature_maps`: the feature maps of one image, one panel per filter.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from helpers.plotting.core import COLORS

__all__ = ["plot_filter_step", "plot_window_positions", "plot_filters", "plot_feature_maps"]

_HIGHLIGHT = COLORS[5]  # vermillion: the window and the output it makes


def _flat_axes(axes: Axes | np.ndarray | Sequence[Axes]) -> list[Axes]:
    return list(np.ravel(np.asarray(axes, dtype=object)))


def _outline(ax: Axes, row: float, col: float, height: float, width: float) -> Rectangle:
    """A rectangle around pixels ``row .. row + height - 1``, ``col .. col + width - 1``."""
    box = Rectangle((col - 0.5, row - 0.5), width, height, fill=False, edgecolor=_HIGHLIGHT,
                    linewidth=2.5)
    ax.add_patch(box)
    return box


def _symmetric_limit(values: np.ndarray) -> float:
    return float(np.max(np.abs(values))) or 1.0


def plot_filter_step(axes: Sequence[Axes], image: np.ndarray, kernel: np.ndarray,
                     feature_map: np.ndarray, row: int, col: int) -> list[Axes]:
    """Three panels: the image with the window at (row, col), the kernel, the feature map.

    Parameters
    ----------
    axes : three Axes
    image : ndarray, shape (h, w)
    kernel : ndarray, shape (kh, kw)
        Drawn with its values written in.
    feature_map : ndarray, shape (h - kh + 1, w - kw + 1)
        The cross-correlation of ``image`` with ``kernel`` (computed by the caller).
    row, col : int
        The output pixel outlined; its window is outlined on the image.

    Returns
    -------
    list of Axes
    """
    ax_image, ax_kernel, ax_map = _flat_axes(axes)
    kh, kw = kernel.shape
    ax_image.imshow(image, cmap="gray_r")
    _outline(ax_image, row, col, kh, kw)
    ax_image.set_title("image and window")

    limit = _symmetric_limit(kernel)
    ax_kernel.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(kernel):  # white on the dark (strong) entries
        ax_kernel.text(j, i, f"{value:g}", ha="center", va="center", fontsize=11,
                       color="white" if abs(value) > 0.6 * limit else "black")
    ax_kernel.set_title("filter")

    limit = _symmetric_limit(feature_map)
    ax_map.imshow(feature_map, cmap="RdBu_r", vmin=-limit, vmax=limit)
    _outline(ax_map, row, col, 1, 1)
    ax_map.set_title("feature map")
    for ax in (ax_image, ax_kernel, ax_map):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
    return [ax_image, ax_kernel, ax_map]


def plot_window_positions(ax: Axes, size: tuple[int, int], k: int, stride: int = 1,
                          padding: int = 0) -> tuple[int, int]:
    """Draw a padded image and the windows a ``k x k`` filter visits, and return the output
    size.

    Image pixels are grey, padding pixels white with a dashed edge; each window's top-left
    pixel gets a dot and the last window is outlined; pixels no window reaches are hatched.

    Parameters
    ----------
    ax : Axes
    size : (h, w)
        The image size, before padding.
    k, stride, padding : int

    Returns
    -------
    (h_out, w_out) : tuple of int
        ``(size + 2 * padding - k) // stride + 1`` along each axis.
    """
    h, w = size
    H, W = h + 2 * padding, w + 2 * padding
    h_out, w_out = (H - k) // stride + 1, (W - k) // stride + 1
    grid = np.zeros((H, W))
    grid[padding:padding + h, padding:padding + w] = 1.0
    ax.imshow(grid, cmap="Greys", vmin=0, vmax=3)
    reached_rows, reached_cols = (h_out - 1) * stride + k, (w_out - 1) * stride + k
    for i in range(H):
        for j in range(W):
            if i >= reached_rows or j >= reached_cols:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///",
                                       edgecolor=COLORS[7], linewidth=0))
    rows, cols = np.meshgrid(np.arange(h_out) * stride, np.arange(w_out) * stride,
                             indexing="ij")
    ax.scatter(cols.ravel(), rows.ravel(), s=30, color=_HIGHLIGHT, zorder=3)
    _outline(ax, rows.max(), cols.max(), k, k)
    if padding:
        ax.add_patch(Rectangle((padding - 0.5, padding - 0.5), w, h, fill=False,
                               edgecolor=COLORS[7], linewidth=1.5, linestyle="--"))
    ax.set_xticks(np.arange(-0.5, W, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, H, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.grid(which="major", visible=False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{h}x{w}, k={k}, stride {stride}, padding {padding}: {h_out}x{w_out}",
                 fontsize=10)
    return h_out, w_out


def plot_filters(axes: np.ndarray | Sequence[Axes], W: np.ndarray,
                 channel: int = 0) -> list[Axes]:
    """Draw each filter ``W[o, channel]`` as a small image (red positive, blue negative).

    Parameters
    ----------
    axes : array or sequence of Axes
        One per filter; extra axes are hidden.
    W : ndarray, shape (c_out, c_in, kh, kw)
    channel : int
        Which input channel of the filters to draw.

    Returns
    -------
    list of Axes
    """
    flat = _flat_axes(axes)
    W = np.asarray(W, dtype=float)
    for index, ax in enumerate(flat):
        ax.set_axis_off()
        if index >= W.shape[0]:
            continue
        limit = _symmetric_limit(W[index, channel])
        ax.imshow(W[index, channel], cmap="RdBu_r", vmin=-limit, vmax=limit)
    return flat


def plot_feature_maps(axes: np.ndarray | Sequence[Axes], maps: np.ndarray,
                      titles: Sequence[str] | None = None, shared_scale: bool = True,
                      cmap: str = "RdBu_r") -> list[Axes]:
    """Draw feature maps, ``maps[o]`` in panel ``o``, on colour scales symmetric around 0.

    Parameters
    ----------
    axes : array or sequence of Axes
        Extra axes are hidden.
    maps : ndarray, shape (c, h, w)
        e.g. ``conv2d_forward(X[:1], W, b)[0]``.
    titles : sequence of str, optional
        One per map.
    shared_scale : bool
        One colour scale for every panel (to compare the maps' sizes), or one per panel (to
        see each map's pattern).
    cmap : str
        A diverging colormap: red positive, blue negative by default.

    Returns
    -------
    list of Axes
    """
    flat = _flat_axes(axes)
    maps = np.asarray(maps, dtype=float)
    shared = _symmetric_limit(maps)
    for index, ax in enumerate(flat):
        ax.set_axis_off()
        if index >= maps.shape[0]:
            continue
        limit = shared if shared_scale else _symmetric_limit(maps[index])
        ax.imshow(maps[index], cmap=cmap, vmin=-limit, vmax=limit)
        if titles is not None:
            ax.set_title(titles[index], fontsize=9)
    return flat
