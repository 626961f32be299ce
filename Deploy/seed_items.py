"""Fills the items table with COUNT synthetic items (random unit vectors of dimension 1280,
model version efficientnet-lite0) so that the similar-items index, and its snapshot, have a
realistic size for the memory-sharing measurement in Docs/Deployment.md. The rows go straight
into PostgreSQL (COPY through psql), not through the service: registering 10,000 photos would
cost 10,000 forward passes. The vectors are clustered (200 centres plus noise) like embeddings
of a catalogue, not uniform on the sphere.

Usage: .venv/bin/python Deploy/seed_items.py POSTGRES_URL [COUNT=10000]   (numpy; .venv/: `make venv`)
Run it after the schema exists (start the cluster once) and before the instances load the index."""
import subprocess
import sys
import time

import numpy as np

DIMENSION = 1280
MODEL_VERSION = "efficientnet-lite0"


def main(url, count):
    rng = np.random.default_rng(2026)
    centres = rng.normal(size=(200, DIMENSION)).astype(np.float32)
    vectors = centres[rng.integers(0, len(centres), count)] + 0.5 * rng.normal(size=(count, DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    now = time.time()
    lines = []
    for i, vector in enumerate(vectors.astype("<f4")):
        # COPY text format: bytea as \\x<hex>; the sha256 column only has to be 64 hex digits.
        lines.append(f"synthetic {i}\tsynthetic\t{i:064x}\t{MODEL_VERSION}\t\\\\x{vector.tobytes().hex()}\t{now}\n")
    copy = "\\copy items (name, category, sha256, model_version, embedding, created_at) FROM STDIN"
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", copy], input="".join(lines).encode(), check=True)
    total = subprocess.run(["psql", url, "-tAc", "SELECT count(*) FROM items"], capture_output=True, text=True, check=True)
    print(f"inserted {count} synthetic items; items table now holds {total.stdout.strip()}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000)
