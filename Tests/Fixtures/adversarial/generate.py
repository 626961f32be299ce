#!/usr/bin/env python3
"""Adversarial examples (FGSM, PGD) for EfficientNet-Lite0, for the feature-squeezing evaluation
(run by hand; the Swift tests and `colecionador-bench adversarial` only read the output).

    .venv/bin/python Tests/Fixtures/adversarial/generate.py [--out /tmp/colecionador-adversarial]
    (from the repository root; .venv/ with TensorFlow is made by `make venv venv-fixtures`)

1. Builds EfficientNet-Lite0 in TensorFlow 2 (plain tf.nn ops, automatic differentiation) from
   Weights/efficientnet-lite0.safetensors, following Weights/efficientnet_lite.py (TF "same"
   padding as explicit zero padding, BN epsilon 1e-3, ReLU6, input (x − 127) / 128), and checks
   its logits against ONNX Runtime on the graph of Weights/build_onnx_efficientnet_lite0.py
   (max |Δlogit| ≤ 1e-3 required).
2. Inputs: the 224×224 RGB8 crops our preprocessing produces (Pillow reproduces our decode and
   resize bit for bit: short side 256 bilinear, long side truncated, centre crop 224; see
   Tests/Fixtures/models/photos.py) — of the 5 Samples/ photos, and of seeded random
   augmentations of them (a random box of 25–100 % of the area, aspect 3/4…4/3, horizontal flip
   with probability 1/2; the box is then treated as a photo). The first CALIBRATION augmented
   crops form the calibration set (clean only); the 5 photos and the next EVALUATION augmented
   crops form the evaluation set.
3. Attacks on every evaluation image, untargeted, against the model's clean top-1 class
   (cross-entropy loss), in 8-bit pixel space with ε and the step in whole levels so that every
   iterate is an exact uint8 image (nothing is lost when it is written as PNG):
   FGSM ε = 2, 4, 8 levels (x + ε·sign ∇, clipped to 0…255); PGD ε = 8 (step 2), 10 steps
   from a uniform random integer start in the ε-ball, projected onto the ball and 0…255 after
   each step. Success = the top-1 class of the saved uint8 image differs from
   the clean top-1 class.
4. Feature-squeezing scores from TensorFlow for every image, an independent reference for the
   Swift detector: squeezers on the RGB8 crop — bit depth 5 (level = ⌊(31·v + 127) / 255⌋,
   value = ⌊(255·level + 15) / 31⌋) and a 2×2 median (scipy.ndimage.median_filter, size 2,
   mode "reflect": the window is rows y−1…y × columns x−1…x with the edge row/column repeated,
   the 3rd smallest of the 4 values); score = max over the squeezers of the L1 distance
   between the softmax vectors of the original and the squeezed image.

Writes the full set to --out (PNG files + manifest.json; not committed, about 33 MB), and a
seeded subset of it to this directory (files and TensorFlow's entries copied, see write_subset):
clean/, fgsm/, pgd/ (224×224 PNGs), squeezed/ (the two squeezed versions of one clean crop, for
the squeezers' exactness test), upload/ (one evaluation crop, clean and PGD, reflect-padded to
320×320, which the service's default framing — central 80 %, short side 256, centre 224 — maps
back onto the exact crop) and manifest.json, which also holds the threshold calibrated from
TensorFlow's calibration scores. `--subset-only` rewrites just the subset from an existing full
set (without running the model).
"""
import argparse
import json
import pathlib
import sys
import time

import numpy as np
import onnxruntime as ort
import scipy
import tensorflow as tf
from PIL import Image
from safetensors.numpy import load_file
from scipy.ndimage import median_filter

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "Weights"))
sys.path.insert(0, str(ROOT / "Tests" / "Fixtures" / "models"))
import efficientnet_lite as arch  # noqa: E402
import photos  # noqa: E402

