"""Figures for notebook 07 (recurrent networks), drawn with matplotlib alone.

- :func:`plot_unrolled_rnn`: the recurrent cell with its loop, and the same cell unrolled over
  T steps, every copy sharing ``W_x``, ``W_h`` and ``b``.
- :func:`plot_gradient_norms`: how the gradient's norm changes with the distance in time, one
  curve per scale of ``W_h`` (log scale).
- :func:`plot_hidden_states`: one sequence's hidden states, a unit per row and a step per column.
- :func:`plot_cliff`: a loss with a cliff, and gradient-descent paths on it.
- :func:`plot_lstm_cell`: an LSTM cell in the style of colah's "Understanding LSTM Networks".
- :func:`plot_addition`: a binary addition laid out bit by bit, with the model's answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from helpers.plotting.core import COLORS, set_axes

__all__ = [
    "plot_unrolled_rnn", "plot_gradient_norms", "plot_hidden_states", "plot_cliff",
    "plot_lstm_cell", "plot_addition",
]

_CELL = "#cfe3f1"       # a recurrent cell (light blue)
_GATE = "#fbe6bf"       # a neural-network layer inside a cell (light orange)
_POINTWISE = "#f4d6e6"  # a pointwise operation (light pink)
_INK = "#333333"


def _box(ax: Axes, x: float, y: float, width: float, height: float, text: str,
         color: str = _CELL, fontsize: int = 13) -> FancyBboxPatch:
    """A rounded box centred on (x, y), with its text."""
    patch = FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                           boxstyle="round,pad=0.02,rounding_size=0.12", facecolor=color,
                           edgecolor=_INK, linewidth=1.3, zorder=3)
    ax.add_patch(patch)
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4)
    return patch


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], *,
           color: str = _INK, style: str = "-|>", connection: str = "arc3",
           width: float = 1.4) -> FancyArrowPatch:
    """An arrow from ``start`` to ``end`` (``connection``: matplotlib's connectionstyle)."""
    patch = FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=13, color=color,
                            linewidth=width, connectionstyle=connection, zorder=2,
                            shrinkA=0, shrinkB=0)
    ax.add_patch(patch)
    return patch


