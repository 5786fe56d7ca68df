"""Reference implementations for notebook 04 (backpropagation and training an MLP).

Three parts: the matrix form of backpropagation for an MLP with a sigmoid output and the
cross-entropy (``sigmoid_derivative`` to ``train_mlp``); the ReLU activation and its derivative
(``relu``, ``relu_derivative``: notebooks 05 and 06 import them from here); and a scalar autograd
in the style of micrograd (``Value``, with ``local_derivatives``, ``topological_order`` and
``gradients``). Then the references of the notebook's challenges. Reused by later notebooks and by
the checks; tested against numerical gradients in ``tests/test_reference.py`` and
``tests/test_reference_backpropagation.py``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers.reference.linear_regression import add_bias
from helpers.reference.logistic_regression import sigmoid
from helpers.reference.neural_networks import init_weights, mlp_forward, tanh

Activation = Callable[[np.ndarray], np.ndarray]


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """Derivative of the sigmoid at ``z`` (the linear combination): ``s(z) (1 - s(z))``."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """Derivative of tanh at ``z``: ``1 - tanh(z) ** 2``."""
    return 1.0 - tanh(z) ** 2


def mlp_loss(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
             activation: Activation = sigmoid) -> float:
    """Mean binary cross-entropy of the network's output for labels ``y`` of shape (n,).

    Computed from the output layer's linear combination with ``np.logaddexp`` (as in notebook
    02), so it stays finite when the output saturates.
    """
    _, z_lins = mlp_forward(X, weights, activation)
    z = z_lins[-1][:, 0]
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def output_delta(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dL_i/dz_lin at a sigmoid output with cross-entropy: ``p - y``; ``p``, ``y`` (n, 1)."""
    return p - y


def hidden_delta(z_lin: np.ndarray, W_next: np.ndarray, delta_next: np.ndarray,
                 activation_derivative: Activation) -> np.ndarray:
    """Delta of a hidden layer from the next layer's.

    Parameters
    ----------
    z_lin : ndarray, shape (n, d)
        This layer's linear combinations.
    W_next : ndarray, shape (d + 1, d_next)
        The next layer's weights; its bias row (the last) is dropped, as no input feeds it.
    delta_next : ndarray, shape (n, d_next)

    Returns
    -------
    ndarray, shape (n, d)
    """
    return activation_derivative(z_lin) * (delta_next @ W_next[:-1].T)


