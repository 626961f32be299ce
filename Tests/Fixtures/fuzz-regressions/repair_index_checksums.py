#!/usr/bin/env python3
"""Rewrites the declared length and the checksums of an index file, as the fuzz-index harness
does before loading (Fuzz/Sources/fuzz-index/IndexChecksumRepair.swift), so that a kept
finding is the exact file that was loaded. FNV-1a over little-endian 64-bit words, seeded with
the length (Docs/IndexFormat.md).

    python3 Tests/Fixtures/fuzz-regressions/repair_index_checksums.py IN OUT   (stdlib only)
"""
import struct
import sys

MASK = (1 << 64) - 1


def checksum(data):
    h = 0xCBF29CE484222325 ^ len(data)
    for start in range(0, len(data), 8):
        word = int.from_bytes(data[start:start + 8], "little")
        h = ((h ^ word) * 0x100000001B3) & MASK
    return h


def repaired(data):
    data = bytearray(data)
    if len(data) < 64:
        return bytes(data)
    sections = min(struct.unpack_from("<I", data, 16)[0], 64)
    table_end = 64 + sections * 32
    if table_end > len(data):
        return bytes(data)
    struct.pack_into("<Q", data, 24, len(data))
    for i in range(sections):
        entry = 64 + i * 32
        offset, length = struct.unpack_from("<QQ", data, entry + 8)
        if offset <= len(data) and length <= len(data) - offset:
            struct.pack_into("<Q", data, entry + 24, checksum(data[offset:offset + length]))
    struct.pack_into("<Q", data, 32, checksum(bytes(data[0:32]) + bytes(data[64:table_end])))
    return bytes(data)


if __name__ == "__main__":
    source, destination = sys.argv[1:3]
    with open(source, "rb") as f:
        data = f.read()
    with open(destination, "wb") as f:
        f.write(repaired(data))
