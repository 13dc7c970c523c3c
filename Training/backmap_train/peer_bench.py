"""Peer benchmark: the engine's two workloads written plainly in TensorFlow (VGG7, ResNet20).

    python -m backmap_train.peer_bench --model vgg7|resnet20 [--image 0] [--threads 2] [--json] …

Same weights (`Models/<model>.safetensors`), same image, same machine as `backmap bench`:

- single-unit back-map: one `tf.function` with `tf.GradientTape` that returns the gradient of
  logit `--unit` with respect to the image (H^I) and to every bias (BN betas and fc.bias: the
  gradient with respect to a BN beta is the one with respect to the folded bias), i.e. what
  JAX `jit(grad)` gives for H = [H^I; H^b]. Median wall time over `--repeats` calls after 20
  warm-up calls.
- Algorithm 1 (whole-network verification): the network with batch norm folded, linearised at
  the image (activation pattern fixed), propagates all d_in tangent directions (VGG7 3072 + 394,
  ResNet20 3072 + 1194; ResNet20 in `peer_resnet.py`)
  (one-hot pixels, then one per bias scalar, injected where that bias is added) in chunks of
  `--chunk` (default 256 for VGG7, 512 for ResNet20); after each conv and the FC it accumulates ĉ = Tᵀ·[x; x_b] (before the layer's
  own bias, as the paper and `backmap verify` do) and compares it with the actual value c:
  ε = (ĉ − c) / c. Median of 3 runs after 1 warm-up.

Built-in checks: H from the GradientTape equals the FC column of Algorithm 1's Jacobian, and
with `--compare-map FILE` it is compared with the engine's `backmap map … --mode rm0` output.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar

import numpy as np

from .train import TRAINING_DIR

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402  (no op has run yet: the thread settings still apply)

from . import peer_resnet, safetensors_io  # noqa: E402
from .peer_layout import COLOURS, IMAGE_SIZE, SIDE, JointInputLayout  # noqa: E402
from .data import read_batch  # noqa: E402
from .models import BN_EPSILON, VGG7_CHANNELS, Model  # noqa: E402

MODELS_DIR = os.path.join(TRAINING_DIR, "..", "Models")
DEFAULT_DATA = os.path.join(TRAINING_DIR, "..", "..", "shared", "data",
                            "cifar-10-batches-bin", "test_batch.bin")
POOLED_AFTER = (1, 3)        # VGG7: avg-pool (3, 2, SAME) after conv1 and conv3
WARMUP_CALLS = 20
ALG1_WARMUP, ALG1_RUNS = 1, 3
TINY = float(np.finfo(np.float32).tiny)   # replaces c == 0 in ε (NOTES.md §4)
T = TypeVar("T")


@dataclass
class Folded(JointInputLayout):
    """VGG7 with batch norm folded into the kernels (NOTES.md Eq. 7); x_b in layer order."""
    kernels: list[tf.Tensor]     # conv0 … conv5, HWIO
    biases: list[np.ndarray]     # folded conv biases, then fc.bias (the slices of x_b)
    fc_weight: tf.Tensor


@dataclass
class LayerRow:
    """One row of `backmap verify`'s table."""
    layer: str
    units: int
    within_one_percent: float
    max_abs_error: float
    median_abs_error: float
    max_abs_error_significant: float   # over units with |c| ≥ 1e-6 · max |c|

    def to_json(self) -> dict[str, object]:
        """The keys of `backmap verify --json`."""
        return {"layer": self.layer, "units": self.units,
                "withinOnePercent": self.within_one_percent,
                "maxAbsError": self.max_abs_error, "medianAbsError": self.median_abs_error,
                "maxAbsErrorSignificant": self.max_abs_error_significant}