def weight_gradient(layer_input: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """Mean gradient of a layer's weights: ``add_bias(layer_input).T @ delta / n``.

    ``layer_input`` (n, d_in), ``delta`` (n, d_out); returns (d_in + 1, d_out).
    """
    return add_bias(layer_input).T @ delta / layer_input.shape[0]


def backprop(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
             activation: Activation = sigmoid,
             activation_derivative: Activation = sigmoid_derivative) -> list[np.ndarray]:
    """Gradient of :func:`mlp_loss` with respect to every weight matrix.

    Returns
    -------
    list of ndarray
        Shaped like ``weights``.
    """
    zs, z_lins = mlp_forward(X, weights, activation)
    delta = output_delta(zs[-1], y.reshape(-1, 1))
    return _backward_sweep(zs, z_lins, weights, delta, activation_derivative)


def _backward_sweep(zs: Sequence[np.ndarray], z_lins: Sequence[np.ndarray],
                    weights: Sequence[np.ndarray], delta: np.ndarray,
                    activation_derivative: Activation) -> list[np.ndarray]:
    """From the output layer's delta, every layer's weight gradient (last layer first), moving the
    delta down one layer after each; returned in the order of ``weights``."""
    grads = [None] * len(weights)
    for layer in range(len(weights) - 1, -1, -1):
        grads[layer] = weight_gradient(zs[layer], delta)
        if layer > 0:
            delta = hidden_delta(z_lins[layer - 1], weights[layer], delta, activation_derivative)
    return grads


def train_mlp(X: np.ndarray, y: np.ndarray, hidden_sizes: Sequence[int], learning_rate: float,
              n_iter: int, rng: np.random.Generator, activation: Activation = sigmoid,
              activation_derivative: Activation = sigmoid_derivative,
              init_scale: float | None = None, weights: Sequence[np.ndarray] | None = None,
              callback: Callable[[int, list[np.ndarray], float], None] | None = None,
              ) -> tuple[list[np.ndarray], list[float]]:
    """Full-batch gradient descent on :func:`mlp_loss` from a random start.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
        Labels 0/1.
    hidden_sizes : sequence of int
        e.g. ``(8,)`` for a d-8-1 network.
    learning_rate : float
    n_iter : int
    rng : numpy.random.Generator
        For the initial weights (see :func:`~helpers.reference.neural_networks.init_weights`).
    activation, activation_derivative : callable
        Hidden units' activation and its derivative.
    init_scale : float, optional
        Uniform ``[-init_scale, init_scale]`` start (the talk's 0.5); default Xavier.
    weights : list of ndarray, optional
        Start from these instead (they are copied, not modified).
    callback : callable, optional
        ``callback(iteration, weights, loss)`` after each update, e.g. to draw progress.

    Returns
    -------
    weights : list of ndarray
    losses : list of float, length n_iter
        The loss before each update.
    """
    if weights is None:
        weights = init_weights([X.shape[1], *hidden_sizes, 1], rng, init_scale)
    weights = [np.array(W, dtype=float) for W in weights]
    losses = []
    for iteration in range(n_iter):
        losses.append(mlp_loss(X, y, weights, activation))
        grads = backprop(X, y, weights, activation, activation_derivative)
        weights = [W - learning_rate * G for W, G in zip(weights, grads, strict=True)]
        if callback is not None:
            callback(iteration, weights, losses[-1])
    return weights, losses


# --------------------------------------------------------------------------- notebook helpers
def flatten_weights(weights: Sequence[np.ndarray]) -> np.ndarray:
    """All weight matrices as one vector (row by row, layer after layer).

    Used to gradient-check a whole network with :func:`helpers.gradcheck.check_gradient`, which
    works on a single array.

    Parameters
    ----------
    weights : list of ndarray
        Shapes ``(d_l + 1, d_{l+1})``.

    Returns
    -------
    ndarray, shape (total number of weights,)
    """
    return np.concatenate([np.asarray(W, dtype=float).ravel() for W in weights])


def unflatten_weights(vector: np.ndarray, shapes: Sequence[tuple[int, ...]]) -> list[np.ndarray]:
    """Inverse of :func:`flatten_weights`: cut ``vector`` into matrices of the given shapes.

    Parameters
    ----------
    vector : ndarray, shape (sum of the shapes' sizes,)
    shapes : sequence of tuple
        e.g. ``[W.shape for W in weights]``.

    Returns
    -------
    list of ndarray
        Views into ``vector`` (so a numerical gradient that perturbs ``vector`` perturbs them).
    """
    sizes = [int(np.prod(shape)) for shape in shapes]
    if sum(sizes) != np.size(vector):
        raise ValueError(f"{np.size(vector)} numbers cannot fill matrices of shapes {list(shapes)}")
    ends = np.cumsum(sizes)
    return [vector[end - size:end].reshape(shape)
            for end, size, shape in zip(ends, sizes, shapes, strict=True)]


def mlp_predict_proba(X: np.ndarray, weights: Sequence[np.ndarray],
                      activation: Activation = sigmoid) -> np.ndarray:
    """The network's probability of class 1 for each row of ``X`` (n, d): shape (n,)."""
    zs, _ = mlp_forward(X, weights, activation)
    return zs[-1][:, 0]


def dead_units(X: np.ndarray, weights: Sequence[np.ndarray],
               activation: Activation = sigmoid) -> list[np.ndarray]:
    """Which hidden units are dead on ``X``: their linear combination is <= 0 for every sample.

    A dead ReLU unit outputs 0 on all the data and its derivative is 0 there too, so no gradient
    reaches its weights: gradient descent cannot bring it back.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    weights : list of ndarray
    activation : callable
        The hidden layers' activation (for the forward pass).

    Returns
    -------
    list of ndarray of bool
        One per hidden layer, shape (d_l,): True where the unit is dead.
    """
    _, z_lins = mlp_forward(X, weights, activation)
    return [np.all(z_lin <= 0.0, axis=0) for z_lin in z_lins[:-1]]


# --------------------------------------------------------------------------- ReLU
def relu(z: np.ndarray | float) -> np.ndarray | float:
    """The rectified linear unit ``max(z, 0)``, elementwise.

    Parameters
    ----------
    z : float or ndarray, any shape (integer arrays too)

    Returns
    -------
    float or ndarray of float64, same shape as ``z``
    """
    result = np.maximum(np.asarray(z, dtype=float), 0.0)
    return result if result.ndim else float(result)


def relu_derivative(z: np.ndarray | float) -> np.ndarray | float:
    """Derivative of :func:`relu` at ``z``: 1.0 where ``z > 0``, else 0.0 (0 at the kink z = 0,
    by convention).

    Returns
    -------
    float or ndarray of float64, same shape as ``z``
    """
    result = (np.asarray(z, dtype=float) > 0.0).astype(float)
    return result if result.ndim else float(result)


# --------------------------------------------------------------------------- a scalar autograd
OPERATIONS = ("+", "*", "**", "exp", "log", "tanh", "sigmoid")


def local_derivatives(op: str, x: float, y: float | None = None) -> tuple[float, ...]:
    """The derivatives of one operation's output with respect to each of its Value inputs.

    Parameters
    ----------
    op : {"+", "*", "**", "exp", "log", "tanh", "sigmoid"}
    x : float
        The (first) input's value.
    y : float, optional
        The second input's value for ``"+"`` and ``"*"``; the constant exponent ``c`` for
        ``"**"`` (``x ** c``, whose only Value input is ``x``).

    Returns
    -------
    tuple of float
        One derivative per Value input: ``(d/dx, d/dy)`` for ``"+"`` and ``"*"``, ``(d/dx,)``
        for the others.
    """
    if op == "+":
        return 1.0, 1.0
    if op == "*":
        return float(y), float(x)
    if op == "**":
        return float(y * x ** (y - 1)),
    if op == "exp":
        return math.exp(x),
    if op == "log":
        return 1.0 / x,
    if op == "tanh":
        return 1.0 - math.tanh(x) ** 2,
    if op == "sigmoid":
        s = sigmoid(x)
        return s * (1.0 - s),
    raise ValueError(f"local_derivatives: unknown operation {op!r}; the operations are "
                     f"{', '.join(OPERATIONS)}")


def topological_order(root: Value) -> list[Value]:
    """Every node of the graph that ends at ``root``, each once, each after all its parents.

    Parameters
    ----------
    root : Value

    Returns
    -------
    list of Value
        The leaves and intermediate nodes ``root`` was computed from, then ``root`` (last).
    """
    order: list[Value] = []
    visited: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:  # an explicit stack: no recursion limit on long graphs
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent in reversed(node.parents)
                         if id(parent) not in visited)
    return order


