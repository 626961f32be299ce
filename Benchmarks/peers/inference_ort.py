#!/usr/bin/env python3
"""ONNX Runtime on the same EfficientNet-Lite0 weights and the same preprocessed input as
`colecionador-bench inference`: latency per batch size and thread count.

The ONNX graph is built from Weights/efficientnet-lite0.safetensors by
Weights/build_onnx_efficientnet_lite0.py (into Benchmarks/data/, git-ignored). The input is the
`chelsea/input` tensor of Tests/Fixtures/models/efficientnet_lite0_reference.safetensors,
repeated to the batch size — the tensor our benchmark also reads.

Usage (from the repository root, with .venv/ from `make venv`):
  .venv/bin/python Benchmarks/peers/inference_ort.py --batches 1,8,32 --threads 1,2 --seconds 2 [--json out.json]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort
from safetensors.numpy import load_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ONNX_PATH = os.path.join(ROOT, "Benchmarks", "data", "efficientnet_lite0.onnx")
FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "models", "efficientnet_lite0_reference.safetensors")


def ensure_model():
    if not os.path.exists(ONNX_PATH):
        os.makedirs(os.path.dirname(ONNX_PATH), exist_ok=True)
        sys.path.insert(0, os.path.join(ROOT, "Weights"))
        import build_onnx_efficientnet_lite0 as builder
        builder.main(["build", os.path.join(ROOT, "Weights", "efficientnet-lite0.safetensors"), ONNX_PATH])
    return ONNX_PATH


def session(threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(ensure_model(), options, providers=["CPUExecutionProvider"])


def measure(batch, threads, seconds, runs, warmup):
    sample = load_file(FIXTURE)["chelsea/input"]
    x = np.ascontiguousarray(np.repeat(sample, batch, axis=0))
    s = session(threads)
    for _ in range(warmup):
        s.run(None, {"input": x})
    times = []
    deadline = time.perf_counter() + seconds
    while len(times) < runs or time.perf_counter() < deadline:
        t0 = time.perf_counter()
        s.run(None, {"input": x})
        times.append(time.perf_counter() - t0)
    times.sort()
    q = lambda p: times[min(len(times) - 1, round((len(times) - 1) * p))]
    return {"runner": f"onnxruntime {ort.__version__}", "batch": batch, "threads": threads,
            "median": q(0.5), "p90": q(0.9), "p99": q(0.99), "count": len(times),
            "imagesPerSecond": batch / q(0.5)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    results = []
    for b in [int(v) for v in args.batches.split(",")]:
        for t in [int(v) for v in args.threads.split(",")]:
            r = measure(b, t, args.seconds, args.runs, args.warmup)
            results.append(r)
            print(f"batch {b:3d} threads {t}: median {r['median']*1e3:8.3f} ms  p90 {r['p90']*1e3:8.3f}  "
                  f"p99 {r['p99']*1e3:8.3f}  {r['imagesPerSecond']:8.1f} img/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
