"""The aspect-ratio presets: about one megapixel, sides that every family can render."""

from __future__ import annotations

import pytest

from jobs.models import ASPECT_RATIOS


@pytest.mark.parametrize("ratio", sorted(ASPECT_RATIOS))
def test_preset_is_about_a_megapixel_at_its_ratio(ratio: str) -> None:
    width, height = ASPECT_RATIOS[ratio]
    a, b = (int(x) for x in ratio.split(":"))
    assert width % 16 == 0 and height % 16 == 0
    assert abs(width / height - a / b) < 0.02
    assert 0.9e6 <= width * height <= 1.1e6
