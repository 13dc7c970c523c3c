"""Train one model with per-epoch (and periodic mid-epoch) atomic checkpoints and exact resume.

    python -m backmap_train.train vgg7 [--smoke] [--benchmark N] [--epochs E] …
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from typing import Optional

import numpy as np

TRAINING_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def configure_tf(threads: int):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()
    return tf


def atomic_savez(path: str, arrays: dict) -> None:
    from .safetensors_io import write_atomic_bytes
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    write_atomic_bytes(path, buf.getvalue())


def load_npz(path: str) -> Optional[dict]:
    """Load a checkpoint; None if absent. A corrupt file is reported and ignored."""
    if not os.path.exists(path):
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except Exception as e:  # noqa: BLE001 - a torn file must not stop training
        print(f"warning: ignoring unreadable checkpoint {path}: {e}", file=sys.stderr)
        return None


class Logger:
    def __init__(self, path: str):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.path = path

    def __call__(self, line: str, file_too: bool = True) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
        text = f"[{stamp}Z] {line}"
        print(text, flush=True)
        if file_too:
            with open(self.path, "a") as f:
                f.write(text + "\n")


def fmt_duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rem = divmod(seconds, 3600)
    return f"{h}h{rem // 60:02d}m" if h else f"{rem // 60}m{rem % 60:02d}s"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", choices=["vgg7", "resnet20", "resnet20-fixup"])
    ap.add_argument("--data", default=None, help="cifar-10-batches-bin folder")
    ap.add_argument("--epochs", type=int, default=None, help="override the recipe's epochs "
                    "(only when starting; the schedule depends on it)")
    ap.add_argument("--shorten-to", type=int, default=None, metavar="E",
                    help="resume with a schedule of E epochs instead of the checkpoint's (E must "
                         "exceed the epochs done); recorded in the checkpoint and the model card")
    ap.add_argument("--extend", type=int, default=None, metavar="E",
                    help="continue a run for E more epochs with a new warm-up + cosine cycle "
                         "(a warm restart, Loshchilov & Hutter 2017); recorded in the checkpoint "
                         "and the model card")
    ap.add_argument("--extend-peak-lr", type=float, default=0.05,
                    help="peak learning rate of the --extend cycle")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ckpt-dir", default=None)
    ap.add_argument("--checkpoint-minutes", type=float, default=10.0,
                    help="also checkpoint mid-epoch this often")
    ap.add_argument("--smoke", action="store_true",
                    help="a few short epochs on a small subset into <model>-smoke folders")
    ap.add_argument("--stop-after-steps", type=int, default=None,
                    help="checkpoint and exit after this many steps (tests resume)")
    ap.add_argument("--benchmark", type=int, default=None, metavar="N",
                    help="time N training steps and one validation pass, then exit")
    args = ap.parse_args(argv)

    tf = configure_tf(args.threads)
    from . import data as D
    from .models import Model
    from .recipes import RECIPES, Recipe
    import dataclasses

    tag = args.model + ("-smoke" if args.smoke else "")
    ckpt_dir = args.ckpt_dir or os.path.join(TRAINING_DIR, "checkpoints", tag)
    os.makedirs(ckpt_dir, exist_ok=True)
    state_path = os.path.join(ckpt_dir, "state.npz")
    best_path = os.path.join(ckpt_dir, "best.npz")
    log = Logger(os.path.join(TRAINING_DIR, "logs", f"{tag}.log"))

    state = None if args.benchmark else load_npz(state_path)
    info: dict
    if state is not None:
        info = json.loads(str(state["json"]))
        recipe = Recipe(**{**info["recipe"],
                           "augmentation": D.Augmentation(**{
                               k: tuple(v) if isinstance(v, list) else v
                               for k, v in info["recipe"]["augmentation"].items()})})
        if args.epochs is not None and args.epochs != recipe.epochs:
            log(f"note: --epochs {args.epochs} ignored; the checkpoint's schedule has "
                f"{recipe.epochs} epochs (delete {ckpt_dir} to start over)")
        if args.shorten_to is not None and args.shorten_to != recipe.epochs:
            if args.shorten_to <= info["epoch"]:
                raise SystemExit(f"error: --shorten-to {args.shorten_to}: {info['epoch']} epochs "
                                 "are already done")
            note = (f"schedule changed from {recipe.epochs} to {args.shorten_to} epochs after "
                    f"epoch {info['epoch']} (the cosine curve is recomputed for the new length)")
            log(f"note: {note}")
            info.setdefault("notes", []).append(note)
            recipe = dataclasses.replace(recipe, epochs=args.shorten_to)
            info["recipe"] = recipe.to_dict()
        if args.extend:
            if info["epoch"] < recipe.epochs:
                raise SystemExit(f"error: --extend: the run has done {info['epoch']} of "
                                 f"{recipe.epochs} epochs; finish it first")
            cycle = {"start_epoch": recipe.epochs, "epochs": args.extend,
                     "peak_lr": args.extend_peak_lr}
            note = (f"warm restart after epoch {recipe.epochs}: {args.extend} more epochs, "
                    f"linear warm-up to {args.extend_peak_lr:g} then cosine annealing to 0")
            log(f"note: {note}")
            info.setdefault("notes", []).append(note)
            info.setdefault("cycles", []).append(cycle)
            recipe = dataclasses.replace(recipe, epochs=recipe.epochs + args.extend)
            info["recipe"] = recipe.to_dict()
    else:
        recipe = RECIPES[args.model]
        if args.epochs is not None:
            recipe = dataclasses.replace(recipe, epochs=args.epochs)
        if args.smoke:
            recipe = dataclasses.replace(recipe, epochs=3 if args.epochs is None else
                                         args.epochs)
        info = {"epoch": 0, "step": 0, "best_val": -1.0, "best_epoch": 0, "history": [],
                "train_seconds": 0.0, "sums": [0.0, 0, 0], "recipe": recipe.to_dict(),
                "model": args.model, "smoke": args.smoke}

    data_dir = args.data or D.DEFAULT_DATA
    splits = D.load_train_val(data_dir)
    tx, ty, vx, vy = splits.train_x, splits.train_y, splits.val_x, splits.val_y
    if args.smoke:
        tx, ty, vx, vy = tx[:6 * recipe.batch], ty[:6 * recipe.batch], vx[:500], vy[:500]

    model = Model(args.model, leaky_slope=recipe.leaky_slope, bn_momentum=recipe.bn_momentum,
                  seed=recipe.seed)
    trainable = [model.params[k] for k in model.trainable_names]
    moms = [tf.Variable(tf.zeros_like(v), trainable=False) for v in trainable]
    lr_factor = [recipe.scalar_lr_factor if k in model.scalar_names else 1.0
                 for k in model.trainable_names]
    kernels = [model.params[k] for k in model.kernel_names]
    decayed = kernels + [model.params["fc.weight"]]
    gen = tf.random.Generator.from_seed(recipe.seed + 7)
    aug = recipe.augmentation
    mu = recipe.momentum

    @tf.function(input_signature=[tf.TensorSpec([None, 32, 32, 3], tf.uint8),
                                  tf.TensorSpec([None], tf.int32),
                                  tf.TensorSpec([], tf.float32)])
    def train_step(xb, yb, lr):
        x = D.augment(tf.cast(xb, tf.float32) / 255.0, aug, gen)
        with tf.GradientTape() as tape:
            logits = model.forward(model.params, x, training=True)
            ce = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(yb, logits))
            reg = recipe.l1 * tf.add_n([tf.reduce_sum(tf.abs(w)) for w in kernels]) \
                + 0.5 * recipe.weight_decay * tf.add_n([tf.reduce_sum(w * w) for w in decayed])
            loss = ce + reg
        grads = tape.gradient(loss, trainable)
        for v, g, m, f in zip(trainable, grads, moms, lr_factor):
            m.assign(mu * m + g)
            v.assign_sub((lr * f) * (g + mu * m))
        correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, 1, output_type=tf.int32),
                                                 yb), tf.int32))
        return ce, correct

    @tf.function(input_signature=[tf.TensorSpec([None, 32, 32, 3], tf.uint8)])
    def predict(xb):
        logits = model.forward(model.params, tf.cast(xb, tf.float32) / 255.0, training=False)
        return tf.argmax(logits, 1, output_type=tf.int32)

    def evaluate(x, y, batch=500) -> float:
        hits = 0
        for i in range(0, len(y), batch):
            hits += int(np.sum(predict(x[i:i + batch]).numpy() == y[i:i + batch]))
        return hits / len(y)

    spe = len(ty) // recipe.batch
    calib_idx = D.calibration_indices(len(ty), 1000 if args.smoke else D.CALIBRATION_IMAGES)
    cycles = info.get("cycles", [])
    base_epochs = cycles[0]["start_epoch"] if cycles else recipe.epochs

    def lr_at(epoch: int, step: int) -> float:
        """The first schedule, then each warm-restart cycle on its own warm-up + cosine."""
        for cycle in reversed(cycles):
            if epoch >= cycle["start_epoch"]:
                restart = dataclasses.replace(recipe, peak_lr=cycle["peak_lr"])
                return restart.lr((epoch - cycle["start_epoch"]) * spe + step,
                                  cycle["epochs"] * spe)
        return recipe.lr(epoch * spe + step, base_epochs * spe)

    if args.benchmark:
        n = args.benchmark
        for s in range(3):
            idx = np.arange(s * recipe.batch, (s + 1) * recipe.batch)
            train_step(tx[idx], ty[idx], tf.constant(0.01, tf.float32))
        t0 = time.time()
        for s in range(n):
            idx = np.arange(s * recipe.batch, (s + 1) * recipe.batch) % len(ty)
            ce, _ = train_step(tx[idx], ty[idx], tf.constant(0.01, tf.float32))
        float(ce)
        step_s = (time.time() - t0) / n
        evaluate(vx[:500], vy[:500])
        t0 = time.time()
        evaluate(vx[:1000], vy[:1000])
        val_s = (time.time() - t0) * len(vy) / 1000
        print(f"benchmark {args.model}: {step_s:.3f} s/step (batch {recipe.batch}), "
              f"{spe} steps/epoch -> {fmt_duration(step_s * spe)} train + "
              f"{fmt_duration(val_s)} validation per epoch", flush=True)
        return 0

    if state is not None:
        model.load_numpy({k[4:]: v for k, v in state.items() if k.startswith("var/")})
        for name, m in zip(model.trainable_names, moms):
            m.assign(state[f"mom/{name}"])
        gen.reset(tf.constant(state["gen_state"]))
        log(f"resumed {tag} at epoch {info['epoch']} step {info['step']}/{spe} "
            f"(best val {info['best_val']:.2%} at epoch {info['best_epoch']})")
    else:
        log(f"start {tag}: {len(ty)} train / {len(vy)} val images, {spe} steps/epoch; "
            f"{recipe.describe()}; augmentation: {aug.describe()}")

    def save_state() -> None:
        arrays = {f"var/{k}": v.numpy() for k, v in model.params.items()}
        arrays.update({f"mom/{k}": m.numpy() for k, m in zip(model.trainable_names, moms)})
        arrays["gen_state"] = gen.state.numpy()
        arrays["json"] = np.array(json.dumps(info))
        atomic_savez(state_path, arrays)

    if info["epoch"] >= recipe.epochs:
        log(f"{tag} already finished ({recipe.epochs} epochs, best val "
            f"{info['best_val']:.4f} at epoch {info['best_epoch']})")
        return 0

    steps_this_run = 0
    epoch_times: list[float] = []
    last_save = time.time()
    while info["epoch"] < recipe.epochs:
        epoch = info["epoch"]
        perm = np.random.RandomState(recipe.seed * 100003 + epoch).permutation(len(ty))
        t_epoch = time.time()
        t_mark = time.time()
        for step in range(info["step"], spe):
            idx = np.sort(perm[step * recipe.batch:(step + 1) * recipe.batch])
            lr = lr_at(epoch, step)
            ce, correct = train_step(tx[idx], ty[idx], tf.constant(lr, tf.float32))
            if not np.isfinite(float(ce)):
                log(f"error: loss is {float(ce)} at epoch {epoch + 1} step {step + 1} (lr "
                    f"{lr:.4f}); stopping without overwriting the last checkpoint. Lower "
                    f"peak_lr in backmap_train/recipes.py and delete {ckpt_dir} to restart.")
                return 1
            info["sums"][0] += float(ce) * len(idx)
            info["sums"][1] += int(correct)
            info["sums"][2] += len(idx)
            info["step"] = step + 1
            steps_this_run += 1
            now = time.time()
            if (step + 1) % 50 == 0:
                print(f"  epoch {epoch + 1} step {step + 1}/{spe} loss "
                      f"{info['sums'][0] / info['sums'][2]:.4f} lr {lr:.4f} "
                      f"{(now - t_mark) / 50:.2f} s/step", flush=True)
                t_mark = now
            stop = args.stop_after_steps is not None and steps_this_run >= args.stop_after_steps
            if (now - last_save > 60 * args.checkpoint_minutes or stop) and step + 1 < spe:
                info["train_seconds"] += now - last_save
                last_save = now
                save_state()
                if stop:
                    log(f"stopped after {steps_this_run} steps at epoch {epoch} step "
                        f"{step + 1} (checkpoint written)")
                    return 3
        model.recalibrate_bn(tx[calib_idx])
        val = evaluate(vx, vy)
        now = time.time()
        info["train_seconds"] += now - last_save
        last_save = now
        loss = info["sums"][0] / max(1, info["sums"][2])
        train_acc = info["sums"][1] / max(1, info["sums"][2])
        info["history"].append({"epoch": epoch + 1, "loss": loss, "train_acc": train_acc,
                                "val_acc": val, "lr_end": lr_at(epoch, spe - 1),
                                "seconds": now - t_epoch})
        improved = val > info["best_val"]
        if improved:
            info["best_val"], info["best_epoch"] = val, epoch + 1
            best = {f"var/{k}": v.numpy() for k, v in model.params.items()}
            best["json"] = np.array(json.dumps({"epoch": epoch + 1, "val_acc": val,
                                                "model": args.model}))
            atomic_savez(best_path, best)
        info["epoch"], info["step"], info["sums"] = epoch + 1, 0, [0.0, 0, 0]
        save_state()
        epoch_times.append(now - t_epoch)
        left = (recipe.epochs - epoch - 1) * float(np.mean(epoch_times[-3:]))
        log(f"epoch {epoch + 1}/{recipe.epochs} loss {loss:.4f} train {train_acc:.2%} "
            f"val {val:.2%} (best {info['best_val']:.2%} @ {info['best_epoch']}) "
            f"time {fmt_duration(now - t_epoch)} total {fmt_duration(info['train_seconds'])} "
            f"left ~{fmt_duration(left)}" + (" *" if improved else ""))
        if args.stop_after_steps is not None and steps_this_run >= args.stop_after_steps:
            log(f"stopped after {steps_this_run} steps at an epoch boundary")
            return 3
    log(f"finished {tag}: best val {info['best_val']:.2%} at epoch {info['best_epoch']}, "
        f"training time {fmt_duration(info['train_seconds'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
