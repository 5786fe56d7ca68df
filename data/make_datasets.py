"""Regenerate the workshop's synthetic CSV files, deterministically.

Run from the repository root::

    python data/make_datasets.py             # writes into data/
    python data/make_datasets.py --out DIR   # writes into DIR instead

Running it twice gives byte-identical files (fixed seeds, fixed formatting, ``\\n`` line
endings), and ``tests/test_data.py`` checks that the committed files match what it writes.
Only numpy is needed. The random numbers come from ``numpy.random.default_rng(seed)``
(PCG64); the seed of each data set is in ``SEEDS`` below.

The synthetic data sets
-----------------------
``night_out.csv`` (seed 101)
    Spending per person on a night out against the number of people who went: columns
    ``people,euros_per_person``, 40 rows. The first 5 rows are the talk's table, verbatim and
    in the talk's order (``TALK_NIGHT_OUT``): 4 people spent 20.40 euros each, 6 spent 13.50,
    3 spent 24.13, 6 spent 14.12, 8 spent 13.12. The other 35 are drawn with the talk's trend,
    spending per person that falls and flattens as more people go out: a shared cost of 58
    euros split between everyone plus 5 euros each, ``euros_per_person = 5.00 + 58.00 /
    people + noise``, normal noise of standard deviation 1.00, rounded to cents. ``people`` is
    an integer 2..10 (every value occurs at least once among the drawn rows).
``supermarket.csv`` (seed 102)
    Money spent at the supermarket against the days since the last trip: columns
    ``days,euros``, 40 rows. The first 5 rows are the talk's table, verbatim and in the talk's
    order (``TALK_SUPERMARKET``): (2, 10.10), (1, 6.50), (6, 24.13), (6, 14.12), (5, 45.02);
    the last one is an outlier (the notebook uses it to show how far one point pulls a
    least-squares line). The other 35 are drawn around the trend of the talk's other four
    rows, ``euros = 4.00 + 3.00 * days + noise``, with normal noise whose standard deviation
    grows with the gap (``1 + 0.5 * days``: a longer gap means a bigger, less predictable
    bill), rounded to cents. ``days`` is an integer 1..14 (every value occurs at least once
    among the drawn rows). The script asserts that no drawn row is an outlier (every drawn
    residual within 3 standard deviations) while the talk's 45.02 is more than 5 away.
``ring.csv`` (seed 103)
    Two classes that a circle separates and a line cannot: columns ``x1,x2,label``, 400 rows
    (200 per class), shuffled. Label 1: uniform in the disc of radius 0.95; label 0: uniform
    in the annulus between radii 1.5 and 2.5; both get normal noise of standard deviation
    0.05 on each coordinate, then are rounded to 4 decimals. The script asserts that every
    label-1 point is closer to the origin than every label-0 point and that the label-1 mean
    lies inside a triangle of label-0 points (so the convex hulls meet: no line separates the
    classes).
``blobs.csv`` (seed 104)
    Two linearly separable Gaussian blobs: columns ``x1,x2,label``, 200 rows (100 per class),
    shuffled. Label 0 is centred at (-2.0, -1.0), label 1 at (1.5, 1.5), both with standard
    deviation 0.5 on each coordinate, rounded to 4 decimals. The script asserts that the line
    through the midpoint of the centres, perpendicular to their difference, separates the
    classes with a margin of at least 0.25 on each side.

The vendored data sets
----------------------
``breast_cancer.csv`` and ``digits.csv`` are real data copied from the files scikit-learn ships
(see ``data/README.md`` for source, licence and citation). This script rewrites them only when
given ``--sklearn-wheel PATH`` (a scikit-learn wheel, read as a zip file: scikit-learn itself
is not needed)::

    pip download --no-deps -d /tmp/skl scikit-learn
    python data/make_datasets.py --sklearn-wheel /tmp/skl/scikit_learn-*.whl
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from helpers.data import BREAST_CANCER_FEATURES, DIGITS_COLUMNS

DATA_DIR = Path(__file__).resolve().parent

# One seed per data set, so that changing one data set leaves the others unchanged.
SEEDS = {"night_out": 101, "supermarket": 102, "ring": 103, "blobs": 104}

# Column names and file lists come from helpers.data, whose loaders validate against them.
VENDORED_FILES = ("breast_cancer.csv", "digits.csv")

# --------------------------------------------------------------------------- formatting
def _fmt(value: float, decimals: int) -> str:
    """Format a float with a fixed number of decimals, never as ``-0.00``."""
    # Adding 0.0 turns -0.0 into +0.0, so rounding tiny negatives cannot print "-0.0000".
    return f"{round(float(value), decimals) + 0.0:.{decimals}f}"


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write already formatted cells as CSV with ``\\n`` line endings (byte-stable)."""
    lines = [",".join(header)] + [",".join(row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode("ascii"))


# --------------------------------------------------------------------------- regression sets
# The talk's own tables, (count, euros) as the slides print them: written first, verbatim.
TALK_NIGHT_OUT = (("4", "20.40"), ("6", "13.50"), ("3", "24.13"), ("6", "14.12"), ("8", "13.12"))
TALK_SUPERMARKET = (("2", "10.10"), ("1", "6.50"), ("6", "24.13"), ("6", "14.12"), ("5", "45.02"))
N_DRAWN = 35  # 5 rows from the talk + 35 drawn = 40 rows in each file

# The trends the drawn rows follow (the notebook and the tests read them from here).
NIGHT_OUT_SHARED, NIGHT_OUT_EACH, NIGHT_OUT_NOISE = 58.0, 5.0, 1.0
SUPERMARKET_INTERCEPT, SUPERMARKET_SLOPE = 4.0, 3.0


def night_out_trend(people: np.ndarray) -> np.ndarray:
    """Expected spending per person, ``5 + 58 / people``: a shared cost split, plus each one's."""
    return NIGHT_OUT_EACH + NIGHT_OUT_SHARED / people


def supermarket_trend(days: np.ndarray) -> np.ndarray:
    """Expected bill after ``days`` days, ``4 + 3 * days``."""
    return SUPERMARKET_INTERCEPT + SUPERMARKET_SLOPE * days


def supermarket_noise(days: np.ndarray) -> np.ndarray:
    """Standard deviation of the bill's noise, ``1 + 0.5 * days``: it grows with the gap."""
    return 1.0 + 0.5 * days


def _draw_counts(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    """``n`` integers in ``low..high``, each value at least once, in random order."""
    every = np.arange(low, high + 1)
    x = np.concatenate([every, rng.integers(low, high + 1, n - len(every))])
    return rng.permutation(x)


def _money_rows(talk: Sequence[tuple[str, str]], x: np.ndarray,
                euros: np.ndarray) -> list[list[str]]:
    """Rows as strings: the talk's rows first, verbatim, then the drawn ones."""
    assert np.all(euros > 0), "money spent must be positive"
    drawn = [[str(int(a)), _fmt(b, 2)] for a, b in zip(x, euros, strict=True)]
    return [list(row) for row in talk] + drawn


def make_night_out() -> tuple[list[str], list[list[str]]]:
    """The ``night_out.csv`` table: header and 40 formatted rows."""
    rng = np.random.default_rng(SEEDS["night_out"])
    people = _draw_counts(rng, 2, 10, N_DRAWN)
    euros = np.round(night_out_trend(people) + rng.normal(0.0, NIGHT_OUT_NOISE, N_DRAWN), 2)
    return ["people", "euros_per_person"], _money_rows(TALK_NIGHT_OUT, people, euros)


def make_supermarket() -> tuple[list[str], list[list[str]]]:
    """The ``supermarket.csv`` table: header and 40 formatted rows."""
    rng = np.random.default_rng(SEEDS["supermarket"])
    days = _draw_counts(rng, 1, 14, N_DRAWN)
    std = supermarket_noise(days)
    euros = np.round(supermarket_trend(days) + rng.normal(0.0, 1.0, N_DRAWN) * std, 2)
    # One outlier, the talk's: the drawn rows stay within 3 standard deviations of the trend.
    assert np.all(np.abs(euros - supermarket_trend(days)) < 3 * std), "a drawn outlier"
    talk_days, talk_euros = (np.array([float(v) for v in column]) for column in
                             zip(*TALK_SUPERMARKET, strict=True))
    assert (talk_euros[-1] - supermarket_trend(talk_days[-1])) > 5 * supermarket_noise(
        talk_days[-1]), "the talk's 45.02 should stand out"
    return ["days", "euros"], _money_rows(TALK_SUPERMARKET, days, euros)


# --------------------------------------------------------------------------- classification sets
def _uniform_annulus(rng: np.random.Generator, n: int, r_min: float, r_max: float) -> np.ndarray:
    """``n`` points uniform (by area) in the annulus ``r_min <= r <= r_max``: shape ``(n, 2)``."""
    # Uniform by area: r**2 is uniform, not r (else the centre gets too many points).
    radius = np.sqrt(rng.uniform(r_min**2, r_max**2, n))
    angle = rng.uniform(0.0, 2.0 * np.pi, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _shuffled_rows(
    rng: np.random.Generator, X: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle ``X (n, 2)`` and ``y (n,)`` together and round ``X`` to 4 decimals."""
    order = rng.permutation(len(y))
    return np.round(X[order], 4) + 0.0, y[order]


def _point_in_triangle(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> bool:
    """True when the 2-D point ``p`` lies strictly inside the triangle ``abc``."""
    # Barycentric coordinates: all strictly positive means inside.
    T = np.column_stack([a - c, b - c])
    l1, l2 = np.linalg.solve(T, p - c)
    return bool(l1 > 0 and l2 > 0 and 1 - l1 - l2 > 0)


def check_ring(X: np.ndarray, y: np.ndarray) -> None:
    """Assert the ring set is separable by a circle and not by a line.

    ``X`` has shape ``(n, 2)``, ``y`` shape ``(n,)`` with labels 0 (ring) and 1 (disc).
    """
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius[y == 1].max() < radius[y == 0].min(), "disc and ring overlap"
    # A point in both convex hulls rules out any separating line. The label-1 mean is in the
    # hull of label 1; show it is also inside a triangle of label-0 points.
    outer = X[y == 0]
    angle = np.arctan2(outer[:, 1], outer[:, 0])
    corners = [
        outer[np.argmin(np.abs(np.angle(np.exp(1j * (angle - target)))))]
        for target in (0.0, 2 * np.pi / 3, 4 * np.pi / 3)
    ]
    assert _point_in_triangle(X[y == 1].mean(axis=0), *corners), "ring is linearly separable"


def make_ring() -> tuple[list[str], list[list[str]]]:
    """The ``ring.csv`` table: header and 400 formatted rows."""
    rng = np.random.default_rng(SEEDS["ring"])
    n_per_class = 200
    disc = _uniform_annulus(rng, n_per_class, 0.0, 0.95)
    ring = _uniform_annulus(rng, n_per_class, 1.5, 2.5)
    X = np.vstack([disc, ring]) + rng.normal(0.0, 0.05, (2 * n_per_class, 2))
    y = np.repeat([1, 0], n_per_class)
    X, y = _shuffled_rows(rng, X, y)
    check_ring(X, y)
    rows = [[_fmt(a, 4), _fmt(b, 4), str(int(c))] for (a, b), c in zip(X, y, strict=True)]
    return ["x1", "x2", "label"], rows


BLOB_CENTRES = np.array([[-2.0, -1.0], [1.5, 1.5]])
BLOB_MARGIN = 0.25


def check_blobs(X: np.ndarray, y: np.ndarray, margin: float = BLOB_MARGIN) -> None:
    """Assert the blobs lie on either side of the midpoint line, at least ``margin`` away.

    The line passes through the midpoint of ``BLOB_CENTRES`` perpendicular to their
    difference. ``X`` has shape ``(n, 2)``, ``y`` shape ``(n,)`` with labels 0 and 1.
    """
    direction = BLOB_CENTRES[1] - BLOB_CENTRES[0]
    direction = direction / np.linalg.norm(direction)
    signed_distance = (X - BLOB_CENTRES.mean(axis=0)) @ direction
    assert signed_distance[y == 0].max() < -margin, "a label-0 point is too close to the line"
    assert signed_distance[y == 1].min() > margin, "a label-1 point is too close to the line"


def make_blobs() -> tuple[list[str], list[list[str]]]:
    """The ``blobs.csv`` table: header and 200 formatted rows."""
    rng = np.random.default_rng(SEEDS["blobs"])
    n_per_class = 100
    y = np.repeat([0, 1], n_per_class)
    X = BLOB_CENTRES[y] + rng.normal(0.0, 0.5, (2 * n_per_class, 2))
    X, y = _shuffled_rows(rng, X, y)
    check_blobs(X, y)
    rows = [[_fmt(a, 4), _fmt(b, 4), str(int(c))] for (a, b), c in zip(X, y, strict=True)]
    return ["x1", "x2", "label"], rows


SYNTHETIC_MAKERS = {
    "night_out.csv": make_night_out,
    "supermarket.csv": make_supermarket,
    "ring.csv": make_ring,
    "blobs.csv": make_blobs,
}


# --------------------------------------------------------------------------- vendored sets
def _read_from_wheel(wheel: Path, member: str) -> bytes:
    """The bytes of ``member`` inside the scikit-learn wheel (a zip file)."""
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member)


def convert_breast_cancer(raw: str) -> tuple[list[str], list[list[str]]]:
    """Turn scikit-learn's ``breast_cancer.csv`` into our table (header, 569 rows).

    scikit-learn's first line is ``569,30,malignant,benign`` (counts, then the class names for
    targets 0 and 1). Feature values are copied as written; the target is flipped so that
    ``malignant`` is 1 (the disease is the positive class) and benign 0.
    """
    lines = raw.strip("\n").split("\n")
    n_rows, n_features, *names = lines[0].split(",")
    assert (int(n_rows), int(n_features), names) == (569, 30, ["malignant", "benign"])
    rows = []
    for line in lines[1:]:
        cells = line.split(",")
        assert len(cells) == 31 and cells[-1] in ("0", "1")
        rows.append(cells[:-1] + ["1" if cells[-1] == "0" else "0"])
    assert len(rows) == 569
    return BREAST_CANCER_FEATURES + ["malignant"], rows


def convert_digits(raw: str) -> tuple[list[str], list[list[str]]]:
    """Turn scikit-learn's ``digits.csv`` (no header) into our table (header, 1797 rows)."""
    rows = [line.split(",") for line in raw.strip("\n").split("\n")]
    assert len(rows) == 1797 and all(len(row) == 65 for row in rows)
    assert all(0 <= int(v) <= 16 for row in rows for v in row[:-1])
    assert all(0 <= int(row[-1]) <= 9 for row in rows)
    return DIGITS_COLUMNS, rows


def write_vendored(wheel: Path, out: Path) -> None:
    """Rewrite ``breast_cancer.csv`` and ``digits.csv`` in ``out`` from a scikit-learn wheel."""
    member = "sklearn/datasets/data/"
    raw = _read_from_wheel(wheel, member + "breast_cancer.csv").decode("ascii")
    _write_csv(out / "breast_cancer.csv", *convert_breast_cancer(raw))
    compressed = _read_from_wheel(wheel, member + "digits.csv.gz")
    raw = gzip.GzipFile(fileobj=io.BytesIO(compressed)).read().decode("ascii")
    _write_csv(out / "digits.csv", *convert_digits(raw))


# --------------------------------------------------------------------------- command line
def write_synthetic(out: Path) -> list[Path]:
    """Write the four synthetic CSV files into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in SYNTHETIC_MAKERS.items():
        _write_csv(out / name, *make())
        written.append(out / name)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out", type=Path, default=DATA_DIR, help="folder to write into (default: data/)"
    )
    parser.add_argument(
        "--sklearn-wheel",
        type=Path,
        default=None,
        help="also rewrite breast_cancer.csv and digits.csv from this scikit-learn wheel",
    )
    args = parser.parse_args(argv)
    for path in write_synthetic(args.out):
        print(f"wrote {path}")
    if args.sklearn_wheel is not None:
        write_vendored(args.sklearn_wheel, args.out)
        for name in VENDORED_FILES:
            print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
