"""sRGB to CIELAB (D65) and the CIEDE2000 colour difference, vectorised with numpy.

Sources of the formulas:
- sRGB: IEC 61966-2-1:1999, its transfer function and its RGB -> XYZ matrix (D65 white).
- CIELAB: CIE 15:2004 (Colorimetry, 3rd ed.) section 8.2.1, with the exact constants
  epsilon = 216/24389 and kappa = 24389/27 of CIE 15:2018, which remove the small break at the
  junction that the older rounded 0.008856 / 903.3 leave.
- CIEDE2000: CIE 142-2001, as written out step by step in G. Sharma, W. Wu and E. N. Dalal, "The
  CIEDE2000 color-difference formula: implementation notes, supplementary test data, and
  mathematical observations", Color Research & Application 30(1), 2005, pp. 21-30, equations (1)-(22).
  Their test data are in tests/brand/test_color.py.
"""

from __future__ import annotations

import numpy as np

# IEC 61966-2-1 linear sRGB -> XYZ, D65. The reference white is the matrix's row sums, so
# (255, 255, 255) maps to L* = 100, a* = b* = 0 exactly, as it should.
_RGB_TO_XYZ = np.array([
    [0.4124, 0.3576, 0.1805],
    [0.2126, 0.7152, 0.0722],
    [0.0193, 0.1192, 0.9505],
])
_WHITE = _RGB_TO_XYZ.sum(axis=1)
_EPSILON = 216 / 24389
_KAPPA = 24389 / 27


def _srgb_to_linear_table() -> np.ndarray:
    v = np.arange(256) / 255.0
    # IEC 61966-2-1: linear below 0.04045, a 2.4 power above.
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


# Only 256 possible 8-bit values: one table lookup instead of a power per channel.
_LINEAR = _srgb_to_linear_table()


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """8-bit sRGB, shape (..., 3), to CIELAB (D65), shape (..., 3), float64."""
    rgb = np.asarray(rgb)
    if rgb.dtype != np.uint8:
        raise ValueError("expects 8-bit sRGB (uint8)")
    xyz = _LINEAR[rgb] @ _RGB_TO_XYZ.T / _WHITE
    f = np.where(xyz > _EPSILON, np.cbrt(xyz), (_KAPPA * xyz + 16) / 116)
    fx, fy, fz = f[..., 0], f[..., 1], f[..., 2]
    return np.stack([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], axis=-1)


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    """'#rrggbb' to its three 8-bit channels."""
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 difference (kL = kC = kH = 1) between CIELAB colours; the inputs broadcast against
    each other along their leading axes, the last axis is (L*, a*, b*)."""
    # Computed in the inputs' float type: float32 for scoring images (twice as fast, and well within
    # the threshold's meaning), float64 for the reference data.
    lab1, lab2 = np.asarray(lab1), np.asarray(lab2)
    if not np.issubdtype(lab1.dtype, np.floating):
        lab1 = lab1.astype(np.float64)
    if not np.issubdtype(lab2.dtype, np.floating):
        lab2 = lab2.astype(np.float64)
    l1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    l2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    # (2)-(7): a* stretched by G near the neutral axis, then chroma and hue (degrees, 0-360).
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    c7 = c_mean ** 7
    g = 0.5 * (1 - np.sqrt(c7 / (c7 + 25.0 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    # atan2(0, 0) is 0 in numpy, which is the paper's h' = 0 for a neutral colour.
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    # (8)-(10): differences. The hue difference takes the short way round the circle, and is 0
    # when either colour is neutral (no hue).
    d_l = l2 - l1
    d_c = c2p - c1p
    chroma_product = c1p * c2p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(chroma_product == 0, 0.0, dh)
    d_hue = 2 * np.sqrt(chroma_product) * np.sin(np.radians(dh / 2))
    # (12)-(14): means. The hue mean is taken across the 0/360 seam when the hues are more than
    # 180 apart, and is the sum when either colour is neutral.
    l_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_mean = np.where(np.abs(h1p - h2p) <= 180, h_sum / 2, np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2))
    h_mean = np.where(chroma_product == 0, h_sum, h_mean)
    # (15)-(22): the weights and the rotation term for blues.
    t = (1 - 0.17 * np.cos(np.radians(h_mean - 30)) + 0.24 * np.cos(np.radians(2 * h_mean))
         + 0.32 * np.cos(np.radians(3 * h_mean + 6)) - 0.20 * np.cos(np.radians(4 * h_mean - 63)))
    d_theta = 30 * np.exp(-(((h_mean - 275) / 25) ** 2))
    cp7 = cp_mean ** 7
    r_c = 2 * np.sqrt(cp7 / (cp7 + 25.0 ** 7))
    l50 = (l_mean - 50) ** 2
    s_l = 1 + 0.015 * l50 / np.sqrt(20 + l50)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    tl, tc, th = d_l / s_l, d_c / s_c, d_hue / s_h
    return np.sqrt(tl ** 2 + tc ** 2 + th ** 2 + r_t * tc * th)
