"""The paper's three models (NOTES.md §5) with tensor names exactly as in docs/WEIGHTS.md.

Parameters live in an ordered dict `name -> tf.Variable`; `forward` takes any mapping of the
same names (variables while training, float64 constants for the parity fixture).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Mapping, MutableMapping, Optional

import numpy as np
import tensorflow as tf

MODELS = ("vgg7", "resnet20", "resnet20-fixup")
WIDTHS = (32, 64, 96)
BN_EPSILON = 1e-3
FIXUP_MEAN = (0.4914, 0.4822, 0.4465)
FIXUP_STD = (0.2023, 0.1994, 0.2010)
VGG7_CHANNELS = ((3, 32), (32, 32), (32, 64), (64, 64), (64, 96), (96, 96))


def resnet_convs() -> list[tuple[int, int, int]]:
    """(in, out, stride) of conv0 … conv18 of ResNet20 with widths 32/64/96."""
    convs = [(3, WIDTHS[0], 1)]
    cin = WIDTHS[0]
    for k in range(1, 10):
        stage = (k - 1) // 3
        cout = WIDTHS[stage]
        stride = 2 if k in (4, 7) else 1
        convs.append((cin, cout, stride))
        convs.append((cout, cout, 1))
        cin = cout
    return convs


class Model:
    """One of the three architectures; holds its variables in export order."""

    def __init__(self, name: str, classes: int = 10, leaky_slope: float = 0.1,
                 bn_momentum: float = 0.95, seed: int = 0):
        if name not in MODELS:
            raise ValueError(f"unknown model {name!r}; expected one of {', '.join(MODELS)}")
        self.name = name
        self.classes = classes
        self.leaky_slope = leaky_slope if name == "resnet20" else None
        self.bn_momentum = bn_momentum
        self.uses_bn = name != "resnet20-fixup"
        self._collect: Optional[dict] = None
        rng = np.random.RandomState(seed)
        init: "OrderedDict[str, np.ndarray]" = OrderedDict()
        self.kernel_names: list[str] = []      # conv kernels (L1 + weight decay)
        self.scalar_names: list[str] = []      # Fixup scalars (lr x 0.1, no weight decay)
        self.frozen_names: list[str] = []      # not trained (BN moving stats, input norm)

        def he(cin: int, cout: int, gain: float = 1.0) -> np.ndarray:
            std = gain * np.sqrt(2.0 / (9 * cin))
            return (rng.standard_normal((3, 3, cin, cout)) * std).astype(np.float32)

        def bn(i: int, c: int) -> None:
            init[f"bn{i}.gamma"] = np.ones(c, np.float32)
            init[f"bn{i}.beta"] = np.zeros(c, np.float32)
            init[f"bn{i}.moving_mean"] = np.zeros(c, np.float32)
            init[f"bn{i}.moving_variance"] = np.ones(c, np.float32)
            self.frozen_names += [f"bn{i}.moving_mean", f"bn{i}.moving_variance"]

        if name == "vgg7":
            for i, (cin, cout) in enumerate(VGG7_CHANNELS):
                init[f"conv{i}.weight"] = he(cin, cout)
                self.kernel_names.append(f"conv{i}.weight")
                bn(i, cout)
        elif name == "resnet20":
            for i, (cin, cout, _) in enumerate(resnet_convs()):
                init[f"conv{i}.weight"] = he(cin, cout)
                self.kernel_names.append(f"conv{i}.weight")
                bn(i, cout)
                if i > 0 and i % 2 == 0:   # last BN of each residual branch starts at γ = 0
                    init[f"bn{i}.gamma"] = np.zeros(cout, np.float32)
        else:
            init["input.mean"] = np.array(FIXUP_MEAN, np.float32)
            init["input.std"] = np.array(FIXUP_STD, np.float32)
            self.frozen_names += ["input.mean", "input.std"]
            blocks = 9
            for i, (cin, cout, _) in enumerate(resnet_convs()):
                if i == 0:
                    w = he(cin, cout)
                elif i % 2 == 1:    # first conv of a residual branch: He x L^(-1/(2m-2))
                    w = he(cin, cout, gain=blocks ** (-0.5))
                else:               # last conv of a residual branch starts at zero
                    w = np.zeros((3, 3, cin, cout), np.float32)
                init[f"conv{i}.weight"] = w
                self.kernel_names.append(f"conv{i}.weight")
            for j in range(37):
                init[f"fixup.bias{j}"] = np.zeros(1, np.float32)
                self.scalar_names.append(f"fixup.bias{j}")
            for i in range(2, 19, 2):
                init[f"fixup.scale{i}"] = np.ones(1, np.float32)
                self.scalar_names.append(f"fixup.scale{i}")
        if name == "resnet20-fixup":
            init["fc.weight"] = np.zeros((WIDTHS[-1], classes), np.float32)
        else:
            limit = np.sqrt(6.0 / (WIDTHS[-1] + classes))
            init["fc.weight"] = rng.uniform(-limit, limit, (WIDTHS[-1], classes)).astype(
                np.float32)
        init["fc.bias"] = np.zeros(classes, np.float32)
        self.params: "OrderedDict[str, tf.Variable]" = OrderedDict(
            (k, tf.Variable(v, name=k.replace(".", "_"), trainable=k not in self.frozen_names))
            for k, v in init.items())
        self.trainable_names = [k for k in self.params if k not in self.frozen_names]

    # -- building blocks -------------------------------------------------------------------

    def _bn(self, p: Mapping[str, tf.Tensor], i: int, x: tf.Tensor, training: bool) -> tf.Tensor:
        gamma, beta = p[f"bn{i}.gamma"], p[f"bn{i}.beta"]
        if training:
            y, mean, var = tf.compat.v1.nn.fused_batch_norm(
                x, tf.cast(gamma, tf.float32), tf.cast(beta, tf.float32),
                epsilon=BN_EPSILON, is_training=True)
            if self._collect is not None:
                self._collect.setdefault(i, []).append((mean, var))
                return y
            m = self.bn_momentum
            mm, mv = self.params[f"bn{i}.moving_mean"], self.params[f"bn{i}.moving_variance"]
            mm.assign(mm * m + mean * (1 - m))
            mv.assign(mv * m + var * (1 - m))
            return y
        dt = x.dtype
        inv = tf.cast(gamma, dt) / tf.sqrt(tf.cast(p[f"bn{i}.moving_variance"], dt) + BN_EPSILON)
        return (x - tf.cast(p[f"bn{i}.moving_mean"], dt)) * inv + tf.cast(beta, dt)

    @staticmethod
    def _conv(p: Mapping[str, tf.Tensor], i: int, x: tf.Tensor, stride: int = 1) -> tf.Tensor:
        w = tf.cast(p[f"conv{i}.weight"], x.dtype)
        return tf.nn.conv2d(x, w, strides=stride, padding="SAME")

    def _act(self, x: tf.Tensor) -> tf.Tensor:
        if self.leaky_slope is not None:
            return tf.nn.leaky_relu(x, alpha=self.leaky_slope)
        return tf.nn.relu(x)

    @staticmethod
    def _shortcut(h: tf.Tensor, stride: int, cout: int) -> tf.Tensor:
        if stride == 1 and h.shape[-1] == cout:
            return h
        s = h[:, ::stride, ::stride, :]
        extra = cout - s.shape[-1]
        return tf.pad(s, [[0, 0], [0, 0], [0, 0], [0, extra]])

    # -- forward ---------------------------------------------------------------------------

    def forward(self, p: Mapping[str, tf.Tensor], x: tf.Tensor, training: bool,
                capture: Optional[MutableMapping[str, tf.Tensor]] = None) -> tf.Tensor:
        """Logits for images `x` [n, 32, 32, 3] in [0, 1] (dtype of `x` is the compute dtype).

        `capture`, if given, receives `conv{i}` -> pre-activation (see docs/WEIGHTS.md).
        """
        cap = capture if capture is not None else {}
        if self.name == "vgg7":
            h = x
            for i in range(6):
                h = self._bn(p, i, self._conv(p, i, h), training)
                cap[f"conv{i}"] = h
                h = tf.nn.relu(h)
                if i in (1, 3):
                    h = tf.nn.avg_pool2d(h, ksize=3, strides=2, padding="SAME")
        elif self.name == "resnet20":
            h = self._bn(p, 0, self._conv(p, 0, x), training)
            cap["conv0"] = h
            h = self._act(h)
            for k, (a, b) in enumerate(zip(range(1, 19, 2), range(2, 19, 2)), start=1):
                stride = 2 if k in (4, 7) else 1
                cout = WIDTHS[(k - 1) // 3]
                y = self._bn(p, a, self._conv(p, a, h, stride), training)
                cap[f"conv{a}"] = y
                y = self._act(y)
                y = self._bn(p, b, self._conv(p, b, y), training)
                cap[f"conv{b}"] = y
                h = self._act(y + self._shortcut(h, stride, cout))
        else:
            dt = x.dtype

            def s(name: str) -> tf.Tensor:
                return tf.cast(p[name], dt)

            x = (x - s("input.mean")) / s("input.std")
            h = self._conv(p, 0, x) + s("fixup.bias0")
            cap["conv0"] = h
            h = tf.nn.relu(h)
            for k in range(1, 10):
                a, b, j = 2 * k - 1, 2 * k, 4 * k - 3
                stride = 2 if k in (4, 7) else 1
                cout = WIDTHS[(k - 1) // 3]
                y = self._conv(p, a, h + s(f"fixup.bias{j}"), stride) + s(f"fixup.bias{j + 1}")
                cap[f"conv{a}"] = y
                y = tf.nn.relu(y)
                y = self._conv(p, b, y + s(f"fixup.bias{j + 2}")) * s(f"fixup.scale{b}") \
                    + s(f"fixup.bias{j + 3}")
                cap[f"conv{b}"] = y
                h = tf.nn.relu(y + self._shortcut(h, stride, cout))
        pooled = tf.reduce_mean(h, axis=[1, 2])
        return tf.matmul(pooled, tf.cast(p["fc.weight"], pooled.dtype)) \
            + tf.cast(p["fc.bias"], pooled.dtype)

    def recalibrate_bn(self, images: np.ndarray, batch: int = 250) -> None:
        """Set the BN population statistics from un-augmented images ("precise BN").

        Each batch runs in training mode (normalised by its own statistics, as in training);
        the moving mean/variance become the exact averages over all the images. Training is
        unaffected (it normalises by batch statistics); only inference changes.
        """
        if not self.uses_bn:
            return
        self._collect = {}
        try:
            for k in range(0, len(images) - batch + 1, batch):
                x = tf.constant(images[k:k + batch], tf.float32) / 255.0
                self.forward(self.params, x, training=True)
            for i, stats in self._collect.items():
                means = np.stack([m.numpy() for m, _ in stats]).astype(np.float64)
                vars_ = np.stack([v.numpy() for _, v in stats]).astype(np.float64)
                mean = means.mean(0)
                var = vars_.mean(0) + (means ** 2).mean(0) - mean ** 2
                self.params[f"bn{i}.moving_mean"].assign(mean.astype(np.float32))
                self.params[f"bn{i}.moving_variance"].assign(var.astype(np.float32))
        finally:
            self._collect = None

    def numpy_params(self) -> "OrderedDict[str, np.ndarray]":
        return OrderedDict((k, v.numpy()) for k, v in self.params.items())

    def load_numpy(self, values: Mapping[str, np.ndarray]) -> None:
        for k, v in self.params.items():
            if k not in values:
                raise KeyError(f"checkpoint is missing tensor {k!r}")
            v.assign(values[k])
