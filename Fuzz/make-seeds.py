#!/usr/bin/env python3
"""Regenerates the seed corpora in Fuzz/Corpus/ (run by hand; the fuzzers only read them).

    .venv/bin/python Fuzz/make-seeds.py        # from the repository root; .venv/: `make venv`

Seeds are small valid files of each kind, made with Pillow and the `safetensors` package
(independent of our Swift code), plus the PNG/EXIF test fixtures of Tests/Fixtures/imaging.
The index seeds are written by our own `save(to:)` (see Docs/Fuzzing.md):
    FUZZ_INDEX_MAKE_SEEDS=Fuzz/Corpus/fuzz-index Fuzz/.build/release/fuzz-index
"""
import io
import pathlib
import shutil

import numpy as np
from PIL import Image
from safetensors.numpy import save as save_safetensors

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "Corpus"
FIXTURES = ROOT / "Tests" / "Fixtures" / "imaging"


def reset(name):
    directory = CORPUS / name
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    return directory


def picture(width, height, mode="RGB"):
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1), (x + y) * 7 % 256], axis=-1)
    return Image.fromarray(rgb.astype(np.uint8), "RGB").convert(mode)


def jpeg(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **options)
    return buffer.getvalue()


def exif_with_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


# ---------------------------------------------------------------- JPEG
directory = reset("fuzz-jpeg")
jpegs = {
    "baseline_420.jpg": jpeg(picture(16, 12), quality=80),
    "baseline_444.jpg": jpeg(picture(9, 7), quality=90, subsampling=0),
    "baseline_422.jpg": jpeg(picture(17, 5), quality=70, subsampling=1),
    "grey.jpg": jpeg(picture(8, 8, "L"), quality=75),
    "progressive.jpg": jpeg(picture(24, 16), quality=60, progressive=True),
    "optimized.jpg": jpeg(picture(12, 12), quality=85, optimize=True),
    "restart.jpg": jpeg(picture(32, 16), quality=50, restart_marker_blocks=1),
    "one_pixel.jpg": jpeg(picture(1, 1), quality=95),
    "cmyk.jpg": jpeg(picture(8, 8, "CMYK"), quality=80),
    "exif_6.jpg": jpeg(picture(10, 6), quality=80, exif=exif_with_orientation(6)),
    "large_600x450.jpg": jpeg(picture(600, 450), quality=10),
}
for name, data in jpegs.items():
    (directory / name).write_bytes(data)

# ---------------------------------------------------------------- PNG
directory = reset("fuzz-png")
for path in sorted((FIXTURES / "png").glob("*.png")):
    if path.stat().st_size <= 2500:
        shutil.copy(path, directory / path.name)
pngs = {
    "rgb_tiny.png": png(picture(5, 3)),
    "bilevel.png": png(picture(9, 9, "1")),
    "palette.png": png(picture(6, 4).quantize(7)),
    "rgba.png": png(picture(4, 4, "RGBA")),
    "grey16.png": png(Image.fromarray((np.arange(12, dtype=np.uint16) * 5000).reshape(3, 4))),
}
for name, data in pngs.items():
    (directory / name).write_bytes(data)

# ---------------------------------------------------------------- EXIF
directory = reset("fuzz-exif")
for path in sorted((FIXTURES / "exif").glob("*.jpg")):
    if path.name.startswith("malformed") or path.name in ("orientation_6.jpg", "orientation_6_bigendian.jpg"):
        shutil.copy(path, directory / path.name)
(directory / "pillow_orientation_3.jpg").write_bytes(jpeg(picture(4, 2), exif=exif_with_orientation(3)))

# ---------------------------------------------------------------- safetensors
directory = reset("fuzz-safetensors")
rng = np.random.default_rng(7)
tensors = {
    "f32_one.safetensors": ({"w": rng.standard_normal((2, 3)).astype(np.float32)}, None),
    "f32_two_meta.safetensors": (
        {"conv.weight": rng.standard_normal((2, 1, 3, 3)).astype(np.float32), "conv.bias": np.zeros(2, np.float32)},
        {"format": "pt", "model": "seed"},
    ),
    "f16.safetensors": ({"h": rng.standard_normal(5).astype(np.float16)}, None),
    "scalar_and_empty.safetensors": ({"s": np.array(1.5, np.float32), "e": np.zeros((0, 4), np.float32)}, None),
    "empty.safetensors": ({}, None),
}
for name, (content, metadata) in tensors.items():
    (directory / name).write_bytes(save_safetensors(content, metadata=metadata))
header = b'{"b":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}'
(directory / "bf16.safetensors").write_bytes(len(header).to_bytes(8, "little") + header + b"\x80\x3f\x00\x40")

# ---------------------------------------------------------------- upload (Content-Type line, then body)
directory = reset("fuzz-upload")
small_jpeg = jpegs["one_pixel.jpg"]
small_png = pngs["rgb_tiny.png"]


def multipart(boundary, parts):
    body = b""
    for headers, data in parts:
        body += b"--" + boundary + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + data + b"\r\n"
    return body + b"--" + boundary + b"--\r\n"


uploads = {
    "raw_jpeg": b"image/jpeg\n" + small_jpeg,
    "raw_png": b"image/png\n" + small_png,
    "form_image": b"multipart/form-data; boundary=XyZ\n"
    + multipart(b"XyZ", [([b'Content-Disposition: form-data; name="image"; filename="a.jpg"', b"Content-Type: image/jpeg"], small_jpeg)]),
    "form_two_parts": b'multipart/form-data; boundary="q-b"\n'
    + multipart(
        b"q-b",
        [
            ([b'Content-Disposition: form-data; name="note"'], b"hello"),
            ([b'Content-Disposition: form-data; name="file"; filename="b.png"'], small_png),
        ],
    ),
    "form_no_image": b"multipart/form-data;boundary=abc\n" + multipart(b"abc", [([b"Content-Disposition: form-data; name=x"], b"1")]),
    "form_preamble": b"Multipart/Form-Data; charset=utf-8; boundary=zz\n"
    + b"preamble\r\n"
    + multipart(b"zz", [([b"content-disposition: form-data; name=image"], small_png)])
    + b"epilogue",
}
for name, data in uploads.items():
    (directory / name).write_bytes(data)

print("seeds:", {d.name: len(list(d.iterdir())) for d in sorted(CORPUS.iterdir())})