SEED = 20261126
CALIBRATION = 100
EVALUATION = 55
FGSM_EPSILONS = (2, 4, 8)
PGD_SETTINGS = ((8, 2),)  # (ε, step) in levels
PGD_STEPS = 10
BATCH = 25
CALIBRATION_FALSE_POSITIVES = 5  # calibration crops above the threshold (5 % of 100)
COMMITTED = 12  # sources in the committed subset (clean + FGSM + PGD each)
COMMITTED_FALSE_POSITIVES = 2  # of them, sources whose clean crop TensorFlow's score flags
COMMITTED_FGSM = 4  # the FGSM ε of the committed subset
COMMITTED_PGD = 8  # the PGD ε of the committed subset
UPLOAD_PAD = 48  # 224 + 2·48 = 320; 0.8·320 = 256 → no resampling, centre 224 = the crop


class Lite0:
    """EfficientNet-Lite0 in TensorFlow: `logits(pixels)` for float32 pixels [N, 224, 224, 3] in 0…255."""

    def __init__(self, weights):
        self.w = {k: tf.constant(v) for k, v in weights.items()}
        self.blocks = arch.blocks("efficientnet-lite0")

    def conv(self, x, name, size, stride, depthwise):
        kernel = self.w[name]
        k = int(kernel.shape[0])
        top, bottom, out = arch.same_padding(size, k, stride)
        x = tf.pad(x, [[0, 0], [top, bottom], [top, bottom], [0, 0]])
        if depthwise:  # stored [kh, kw, 1, c]; tf wants [kh, kw, c, 1]
            y = tf.nn.depthwise_conv2d(x, tf.transpose(kernel, [0, 1, 3, 2]), [1, stride, stride, 1], "VALID")
        else:
            y = tf.nn.conv2d(x, kernel, stride, "VALID")
        return y, out

    def bn(self, x, prefix):
        g, b, m, v = (self.w[f"{prefix}.{p}"] for p in ("gamma", "beta", "mean", "variance"))
        return (x - m) / tf.sqrt(v + arch.BN_EPSILON) * g + b

    def conv_bn(self, x, name, prefix, size, stride, activation, depthwise=False):
        y, out = self.conv(x, name, size, stride, depthwise)
        y = self.bn(y, prefix)
        return (tf.clip_by_value(y, 0.0, 6.0) if activation else y), out

    def logits(self, pixels):
        x = (pixels - 127.0) / 128.0
        size = 224
        x, size = self.conv_bn(x, "_conv_stem.weight", "_bn0", size, 2, True)
        for block in self.blocks:
            names = arch.tensor_names(block)
            h = x
            if "expand_conv" in names:
                h, _ = self.conv_bn(h, names["expand_conv"], names["bn0"], size, 1, True)
            h, out = self.conv_bn(h, names["depthwise_conv"], names["bn1"], size, block["stride"], True, True)
            h, _ = self.conv_bn(h, names["project_conv"], names["bn2"], out, 1, False)
            if block["residual"]:
                h = h + x
            x, size = h, out
        x, _ = self.conv_bn(x, "_conv_head.weight", "_bn1", size, 1, True)
        features = tf.reduce_mean(x, axis=[1, 2])
        return tf.matmul(features, self.w["_fc.weight"]) + self.w["_fc.bias"]


def check_against_onnx(model, weights_path, crops):
    sys.path.insert(0, str(ROOT / "Weights"))
    import build_onnx_efficientnet_lite0 as builder

    graph = builder.build(load_file(weights_path))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])
    pixels = crops.astype(np.float32)
    reference = session.run(["logits"], {"input": (pixels - 127.0) / 128.0})[0]
    ours = model.logits(tf.constant(pixels)).numpy()
    delta = float(np.abs(reference - ours).max())
    print(f"TensorFlow vs ONNX Runtime on {len(crops)} crops: max |Δlogit| = {delta:.2e}")
    if delta > 1e-3:
        sys.exit("the TensorFlow model does not match ONNX Runtime; fix it before generating anything")
    return delta


def crop_of(image):
    """Our preprocessing's 224×224 RGB8 crop of a PIL image (short side 256, centre crop)."""
    size = photos.resized_size(*image.size)
    image = image.resize(size, Image.BILINEAR, reducing_gap=None)
    left, top = (size[0] - photos.CROP) // 2, (size[1] - photos.CROP) // 2
    return np.asarray(image.crop((left, top, left + photos.CROP, top + photos.CROP)), dtype=np.uint8)


