"""The digits MLP's training step against its floor and against PyTorch; time to accuracy.

The step measured is :func:`helpers.nn.sgd_step`, the series' fast training step (forward,
backward and update of a softmax MLP, with a reused :class:`helpers.nn.Workspace`), on notebook
05's digits network. Its *floor* is the same step's matrix products alone, with the network's
shapes (bias rows left out), into preallocated arrays: what any implementation of the step must
at least compute.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from helpers import nn
from helpers.data import load_digits_split

#: The profiled and compared network: 64 inputs, one hidden layer of 128 ReLUs, 10 softmax
#: outputs (the shape the README's Performance table reports).
HIDDEN_SIZES = (128,)
ACTIVATION = "relu"
LEARNING_RATE = 0.3
LAM = 3e-4
BATCH_SIZES = (32, 256, None)  # None: the full training set
STEPS_PER_REPEAT = {32: 400, 256: 100, None: 20}
SEED = 0
#: Notebook 05's digits project (its settings, trained with helpers.nn.train_classifier).
PROJECT = {"hidden_sizes": (128, 64), "learning_rate": 0.3, "batch_size": 16, "lam": 3e-4}


def digits_split() -> tuple[np.ndarray, ...]:
    """The shared split of the digits (:func:`helpers.data.load_digits_split`).

    Returns
    -------
    X_train (1078, 64), y_train, X_val (360, 64), y_val, X_test (359, 64), y_test
    """
    return load_digits_split()


def digits_training_set() -> tuple[np.ndarray, np.ndarray]:
    """The training part of :func:`digits_split`."""
    X_train, y_train, *_ = digits_split()
    return X_train, y_train


def _batches(X: np.ndarray, y: np.ndarray, batch: int | None, count: int):
    """``count`` batches (cycling over seeded permutations), the same for every contender."""
    size = batch or len(X)
    rng = np.random.default_rng(SEED)
    out = []
    while len(out) < count:
        order = rng.permutation(len(X))
        out += [(X[order[i:i + size]], y[order[i:i + size]])
                for i in range(0, len(X) - size + 1, size)]
    return out[:count]


def _floor_step(shapes: list[tuple[int, int]], batch: int) -> Callable[[], None]:
    """The step's matrix products alone, into preallocated arrays (no activations, no update)."""
    rng = np.random.default_rng(SEED)
    acts = [rng.random((batch, shapes[0][0]))] + [rng.random((batch, d_out))
                                                  for _, d_out in shapes]
    weights = [rng.random((d_in, d_out)) for d_in, d_out in shapes]
    grads = [np.empty((d_in, d_out)) for d_in, d_out in shapes]
    deltas = [np.empty((batch, d_in)) for d_in, _ in shapes]

    def step() -> None:
        for layer, W in enumerate(weights):  # forward: a_l @ W_l
            np.matmul(acts[layer], W, out=acts[layer + 1])
        delta = acts[-1]
        for layer in range(len(weights) - 1, -1, -1):  # backward: a^T delta, delta W^T
            np.matmul(acts[layer].T, delta, out=grads[layer])
            if layer > 0:
                np.matmul(delta, weights[layer].T, out=deltas[layer])
                delta = deltas[layer]

    return step


def _median_per_step(run: Callable[[], None], steps: int, repeats: int) -> dict[str, float]:
    return _interleaved([run], steps, repeats)[0]


