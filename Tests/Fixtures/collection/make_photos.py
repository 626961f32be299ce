"""Samples/collection: photos in three categories, one folder each, for the collection demos
(`make run` trains a head on them) and tests (Tests/ServerTests/CollectionTests.swift, the CLI's).

Each category's photos are different crops (random size 55-85 % of the short side, random
position, every other one mirrored) of one of the public-domain / CC0 photos in Samples/
(scikit-image 0.26.0's bundled images; licences in Docs/Samples.md): cats <- chelsea.png,
cups <- coffee.png, rockets <- rocket.jpg. Photos 1-4 of each category are registered as items,
5-6 are classified without being registered (by the service tests). Deterministic (seeded), JPEG quality 90.

Run: .venv/bin/python Tests/Fixtures/collection/make_photos.py
"""
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "Samples" / "collection"
SOURCES = {"cats": "chelsea.png", "cups": "coffee.png", "rockets": "rocket.jpg"}
PER_CATEGORY = 6


def main() -> None:
    rng = np.random.default_rng(20261204)
    for category, name in SOURCES.items():
        image = Image.open(ROOT / "Samples" / name).convert("RGB")
        width, height = image.size
        (OUT / category).mkdir(parents=True, exist_ok=True)
        for number in range(1, PER_CATEGORY + 1):
            side = int(min(width, height) * rng.uniform(0.55, 0.85))
            crop_w = min(width, int(side * rng.uniform(1.0, 1.3)))
            left = int(rng.integers(0, width - crop_w + 1))
            top = int(rng.integers(0, height - side + 1))
            photo = image.crop((left, top, left + crop_w, top + side))
            if number % 2 == 0:
                photo = photo.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            photo.save(OUT / category / f"{category}-{number}.jpg", quality=90)


if __name__ == "__main__":
    main()
