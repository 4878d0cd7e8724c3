"""Which palette colour each pixel is near, mostly by table lookup.

CIEDE2000 against every palette colour costs some 60 array operations per pixel and colour. The
answer depends only on the pixel's 8-bit colour, so each palette gets a table over the RGB cube cut
into 32x32x32 blocks (8 levels a side): a block whose eight corners all give the same answer, with
MARGIN to spare, takes that answer; a block where they differ (the edge of a palette colour's
reach, or between two palette colours) is left open, and its pixels get the full computation.
A table costs about as much as scoring two images and is kept per palette (lru_cache).

The margin is there because a corner's verdict does not bound a block's inside exactly: with none,
2 in 400,000 random colours came out differently from the full computation; with 1.0, none of
3.6 million (four palettes chosen to be hard: blues, greys, close colours, 16 colours), nor does
tests/brand/test_lookup.py find any.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from brand.color import ciede2000, hex_to_rgb, srgb_to_lab

BITS = 5
_BLOCKS = 1 << BITS
_SHIFT = 8 - BITS
MARGIN = 1.5  # ΔE00
OPEN = 255  # a table entry: compute this block's pixels in full


@dataclass(frozen=True)
class PaletteTable:
    near: float
    lab: np.ndarray  # (colours, 3) float32: the palette in CIELAB
    blocks: np.ndarray  # (32768,) uint8: the palette colour, len(palette) for none near, or OPEN

    @property
    def far(self) -> int:
        return len(self.lab)


def exact(lab: np.ndarray, palette_lab: np.ndarray, near: float) -> np.ndarray:
    """For each CIELAB colour, the index of its nearest palette colour, or len(palette) when that one
    is farther than `near` (ΔE00)."""
    distance = ciede2000(lab[:, None, :], palette_lab[None, :, :])
    nearest = distance.argmin(axis=1)
    return np.where(distance[np.arange(len(nearest)), nearest] <= near, nearest, len(palette_lab))


@lru_cache(maxsize=64)
def table_for(palette: tuple[str, ...], near: float) -> PaletteTable:
    lab = srgb_to_lab(np.array([hex_to_rgb(c) for c in palette], dtype=np.uint8)).astype(np.float32)
    far = len(palette)
    # The corners: 0, 8, ..., 248 and 255, the last block's top.
    axis = np.minimum(np.arange(_BLOCKS + 1) * (256 // _BLOCKS), 255).astype(np.uint8)
    corners = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1).reshape(-1, 3)
    distance = ciede2000(srgb_to_lab(corners).astype(np.float32)[:, None, :], lab[None, :, :])
    ordered = np.sort(distance, axis=1)
    best = ordered[:, 0]
    runner_up = ordered[:, 1] if far > 1 else np.full_like(best, np.inf)
    # A corner's verdict is sure when it is MARGIN inside or outside the threshold and its nearest
    # colour is clear of the next by twice that.
    sure_near = (best <= near - MARGIN) & (runner_up - best >= 2 * MARGIN)
    verdict = np.where(sure_near, distance.argmin(axis=1), np.where(best > near + MARGIN, far, OPEN))
    side = _BLOCKS + 1
    verdict = verdict.reshape(side, side, side)
    n = _BLOCKS
    eight = [verdict[i:i + n, j:j + n, k:k + n] for i in (0, 1) for j in (0, 1) for k in (0, 1)]
    agree = np.logical_and.reduce([c == eight[0] for c in eight[1:]])
    blocks = np.where(agree, eight[0], OPEN).astype(np.uint8).reshape(-1)
    return PaletteTable(near=near, lab=lab, blocks=blocks)


def nearest_colours(rgb: np.ndarray, table: PaletteTable) -> np.ndarray:
    """For 8-bit RGB pixels, shape (n, 3): each one's palette colour, or `table.far` when none is near."""
    q = (rgb >> _SHIFT).astype(np.intp)
    answer = table.blocks[(q[:, 0] << (2 * BITS)) | (q[:, 1] << BITS) | q[:, 2]].astype(np.intp)
    open_ = np.flatnonzero(answer == OPEN)
    if len(open_):
        answer[open_] = exact(srgb_to_lab(rgb[open_]).astype(np.float32), table.lab, table.near)
    return answer
