#!/usr/bin/env python3
"""Export a Keras MobileNetV2 classifier (Colecionador's original design) to safetensors.

Expected model (Keras 3):
  keras.applications.MobileNetV2(input_shape=(224, 224, 3), alpha=1.0, include_top=False,
                                 weights=None, pooling="avg")
  → Dense(512, activation="relu", name="embedding") → Dropout(0.5)
  → Dense(N, name="logits") → Activation("softmax")
built as one flat functional model (the backbone's layers appear directly in `model.layers`).

Tensor names are Keras's weight paths `<layer name>/<weight name>` (any `:0` suffix stripped):
  Conv1/kernel, bn_Conv1/gamma, bn_Conv1/beta, bn_Conv1/moving_mean, bn_Conv1/moving_variance,
  expanded_conv_depthwise/kernel, block_1_expand/kernel, …, Conv_1/kernel, Conv_1_bn/…,
  embedding/kernel, embedding/bias, logits/kernel, logits/bias.
Keras 3 calls the depthwise weight `kernel`; tf.keras 2 called it `depthwise_kernel` — both are
written as `<layer>/kernel`, so the file does not depend on the Keras version.

Layouts (already Colecionador's, except depthwise):
  Conv2D kernel          [kh, kw, cin, cout]            unchanged
  DepthwiseConv2D kernel [kh, kw, cin, m] → [kh, kw, 1, cin·m] (output channel c·m + k; a reshape)
  Dense kernel           [in, out]                       unchanged
  BatchNormalization     gamma, beta, moving_mean, moving_variance, 1-D (epsilon 1e-3, not stored)

Usage:
  .venv/bin/python Weights/export_keras_mobilenetv2.py MODEL.keras OUT.safetensors [--f16]
or from Python: `export(model, path, float16=False)`.
"""
import argparse

import numpy as np
import safetensors_writer

REQUIRED_LAYERS = ("Conv1", "bn_Conv1", "expanded_conv_depthwise", "Conv_1", "Conv_1_bn", "embedding", "logits")


def weight_name(layer, variable):
    path = getattr(variable, "path", None) or variable.name
    path = path.split(":")[0]
    leaf = path.rsplit("/", 1)[-1]
    if type(layer).__name__ == "DepthwiseConv2D" and leaf in ("kernel", "depthwise_kernel"):
        leaf = "kernel"
    return f"{layer.name}/{leaf}"


def tensors_of(model):
    """name → float32 array in Colecionador's layout, in layer order."""
    names = {layer.name for layer in model.layers}
    missing = [n for n in REQUIRED_LAYERS if n not in names]
    if missing:
        raise ValueError(f"not a MobileNetV2 classifier of the expected shape: missing layers {missing}")
    tensors = {}
    for layer in model.layers:
        for variable in layer.weights:
            name = weight_name(layer, variable)
            value = np.asarray(variable.numpy(), dtype=np.float32)
            if type(layer).__name__ == "DepthwiseConv2D" and name.endswith("/kernel"):
                kh, kw, cin, multiplier = value.shape
                value = value.reshape(kh, kw, 1, cin * multiplier)
            if name in tensors:
                raise ValueError(f"duplicate tensor name {name}")
            tensors[name] = np.ascontiguousarray(value)
    return tensors


def export(model, path, float16=False):
    tensors = tensors_of(model)
    if float16:
        tensors = {k: v.astype(np.float16) for k, v in tensors.items()}
    classes = tensors["logits/bias"].shape[0]
    safetensors_writer.save(tensors, path, metadata={
        "model": "mobilenetv2-head",
        "architecture": "keras.applications.MobileNetV2 alpha 1.0 + Dense(512, relu) embedding + Dense(N) logits",
        "classes": str(classes),
        "layout": "conv HWIO, depthwise [kh,kw,1,c], dense [in,out]",
        "bn_epsilon": "1e-3",
    })
    return tensors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="a saved .keras model")
    parser.add_argument("output", help="output .safetensors path")
    parser.add_argument("--f16", action="store_true", help="store tensors as float16")
    args = parser.parse_args()
    import keras

    tensors = export(keras.models.load_model(args.model, compile=False), args.output, float16=args.f16)
    print(f"{len(tensors)} tensors, {sum(v.size for v in tensors.values())} parameters -> {args.output}")


if __name__ == "__main__":
    main()
