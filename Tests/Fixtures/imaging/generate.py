#!/usr/bin/env python3
"""Regenerates the Imaging test fixtures (run by hand; tests only read the output).

    .venv/bin/python Tests/Fixtures/imaging/generate.py      # from the repository root
    (Pillow, numpy, scipy: .venv/ from `make venv venv-fixtures`)

References are independent of our Swift code: Pillow (decode, resize, crop, EXIF transpose,
JPEG draft scaling), numpy float64 (alpha compositing, 16->8 bit, luma, exposure) and scipy
(Laplacian convolution). PNG test files are written by the small encoder below so that every
colour type, bit depth, tRNS and Adam7 interlacing can be produced (Pillow cannot write 16-bit
RGB(A) or interlaced PNGs); each is read back with Pillow as a check of the encoder.
Raw pixel files (*.u8) are interleaved RGB, rows top to bottom, no header; sizes are in
manifest.json.
"""
import io
import json
import warnings
import math
import pathlib
import struct
import zlib

import numpy as np
from PIL import Image, ImageOps
from scipy.signal import convolve2d

warnings.simplefilter("ignore")  # Pillow warns about the deliberately malformed EXIF blocks
HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SAMPLES = ROOT / "Samples"
manifest = {"generator": "Tests/Fixtures/imaging/generate.py", "pillow": Image.__version__}


def write(relative, data):
    path = HERE / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def rgb_bytes(image):
    return np.asarray(image.convert("RGB"), dtype=np.uint8).tobytes()


# ---------------------------------------------------------------- (a) preprocessing pipeline
def pillow_pipeline(image, short_side=256, crop=224):
    """Pillow reference: resize short side (long side int(long*S/short), truncated, as
    torchvision's Resize(S)), bilinear, reducing_gap=None; centre crop with offset
    (resized - crop) // 2."""
    w, h = image.size
    if w <= h:
        size = (short_side, int(h * short_side / w))
    else:
        size = (int(w * short_side / h), short_side)
    resized = image.resize(size, Image.BILINEAR, reducing_gap=None)
    x, y = (size[0] - crop) // 2, (size[1] - crop) // 2
    return resized.crop((x, y, x + crop, y + crop)), size


pipeline = []
for name, draft in [("chelsea.png", False), ("coffee.png", False), ("astronaut.png", False),
                    ("rocket.jpg", False), ("retina.jpg", False), ("retina.jpg", True)]:
    image = Image.open(SAMPLES / name)
    if draft:
        image.draft("RGB", (256, 256))  # libjpeg DCT scaling, as our decoder does
    decoded_size = image.size
    image = ImageOps.exif_transpose(image).convert("RGB")
    cropped, resized_size = pillow_pipeline(image)
    stem = name.split(".")[0] + ("_draft" if draft else "")
    write(f"pipeline/{stem}.u8", rgb_bytes(cropped))
    pipeline.append({"sample": name, "file": None, "expected": f"pipeline/{stem}.u8", "pillowDraft": draft,
                     "decodedSize": list(decoded_size), "resizedSize": list(resized_size)})
manifest["pipeline"] = pipeline


# ---------------------------------------------------------------- (b) PNG variants
def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def encode_png(samples, color_type, depth, plte=None, trns=None, interlace=False):
    """samples: (h, w, channels) integer array of raw sample values (palette: indices)."""
    h, w = samples.shape[:2]

    def rows(sub):
        out = []
        for row in sub:
            flat = row.reshape(-1).astype(np.int64)
            if depth == 16:
                raw = flat.astype(">u2").tobytes()
            elif depth == 8:
                raw = flat.astype(np.uint8).tobytes()
            else:
                bits = ((flat[:, None] >> np.arange(depth - 1, -1, -1)) & 1).reshape(-1)
                raw = np.packbits(bits.astype(np.uint8)).tobytes()
            out.append(b"\x00" + raw)
        return b"".join(out)

    if interlace:
        data = b"".join(rows(samples[y0::dy, x0::dx]) for x0, y0, dx, dy in ADAM7
                        if samples[y0::dy, x0::dx].size)
    else:
        data = rows(samples)
    body = png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, int(interlace)))
    if plte is not None:
        body += png_chunk(b"PLTE", np.asarray(plte, dtype=np.uint8).tobytes())
    if trns is not None:
        body += png_chunk(b"tRNS", trns)
    body += png_chunk(b"IDAT", zlib.compress(data, 9)) + png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def to8(values16):
    return np.floor(values16.astype(np.float64) * 255.0 / 65535.0 + 0.5)


