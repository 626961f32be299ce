#!/usr/bin/env python3
"""Ours vs ONNX Runtime on EfficientNet-Lite0, side by side in one run: for every
(batch, threads) configuration, alternate the two runners for several rounds and report the
median of each one's medians, and the ratio ours / ORT (latency: < 1 means we are faster).

Build first:  swift build -c release --product colecionador-bench [-Xswiftc -target-cpu -Xswiftc …]
Usage:        python Benchmarks/peers/compare_inference.py --rounds 5 --batches 1,8,32 --threads 1,2
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inference_ort  # noqa: E402


def ours(binary, batch, threads, seconds):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([binary, "inference", "--batches", str(batch), "--threads", str(threads),
                        "--seconds", str(seconds), "--json", out.name],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return json.load(open(out.name))[0]["latency"]["median"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "colecionador-bench"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--json")
    args = parser.parse_args()
    rows = []
    for b in [int(v) for v in args.batches.split(",")]:
        for t in [int(v) for v in args.threads.split(",")]:
            a, o = [], []
            for _ in range(args.rounds):
                a.append(ours(args.binary, b, t, args.seconds))
                o.append(inference_ort.measure(b, t, args.seconds, 10, 3)["median"])
            ma, mo = statistics.median(a), statistics.median(o)
            rows.append({"batch": b, "threads": t, "ours_ms": ma * 1e3, "ort_ms": mo * 1e3,
                         "ours_img_s": b / ma, "ort_img_s": b / mo, "latency_ratio": ma / mo})
            print(f"batch {b:3d} threads {t}: ours {ma*1e3:8.3f} ms ({b/ma:7.1f} img/s)   "
                  f"ORT {mo*1e3:8.3f} ms ({b/mo:7.1f} img/s)   ours/ORT {ma/mo:5.2f}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