def load_weights(path: str, name: str) -> dict[str, np.ndarray]:
    tensors, meta = safetensors_io.load(path)
    if meta.get("model") != name:
        raise ValueError(f"{path}: metadata model = {meta.get('model')!r}, expected {name!r}")
    if meta.get("padding", "tf-same") != "tf-same":
        raise ValueError(f"{path}: padding {meta['padding']!r}; only tf-same is implemented")
    if abs(float(meta.get("bn_epsilon", BN_EPSILON)) - BN_EPSILON) > 1e-12:
        raise ValueError(f"{path}: bn_epsilon {meta['bn_epsilon']} differs from {BN_EPSILON}")
    slope = Model(name).leaky_slope
    if slope is not None and abs(float(meta.get("leaky_slope", slope)) - slope) > 1e-12:
        raise ValueError(f"{path}: leaky_slope {meta['leaky_slope']} differs from {slope}")
    return tensors


def build_model(tensors: dict[str, np.ndarray], name: str) -> Model:
    model = Model(name, classes=tensors["fc.bias"].shape[0])
    missing = sorted(set(model.params) - set(tensors))
    extra = sorted(set(tensors) - set(model.params))
    if missing or extra:
        raise ValueError(f"tensor names differ from Model({name!r}): missing {missing}, "
                         f"unexpected {extra}")
    model.load_numpy(tensors)
    return model


def fold(tensors: dict[str, np.ndarray]) -> Folded:
    kernels, biases = [], []
    for i in range(len(VGG7_CHANNELS)):
        g, beta, mean, var = (tensors[f"bn{i}.{k}"].astype(np.float64)
                              for k in ("gamma", "beta", "moving_mean", "moving_variance"))
        factor = g / np.sqrt(var + BN_EPSILON)
        kernels.append(tf.constant(tensors[f"conv{i}.weight"] * factor, tf.float32))
        biases.append((beta - mean * factor).astype(np.float32))
    biases.append(tensors["fc.bias"].astype(np.float32))
    return Folded(kernels, biases, tf.constant(tensors["fc.weight"], tf.float32))


def conv(t: tf.Tensor, kernel: tf.Tensor) -> tf.Tensor:
    return tf.nn.conv2d(t, kernel, strides=1, padding="SAME")


def pool(t: tf.Tensor) -> tf.Tensor:
    return tf.nn.avg_pool2d(t, ksize=3, strides=2, padding="SAME")   # counts valid elements


# -- single-unit back-map ----------------------------------------------------------------------

def single_unit_fn(model: Model, unit: int) -> Callable[[tf.Tensor], tuple[tf.Tensor, tf.Tensor]]:
    """x [1, 32, 32, 3] -> (H^I [32, 32, 3], H^b) of logit `unit` by reverse mode."""
    biases = [v for k, v in model.params.items() if k.endswith(".beta")]   # layer order
    biases.append(model.params["fc.bias"])

    @tf.function(input_signature=[tf.TensorSpec([1, SIDE, SIDE, COLOURS], tf.float32)])
    def grad(x: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = model.forward(model.params, x, training=False)[0, unit]
        gx, *gb = tape.gradient(y, [x, *biases])
        return gx[0], tf.concat(gb, axis=0)

    return grad


# -- Algorithm 1 -------------------------------------------------------------------------------

def forward_folded(net: Folded, x: tf.Tensor) -> tuple[list[tf.Tensor], list[tf.Tensor]]:
    """Values c before each layer's own bias (conv0 … conv5, fc) and the ReLU masks."""
    values, masks = [], []
    h = x
    for i, kernel in enumerate(net.kernels):
        c = conv(h, kernel)
        pre = c + net.biases[i]
        values.append(c)
        masks.append(tf.cast(pre > 0, tf.float32))
        h = tf.nn.relu(pre)
        if i in POOLED_AFTER:
            h = pool(h)
    values.append(tf.reduce_mean(h, axis=[1, 2]) @ net.fc_weight)
    return values, masks


def tangent_chunk_fn(net: Folded) -> Callable[..., tuple[list[tf.Tensor], tf.Tensor]]:
    """Propagates the directions `idx` of [x; x_b] through the linearised network.

    Returns ĉ's contribution Tᵀ·z[idx] per layer conv1 … conv5, fc (own bias not yet added
    when ĉ is taken, like c) and the FC tangents [n, classes] (rows of the FC Jacobian).
    """
    offsets = net.bias_offsets()
    widths = [k.shape[-1] for k in net.kernels]
    mask_specs, side = [], SIDE
    for i, width in enumerate(widths):
        mask_specs.append(tf.TensorSpec([1, side, side, width], tf.float32))
        side = (side + 1) // 2 if i in POOLED_AFTER else side

    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32),
                                  tf.TensorSpec([None], tf.float32), mask_specs])
    def chunk(idx: tf.Tensor, z: tf.Tensor, masks: list[tf.Tensor]
              ) -> tuple[list[tf.Tensor], tf.Tensor]:
        n = tf.shape(idx)[0]
        t = tf.reshape(tf.one_hot(idx, IMAGE_SIZE), [n, SIDE, SIDE, COLOURS])
        contributions = []
        for i, kernel in enumerate(net.kernels):
            t = conv(t, kernel)
            if i > 0:
                contributions.append(tf.linalg.matvec(tf.reshape(t, [n, -1]), z,
                                                      transpose_a=True))
            # this layer's bias directions enter after ĉ is taken (own bias excluded)
            t += tf.one_hot(idx - offsets[i], widths[i])[:, None, None, :]
            t *= masks[i]
            if i in POOLED_AFTER:
                t = pool(t)
        t_fc = tf.reduce_mean(t, axis=[1, 2]) @ net.fc_weight
        contributions.append(tf.linalg.matvec(t_fc, z, transpose_a=True))
        return contributions, t_fc

    return chunk


