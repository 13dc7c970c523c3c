"""ResNet20 (batch norm, Leaky ReLU 0.1) in the peer benchmark: folding and Algorithm 1.

The same computation as `backmap verify --model resnet20`, written plainly in TensorFlow:
batch norm folded into each of the 19 kernels (NOTES.md Eq. 7), the network linearised at the
image (Leaky-ReLU slopes fixed), and all d_in = 3072 + 1194 tangent directions of [x; x_b]
(one-hot pixels, then one per bias scalar, injected where that bias is added) propagated in
chunks. After every convolution and the FC, ĉ = Tᵀ·[x; x_b] is accumulated before the layer's
own bias, as the paper and the engine do. Shortcuts are the models' option A (stride-2
subsampling, zero channels appended; `Model._shortcut`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import tensorflow as tf

from .models import BN_EPSILON, WIDTHS, resnet_convs
from .peer_layout import COLOURS, IMAGE_SIZE, SIDE, JointInputLayout

BLOCKS = 9
DOWNSAMPLING_BLOCKS = (4, 7)


@dataclass
class FoldedResNet(JointInputLayout):
    """ResNet20 with batch norm folded; x_b = the folded conv biases in layer order, then fc."""
    kernels: list[tf.Tensor]     # conv0 … conv18, HWIO
    strides: list[int]
    biases: list[np.ndarray]     # folded conv biases conv0 … conv18, then fc.bias
    fc_weight: tf.Tensor
    slope: float


def fold_resnet(tensors: dict[str, np.ndarray], slope: float) -> FoldedResNet:
    kernels, strides, biases = [], [], []
    for i, (_, _, stride) in enumerate(resnet_convs()):
        g, beta, mean, var = (tensors[f"bn{i}.{k}"].astype(np.float64)
                              for k in ("gamma", "beta", "moving_mean", "moving_variance"))
        factor = g / np.sqrt(var + BN_EPSILON)
        kernels.append(tf.constant(tensors[f"conv{i}.weight"] * factor, tf.float32))
        strides.append(stride)
        biases.append((beta - mean * factor).astype(np.float32))
    biases.append(tensors["fc.bias"].astype(np.float32))
    return FoldedResNet(kernels, strides, biases, tf.constant(tensors["fc.weight"], tf.float32),
                        slope)


def shortcut(h: tf.Tensor, stride: int, cout: int) -> tf.Tensor:
    """Option A: identity, or stride-2 subsampling with zero channels appended."""
    if stride == 1 and h.shape[-1] == cout:
        return h
    s = h[:, ::stride, ::stride, :]
    return tf.pad(s, [[0, 0], [0, 0], [0, 0], [0, cout - s.shape[-1]]])


def blocks() -> list[tuple[int, int, int, int]]:
    """(first conv, second conv, stride, out channels) of each residual block."""
    return [(2 * k - 1, 2 * k, 2 if k in DOWNSAMPLING_BLOCKS else 1, WIDTHS[(k - 1) // 3])
            for k in range(1, BLOCKS + 1)]


def forward_resnet(net: FoldedResNet, x: tf.Tensor) -> tuple[list[tf.Tensor], list[tf.Tensor]]:
    """Values c before each layer's own bias (conv0 … conv18, fc) and the activation slopes."""
    values, slopes = [], []

    def conv(h: tf.Tensor, i: int) -> tf.Tensor:
        c = tf.nn.conv2d(h, net.kernels[i], strides=net.strides[i], padding="SAME")
        values.append(c)
        return c + net.biases[i]

    def activate(pre: tf.Tensor) -> tf.Tensor:
        slopes.append(tf.where(pre > 0, 1.0, net.slope))
        return tf.nn.leaky_relu(pre, alpha=net.slope)

    h = activate(conv(x, 0))
    for a, b, stride, cout in blocks():
        y = activate(conv(h, a))
        h = activate(conv(y, b) + shortcut(h, stride, cout))
    values.append(tf.reduce_mean(h, axis=[1, 2]) @ net.fc_weight)
    return values, slopes


def tangent_chunk_fn(net: FoldedResNet) -> Callable[..., tuple[list[tf.Tensor], tf.Tensor]]:
    """Propagates the directions `idx` of [x; x_b] through the linearised network.

    Returns ĉ's contribution Tᵀ·z[idx] per layer conv1 … conv18, fc (own bias not yet added
    when ĉ is taken, like c) and the FC tangents [n, classes] (rows of the FC Jacobian).
    """
    offsets = net.bias_offsets()
    widths = [int(k.shape[-1]) for k in net.kernels]
    slope_specs, side = [], SIDE
    for i, width in enumerate(widths):
        side = side // net.strides[i]
        slope_specs.append(tf.TensorSpec([1, side, side, width], tf.float32))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32),
                                  tf.TensorSpec([None], tf.float32), slope_specs])
    def chunk(idx: tf.Tensor, z: tf.Tensor, slopes: list[tf.Tensor]
              ) -> tuple[list[tf.Tensor], tf.Tensor]:
        n = tf.shape(idx)[0]
        contributions = []

        def conv(t: tf.Tensor, i: int) -> tf.Tensor:
            t = tf.nn.conv2d(t, net.kernels[i], strides=net.strides[i], padding="SAME")
            if i > 0:   # conv0's ĉ is not verified (its tangents are the kernel itself)
                contributions.append(tf.linalg.matvec(tf.reshape(t, [n, -1]), z,
                                                      transpose_a=True))
            # this layer's bias directions enter after ĉ is taken (own bias excluded)
            return t + tf.one_hot(idx - offsets[i], widths[i])[:, None, None, :]

        t = tf.reshape(tf.one_hot(idx, IMAGE_SIZE), [n, SIDE, SIDE, COLOURS])
        h = conv(t, 0) * slopes[0]
        for a, b, stride, cout in blocks():
            y = conv(h, a) * slopes[a]
            h = (conv(y, b) + shortcut(h, stride, cout)) * slopes[b]
        t_fc = tf.reduce_mean(h, axis=[1, 2]) @ net.fc_weight
        contributions.append(tf.linalg.matvec(t_fc, z, transpose_a=True))
        return contributions, t_fc

    return chunk


def tangent_flop(net: FoldedResNet, d_in: int) -> float:
    """2 · MACs of the convolutions and the FC applied to d_in tangents."""
    macs, side = 0, SIDE
    for kernel, stride in zip(net.kernels, net.strides):
        kh, kw, cin, cout = kernel.shape
        side //= stride
        macs += side * side * kh * kw * cin * cout
    macs += int(np.prod(net.fc_weight.shape))
    return 2.0 * macs * d_in
