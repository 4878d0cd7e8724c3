"""How much of an image is in a style's brand palette: the brand score.

Each pixel is compared with every palette colour by CIEDE2000 (brand/color.py), the colour
difference brand and print work state tolerances in. A pixel counts as on-brand when its nearest
palette colour is within NEAR (ΔE00 10), and is credited to that colour. The score is the fraction
of on-brand pixels; the colours found come with their share, most first. A per-palette table
(brand/lookup.py) answers most pixels without computing the difference, with the same result.

The comparison runs on a copy reduced by area averaging to at most SIDE pixels a side (a 1024x1024
image becomes 128x128, 16,384 pixels, a little more than the 112x112 that Android's Palette
library samples for the same purpose): each pixel there is the mean of an 8x8 block, so a score
speaks of areas of colour, not single pixels, and costs the same for any image size.
"""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image

from brand.lookup import nearest_colours, table_for
from jobs.brand_schemas import BrandColor, BrandMatch

# ΔE00 1 is about the smallest difference seen side by side, and 2-3 the usual tolerance for
# matching a printed brand colour. Generated pictures light and shade a brand colour (a red mug is
# lighter where lit, darker in shadow), which a print tolerance would call off-brand; within 10 a
# colour reads as the same colour, a little lighter, darker or duller, while neighbouring hues
# (a brand red and an orange, a navy and a purple) stay apart. docs/operations.md says so to users.
NEAR = 10.0
SIDE = 128
# Shares are reported to this many decimals: finer than any difference a person would act on.
DECIMALS = 4


def score_png(png: bytes, palette: list[str]) -> BrandMatch | None:
    """The brand match of a PNG (any size); None when the palette is empty."""
    if not palette:
        return None
    with Image.open(io.BytesIO(png)) as image:
        return _score(_reduced(image), palette)


def score_pixels(rgb: np.ndarray, palette: list[str]) -> BrandMatch | None:
    """The brand match of 8-bit RGB pixels, shape (height, width, 3); None when the palette is empty."""
    if not palette:
        return None
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError("expects 8-bit RGB pixels of shape (height, width, 3)")
    return _score(_reduced(Image.fromarray(rgb)), palette)


def _reduced(image: Image.Image) -> np.ndarray:
    image = image.convert("RGB")
    factor = math.ceil(max(image.size) / SIDE)
    if factor > 1:
        # Pillow's reduce() is a box filter over factor x factor blocks: the area average, and the
        # fastest of its resizers.
        image = image.reduce(factor)
    return np.asarray(image)


def _score(rgb: np.ndarray, palette: list[str]) -> BrandMatch:
    palette = [c.lower() for c in palette]
    nearest = nearest_colours(rgb.reshape(-1, 3), table_for(tuple(palette), NEAR))
    counts = np.bincount(nearest, minlength=len(palette) + 1)[:len(palette)]
    total = len(nearest)
    found = [BrandColor(hex=palette[i], share=round(int(counts[i]) / total, DECIMALS))
             for i in np.argsort(-counts, kind="stable") if counts[i]]
    return BrandMatch(score=round(int(counts.sum()) / total, DECIMALS), colors=[c for c in found if c.share > 0])
