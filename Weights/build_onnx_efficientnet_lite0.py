#!/usr/bin/env python3
"""Build an ONNX graph of EfficientNet-Lite0 directly from Colecionador's safetensors file.

An independent reference runtime (ONNX Runtime) for the Swift CNN: nothing here is shared with
the Swift code except the weight file. The graph
  - takes `input` NHWC float32 [N, 224, 224, 3] (already normalised, (x − 127) / 128),
  - transposes to NCHW, runs Conv (weights transposed back to OIHW, depthwise to [c,1,kh,kw]
    with group = c) → BatchNormalization (epsilon 1e-3, not folded here) → Clip(0, 6),
  - pads every convolution like TensorFlow "same" through Conv's explicit asymmetric `pads`
    ([top, left, bottom, right]: stride-2 3×3 → 0/1, stride-2 5×5 → 1/2, stride 1 → k//2),
  - returns `logits` [N, 1000] and `features` [N, 1280] (global average of the head's
    ReLU6 output, the input of the classifier).
The batch dimension is symbolic, so the benchmark can feed any batch size.

Usage:
  .venv/bin/python Weights/build_onnx_efficientnet_lite0.py Weights/efficientnet-lite0.safetensors \
      Benchmarks/data/efficientnet_lite0.onnx
(from the repository root; .venv/ with numpy, onnx, safetensors from `make venv`;
Benchmarks/data/ is git-ignored and is where Benchmarks/peers/inference_ort.py reads the graph).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import efficientnet_lite as arch  # noqa: E402

VARIANT = "efficientnet-lite0"
OPSET = 17


class GraphBuilder:
    def __init__(self, weights):
        self.weights = weights
        self.nodes = []
        self.initializers = []
        self.used = set()
        self.counter = 0

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}_{self.counter}"

    def constant(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def weight(self, name):
        self.used.add(name)
        return self.weights[name]

    def conv(self, x, weight_name, size, stride, depthwise):
        hwio = self.weight(weight_name)
        kh, kw, _, cout = hwio.shape
        oihw = hwio.transpose(3, 2, 0, 1)  # HWIO -> OIHW; depthwise [kh,kw,1,c] -> [c,1,kh,kw]
        top, bottom, out = arch.same_padding(size, kh, stride)
        left, right, _ = arch.same_padding(size, kw, stride)
        y = self.fresh("conv")
        self.nodes.append(
            helper.make_node(
                "Conv", [x, self.constant(weight_name, oihw)], [y], name=weight_name,
                kernel_shape=[kh, kw], strides=[stride, stride], pads=[top, left, bottom, right],
                group=cout if depthwise else 1,
            )
        )
        return y, out

    def batch_norm(self, x, prefix):
        inputs = [x] + [self.constant(f"{prefix}.{p}", self.weight(f"{prefix}.{p}"))
                        for p in ("gamma", "beta", "mean", "variance")]
        y = self.fresh("bn")
        self.nodes.append(helper.make_node("BatchNormalization", inputs, [y], name=prefix,
                                           epsilon=arch.BN_EPSILON))
        return y

    def relu6(self, x):
        y = self.fresh("relu6")
        self.nodes.append(helper.make_node("Clip", [x, "zero", "six"], [y]))
        return y

    def conv_bn(self, x, weight_name, bn_prefix, size, stride, activation, depthwise=False):
        y, out = self.conv(x, weight_name, size, stride, depthwise)
        y = self.batch_norm(y, bn_prefix)
        return (self.relu6(y) if activation else y), out


def build(weights):
    g = GraphBuilder(weights)
    g.constant("zero", np.array(0.0, np.float32))
    g.constant("six", np.array(6.0, np.float32))
    _, _, size, _ = arch.FAMILY[VARIANT]
    g.nodes.append(helper.make_node("Transpose", ["input"], ["input_nchw"], perm=[0, 3, 1, 2]))
    x, size = g.conv_bn("input_nchw", "_conv_stem.weight", "_bn0", size, 2, activation=True)
    for block in arch.blocks(VARIANT):
        names = arch.tensor_names(block)
        h = x
        if "expand_conv" in names:
            h, _ = g.conv_bn(h, names["expand_conv"], names["bn0"], size, 1, activation=True)
        h, out = g.conv_bn(h, names["depthwise_conv"], names["bn1"], size, block["stride"],
                           activation=True, depthwise=True)
        h, _ = g.conv_bn(h, names["project_conv"], names["bn2"], out, 1, activation=False)
        if block["residual"]:
            y = g.fresh("add")
            g.nodes.append(helper.make_node("Add", [h, x], [y]))
            h = y
        x, size = h, out
    x, _ = g.conv_bn(x, "_conv_head.weight", "_bn1", size, 1, activation=True)
    g.nodes.append(helper.make_node("GlobalAveragePool", [x], ["pooled"]))
    g.nodes.append(helper.make_node("Flatten", ["pooled"], ["features"], axis=1))
    g.nodes.append(
        helper.make_node("Gemm", ["features", g.constant("_fc.weight", g.weight("_fc.weight")),
                                  g.constant("_fc.bias", g.weight("_fc.bias"))], ["logits"])
    )
    unused = set(weights) - g.used
    if unused:
        raise ValueError(f"tensors not used by the graph: {sorted(unused)}")
    graph = helper.make_graph(
        g.nodes, "efficientnet_lite0",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 224, 224, 3])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 1000]),
         helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 1280])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="colecionador-weights")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    model = build(load_file(argv[1]))
    os.makedirs(os.path.dirname(os.path.abspath(argv[2])), exist_ok=True)
    onnx.save(model, argv[2])
    print(f"{len(model.graph.node)} nodes -> {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
