"""Photo loading and preprocessing shared by the model fixture generators (Pillow only).

Photos: the repository's Samples/ directory (copies of scikit-image 0.26's bundled CC0 /
public-domain photos, see Docs/Samples.md); nothing is read from outside the checkout.

Geometry (both models): decode at full size, apply the EXIF orientation, convert to RGB;
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


def load(name):
    """The full-size, upright RGB image of one photo."""
    return ImageOps.exif_transpose(Image.open(os.path.join(SAMPLES, PHOTOS[name]))).convert("RGB")


def resized_crop(name):
    """The 224×224 RGB uint8 crop of one photo, HWC."""
    image = load(name)
    size = resized_size(*image.size)
    image = image.resize(size, Image.BILINEAR, reducing_gap=None)
    left, top = (size[0] - CROP) // 2, (size[1] - CROP) // 2
    image = image.crop((left, top, left + CROP, top + CROP))
    return np.asarray(image, dtype=np.uint8)