def over_white(rgb, alpha):
    """Alpha rule: composite over white in sRGB value space, float64, round half up."""
    rgb = rgb.astype(np.float64)
    alpha = alpha.astype(np.float64)[..., None]
    return np.floor((rgb * alpha + 255.0 * (255.0 - alpha)) / 255.0 + 0.5).astype(np.uint8)


rng = np.random.default_rng(20261125)
H, W = 19, 29
yy, xx = np.mgrid[0:H, 0:W]
base16 = np.stack([(xx * 65535) // (W - 1), (yy * 65535) // (H - 1), ((xx + yy) * 2311) % 65536], -1)
base16 = (base16 + rng.integers(0, 900, size=base16.shape)).clip(0, 65535)
base8 = base16 >> 8
alpha8 = ((xx * 255) // (W - 1)).astype(np.int64)
alpha8[0, :4] = 0
alpha8[1, :4] = 255
alpha16 = (alpha8 * 257 + rng.integers(-100, 100, size=alpha8.shape)).clip(0, 65535)
grey8 = base8[..., 0]
grey16 = base16[..., 0]
palette = rng.integers(0, 256, size=(40, 3))
indices = (xx * 3 + yy * 5) % 40
indices4 = (xx + 2 * yy) % 16
palette_alpha = rng.integers(0, 256, size=16).astype(np.uint8)
palette_alpha[0], palette_alpha[1] = 0, 255

variants = {}


def variant(name, png, expected, exact):
    variants[name] = (png, expected.astype(np.uint8), exact)


variant("gray1", encode_png((grey8 >> 7)[..., None], 0, 1), np.repeat(((grey8 >> 7) * 255)[..., None], 3, -1), True)
variant("gray8", encode_png(grey8[..., None], 0, 8), np.repeat(grey8[..., None], 3, -1), True)
variant("gray16", encode_png(grey16[..., None], 0, 16), np.repeat(to8(grey16)[..., None], 3, -1), False)
transparent_grey = int(grey8[3, 5])
grey_alpha = np.where(grey8 == transparent_grey, 0, 255)
variant("gray8_trns", encode_png(grey8[..., None], 0, 8, trns=struct.pack(">H", transparent_grey)),
        over_white(np.repeat(grey8[..., None], 3, -1), grey_alpha), True)
variant("gray_alpha8", encode_png(np.stack([grey8, alpha8], -1), 4, 8),
        over_white(np.repeat(grey8[..., None], 3, -1), alpha8), True)
variant("gray_alpha16", encode_png(np.stack([grey16, alpha16], -1), 4, 16),
        over_white(np.repeat(to8(grey16)[..., None], 3, -1), to8(alpha16)), False)
variant("palette8", encode_png(indices[..., None], 3, 8, plte=palette), palette[indices], True)
variant("palette4_trns", encode_png(indices4[..., None], 3, 4, plte=palette[:16], trns=palette_alpha.tobytes()),
        over_white(palette[indices4], palette_alpha[indices4]), True)
variant("rgb8", encode_png(base8, 2, 8), base8, True)
variant("rgb16", encode_png(base16, 2, 16), to8(base16), False)
transparent_rgb = base8[4, 7]
rgb_alpha = np.where((base8 == transparent_rgb).all(-1), 0, 255)
variant("rgb8_trns", encode_png(base8, 2, 8, trns=struct.pack(">HHH", *map(int, transparent_rgb))),
        over_white(base8, rgb_alpha), True)
variant("rgba8", encode_png(np.dstack([base8, alpha8]), 6, 8), over_white(base8, alpha8), True)
variant("rgba16", encode_png(np.dstack([base16, alpha16]), 6, 16), over_white(to8(base16), to8(alpha16)), False)
variant("rgb8_interlaced", encode_png(base8, 2, 8, interlace=True), base8, True)
variant("rgba16_interlaced", encode_png(np.dstack([base16, alpha16]), 6, 16, interlace=True),
        over_white(to8(base16), to8(alpha16)), False)
variant("gray16_interlaced", encode_png(grey16[..., None], 0, 16, interlace=True),
        np.repeat(to8(grey16)[..., None], 3, -1), False)
variant("rgb16_interlaced", encode_png(base16, 2, 16, interlace=True), to8(base16), False)
variant("palette8_interlaced", encode_png(indices[..., None], 3, 8, plte=palette, interlace=True),
        palette[indices], True)

png_entries = []
for name, (png, expected, exact) in variants.items():
    check = Image.open(io.BytesIO(png))
    check.load()  # Pillow must accept what the encoder wrote
    if exact and check.mode in ("L", "P", "RGB", "1") and "transparency" not in check.info:
        assert np.array_equal(np.asarray(check.convert("RGB")), expected), name
    write(f"png/{name}.png", png)
    write(f"png/{name}.u8", expected.tobytes())
    png_entries.append({"name": name, "file": f"png/{name}.png", "expected": f"png/{name}.u8",
                        "width": W, "height": H, "sixteenBit": not exact})
manifest["png"] = png_entries

# Upscaling (and a non-antialiased filter support of 1) through the same pipeline.
small = Image.open(io.BytesIO(variants["rgb8"][0])).convert("RGB")
cropped, resized_size = pillow_pipeline(small)
write("pipeline/rgb8_upscaled.u8", rgb_bytes(cropped))
manifest["pipeline"].append({"file": "png/rgb8.png", "expected": "pipeline/rgb8_upscaled.u8", "pillowDraft": False,
                             "decodedSize": list(small.size), "resizedSize": list(resized_size)})


# ---------------------------------------------------------------- (c) EXIF orientation
def orientation_source():
    w, h = 40, 24
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), np.full_like(x, 60)], -1).astype(np.uint8)
    img[2:8, 3:12] = [250, 20, 20]  # a red block near the top-left corner marks the orientation
    return Image.fromarray(img)