def augmented(rng, sources, count):
    """`count` seeded random boxes (+ flips) of the sample photos, each with its crop."""
    names = list(photos.PHOTOS)
    result = []
    for index in range(count):
        name = names[index % len(names)]
        image = sources[name]
        width, height = image.size
        area = rng.uniform(0.25, 1.0) * width * height
        aspect = float(np.exp(rng.uniform(np.log(3 / 4), np.log(4 / 3))))
        w = int(min(width, round(np.sqrt(area * aspect))))
        h = int(min(height, round(np.sqrt(area / aspect))))
        x = int(rng.integers(0, width - w + 1))
        y = int(rng.integers(0, height - h + 1))
        flip = bool(rng.random() < 0.5)
        box = image.crop((x, y, x + w, y + h))
        if flip:
            box = box.transpose(Image.FLIP_LEFT_RIGHT)
        result.append((dict(source=name, box=[x, y, w, h], flip=flip), crop_of(box)))
    return result


def squeeze_bits(crops):
    v = crops.astype(np.int32)
    level = (31 * v + 127) // 255
    return ((255 * level + 15) // 31).astype(np.uint8)


def squeeze_median(crops):
    return median_filter(crops, size=(1, 2, 2, 1), mode="reflect")


class Runner:
    def __init__(self, model):
        self.model = model
        self.logits = tf.function(model.logits, input_signature=[tf.TensorSpec([None, 224, 224, 3], tf.float32)])

        @tf.function(input_signature=[tf.TensorSpec([None, 224, 224, 3], tf.float32), tf.TensorSpec([None], tf.int32)])
        def gradient(pixels, labels):
            with tf.GradientTape() as tape:
                tape.watch(pixels)
                loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, model.logits(pixels)))
            return tape.gradient(loss, pixels)

        self.gradient = gradient

    def probabilities(self, crops):
        out = []
        for i in range(0, len(crops), BATCH):
            logits = self.logits(tf.constant(crops[i:i + BATCH].astype(np.float32))).numpy().astype(np.float64)
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            out.append(e / e.sum(axis=1, keepdims=True))
        return np.concatenate(out)

    def grad(self, crops, labels):
        out = []
        for i in range(0, len(crops), BATCH):
            g = self.gradient(tf.constant(crops[i:i + BATCH].astype(np.float32)), tf.constant(labels[i:i + BATCH], tf.int32))
            out.append(g.numpy())
        return np.concatenate(out)

    @staticmethod
    def fgsm(crops, gradient, epsilon):
        return np.clip(crops.astype(np.int32) + epsilon * np.sign(gradient).astype(np.int32), 0, 255).astype(np.uint8)

    def pgd(self, crops, labels, epsilon, step, rng):
        base = crops.astype(np.int32)
        x = np.clip(base + rng.integers(-epsilon, epsilon + 1, size=base.shape), 0, 255)
        for _ in range(PGD_STEPS):
            g = self.grad(x.astype(np.uint8), labels)
            x = x + step * np.sign(g).astype(np.int32)
            x = np.clip(np.clip(x, base - epsilon, base + epsilon), 0, 255)
        return x.astype(np.uint8)

    def scores(self, crops):
        """Feature-squeezing score per crop, and the clean probabilities."""
        p = self.probabilities(crops)
        bits = np.abs(p - self.probabilities(squeeze_bits(crops))).sum(axis=1)
        median = np.abs(p - self.probabilities(squeeze_median(crops))).sum(axis=1)
        return np.maximum(bits, median), bits, median, p