def gradients(root: Value) -> dict[Value, float]:
    """The derivative of ``root`` with respect to every node of its graph (reverse mode).

    Parameters
    ----------
    root : Value

    Returns
    -------
    dict
        ``{node: d root / d node}`` for every node of :func:`topological_order` ``(root)``;
        ``root`` itself maps to 1.0.
    """
    order = topological_order(root)
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads, strict=True):
            grads[parent] += local * grads[node]
    return grads


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _real(value: Any, where: str) -> float:
    """``value`` as a float when it is a real number (not a bool); else a TypeError naming it."""
    if _is_number(value):
        return float(value)
    raise TypeError(f"{where}: {_shown(value)} is a {type(value).__name__}, not a number; a "
                    f"Value holds one real number (int or float)")


def as_value(other: Any, op: str) -> Value:
    """``other`` as a Value, for the operand of ``op``: a Value as is, a number wrapped; anything
    else is a TypeError naming the operand."""
    if isinstance(other, Value):
        return other
    if _is_number(other):
        return Value(other)
    raise TypeError(f"Value {op}: the other operand, {_shown(other)}, is a "
                    f"{type(other).__name__}; a Value operation takes a Value or a number (int "
                    f"or float)")


class Value:
    """A number that remembers how it was computed, so that its gradient can be taken.

    Every operation on Values (``+``, ``*``, ``**`` by a constant, ``exp``, ``log``, ``tanh``,
    ``sigmoid``; ``-`` through ``+`` and ``*``) returns a new Value that records its ``parents``
    (the inputs) and its ``local_grads`` (the derivative of the output with respect to each
    input, from :func:`local_derivatives`). ``root.backward()`` fills ``.grad`` of every node of
    the graph with ``d root / d node``, from :func:`gradients`.

    Parameters
    ----------
    data : int or float
    parents : tuple of Value
    local_grads : tuple of float
        One per parent.
    op : str
        The operation that produced this Value ("" for a leaf).
    label : str
        A name, for printing and drawing.
    """

    __array_ufunc__ = None  # numpy defers to Value's own operators (and their TypeError)

    def __init__(self, data: float, parents: Sequence[Value] = (),
                 local_grads: Sequence[float] = (), op: str = "", label: str = ""):
        self.data = _real(data, "Value")
        self.grad = 0.0
        self.parents = tuple(parents)
        self.local_grads = tuple(float(g) for g in local_grads)
        if len(self.local_grads) != len(self.parents):
            raise ValueError(f"Value: {len(self.parents)} parents but {len(self.local_grads)} "
                             f"local derivatives (one per parent)")
        self.op, self.label = op, label

    def __repr__(self) -> str:
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    def _result(self, op: str, data: float, others: tuple[Value, ...] = (),
                constant: float | None = None) -> Value:
        values = [node.data for node in (self, *others)]
        local = local_derivatives(op, *values) if constant is None else local_derivatives(
            op, self.data, constant)
        return Value(data, (self, *others), local, op)

    def __add__(self, other: Any) -> Value:
        other = as_value(other, "+")
        return self._result("+", self.data + other.data, (other,))

    def __mul__(self, other: Any) -> Value:
        other = as_value(other, "*")
        return self._result("*", self.data * other.data, (other,))

    def __pow__(self, exponent: Any) -> Value:
        if isinstance(exponent, Value):
            raise TypeError("Value ** Value: the exponent must be a number (int or float); "
                            "this autograd differentiates x ** c for a constant c only")
        c = _real(exponent, "Value **")
        result = self.data ** c
        if isinstance(result, complex):
            raise ValueError(f"{self!r} ** {c:g} is not a real number")
        return self._result("**", result, constant=c)

    def exp(self) -> Value:
        return self._result("exp", math.exp(self.data))

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"log of {self!r}: log needs a positive number")
        return self._result("log", math.log(self.data))

    def tanh(self) -> Value:
        return self._result("tanh", math.tanh(self.data))

    def sigmoid(self) -> Value:
        return self._result("sigmoid", sigmoid(self.data))

    # the rest through the operations above: each records its own local derivatives
    def __radd__(self, other: Any) -> Value:
        return self + other

    def __rmul__(self, other: Any) -> Value:
        return self * other

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Any) -> Value:
        return self + -as_value(other, "-")

    def __rsub__(self, other: Any) -> Value:
        return as_value(other, "-") + -self

    def backward(self) -> None:
        """Set ``.grad`` of every node of this Value's graph to d self / d node."""
        for node, grad in gradients(self).items():
            node.grad = grad


