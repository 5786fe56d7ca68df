"""Tests for helpers/data.py and the files in data/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.data as data
from helpers.data import (
    DATA_DIR,
    DataError,
    load_blobs,
    load_breast_cancer,
    load_csv,
    load_digits,
    load_night_out,
    load_ring,
    load_supermarket,
    make_noisy_cubic,
    make_xor,
)

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC = ["night_out.csv", "supermarket.csv", "ring.csv", "blobs.csv"]


# --------------------------------------------------------------------------- helpers
def _perceptron_separates(X: np.ndarray, y: np.ndarray, max_epochs: int = 1000) -> bool:
    """True when Rosenblatt's perceptron finds a line with no error (labels 0/1)."""
    Xb = np.column_stack([X, np.ones(len(X))])
    signs = np.where(y == 1, 1.0, -1.0)
    w = np.zeros(Xb.shape[1])
    for _ in range(max_epochs):
        errors = 0
        for x_i, s_i in zip(Xb, signs, strict=True):
            if s_i * (x_i @ w) <= 0:
                w += s_i * x_i
                errors += 1
        if errors == 0:
            return True
    return False


def _inside_triangle(p: np.ndarray, corners: np.ndarray) -> bool:
    """True when ``p (2,)`` is strictly inside the triangle ``corners (3, 2)``."""
    a, b, c = corners
    l1, l2 = np.linalg.solve(np.column_stack([a - c, b - c]), p - c)
    return l1 > 0 and l2 > 0 and 1 - l1 - l2 > 0


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the data sets
def test_data_dir_is_the_repository_data_folder():
    assert DATA_DIR == REPO / "data"
    assert (DATA_DIR / "make_datasets.py").is_file()


# The talk's tables, as its slides print them (count, euros): the files must hold them verbatim.
TALK_NIGHT_OUT = ["4,20.40", "6,13.50", "3,24.13", "6,14.12", "8,13.12"]
TALK_SUPERMARKET = ["2,10.10", "1,6.50", "6,24.13", "6,14.12", "5,45.02"]


@pytest.mark.parametrize(
    ("loader", "x_values"),
    [(load_night_out, range(2, 11)), (load_supermarket, range(1, 15))],
)
def test_money_loaders(loader, x_values):
    x, euros = loader()
    assert x.shape == euros.shape == (40,)
    assert x.dtype == euros.dtype == np.float64
    assert np.all(x == np.round(x)) and set(x) == set(x_values)
    assert np.all(euros > 0)


@pytest.mark.parametrize(
    ("name", "header", "talk"),
    [("night_out.csv", "people,euros_per_person", TALK_NIGHT_OUT),
     ("supermarket.csv", "days,euros", TALK_SUPERMARKET)],
)
def test_the_talks_rows_come_first_verbatim(name, header, talk):
    lines = (DATA_DIR / name).read_text().split("\n")
    assert lines[0] == header
    assert lines[1:6] == talk  # every row the talk shows, in the talk's order, as printed
    assert lines[6:].count("") == 1 and lines[-1] == ""  # 35 drawn rows, then the final newline
    assert len(lines) == 1 + 40 + 1


def test_the_loaders_return_the_talks_rows_first():
    people, per_person = load_night_out()
    assert list(zip(people[:5], per_person[:5], strict=True)) == [
        (4.0, 20.40), (6.0, 13.50), (3.0, 24.13), (6.0, 14.12), (8.0, 13.12)]
    days, euros = load_supermarket()
    assert list(zip(days[:5], euros[:5], strict=True)) == [
        (2.0, 10.10), (1.0, 6.50), (6.0, 24.13), (6.0, 14.12), (5.0, 45.02)]


def test_night_out_falls_and_flattens_like_the_talks_table():
    people, per_person = load_night_out()
    means = np.array([per_person[people == k].mean() for k in range(2, 11)])
    assert np.all(np.diff(means[:5]) < 0)  # falls from 2 to 6 people
    drops = -np.diff(means)
    assert drops[:3].mean() > 3 * max(drops[-3:].mean(), 0.1)  # and flattens
    line = np.polyfit(people, per_person, 1)
    quadratic = np.polyfit(people, per_person, 2)
    mse = [np.mean((np.polyval(c, people) - per_person) ** 2) for c in (line, quadratic)]
    assert line[0] < 0 and quadratic[0] > 0  # a falling line, a curve that bends up
    assert mse[1] < 0.5 * mse[0]  # the curve is worth polynomial features