def save_png(path, crop):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(crop).save(path, optimize=True)
    assert np.array_equal(np.asarray(Image.open(path).convert("RGB")), crop), path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="/tmp/colecionador-adversarial", help="where the full set goes")
    parser.add_argument("--subset-only", action="store_true", help="only rewrite the committed subset from --out")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    started = time.time()
    if args.subset_only:
        write_subset(out)
        return
    weights_path = str(ROOT / "Weights" / "efficientnet-lite0.safetensors")
    model = Lite0(load_file(weights_path))
    runner = Runner(model)
    labels = (ROOT / "Weights" / "imagenet-labels.txt").read_text().splitlines()

    sources = {name: photos.load(name) for name in photos.PHOTOS}
    rng = np.random.default_rng(SEED)
    samples = [(dict(source=name, box=None, flip=False), photos.resized_crop(name)) for name in photos.PHOTOS]
    extra = augmented(rng, sources, CALIBRATION + EVALUATION)
    calibration = extra[:CALIBRATION]
    evaluation = samples + extra[CALIBRATION:]
    delta = check_against_onnx(model, weights_path, np.stack([c for _, c in samples]))

    entries = []

    def record(kind, index, info, crop, attack, epsilon, clean_class, probabilities, score, subset):
        name = f"{subset}/{kind}/{index:03d}.png"
        save_png(out / name, crop)
        adv_class = int(np.argmax(probabilities))
        entries.append(dict(
            file=name, set=subset, source=info["source"], box=info["box"], flip=info["flip"],
            attack=attack, epsilon=epsilon, clean_class=clean_class, predicted_class=adv_class,
            predicted_label=labels[adv_class], predicted_probability=round(float(probabilities[adv_class]), 6),
            attack_succeeded=None if attack == "clean" else adv_class != clean_class,
            tf_score=round(float(score), 6)))

    calibration_crops = np.stack([c for _, c in calibration])
    scores, _, _, p = runner.scores(calibration_crops)
    for i, (info, crop) in enumerate(calibration):
        record("clean", i, info, crop, "clean", 0, int(np.argmax(p[i])), p[i], scores[i], "calibration")
    print(f"calibration: {len(calibration)} clean crops scored ({time.time() - started:.0f} s)")

    clean = np.stack([c for _, c in evaluation])
    clean_scores, _, _, clean_p = runner.scores(clean)
    clean_classes = np.argmax(clean_p, axis=1).astype(np.int32)
    for i, (info, crop) in enumerate(evaluation):
        record("clean", i, info, crop, "clean", 0, int(clean_classes[i]), clean_p[i], clean_scores[i], "evaluation")
    clean_gradient = runner.grad(clean, clean_classes)  # one gradient serves every FGSM ε
    attacks = [(f"fgsm{e}", "fgsm", e, lambda e=e: runner.fgsm(clean, clean_gradient, e)) for e in FGSM_EPSILONS]
    attacks += [(f"pgd{e}", "pgd", e, lambda e=e, s=s: runner.pgd(clean, clean_classes, e, s, rng)) for e, s in PGD_SETTINGS]
    for kind, attack, epsilon, run in attacks:
        crops = run()
        s, _, _, p = runner.scores(crops)
        for i, (info, _) in enumerate(evaluation):
            record(kind, i, info, crops[i], attack, epsilon, int(clean_classes[i]), p[i], s[i], "evaluation")
        success = np.mean(np.argmax(p, axis=1) != clean_classes)
        print(f"{kind}: attack success {success:.3f} ({time.time() - started:.0f} s)")

    manifest = dict(
        generator="Tests/Fixtures/adversarial/generate.py", tensorflow=tf.__version__, scipy=scipy.__version__,
        pillow=Image.__version__, seed=SEED, calibration=CALIBRATION, evaluation=len(evaluation),
        pgd_steps=PGD_STEPS, pgd=[dict(epsilon=e, step=s) for e, s in PGD_SETTINGS], fgsm=list(FGSM_EPSILONS),
        tf_vs_onnx_max_abs_logit=delta, entries=entries)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"full set: {len(entries)} images -> {out}")

    write_subset(out)
    print(f"done in {time.time() - started:.0f} s")


def calibrated_threshold(manifest):
    """The detector's default threshold from TensorFlow's calibration scores: the score that
    CALIBRATION_FALSE_POSITIVES of them exceed (the 95th percentile of 100, the rule of
    `colecionador-bench adversarial`), rounded up to 4 decimals as
    FeatureSqueezingDetector.defaultThreshold states it."""
    scores = sorted(e["tf_score"] for e in manifest["entries"] if e["set"] == "calibration")
    quantile = scores[len(scores) - CALIBRATION_FALSE_POSITIVES - 1]
    return quantile, float(np.ceil(quantile * 1e4) / 1e4)


