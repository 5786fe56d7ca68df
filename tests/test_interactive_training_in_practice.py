"""Notebook 05's interactive helpers: the lambda slider and the guarded project training."""

from __future__ import annotations

import time

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import interactive  # noqa: E402
from helpers.interactive import training_in_practice as tip  # noqa: E402
from helpers.reference import training_in_practice as ref  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _data(seed=0, n=30):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    y = np.arange(n) % 3
    return centres[y] + rng.normal(size=(n, 2)), y


SETTINGS = {"hidden_sizes": (5,), "learning_rate": 0.2, "batch_size": 10, "n_epochs": 6,
            "lam": 1e-3, "patience": 2}


def _train(train, time_limit=tip.TIME_LIMIT):
    X, y = _data(0)
    X_val, y_val = _data(1, 15)
    return tip.train_with_live_curves(train, X, y, X_val, y_val, rng=np.random.default_rng(3),
                                      time_limit=time_limit, **SETTINGS)


def _reference_run():
    X, y = _data(0)
    X_val, y_val = _data(1, 15)
    return ref.train_classifier(X, y, X_val, y_val, SETTINGS["hidden_sizes"],
                                SETTINGS["learning_rate"], SETTINGS["batch_size"],
                                SETTINGS["n_epochs"], np.random.default_rng(3),
                                lam=SETTINGS["lam"], patience=SETTINGS["patience"])


def test_public_names_are_reexported():
    for name in tip.__all__:
        assert getattr(interactive, name) is getattr(tip, name)


def test_a_working_train_classifier_is_used_and_its_callback_fed(capsys):
    epochs = []

    def theirs(*args, callback=None, **kwargs):
        def spy(epoch, weights, history):
            epochs.append(epoch)
            callback(epoch, weights, history)
        return ref.train_classifier(*args, callback=spy, **kwargs)

    weights, history = _train(theirs)
    expected_weights, expected_history = _reference_run()
    for W, E in zip(weights, expected_weights, strict=True):
        np.testing.assert_array_equal(W, E)
    assert history == expected_history
    assert epochs == list(range(len(history["val_loss"])))
    out = capsys.readouterr().out
    assert "❌" not in out
    best = int(np.argmin(history["val_loss"]))
    assert f"trained {len(history['val_loss'])} epochs in" in out
    assert f"kept epoch {best + 1} (validation accuracy" in out


def test_a_function_without_callback_is_called_without_one(capsys):
    def no_callback(X_train, y_train, X_val, y_val, hidden_sizes, learning_rate, batch_size,
                    n_epochs, rng, lam=0.0, patience=None):
        return ref.train_classifier(X_train, y_train, X_val, y_val, hidden_sizes, learning_rate,
                                    batch_size, n_epochs, rng, lam, patience)

    weights, _ = _train(no_callback)
    np.testing.assert_array_equal(weights[0], _reference_run()[0][0])
    assert "❌" not in capsys.readouterr().out


def _stub(*args, **kwargs):
    raise NotImplementedError("Replace this line with your code.")


def _wrong_structure(*args, **kwargs):
    return {"weights": []}


def _nan_weights(*args, **kwargs):
    weights, history = ref.train_classifier(*args, **kwargs)
    return [W * np.nan for W in weights], history


def _too_many_epochs(*args, **kwargs):
    weights, history = ref.train_classifier(*args, **kwargs)
    return weights, {key: values * 10 for key, values in history.items()}


def _raises(*args, **kwargs):
    return [][1]


@pytest.mark.parametrize(("theirs", "phrase"), [
    (_stub, "is not implemented yet"),
    (_wrong_structure, "should return a tuple (weights, history)"),
    (_nan_weights, "contains NaN or inf"),
    (_too_many_epochs, "one entry per epoch"),
    (_raises, "IndexError"),
])
def test_an_unusable_result_is_reported_and_the_reference_trains(theirs, phrase, capsys):
    weights, history = _train(theirs)
    out = capsys.readouterr().out
    assert "❌ your train_classifier" in out and phrase in out
    assert "reference train_classifier trains the network instead" in out
    expected_weights, expected_history = _reference_run()  # from the same generator state
    for W, E in zip(weights, expected_weights, strict=True):
        np.testing.assert_array_equal(W, E)
    assert history == expected_history