def test_supermarket_rises_and_its_only_outlier_is_the_talks_45_02():
    days, euros = load_supermarket()
    keep = np.arange(40) != 4
    slope, intercept = np.polyfit(days[keep], euros[keep], 1)
    assert 2.5 < slope < 3.5 and np.corrcoef(days[keep], euros[keep])[0, 1] > 0.9
    # residuals in units of the noise's standard deviation, 1 + 0.5 * days (data/README.md)
    z = (euros - (intercept + slope * days)) / (1 + 0.5 * days)
    assert z[4] > 5 and np.all(np.abs(z[keep]) < 3.5)
    # one point of 40 moves the least-squares line: without it the intercept drops by > 1 euro
    with_it = np.polyfit(days, euros, 1)
    assert with_it[1] - intercept > 1.0


def test_ring_shapes_and_balance():
    X, y = load_ring()
    assert X.shape == (400, 2) and y.shape == (400,)
    assert X.dtype == y.dtype == np.float64
    assert set(np.unique(y)) == {0.0, 1.0}
    assert np.sum(y == 1) == np.sum(y == 0) == 200
    # Shuffled: not all of one class first.
    assert 0 < np.sum(y[:200]) < 200


def test_ring_is_separable_by_a_circle_but_not_by_a_line():
    X, y = load_ring()
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius[y == 1].max() < 1.2 and radius[y == 0].min() > 1.3
    assert radius[y == 1].max() < radius[y == 0].min()
    # The disc's mean lies inside a triangle of ring points, so the convex hulls of the two
    # classes meet: no line can separate them.
    ring = X[y == 0]
    angle = np.arctan2(ring[:, 1], ring[:, 0])
    corners = np.array(
        [
            ring[np.argmin(np.abs(np.angle(np.exp(1j * (angle - target)))))]
            for target in (0.0, 2 * np.pi / 3, 4 * np.pi / 3)
        ]
    )
    assert _inside_triangle(X[y == 1].mean(axis=0), corners)
    assert not _perceptron_separates(X, y, max_epochs=20)


def test_blobs_are_balanced_and_linearly_separable():
    X, y = load_blobs()
    assert X.shape == (200, 2) and y.shape == (200,)
    assert X.dtype == y.dtype == np.float64
    assert np.sum(y == 1) == np.sum(y == 0) == 100
    assert 0 < np.sum(y[:100]) < 100  # shuffled
    assert _perceptron_separates(X, y)
    # The margin the generator promises: both classes at least 0.25 from the midpoint line.
    c0, c1 = X[y == 0].mean(axis=0), X[y == 1].mean(axis=0)
    u = (c1 - c0) / np.linalg.norm(c1 - c0)
    d = (X - (c0 + c1) / 2) @ u
    assert d[y == 0].max() < -0.2 and d[y == 1].min() > 0.2


def test_breast_cancer():
    X, y, names = load_breast_cancer()
    assert X.shape == (569, 30) and y.shape == (569,)
    assert X.dtype == y.dtype == np.float64
    assert len(names) == 30 and names[0] == "mean radius"
    assert names[10] == "radius error" and names[-1] == "worst fractal dimension"
    assert int(y.sum()) == 212 and int((y == 0).sum()) == 357  # 1 = malignant
    # First row of the original data: a malignant tumour with mean radius 17.99.
    assert X[0, 0] == 17.99 and X[0, 3] == 1001.0 and y[0] == 1.0
    assert np.all(X >= 0)
    header = (DATA_DIR / "breast_cancer.csv").read_text().split("\n", 1)[0]
    assert header.split(",") == names + ["malignant"]


def test_digits():
    X, y = load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and np.all(X == np.round(X))
    counts = np.bincount(y, minlength=10)
    assert len(counts) == 10 and counts.sum() == 1797 and counts.min() > 170
    assert y[0] == 0 and X[0].reshape(8, 8)[0, 2] == 5  # first image is a zero


@pytest.mark.parametrize(
    "loader",
    [load_night_out, load_supermarket, load_ring, load_blobs, load_breast_cancer, load_digits],
)
def test_loaders_return_fresh_arrays(loader):
    first = loader()
    for array in first:
        if isinstance(array, np.ndarray):
            array[...] = -1
        else:
            array.clear()
    second = loader()
    assert all(np.all(np.asarray(a) != -1) for a in second if isinstance(a, np.ndarray))
    assert all(len(a) > 0 for a in second)


# --------------------------------------------------------------------------- makers
def test_make_noisy_cubic():
    x, y = make_noisy_cubic(50, np.random.default_rng(0))
    assert x.shape == y.shape == (50,) and x.dtype == y.dtype == np.float64
    assert np.all(np.diff(x) >= 0) and x.min() >= 0 and x.max() <= 10
    x2, y2 = make_noisy_cubic(50, np.random.default_rng(0))
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x3, _ = make_noisy_cubic(50, np.random.default_rng(1))
    assert not np.array_equal(x, x3)
    x0, y0 = make_noisy_cubic(20, np.random.default_rng(0), noise=0.0)
    np.testing.assert_allclose(y0, x0 - 0.5 * x0**2 + 0.05 * x0**3)
    residual = y - (x - 0.5 * x**2 + 0.05 * x**3)
    assert 0.3 < residual.std() < 0.7