def _interleaved(runs: list[Callable[[], None]], steps: int,
                 repeats: int) -> list[dict[str, float]]:
    """Median, min and max seconds per step of each run, timed in turns (run 1, run 2, run 1...)
    so that a burst of load from other processes falls on all of them alike."""
    samples: list[list[float]] = [[] for _ in runs]
    for _ in range(repeats):
        for run, times in zip(runs, samples, strict=True):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) / steps)
    summaries = []
    for times in samples:
        times.sort()
        summaries.append({"median": times[len(times) // 2], "min": times[0], "max": times[-1]})
    return summaries


def bench_step_vs_floor(repeats: int) -> list[dict[str, Any]]:
    """Per batch size: time per training step, time of its matrix products, and the ratio."""
    X, y = digits_training_set()
    sizes = [X.shape[1], *HIDDEN_SIZES, 10]
    shapes = list(zip(sizes[:-1], sizes[1:], strict=True))
    rows = []
    for batch in BATCH_SIZES:
        steps = STEPS_PER_REPEAT[batch]
        batches = _batches(X, y, batch, steps)
        weights = nn.init_network(sizes, np.random.default_rng(SEED), "he")

        workspace = nn.Workspace()  # as train_classifier does: no allocation per step

        def train(batches=batches, weights=weights, workspace=workspace) -> None:
            for X_batch, y_batch in batches:
                nn.sgd_step(X_batch, y_batch, weights, LEARNING_RATE, ACTIVATION, LAM, workspace)

        floor = _floor_step(shapes, len(batches[0][0]))

        def floor_run(floor=floor, steps=steps) -> None:
            for _ in range(steps):
                floor()

        train()  # warm-up (allocations, BLAS threads)
        floor_run()
        step, bound = _interleaved([train, floor_run], steps, repeats)
        rows.append({"batch": batch or len(X), "step_ms": step["median"] * 1e3,
                     "step_min_ms": step["min"] * 1e3, "step_max_ms": step["max"] * 1e3,
                     "floor_ms": bound["median"] * 1e3, "floor_min_ms": bound["min"] * 1e3,
                     "floor_max_ms": bound["max"] * 1e3,
                     "ratio": step["median"] / bound["median"]})
    return rows


def profile_step(batch: int = 256, repeats: int = 5) -> list[dict[str, Any]]:
    """Where one training step's time goes: the operations of :func:`helpers.nn.sgd_step`.

    Each group runs the same numpy calls as the step (for the 64-128-10 ReLU network, in the
    step's own layout: one row per unit, one column per sample, a row of ones for the bias), on
    arrays of the step's shapes, many times in a row; the microseconds per step of each group,
    and their share of the measured step.
    """
    X, y = digits_training_set()
    Xb, yb = X[:batch].copy(), y[:batch].copy()
    rng = np.random.default_rng(SEED)
    hidden = HIDDEN_SIZES[0]
    W1, W2 = nn.init_network([64, hidden, 10], rng, "he")
    inputs = np.ones((batch, 65))
    inputs[:, :-1] = Xb
    a = np.ones((hidden + 1, batch))
    np.maximum(W1.T @ inputs.T, 0.0, out=a[:-1])
    logits = W2.T @ a
    delta = W2[:-1] @ logits
    G1, G2 = np.empty_like(W1), np.empty_like(W2)
    rows = np.arange(batch)

    def products() -> None:
        np.matmul(W1.T, inputs.T, out=a[:-1])
        np.matmul(W2.T, a, out=logits)
        np.matmul(a, logits.T, out=G2)
        np.matmul(W2[:-1], logits, out=delta)
        np.matmul(inputs.T, delta.T, out=G1)

    # Scratch arrays, so that every group writes where the step writes, without copies.
    scores, hidden_out, back = np.empty_like(logits), np.empty_like(a[:-1]), np.empty_like(delta)
    W1_new, W2_new = W1.copy(), W2.copy()

    def copy_input() -> None:
        inputs[:, :-1] = Xb

    def softmax() -> None:
        np.subtract(logits, logits.max(axis=0), out=scores)
        np.exp(scores, out=scores)
        np.multiply(scores, 0.1 / scores.sum(axis=0), out=scores)
        scores[yb, rows] -= 0.1

    def activation() -> None:
        np.maximum(a[:-1], 0.0, out=hidden_out)
        np.multiply(delta, hidden_out > 0, out=back)

    def update() -> None:
        decay = 1.0 - LEARNING_RATE * LAM
        for W, G, new in ((W1, G1, W1_new), (W2, G2, W2_new)):
            np.multiply(W[:-1], decay, out=new[:-1])
            np.subtract(new, G, out=new)

    weights = [W1.copy(), W2.copy()]
    workspace = nn.Workspace()

    def step() -> None:
        nn.sgd_step(Xb, yb, weights, 0.0, ACTIVATION, LAM, workspace)

    def per_call(fn: Callable[[], None], count: int = 400) -> float:
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(count):
                fn()
            best = min(best, (time.perf_counter() - start) / count)
        return best * 1e6

    total = per_call(step)
    rows_out = [
        {"part": "matrix products (bias rows included)", "us": per_call(products)},
        {"part": "input batch copied beside its column of ones", "us": per_call(copy_input)},
        {"part": "softmax: max, exp, normalise, labels", "us": per_call(softmax)},
        {"part": "ReLU: forward, backward mask", "us": per_call(activation)},
        {"part": "L2 decay and update", "us": per_call(update)},
    ]
    rows_out.append({"part": "measured sgd_step", "us": total})
    for row in rows_out:
        row["share"] = f"{row['us'] / total:.0%}"
    return rows_out


def print_step_table(rows: list[dict[str, Any]], print_table: Callable) -> None:
    """Print the step-vs-floor table."""
    hidden = "-".join(map(str, HIDDEN_SIZES))
    print_table(f"MLP training step vs its matrix-product floor (64-{hidden}-10, {ACTIVATION}, "
                f"float64; aim: ratio <= 1.5 at batch >= 256)", rows,
                [("batch", "batch"), ("step_ms", "step ms"), ("step_min_ms", "min"),
                 ("step_max_ms", "max"), ("floor_ms", "floor ms"), ("floor_min_ms", "min"),
                 ("floor_max_ms", "max"), ("ratio", "step / floor")])


def bench_torch(repeats: int) -> dict[str, Any]:
    """The same steps (network, data, batches, initial weights) in PyTorch on the CPU."""
    try:
        import torch
    except ImportError:
        print("\n## PyTorch comparison\n\nskipped: torch is not installed "
              "(`python -m pip install -r benchmarks/requirements.txt`)")
        return {"skipped": "torch is not installed"}
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1)))
    threads = torch.get_num_threads()
    torch.manual_seed(SEED)
    X, y = digits_training_set()
    sizes = [X.shape[1], *HIDDEN_SIZES, 10]
    numpy_rows = {row["batch"]: row for row in bench_step_vs_floor(repeats)}
    rows = []
    for batch in BATCH_SIZES:
        steps = STEPS_PER_REPEAT[batch]
        batches = [(torch.from_numpy(a), torch.from_numpy(b))
                   for a, b in _batches(X, y, batch, steps)]
        start_weights = nn.init_network(sizes, np.random.default_rng(SEED), "he")
        layers = []
        for W in start_weights:
            linear = torch.nn.Linear(W.shape[0] - 1, W.shape[1], dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(W[:-1].T.copy()))
                linear.bias.copy_(torch.from_numpy(W[-1].copy()))
            layers += [linear, torch.nn.ReLU()]
        model = torch.nn.Sequential(*layers[:-1])
        # L2 on the weights only, not the biases: the same penalty as l2_penalty
        optimiser = torch.optim.SGD(
            [{"params": [m.weight for m in model if hasattr(m, "weight")], "weight_decay": LAM},
             {"params": [m.bias for m in model if hasattr(m, "bias")], "weight_decay": 0.0}],
            lr=LEARNING_RATE)
        loss_fn = torch.nn.CrossEntropyLoss()

        def train(batches=batches, model=model, optimiser=optimiser, loss_fn=loss_fn) -> None:
            for X_batch, y_batch in batches:
                optimiser.zero_grad(set_to_none=True)
                loss_fn(model(X_batch), y_batch).backward()
                optimiser.step()

        train()
        timing = _median_per_step(train, steps, repeats)
        size = batch or len(X)
        numpy_ms = numpy_rows[size]["step_ms"]
        rows.append({"batch": size, "numpy_ms": numpy_ms, "torch_ms": timing["median"] * 1e3,
                     "torch_min_ms": timing["min"] * 1e3, "torch_max_ms": timing["max"] * 1e3,
                     "numpy_over_torch": numpy_ms / (timing["median"] * 1e3)})
    return {"torch": torch.__version__, "torch_threads": threads, "rows": rows}