def write_subset(out):
    """The committed subset: files and TensorFlow's entries copied from the full set in `out`.

    COMMITTED evaluation sources with their clean, FGSM ε = COMMITTED_FGSM and PGD
    ε = COMMITTED_PGD crops, drawn at random (seed SEED + 1) and stratified on the clean
    crop's TensorFlow verdict at the calibrated threshold: COMMITTED_FALSE_POSITIVES sources
    whose clean crop is a false positive, the others from the rest. Nothing else is selected
    on, so the subset keeps failed attacks and successful ones that the detector misses; its
    TensorFlow rates are stated in Docs/Adversarial.md and the Swift test checks that our
    runtime reproduces them.

    The uploads (HTTP plumbing test, not a rate sample): among all evaluation sources, the one
    whose PGD example gains the most squeezing score over its clean crop, so that "PGD flagged,
    clean not" sits far from the threshold; both reflect-padded to 320×320 (UPLOAD_PAD).
    """
    manifest = json.loads((out / "manifest.json").read_text())
    quantile, threshold = calibrated_threshold(manifest)
    kinds = {"clean": "clean", "fgsm": f"fgsm{COMMITTED_FGSM}", "pgd": f"pgd{COMMITTED_PGD}"}
    by_key = {(e["file"].split("/")[1], int(e["file"].split("/")[2][:3])): e
              for e in manifest["entries"] if e["set"] == "evaluation"}
    sources = range(manifest["evaluation"])
    false_positives = [i for i in sources if by_key[("clean", i)]["tf_score"] > threshold]
    others = [i for i in sources if i not in false_positives]
    rng = np.random.default_rng(SEED + 1)
    chosen = sorted(rng.choice(false_positives, size=COMMITTED_FALSE_POSITIVES, replace=False).tolist()
                    + rng.choice(others, size=COMMITTED - COMMITTED_FALSE_POSITIVES, replace=False).tolist())
    for folder in (*kinds, "upload"):
        for stale in (HERE / folder).glob("*.png"):
            stale.unlink()

    def crop(entry):
        return np.asarray(Image.open(out / entry["file"]).convert("RGB"))

    fixtures = []
    for folder, kind in kinds.items():
        for i in chosen:
            entry = dict(by_key[(kind, i)], file=f"{folder}/{i:03d}.png", full_set_file=by_key[(kind, i)]["file"])
            save_png(HERE / entry["file"], crop(by_key[(kind, i)]))
            fixtures.append(entry)
    squeezed_source = by_key[("clean", chosen[0])]
    save_png(HERE / "squeezed" / "bits5.png", squeeze_bits(crop(squeezed_source)[None])[0])
    save_png(HERE / "squeezed" / "median2x2.png", squeeze_median(crop(squeezed_source)[None])[0])
    upload = max(sources, key=lambda i: by_key[(kinds["pgd"], i)]["tf_score"] - by_key[("clean", i)]["tf_score"])
    pad = [(UPLOAD_PAD, UPLOAD_PAD), (UPLOAD_PAD, UPLOAD_PAD), (0, 0)]
    uploads = []
    for folder in ("clean", "pgd"):
        entry = by_key[(kinds[folder], upload)]
        name = f"upload/{folder}_{upload:03d}.png"
        save_png(HERE / name, np.pad(crop(entry), pad, mode="reflect"))
        uploads.append(dict(entry, file=name, attack=folder, full_set_file=entry["file"]))
    subset = dict(
        generator=manifest["generator"], tensorflow=manifest["tensorflow"], scipy=manifest["scipy"], seed=SEED,
        calibration_quantile=quantile, threshold=threshold, squeezed_source=f"clean/{chosen[0]:03d}.png",
        entries=fixtures, uploads=uploads)
    (HERE / "manifest.json").write_text(json.dumps(subset, indent=1) + "\n")
    print(f"committed subset: {len(fixtures)} crops, sources {chosen} (clean false positives {false_positives}); "
          f"threshold {threshold} (quantile {quantile}); uploads from source {upload}")
    for folder in kinds:
        members = [e for e in fixtures if e["file"].startswith(folder + "/")]
        flagged = [e for e in members if e["tf_score"] > threshold]
        successful = [e for e in members if e["attack_succeeded"]]
        print(f"  {folder}: {len(members)} crops, {len(flagged)} flagged; {len(successful)} successful, "
              f"{sum(e['tf_score'] > threshold for e in successful)} of them flagged")


if __name__ == "__main__":
    main()
