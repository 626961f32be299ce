"""Photo loading and preprocessing shared by the model fixture generators (Pillow only).

Photos: the repository's Samples/ directory (copies of scikit-image 0.26's bundled CC0 /
public-domain photos, see Docs/Samples.md); nothing is read from outside the checkout.

Decoding: at full size by default. With `minimum_short_side` (the EfficientNet-Lite0 reference
passes RESIZE_SHORT, as our pipeline does), a JPEG is decoded as Sources/Imaging's JPEGDecoder
decodes it: reduced in the DCT domain by the largest of 1/8, 1/4, 1/2 whose scaled short side
ceil(short / d) is still >= minimum_short_side, through Pillow's `Image.draft` (the same libjpeg
scaled IDCT; Pillow's non-draft-mode decoder settings: accurate integer IDCT, fancy upsampling,
which are also tjDecompress2's defaults without TJFLAG_FASTDCT / TJFLAG_FASTUPSAMPLE).

Geometry (both models): decode, apply the EXIF orientation, convert to RGB;
resize so the short side is 256 with Pillow's Image.BILINEAR (a triangle filter whose support
widens when downscaling, i.e. antialiased; reducing_gap=None), the long side becoming
int(long * 256 / short) (truncated, as torchvision's Resize(256) and Sources/Imaging's
Preprocessing); then crop the centre 224×224 starting at ((w − 224) // 2, (h − 224) // 2).
"""
import os

import numpy as np
from PIL import Image, ImageOps

SAMPLES = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "Samples"))
PHOTOS = {
    "chelsea": "chelsea.png",
    "coffee": "coffee.png",
    "astronaut": "astronaut.png",
    "rocket": "rocket.jpg",
    "retina": "retina.jpg",
}
RESIZE_SHORT = 256
CROP = 224


def resized_size(w, h):
    """(w, h) after resizing the short side to RESIZE_SHORT, the long side truncated."""
    return (RESIZE_SHORT, int(h * RESIZE_SHORT / w)) if w <= h else (int(w * RESIZE_SHORT / h), RESIZE_SHORT)


def dct_denominator(width, height, minimum_short_side):
    """JPEGDecoder.scaleDenominator: the largest d of 8, 4, 2 with ceil(min(w, h) / d) >= minimum
    (1 if none)."""
    short = min(width, height)
    for d in (8, 4, 2):
        if (short + d - 1) // d >= minimum_short_side:
            return d
    return 1


def draft_size(width, height, d):
    """The size to ask `Image.draft` for so that it picks scale 1/d. Pillow takes
    s = min(w // W, h // H) and uses the largest of 8, 4, 2, 1 not above s; with (W, H) =
    (w // d, h // d), w // W lies in [d, 2d) (as w < (w // d + 1)·d), so it picks exactly d."""
    return (width // d, height // d)


def load(name, minimum_short_side=None):
    """The upright RGB image of one photo: full size, or (JPEG, with minimum_short_side) DCT-reduced
    as our decoder reduces it."""
    image = Image.open(os.path.join(SAMPLES, PHOTOS[name]))
    if minimum_short_side is not None and image.format == "JPEG":
        width, height = image.size
        d = dct_denominator(width, height, minimum_short_side)
        if d > 1:
            image.draft("RGB", draft_size(width, height, d))
            expected = ((width + d - 1) // d, (height + d - 1) // d)
            if image.size != expected:
                raise RuntimeError(f"{name}: draft gave {image.size}, expected {expected} (1/{d})")
    return ImageOps.exif_transpose(image).convert("RGB")


def resized_crop(name, minimum_short_side=None):
    """The 224×224 RGB uint8 crop of one photo, HWC (decoded as `load` does)."""
    image = load(name, minimum_short_side)
    size = resized_size(*image.size)
    image = image.resize(size, Image.BILINEAR, reducing_gap=None)
    left, top = (size[0] - CROP) // 2, (size[1] - CROP) // 2
    image = image.crop((left, top, left + CROP, top + CROP))
    return np.asarray(image, dtype=np.uint8)