def _blank(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")


# --------------------------------------------------------------------------- unrolling
def plot_unrolled_rnn(ax: Axes, n_steps: int = 4) -> Axes:
    """The recurrent cell (left) and the same cell unrolled over ``n_steps`` steps (right).

    Every copy of the cell computes :math:`h_t = \\tanh(x_t W_x + h_{t-1} W_h + b)` with the same
    weights: the input arrives from below through ``W_x``, the previous state from the left
    through ``W_h``, and the new state leaves upwards (as an output) and to the right (to the
    next step).

    Parameters
    ----------
    ax : Axes
        Where to draw (its axis lines are hidden).
    n_steps : int
        How many steps to unroll, at least 1; past 5 the middle steps are elided with "...".

    Returns
    -------
    Axes
        The one cell of the folded network and the ``n_steps`` cells of the unrolled one are its
        ``FancyBboxPatch`` patches.
    """
    if not isinstance(n_steps, int | np.integer) or n_steps < 1:
        raise ValueError(f"plot_unrolled_rnn: n_steps must be an integer >= 1, got {n_steps!r}")
    shown = list(range(1, n_steps + 1)) if n_steps <= 5 else [1, 2, 3, None, n_steps]
    spacing, left = 2.3, 4.6
    right = left + spacing * len(shown) + 0.6
    _blank(ax, (-0.9, right), (-1.7, 2.6))

    # the folded cell: its state loops back into itself through W_h
    _box(ax, 0.6, 0.5, 1.2, 1.0, "tanh")
    _arrow(ax, (0.6, -1.1), (0.6, 0.0))
    ax.text(0.6, -1.35, "$x_t$", ha="center", va="top", fontsize=13)
    ax.text(0.72, -0.55, "$W_x$", ha="left", va="center", fontsize=11)
    _arrow(ax, (0.6, 1.0), (0.6, 2.0))
    ax.text(0.6, 2.1, "$h_t$", ha="center", va="bottom", fontsize=13)
    _arrow(ax, (1.2, 0.85), (1.2, 0.15), connection="arc3,rad=-1.5")
    ax.text(2.05, 0.5, "$W_h$", ha="left", va="center", fontsize=11)
    ax.text(3.0, 0.5, "=", ha="center", va="center", fontsize=22)

    # the unrolled chain: h_0, then one copy of the cell per step
    ax.text(left - 0.55, 0.5, "$h_0$", ha="right", va="center", fontsize=13)
    previous_right = left - 0.5
    for index, step in enumerate(shown):
        x = left + 0.9 + spacing * index
        if step is None:
            ax.text(x, 0.5, r"$\cdots$", ha="center", va="center", fontsize=18)
            _arrow(ax, (previous_right, 0.5), (x - 0.45, 0.5))
            previous_right = x + 0.45
            continue
        _arrow(ax, (previous_right, 0.5), (x - 0.6, 0.5))
        if index == 0 or shown[index - 1] is not None:
            ax.text((previous_right + x - 0.6) / 2, 0.62, "$W_h$", ha="center", va="bottom",
                    fontsize=10)
        _box(ax, x, 0.5, 1.2, 1.0, "tanh")
        _arrow(ax, (x, -1.1), (x, 0.0))
        ax.text(x, -1.35, f"$x_{{{step}}}$", ha="center", va="top", fontsize=13)
        ax.text(x + 0.1, -0.55, "$W_x$", ha="left", va="center", fontsize=10)
        _arrow(ax, (x, 1.0), (x, 1.9))
        ax.text(x, 2.0, f"$h_{{{step}}}$", ha="center", va="bottom", fontsize=12)
        previous_right = x + 0.6
    ax.text((left + right) / 2, -1.75, "the same $W_x$, $W_h$, $b$ at every step",
            ha="center", va="top", fontsize=11, color=COLORS[0])
    return ax


# --------------------------------------------------------------------------- gradients in time
def plot_gradient_norms(ax: Axes, norms: Mapping[str, Sequence[float]], **set_axes_kwargs) -> Axes:
    """Gradient norm against the distance in time, one curve per entry of ``norms`` (log scale).

    Parameters
    ----------
    norms : mapping of str to sequence of float
        ``{label: norms}``, ``norms[k]`` being the gradient's norm k steps before the last step
        (as :func:`helpers.reference.recurrent_networks.gradient_norms_through_time` returns).
        Zeros (an underflow) are left out of the log-scale curve.
    **set_axes_kwargs
        Passed to :func:`helpers.plotting.core.set_axes` (``title``, ``ylim``...).

    Returns
    -------
    Axes
    """
    if not norms:
        raise ValueError("plot_gradient_norms: norms is empty; give {label: norms}")
    for index, (label, values) in enumerate(norms.items()):
        values = np.asarray(values, dtype=float)
        if values.ndim != 1:
            raise ValueError(f"plot_gradient_norms: the norms of {label!r} must be 1-D, got "
                             f"shape {values.shape}")
        shown = np.where(values > 0, values, np.nan)
        ax.plot(np.arange(len(values)), shown, label=label, color=COLORS[index % len(COLORS)])
    set_axes_kwargs.setdefault("xlabel", "distance in time k (steps before the last)")
    set_axes_kwargs.setdefault("ylabel", "gradient norm")
    return set_axes(ax, yscale="log", legend=True, **set_axes_kwargs)


def plot_hidden_states(ax: Axes, H: np.ndarray, **set_axes_kwargs) -> Axes:
    """One sequence's hidden states as an image: a unit per row, a step per column, in [-1, 1].

    Parameters
    ----------
    H : ndarray, shape (T, h)
        The states of one sequence (``H[i]`` of an ``(n, T, h)`` array).

    Returns
    -------
    Axes
        The image is ``ax.images[0]`` (colour map ``RdBu_r``, limits -1 and 1).
    """
    H = np.asarray(H, dtype=float)
    if H.ndim != 2:
        raise ValueError(f"plot_hidden_states: H must be (T, h), one sequence; got shape "
                         f"{H.shape}")
    ax.imshow(H.T, aspect="auto", cmap="RdBu_r", vmin=-1.0, vmax=1.0, interpolation="nearest")
    ax.grid(False)
    set_axes_kwargs.setdefault("xlabel", "step")
    set_axes_kwargs.setdefault("ylabel", "unit")
    return set_axes(ax, **set_axes_kwargs)


# --------------------------------------------------------------------------- the cliff
def plot_cliff(ax: Axes, ws: np.ndarray, losses: np.ndarray,
               paths: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
               **set_axes_kwargs) -> Axes:
    """A one-parameter loss ``losses`` over ``ws``, and optimisation paths drawn on it.

    Parameters
    ----------
    ws, losses : ndarray, shape (m,)
    paths : mapping of str to (ws, losses), optional
        Each path's successive parameter values and their losses, drawn as linked markers in
        its own colour, the first path's largest (points outside the plotted range of ``ws`` are
        left out; say so in the label).

    Returns
    -------
    Axes
    """
    ws, losses = np.asarray(ws, dtype=float), np.asarray(losses, dtype=float)
    if ws.shape != losses.shape or ws.ndim != 1:
        raise ValueError(f"plot_cliff: ws and losses must be 1-D of the same length, got "
                         f"{ws.shape} and {losses.shape}")
    ax.plot(ws, losses, color=_INK, linewidth=1.5, label="loss")
    for index, (label, (path_ws, path_losses)) in enumerate((paths or {}).items()):
        path_ws, path_losses = np.asarray(path_ws, float), np.asarray(path_losses, float)
        inside = (path_ws >= ws.min()) & (path_ws <= ws.max())
        color = COLORS[(index + 1) % len(COLORS)]
        # later paths get smaller markers, so that paths that coincide stay visible
        ax.plot(path_ws[inside], path_losses[inside], marker="o", markersize=max(8 - 3 * index, 3),
                linewidth=1, color=color, alpha=0.85, label=label)
    set_axes_kwargs.setdefault("xlabel", "$w$")
    set_axes_kwargs.setdefault("ylabel", "loss")
    return set_axes(ax, xlim=(ws.min(), ws.max()), legend=True, **set_axes_kwargs)


# --------------------------------------------------------------------------- the LSTM cell
def plot_lstm_cell(ax: Axes) -> Axes:
    """An LSTM cell, drawn after colah's "Understanding LSTM Networks".

    The cell state :math:`c` runs along the top, changed only by a multiplication (the forget
    gate :math:`f_t`) and an addition (the input gate :math:`i_t` times the candidate
    :math:`\\tilde c_t`); the hidden state :math:`h_t` is :math:`o_t \\odot \\tanh(c_t)`. The
    four layers (three sigmoid gates and the tanh candidate) read :math:`[h_{t-1}, x_t]`.

    Returns
    -------
    Axes
        The four layers are the orange ``FancyBboxPatch`` patches (``σ``, ``σ``, ``tanh``,
        ``σ``), the pointwise operations the pink ``Circle`` patches.
    """
    _blank(ax, (-0.6, 11.4), (-0.9, 6.6))
    body = FancyBboxPatch((0.8, 0.35), 9.2, 5.1, boxstyle="round,pad=0.02,rounding_size=0.4",
                          facecolor="#f2f2f2", edgecolor="#999999", linewidth=1.2, zorder=0)
    ax.add_patch(body)
    top, bottom = 4.9, 0.9  # the cell-state line and the hidden-state line

    def node(x, y, text):
        ax.add_patch(Circle((x, y), 0.32, facecolor=_POINTWISE, edgecolor=_INK, linewidth=1.2,
                            zorder=3))
        ax.text(x, y, text, ha="center", va="center", fontsize=12, zorder=4)

    # the cell state: in from the left, through x and +, out to the right
    _arrow(ax, (-0.4, top), (2.08, top), width=2.2)
    _arrow(ax, (2.72, top), (4.58, top), width=2.2)
    _arrow(ax, (5.22, top), (11.1, top), width=2.2)
    ax.text(-0.4, top + 0.25, "$c_{t-1}$", ha="left", va="bottom", fontsize=13)
    ax.text(11.1, top + 0.25, "$c_t$", ha="right", va="bottom", fontsize=13)
    node(2.4, top, r"$\times$")
    node(4.9, top, "$+$")

    # [h_{t-1}, x_t] runs along the bottom and feeds the four layers
    ax.plot([-0.4, 7.0], [bottom, bottom], color=_INK, linewidth=1.4, zorder=1)
    ax.text(-0.4, bottom - 0.2, "$h_{t-1}$", ha="left", va="top", fontsize=13)
    ax.plot([1.3, 1.3], [-0.7, bottom], color=_INK, linewidth=1.4, zorder=1)
    ax.text(1.45, -0.7, "$x_t$", ha="left", va="bottom", fontsize=13)
    layers = [(2.4, r"$\sigma$", "$f_t$"), (3.75, r"$\sigma$", "$i_t$"),
              (4.9, "tanh", r"$\tilde c_t$"), (6.4, r"$\sigma$", "$o_t$")]
    for x, text, name in layers:
        ax.plot([x, x], [bottom, 1.9], color=_INK, linewidth=1.4, zorder=1)
        _box(ax, x, 2.25, 0.9 if text == "tanh" else 0.7, 0.6, text, color=_GATE, fontsize=12)
        ax.text(x - 0.5, 2.95, name, ha="right", va="center", fontsize=12, color=COLORS[5])
    # forget gate -> x on the cell state
    _arrow(ax, (2.4, 2.55), (2.4, top - 0.32))
    # input gate and candidate -> x -> +
    node(4.9, 3.7, r"$\times$")
    _arrow(ax, (3.75, 2.55), (4.58, 3.62), connection="angle,angleA=90,angleB=180,rad=0")
    _arrow(ax, (4.9, 2.55), (4.9, 3.38))
    _arrow(ax, (4.9, 4.02), (4.9, top - 0.32))
    # output: tanh of the cell state, times the output gate
    node(7.9, 3.7, "tanh")
    node(7.9, 2.25, r"$\times$")
    _arrow(ax, (7.9, top), (7.9, 4.02))
    _arrow(ax, (7.9, 3.38), (7.9, 2.57))
    _arrow(ax, (6.75, 2.25), (7.58, 2.25))
    # h_t leaves to the right (next step) and upwards (the output)
    ax.plot([7.9, 7.9, 9.2], [1.93, bottom, bottom], color=_INK, linewidth=1.4, zorder=1)
    _arrow(ax, (9.2, bottom), (11.1, bottom))
    ax.text(11.1, bottom - 0.2, "$h_t$", ha="right", va="top", fontsize=13)
    _arrow(ax, (9.2, bottom), (9.2, 6.3))
    ax.text(9.35, 6.3, "$h_t$", ha="left", va="top", fontsize=13)
    return ax


# --------------------------------------------------------------------------- binary addition
def plot_addition(ax: Axes, a_bits: np.ndarray, b_bits: np.ndarray, sum_bits: np.ndarray,
                  predicted_bits: np.ndarray | None = None, **set_axes_kwargs) -> Axes:
    """One binary addition, bit by bit, written as on paper (most significant bit on the left).

    Rows: a, b, their sum and, when given, the model's bits (wrong ones in orange), each followed
    by its value in decimal. The RNN reads
    the columns from right to left (least significant bit first), as the arrow says.

    Parameters
    ----------
    a_bits, b_bits, sum_bits, predicted_bits : ndarray, shape (T,)
        Bits least significant first (as :func:`helpers.reference.recurrent_networks.to_bits`
        gives them).

    Returns
    -------
    Axes
        One ``Rectangle`` patch per drawn bit.
    """
    rows = [("a", a_bits), ("b", b_bits), ("a + b", sum_bits)]
    if predicted_bits is not None:
        rows.append(("RNN", predicted_bits))
    rows = [(name, np.asarray(bits).astype(int)) for name, bits in rows]
    T = len(rows[0][1])
    if any(bits.shape != (T,) for _, bits in rows):
        raise ValueError(f"plot_addition: every row must be {T} bits, got shapes "
                         f"{[bits.shape for _, bits in rows]}")
    for row, (name, bits) in enumerate(rows):
        y = len(rows) - 1 - row
        ax.text(-0.7, y, name, ha="right", va="center", fontsize=12)
        value = int(bits @ (2 ** np.arange(T)))
        ax.text(T - 0.2, y, f"= {value}", ha="left", va="center", fontsize=12)
        for t in range(T):
            x = T - 1 - t  # most significant bit on the left
            wrong = name == "RNN" and bits[t] != rows[2][1][t]
            color = COLORS[1] if wrong else ("#e8e8e8" if row < 3 else _CELL)
            ax.add_patch(Rectangle((x - 0.45, y - 0.4), 0.9, 0.8, facecolor=color,
                                   edgecolor="white"))
            ax.text(x, y, str(bits[t]), ha="center", va="center", fontsize=12)
    ax.plot([-0.5, T - 0.5], [len(rows) - 2.5] * 2, color=_INK, linewidth=1.2)  # under b
    _arrow(ax, (T - 0.6, len(rows) - 0.3), (-0.4, len(rows) - 0.3), width=1.0)
    ax.text(T / 2 - 0.5, len(rows) - 0.15, "the RNN reads this way (least significant bit "
            "first)", ha="center", va="bottom", fontsize=10)
    ax.set_xlim(-2.6, T + 1.6)
    ax.set_ylim(-0.7, len(rows) + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    return set_axes(ax, **set_axes_kwargs)
