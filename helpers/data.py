"""Load the workshop's data sets, and make small synthetic ones.

Every loader reads a file from the repository's ``data/`` folder, checks its header, row count
and values, and returns fresh float64 numpy arrays (callers may modify them freely). Any problem
raises :class:`DataError` with a message that names the file and says what is wrong.

Label conventions: binary labels are 0./1. floats (``ring``, ``blobs``, ``make_xor``; for
``breast_cancer`` 1 = malignant, 0 = benign); digit labels are int64 0..9.

See ``data/README.md`` for where each file comes from, and ``data/make_datasets.py`` for how the
synthetic ones are made.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path

import numpy as np

__all__ = [
    "DATA_DIR",
    "DataError",
    "load_csv",
    "load_night_out",
    "load_supermarket",
    "load_ring",
    "load_blobs",
    "load_breast_cancer",
    "load_digits_split",
    "load_digits",
    "make_noisy_cubic",
    "make_xor",
]

DATA_DIR: Path = Path(__file__).resolve().parent.parent / "data"

# Files that `python data/make_datasets.py` can rewrite (the others are vendored copies).
SYNTHETIC_FILES = ("night_out.csv", "supermarket.csv", "ring.csv", "blobs.csv")

BREAST_CANCER_FEATURES = [
    f"{prefix}{name}{suffix}"
    for prefix, suffix in (("mean ", ""), ("", " error"), ("worst ", ""))
    for name in (
        "radius",
        "texture",
        "perimeter",
        "area",
        "smoothness",
        "compactness",
        "concavity",
        "concave points",
        "symmetry",
        "fractal dimension",
    )
]
DIGITS_COLUMNS = [f"pixel_{row}_{col}" for row in range(8) for col in range(8)] + ["label"]

StrPath = str | PathLike[str]


class DataError(ValueError):
    """A data file is missing, malformed or holds unexpected values.

    The message always names the file and what is wrong with it.
    """


# --------------------------------------------------------------------------- generic loaders
def _resolve(path: StrPath) -> Path:
    """Absolute paths stay as they are; relative ones are taken inside ``DATA_DIR``."""
    path = Path(path)
    return path if path.is_absolute() else DATA_DIR / path


def _missing_file_error(path: Path) -> DataError:
    """The error for a file that does not exist, with how to get it back."""
    if path.name in SYNTHETIC_FILES:
        fix = "regenerate it with `python data/make_datasets.py` from the repository root"
    else:
        fix = (
            "if it is one of the workshop's files, restore it with `git checkout -- data/` "
            "or re-clone the repository"
        )
    return DataError(f"{path}: file not found; {fix}.")


def _read_text(path: Path) -> str:
    """The text of a UTF-8 file, or a DataError naming it (binary data, a UTF-16 export...)."""
    raw = path.read_bytes()
    fix = 'expected a CSV file in UTF-8 (a spreadsheet\'s "CSV UTF-8")'
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError(f"{path}: UTF-16 text, not UTF-8; {fix}.")
    if b"\0" in raw:  # binary data, or UTF-16 (a NUL byte beside each ASCII character)
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise DataError(
            f"{path}: a NUL byte on line {line}: binary data or UTF-16, not UTF-8; {fix}."
        )
    try:
        # utf-8-sig: a spreadsheet may have saved a byte-order mark in front of the header.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(
            f"{path}: byte {raw[error.start]:#04x} on line {line} is not UTF-8: binary data or "
            f"text in another encoding; {fix}."
        ) from None


def _parse_row(path: Path, row: list[str], header: list[str], line: int) -> list[float]:
    """Parse one CSV row into floats, or raise a DataError naming the line and column."""
    if len(row) != len(header):
        raise DataError(
            f"{path}: line {line} has {len(row)} fields, expected {len(header)} "
            f"({', '.join(header)})."
        )
    try:
        values = [float(cell) for cell in row]
    except ValueError:
        # Slow path, only on failure: find the culprit so the message can point at it.
        for column, cell in zip(header, row, strict=True):
            try:
                float(cell)
            except ValueError:
                raise DataError(
                    f"{path}: non-numeric value {cell!r} in column {column!r} on line {line}."
                ) from None
        raise  # unreachable: some cell failed above
    if not all(map(math.isfinite, values)):
        pairs = zip(header, row, strict=True)
        column, cell = next((c, v) for c, v in pairs if not math.isfinite(float(v)))
        raise DataError(
            f"{path}: NaN or infinite value {cell!r} in column {column!r} on line {line}."
        )
    return values


def _read_csv(
    path: StrPath, columns: Sequence[str] | None, n_rows: int | None
) -> tuple[Path, np.ndarray, list[str], list[int]]:
    """Read and validate a numeric CSV file.

    Returns the resolved path, the values ``(n, k)``, the header ``(k,)`` and, for each row,
    its line number in the file (for error messages).
    """
    path = _resolve(path)
    if not path.is_file():
        raise _missing_file_error(path)
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        if not header:
            raise DataError(f"{path}: the file is empty, expected a header line.")
        if columns is not None and header != list(columns):
            raise DataError(
                f"{path}: wrong header: expected columns {list(columns)}, got {header}."
            )
        rows, lines = [], []
        for row in reader:
            if not row:  # blank lines (e.g. at the end) carry no data
                continue
            rows.append(_parse_row(path, row, header, reader.line_num))
            lines.append(reader.line_num)
    except csv.Error as error:  # e.g. a field longer than csv's limit: not a table of numbers
        raise DataError(f"{path}: line {reader.line_num} is not valid CSV ({error}).") from None
    if not rows:
        raise DataError(f"{path}: the file has a header but no data rows.")
    if n_rows is not None and len(rows) != n_rows:
        raise DataError(f"{path}: expected {n_rows} data rows, got {len(rows)}.")
    return path, np.array(rows, dtype=np.float64), header, lines


def load_csv(
    path: StrPath, columns: Sequence[str] | None = None, n_rows: int | None = None
) -> tuple[np.ndarray, list[str]]:
    """Load a numeric CSV file with a header line, checking it on the way.

    Parameters
    ----------
    path : str or path-like
        The file. A relative path is taken inside ``DATA_DIR`` (the repository's ``data/``).
    columns : sequence of str, optional
        The expected header. When given, any other header raises a DataError.
    n_rows : int, optional
        The expected number of data rows (the header excluded).

    Returns
    -------
    values : ndarray of shape (n, k), float64
        One row per data line, one column per header field.
    header : list of str, length k
        The column names.

    Raises
    ------
    DataError
        When the file is missing, empty or not UTF-8 text, the header or the row count differs
        from what is expected, a line has the wrong number of fields, or a cell is not a finite
        number.
        The message names the file (and the line and column where it applies).
    """
    _, values, header, _ = _read_csv(path, columns, n_rows)
    return values, header


# --------------------------------------------------------------------------- value checks
def _check_integers(
    path: Path,
    values: np.ndarray,
    column: str,
    lines: Sequence[int],
    allowed: Iterable[int],
) -> None:
    """Raise a DataError naming the first value of ``values (n,)`` outside ``allowed``."""
    allowed = sorted(allowed)
    bad = ~np.isin(values, allowed)
    if np.any(bad):
        i = int(np.argmax(bad))
        shown = f"{{{allowed[0]}, ..., {allowed[-1]}}}" if len(allowed) > 3 else set(allowed)
        raise DataError(
            f"{path}: value {values[i]:g} in column {column!r} on line {lines[i]} is outside "
            f"the allowed set {shown}."
        )


def _check_positive(path: Path, values: np.ndarray, column: str, lines: Sequence[int]) -> None:
    """Raise a DataError naming the first value of ``values (n,)`` that is not > 0."""
    bad = ~(values > 0)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise DataError(
            f"{path}: value {values[i]:g} in column {column!r} on line {lines[i]} "
            "should be positive."
        )


def _load_table(
    name: str, columns: Sequence[str], n_rows: int
) -> tuple[Path, np.ndarray, list[int]]:
    """Read ``DATA_DIR / name`` with the expected header and row count."""
    path, values, _, lines = _read_csv(name, columns, n_rows)
    return path, values, lines


def _load_money(name: str, x_column: str, y_column: str,
                x_values: range) -> tuple[np.ndarray, np.ndarray]:
    """Shared loader for the two (count, euros) regression files."""
    path, values, lines = _load_table(name, [x_column, y_column], 40)
    _check_integers(path, values[:, 0], x_column, lines, x_values)
    _check_positive(path, values[:, 1], y_column, lines)
    return values[:, 0].copy(), values[:, 1].copy()


def _load_binary_2d(name: str, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Shared loader for the two ``x1,x2,label`` classification files."""
    path, values, lines = _load_table(name, ["x1", "x2", "label"], n_rows)
    _check_integers(path, values[:, 2], "label", lines, (0, 1))
    return values[:, :2].copy(), values[:, 2].copy()


# --------------------------------------------------------------------------- the data sets
def load_night_out() -> tuple[np.ndarray, np.ndarray]:
    """Spending per person on a night out against the number of people who went (40 nights).

    The first 5 nights are the talk's table, in the talk's order; the other 35 are drawn with its
    trend (spending per person falls and flattens as more people go out). See ``data/README.md``.

    Returns
    -------
    people : ndarray of shape (40,), float64
        Number of people, whole numbers 2..10.
    euros_per_person : ndarray of shape (40,), float64
        Money spent per person, in euros. The first night is the talk's first row: 4 people,
        20.40 euros each.
    """
    return _load_money("night_out.csv", "people", "euros_per_person", range(2, 11))


def load_supermarket() -> tuple[np.ndarray, np.ndarray]:
    """Money spent at the supermarket against the days since the last trip (40 trips).

    The first 5 trips are the talk's table, in the talk's order (the fifth, 45.02 euros after 5
    days, is an outlier); the other 35 are drawn. See ``data/README.md``.

    Returns
    -------
    days : ndarray of shape (40,), float64
        Days since the previous trip, whole numbers 1..14.
    euros : ndarray of shape (40,), float64
        Money spent, in euros. The first trip is the talk's first row: 2 days, 10.10 euros.
    """
    return _load_money("supermarket.csv", "days", "euros", range(1, 15))


def load_ring() -> tuple[np.ndarray, np.ndarray]:
    """A disc of one class inside a ring of the other: separable by a circle, not a line.

    Returns
    -------
    X : ndarray of shape (400, 2), float64
        Point coordinates ``x1, x2``.
    y : ndarray of shape (400,), float64
        1. for the inner disc (radius below about 1), 0. for the ring (radius about 1.5 to
        2.5); 200 of each.
    """
    return _load_binary_2d("ring.csv", 400)


def load_blobs() -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs that a straight line separates with a margin.

    Returns
    -------
    X : ndarray of shape (200, 2), float64
        Point coordinates ``x1, x2``.
    y : ndarray of shape (200,), float64
        0. or 1., 100 of each.
    """
    return _load_binary_2d("blobs.csv", 200)


def load_breast_cancer() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The Breast Cancer Wisconsin (Diagnostic) data set: 569 tumours, 30 features.

    Returns
    -------
    X : ndarray of shape (569, 30), float64
        Cell-nucleus measurements from images of a fine-needle aspirate, unscaled (their
        ranges differ by orders of magnitude: standardise before gradient descent).
    y : ndarray of shape (569,), float64
        1. for malignant (212 tumours), 0. for benign (357). Note: scikit-learn's
        ``load_breast_cancer`` uses the opposite coding (0 = malignant).
    feature_names : list of str, length 30
        As scikit-learn names them, e.g. ``"mean radius"``, ``"radius error"``,
        ``"worst radius"``.
    """
    columns = BREAST_CANCER_FEATURES + ["malignant"]
    path, values, lines = _load_table("breast_cancer.csv", columns, 569)
    _check_integers(path, values[:, -1], "malignant", lines, (0, 1))
    return values[:, :-1].copy(), values[:, -1].copy(), list(BREAST_CANCER_FEATURES)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The UCI handwritten digits: 1797 images of 8x8 pixels.

    Returns
    -------
    X : ndarray of shape (1797, 64), float64
        Pixel intensities, whole numbers 0..16, row-major: ``X[i].reshape(8, 8)`` is image i.
    y : ndarray of shape (1797,), int64
        The digit shown, 0..9 (about 180 of each).
    """
    path, values, lines = _load_table("digits.csv", DIGITS_COLUMNS, 1797)
    pixels = values[:, :-1]
    bad = ~np.isin(pixels, np.arange(17))
    if np.any(bad):
        row, col = np.argwhere(bad)[0]
        raise DataError(
            f"{path}: value {pixels[row, col]:g} in column {DIGITS_COLUMNS[col]!r} on line "
            f"{lines[row]} is outside the allowed set {{0, ..., 16}}."
        )
    _check_integers(path, values[:, -1], "label", lines, range(10))
    return pixels.copy(), values[:, -1].astype(np.int64)


def load_digits_split(
    seed: int = 42,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The digits, scaled to [0, 1] and split the same way in every notebook that uses them.

    20% of the images (chosen by a generator seeded with ``seed``) form the test set, touched
    once at the end; of the rest, a quarter validates and the remainder trains (the same
    generator continues, through ``train_validation_split``). Notebooks 05 and 06 compare their
    networks on exactly this split.

    Returns
    -------
    X_train, y_train, X_val, y_val, X_test, y_test : ndarrays
        Images of shape (n_part, 64), float64 in [0, 1]; labels of shape (n_part,), int64.
        With the default seed: 1078 training, 360 validation and 359 test images.
    """
    from helpers.reference.training_in_practice import train_validation_split

    X, y = load_digits()
    rng = np.random.default_rng(seed)
    X_rest, y_rest, X_test, y_test = train_validation_split(X / 16.0, y, 0.2, rng)
    X_train, y_train, X_val, y_val = train_validation_split(X_rest, y_rest, 0.25, rng)
    return X_train, y_train, X_val, y_val, X_test, y_test


# --------------------------------------------------------------------------- synthetic makers
def _require_generator(rng: object) -> None:
    """Refuse anything but a Generator, with the usual fix (seeds are a common slip)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator, got {type(rng).__name__}; "
            "create one with rng = np.random.default_rng(0)."
        )


def make_noisy_cubic(
    n: int, rng: np.random.Generator, noise: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy samples of the cubic ``y = x - 0.5 x**2 + 0.05 x**3``, for polynomial fits.

    Parameters
    ----------
    n : int
        Number of samples.
    rng : numpy.random.Generator
        The source of randomness (the same seed gives the same data).
    noise : float, default 0.5
        Standard deviation of the normal noise added to ``y``.

    Returns
    -------
    x : ndarray of shape (n,), float64
        Uniform on [0, 10], sorted ascending (so line plots draw left to right).
    y : ndarray of shape (n,), float64
        ``x - 0.5 * x**2 + 0.05 * x**3`` plus noise.
    """
    _require_generator(rng)
    x = np.sort(rng.uniform(0.0, 10.0, n))
    y = x - 0.5 * x**2 + 0.05 * x**3 + rng.normal(0.0, noise, n)
    return x, y


# The four XOR cluster centres and their labels: 1 where the signs of x1 and x2 differ.
_XOR_CENTRES = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
_XOR_LABELS = np.array([0.0, 0.0, 1.0, 1.0])


def make_xor(n: int, rng: np.random.Generator, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """XOR-style data: four clusters at (+-1, +-1) that no straight line can separate.

    Parameters
    ----------
    n : int
        Number of samples, spread as evenly as possible over the four clusters.
    rng : numpy.random.Generator
        The source of randomness (the same seed gives the same data).
    noise : float, default 0.1
        Standard deviation of the normal noise added to each coordinate.

    Returns
    -------
    X : ndarray of shape (n, 2), float64
        Cluster centre plus noise, in random order.
    y : ndarray of shape (n,), float64
        1. for the clusters at (1, -1) and (-1, 1), where the signs differ; 0. for the
        clusters at (1, 1) and (-1, -1). The label follows the cluster, so with a large
        ``noise`` a few points stray across the axes.
    """
    _require_generator(rng)
    cluster = rng.permutation(np.arange(n) % 4)
    X = _XOR_CENTRES[cluster] + rng.normal(0.0, noise, (n, 2))
    return X, _XOR_LABELS[cluster]  # fancy indexing copies
