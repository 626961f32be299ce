#!/usr/bin/env python3
"""Ours vs ONNX Runtime on EfficientNet-Lite0, side by side in one run: for every
(batch, threads) configuration, alternate the two runners for several rounds and report the
median of each one's medians, and the ratio ours / ORT (latency: < 1 means we are faster).

With --interleave R the two runners stay loaded in two processes (ours in `--serve` mode) and
take turns every ~0.3 s for R rounds, the order flipping each round: on a shared machine whose
speed swings for seconds at a time, both then see the same swings. Reported: each one's median
of its per-round medians, and the median of the per-round ratios (the figure to quote).
With --cpu C the one-thread configurations run both processes on CPU C: on this VM the two vCPUs
differ in speed from minute to minute (other tenants), and unpinned, ours and ORT's processes
could sit on different ones — which moved the batch-1 ratio between 1.09 and 1.30 from one run to
the next, against 1.09–1.12 on either CPU when pinned.

Build first:  make bench   (the release build with this CPU's flag, Deploy/cpu-build-flags.sh)
Usage:        .venv/bin/python Benchmarks/peers/compare_inference.py --rounds 5 --batches 1,8,32 --threads 1,2
              .venv/bin/python Benchmarks/peers/compare_inference.py --interleave 60 --cpu 0 --openvino --batches 1,32 --threads 1,2
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from safetensors.numpy import load_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inference_ort  # noqa: E402


def ours(binary, batch, threads, seconds):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([binary, "inference", "--batches", str(batch), "--threads", str(threads),
                        "--seconds", str(seconds), "--json", out.name],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return json.load(open(out.name))[0]["latency"]["median"]


class OursServing:
    """Our benchmark in `--serve` mode: loaded and warmed up once, timed on request."""

    def __init__(self, binary, batch, threads):
        self.process = subprocess.Popen(
            [binary, "inference", "--serve", "--batches", str(batch), "--threads", str(threads)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for line in self.process.stdout:
            if line.strip() == "ready":
                return
        raise RuntimeError(f"{binary} inference --serve exited before it was ready")

    def median(self, runs):
        self.process.stdin.write(f"{runs}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def ort_median(session, x, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        session.run(None, {"input": x})
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def openvino_request(batch, threads):
    """An OpenVINO infer request on the same ONNX graph, shape fixed to the batch, `threads` threads,
    one stream (latency mode)."""
    import openvino as ov
    core = ov.Core()
    model = core.read_model(inference_ort.ensure_model())
    model.reshape({"input": [batch, 224, 224, 3]})
    compiled = core.compile_model(model, "CPU", {
        "INFERENCE_NUM_THREADS": threads, "NUM_STREAMS": 1, "PERFORMANCE_HINT": "LATENCY",
        "INFERENCE_PRECISION_HINT": "f32"})
    return compiled.create_infer_request()


def openvino_median(request, x, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        request.infer({"input": x})
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def interleaved(binary, batch, threads, rounds, turn_seconds=0.3, cpu=None, openvino=False):
    """Per-round medians of both runners, taking turns; returns (ours, ort, ratios). With `cpu`
    and one thread, this process and ours run on that CPU only (the child inherits it)."""
    previous = os.sched_getaffinity(0)
    if cpu is not None and threads == 1:
        os.sched_setaffinity(0, {cpu})
    try:
        return _interleaved(binary, batch, threads, rounds, turn_seconds, openvino)
    finally:
        os.sched_setaffinity(0, previous)


def _interleaved(binary, batch, threads, rounds, turn_seconds, openvino):
    sample = load_file(inference_ort.FIXTURE)["chelsea/input"]
    x = np.ascontiguousarray(np.repeat(sample, batch, axis=0))
    session = inference_ort.session(threads)
    request = openvino_request(batch, threads) if openvino else None
    probe = min(ort_median(session, x, 3) for _ in range(3))
    runs = max(1, round(turn_seconds / probe))
    mine = OursServing(binary, batch, threads)
    ours_medians, ort_medians, ov_medians = [], [], []
    try:
        for r in range(rounds):
            turns = [("ours", lambda: mine.median(runs)), ("ort", lambda: ort_median(session, x, runs))]
            if request is not None:
                turns.append(("ov", lambda: openvino_median(request, x, runs)))
            if r % 2 == 1:
                turns.reverse()
            times = {name: turn() for name, turn in turns}
            ours_medians.append(times["ours"])
            ort_medians.append(times["ort"])
            if request is not None:
                ov_medians.append(times["ov"])
    finally:
        mine.close()
    return ours_medians, ort_medians, [a / o for a, o in zip(ours_medians, ort_medians)], ov_medians


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "colecionador-bench"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", default="1,8,32")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--interleave", type=int, metavar="ROUNDS",
                        help="alternate the two loaded runners for ROUNDS short turns instead")
    parser.add_argument("--cpu", type=int, help="with --interleave: run the one-thread configurations on this CPU")
    parser.add_argument("--openvino", action="store_true",
                        help="with --interleave: also time OpenVINO (PyPI openvino) on the same ONNX graph, a third turn per round")
    parser.add_argument("--json")
    args = parser.parse_args()
    rows = []
    if args.interleave:
        for b in [int(v) for v in args.batches.split(",")]:
            for t in [int(v) for v in args.threads.split(",")]:
                a, o, ratios, v = interleaved(args.binary, b, t, args.interleave, cpu=args.cpu, openvino=args.openvino)
                ma, mo, mr = statistics.median(a), statistics.median(o), statistics.median(ratios)
                q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [mr, mr, mr]
                wins = sum(1 for r in ratios if r < 1) / len(ratios)
                rows.append({"batch": b, "threads": t, "rounds": len(ratios), "cpu": args.cpu if t == 1 else None, "ours_ms": ma * 1e3,
                             "ort_ms": mo * 1e3, "ours_img_s": b / ma, "ort_img_s": b / mo,
                             "latency_ratio_median": mr, "latency_ratio_quartiles": [q[0], q[2]],
                             "rounds_ours_faster": wins})
                extra = ""
                if v:
                    mv = statistics.median(v)
                    rv = statistics.median([x / y for x, y in zip(a, v)])
                    rows[-1].update({"openvino_ms": mv * 1e3, "latency_ratio_openvino_median": rv})
                    extra = f"   OpenVINO {mv*1e3:8.3f} ms, ours/OpenVINO per round: median {rv:5.3f}"
                print(f"batch {b:3d} threads {t}: ours {ma*1e3:8.3f} ms ({b/ma:7.1f} img/s)   "
                      f"ORT {mo*1e3:8.3f} ms ({b/mo:7.1f} img/s)   ours/ORT per round: median {mr:5.3f} "
                      f"(quartiles {q[0]:.3f}–{q[2]:.3f}), ours faster in {wins*100:.0f} % of {len(ratios)} rounds{extra}",
                      flush=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(rows, f, indent=2)
        return
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
