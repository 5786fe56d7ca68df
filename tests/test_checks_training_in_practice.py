"""The checks of notebook 05 accept correct variants and name each usual mistake.

The wrong functions here are written independently of the checker's own mistake catalogue.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import training_in_practice as checks
from helpers.reference import training_in_practice as ref

# --------------------------------------------------------------------------- correct variants


def split_loop(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    n_val = int(np.round(validation_fraction * len(X)))
    is_val = np.zeros(len(X), dtype=bool)
    is_val[order[:n_val]] = True
    # the training part in the original order: the contract does not fix it
    return X[~is_val], y[~is_val], X[order[:n_val]], y[order[:n_val]]


def split_np_split(X, y, validation_fraction, rng):
    order = rng.permutation(X.shape[0])
    val, train = np.split(order, [round(validation_fraction * X.shape[0])])
    return X[train], y[train], X[val], y[val]


def xavier_stack(n_in, n_out, rng):
    a = (6 / (n_in + n_out)) ** 0.5
    return np.vstack([rng.uniform(-a, a, (n_in, n_out)), np.zeros((1, n_out))])


def xavier_scaled(n_in, n_out, rng):
    W = (2 * rng.random((n_in + 1, n_out)) - 1) * np.sqrt(6 / (n_in + n_out))
    W[n_in, :] = 0
    return W


def he_stack(n_in, n_out, rng):
    return np.concatenate([rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in),
                           np.zeros((1, n_out))])


def l2_loop(weights, lam):
    total = 0.0
    for W in weights:
        for row in W[:-1]:
            total += float(np.dot(row, row))
    return lam * total / 2


def l2_norm_squared(weights, lam):
    return 0.5 * lam * sum(np.linalg.norm(W[:-1]) ** 2 for W in weights)


def l2g_copy(weights, lam):
    out = []
    for W in weights:
        G = W.copy()
        G[-1] = 0
        out.append(lam * G)
    return out


def l2g_vstack(weights, lam):
    return [np.vstack([lam * W[:-1], np.zeros((1, W.shape[1]))]) for W in weights]


def softmax_logsumexp(Z):
    m = np.max(Z, axis=1)[:, None]
    return np.exp(Z - m - np.log(np.sum(np.exp(Z - m), axis=1))[:, None])


def softmax_loop(Z):
    out = np.empty_like(Z)
    for i, row in enumerate(Z):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


def one_hot_eye(y, n_classes):
    return np.eye(n_classes)[y]


def one_hot_compare(y, n_classes):
    return (y[:, None] == np.arange(n_classes)).astype(int)


def ce_loop(Z, Y):
    total = 0.0
    for z, t in zip(Z, Y, strict=True):
        m = z.max()
        total -= float(np.dot(t, z - m - np.log(np.exp(z - m).sum())))
    return total / len(Z)


def ce_labels(Z, Y):
    m = Z.max(axis=1)
    lse = m + np.log(np.exp(Z - m[:, None]).sum(axis=1))
    return np.mean(lse - Z[np.arange(len(Z)), Y.argmax(axis=1)])


def ceg_loop(Z, Y):
    return (softmax_loop(Z) - Y) / len(Z)


CORRECT = [
    ("train_validation_split", split_loop),
    ("train_validation_split", split_np_split),
    ("xavier_init", xavier_stack),
    ("xavier_init", xavier_scaled),
    ("he_init", he_stack),
    ("l2_penalty", l2_loop),
    ("l2_penalty", l2_norm_squared),
    ("l2_penalty_gradient", l2g_copy),
    ("l2_penalty_gradient", l2g_vstack),
    ("softmax", softmax_logsumexp),
    ("softmax", softmax_loop),
    ("one_hot", one_hot_eye),
    ("one_hot", one_hot_compare),
    ("softmax_cross_entropy", ce_loop),
    ("softmax_cross_entropy", ce_labels),
    ("softmax_cross_entropy_gradient", ceg_loop),
]


@pytest.mark.parametrize(("name", "fn"), CORRECT, ids=[f"{n}-{f.__name__}" for n, f in CORRECT])
def test_correct_variants_pass(name, fn, capsys):
    result = getattr(checks, f"check_{name}")(fn)
    assert result, capsys.readouterr().out
    assert "all" in result.message and "passed" in result.message


# --------------------------------------------------------------------------- usual mistakes


def split_unshuffled(X, y, validation_fraction, rng):
    k = round(validation_fraction * len(X))
    return X[k:], y[k:], X[:k], y[:k]


def split_overlapping(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    k = round(validation_fraction * len(X))
    return X, y, X[order[:k]], y[order[:k]]


def split_overlap_one(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    k = round(validation_fraction * len(X))
    return X[order[k - 1:]], y[order[k - 1:]], X[order[:k]], y[order[:k]]


def split_separate_shuffles(X, y, validation_fraction, rng):
    k = round(validation_fraction * len(X))
    Xp = X[rng.permutation(len(X))]
    yp = y[rng.permutation(len(y))]
    return Xp[k:], yp[k:], Xp[:k], yp[:k]


def split_int(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    k = int(validation_fraction * len(X))
    return X[order[k:]], y[order[k:]], X[order[:k]], y[order[:k]]


def split_in_place(X, y, validation_fraction, rng):
    order = rng.permutation(len(X))
    X[:] = X[order]
    y[:] = y[order]
    k = round(validation_fraction * len(X))
    return X[k:].copy(), y[k:].copy(), X[:k].copy(), y[:k].copy()


def xavier_talk(n_in, n_out, rng):
    W = rng.uniform(-0.5, 0.5, (n_in + 1, n_out))
    W[-1] = 0
    return W


def xavier_zeros(n_in, n_out, rng):
    return np.zeros((n_in + 1, n_out))


def xavier_bias(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-a, a, (n_in + 1, n_out))


def xavier_normal(n_in, n_out, rng):
    W = rng.normal(0, np.sqrt(2 / (n_in + n_out)), (n_in + 1, n_out))
    W[-1] = 0
    return W


def xavier_no_bias_row(n_in, n_out, rng):
    a = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-a, a, (n_in, n_out))


def he_variance(n_in, n_out, rng):
    W = rng.normal(0, 2 / n_in, (n_in + 1, n_out))
    W[-1] = 0
    return W


def he_bias(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_in), (n_in + 1, n_out))


def he_fan_out(n_in, n_out, rng):
    W = rng.normal(0, np.sqrt(2 / n_out), (n_in + 1, n_out))
    W[-1] = 0
    return W


def he_uniform(n_in, n_out, rng):
    a = np.sqrt(3) * np.sqrt(2 / n_in)  # the same standard deviation, but uniform
    W = rng.uniform(-a, a, (n_in + 1, n_out))
    W[-1] = 0
    return W


def he_talk(n_in, n_out, rng):
    W = rng.uniform(-0.5, 0.5, (n_in + 1, n_out))
    W[-1] = 0
    return W


def l2_bias(weights, lam):
    return lam / 2 * sum((W ** 2).sum() for W in weights)


def l2_no_half(weights, lam):
    return lam * sum((W[:-1] ** 2).sum() for W in weights)


def l2g_bias(weights, lam):
    return [W * lam for W in weights]


def l2g_in_place(weights, lam):
    out = []
    for W in weights:
        W[-1] = 0
        out.append(lam * W)
    return out


def l2g_alias(weights, lam):
    out = []
    for W in weights:
        G = W
        G *= lam
        G[-1] = 0
        out.append(G)
    return out


def softmax_naive(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def softmax_axis0(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / np.sum(e, axis=0)


def softmax_global_max(Z):
    e = np.exp(Z - Z.max())
    return e / e.sum(axis=1, keepdims=True)


def one_hot_shift(y, n_classes):
    Y = np.zeros((len(y), n_classes))
    Y[np.arange(len(y)), y - 1] = 1
    return Y


def one_hot_extra_column(y, n_classes):
    return np.eye(n_classes + 1)[y]


def one_hot_max(y, n_classes):
    return np.eye(y.max() + 1)[y]


def ce_total(Z, Y):
    return -np.sum(Y * np.log(ref.softmax(Z)))


def ce_naive_log(Z, Y):
    return -np.mean(np.sum(Y * np.log(ref.softmax(Z)), axis=1))


def ce_naive_exp(Z, Y):
    return -np.mean(np.sum(Y * (Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))), axis=1))


def ce_clip(Z, Y):
    P = np.clip(ref.softmax(Z), 1e-15, 1 - 1e-15)
    return -np.mean(np.sum(Y * np.log(P), axis=1))


def ce_mean_everything(Z, Y):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return -np.mean(Y * (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))))


def ceg_no_n(Z, Y):
    return ref.softmax(Z) - Y


def ceg_flipped(Z, Y):
    return (Y - ref.softmax(Z)) / len(Z)


def ceg_naive(Z, Y):
    return (softmax_naive(Z) - Y) / len(Z)


def _stub(*args):
    raise NotImplementedError("Replace this line with your code.")


MISTAKES = [
    ("train_validation_split", split_unshuffled, "not shuffled"),
    ("train_validation_split", split_overlapping, "overlap"),
    ("train_validation_split", split_overlap_one, "overlap by one"),
    ("train_validation_split", split_separate_shuffles, "ONE `order = rng.permutation(n)`"),
    ("train_validation_split", split_int, "use `round(validation_fraction * n)`"),
    ("train_validation_split", split_in_place, "modified its input"),
    ("xavier_init", xavier_talk, "talk's U[-0.5, 0.5]"),
    ("xavier_init", xavier_zeros, "symmetry"),
    ("xavier_init", xavier_bias, "the bias) should be exactly zero"),
    ("xavier_init", xavier_normal, "UNIFORM"),
    ("xavier_init", xavier_no_bias_row, "bias row is missing"),
    ("he_init", he_variance, "variance 2 / n_in as the standard deviation"),
    ("he_init", he_bias, "the bias) should be exactly zero"),
    ("he_init", xavier_zeros, "symmetry"),
    ("he_init", he_fan_out, "not n_out"),
    ("he_init", he_uniform, "NORMAL distribution"),
    ("he_init", he_talk, "talk's U[-0.5, 0.5]"),
    ("l2_penalty", l2_bias, "leave the bias out"),
    ("l2_penalty", l2_no_half, "the 1/2 is there"),
    ("l2_penalty_gradient", l2g_bias, "bias row is not penalised"),
    ("l2_penalty_gradient", l2g_in_place, "changed the caller's weights"),
    ("l2_penalty_gradient", l2g_alias, "changed the caller's weights"),
    ("softmax", softmax_naive, "overflow"),
    ("softmax", softmax_axis0, "normalise each ROW"),
    ("softmax", softmax_global_max, "Z.max(axis=1, keepdims=True)"),
    ("one_hot", one_hot_shift, "off by one"),
    ("one_hot", one_hot_extra_column, "off by one"),
    ("one_hot", one_hot_max, "not `y.max() + 1`"),
    ("softmax_cross_entropy", ce_total, "summed over the batch"),
    ("softmax_cross_entropy", ce_naive_log, "log-sum-exp"),
    ("softmax_cross_entropy", ce_naive_exp, "log-sum-exp"),
    ("softmax_cross_entropy", ce_clip, "log-sum-exp"),
    ("softmax_cross_entropy", ce_mean_everything, "SUM over the classes"),
    ("softmax_cross_entropy_gradient", ceg_no_n, "divide by n"),
    ("softmax_cross_entropy_gradient", ceg_flipped, "sign is flipped"),
    ("softmax_cross_entropy_gradient", ceg_naive, "stable softmax"),
]


@pytest.mark.parametrize(("name", "fn", "phrase"), MISTAKES,
                         ids=[f"{n}-{f.__name__}" for n, f, _ in MISTAKES])
def test_usual_mistakes_are_named(name, fn, phrase, capsys):
    result = getattr(checks, f"check_{name}")(fn)
    assert not result
    assert result.status == "failed"
    assert phrase in result.message, result.message


def test_split_ceil_is_rejected_with_its_hint():
    import math

    from helpers.checks import check_train_validation_split

    def split_ceil(X, y, validation_fraction, rng):
        order = rng.permutation(len(X))
        k = math.ceil(validation_fraction * len(X))
        return X[order[k:]], y[order[k:]], X[order[:k]], y[order[:k]]

    result = check_train_validation_split(split_ceil)
    assert not result and "rounds 2.1 up to 3" in result.message


def test_init_checks_require_the_given_rng():
    import numpy as np

    from helpers.checks import check_he_init, check_xavier_init

    def xavier_global(n_in, n_out, rng):
        a = np.sqrt(6 / (n_in + n_out))
        W = np.random.uniform(-a, a, (n_in + 1, n_out))
        W[-1] = 0
        return W

    def he_fixed_seed(n_in, n_out, rng):
        W = np.random.default_rng(0).normal(0, np.sqrt(2 / n_in), (n_in + 1, n_out))
        W[-1] = 0
        return W

    assert "same seed gave different weights" in check_xavier_init(xavier_global).message
    assert "different seeds gave the same weights" in check_he_init(he_fixed_seed).message