def jpeg_with_exif(exif_payload, **options):
    buffer = io.BytesIO()
    orientation_source().save(buffer, "JPEG", quality=95, exif=exif_payload, **options)
    return buffer.getvalue()


def tiff_ifd(orientation, little=True):
    e = "<" if little else ">"
    order = b"II" if little else b"MM"
    return b"Exif\x00\x00" + order + struct.pack(e + "HI", 42, 8) + struct.pack(e + "H", 1) + \
        struct.pack(e + "HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(e + "I", 0)


exif_entries = []
for orientation in range(1, 9):
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = jpeg_with_exif(exif.tobytes())
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    write(f"exif/orientation_{orientation}.jpg", data)
    write(f"exif/orientation_{orientation}.u8", rgb_bytes(upright))
    exif_entries.append({"file": f"exif/orientation_{orientation}.jpg", "expected": f"exif/orientation_{orientation}.u8",
                         "orientation": orientation, "width": upright.size[0], "height": upright.size[1]})
# Big-endian ("MM") orientation 6, written by hand.
data = jpeg_with_exif(tiff_ifd(6, little=False))
upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
write("exif/orientation_6_bigendian.jpg", data)
write("exif/orientation_6_bigendian.u8", rgb_bytes(upright))
exif_entries.append({"file": "exif/orientation_6_bigendian.jpg", "expected": "exif/orientation_6_bigendian.u8",
                     "orientation": 6, "width": upright.size[0], "height": upright.size[1]})
# Progressive, 4:4:4, orientation 8.
exif = Image.Exif()
exif[0x0112] = 8
data = jpeg_with_exif(exif.tobytes(), progressive=True, subsampling=0)
upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
write("exif/orientation_8_progressive.jpg", data)
write("exif/orientation_8_progressive.u8", rgb_bytes(upright))
exif_entries.append({"file": "exif/orientation_8_progressive.jpg", "expected": "exif/orientation_8_progressive.u8",
                     "orientation": 8, "width": upright.size[0], "height": upright.size[1]})
manifest["exif"] = exif_entries

malformed = {
    "ifd_offset_out_of_range": b"Exif\x00\x00II" + struct.pack("<HI", 42, 0xFFFFFF00),
    "entry_count_past_end": b"Exif\x00\x00II" + struct.pack("<HIH", 42, 8, 0xFFFF) + b"\x12\x01\x03\x00",
    "bad_byte_order": b"Exif\x00\x00XX" + struct.pack("<HI", 42, 8) + tiff_ifd(6)[14:],
    "orientation_value_9": tiff_ifd(9),
    "tiff_header_cut": b"Exif\x00\x00II*",
    "entry_cut": tiff_ifd(6)[:22],
    "wrong_type_ascii": tiff_ifd(6).replace(b"\x12\x01\x03\x00", b"\x12\x01\x02\x00"),
}
malformed_entries = []
for name, payload in malformed.items():
    data = jpeg_with_exif(payload)
    assert payload in data
    plain = Image.open(io.BytesIO(data)).convert("RGB")  # ignored EXIF = stored pixels as they are
    write(f"exif/malformed_{name}.jpg", data)
    write(f"exif/malformed_{name}.u8", rgb_bytes(plain))
    malformed_entries.append({"file": f"exif/malformed_{name}.jpg", "expected": f"exif/malformed_{name}.u8",
                              "width": plain.size[0], "height": plain.size[1]})
manifest["exifMalformed"] = malformed_entries

# Recoverable damage libjpeg only warns about ("extraneous bytes before marker"); Pillow
# decodes it, so must we.
plain = (HERE / "exif/orientation_1.jpg").read_bytes()
dqt = plain.index(b"\xff\xdb")
data = plain[:dqt] + b"\x00\x13\x37" + plain[dqt:]
decoded = Image.open(io.BytesIO(data)).convert("RGB")
write("tolerated/extraneous_bytes.jpg", data)
write("tolerated/extraneous_bytes.u8", rgb_bytes(decoded))
manifest["tolerated"] = [{"file": "tolerated/extraneous_bytes.jpg", "expected": "tolerated/extraneous_bytes.u8",
                          "orientation": 1, "width": decoded.size[0], "height": decoded.size[1]}]


# ---------------------------------------------------------------- (d) DCT-scaled decoding
def smooth_image(w, h, grey=False):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 100 * np.sin(x / w * 2 * math.pi) * np.cos(y / h * math.pi)
    g = 40 + 180 * x / w
    b = 40 + 180 * y / h
    img = np.stack([r, g, b], -1).round().clip(0, 255).astype(np.uint8)
    return Image.fromarray(img).convert("L") if grey else Image.fromarray(img)


dct_entries = []
for name, (w, h), grey, quality, base_step in [("smooth_2000x1500", (2000, 1500), False, 75, 5),
                                           ("smooth_4000x3000_grey", (4000, 3000), True, 50, 10)]:
    buffer = io.BytesIO()
    smooth_image(w, h, grey).save(buffer, "JPEG", quality=quality)
    write(f"dct/{name}.jpg", buffer.getvalue())
    cases = []
    for minimum in ([256, 100] if w * h > 5_000_000 else [None, 256, 100]):
        image = Image.open(io.BytesIO(buffer.getvalue()))
        if minimum is not None:
            image.draft("RGB", (minimum, minimum))
        rgb = np.asarray(image.convert("RGB"))
        step = base_step * (4 if minimum is None else 1)
        case = {"minimumShortSide": minimum, "width": image.size[0], "height": image.size[1],
                "gridStep": step, "grid": f"dct/{name}_{minimum or 'full'}_grid.u8"}
        write(case["grid"], rgb[::step, ::step].tobytes())
        cases.append(case)
    dct_entries.append({"file": f"dct/{name}.jpg", "cases": cases})
manifest["dct"] = dct_entries


# ---------------------------------------------------------------- (e) bad inputs
def make_bad():
    bad = {}
    jpeg = (HERE / "exif/orientation_1.jpg").read_bytes()
    bad["truncated.jpg"] = (jpeg[: len(jpeg) * 6 // 10], "truncated")
    bad["header_only.jpg"] = (jpeg[:200], "truncated")
    sof = jpeg.index(b"\xff\xc0")
    huge = bytearray(jpeg)
    huge[sof + 5: sof + 9] = struct.pack(">HH", 65000, 65000)
    bad["huge_65000x65000.jpg"] = (bytes(huge), "too_many_pixels")
    precision12 = bytearray(jpeg)
    precision12[sof + 4] = 12
    bad["precision_12.jpg"] = (bytes(precision12), "corrupt")
    png = variants["rgb8"][0]
    idat = png.index(b"IDAT")
    bad_crc = bytearray(png)
    bad_crc[idat + 10] ^= 0x55
    bad["bad_crc.png"] = (bytes(bad_crc), "corrupt")
    idat_start = idat - 4
    idat_end = idat + 8 + struct.unpack(">I", png[idat_start:idat])[0]
    garbage = png[:idat_start] + png_chunk(b"IDAT", bytes(rng.integers(0, 256, 64, dtype=np.uint8))) + png[idat_end:]
    bad["garbage_idat.png"] = (garbage, "corrupt")  # random bytes with a valid CRC: zlib rejects them
    bad["truncated.png"] = (png[: idat + 40], "truncated")
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    huge_png = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + \
        png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + png_chunk(b"IEND", b"")
    bad["huge_100000x100000.png"] = (huge_png, "too_many_pixels")
    bad["empty.bin"] = (b"", "empty_input")
    bad["text.txt"] = (b"This is a text file, not an image.\n", "unsupported_format")
    bad["animation.gif"] = (b"GIF89a" + bytes(20), "unsupported_format")
    return bad


bad_entries = []
for name, (data, code) in make_bad().items():
    write(f"bad/{name}", data)
    bad_entries.append({"file": f"bad/{name}", "code": code})
manifest["bad"] = bad_entries


# ---------------------------------------------------------------- (f) blur and exposure
def quality_reference(rgb):
    rgb = rgb.astype(np.float64)
    luma = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    laplacian = convolve2d(luma, np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64), mode="valid")
    thousandths = 299 * rgb[..., 0].astype(np.int64) + 587 * rgb[..., 1].astype(np.int64) + 114 * rgb[..., 2].astype(np.int64)
    return {"blurScore": float(laplacian.var()), "meanLuma": float(luma.mean()),
            "underexposedFraction": float((thousandths < 16000).mean()),
            "overexposedFraction": float((thousandths > 239000).mean())}


quality_entries = []
for name in ["chelsea.png", "coffee.png", "astronaut.png"]:
    entry = {"sample": name, **quality_reference(np.asarray(Image.open(SAMPLES / name).convert("RGB")))}
    quality_entries.append(entry)
noise = rng.integers(0, 256, size=(48, 64, 3)).astype(np.uint8)
noise[:10] = noise[:10] // 16  # a dark band
noise[-10:] = 255 - noise[-10:] // 16  # a bright band
for name, array in [("noise", noise), ("noise_blurred", np.asarray(Image.fromarray(noise).resize((32, 24), Image.BILINEAR).resize((64, 48), Image.BILINEAR)))]:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, "PNG")
    write(f"quality/{name}.png", buffer.getvalue())
    quality_entries.append({"file": f"quality/{name}.png", **quality_reference(array)})
manifest["quality"] = quality_entries

(HERE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
print(f"wrote fixtures: {total / 1e6:.2f} MB")
