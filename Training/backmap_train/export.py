"""Export the best-validation checkpoint to Models/ (docs/WEIGHTS.md):

    Models/<model>.safetensors         weights (batch norm unfolded) + metadata
    Models/<model>.parity.safetensors  parity fixture (test images by index, logits, preacts)
    Models/<model>.md                  model card

With --partial (training not finished) the files are named <model>.partial.* instead, the
metadata says `training_status = partial`, and the test set is not touched.

    python -m backmap_train.export vgg7 [--partial]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

from .train import TRAINING_DIR, configure_tf, fmt_duration, load_npz

REPO_ROOT = os.path.dirname(TRAINING_DIR)
PARITY_IMAGES = (0, 1, 2, 3, 1234, 4567, 7001, 8999)
PARITY_SAMPLES = 16
MODEL_TITLES = {"vgg7": "VGG7", "resnet20": "ResNet20", "resnet20-fixup": "ResNet20-Fixup"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", choices=["vgg7", "resnet20", "resnet20-fixup"])
    ap.add_argument("--partial", action="store_true",
                    help="export the best model so far of an unfinished run (*.partial.*)")
    ap.add_argument("--ckpt-dir", default=None)
    ap.add_argument("--out-dir", default=os.path.join(REPO_ROOT, "Models"))
    ap.add_argument("--data", default=None)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)

    tf = configure_tf(args.threads)
    from . import data as D
    from . import reference, safetensors_io as st
    from .models import BN_EPSILON, Model
    from .recipes import PAPER, Recipe

    ckpt_dir = args.ckpt_dir or os.path.join(TRAINING_DIR, "checkpoints", args.model)
    state = load_npz(os.path.join(ckpt_dir, "state.npz"))
    best = load_npz(os.path.join(ckpt_dir, "best.npz"))
    if state is None or best is None:
        print(f"error: no checkpoint in {ckpt_dir} (state.npz and best.npz); train first with "
              f"Training/train.sh {args.model}", file=sys.stderr)
        return 2
    info = json.loads(str(state["json"]))
    best_info = json.loads(str(best["json"]))
    rd = info["recipe"]
    recipe = Recipe(**{**rd, "augmentation": D.Augmentation(**{
        k: tuple(v) if isinstance(v, list) else v for k, v in rd["augmentation"].items()})})
    finished = info["epoch"] >= recipe.epochs
    if not finished and not args.partial:
        print(f"error: {args.model} has trained {info['epoch']} of {recipe.epochs} epochs; "
              f"pass --partial to export the best model so far as {args.model}.partial.*",
              file=sys.stderr)
        return 2
    if info.get("smoke") and os.path.abspath(args.out_dir) == os.path.join(REPO_ROOT, "Models"):
        print("error: refusing to export a --smoke run into Models/ (use --out-dir)",
              file=sys.stderr)
        return 2
    stem = args.model + ("" if finished else ".partial")
    status = "final" if finished else (f"partial: best of epochs 1-{info['epoch']} of "
                                       f"{recipe.epochs}")

    model = Model(args.model, leaky_slope=recipe.leaky_slope, bn_momentum=recipe.bn_momentum)
    model.load_numpy({k[4:]: v for k, v in best.items() if k.startswith("var/")})
    data_dir = args.data or D.DEFAULT_DATA
    if model.uses_bn:   # precise BN on clean training images (idempotent for new checkpoints)
        splits = D.load_train_val(data_dir)
        model.recalibrate_bn(splits.train_x[D.calibration_indices(len(splits.train_y),
                                                                   D.CALIBRATION_IMAGES)])
    weights = model.numpy_params()

    test_x, test_y = D.load_test(data_dir)
    test_acc = None
    if finished:
        hits = 0
        for i in range(0, len(test_y), 500):
            xb = tf.constant(test_x[i:i + 500], tf.float32) / 255.0
            pred = np.argmax(model.forward(model.params, xb, training=False).numpy(), 1)
            hits += int(np.sum(pred == test_y[i:i + 500]))
        test_acc = hits / len(test_y)

    tf_version = tf.__version__
    meta = {
        "format": "adjoint-notebooks-weights/1",
        "model": args.model,
        "padding": "tf-same",
        "classes": "10",
        "dataset": "cifar10",
        "framework": f"tensorflow {tf_version}",
        "training_status": status,
        "epochs": str(info["epoch"]) if finished else f"{info['epoch']} of {recipe.epochs}",
        "best_epoch": str(best_info["epoch"]),
        "val_accuracy": f"{best_info['val_acc']:.4f}",
        "test_accuracy": f"{test_acc:.4f}" if test_acc is not None else "not measured (partial)",
        "test_images": str(len(test_y)),
        "split": "45000 train / 5000 validation (500 per class, seed "
                 f"{D.SPLIT_SEED}) from data_batch_1..5.bin",
        "schedule": recipe.describe(),
        "augmentation": recipe.augmentation.describe(),
        "train_seconds": f"{info['train_seconds']:.0f}",
    }
    if model.uses_bn:
        meta["bn_epsilon"] = f"{BN_EPSILON:g}"
    if model.leaky_slope is not None:
        meta["leaky_slope"] = f"{model.leaky_slope:g}"
    os.makedirs(args.out_dir, exist_ok=True)
    weights_path = os.path.join(args.out_dir, f"{stem}.safetensors")
    st.save(weights_path, weights, meta)

    # Parity fixture: TensorFlow forward pass in float64 on the exact float32 weights.
    idx = np.array(PARITY_IMAGES, np.int32)
    x64 = tf.constant(test_x[idx], tf.float64) / 255.0
    p64 = {k: tf.constant(v.astype(np.float64)) for k, v in weights.items()}
    cap: dict = {}
    logits64 = model.forward(p64, x64, training=False, capture=cap).numpy()
    cap32: dict = {}
    logits32 = model.forward(model.params, tf.cast(x64, tf.float32), training=False,
                             capture=cap32).numpy()
    fixture = {"images": idx, "logits": logits64.astype(np.float32)}
    for i in range(len(cap)):
        name = f"conv{i}"
        v = cap[name].numpy()
        rng = np.random.RandomState(1000 + i)
        _, h, w, c = v.shape
        pos = np.stack([rng.randint(0, h, PARITY_SAMPLES), rng.randint(0, w, PARITY_SAMPLES),
                        rng.randint(0, c, PARITY_SAMPLES)], axis=1).astype(np.int32)
        fixture[f"preact.{name}"] = v[:, pos[:, 0], pos[:, 1], pos[:, 2]].astype(np.float32)
        fixture[f"preact.{name}.positions"] = pos
    f32_rel = float(np.max(np.abs(logits32 - logits64)) / np.max(np.abs(logits64)))
    parity_meta = {
        "format": "adjoint-notebooks-parity/1",
        "model": args.model,
        "weights": os.path.basename(weights_path),
        "dataset": "cifar10 test_batch.bin",
        "computed_with": f"tensorflow {tf_version}, float64 arithmetic on the float32 weights",
        "tf_float32_max_relative_difference": f"{f32_rel:.3g}",
        "training_status": status,
    }
    parity_path = os.path.join(args.out_dir, f"{stem}.parity.safetensors")
    st.save(parity_path, fixture, parity_meta)

    # Check the files as the engine will read them, with an independent numpy forward pass.
    t2, m2 = st.load(weights_path)
    fx, _ = st.load(parity_path)
    ref_logits, ref_pre = reference.forward(t2, m2, test_x[fx["images"]].astype(np.float64) / 255)
    worst = float(np.max(np.abs(ref_logits - fx["logits"])) / np.max(np.abs(fx["logits"])))
    for i in range(len(cap)):
        pos = fx[f"preact.conv{i}.positions"]
        got = ref_pre[f"conv{i}"][:, pos[:, 0], pos[:, 1], pos[:, 2]]
        want = fx[f"preact.conv{i}"]
        worst = max(worst, float(np.max(np.abs(got - want)) / max(1e-12, np.max(np.abs(want)))))
    print(f"reference check: max relative difference {worst:.2e} (numpy float64 vs fixture); "
          f"TF float32 vs float64 logits {f32_rel:.2e}")
    if worst > 1e-5:
        print("error: the numpy reference disagrees with the fixture", file=sys.stderr)
        return 1

    write_card(os.path.join(args.out_dir, f"{stem}.md"), args.model, stem, meta, info, recipe,
               best_info, test_acc, PAPER[args.model], worst, tf_version)
    print(f"wrote {weights_path}, {parity_path}, {os.path.join(args.out_dir, stem + '.md')}")
    print(f"{args.model}: {status}; best val {best_info['val_acc']:.2%} at epoch "
          f"{best_info['epoch']}" + (f"; test {test_acc:.2%}" if test_acc is not None else ""))
    return 0


def write_card(path, model, stem, meta, info, recipe, best_info, test_acc, paper, worst,
               tf_version) -> None:
    from .safetensors_io import write_atomic_bytes
    title = MODEL_TITLES[model]
    partial = test_acc is None
    hist = info["history"]
    rows = "\n".join(f"| {h['epoch']} | {h['loss']:.4f} | {h['train_acc']:.2%} | "
                     f"{h['val_acc']:.2%} | {h['lr_end']:.4f} | {h['seconds']:.0f} |"
                     for h in hist)
    arch = {
        "vgg7": "conv0 3→32, conv1 32→32, avgpool(3, 2, SAME), conv2 32→64, conv3 64→64, "
                "avgpool(3, 2, SAME), conv4 64→96, conv5 96→96, global average pooling, FC 96→10; "
                "every conv 3×3 SAME, no conv bias, batch norm (ε = 0.001) + ReLU.",
        "resnet20": "widths 32/64/96, conv0 + 9 basic blocks, batch norm (ε = 0.001) + Leaky "
                    f"ReLU (slope {recipe.leaky_slope:g}), γ of each block's second batch norm "
                    "initialised to 0; conv7 and conv13 stride 2 with "
                    "shortcut x[::2, ::2] + zero channels appended; global average pooling, "
                    "FC 96→10; all convs 3×3 SAME, no conv bias.",
        "resnet20-fixup": "widths 32/64/96, no normalisation layers, ReLU, 37 scalar biases and "
                          "9 scalar multipliers (Fixup, Zhang et al. 2019), input normalised "
                          "with mean (0.4914, 0.4822, 0.4465) and std (0.2023, 0.1994, 0.2010); "
                          "Fixup initialisation (branch conv1 He × 9^-1/2, branch conv2 = 0, "
                          "FC = 0); shortcuts as ResNet20; all convs 3×3 SAME.",
    }[model]
    status_line = ("**Partially trained** — an intermediate export for development (parity "
                   "tests); not the final model." if partial else "Final model.")
    test_note = ("The test set has not been used yet." if partial
                 else "The test set was used once, for the number above.")
    schedule_notes = "".join(f"- **Schedule change**: {n}.\n" for n in info.get("notes", []))
    if info.get("notes"):
        reproduce = (f"`Training/train.sh {model}`, applying the schedule changes above in "
                     f"turn (`--shorten-to E` when resuming, `--extend E --extend-peak-lr P` once "
                     f"a run has finished), then `Training/export.sh {model}`.")
    else:
        reproduce = f"`Training/train.sh {model}` then `Training/export.sh {model}`."
    text = f"""# {title} on CIFAR-10 (`{stem}.safetensors`)

