#!/usr/bin/env python3
"""Random-weight MobileNetV2 classifier (Keras) and its TensorFlow reference outputs.

Model: keras.applications.MobileNetV2(224×224×3, alpha 1.0, include_top=False, weights=None,
pooling="avg") → Dense(512, relu, "embedding") → Dropout(0.5) → Dense(10, "logits")
→ Activation("softmax").

Weights (seeded, reproducible):
  - Keras's own initialisers under keras.utils.set_random_seed(SEED);
  - every BatchNormalization gets non-trivial statistics so that BN folding is really tested:
    layer by layer, the BN input is measured on a calibration batch (the five photos), then
    moving_mean = batch mean + N(0, 0.3)·batch std, moving_variance = batch variance · U(0.5, 2),
    gamma = U(0.5, 1.5) with a random sign on 10 % of channels, beta = N(0, 0.3);
  - Dense biases N(0, 0.1) (embedding) and N(0, 0.3) (logits);
  - finally every weight is rounded to float16 and written back, so the F16 file is exact.

Outputs (beside this script):
  mobilenetv2_head_f16.safetensors       the weights, F16, via Weights/export_keras_mobilenetv2.py
  mobilenetv2_head_reference.safetensors for each input X in (chelsea, coffee, random):
      X/input [1,224,224,3] F32  (photos: resize-256/crop-224 as photos.py, then x / 127.5 − 1;
                                  random: seeded uniform in [−1, 1])
      X/logits [1,10], X/probabilities [1,10], X/embedding [1,512] (after the ReLU), F32,
      computed by TensorFlow/Keras in inference mode (dropout off, BN moving statistics).
A numpy float64 forward pass written from Docs/Models.md's layer table cross-checks TensorFlow.

Usage (from the repository root):
  .venv/bin/python Tests/Fixtures/models/generate_mobilenetv2_head_reference.py   (`make venv venv-fixtures`)
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "Weights"))
import export_keras_mobilenetv2 as exporter  # noqa: E402
import photos  # noqa: E402
import safetensors_writer  # noqa: E402

SEED = 20261125
NUM_CLASSES = 10
WEIGHTS_OUTPUT = os.path.join(HERE, "mobilenetv2_head_f16.safetensors")
REFERENCE_OUTPUT = os.path.join(HERE, "mobilenetv2_head_reference.safetensors")
FIXTURE_PHOTOS = ("chelsea", "coffee")
MAX_NUMPY_DIFFERENCE = 1e-3

# (block_id, expansion, stride, output filters) — keras mobilenet_v2.py at alpha 1.0
BLOCKS = [
    (0, 1, 1, 16),
    (1, 6, 2, 24), (2, 6, 1, 24),
    (3, 6, 2, 32), (4, 6, 1, 32), (5, 6, 1, 32),
    (6, 6, 2, 64), (7, 6, 1, 64), (8, 6, 1, 64), (9, 6, 1, 64),
    (10, 6, 1, 96), (11, 6, 1, 96), (12, 6, 1, 96),
    (13, 6, 2, 160), (14, 6, 1, 160), (15, 6, 1, 160),
    (16, 6, 1, 320),
]


def build_model():
    base = keras.applications.MobileNetV2(input_shape=(224, 224, 3), alpha=1.0, include_top=False,
                                          weights=None, pooling="avg")
    x = keras.layers.Dense(512, activation="relu", name="embedding")(base.output)
    x = keras.layers.Dropout(0.5)(x)
    x = keras.layers.Dense(NUM_CLASSES, name="logits")(x)
    outputs = keras.layers.Activation("softmax")(x)
    return keras.Model(base.input, outputs, name="mobilenetv2_head")


def photo_input(name):
    return (photos.resized_crop(name).astype(np.float32) / 127.5 - 1.0)[None]


def randomise(model, rng, calibration):
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            probe = keras.Model(model.input, layer.input)
            activations = probe(calibration, training=False).numpy().astype(np.float64)
            mean = activations.mean(axis=(0, 1, 2))
            var = activations.var(axis=(0, 1, 2)) + 1e-4
            channels = mean.shape[0]
            gamma = rng.uniform(0.5, 1.5, channels) * np.where(rng.random(channels) < 0.1, -1.0, 1.0)
            beta = rng.normal(0.0, 0.3, channels)
            moving_mean = mean + rng.normal(0.0, 0.3, channels) * np.sqrt(var)
            moving_variance = var * rng.uniform(0.5, 2.0, channels)
            layer.set_weights([w.astype(np.float32) for w in (gamma, beta, moving_mean, moving_variance)])
        elif isinstance(layer, keras.layers.Dense):
            kernel, bias = layer.get_weights()
            scale = 0.1 if layer.name == "embedding" else 0.3
            layer.set_weights([kernel, rng.normal(0.0, scale, bias.shape).astype(np.float32)])
    for variable in model.weights:
        variable.assign(variable.numpy().astype(np.float16).astype(np.float32))


# ---- numpy float64 forward pass (NHWC), from the documented layer table ----

def pad_conv(x, w, stride, pads, depthwise):
    """w: [kh, kw, cin, cout] or depthwise [kh, kw, 1, c]; pads ((top, bottom), (left, right))."""
    kh, kw = w.shape[:2]
    xp = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    oh = (xp.shape[1] - kh) // stride + 1
    ow = (xp.shape[2] - kw) // stride + 1
    y = np.zeros((x.shape[0], oh, ow, w.shape[3]))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride, :]
            y += patch * w[i, j, 0] if depthwise else patch @ w[i, j]
    return y


def bn(x, p, name):
    return (x - p[name + "/moving_mean"]) / np.sqrt(p[name + "/moving_variance"] + 1e-3) * p[name + "/gamma"] + p[name + "/beta"]


def relu6(x):
    return np.clip(x, 0.0, 6.0)


def stride2_pads(size):
    """correct_pad for a 3×3 kernel (equal to TF "same"): even size → (0, 1), odd → (1, 1)."""
    return (1 - (1 - size % 2), 1)


def numpy_forward(p, x):
    x = x.astype(np.float64)
    x = relu6(bn(pad_conv(x, p["Conv1/kernel"], 2, (stride2_pads(x.shape[1]),) * 2, False), p, "bn_Conv1"))
    for block_id, expansion, stride, _ in BLOCKS:
        prefix = f"block_{block_id}_" if block_id else "expanded_conv_"
        h = x
        if block_id:
            h = relu6(bn(pad_conv(h, p[prefix + "expand/kernel"], 1, ((0, 0), (0, 0)), False), p, prefix + "expand_BN"))
        pads = (stride2_pads(h.shape[1]),) * 2 if stride == 2 else ((1, 1), (1, 1))
        h = relu6(bn(pad_conv(h, p[prefix + "depthwise/kernel"], stride, pads, True), p, prefix + "depthwise_BN"))
        h = bn(pad_conv(h, p[prefix + "project/kernel"], 1, ((0, 0), (0, 0)), False), p, prefix + "project_BN")
        x = x + h if (stride == 1 and x.shape[3] == h.shape[3]) else h
    x = relu6(bn(pad_conv(x, p["Conv_1/kernel"], 1, ((0, 0), (0, 0)), False), p, "Conv_1_bn"))
    pooled = x.mean(axis=(1, 2))
    embedding = np.maximum(pooled @ p["embedding/kernel"] + p["embedding/bias"], 0.0)
    logits = embedding @ p["logits/kernel"] + p["logits/bias"]
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return logits, e / e.sum(axis=-1, keepdims=True), embedding


def main():
    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    model = build_model()
    calibration = np.concatenate([photo_input(name) for name in photos.PHOTOS])
    randomise(model, rng, calibration)

    exported = exporter.export(model, WEIGHTS_OUTPUT, float16=True)
    stored = load_file(WEIGHTS_OUTPUT)
    for name, value in exported.items():
        if not np.array_equal(stored[name].astype(np.float32), value.astype(np.float32)):
            sys.exit(f"{name}: F16 file differs from the Keras weights")
    keras_names = {exporter.weight_name(layer, v) for layer in model.layers for v in layer.weights}
    if set(stored) != keras_names:
        sys.exit("exported names differ from the Keras weight paths")

    probe = keras.Model(model.input, [model.get_layer("embedding").output,
                                      model.get_layer("logits").output, model.output])
    inputs = {name: photo_input(name) for name in FIXTURE_PHOTOS}
    inputs["random"] = np.random.default_rng(SEED + 1).uniform(-1.0, 1.0, (1, 224, 224, 3)).astype(np.float32)

    weights64 = {k: v.astype(np.float64) for k, v in stored.items()}
    tensors = {}
    worst = {"logits": 0.0, "probabilities": 0.0, "embedding": 0.0}
    for name, x in inputs.items():
        embedding, logits, probabilities = (t.numpy() for t in probe(x, training=False))
        tensors[f"{name}/input"] = x
        tensors[f"{name}/logits"] = logits.astype(np.float32)
        tensors[f"{name}/probabilities"] = probabilities.astype(np.float32)
        tensors[f"{name}/embedding"] = embedding.astype(np.float32)
        logits64, probabilities64, embedding64 = numpy_forward(weights64, x)
        for key, ours, reference in (("logits", logits, logits64), ("probabilities", probabilities, probabilities64),
                                     ("embedding", embedding, embedding64)):
            worst[key] = max(worst[key], float(np.abs(ours - reference).max()))
        active = int((embedding > 0).sum())
        print(f"{name}: logits {np.array2string(logits[0], precision=3)}")
        print(f"    probabilities {np.array2string(probabilities[0], precision=4)}  argmax {int(probabilities.argmax())}")
        print(f"    embedding: {active}/512 active, max {embedding.max():.3f}, mean {embedding.mean():.4f}")
    print("max |TF - numpy f64|: " + ", ".join(f"{k} {v:.3e}" for k, v in worst.items()))
    if max(worst.values()) > MAX_NUMPY_DIFFERENCE:
        sys.exit("TensorFlow and the numpy forward pass disagree")
    safetensors_writer.save(tensors, REFERENCE_OUTPUT, metadata={
        "model": "mobilenetv2-head (random seeded weights, see mobilenetv2_head_f16.safetensors)",
        "reference": f"tensorflow {tf.__version__}, keras {keras.__version__}, CPU, inference mode",
        "preprocessing": "RGB, short side 256 bilinear antialiased, centre crop 224, x/127.5-1, NHWC",
        "seed": str(SEED),
    })
    parameters = sum(v.size for v in stored.values())
    print(f"{len(stored)} weight tensors, {parameters} parameters -> {WEIGHTS_OUTPUT} ({os.path.getsize(WEIGHTS_OUTPUT)} bytes)")
    print(f"{len(tensors)} reference tensors -> {REFERENCE_OUTPUT}")


if __name__ == "__main__":
    main()
