"""Photo loading and preprocessing shared by the model fixture generators (Pillow only).

Geometry (both models): convert to RGB; resize so the short side is 256 with Pillow's
Image.BILINEAR (a triangle filter whose support widens when downscaling, i.e. antialiased;
reducing_gap=None), the long side becoming int(long * 256 / short) (truncated); then crop
the centre 224×224 starting at ((w − 224) // 2, (h − 224) // 2).
"""
import os

import numpy as np
from PIL import Image

import skimage

SKIMAGE_DATA = os.path.join(os.path.dirname(skimage.__file__), "data")
PHOTOS = {
    "chelsea": "chelsea.png",
    "coffee": "coffee.png",
    "astronaut": "astronaut.png",
    "rocket": "rocket.jpg",
    "motorcycle_left": "motorcycle_left.png",
}
RESIZE_SHORT = 256
CROP = 224


def resized_crop(name):
    """The 224×224 RGB uint8 crop of one scikit-image photo, HWC."""
    image = Image.open(os.path.join(SKIMAGE_DATA, PHOTOS[name])).convert("RGB")
    w, h = image.size
    if w <= h:
        size = (RESIZE_SHORT, int(h * RESIZE_SHORT / w))
    else:
        size = (int(w * RESIZE_SHORT / h), RESIZE_SHORT)
    image = image.resize(size, Image.BILINEAR, reducing_gap=None)
    left, top = (size[0] - CROP) // 2, (size[1] - CROP) // 2
    image = image.crop((left, top, left + CROP, top + CROP))
    return np.asarray(image, dtype=np.uint8)


def photo_sizes():
    """(name, original (w, h), resized (w, h)) for the report."""
    rows = []
    for name, file in PHOTOS.items():
        w, h = Image.open(os.path.join(SKIMAGE_DATA, file)).size
        resized = (RESIZE_SHORT, int(h * RESIZE_SHORT / w)) if w <= h else (int(w * RESIZE_SHORT / h), RESIZE_SHORT)
        rows.append((name, (w, h), resized))
    return rows
