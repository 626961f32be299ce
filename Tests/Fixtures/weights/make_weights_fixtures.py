"""Generates the safetensors fixtures of Tests/CNNTests/SafeTensorsReferenceTests.swift.

Run from the repository root:  .venv/bin/python Tests/Fixtures/weights/make_weights_fixtures.py
Needs numpy, ml_dtypes and safetensors (`make venv venv-fixtures`). Writes, beside this script:

- reference.safetensors: written by the reference implementation (safetensors' Rust
  `serialize`), with F32, F16 and BF16 tensors, a scalar, an empty tensor and metadata.
  `source` holds float32 values (seeded normals, plus edge cases: signed zeros, infinities,
  NaN, F16 overflow/underflow boundaries, rounding ties). `half.values` is numpy's
  `astype(float16)` of `source` (round to nearest even) and `half.expected` its float32 decoding;
  `bfloat.values` is ml_dtypes' bfloat16 of `source` (round to nearest even) and
  `bfloat.expected` its decoding; `bfloat.truncated` keeps the upper 16 bits of `source` and
  `bfloat.truncated_expected` is their float32 value.
- reference.json: what an independent reading of that file must find (header length, metadata,
  each tensor's dtype, shape and absolute byte range, in file order), read back with `json`.
"""

import json
import pathlib
import struct

import ml_dtypes
import numpy as np
from safetensors._safetensors_rust import TensorSpec, serialize

HERE = pathlib.Path(__file__).resolve().parent
SEED = 20261125


def edge_values() -> np.ndarray:
    values = [
        0.0, -0.0, 1.0, -2.0, 0.5, 1.0 / 3.0, np.pi, -np.e,
        65504.0, 65505.0, 65519.0, 65520.0, 70000.0, -1.0e6,
        2.0 ** -14, 2.0 ** -14 * (1 - 2.0 ** -11), 2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -26, 2.0 ** -26,
        1.5 * 2.0 ** -24, 2.5 * 2.0 ** -24, 1.0e-8, 1.0e-45, -1.0e-30,
        1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11, 1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8,
        3.0e38, 3.4028234e38, -3.4028234e38,
        np.inf, -np.inf, np.nan,
    ]
    return np.array(values, dtype=np.float32)


def main() -> None:
    rng = np.random.default_rng(SEED)
    source = np.concatenate([edge_values(), rng.standard_normal(64).astype(np.float32) * 4.0])
    with np.errstate(over="ignore"):
        half = source.astype(np.float16)
    bfloat = source.astype(ml_dtypes.bfloat16)
    truncated_bits = (source.view(np.uint32) >> 16).astype(np.uint16)
    truncated_expected = (truncated_bits.astype(np.uint32) << 16).view(np.float32)

    keep_alive = []

    def entry(array: np.ndarray, dtype: str) -> TensorSpec:
        array = array if array.flags.c_contiguous else array.copy()  # ascontiguousarray would make 0-d arrays 1-d
        assert array.dtype.byteorder in "=<|"
        keep_alive.append(array)
        return TensorSpec(dtype=dtype, shape=array.shape, data_ptr=array.ctypes.data, data_len=array.nbytes)

    tensors = {
        "conv.weight": entry(rng.standard_normal((3, 3, 2, 4)).astype(np.float32), "float32"),
        "conv.bias": entry(rng.standard_normal(4).astype(np.float32), "float32"),
        "scalar": entry(np.array(0.25, dtype=np.float32), "float32"),
        "empty": entry(np.zeros((0, 3), dtype=np.float32), "float32"),
        "source": entry(source, "float32"),
        "half.values": entry(half, "float16"),
        "half.expected": entry(half.astype(np.float32), "float32"),
        "bfloat.values": entry(bfloat, "bfloat16"),
        "bfloat.expected": entry(bfloat.astype(np.float32), "float32"),
        "bfloat.truncated": entry(truncated_bits.view(ml_dtypes.bfloat16), "bfloat16"),
        "bfloat.truncated_expected": entry(truncated_expected, "float32"),
    }
    # One entry only: the Rust writer orders metadata keys by a randomly seeded hash, and a single
    # key keeps the output byte-identical from run to run.
    metadata = {"generator": f"make_weights_fixtures.py, seed {SEED}"}
    blob = bytes(serialize(tensors, metadata=metadata))
    (HERE / "reference.safetensors").write_bytes(blob)

    (header_length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + header_length])
    data_start = 8 + header_length
    entries = [
        {
            "name": name,
            "dtype": info["dtype"],
            "shape": info["shape"],
            "begin": data_start + info["data_offsets"][0],
            "end": data_start + info["data_offsets"][1],
        }
        for name, info in header.items()
        if name != "__metadata__"
    ]
    entries.sort(key=lambda e: (e["begin"], e["end"], e["name"]))
    expected = {"headerLength": header_length, "fileSize": len(blob), "metadata": header["__metadata__"], "tensors": entries}
    (HERE / "reference.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
