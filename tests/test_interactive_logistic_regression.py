"""Tests of helpers.interactive.logistic_regression: the SGD explorer and the batch-size runs."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import interactive  # noqa: E402
from helpers.interactive import logistic_regression as explore  # noqa: E402
from helpers.reference import logistic_regression as ref  # noqa: E402


@pytest.fixture(autouse=True)
def no_warnings_and_close():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


@pytest.fixture
def ring():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(120, 2))
    y = (np.hypot(X[:, 0], X[:, 1]) < 1.2).astype(float)
    return X, y


def test_exported_through_the_package():
    for name in explore.__all__:
        assert getattr(interactive, name) is getattr(explore, name)


def test_train_and_draw_matches_the_reference_sgd(ring):
    X, y = ring
    fig, accuracy, losses = explore.train_and_draw(X, y, ref.quadratic_features, batch_size=16,
                                                   learning_rate=0.5, n_epochs=5, seed=3)
    F = ref.quadratic_features(X)
    w, expected = ref.sgd(F, y, np.zeros(6), 0.5, 16, 5, np.random.default_rng(3))
    np.testing.assert_allclose(losses, expected)
    assert accuracy == ref.accuracy(y, ref.predict_proba(F, w))
    boundary, loss_axes = fig.axes
    assert boundary.get_title().startswith("batch 16, rate 0.5: ")
    assert len(loss_axes.get_lines()) == 1


def test_train_and_draw_uses_the_given_trainer(ring):
    X, y = ring
    calls = []

    def my_sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng):
        calls.append((batch_size, n_epochs))
        return ref.sgd(X, y, w0, learning_rate, batch_size, n_epochs, rng)

    explore.train_and_draw(X, y, ref.quadratic_features, 4, 0.1, 2, train=my_sgd)
    assert calls == [(4, 2)]


def test_sgd_explorer_redraws_when_a_slider_moves(ring, monkeypatch):
    X, y = ring
    runs = []
    real = explore.train_and_draw

    def spy(*args, **kwargs):
        runs.append(args[3:5])
        return real(*args, **kwargs)

    monkeypatch.setattr(explore, "train_and_draw", spy)
    monkeypatch.setattr(plt, "show", lambda: None)
    widget = explore.sgd_explorer(X, y, ref.quadratic_features, n_epochs=2)
    assert isinstance(widget, widgets.interactive)
    batch, rate = widget.children[:2]
    assert list(batch.options) == list(explore.BATCH_SIZES) and batch.value == 32
    assert not batch.continuous_update and not rate.continuous_update
    widget.update()  # what the first display does
    batch.value = 4
    rate.value = 0.1
    assert runs[0] == (32, 0.5) and runs[-1][0] == 4 and runs[-1][1] == pytest.approx(0.1)


def test_bad_data_is_named():
    with pytest.raises(ValueError, match=r"X must be 2-D points of shape \(n, 2\)"):
        explore.sgd_explorer(np.zeros((5, 3)), np.zeros(5), ref.quadratic_features)
    with pytest.raises(ValueError, match=r"y must have shape \(5,\)"):
        explore.train_and_draw(np.zeros((5, 2)), np.zeros(4), ref.quadratic_features)


def test_compare_batch_sizes_runs_one_epoch_at_a_time(ring, capsys):
    X, y = ring
    F = ref.quadratic_features(X)
    runs = explore.compare_batch_sizes(ref.sgd, F, y, {"full": 120, "mini": 32, "one": 1},
                                       learning_rate=0.5, n_epochs=3)
    assert list(runs) == ["full", "mini", "one"]
    assert [runs[k]["steps"] for k in runs] == [3, 12, 360]
    w, losses = ref.sgd(F, y, np.zeros(6), 0.5, 32, 3, np.random.default_rng(0))
    np.testing.assert_allclose(runs["mini"]["losses"], losses)
    np.testing.assert_allclose(runs["mini"]["w"], w)
    assert runs["one"]["evaluations"] == [120, 240, 360]
    assert np.all(np.diff(runs["one"]["seconds"]) >= 0)
    assert "comparing batch sizes" in capsys.readouterr().out  # the text progress bar


def test_compare_batch_sizes_names_bad_settings(ring):
    X, y = ring
    with pytest.raises(ValueError, match=r"batch size 0 \('none'\) is not between 1 and n"):
        explore.compare_batch_sizes(ref.sgd, X, y, {"none": 0}, 0.1, 2)
    with pytest.raises(ValueError, match="n_epochs must be at least 1"):
        explore.compare_batch_sizes(ref.sgd, X, y, {"one": 1}, 0.1, 0)
