#!/usr/bin/env python3
"""Reference outputs of EfficientNet-Lite0 on five real photos, from ONNX Runtime.

The ONNX graph is built from Weights/efficientnet-lite0.safetensors by
Weights/build_onnx_efficientnet_lite0.py (TF-same padding, BN epsilon 1e-3, ReLU6). As a second,
independent check the same network is run as a plain numpy float64 forward pass written here;
the script fails if the two disagree by more than 1e-3 on any logit.

Input: Samples/chelsea.png, coffee.png, astronaut.png, rocket.jpg, retina.jpg, preprocessed as
in photos.py with minimum_short_side 256, i.e. decoded as our pipeline decodes them (JPEGs
reduced in the DCT domain by the largest of 1/8, 1/4, 1/2 keeping the short side >= 256, via
Pillow's Image.draft: retina.jpg 1411×1411 → 1/4, 353×353; rocket.jpg 640×427 and the PNGs at
full size), resize short side 256 bilinear antialiased with the long side truncated, centre crop
224, then (x − 127) / 128, float32 NHWC.

Output: efficientnet_lite0_reference.safetensors with, for each photo P,
  P/input [1,224,224,3] F32, P/logits [1,1000] F32, P/features [1,1280] F32
(features = global average of the head conv + BN + ReLU6 output). The inputs are also those of
efficientnet_lite0_upstream_reference.safetensors: if they change, rerun
generate_lite0_upstream_reference.py too.

Usage (from the repository root; .venv/ from `make venv venv-fixtures`):
  .venv/bin/python Tests/Fixtures/models/generate_efficientnet_lite0_reference.py \
      [Weights/efficientnet-lite0.safetensors] [Benchmarks/data/efficientnet_lite0.onnx]
(the ONNX graph is also written, by default into Benchmarks/data/, git-ignored, where
Benchmarks/peers/inference_ort.py reads it).
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from safetensors.numpy import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "Weights"))
import build_onnx_efficientnet_lite0 as onnx_builder  # noqa: E402
import efficientnet_lite as arch  # noqa: E402
import photos  # noqa: E402
import safetensors_writer  # noqa: E402

OUTPUT = os.path.join(HERE, "efficientnet_lite0_reference.safetensors")
MAX_LOGIT_DIFFERENCE = 1e-3


def normalise(crop):
    return ((crop.astype(np.float32) - 127.0) / 128.0)[None]


# ---- numpy float64 forward pass (NHWC) ----

def pad_same(x, kernel, stride):
    top, bottom, out = arch.same_padding(x.shape[1], kernel, stride)
    left, right, _ = arch.same_padding(x.shape[2], kernel, stride)
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0))), out


def conv(x, w, stride):
    """w: HWIO [kh, kw, cin, cout]."""
    kh, kw, _, cout = w.shape
    xp, out = pad_same(x, kh, stride)
    y = np.zeros((x.shape[0], out, out, cout))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i:i + stride * (out - 1) + 1:stride, j:j + stride * (out - 1) + 1:stride, :]
            y += patch @ w[i, j]
    return y


def depthwise(x, w, stride):
    """w: [kh, kw, 1, c]."""
    kh, kw, _, c = w.shape
    xp, out = pad_same(x, kh, stride)
    y = np.zeros((x.shape[0], out, out, c))
    for i in range(kh):
        for j in range(kw):
            y += xp[:, i:i + stride * (out - 1) + 1:stride, j:j + stride * (out - 1) + 1:stride, :] * w[i, j, 0]
    return y


def batch_norm(x, p, prefix):
    return (x - p[prefix + ".mean"]) / np.sqrt(p[prefix + ".variance"] + arch.BN_EPSILON) * p[prefix + ".gamma"] + p[prefix + ".beta"]


def relu6(x):
    return np.clip(x, 0.0, 6.0)


def numpy_forward(p, x):
    x = relu6(batch_norm(conv(x.astype(np.float64), p["_conv_stem.weight"], 2), p, "_bn0"))
    for block in arch.blocks("efficientnet-lite0"):
        names = arch.tensor_names(block)
        h = x
        if "expand_conv" in names:
            h = relu6(batch_norm(conv(h, p[names["expand_conv"]], 1), p, names["bn0"]))
        h = relu6(batch_norm(depthwise(h, p[names["depthwise_conv"]], block["stride"]), p, names["bn1"]))
        h = batch_norm(conv(h, p[names["project_conv"]], 1), p, names["bn2"])
        x = h + x if block["residual"] else h
    x = relu6(batch_norm(conv(x, p["_conv_head.weight"], 1), p, "_bn1"))
    features = x.mean(axis=(1, 2))
    return features @ p["_fc.weight"] + p["_fc.bias"], features


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def main(argv):
    weights_path = argv[1] if len(argv) > 1 else os.path.join(ROOT, "Weights", "efficientnet-lite0.safetensors")
    onnx_path = argv[2] if len(argv) > 2 else os.path.join(ROOT, "Benchmarks", "data", "efficientnet_lite0.onnx")
    weights = load_file(weights_path)
    model = onnx_builder.build(weights)
    os.makedirs(os.path.dirname(onnx_path), exist_ok=True)
    onnx.save(model, onnx_path)

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
    weights64 = {k: v.astype(np.float64) for k, v in weights.items()}
    with open(os.path.join(ROOT, "Weights", "imagenet-labels.txt"), encoding="utf-8") as f:
        labels = f.read().splitlines()

    tensors = {}
    batch = []
    worst = 0.0
    worst_features = 0.0
    for name in photos.PHOTOS:
        x = normalise(photos.resized_crop(name, minimum_short_side=photos.RESIZE_SHORT))
        logits, features = session.run(["logits", "features"], {"input": x})
        logits64, features64 = numpy_forward(weights64, x)
        difference = float(np.abs(logits - logits64).max())
        worst = max(worst, difference)
        worst_features = max(worst_features, float(np.abs(features - features64).max()))
        tensors[f"{name}/input"] = x
        tensors[f"{name}/logits"] = logits.astype(np.float32)
        tensors[f"{name}/features"] = features.astype(np.float32)
        batch.append((x, logits))
        probabilities = softmax(logits[0].astype(np.float64))
        top = np.argsort(-probabilities)[:5]
        print(f"{name}: max |ORT - numpy f64| logit = {difference:.2e}; top-5 (ONNX Runtime, softmax in float64):")
        for index in top:
            print(f"    {index:4d} {labels[index]:<28s} p={probabilities[index]:.4f} logit={logits[0, index]:.4f}")

    batched_logits = session.run(["logits"], {"input": np.concatenate([b[0] for b in batch])})[0]
    batch_difference = float(np.abs(batched_logits - np.concatenate([b[1] for b in batch])).max())
    print(f"max |ORT - numpy f64| logit over all photos: {worst:.3e}; features: {worst_features:.3e}")
    print(f"ORT batch-5 vs batch-1 max |Δlogit|: {batch_difference:.3e}")
    if worst > MAX_LOGIT_DIFFERENCE:
        sys.exit(f"ONNX Runtime and the numpy forward pass disagree by {worst} > {MAX_LOGIT_DIFFERENCE}")
    safetensors_writer.save(tensors, OUTPUT, metadata={
        "model": "efficientnet-lite0",
        "reference": f"onnxruntime {ort.__version__}, CPU, 1 thread",
        "preprocessing": ("RGB, JPEG DCT-scaled (1/8, 1/4, 1/2) keeping the short side >= 256 (Pillow draft), "
                          "short side 256 bilinear antialiased, centre crop 224, (x-127)/128, NHWC"),
    })
    print(f"{len(tensors)} tensors -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv)