def test_make_xor():
    X, y = make_xor(200, np.random.default_rng(0))
    assert X.shape == (200, 2) and y.shape == (200,)
    assert X.dtype == y.dtype == np.float64
    assert set(np.unique(y)) == {0.0, 1.0} and y.sum() == 100
    # Label 1 exactly where the signs differ (noise 0.1 never crosses an axis here).
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(float))
    for cx in (-1, 1):
        for cy in (-1, 1):
            in_cluster = (np.sign(X[:, 0]) == cx) & (np.sign(X[:, 1]) == cy)
            assert in_cluster.sum() == 50
    X2, y2 = make_xor(200, np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not _perceptron_separates(X, y, max_epochs=20)


@pytest.mark.parametrize("maker", [make_noisy_cubic, make_xor])
def test_makers_refuse_a_seed_instead_of_a_generator(maker):
    with pytest.raises(TypeError, match="default_rng"):
        maker(10, 0)


# --------------------------------------------------------------------------- load_csv failures
def test_load_csv_reads_a_valid_file(tmp_path):
    path = _write(tmp_path / "ok.csv", "a,b\n1,2.5\n-3,4e-2\n\n")
    values, header = load_csv(path, columns=["a", "b"], n_rows=2)
    assert header == ["a", "b"]
    assert values.dtype == np.float64
    np.testing.assert_array_equal(values, [[1.0, 2.5], [-3.0, 0.04]])


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=3, max_size=3),
        min_size=1,
        max_size=20,
    )
)
def test_load_csv_round_trips_any_finite_floats(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("roundtrip") / "floats.csv"
    lines = ["a,b,c"] + [",".join(repr(v) for v in row) for row in rows]
    _write(path, "\n".join(lines) + "\n")
    values, _ = load_csv(path, columns=["a", "b", "c"], n_rows=len(rows))
    np.testing.assert_array_equal(values, np.array(rows, dtype=np.float64))


def test_load_csv_resolves_relative_paths_in_data_dir():
    values, header = load_csv("night_out.csv")
    assert header == ["people", "euros_per_person"] and values.shape == (40, 2)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(DataError, match="not found") as info:
        load_csv(path)
    assert str(path) in str(info.value)
    assert "re-clone" in str(info.value)


def test_missing_synthetic_file_suggests_the_script(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(DataError) as info:
        load_ring()
    message = str(info.value)
    assert str(tmp_path / "ring.csv") in message and "make_datasets.py" in message


def test_missing_vendored_file_suggests_recloning(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(DataError) as info:
        load_digits()
    message = str(info.value)
    assert str(tmp_path / "digits.csv") in message and "re-clone" in message


def test_empty_file(tmp_path):
    path = _write(tmp_path / "empty.csv", "")
    with pytest.raises(DataError, match="empty") as info:
        load_csv(path)
    assert str(path) in str(info.value)


def test_header_only(tmp_path):
    path = _write(tmp_path / "header.csv", "a,b\n")
    with pytest.raises(DataError, match="no data rows"):
        load_csv(path)


def test_wrong_header(tmp_path):
    path = _write(tmp_path / "h.csv", "x,y,label\n1,2,0\n")
    with pytest.raises(DataError) as info:
        load_csv(path, columns=["x1", "x2", "label"])
    message = str(info.value)
    assert str(path) in message
    assert "['x1', 'x2', 'label']" in message and "['x', 'y', 'label']" in message


def test_non_numeric_cell_names_file_line_and_column(tmp_path):
    path = _write(tmp_path / "bad.csv", "x1,x2,label\n1,2,0\n1,abc,1\n")
    with pytest.raises(DataError) as info:
        load_csv(path)
    message = str(info.value)
    assert str(path) in message
    assert "'abc'" in message and "'x2'" in message and "line 3" in message


def test_wrong_field_count(tmp_path):
    path = _write(tmp_path / "fields.csv", "a,b\n1,2\n3,4\n5\n")
    with pytest.raises(DataError) as info:
        load_csv(path)
    message = str(info.value)
    assert str(path) in message and "line 4" in message and "1 fields, expected 2" in message


@pytest.mark.parametrize("bad", ["nan", "NaN", "inf", "-inf"])
def test_non_finite_value(tmp_path, bad):
    path = _write(tmp_path / "nan.csv", f"a,b\n1,2\n{bad},4\n")
    with pytest.raises(DataError) as info:
        load_csv(path)
    message = str(info.value)
    assert str(path) in message and "NaN or infinite" in message
    assert repr(bad) in message and "'a'" in message and "line 3" in message


def test_wrong_row_count(tmp_path):
    path = _write(tmp_path / "rows.csv", "a,b\n1,2\n3,4\n")
    with pytest.raises(DataError) as info:
        load_csv(path, n_rows=3)
    message = str(info.value)
    assert str(path) in message and "expected 3 data rows, got 2" in message


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (np.random.default_rng(0).bytes(2000), "binary data or UTF-16"),  # NUL bytes
        (bytes(range(128, 256)) * 4, "byte 0x80 on line 1 is not UTF-8"),  # no NUL, not UTF-8
        (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)), "byte 0x89 on line 1 is not UTF-8"),
        ("x1,x2,label\n1,2,0\n".encode("utf-16"), "UTF-16 text"),  # with its byte-order mark
        ("x1,x2,label\n1,2,0\n".encode("utf-16-le"), "binary data or UTF-16"),  # without
        ("x1,x2\n1,2\ncafé,3\n".encode("latin-1"), "byte 0xe9 on line 3 is not UTF-8"),
    ],
    ids=["random-bytes", "high-bytes", "png", "utf-16", "utf-16-le", "latin-1"],
)
def test_a_file_that_is_not_utf8_text_is_a_data_error(tmp_path, content, phrase):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        load_csv(path)
    message = str(info.value)
    assert str(path) in message and phrase in message and "UTF-8" in message


