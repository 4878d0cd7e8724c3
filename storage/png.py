"""PNG encoding with no metadata: prompts are private, so nothing but pixels is written."""

from __future__ import annotations

import io

from PIL import Image


def encode_png(rgb: bytes, width: int, height: int, compress_level: int = 1) -> bytes:
    if len(rgb) != width * height * 3:
        raise ValueError(f"expected {width * height * 3} bytes of RGB, got {len(rgb)}")
    image = Image.frombytes("RGB", (width, height), rgb)
    out = io.BytesIO()
    # A fresh image carries no info dict, and pnginfo=None writes no text chunks.
    image.save(out, format="PNG", compress_level=compress_level, pnginfo=None)
    return out.getvalue()
