#!/usr/bin/env python3
"""Inputs of `colecionador-bench pipeline`: a 12-megapixel JPEG (~3 MB) and a ~2-megapixel PNG,
made from the bundled sample photo Samples/chelsea.png (upscaled, with seeded noise so they
compress like real photos), written to Benchmarks/data/ (git-ignored).

Usage: .venv/bin/python Benchmarks/peers/make_pipeline_inputs.py   (`make venv`)
"""
import os

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Benchmarks", "data")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(2026)
    base = Image.open(os.path.join(ROOT, "Samples", "chelsea.png")).convert("RGB")
    for name, size, fmt, options in [
        ("pipeline_12mp.jpg", (4000, 3000), "JPEG", {"quality": 90}),
        ("pipeline_2mp.png", (1700, 1130), "PNG", {"compress_level": 6}),
    ]:
        big = np.asarray(base.resize(size, Image.BICUBIC), dtype=np.float32)
        big += rng.normal(0, 6, big.shape)
        image = Image.fromarray(np.clip(big, 0, 255).astype(np.uint8))
        path = os.path.join(OUT, name)
        image.save(path, fmt, **options)
        print(f"{path}: {size[0]}×{size[1]}, {os.path.getsize(path) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
