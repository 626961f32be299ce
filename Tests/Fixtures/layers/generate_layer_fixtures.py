"""Reference fixtures for every layer kind of the CNN runtime, computed by numpy in float64.

Writes manifest.json (the graph of every case) and tensors.safetensors (inputs, parameters and
expected outputs, all F32) into the folder that holds this script. The format is described in
README.md beside this file; tolerances and coverage in Docs/Numerics.md, "Layer fixtures".

Each reference op is written from its definition. Before anything is written:
- a second, independently written implementation checks every op of every case in float64
  (scipy.signal.correlate for conv2d, scipy.special for softmax and activations, per-window loops
  for pools, an NHWC einsum for dense) to 1e-10;
- the same graph, translated to ONNX operators (SAME/VALID as ONNX auto_pad), runs in ONNX Runtime
  in float32 and must agree with the expected outputs within a quarter of the case's tolerance;
- a float32 replay of every case, with BatchNorm folded into the preceding convolution where the
  runtime may fold it, must also stay within a quarter of the tolerance, and folding where it is
  illegal must break the tolerance (the folding-trap cases);
- every piece of every piecewise activation is reached, both fused and standalone;
- the safetensors file is read back with the safetensors package and compared bit for bit.

Run from the repository root:  .venv/bin/python Tests/Fixtures/layers/generate_layer_fixtures.py
Needs numpy, scipy, onnx, onnxruntime and safetensors (.venv/ from `make venv venv-fixtures`).
"""

import json
import math
import struct
import zlib
from pathlib import Path

import numpy as np
import scipy.signal
import scipy.special

SEED = 20261125
OUT_DIR = Path(__file__).resolve().parent
DEFAULT_TOLERANCE = {"abs": 1e-4, "rel": 1e-4}
ACTIVATIONS = ("none", "relu", "relu6", "sigmoid", "silu", "hardswish")
MAX_BYTES = 4 * 1024 * 1024
FLOAT32_MARGIN = 0.25  # the float32 replay may use at most a quarter of the tolerance
# Cases whose BatchNorm must not be folded into the convolution before it; the generator proves
# that folding it anyway breaks the tolerance by a wide margin.
FOLDING_TRAPS = ("graph_conv_shared_by_bn_and_add", "graph_conv_relu_then_bn")


# ----------------------------------------------------------------------------------------------
# Padding geometry
# ----------------------------------------------------------------------------------------------

def axis_geometry(size, kernel, stride, dilation, before, after):
    """Output size of one spatial axis for explicit padding (floor rule)."""
    effective = (kernel - 1) * dilation + 1
    out = (size + before + after - effective) // stride + 1
    assert out >= 1, f"empty output: size={size} kernel={kernel} stride={stride} pads={before},{after}"
    return out


