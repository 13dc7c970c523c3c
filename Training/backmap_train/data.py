"""CIFAR-10 binary reader, the fixed 45k/5k split, and the paper's augmentation (§6)."""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

RECORD = 3073
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DATA = os.path.join(REPO_ROOT, "..", "shared", "data", "cifar-10-batches-bin")
SPLIT_SEED = 20231126
VAL_PER_CLASS = 500


def read_batch(path: str) -> tuple[np.ndarray, np.ndarray]:
    """Read one CIFAR-10 binary file: uint8 images [n, 32, 32, 3] (RGB) and int32 labels."""
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % RECORD != 0:
        raise ValueError(f"{path}: size {raw.size} is not a multiple of {RECORD} bytes")
    records = raw.reshape(-1, RECORD)
    labels = records[:, 0].astype(np.int32)
    if labels.max(initial=0) > 9:
        raise ValueError(f"{path}: label byte {labels.max()} out of range 0…9")
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


@dataclass
class Splits:
    train_x: np.ndarray
    train_y: np.ndarray
    val_x: np.ndarray
    val_y: np.ndarray


def load_train_val(data_dir: str) -> Splits:
    """The 50k training images split into 45k train / 5k validation (500 per class, fixed seed).

    Indices refer to the concatenation data_batch_1.bin … data_batch_5.bin.
    """
    parts = [read_batch(os.path.join(data_dir, f"data_batch_{i}.bin")) for i in range(1, 6)]
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    val_idx = validation_indices(y)
    mask = np.ones(len(y), dtype=bool)
    mask[val_idx] = False
    return Splits(x[mask], y[mask], x[val_idx], y[val_idx])


def validation_indices(labels: np.ndarray) -> np.ndarray:
    rng = np.random.RandomState(SPLIT_SEED)
    picks = []
    for c in range(10):
        idx = np.flatnonzero(labels == c)
        picks.append(rng.choice(idx, VAL_PER_CLASS, replace=False))
    return np.sort(np.concatenate(picks))


CALIBRATION_IMAGES = 5000


def calibration_indices(n_train: int, count: int) -> np.ndarray:
    """Fixed subset of the training split whose clean images set the BN statistics."""
    rng = np.random.RandomState(SPLIT_SEED + 1)
    return np.sort(rng.choice(n_train, min(count, n_train), replace=False))


def load_test(data_dir: str) -> tuple[np.ndarray, np.ndarray]:
    return read_batch(os.path.join(data_dir, "test_batch.bin"))


@dataclass(frozen=True)
class Augmentation:
    """Magnitudes of the paper's augmentation; the order of the ops is fixed (§6)."""
    saturation: tuple[float, float] = (0.0, 2.0)
    contrast: tuple[float, float] = (0.4, 1.6)
    brightness: float = 0.5
    resize: int = 36

    def describe(self) -> str:
        return (f"random left-right flip; saturation x U[{self.saturation[0]}, "
                f"{self.saturation[1]}]; contrast x U[{self.contrast[0]}, {self.contrast[1]}]; "
                f"brightness + U[-{self.brightness}, {self.brightness}]; clip to [0, 1]; "
                f"bilinear resize to {self.resize}x{self.resize}; random crop 32x32 "
                f"(factors drawn per image)")


PAPER_AUGMENTATION = Augmentation()


def augment(images: tf.Tensor, aug: Augmentation, gen: tf.random.Generator) -> tf.Tensor:
    """Augment a float batch [b, 32, 32, 3] in [0, 1]; every random factor is per image."""
    b = tf.shape(images)[0]
    x = images
    flip = gen.uniform([b, 1, 1, 1]) < 0.5
    x = tf.where(flip, tf.reverse(x, axis=[2]), x)
    if aug.saturation != (1.0, 1.0):
        s = gen.uniform([b, 1, 1], aug.saturation[0], aug.saturation[1])
        hsv = tf.image.rgb_to_hsv(x)
        sat = tf.clip_by_value(hsv[..., 1] * s, 0.0, 1.0)
        x = tf.image.hsv_to_rgb(tf.stack([hsv[..., 0], sat, hsv[..., 2]], axis=-1))
    if aug.contrast != (1.0, 1.0):
        c = gen.uniform([b, 1, 1, 1], aug.contrast[0], aug.contrast[1])
        mean = tf.reduce_mean(x, axis=[1, 2], keepdims=True)
        x = (x - mean) * c + mean
    if aug.brightness > 0:
        x = x + gen.uniform([b, 1, 1, 1], -aug.brightness, aug.brightness)
    x = tf.clip_by_value(x, 0.0, 1.0)
    r = aug.resize
    if r != 32:
        x = tf.image.resize(x, [r, r], method="bilinear")
        oy = gen.uniform([b], 0, r - 32 + 1, dtype=tf.int32)
        ox = gen.uniform([b], 0, r - 32 + 1, dtype=tf.int32)
        rows = oy[:, None] + tf.range(32)[None, :]
        cols = ox[:, None] + tf.range(32)[None, :]
        x = tf.gather(x, rows, axis=1, batch_dims=1)
        x = tf.gather(x, cols, axis=2, batch_dims=1)
    return x