@dataclass(frozen=True)
class Architecture:
    """How the peer folds, runs and linearises one model."""
    fold: Callable[[dict[str, np.ndarray]], Any]
    forward: Callable[[Any, tf.Tensor], tuple[list[tf.Tensor], list[tf.Tensor]]]
    chunk_fn: Callable[[Any], Callable[..., tuple[list[tf.Tensor], tf.Tensor]]]
    flop: Callable[[Any, int], float]
    chunk: int   # default tangent directions per call (ResNet20: 512 to fit in memory)


def algorithm1(net: Any, arch: Architecture, chunk_fn: Callable, x: tf.Tensor, chunk: int
               ) -> tuple[list[tf.Tensor], tf.Tensor]:
    """ĉ of every unit of the verified layers, and the FC Jacobian [d_in, classes]."""
    _, masks = arch.forward(net, x)
    z = tf.concat([tf.reshape(x, [-1]), tf.constant(net.bias_vector)], axis=0)
    d_in = int(z.shape[0])
    totals: Optional[list[tf.Tensor]] = None
    jacobian = []
    for start in range(0, d_in, chunk):
        idx = tf.range(start, min(start + chunk, d_in), dtype=tf.int32)
        parts, t_fc = chunk_fn(idx, tf.gather(z, idx), masks)
        totals = parts if totals is None else [a + b for a, b in zip(totals, parts)]
        jacobian.append(t_fc)
    assert totals is not None
    return totals, tf.concat(jacobian, axis=0)


ARCHITECTURES: dict[str, Architecture] = {}


def tangent_flop(net: Folded, d_in: int) -> float:
    """2 · MACs of the convolutions and the FC applied to d_in tangents."""
    macs, side = 0, SIDE
    for i, kernel in enumerate(net.kernels):
        kh, kw, cin, cout = kernel.shape
        macs += side * side * kh * kw * cin * cout
        if i in POOLED_AFTER:
            side = (side + 1) // 2
    macs += int(np.prod(net.fc_weight.shape))
    return 2.0 * macs * d_in


ARCHITECTURES.update({
    "vgg7": Architecture(fold, forward_folded, tangent_chunk_fn, tangent_flop, 256),
    "resnet20": Architecture(
        lambda t: peer_resnet.fold_resnet(t, float(Model("resnet20").leaky_slope or 0.0)),
        peer_resnet.forward_resnet, peer_resnet.tangent_chunk_fn, peer_resnet.tangent_flop, 512),
})


