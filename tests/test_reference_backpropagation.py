"""The references added for notebook 04 are right: ReLU, the scalar autograd (``Value``,
``local_derivatives``, ``topological_order``, ``gradients``) and the challenges, against numerical
derivatives and against the matrix form of backpropagation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.gradcheck import numerical_gradient
from helpers.reference import backpropagation as bp
from helpers.reference.backpropagation import Value
from helpers.reference.logistic_regression import sigmoid
from helpers.reference.neural_networks import init_weights, mlp_forward, tanh


def _numerical(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


# --------------------------------------------------------------------------- ReLU
def test_relu_and_its_derivative():
    z = np.array([[-2, 0], [3, -1]])
    assert bp.relu(z).dtype == np.float64
    np.testing.assert_array_equal(bp.relu(z), [[0.0, 0.0], [3.0, 0.0]])
    np.testing.assert_array_equal(bp.relu_derivative(z), [[0.0, 0.0], [1.0, 0.0]])
    assert bp.relu(-1.5) == 0.0 and isinstance(bp.relu(2), float) and bp.relu(2) == 2.0
    assert bp.relu_derivative(0.0) == 0.0 and isinstance(bp.relu_derivative(0.5), float)
    away = np.array([-2.0, -0.3, 0.4, 1.7])  # no point within h of the kink
    np.testing.assert_allclose(bp.relu_derivative(away),
                               [_numerical(bp.relu, v) for v in away], atol=1e-9)
    # at the kink the central difference is 1/2, between the two one-sided slopes
    assert _numerical(bp.relu, 0.0) == pytest.approx(0.5)


def test_backprop_with_relu_matches_numerical_gradients():
    rng = np.random.default_rng(3)
    weights = init_weights([2, 5, 3, 1], rng, scale=1.0)
    X = rng.normal(size=(6, 2))
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
    _, z_lins = mlp_forward(X, weights, bp.relu)
    assert min(np.abs(z).min() for z in z_lins[:-1]) > 1e-3  # away from the kinks
    grads = bp.backprop(X, y, weights, bp.relu, bp.relu_derivative)
    for index, W in enumerate(weights):
        def loss(V, index=index):
            trial = list(weights)
            trial[index] = V
            return bp.mlp_loss(X, y, trial, bp.relu)

        np.testing.assert_allclose(grads[index], numerical_gradient(loss, W.copy()),
                                   rtol=1e-6, atol=1e-9)


def test_dead_units():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    W1 = np.array([[1.0, -1.0, 0.5], [1.0, -1.0, -3.0], [0.0, -0.1, 0.0]])
    W2 = np.ones((4, 1))
    dead = bp.dead_units(X, [W1, W2], bp.relu)
    assert len(dead) == 1
    np.testing.assert_array_equal(dead[0], [False, True, False])  # unit 3 is on for sample 0


# --------------------------------------------------------------------------- local derivatives
@pytest.mark.parametrize(("op", "f", "x", "y"), [
    ("exp", math.exp, 0.7, None),
    ("log", math.log, 2.5, None),
    ("tanh", math.tanh, -0.4, None),
    ("sigmoid", sigmoid, 1.3, None),
    ("**", lambda v: v ** 3, 1.5, 3),
    ("**", lambda v: v ** -0.5, 2.0, -0.5),
])
def test_local_derivatives_of_one_input(op, f, x, y):
    (local,) = bp.local_derivatives(op, x, y)
    assert local == pytest.approx(_numerical(f, x), rel=1e-7)


def test_local_derivatives_of_two_inputs():
    assert bp.local_derivatives("+", 2.0, -3.0) == (1.0, 1.0)
    assert bp.local_derivatives("*", 2.0, -3.0) == (-3.0, 2.0)
    assert bp.local_derivatives("sigmoid", -800.0)[0] == 0.0  # no overflow
    with pytest.raises(ValueError, match="unknown operation 'relu'"):
        bp.local_derivatives("relu", 1.0)


# --------------------------------------------------------------------------- Value
def _expression(a: Value, b: Value, c: Value) -> Value:
    """Every operation, and a reused node (a appears four times, t twice)."""
    t = (a * b + c).tanh()
    u = (a ** 2).exp() * t
    v = (a.sigmoid() + 1.5).log() - t * 2
    return u + v - a


def _floats(a: float, b: float, c: float) -> float:
    t = math.tanh(a * b + c)
    return math.exp(a ** 2) * t + math.log(sigmoid(a) + 1.5) - 2 * t - a


def test_value_forward_and_backward_match_plain_floats_and_numerical_gradients():
    point = [0.3, -1.2, 0.5]
    a, b, c = (Value(v, label=name) for v, name in zip(point, "abc", strict=True))
    out = _expression(a, b, c)
    assert out.data == pytest.approx(_floats(*point), rel=1e-12)
    out.backward()
    numeric = numerical_gradient(lambda p: _floats(*p), np.array(point))
    np.testing.assert_allclose([a.grad, b.grad, c.grad], numeric, rtol=1e-7)
    assert out.grad == 1.0


def test_topological_order_and_gradients():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    ab = a * b
    out = ab + a  # a reaches out along two paths
    order = bp.topological_order(out)
    assert order[-1] is out and len(order) == 4 and len({id(n) for n in order}) == 4
    for position, node in enumerate(order):
        assert all(order.index(parent) < position for parent in node.parents)
    grads = bp.gradients(out)
    assert grads[a] == b.data + 1 and grads[b] == a.data and grads[ab] == 1.0 and grads[out] == 1
    square = a * a
    assert bp.gradients(square)[a] == 2 * a.data
    assert bp.topological_order(a) == [a] and bp.gradients(a) == {a: 1.0}


def test_a_long_graph_needs_no_recursion():
    x = Value(0.5)
    node = x
    for _ in range(5000):
        node = node * 1.0001
    assert len(bp.topological_order(node)) == 10_001  # x, then each product and its constant
    assert bp.gradients(node)[x] == pytest.approx(1.0001 ** 5000)


def test_value_arithmetic_with_numbers():
    x = Value(3.0)
    assert (1 - x).data == -2.0 and (2 * x).data == 6.0 and (x - 1).data == 2.0
    assert (-x).data == -3.0 and (x + 0.5).data == 3.5 and (0.5 + x).data == 3.5
    assert (x ** 2).data == 9.0 and Value(np.float64(1.5)).data == 1.5
    assert Value(2).data == 2.0 and isinstance(Value(2).data, float)
    assert repr(Value(1.5, label="w")) == "Value(w: data=1.5, grad=0)"


@pytest.mark.parametrize(("operation", "named"), [
    (lambda x: x + "2", "'2', is a str"),
    (lambda x: "2" * x, "'2', is a str"),
    (lambda x: x * [1.0], "[1.0], is a list"),
    (lambda x: x - None, "None, is a NoneType"),
    (lambda x: np.array([1.0, 2.0]) * x, "array([1., 2.]), is a ndarray"),
    (lambda x: x + True, "True, is a bool"),
    (lambda x: 1 - (x * {"a": 1}), "{'a': 1}, is a dict"),
])
def test_value_operations_name_a_wrong_operand(operation, named):
    with pytest.raises(TypeError, match="a Value operation takes a Value or a number") as error:
        operation(Value(2.0))
    assert named in str(error.value)


def test_value_rejects_other_inputs_clearly():
    with pytest.raises(TypeError, match=r"Value: '3' is a str, not a number"):
        Value("3")
    with pytest.raises(TypeError, match="the exponent must be a number"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError, match=r"Value \*\*: '2' is a str"):
        Value(2.0) ** "2"
    with pytest.raises(ValueError, match="log needs a positive number"):
        Value(-1.0).log()
    with pytest.raises(ValueError, match="is not a real number"):
        Value(-2.0) ** 0.5
    with pytest.raises(ValueError, match="2 parents but 1 local derivatives"):
        Value(1.0, (Value(1.0), Value(2.0)), (1.0,))


def test_value_network_gradients_equal_backprop():
    """The talk's 2-2-1 network rebuilt from Values: the same gradients as the matrix form."""
    rng = np.random.default_rng(0)
    weights = init_weights([2, 2, 1], rng, scale=0.5)
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, -1.0]])
    y = np.array([0.0, 1.0, 1.0])
    W = [[[Value(w) for w in row] for row in matrix] for matrix in weights]
    total = Value(0.0)
    for x_i, y_i in zip(X, y, strict=True):
        z = list(x_i)
        for matrix in W:
            z = [sum((z[j] * matrix[j][k] for j in range(len(z))), matrix[-1][k]).sigmoid()
                 for k in range(len(matrix[0]))]
        p = z[0]
        total = total - (y_i * p.log() + (1 - y_i) * (1 - p).log())
    loss = total * (1 / len(y))
    loss.backward()
    assert loss.data == pytest.approx(bp.mlp_loss(X, y, weights), rel=1e-12)
    for matrix, G in zip(W, bp.backprop(X, y, weights), strict=True):
        np.testing.assert_allclose([[w.grad for w in row] for row in matrix], G, atol=1e-12)