def test_an_endless_train_classifier_is_stopped(capsys):
    def endless(*args, **kwargs):
        while True:
            pass

    start = time.perf_counter()
    weights, _ = _train(endless, time_limit=0.5)
    assert time.perf_counter() - start < 10
    out = capsys.readouterr().out
    assert "did not finish within 0.5 s" in out
    np.testing.assert_array_equal(weights[0], _reference_run()[0][0])


def test_prints_of_the_attendee_are_shown(capsys):
    def chatty(*args, **kwargs):
        print("epoch done")
        return ref.train_classifier(*args, **kwargs)

    _train(chatty)
    assert "epoch done" in capsys.readouterr().out


def test_lambda_explorer_trains_and_draws_for_each_value():
    X, y = _data(2, 20)
    y = y % 2
    explorer = interactive.lambda_explorer(X, y, X, y, hidden_sizes=(4,), n_epochs=5)
    assert isinstance(explorer, widgets.interactive)
    slider = explorer.children[0]
    assert isinstance(slider, widgets.FloatSlider) and slider.value == -1.5
    assert (slider.min, slider.max) == (-4.0, 0.0)
    explorer.f(log10_lambda=-1.0)
    title = plt.figure(plt.get_fignums()[-1]).axes[0].get_title()  # Agg keeps it open
    assert title.startswith("λ = 0.1: training error ")


def _notebook_namespace() -> dict:
    """The functions the solution notebook defines (its exercise and helper cells, run as
    written), in one namespace, as an attendee's kernel has them."""
    import json
    from pathlib import Path

    from helpers.reference.backpropagation import hidden_delta, weight_gradient
    from helpers.reference.linear_regression import add_bias
    from helpers.reference.logistic_regression import minibatches
    from helpers.reference.neural_networks import mlp_forward

    path = Path(__file__).resolve().parent.parent / "solutions" / "05_training_in_practice.ipynb"
    namespace = {"np": np, "add_bias": add_bias, "minibatches": minibatches,
                 "mlp_forward": mlp_forward, "hidden_delta": hidden_delta,
                 "weight_gradient": weight_gradient}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and source.startswith("def "):
            exec(compile(source, str(path), "exec"), namespace)
    return namespace


def test_the_project_runs_on_the_attendees_functions_and_catches_up_the_missing_one(capsys):
    from helpers.catchup import bind_or_keep
    from helpers.data import load_digits_split

    namespace = _notebook_namespace()

    def softmax(Z):  # an attendee who has not written softmax yet
        raise NotImplementedError("Replace this line with your code.")

    namespace["softmax"] = softmax
    chosen = bind_or_keep(namespace, "he_init", "l2_penalty_gradient", "softmax", "one_hot",
                      "softmax_cross_entropy", "softmax_cross_entropy_gradient",
                      "softmax_mlp_backprop", "train_classifier")
    out = capsys.readouterr().out
    assert chosen["softmax"] == "reference" and "softmax: yours is not implemented yet" in out
    assert all(chosen[name] == "yours" for name in chosen if name != "softmax"), chosen
    train = namespace["train_classifier"]
    # the attendee's functions find each other (and the reference softmax) in the namespace
    assert train.__globals__ is namespace
    assert namespace["softmax_mlp_backprop"].__globals__["softmax"] is ref.softmax
    X_train, y_train, X_val, y_val, _, _ = load_digits_split()
    weights, history = tip.train_with_live_curves(
        train, X_train[:200], y_train[:200], X_val[:100], y_val[:100], hidden_sizes=(16,),
        learning_rate=0.3, batch_size=32, n_epochs=3, rng=np.random.default_rng(0))
    out = capsys.readouterr().out
    assert "❌" not in out and "trained 3 epochs in" in out
    expected_weights, expected_history = ref.train_classifier(
        X_train[:200], y_train[:200], X_val[:100], y_val[:100], (16,), 0.3, 32, 3,
        np.random.default_rng(0))
    for W, E in zip(weights, expected_weights, strict=True):
        np.testing.assert_allclose(W, E, rtol=1e-12)
    assert len(history["val_loss"]) == 3
