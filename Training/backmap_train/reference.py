"""Independent numpy (float64) forward pass that reads a weight file as the engine would.

It folds batch norm (NOTES.md Eq. 7), pads like TensorFlow's SAME, and is used by the export
to check that the weight file and the parity fixture describe the same network.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np


def same_pads(size: int, stride: int, window: int = 3) -> tuple[int, int]:
    out = -(-size // stride)
    total = max((out - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


def conv(x: np.ndarray, w: np.ndarray, stride: int = 1) -> np.ndarray:
    """x [n, h, w, c], w HWIO [3, 3, c, o]; TensorFlow SAME padding."""
    n, h, wd, c = x.shape
    (t, b), (l, r) = same_pads(h, stride), same_pads(wd, stride)
    xp = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)))
    oh, ow = -(-h // stride), -(-wd // stride)
    out = np.zeros((n, oh, ow, w.shape[3]))
    for dy in range(3):
        for dx in range(3):
            patch = xp[:, dy:dy + stride * oh:stride, dx:dx + stride * ow:stride, :]
            out += patch @ w[dy, dx]
    return out


def avg_pool_3_2_same(x: np.ndarray) -> np.ndarray:
    n, h, wd, c = x.shape
    (t, b), (l, r) = same_pads(h, 2), same_pads(wd, 2)
    xp = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)))
    ones = np.pad(np.ones((1, h, wd, 1)), ((0, 0), (t, b), (l, r), (0, 0)))
    oh, ow = -(-h // 2), -(-wd // 2)
    s = np.zeros((n, oh, ow, c))
    cnt = np.zeros((1, oh, ow, 1))
    for dy in range(3):
        for dx in range(3):
            s += xp[:, dy:dy + 2 * oh:2, dx:dx + 2 * ow:2, :]
            cnt += ones[:, dy:dy + 2 * oh:2, dx:dx + 2 * ow:2, :]
    return s / cnt


def forward(t: Mapping[str, np.ndarray], meta: Mapping[str, str], x: np.ndarray
            ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Logits and pre-activations `conv{i}` for images x [n, 32, 32, 3] in [0, 1]."""
    p = {k: v.astype(np.float64) for k, v in t.items()}
    model = meta["model"]
    if meta.get("padding") != "tf-same":
        raise ValueError("reference implements padding=tf-same only")
    pre: dict[str, np.ndarray] = {}

    def folded(i: int, h: np.ndarray, stride: int = 1) -> np.ndarray:
        eps = float(meta["bn_epsilon"])
        g = p[f"bn{i}.gamma"] / np.sqrt(p[f"bn{i}.moving_variance"] + eps)
        w = p[f"conv{i}.weight"] * g
        b = p[f"bn{i}.beta"] - p[f"bn{i}.moving_mean"] * g
        if f"conv{i}.bias" in p:
            b = b + p[f"conv{i}.bias"] * g
        return conv(h, w, stride) + b

    def shortcut(h: np.ndarray, stride: int, cout: int) -> np.ndarray:
        if stride == 1:
            return h
        s = h[:, ::2, ::2, :]
        return np.concatenate([s, np.zeros(s.shape[:3] + (cout - s.shape[3],))], axis=3)

    if model == "vgg7":
        h = x
        for i in range(6):
            h = folded(i, h)
            pre[f"conv{i}"] = h
            h = np.maximum(h, 0)
            if i in (1, 3):
                h = avg_pool_3_2_same(h)
    elif model == "resnet20":
        a_ = float(meta["leaky_slope"])

        def act(v: np.ndarray) -> np.ndarray:
            return np.where(v > 0, v, a_ * v)

        h = folded(0, x)
        pre["conv0"] = h
        h = act(h)
        for k in range(1, 10):
            a, b = 2 * k - 1, 2 * k
            stride = 2 if k in (4, 7) else 1
            y = folded(a, h, stride)
            pre[f"conv{a}"] = y
            y = folded(b, act(y))
            pre[f"conv{b}"] = y
            h = act(y + shortcut(h, stride, y.shape[3]))
    elif model == "resnet20-fixup":
        x = (x - p["input.mean"]) / p["input.std"]
        h = conv(x, p["conv0.weight"]) + p["fixup.bias0"]
        pre["conv0"] = h
        h = np.maximum(h, 0)
        for k in range(1, 10):
            a, b, j = 2 * k - 1, 2 * k, 4 * k - 3
            stride = 2 if k in (4, 7) else 1
            y = conv(h + p[f"fixup.bias{j}"], p[f"conv{a}.weight"], stride) \
                + p[f"fixup.bias{j + 1}"]
            pre[f"conv{a}"] = y
            y = np.maximum(y, 0)
            # the engine folds the multiplier into the kernel: w' = w x scale
            y = conv(y + p[f"fixup.bias{j + 2}"], p[f"conv{b}.weight"] * p[f"fixup.scale{b}"]) \
                + p[f"fixup.bias{j + 3}"]
            pre[f"conv{b}"] = y
            h = np.maximum(y + shortcut(h, stride, y.shape[3]), 0)
    else:
        raise ValueError(f"unknown model {model!r}")
    logits = h.mean(axis=(1, 2)) @ p["fc.weight"] + p["fc.bias"]
    return logits, pre