# --------------------------------------------------------------------------- challenges
def softplus(z: np.ndarray | float) -> np.ndarray | float:
    """``log(1 + e^z)``, a smooth ReLU, computed without overflow; same shape as ``z``."""
    result = np.logaddexp(0.0, np.asarray(z, dtype=float))
    return result if result.ndim else float(result)


def softplus_derivative(z: np.ndarray | float) -> np.ndarray | float:
    """Derivative of :func:`softplus`: ``e^z / (1 + e^z)``, which is the sigmoid of ``z``."""
    return sigmoid(z)


def regression_loss(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
                    activation: Activation = tanh) -> float:
    """Mean squared error of a regression MLP: hidden layers with ``activation``, a LINEAR
    output ``y_hat = z_lins[-1][:, 0]`` (the output layer's linear combination); ``y`` (n,)."""
    _, z_lins = mlp_forward(X, weights, activation)
    return float(np.mean((z_lins[-1][:, 0] - y) ** 2))


def regression_backprop(X: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray],
                        activation: Activation = tanh,
                        activation_derivative: Activation = tanh_derivative) -> list[np.ndarray]:
    """Gradient of :func:`regression_loss` with respect to every weight matrix.

    Only the output delta differs from :func:`backprop`: ``2 (y_hat - y)`` for a linear output
    and the squared error.
    """
    zs, z_lins = mlp_forward(X, weights, activation)
    delta = 2.0 * (z_lins[-1] - y.reshape(-1, 1))
    return _backward_sweep(zs, z_lins, weights, delta, activation_derivative)


def divide(a: Value, b: Value) -> Value:
    """``a / b`` as a new Value whose parents are ``a`` and ``b``, with local derivatives
    ``1 / b`` and ``-a / b**2``."""
    return Value(a.data / b.data, (a, b), (1.0 / b.data, -a.data / b.data ** 2), "/")
