"""Writes the load test's photo: Samples/chelsea.png upscaled (Lanczos) to 3024×4032 (a phone camera's
12 MP) with sensor-like noise (σ 6), JPEG quality 92 — about 2–3 MB, inside the 1–4 MB the
service's latency target is stated for. A second argument WIDTHxHEIGHT makes another size (the
smaller end of that range: 2304x1728, 4 MP, ≈ 1.05 MB).
Usage: .venv/bin/python Benchmarks/load/make_photo.py OUT.jpg [WIDTHxHEIGHT]   (`make venv`)"""
import os
import sys

import numpy as np
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main(out, size=(3024, 4032)):
    image = Image.open(os.path.join(ROOT, "Samples", "chelsea.png")).convert("RGB").resize(size, Image.LANCZOS)
    pixels = np.asarray(image, dtype=np.int16)
    noise = np.random.default_rng(7).normal(0, 6, pixels.shape).astype(np.int16)
    Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8)).save(out, quality=92)
    print(f"{out}: {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/colecionador-load.jpg"
    size = tuple(int(v) for v in sys.argv[2].lower().split("x")) if len(sys.argv) > 2 else (3024, 4032)
    main(out, size)