def print_torch_table(result: dict[str, Any], print_table: Callable) -> None:
    """Print the numpy-vs-PyTorch table."""
    if "rows" not in result:
        return
    print_table(f"numpy vs PyTorch {result['torch']} on the CPU (float64, torch threads "
                f"{result['torch_threads']}, numpy BLAS threads as set by --threads)",
                result["rows"],
                [("batch", "batch"), ("numpy_ms", "numpy ms"), ("torch_ms", "torch ms"),
                 ("torch_min_ms", "min"), ("torch_max_ms", "max"),
                 ("numpy_over_torch", "numpy / torch")])


class _Reached(Exception):
    """Raised from a training callback to stop the clock once the target is reached."""


def _time_until(train: Callable[[Callable[..., None]], None],
                reached: Callable[..., bool], repeats: int) -> dict[str, Any]:
    samples, ok = [], True
    for _ in range(repeats):
        def callback(*args) -> None:
            if reached(*args):
                raise _Reached

        start = time.perf_counter()
        try:
            train(callback)
            ok = False
        except _Reached:
            pass
        samples.append(time.perf_counter() - start)
    samples.sort()
    return {"reached": ok, "median": samples[len(samples) // 2], "min": samples[0],
            "max": samples[-1]}


def bench_time_to_accuracy(repeats: int) -> list[dict[str, Any]]:
    """Wall time to 97% test accuracy (digits, notebook 05's project network, trained with
    :func:`helpers.nn.train_classifier`) and 97% train accuracy (ring, notebook 04)."""
    from helpers.data import load_ring
    from helpers.reference.backpropagation import train_mlp
    from helpers.reference.neural_networks import mlp_forward

    rows = []
    X_train, y_train, X_val, y_val, X_test, y_test = digits_split()

    def digits(callback) -> None:
        nn.train_classifier(X_train, y_train, X_val, y_val, n_epochs=200,
                            rng=np.random.default_rng(0), callback=callback, **PROJECT)

    def digits_reached(epoch, weights, history) -> bool:
        return float(np.mean(nn.predict_classes(X_test, weights) == y_test)) >= 0.97

    rows.append({"model": "digits MLP (notebook 05)", "target": "97% test",
                 **_time_until(digits, digits_reached, repeats)})

    X_ring, y_ring = load_ring()
    train = np.random.default_rng(0).permutation(len(y_ring))[:300]  # notebook 04's split
    X_ring, y_ring = X_ring[train], y_ring[train]

    def ring(callback) -> None:
        train_mlp(X_ring, y_ring, (8,), 2.0, 5000, np.random.default_rng(1), callback=callback)

    def ring_reached(iteration, weights, loss) -> bool:
        if iteration % 10:
            return False
        p = mlp_forward(X_ring, weights)[0][-1][:, 0]
        return float(np.mean((p >= 0.5) == (y_ring == 1))) >= 0.97

    rows.append({"model": "ring MLP 2-8-1 sigmoid (notebook 04)", "target": "97% train",
                 **_time_until(ring, ring_reached, repeats)})
    return rows