def layer_row(name: str, c_hat: np.ndarray, c: np.ndarray) -> LayerRow:
    c_hat, c = c_hat.astype(np.float64).ravel(), c.astype(np.float64).ravel()
    eps = np.abs((c_hat - c) / np.where(c == 0, TINY, c))
    significant = np.abs(c) >= 1e-6 * np.abs(c).max()
    return LayerRow(name, c.size, 100.0 * float(np.mean(eps <= 0.01)), float(eps.max()),
                    float(np.median(eps)), float(eps[significant].max()))


def relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / max |b|."""
    return float(np.abs(a - b).max() / max(np.abs(b).max(), TINY))


def compare_map(path: str, name: str, image: int, h_image: np.ndarray, h_bias: np.ndarray
                ) -> dict[str, object]:
    """Compares with `backmap map --mode rm0` output (own bias excluded: fc.bias entries 0)."""
    tensors, meta = safetensors_io.load(path)
    if meta.get("model") != name or meta.get("image") != str(image):
        raise ValueError(f"{path}: model {meta.get('model')!r}, image {meta.get('image')!r}; "
                         f"expected {name}, {image}")
    own = [k for k, e in enumerate(meta.get("bias_entries", "").split(","))
           if e.startswith("fc.bias")]
    keep = np.setdiff1d(np.arange(h_bias.size), own)
    return {"file": path, "mode": meta.get("mode"),
            "hImage": relative_difference(h_image, tensors["H_I"]),
            "hBias": relative_difference(h_bias[keep], tensors["H_b"][keep])}


def median_seconds(fn: Callable[[], T], warmup: int, runs: int) -> tuple[float, T]:
    """Median wall time of `runs` calls after `warmup` calls, and the last result."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="vgg7", choices=sorted(ARCHITECTURES),
                    help="vgg7 or resnet20 (resnet20-fixup is not implemented)")
    ap.add_argument("--weights", default=None,
                    help="safetensors file (default ../Models/<model>.safetensors)")
    ap.add_argument("--data", default=DEFAULT_DATA,
                    help="CIFAR-10 binary batch (default "
                         "../../shared/data/cifar-10-batches-bin/test_batch.bin)")
    ap.add_argument("--image", type=int, default=0, help="record index in --data")
    ap.add_argument("--unit", type=int, default=0, help="logit of the single-unit back-map")
    ap.add_argument("--threads", type=int, default=2, help="TensorFlow intra-op threads")
    ap.add_argument("--repeats", type=int, default=201, help="timed single-unit calls")
    ap.add_argument("--chunk", type=int, default=None,
                    help="tangent directions per batch (default 256 for vgg7, 512 for resnet20)")
    ap.add_argument("--compare-map", metavar="FILE", default=None,
                    help="output of `backmap map --model <model> --layer fc --mode rm0` for the "
                         "same image and unit, compared with the GradientTape H")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    arch = ARCHITECTURES[args.model]
    args.chunk = args.chunk or arch.chunk
    args.weights = args.weights or os.path.join(MODELS_DIR, f"{args.model}.safetensors")
    if args.repeats < 1 or args.chunk < 1 or args.threads < 1:
        ap.error("--repeats, --chunk and --threads must be positive")

    # The peer at its fastest: no op determinism (train.py turns it on for reproducible runs).
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tensors = load_weights(args.weights, args.model)
    model, net = build_model(tensors, args.model), arch.fold(tensors)
    if not 0 <= args.unit < net.biases[-1].size:
        ap.error(f"--unit {args.unit}: the model has {net.biases[-1].size} outputs")
    images, _ = read_batch(args.data)
    if not 0 <= args.image < len(images):
        ap.error(f"--image {args.image}: {args.data} holds {len(images)} images")
    x = tf.constant(images[args.image:args.image + 1], tf.float32) / 255.0
    d_in = IMAGE_SIZE + net.bias_vector.size

    # Single-unit back-map (reverse mode).
    grad = single_unit_fn(model, args.unit)
    single_s, (gx, gb) = median_seconds(lambda: grad(x), WARMUP_CALLS, args.repeats)
    h_image, h_bias = gx.numpy(), gb.numpy()

    # Algorithm 1 (forward mode, all d_in directions).
    chunk_fn = arch.chunk_fn(net)
    alg1_s, (c_hats, jacobian) = median_seconds(
        lambda: algorithm1(net, arch, chunk_fn, x, args.chunk), ALG1_WARMUP, ALG1_RUNS)
    values, _ = arch.forward(net, x)
    rows = [layer_row(name, c_hat.numpy(), c.numpy())
            for name, c_hat, c in zip(net.verified_layers, c_hats, values[1:], strict=True)]
    flop = arch.flop(net, d_in)

    # Checks: reverse mode = column of the forward-mode Jacobian (fc.bias: own bias, skipped).
    column = jacobian.numpy()[:, args.unit]
    n_conv_bias = d_in - IMAGE_SIZE - net.biases[-1].size
    checks: dict[str, object] = {
        "hImageVsAlgorithm1": relative_difference(h_image.ravel(), column[:IMAGE_SIZE]),
        "hBiasVsAlgorithm1": relative_difference(h_bias[:n_conv_bias],
                                                 column[IMAGE_SIZE:IMAGE_SIZE + n_conv_bias])}
    if args.compare_map:
        checks["engineMap"] = compare_map(args.compare_map, args.model, args.image, h_image,
                                          h_bias)

    report = {"model": args.model, "tensorflow": tf.__version__, "image": args.image,
              "unit": args.unit, "threads": args.threads, "dIn": d_in, "chunk": args.chunk,
              "singleUnitRepeats": args.repeats, "singleUnitMs": single_s * 1e3,
              "algorithm1Runs": ALG1_RUNS, "algorithm1Seconds": alg1_s,
              "algorithm1Gflop": flop / 1e9, "algorithm1Gflops": flop / alg1_s / 1e9,
              "checks": checks, "layers": [r.to_json() for r in rows]}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"peer benchmark: TensorFlow {tf.__version__}, {args.model}, image {args.image}, "
          f"{args.threads} thread(s), float32, own bias excluded from c and ĉ")
    print(f"single-unit back-map (GradientTape, fc unit {args.unit}, H^I and H^b): "
          f"{single_s * 1e3:.3f} ms (median of {args.repeats} after {WARMUP_CALLS} warm-up)")
    print(f"Algorithm 1 (d_in = {d_in}, chunk {args.chunk}): {alg1_s:.3f} s "
          f"(median of {ALG1_RUNS} after {ALG1_WARMUP} warm-up), "
          f"{flop / 1e9:.1f} GFLOP, {flop / alg1_s / 1e9:.2f} GFLOP/s")
    print(f"check: GradientTape H vs Algorithm 1 FC column: H^I "
          f"{checks['hImageVsAlgorithm1']:.2e}, H^b {checks['hBiasVsAlgorithm1']:.2e} "
          f"(max |Δ| / max |H|)")
    if "engineMap" in checks:
        m = checks["engineMap"]
        assert isinstance(m, dict)
        print(f"check: GradientTape H vs engine {m['mode']}: H^I {m['hImage']:.2e}, "
              f"H^b {m['hBias']:.2e} (max |Δ| / max |H|, own bias excluded)")
    header = ("layer", "units", "% |ε| ≤ 1%", "max |ε|", "median |ε|",
              "max |ε|, |c| ≥ 1e-6·max")
    lines = [(r.layer, str(r.units), f"{r.within_one_percent:.4f}", f"{r.max_abs_error:.3e}",
              f"{r.median_abs_error:.3e}", f"{r.max_abs_error_significant:.3e}") for r in rows]
    widths = [max(len(row[k]) for row in [header, *lines]) for k in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *lines]:
        cells = [cell.ljust(w) if j == 0 else cell.rjust(w)
                 for j, (cell, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
