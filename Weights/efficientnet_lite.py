"""EfficientNet-Lite architecture description (Lite0…Lite4), shared by the ONNX builder and the
numpy reference forward pass. No framework imports.

Follows tensorflow/tpu models/official/efficientnet (efficientnet_model.py + lite/
efficientnet_lite_builder.py) and its PyTorch port `efficientnet-lite-pytorch` 0.1.0:
  - ReLU6 everywhere except after the projecting 1×1 conv of each block (linear),
  - no squeeze-and-excitation, BatchNorm epsilon 1e-3,
  - `fix_head_stem`: the stem (32) and head (1280) widths are not scaled, and the repeats of the
    first and last stage are not scaled,
  - all convolutions use TensorFlow "same" padding.
"""
import math

BN_EPSILON = 1e-3
STEM_CHANNELS = 32
HEAD_CHANNELS = 1280
DEPTH_DIVISOR = 8

# (width_coefficient, depth_coefficient, resolution, dropout_rate) — lite/efficientnet_lite_builder.py
FAMILY = {
    "efficientnet-lite0": (1.0, 1.0, 224, 0.2),
    "efficientnet-lite1": (1.0, 1.1, 240, 0.2),
    "efficientnet-lite2": (1.1, 1.2, 260, 0.3),
    "efficientnet-lite3": (1.2, 1.4, 280, 0.3),
    "efficientnet-lite4": (1.4, 1.8, 300, 0.3),
}

# Base stages (EfficientNet-B0 block strings without SE):
# (repeats, kernel, stride, expand_ratio, input_filters, output_filters)
STAGES = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]


def round_filters(filters, width):
    scaled = filters * width
    rounded = max(DEPTH_DIVISOR, int(scaled + DEPTH_DIVISOR / 2) // DEPTH_DIVISOR * DEPTH_DIVISOR)
    if rounded < 0.9 * scaled:
        rounded += DEPTH_DIVISOR
    return int(rounded)


def round_repeats(repeats, depth):
    return int(math.ceil(depth * repeats))


def same_padding(size, kernel, stride):
    """TensorFlow "same": output ceil(size/stride); total padding split with the extra pixel
    after (bottom/right). Returns (before, after, output_size)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2, out


def blocks(variant="efficientnet-lite0"):
    """The MBConv blocks in execution order, each a dict with
    index, stage, expand, kernel, stride, cin, cmid, cout, residual."""
    width, depth, _, _ = FAMILY[variant]
    result = []
    cin = STEM_CHANNELS
    for stage, (repeats, kernel, stride, expand, _, out_filters) in enumerate(STAGES):
        cout = round_filters(out_filters, width)
        if stage not in (0, len(STAGES) - 1):
            repeats = round_repeats(repeats, depth)
        for r in range(repeats):
            s = stride if r == 0 else 1
            result.append(
                dict(
                    index=len(result), stage=stage, expand=expand, kernel=kernel, stride=s,
                    cin=cin, cmid=cin * expand, cout=cout, residual=(s == 1 and cin == cout),
                )
            )
            cin = cout
    return result


def tensor_names(block):
    """Safetensors names used by one block, keyed by role."""
    p = f"_blocks.{block['index']}."
    names = {}
    if block["expand"] != 1:
        names["expand_conv"] = p + "_expand_conv.weight"
        names["bn0"] = p + "_bn0"
    names["depthwise_conv"] = p + "_depthwise_conv.weight"
    names["bn1"] = p + "_bn1"
    names["project_conv"] = p + "_project_conv.weight"
    names["bn2"] = p + "_bn2"
    return names