def test_a_binary_data_file_is_a_data_error(tmp_path, monkeypatch):
    (tmp_path / "digits.csv").write_bytes(np.random.default_rng(1).bytes(4096))
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(DataError, match="digits.csv: a NUL byte on line"):
        load_digits()


def test_a_utf8_byte_order_mark_is_fine(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("a,b\n1,2\n".encode("utf-8-sig"))
    values, header = load_csv(path)
    assert header == ["a", "b"] and values.tolist() == [[1.0, 2.0]]


def test_a_field_too_long_for_csv_is_a_data_error(tmp_path):
    path = _write(tmp_path / "long.csv", "a,b\n" + "1" * 200_000 + ",2\n")
    with pytest.raises(DataError) as info:
        load_csv(path)
    assert str(path) in str(info.value) and "line 2 is not valid CSV" in str(info.value)


def _copy_data(tmp_path: Path, name: str, edit) -> None:
    """Copy data/NAME into tmp_path, passing its lines through ``edit``."""
    lines = (DATA_DIR / name).read_text().splitlines()
    (tmp_path / name).write_text("\n".join(edit(lines)) + "\n")


def test_truncated_data_file_is_caught(tmp_path, monkeypatch):
    _copy_data(tmp_path, "ring.csv", lambda lines: lines[:-1])
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(DataError, match="expected 400 data rows, got 399"):
        load_ring()


def test_label_outside_the_allowed_set_is_caught(tmp_path, monkeypatch):
    _copy_data(tmp_path, "blobs.csv", lambda lines: lines[:5] + ["0.5,0.5,2"] + lines[6:])
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(DataError) as info:
        load_blobs()
    message = str(info.value)
    assert str(tmp_path / "blobs.csv") in message
    assert "line 6" in message and "'label'" in message and "{0, 1}" in message


def test_edited_digits_pixel_is_caught(tmp_path, monkeypatch):
    _copy_data(tmp_path, "digits.csv", lambda lines: lines[:2] + ["17" + lines[2][1:]] + lines[3:])
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(DataError, match=r"value 17 in column 'pixel_0_0' on line 3"):
        load_digits()


def test_non_integer_count_is_caught(tmp_path, monkeypatch):
    _copy_data(tmp_path, "night_out.csv", lambda lines: lines[:3] + ["2.5,12.00"] + lines[4:])
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    with pytest.raises(DataError, match="'people' on line 4"):
        load_night_out()


# --------------------------------------------------------------------------- the script
def test_make_datasets_reproduces_the_committed_files(tmp_path):
    script = DATA_DIR / "make_datasets.py"
    result = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in SYNTHETIC:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_digits_split_is_the_one_notebooks_share():
    from helpers.data import load_digits, load_digits_split

    X_train, y_train, X_val, y_val, X_test, y_test = load_digits_split()
    assert (len(X_train), len(X_val), len(X_test)) == (1078, 360, 359)
    assert X_train.min() >= 0 and X_train.max() <= 1 and X_test.dtype == np.float64
    assert y_train.dtype == np.int64
    # a partition of the whole set: every image exactly once
    X, _ = load_digits()
    together = np.vstack([X_train, X_val, X_test]) * 16
    assert sorted(map(tuple, together)) == sorted(map(tuple, X))
    again = load_digits_split()
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_train, y_train, X_val, y_val,
                                                          X_test, y_test), strict=True))
    assert not np.array_equal(load_digits_split(seed=1)[4], X_test)