def resolve_padding(padding, in_h, in_w, kernel, stride, dilation):
    """Returns (top, bottom, left, right, out_h, out_w) for a PAD spec."""
    mode = padding["mode"]
    if mode == "valid":
        pads = (0, 0, 0, 0)
    elif mode == "same":
        pads = []
        for size, k, s, d in ((in_h, kernel[0], stride[0], dilation[0]),
                              (in_w, kernel[1], stride[1], dilation[1])):
            out = -(-size // s)
            total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
            pads += [total // 2, total - total // 2]
        pads = tuple(pads)
    elif mode == "explicit":
        pads = (padding["top"], padding["bottom"], padding["left"], padding["right"])
    else:
        raise ValueError(mode)
    top, bottom, left, right = pads
    out_h = axis_geometry(in_h, kernel[0], stride[0], dilation[0], top, bottom)
    out_w = axis_geometry(in_w, kernel[1], stride[1], dilation[1], left, right)
    if mode == "same":
        assert out_h == -(-in_h // stride[0]) and out_w == -(-in_w // stride[1])
    return top, bottom, left, right, out_h, out_w


# ----------------------------------------------------------------------------------------------
# Reference ops (dtype-preserving: float64 for the fixtures, float32 for the tolerance replay)
# ----------------------------------------------------------------------------------------------

def activation(x, kind):
    if kind == "none":
        return x
    if kind == "relu":
        return np.maximum(x, 0)
    if kind == "relu6":
        return np.minimum(np.maximum(x, 0), 6)
    if kind == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if kind == "silu":
        return x / (1 + np.exp(-x))
    if kind == "hardswish":
        return x * np.minimum(np.maximum(x + 3, 0), 6) / 6
    raise ValueError(kind)


def conv2d(x, weight, bias, config):
    n, in_h, in_w, cin = x.shape
    kh, kw = config["kernel"]
    sh, sw = config["stride"]
    dh, dw = config["dilation"]
    groups = config["groups"]
    cout = config["out_channels"]
    assert weight.shape == (kh, kw, cin // groups, cout)
    assert cin % groups == 0 and cout % groups == 0
    top, bottom, left, right, out_h, out_w = resolve_padding(
        config["padding"], in_h, in_w, (kh, kw), (sh, sw), (dh, dw))
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    cin_g, cout_g = cin // groups, cout // groups
    grouped_weight = weight.reshape(kh, kw, cin_g, groups, cout_g)
    out = np.zeros((n, out_h, out_w, groups, cout_g), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + (out_h - 1) * sh + 1, sh)
            cols = slice(j * dw, j * dw + (out_w - 1) * sw + 1, sw)
            patch = padded[:, rows, cols, :].reshape(n, out_h, out_w, groups, cin_g)
            out += np.einsum("nyxgc,cgo->nyxgo", patch, grouped_weight[i, j])
    out = out.reshape(n, out_h, out_w, cout)
    if bias is not None:
        out = out + bias
    return activation(out, config["activation"])


def batchnorm(x, gamma, beta, mean, variance, epsilon):
    return gamma * (x - mean) / np.sqrt(variance + epsilon) + beta


def pool_windows(x, config, fill):
    """Yields (window slice of the padded input, valid-position mask slice) per kernel offset."""
    n, in_h, in_w, c = x.shape
    kh, kw = config["kernel"]
    sh, sw = config["stride"]
    top, bottom, left, right, out_h, out_w = resolve_padding(
        config["padding"], in_h, in_w, (kh, kw), (sh, sw), (1, 1))
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
    mask = np.pad(np.ones((in_h, in_w), dtype=x.dtype), ((top, bottom), (left, right)))
    for i in range(kh):
        for j in range(kw):
            rows = slice(i, i + (out_h - 1) * sh + 1, sh)
            cols = slice(j, j + (out_w - 1) * sw + 1, sw)
            yield padded[:, rows, cols, :], mask[rows, cols]


def maxpool(x, config):
    result = None
    for window, _ in pool_windows(x, config, -np.inf):
        result = window if result is None else np.maximum(result, window)
    assert np.all(np.isfinite(result)), "a pooling window lies entirely in the padding"
    return result


def avgpool(x, config):
    total, count = None, None
    for window, mask in pool_windows(x, config, 0):
        total = window if total is None else total + window
        count = mask if count is None else count + mask
    if config["count_include_pad"]:
        kh, kw = config["kernel"]
        return total / (kh * kw)
    assert np.all(count > 0), "a pooling window lies entirely in the padding"
    return total / count[None, :, :, None]


def globalavgpool(x):
    return x.mean(axis=(1, 2), keepdims=True)


def dense(x, weight, bias, config):
    n = x.shape[0]
    flat = x.reshape(n, -1)
    assert weight.shape == (flat.shape[1], config["units"])
    out = flat @ weight
    if bias is not None:
        out = out + bias
    return activation(out, config["activation"]).reshape(n, 1, 1, config["units"])


def softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


# ----------------------------------------------------------------------------------------------
# Independent checks of the reference ops (float64 only)
# ----------------------------------------------------------------------------------------------

def check_conv2d(x, weight, bias, config, result):
    """Per output channel: scipy 3-D correlation of the padded group slab with the dilated kernel."""
    n, in_h, in_w, cin = x.shape
    kh, kw = config["kernel"]
    sh, sw = config["stride"]
    dh, dw = config["dilation"]
    groups, cout = config["groups"], config["out_channels"]
    top, bottom, left, right, out_h, out_w = resolve_padding(
        config["padding"], in_h, in_w, (kh, kw), (sh, sw), (dh, dw))
    cin_g, cout_g = cin // groups, cout // groups
    dilated = np.zeros(((kh - 1) * dh + 1, (kw - 1) * dw + 1, cin_g, cout))
    dilated[::dh, ::dw] = weight
    expected = np.zeros((n, out_h, out_w, cout))
    for b in range(n):
        plane = np.zeros((in_h + top + bottom, in_w + left + right, cin))
        plane[top:top + in_h, left:left + in_w] = x[b]
        for o in range(cout):
            g = o // cout_g
            slab = plane[:, :, g * cin_g:(g + 1) * cin_g]
            full = scipy.signal.correlate(slab, dilated[:, :, :, o], mode="valid", method="direct")
            expected[b, :, :, o] = full[::sh, ::sw, 0]
    if bias is not None:
        expected += bias
    expected = scipy_activation(expected, config["activation"])
    assert_close(result, expected, "conv2d vs scipy.signal.correlate")


def scipy_activation(x, kind):
    if kind == "sigmoid":
        return scipy.special.expit(x)
    if kind == "silu":
        return x * scipy.special.expit(x)
    if kind == "hardswish":
        return np.where(x <= -3, 0.0, np.where(x >= 3, x, x * (x + 3) / 6))
    if kind == "relu6":
        return np.clip(x, 0, 6)
    if kind == "relu":
        return np.where(x > 0, x, 0.0)
    return x


def loop_pool(x, config, reduce):
    """Per output position: reduce over the in-bounds part of the window (no padded arrays)."""
    n, in_h, in_w, c = x.shape
    kh, kw = config["kernel"]
    sh, sw = config["stride"]
    top, _, left, _, out_h, out_w = resolve_padding(
        config["padding"], in_h, in_w, (kh, kw), (sh, sw), (1, 1))
    out = np.zeros((n, out_h, out_w, c))
    for y in range(out_h):
        for xx in range(out_w):
            y0, x0 = y * sh - top, xx * sw - left
            window = x[:, max(y0, 0):min(y0 + kh, in_h), max(x0, 0):min(x0 + kw, in_w), :]
            out[:, y, xx, :] = reduce(window.reshape(n, -1, c))
    return out


def check_op(op, inputs, params, config, result):
    if op == "conv2d":
        check_conv2d(inputs[0], params["weight"], params.get("bias"), config, result)
    elif op == "activation":
        assert_close(result, scipy_activation(inputs[0], config["kind"]), "activation vs scipy")
    elif op == "batchnorm":
        scale = params["gamma"] / np.sqrt(params["variance"] + config["epsilon"])
        shift = params["beta"] - params["mean"] * scale
        assert_close(result, inputs[0] * scale + shift, "batchnorm vs scale/shift form")
    elif op == "maxpool":
        assert_close(result, loop_pool(inputs[0], config, lambda w: w.max(axis=1)), "maxpool vs loops")
    elif op == "avgpool":
        kh, kw = config["kernel"]
        if config["count_include_pad"]:
            reduce = lambda w: w.sum(axis=1) / (kh * kw)
        else:
            reduce = lambda w: w.mean(axis=1)
        assert_close(result, loop_pool(inputs[0], config, reduce), "avgpool vs loops")
    elif op == "globalavgpool":
        x = inputs[0]
        expected = np.array([[x[b, :, :, ch].sum() / (x.shape[1] * x.shape[2])
                              for ch in range(x.shape[3])] for b in range(x.shape[0])])
        assert_close(result, expected.reshape(result.shape), "globalavgpool vs loops")
    elif op == "dense":
        x = inputs[0]
        w = params["weight"].reshape(x.shape[1], x.shape[2], x.shape[3], -1)
        expected = np.einsum("nhwc,hwcu->nu", x, w)
        if "bias" in params:
            expected += params["bias"]
        expected = scipy_activation(expected, config["activation"])
        assert_close(result, expected.reshape(result.shape), "dense vs NHWC einsum")
    elif op == "softmax":
        expected = scipy.special.softmax(inputs[0], axis=-1)
        assert_close(result, expected, "softmax vs scipy.special.softmax")
        assert np.allclose(result.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    elif op == "add":
        expected = scipy_activation(sum(inputs[1:], inputs[0].copy()), config["activation"])
        assert_close(result, expected, "add vs scipy activation")
    elif op == "concat":
        offset = 0
        for t in inputs:
            assert np.array_equal(result[..., offset:offset + t.shape[3]], t)
            offset += t.shape[3]
        assert offset == result.shape[3]
    elif op in ("flatten", "reshape", "dropout"):
        assert np.array_equal(result.ravel(), inputs[0].ravel())


def assert_close(actual, expected, what):
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert np.allclose(actual, expected, rtol=1e-10, atol=1e-10), \
        f"{what}: max diff {np.max(np.abs(actual - expected))}"


# ----------------------------------------------------------------------------------------------
# Graph evaluation
# ----------------------------------------------------------------------------------------------

def run_node(node, inputs, params):
    op, config = node["op"], node["config"]
    x = inputs[0]
    if op == "conv2d":
        return conv2d(x, params["weight"], params.get("bias"), config)
    if op == "batchnorm":
        return batchnorm(x, params["gamma"], params["beta"], params["mean"], params["variance"],
                         x.dtype.type(config["epsilon"]))
    if op == "activation":
        return activation(x, config["kind"])
    if op == "maxpool":
        return maxpool(x, config)
    if op == "avgpool":
        return avgpool(x, config)
    if op == "globalavgpool":
        return globalavgpool(x)
    if op == "dense":
        return dense(x, params["weight"], params.get("bias"), config)
    if op == "softmax":
        return softmax(x)
    if op == "add":
        assert len(inputs) in (2, 3) and all(t.shape == x.shape for t in inputs)
        total = x
        for t in inputs[1:]:
            total = total + t
        return activation(total, config["activation"])
    if op == "concat":
        assert len(inputs) in (2, 3) and all(t.shape[:3] == x.shape[:3] for t in inputs)
        return np.concatenate(inputs, axis=3)
    if op == "flatten":
        return x.reshape(x.shape[0], 1, 1, -1)
    if op == "reshape":
        h, w, c = config["shape"]
        assert h * w * c == x[0].size
        return x.reshape(x.shape[0], h, w, c)
    if op == "dropout":
        assert 0 <= config["rate"] < 1
        return x
    raise ValueError(op)


def evaluate(case, tensors, dtype, check=False, fold=False):
    """Runs a case's graph; `tensors` maps '<input>' and '<node>.<param>' to arrays."""
    values = {i["name"]: tensors[i["name"]].astype(dtype) for i in case["inputs"]}
    consumers = {}
    for node in case["nodes"]:
        for name in node["inputs"]:
            consumers.setdefault(name, []).append(node["name"])
    nodes_by_name = {node["name"]: node for node in case["nodes"]}
    folded = {}
    if fold:
        for node in case["nodes"]:
            producer = nodes_by_name.get(node["inputs"][0])
            if node["op"] != "batchnorm" or producer is None or producer["op"] != "conv2d":
                continue
            safe = (producer["config"]["activation"] == "none"
                    and consumers[producer["name"]] == [node["name"]]
                    and producer["name"] not in case["outputs"])
            if safe or fold == "unconditionally":
                folded[producer["name"]] = node["name"]
    for node in case["nodes"]:
        inputs = [values[name] for name in node["inputs"]]
        prefix = node["name"] + "."
        params = {k[len(prefix):]: v.astype(dtype) for k, v in tensors.items() if k.startswith(prefix)}
        if node["name"] in folded:
            bn_prefix = folded[node["name"]] + "."
            bn = {k[len(bn_prefix):]: v.astype(dtype) for k, v in tensors.items() if k.startswith(bn_prefix)}
            eps = dtype(nodes_by_name[folded[node["name"]]]["config"]["epsilon"])
            scale = bn["gamma"] / np.sqrt(bn["variance"] + eps)
            bias = params.get("bias", np.zeros_like(scale))
            params = {"weight": params["weight"] * scale, "bias": (bias - bn["mean"]) * scale + bn["beta"]}
            config = dict(node["config"], bias=True)
            values[node["name"]] = conv2d(inputs[0], params["weight"], params["bias"], config)
            values[folded[node["name"]]] = values[node["name"]]
            continue
        if node["name"] in folded.values():
            continue
        result = run_node(node, inputs, params)
        assert result.dtype == dtype, f"{node['name']}: dtype {result.dtype} != {dtype}"
        if check:
            check_op(node["op"], inputs, params, node["config"], result)
        values[node["name"]] = result
    return values


# ----------------------------------------------------------------------------------------------
# Case construction
# ----------------------------------------------------------------------------------------------

class CaseBuilder:
    """Builds one case: graph inputs, nodes with seeded parameters, shapes inferred as it goes."""

    def __init__(self, name):
        self.name = name
        self.rng = np.random.default_rng([SEED, zlib.crc32(name.encode())])
        self.inputs, self.nodes, self.tensors, self.shapes = [], [], {}, {}
        self.tolerance = dict(DEFAULT_TOLERANCE)
        self.outputs = None

    def f32(self, array):
        return np.asarray(array, dtype=np.float32)

    def input(self, name, shape, low=-1.0, high=1.0):
        self.inputs.append({"name": name, "shape": list(shape)})
        self.tensors[name] = self.f32(self.rng.uniform(low, high, size=shape))
        self.shapes[name] = tuple(shape)
        return name

    def _add(self, name, op, inputs, config, params=None):
        self.nodes.append({"name": name, "op": op, "inputs": list(inputs), "config": config})
        for key, value in (params or {}).items():
            self.tensors[f"{name}.{key}"] = self.f32(value)
        probe = {k: v.astype(np.float64) for k, v in self.tensors.items()}
        case = {"inputs": self.inputs, "nodes": self.nodes}
        self.shapes[name] = evaluate(case, probe, np.float64)[name].shape
        return name

    def conv(self, name, source, out_channels, kernel=(3, 3), stride=(1, 1), dilation=(1, 1),
             groups=1, padding="same", bias=True, act="none", gain=1.0):
        cin = self.shapes[source][3]
        fan_in = kernel[0] * kernel[1] * cin // groups
        limit = gain * math.sqrt(3.0 / fan_in)
        params = {"weight": self.rng.uniform(-limit, limit,
                                             size=(kernel[0], kernel[1], cin // groups, out_channels))}
        if bias:
            params["bias"] = self.rng.uniform(-0.5, 0.5, size=out_channels)
        config = {"kernel": list(kernel), "stride": list(stride), "dilation": list(dilation),
                  "groups": groups, "out_channels": out_channels, "padding": pad_spec(padding),
                  "bias": bias, "activation": act}
        return self._add(name, "conv2d", [source], config, params)

    def batchnorm(self, name, source, epsilon=1e-3):
        c = self.shapes[source][3]
        params = {"gamma": self.rng.uniform(0.5, 1.5, size=c) * self.rng.choice([-1.0, 1.0], size=c,
                                                                                  p=[0.2, 0.8]),
                  "beta": self.rng.uniform(-0.5, 0.5, size=c),
                  "mean": self.rng.uniform(-0.5, 0.5, size=c),
                  "variance": self.rng.uniform(0.5, 2.0, size=c)}
        return self._add(name, "batchnorm", [source], {"epsilon": epsilon}, params)

    def activation(self, name, source, kind):
        return self._add(name, "activation", [source], {"kind": kind})

    def maxpool(self, name, source, kernel, stride, padding):
        return self._add(name, "maxpool", [source], {"kernel": list(kernel), "stride": list(stride),
                                                     "padding": pad_spec(padding)})

    def avgpool(self, name, source, kernel, stride, padding, count_include_pad):
        return self._add(name, "avgpool", [source], {"kernel": list(kernel), "stride": list(stride),
                                                     "padding": pad_spec(padding),
                                                     "count_include_pad": count_include_pad})

    def globalavgpool(self, name, source):
        return self._add(name, "globalavgpool", [source], {})

    def dense(self, name, source, units, bias=True, act="none", gain=1.0):
        fan_in = int(np.prod(self.shapes[source][1:]))
        limit = gain * math.sqrt(3.0 / fan_in)
        params = {"weight": self.rng.uniform(-limit, limit, size=(fan_in, units))}
        if bias:
            params["bias"] = self.rng.uniform(-0.5, 0.5, size=units)
        return self._add(name, "dense", [source], {"units": units, "bias": bias, "activation": act}, params)

    def softmax(self, name, source):
        return self._add(name, "softmax", [source], {})

    def add(self, name, sources, act="none"):
        return self._add(name, "add", sources, {"activation": act})

    def concat(self, name, sources):
        return self._add(name, "concat", sources, {})

    def flatten(self, name, source):
        return self._add(name, "flatten", [source], {})

    def reshape(self, name, source, shape):
        return self._add(name, "reshape", [source], {"shape": list(shape)})

    def dropout(self, name, source, rate):
        return self._add(name, "dropout", [source], {"rate": rate})

    def finish(self):
        """The case's outputs are the nodes no other node consumes."""
        consumed = {name for node in self.nodes for name in node["inputs"]}
        self.outputs = [n["name"] for n in self.nodes if n["name"] not in consumed]


def pad_spec(padding):
    """'same' | 'valid' | (top, left, bottom, right) -> the manifest's PAD object."""
    if padding in ("same", "valid"):
        return {"mode": padding}
    top, left, bottom, right = padding
    return {"mode": "explicit", "top": top, "left": left, "bottom": bottom, "right": right}


def build_cases():
    cases = []

    def case(name):
        builder = CaseBuilder(name)
        cases.append(builder)
        return builder

    # --- conv2d -----------------------------------------------------------------------------
    def single_conv(name, shape, cout, **kw):
        b = case(name)
        b.conv("conv", b.input("x", shape), cout, **kw)
        b.finish()

    single_conv("conv_1x1_s1_valid_c5to7_9x9", (1, 9, 9, 5), 7, kernel=(1, 1), padding="valid")
    single_conv("conv_1x1_s2_valid_c13to11_13x13_relu", (1, 13, 13, 13), 11, kernel=(1, 1),
                stride=(2, 2), padding="valid", act="relu")
    single_conv("conv_1x1_s2_same_c17to24_14x14_b2", (2, 14, 14, 17), 24, kernel=(1, 1),
                stride=(2, 2), padding="same")
    single_conv("conv_1x1_s1_same_c64to19_7x7_nobias", (1, 7, 7, 64), 19, kernel=(1, 1), bias=False)
    single_conv("conv_3x3_s1_same_c3to16_15x15_b2_relu", (2, 15, 15, 3), 16, act="relu")
    single_conv("conv_3x3_s2_same_even16_c8to24_relu6", (1, 16, 16, 8), 24, stride=(2, 2),
                act="relu6", gain=8.0)
    single_conv("conv_3x3_s2_same_odd15_c5to17_silu", (1, 15, 15, 5), 17, stride=(2, 2), act="silu",
                gain=3.0)
    single_conv("conv_3x3_s1_valid_c7to19_9x11_sigmoid", (1, 9, 11, 7), 19, padding="valid",
                act="sigmoid", gain=3.0)
    single_conv("conv_3x3_s1_valid_3x3_to_1x1", (2, 3, 3, 11), 13, padding="valid")
    single_conv("conv_3x3_s1_same_c64to24_9x9", (1, 9, 9, 64), 24)
    single_conv("conv_3x3_s2x1_same_c6to10_9x8", (1, 9, 8, 6), 10, stride=(2, 1))
    single_conv("conv_5x5_s1_same_c3to13_13x13_hardswish", (1, 13, 13, 3), 13, kernel=(5, 5),
                act="hardswish", gain=6.0)
    single_conv("conv_5x5_s2_same_even14_c6to10", (1, 14, 14, 6), 10, kernel=(5, 5), stride=(2, 2))
    single_conv("conv_5x5_s2_same_odd13_c7to12_b2", (2, 13, 13, 7), 12, kernel=(5, 5), stride=(2, 2))
    single_conv("conv_5x5_s1_sym_pad2_c4to6_11x11", (1, 11, 11, 4), 6, kernel=(5, 5),
                padding=(2, 2, 2, 2))
    single_conv("conv_7x1_s1_same_c11to12_9x9", (1, 9, 9, 11), 12, kernel=(7, 1))
    single_conv("conv_1x7_s1_same_c12to11_9x9_relu", (1, 9, 9, 12), 11, kernel=(1, 7), act="relu")
    single_conv("conv_1x7_s1_valid_c5to7_7x13", (1, 7, 13, 5), 7, kernel=(1, 7), padding="valid")
    single_conv("conv_7x7_s2_sym_pad3_c3to16_32x32_b2", (2, 32, 32, 3), 16, kernel=(7, 7),
                stride=(2, 2), padding=(3, 3, 3, 3))
    single_conv("conv_3x3_d2_s1_same_c8to8_15x15", (1, 15, 15, 8), 8, dilation=(2, 2))
    single_conv("conv_3x3_d2_s1_valid_c5to9_13x13_relu", (1, 13, 13, 5), 9, dilation=(2, 2),
                padding="valid", act="relu")
    single_conv("conv_3x3_d2_s2_pad_t2l1b1r2_c7to5_13x13", (1, 13, 13, 7), 5, dilation=(2, 2),
                stride=(2, 2), padding=(2, 1, 1, 2))
    single_conv("conv_3x3_d2x1_s1_same_c6to7_11x9", (1, 11, 9, 6), 7, dilation=(2, 1))
    single_conv("conv_3x3_s2_pad_t0l0b1r1_c3to8_16x16", (1, 16, 16, 3), 8, stride=(2, 2),
                padding=(0, 0, 1, 1))
    single_conv("conv_3x3_s2_pad_t1l0b0r1_c5to7_15x15_b2", (2, 15, 15, 5), 7, stride=(2, 2),
                padding=(1, 0, 0, 1))
    single_conv("conv_3x3_s1_pad_t2l0b1r0_c4to5_7x9", (1, 7, 9, 4), 5, padding=(2, 0, 1, 0))
    single_conv("conv_3x3_g2_s1_same_c10to14_9x9", (1, 9, 9, 10), 14, groups=2)
    single_conv("conv_3x3_g3_s2_sym_pad1_c12to9_13x13_relu", (1, 13, 13, 12), 9, groups=3,
                stride=(2, 2), padding=(1, 1, 1, 1), act="relu")
    single_conv("conv_1x1_g3_s1_same_c21to27_7x7_b2", (2, 7, 7, 21), 27, kernel=(1, 1), groups=3)
    single_conv("conv_dw3x3_s1_same_c19_15x15_relu6", (1, 15, 15, 19), 19, groups=19, act="relu6",
                gain=8.0)
    single_conv("conv_dw3x3_s2_same_even16_c11_mult2", (1, 16, 16, 11), 22, groups=11, stride=(2, 2))
    single_conv("conv_dw5x5_s1_same_c13_9x9_b2_silu", (2, 9, 9, 13), 13, kernel=(5, 5), groups=13,
                act="silu", gain=3.0)
    single_conv("conv_dw3x3_s1_valid_c7_mult2_11x11_nobias", (1, 11, 11, 7), 14, groups=7,
                padding="valid", bias=False)
    single_conv("conv_dw3x3_s2_pad_t0l0b1r1_c24_15x15", (1, 15, 15, 24), 24, groups=24, stride=(2, 2),
                padding=(0, 0, 1, 1))
    single_conv("conv_dw3x3_d2_s1_same_c17_13x13_hardswish", (1, 13, 13, 17), 17, groups=17,
                dilation=(2, 2), act="hardswish", gain=6.0)

    # --- batchnorm --------------------------------------------------------------------------
    for name, shape, eps in (("batchnorm_eps1e-3_c7_9x9_b2", (2, 9, 9, 7), 1e-3),
                             ("batchnorm_eps1e-5_c13_7x5", (1, 7, 5, 13), 1e-5),
                             ("batchnorm_eps1e-3_c64_3x3", (1, 3, 3, 64), 1e-3)):
        b = case(name)
        b.batchnorm("bn", b.input("x", shape), epsilon=eps)
        b.finish()

    # --- activation -------------------------------------------------------------------------
    for kind in ACTIVATIONS:
        b = case(f"activation_{kind}_c11_9x7")
        b.activation("act", b.input("x", (1, 9, 7, 11), low=-8.0, high=8.0), kind)
        b.finish()

    # --- pools ------------------------------------------------------------------------------
    for name, shape, kernel, stride, padding in (
            ("maxpool_3x3_s2_same_odd15_c5", (1, 15, 15, 5), (3, 3), (2, 2), "same"),
            ("maxpool_3x3_s2_same_even16_c7_b2", (2, 16, 16, 7), (3, 3), (2, 2), "same"),
            ("maxpool_2x2_s2_valid_odd9_c11", (1, 9, 9, 11), (2, 2), (2, 2), "valid"),
            ("maxpool_3x3_s2_sym_pad1_c3_13x13", (1, 13, 13, 3), (3, 3), (2, 2), (1, 1, 1, 1)),
            ("maxpool_3x3_s1_same_c13_7x9", (1, 7, 9, 13), (3, 3), (1, 1), "same"),
            ("maxpool_3x2_s2x1_pad_t0l1b1r0_c4_9x8", (1, 9, 8, 4), (3, 2), (2, 1), (0, 1, 1, 0))):
        b = case(name)
        b.maxpool("pool", b.input("x", shape), kernel, stride, padding)
        b.finish()
    for name, shape, kernel, stride, padding, include in (
            ("avgpool_3x3_s2_same_odd15_c5_tf", (1, 15, 15, 5), (3, 3), (2, 2), "same", False),
            ("avgpool_3x3_s2_same_even16_c7_b2_tf", (2, 16, 16, 7), (3, 3), (2, 2), "same", False),
            ("avgpool_3x3_s2_same_odd13_c3_include_pad", (1, 13, 13, 3), (3, 3), (2, 2), "same", True),
            ("avgpool_2x2_s2_valid_odd9_c11", (1, 9, 9, 11), (2, 2), (2, 2), "valid", False),
            ("avgpool_3x3_s1_sym_pad1_c13_7x9_include_pad", (1, 7, 9, 13), (3, 3), (1, 1),
             (1, 1, 1, 1), True),
            ("avgpool_3x3_s1_sym_pad1_c13_7x9_exclude_pad", (1, 7, 9, 13), (3, 3), (1, 1),
             (1, 1, 1, 1), False),
            ("avgpool_5x5_s3_pad_t2l0b1r1_c6_13x11_include_pad", (1, 13, 11, 6), (5, 5), (3, 3),
             (2, 0, 1, 1), True),
            ("avgpool_5x5_s3_pad_t2l0b1r1_c6_13x11_exclude_pad", (1, 13, 11, 6), (5, 5), (3, 3),
             (2, 0, 1, 1), False)):
        b = case(name)
        b.avgpool("pool", b.input("x", shape), kernel, stride, padding, include)
        b.finish()
    for name, shape in (("globalavgpool_c64_7x7", (1, 7, 7, 64)),
                        ("globalavgpool_c5_13x9_b2", (2, 13, 9, 5)),
                        ("globalavgpool_c11_1x1", (1, 1, 1, 11))):
        b = case(name)
        b.globalavgpool("gap", b.input("x", shape))
        b.finish()

    # --- dense ------------------------------------------------------------------------------
    for name, shape, units, bias, act, gain in (
            ("dense_64to10_b2_relu", (2, 1, 1, 64), 10, True, "relu", 1.0),
            ("dense_17to5_nobias", (1, 1, 1, 17), 5, False, "none", 1.0),
            ("dense_nhwc_3x5x7to13_b2_silu", (2, 3, 5, 7), 13, True, "silu", 3.0),
            ("dense_24to24_hardswish", (1, 1, 1, 24), 24, True, "hardswish", 6.0),
            ("dense_19to7_sigmoid", (1, 1, 1, 19), 7, True, "sigmoid", 3.0),
            ("dense_nhwc_2x2x13to11_relu6_nobias", (1, 2, 2, 13), 11, False, "relu6", 8.0)):
        b = case(name)
        b.dense("fc", b.input("x", shape), units, bias=bias, act=act, gain=gain)
        b.finish()

    # --- softmax ----------------------------------------------------------------------------
    for name, shape, low, high in (("softmax_c10_b2", (2, 1, 1, 10), -3.0, 3.0),
                                   ("softmax_c37_pm80", (1, 1, 1, 37), -80.0, 80.0),
                                   ("softmax_c64_b2_large_positive", (2, 1, 1, 64), 90.0, 110.0),
                                   ("softmax_c13_large_negative", (1, 1, 1, 13), -110.0, -90.0)):
        b = case(name)
        b.softmax("softmax", b.input("x", shape, low=low, high=high))
        b.finish()

    # --- add / concat -----------------------------------------------------------------------
    for name, shape, count, act in (("add2_c7_9x9_relu", (1, 9, 9, 7), 2, "relu"),
                                    ("add3_c13_7x5_b2", (2, 7, 5, 13), 3, "none"),
                                    ("add2_c24_5x5_b2_hardswish", (2, 5, 5, 24), 2, "hardswish"),
                                    ("add3_c5_11x11_sigmoid", (1, 11, 11, 5), 3, "sigmoid"),
                                    ("add2_c11_7x7_relu6", (1, 7, 7, 11), 2, "relu6"),
                                    ("add3_c3_9x9_silu", (1, 9, 9, 3), 3, "silu")):
        b = case(name)
        low = -4.0 if act in ("relu6", "hardswish") else -1.0
        names = [b.input(n, shape, low=low, high=-low) for n in "abc"[:count]]
        b.add("add", names, act=act)
        b.finish()
    for name, shapes in (("concat2_c5_c11_9x9", [(1, 9, 9, 5), (1, 9, 9, 11)]),
                         ("concat3_c3_c7_c13_7x7", [(1, 7, 7, 3), (1, 7, 7, 7), (1, 7, 7, 13)]),
                         ("concat3_c24_c8_c1_5x3_b2", [(2, 5, 3, 24), (2, 5, 3, 8), (2, 5, 3, 1)])):
        b = case(name)
        names = [b.input(n, s) for n, s in zip("abc", shapes)]
        b.concat("concat", names)
        b.finish()

    # --- flatten / reshape / dropout --------------------------------------------------------
    for name, shape in (("flatten_3x5x7_b2", (2, 3, 5, 7)), ("flatten_7x7x3", (1, 7, 7, 3)),
                        ("flatten_1x1x9", (1, 1, 1, 9))):
        b = case(name)
        b.flatten("flatten", b.input("x", shape))
        b.finish()
    for name, shape, target in (("reshape_4x6x3_to_8x9x1", (1, 4, 6, 3), (8, 9, 1)),
                                ("reshape_1x1x72_to_3x2x12_b2", (2, 1, 1, 72), (3, 2, 12)),
                                ("reshape_5x5x5_to_1x1x125", (1, 5, 5, 5), (1, 1, 125))):
        b = case(name)
        b.reshape("reshape", b.input("x", shape), target)
        b.finish()
    for name, shape, rate in (("dropout_rate0.2_c7_9x9", (1, 9, 9, 7), 0.2),
                              ("dropout_rate0.5_c64_b2", (2, 1, 1, 64), 0.5),
                              ("dropout_rate0_c3_5x5", (1, 5, 5, 3), 0.0)):
        b = case(name)
        b.dropout("dropout", b.input("x", shape), rate)
        b.finish()

    # --- graphs -----------------------------------------------------------------------------
    b = case("graph_conv_bn_relu6")
    c = b.conv("conv", b.input("x", (2, 13, 13, 5)), 16, bias=False, gain=4.0)
    b.activation("relu6", b.batchnorm("bn", c, epsilon=1e-3), "relu6")
    b.finish()

    b = case("graph_conv_bias_bn_hardswish_eps1e-5")
    c = b.conv("conv", b.input("x", (1, 11, 11, 7)), 12, kernel=(3, 3), stride=(2, 2), gain=4.0)
    b.activation("hardswish", b.batchnorm("bn", c, epsilon=1e-5), "hardswish")
    b.finish()

    b = case("graph_inverted_residual")
    x = b.input("x", (1, 15, 15, 8))
    h = b.conv("expand", x, 48, kernel=(1, 1), bias=False, gain=2.0)
    h = b.activation("expand_relu6", b.batchnorm("expand_bn", h, epsilon=1e-3), "relu6")
    h = b.conv("depthwise", h, 48, groups=48, bias=False, gain=2.0)
    h = b.activation("depthwise_relu6", b.batchnorm("depthwise_bn", h, epsilon=1e-3), "relu6")
    h = b.conv("project", h, 8, kernel=(1, 1), bias=False)
    h = b.batchnorm("project_bn", h, epsilon=1e-3)
    b.add("residual", [h, x])
    b.finish()

    b = case("graph_branch_concat_head")
    x = b.input("x", (2, 13, 13, 5))
    left = b.conv("branch_1x1", x, 7, kernel=(1, 1), act="relu")
    right = b.conv("branch_3x3", x, 9, act="relu")
    h = b.globalavgpool("gap", b.concat("concat", [left, right]))
    b.softmax("softmax", b.dense("fc", h, 10, gain=3.0))
    b.finish()

    b = case("graph_conv_shared_by_bn_and_add")
    c = b.conv("conv", b.input("x", (1, 9, 9, 8)), 8)
    h = b.activation("relu", b.batchnorm("bn", c, epsilon=1e-3), "relu")
    b.add("add", [c, h])
    b.finish()

    b = case("graph_conv_relu_then_bn")
    c = b.conv("conv", b.input("x", (1, 9, 9, 6)), 10, act="relu")
    b.batchnorm("bn", c, epsilon=1e-3)
    b.finish()

    b = case("graph_reshape_dense")
    h = b.reshape("reshape", b.input("x", (2, 4, 6, 3)), (1, 1, 72))
    b.dense("fc", h, 9, act="relu")
    b.finish()

    b = case("graph_flatten_dropout_dense_softmax")
    h = b.flatten("flatten", b.input("x", (1, 5, 3, 7)))
    h = b.dropout("dropout", h, 0.2)
    b.softmax("softmax", b.dense("fc", h, 12, gain=4.0))
    b.finish()

    b = case("graph_dw5x5_s2_same_bn_relu6_15x15")
    c = b.conv("depthwise", b.input("x", (1, 15, 15, 24)), 24, kernel=(5, 5), stride=(2, 2),
               groups=24, bias=False, gain=3.0)
    b.activation("relu6", b.batchnorm("bn", c, epsilon=1e-3), "relu6")
    b.finish()

    b = case("graph_stem_conv_bn_relu_maxpool")
    c = b.conv("conv", b.input("x", (1, 32, 32, 3)), 16, kernel=(7, 7), stride=(2, 2),
               padding=(3, 3, 3, 3), bias=False)
    h = b.activation("relu", b.batchnorm("bn", c, epsilon=1e-5), "relu")
    b.maxpool("pool", h, (3, 3), (2, 2), (1, 1, 1, 1))
    b.finish()

    b = case("graph_pool_branches_concat3_conv")
    x = b.input("x", (1, 9, 9, 11))
    pooled_max = b.maxpool("maxpool", x, (3, 3), (1, 1), "same")
    pooled_avg = b.avgpool("avgpool", x, (3, 3), (1, 1), "same", False)
    pointwise = b.conv("pointwise", x, 5, kernel=(1, 1), act="relu")
    h = b.concat("concat", [pooled_max, pooled_avg, pointwise])
    b.conv("mix", h, 13, kernel=(1, 1), act="silu")
    b.finish()

    return cases


# ----------------------------------------------------------------------------------------------
# Cross-check by ONNX Runtime (float32): the same graph expressed in ONNX operators
# ----------------------------------------------------------------------------------------------

ONNX_ACTIVATIONS = {"relu": "Relu", "sigmoid": "Sigmoid", "hardswish": "HardSwish"}


def onnx_graph(case, tensors, shapes):
    """Translates a case into an ONNX model whose tensors stay NHWC between nodes; spatial ops are
    wrapped in transposes to ONNX's NCHW."""
    from onnx import TensorProto, helper, numpy_helper

    nodes, initializers = [], []
    counter = iter(range(1_000_000))

    def fresh(stem):
        return f"{stem}__{next(counter)}"

    def constant(stem, array):
        name = fresh(stem)
        initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def emit(op, inputs, **attrs):
        out = fresh(op)
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def act(x, kind):
        if kind == "none":
            return x
        if kind == "relu6":
            return emit("Clip", [x, constant("lo", np.float32(0)), constant("hi", np.float32(6))])
        if kind == "silu":
            return emit("Mul", [x, emit("Sigmoid", [x])])
        return emit(ONNX_ACTIVATIONS[kind], [x])

    def to_nchw(x):
        return emit("Transpose", [x], perm=[0, 3, 1, 2])

    def to_nhwc(x):
        return emit("Transpose", [x], perm=[0, 2, 3, 1])

    def padding_attrs(config, shape):
        """SAME and VALID go to ONNX Runtime as auto_pad so its own padding rule is checked too,
        except dilated SAME, which ONNX Runtime's auto_pad rejects: that gets resolved pads."""
        padding = config["padding"]
        dilation = config.get("dilation", [1, 1])
        if padding["mode"] == "same" and dilation == [1, 1]:
            return {"auto_pad": "SAME_UPPER"}
        if padding["mode"] == "valid":
            return {"auto_pad": "VALID"}
        top, bottom, left, right, _, _ = resolve_padding(padding, shape[1], shape[2], config["kernel"],
                                                         config["stride"], dilation)
        return {"pads": [top, left, bottom, right]}

    names = {i["name"]: i["name"] for i in case["inputs"]}
    for node in case["nodes"]:
        op, config, name = node["op"], node["config"], node["name"]
        srcs = [names[i] for i in node["inputs"]]
        shape = shapes[node["inputs"][0]]
        if op == "conv2d":
            weight = tensors[f"{name}.weight"].transpose(3, 2, 0, 1)
            conv_inputs = [to_nchw(srcs[0]), constant("w", weight)]
            if config["bias"]:
                conv_inputs.append(constant("b", tensors[f"{name}.bias"]))
            y = emit("Conv", conv_inputs, kernel_shape=config["kernel"], strides=config["stride"],
                     dilations=config["dilation"], group=config["groups"], **padding_attrs(config, shape))
            y = act(to_nhwc(y), config["activation"])
        elif op == "batchnorm":
            y = to_nhwc(emit("BatchNormalization",
                             [to_nchw(srcs[0])] + [constant(k, tensors[f"{name}.{k}"])
                                                   for k in ("gamma", "beta", "mean", "variance")],
                             epsilon=config["epsilon"]))
        elif op == "activation":
            y = act(srcs[0], config["kind"])
        elif op in ("maxpool", "avgpool"):
            attrs = {"kernel_shape": config["kernel"], "strides": config["stride"], **padding_attrs(config, shape)}
            if op == "avgpool":
                attrs["count_include_pad"] = int(config["count_include_pad"])
            y = to_nhwc(emit("MaxPool" if op == "maxpool" else "AveragePool", [to_nchw(srcs[0])], **attrs))
        elif op == "globalavgpool":
            y = to_nhwc(emit("GlobalAveragePool", [to_nchw(srcs[0])]))
        elif op == "dense":
            flat = emit("Flatten", [srcs[0]], axis=1)
            gemm_inputs = [flat, constant("w", tensors[f"{name}.weight"])]
            if config["bias"]:
                gemm_inputs.append(constant("b", tensors[f"{name}.bias"]))
            y = emit("Reshape", [act(emit("Gemm", gemm_inputs), config["activation"]),
                                 constant("shape", np.array([shape[0], 1, 1, config["units"]]))])
        elif op == "softmax":
            y = emit("Softmax", [srcs[0]], axis=-1)
        elif op == "add":
            y = srcs[0]
            for other in srcs[1:]:
                y = emit("Add", [y, other])
            y = act(y, config["activation"])
        elif op == "concat":
            y = emit("Concat", srcs, axis=3)
        elif op in ("flatten", "reshape"):
            target = [shape[0], 1, 1, -1] if op == "flatten" else [shape[0]] + config["shape"]
            y = emit("Reshape", [srcs[0], constant("shape", np.array(target))])
        elif op == "dropout":
            y = emit("Dropout", [srcs[0]])
        else:
            raise ValueError(op)
        names[name] = y
    outputs = [helper.make_tensor_value_info(names[o], TensorProto.FLOAT, list(shapes[o]))
               for o in case["outputs"]]
    inputs = [helper.make_tensor_value_info(i["name"], TensorProto.FLOAT, i["shape"]) for i in case["inputs"]]
    graph = helper.make_graph(nodes, case["name"], inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model, [names[o] for o in case["outputs"]]


def onnxruntime_outputs(case, tensors, shapes):
    import onnx
    import onnxruntime

    model, output_names = onnx_graph(case, tensors, shapes)
    onnx.checker.check_model(model)
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = onnxruntime.InferenceSession(model.SerializeToString(), options,
                                           providers=["CPUExecutionProvider"])
    results = session.run(output_names, {i["name"]: tensors[i["name"]] for i in case["inputs"]})
    return dict(zip(case["outputs"], results))


# ----------------------------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------------------------

def write_safetensors(path, tensors):
    """Minimal safetensors writer: u64 LE header length, JSON header padded with spaces to a
    multiple of 8 bytes, then the little-endian F32 data of every tensor in order."""
    header, chunks, offset = {}, [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


def read_safetensors(path):
    """Reads the file back with the safetensors package, an implementation independent of ours."""
    from safetensors.numpy import load_file

    raw = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    assert (8 + length) % 8 == 0, "tensor data must start at a multiple of 8"
    return load_file(str(path))


ACTIVATION_PIECES = {"none": (-np.inf, np.inf), "relu": (-np.inf, 0, np.inf),
                     "relu6": (-np.inf, 0, 6, np.inf), "sigmoid": (-np.inf, -4, 0, 4, np.inf),
                     "silu": (-np.inf, -4, 0, 4, np.inf), "hardswish": (-np.inf, -3, 0, 3, np.inf)}


def record_activation_pieces(case, values, tensors, coverage):
    """Marks which pieces of each piecewise activation the case's pre-activation values reach,
    separately for fused activations (conv/dense/add) and the standalone activation op."""
    for node in case["nodes"]:
        config = node["config"]
        if node["op"] == "activation":
            kind, pre, where = config["kind"], values[node["inputs"][0]], "standalone"
        elif "activation" in config:
            kind, where = config["activation"], "fused"
            prefix = node["name"] + "."
            params = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
            pre = run_node(dict(node, config=dict(config, activation="none")),
                           [values[name] for name in node["inputs"]], params)
        else:
            continue
        pieces = coverage.setdefault((kind, where), set())
        bounds = ACTIVATION_PIECES[kind]
        for low, high in zip(bounds[:-1], bounds[1:]):
            if np.any((pre > low) & (pre < high)):
                pieces.add((low, high))


def assert_activation_coverage(coverage):
    for kind, bounds in ACTIVATION_PIECES.items():
        for where in ("fused", "standalone"):
            missing = set(zip(bounds[:-1], bounds[1:])) - coverage.get((kind, where), set())
            assert not missing, f"{where} {kind}: no value falls in {sorted(missing)}"


def tolerance_usage(actual, expected, tolerance):
    """Largest |actual − expected| / (abs + rel·|expected|); a non-finite value counts as infinite."""
    bound = tolerance["abs"] + tolerance["rel"] * np.abs(expected)
    usage = np.abs(actual.astype(np.float64) - expected) / bound
    return float(np.max(np.where(np.isfinite(usage), usage, np.inf)))


def self_test():
    """Hand-checkable geometry and op facts the fixtures rely on."""
    assert resolve_padding({"mode": "same"}, 16, 15, (3, 3), (2, 2), (1, 1)) == (0, 1, 1, 1, 8, 8)
    assert resolve_padding({"mode": "same"}, 14, 14, (5, 5), (2, 2), (1, 1)) == (1, 2, 1, 2, 7, 7)
    assert resolve_padding({"mode": "same"}, 15, 15, (3, 3), (1, 1), (2, 2)) == (2, 2, 2, 2, 15, 15)
    assert resolve_padding({"mode": "same"}, 14, 14, (1, 1), (2, 2), (1, 1)) == (0, 0, 0, 0, 7, 7)
    assert resolve_padding({"mode": "valid"}, 9, 9, (2, 2), (2, 2), (1, 1))[4:] == (4, 4)
    x = np.arange(16, dtype=np.float64).reshape(1, 4, 4, 1)
    same_max = maxpool(x, {"kernel": [2, 2], "stride": [2, 2], "padding": {"mode": "same"}})
    assert same_max.ravel().tolist() == [5, 7, 13, 15]
    tf_avg = avgpool(x, {"kernel": [3, 3], "stride": [2, 2], "padding": {"mode": "same"},
                         "count_include_pad": False})
    assert tf_avg.ravel().tolist() == [5.0, 6.5, 11.0, 12.5]
    torch_avg = avgpool(x, {"kernel": [3, 3], "stride": [2, 2], "padding": {"mode": "same"},
                            "count_include_pad": True})
    assert np.allclose(torch_avg.ravel(), [45 / 9, 39 / 9, 66 / 9, 50 / 9])
    identity = conv2d(x, np.ones((1, 1, 1, 1)), None,
                      {"kernel": [1, 1], "stride": [1, 1], "dilation": [1, 1], "groups": 1,
                       "out_channels": 1, "padding": {"mode": "valid"}, "activation": "none"})
    assert np.array_equal(identity, x)
    assert np.allclose(activation(np.array([-4.0, -1.0, 0.0, 1.0, 4.0]), "hardswish"),
                       [0.0, -1 / 3, 0.0, 2 / 3, 4.0])


def main():
    self_test()
    cases = build_cases()
    names = [c.name for c in cases]
    assert len(set(names)) == len(names), "duplicate case name"
    manifest_cases, all_tensors, coverage = [], {}, {}
    for builder in cases:
        case = {"name": builder.name, "inputs": builder.inputs, "nodes": builder.nodes,
                "outputs": builder.outputs, "tolerance": builder.tolerance}
        assert all(n["op"] != "activation" or n["config"]["kind"] in ACTIVATIONS for n in builder.nodes)
        exact = {k: v.astype(np.float64) for k, v in builder.tensors.items()}
        values = evaluate(case, exact, np.float64, check=True)
        record_activation_pieces(case, values, exact, coverage)
        replay = evaluate(case, builder.tensors, np.float32, fold=True)
        framework = onnxruntime_outputs(case, builder.tensors, builder.shapes)
        for key, value in builder.tensors.items():
            all_tensors[f"{builder.name}/{key}"] = value
        usage = 0.0
        for out in builder.outputs:
            expected = values[out]
            assert np.all(np.isfinite(expected)), f"{builder.name}/{out}: non-finite expected value"
            assert np.max(np.abs(expected)) < 1e4, f"{builder.name}/{out}: output not O(1)"
            usage = max(usage, tolerance_usage(replay[out], expected, builder.tolerance))
            ort_usage = tolerance_usage(framework[out], expected, builder.tolerance)
            assert ort_usage <= FLOAT32_MARGIN, \
                f"{builder.name}/{out}: ONNX Runtime disagrees ({ort_usage:.2f} of the tolerance)"
            usage = max(usage, ort_usage)
            all_tensors[f"{builder.name}/expected/{out}"] = expected.astype(np.float32)
        assert usage <= FLOAT32_MARGIN, f"{builder.name}: float32 replay uses {usage:.2f} of the tolerance"
        if builder.name in FOLDING_TRAPS:
            wrong = evaluate(case, builder.tensors, np.float32, fold="unconditionally")
            misuse = max(tolerance_usage(wrong[o], values[o], builder.tolerance) for o in builder.outputs)
            assert misuse > 100, f"{builder.name}: an illegal BatchNorm fold would go unnoticed"
        manifest_cases.append(case)
        print(f"{builder.name:55s} outputs {[list(values[o].shape) for o in builder.outputs]} "
              f"float32 replay and ONNX Runtime use <= {usage:.3f} of tolerance")

    assert_activation_coverage(coverage)
    tensors_path = OUT_DIR / "tensors.safetensors"
    write_safetensors(tensors_path, all_tensors)
    loaded = read_safetensors(tensors_path)
    assert loaded.keys() == all_tensors.keys()
    for key, value in all_tensors.items():
        assert loaded[key].dtype == np.float32 and np.array_equal(loaded[key], value), key
    size = tensors_path.stat().st_size
    assert size < MAX_BYTES, f"tensors.safetensors is {size} bytes"

    manifest = {"generator": Path(__file__).name, "numpy": np.__version__, "seed": SEED,
                "cases": manifest_cases}
    (OUT_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(manifest_cases)} cases, {len(all_tensors)} tensors, {size} bytes -> {OUT_DIR}")


if __name__ == "__main__":
    main()