# --------------------------------------------------------------------------- challenges
def test_softplus_and_its_derivative():
    z = np.array([-800.0, -3.0, 0.0, 2.0, 800.0])
    np.testing.assert_allclose(bp.softplus(z)[1:4], np.log1p(np.exp(z[1:4])))
    assert bp.softplus(800.0) == 800.0 and bp.softplus(-800.0) == 0.0
    inner = np.array([-3.0, 0.5, 2.0])
    np.testing.assert_allclose(bp.softplus_derivative(inner),
                               [_numerical(bp.softplus, v) for v in inner], rtol=1e-7)


def test_regression_backprop_matches_numerical_gradients():
    rng = np.random.default_rng(5)
    weights = init_weights([1, 4, 1], rng, scale=1.0)
    X = rng.normal(size=(7, 1))
    y = np.sin(2 * X[:, 0])
    grads = bp.regression_backprop(X, y, weights)
    z_out = mlp_forward(X, weights, tanh)[1][-1][:, 0]
    assert bp.regression_loss(X, y, weights) == pytest.approx(np.mean((z_out - y) ** 2))
    for index, W in enumerate(weights):
        def loss(V, index=index):
            trial = list(weights)
            trial[index] = V
            return bp.regression_loss(X, y, trial)

        np.testing.assert_allclose(grads[index], numerical_gradient(loss, W.copy()),
                                   rtol=1e-6, atol=1e-9)


def test_divide():
    a, b = Value(3.0), Value(4.0)
    q = bp.divide(a, b)
    assert q.data == 0.75 and q.parents == (a, b) and q.op == "/"
    q.backward()
    assert a.grad == pytest.approx(_numerical(lambda v: v / 4.0, 3.0))
    assert b.grad == pytest.approx(_numerical(lambda v: 3.0 / v, 4.0))