{status_line} Status: {meta['training_status']}.

| | this model | paper |
| --- | --- | --- |
| test accuracy | {"not measured (partial export)" if partial else f"{test_acc:.2%}"} on the {meta['test_images']} images of `test_batch.bin` | {paper[0]} |
| validation accuracy (best) | {best_info['val_acc']:.2%} (epoch {best_info['epoch']}) | — |
| epochs | {info['epoch']} of {recipe.epochs} | {paper[1].split('; ')[-1]} |
| schedule | one-cycle style (below) | {paper[1].split('; ')[0]}, plain gradient descent, batch 100 |

- **Architecture**: {arch}
- **Data**: CIFAR-10 binary files from `../shared/data/cifar-10-batches-bin` (a JPEG
  re-encoding of CIFAR-10 with 9,000 of the 10,000 test images; accuracies are comparable to,
  not identical with, published figures). Pixels in [0, 1].
- **Split**: {meta['split']}. {test_note}
- **Augmentation** (the paper's order; colour magnitudes softened from saturation [0, 2],
  contrast [0.4, 1.6], brightness 0.5 because the schedule has {recipe.epochs} rather than
  150–500 epochs): {meta['augmentation']}.
- **Schedule**: {meta['schedule']}. Batch-norm moving averages with momentum
  {recipe.bn_momentum:g} during training; after every epoch (and at export) the
  batch-norm population statistics are re-estimated on 5,000 fixed, un-augmented training
  images ("precise BN"), because statistics averaged over colour-augmented batches cost up to
  ~10 points of validation accuracy. Validation after every epoch; the best-validation
  weights are exported.
{schedule_notes}- **Training time**: {fmt_duration(info['train_seconds'])} of wall time on a shared 2-core CPU
  (TensorFlow {tf_version}, `tensorflow-cpu`), seed {recipe.seed}.
- **Files**: `{stem}.safetensors` (layout of docs/WEIGHTS.md, batch norm unfolded, padding
  `tf-same`) and `{stem}.parity.safetensors` (test images {list(map(int, PARITY_IMAGES))},
  TensorFlow logits and {PARITY_SAMPLES} sampled pre-activations per conv, computed in
  float64 from the stored float32 weights). An independent numpy forward pass from the weight
  file matches the fixture to {worst:.1e} (relative to each tensor's largest value).
- **Reproduce**: {reproduce}

## Training log

| epoch | loss | train acc. | val acc. | lr (end) | seconds |
| --- | --- | --- | --- | --- | --- |
{rows}
"""
    write_atomic_bytes(path, text.encode("utf-8"))


if __name__ == "__main__":
    sys.exit(main())
