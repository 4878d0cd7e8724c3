"""The per-palette table gives the same answer as computing CIEDE2000 for every pixel."""

from __future__ import annotations

import numpy as np
import pytest

from brand.color import hex_to_rgb, srgb_to_lab
from brand.lookup import OPEN, exact, nearest_colours, table_for
from brand.score import NEAR

PALETTES = {
    # Blues (where CIEDE2000's rotation term acts), black and white.
    "blues": ("#0000ff", "#0000cc", "#1a1aff", "#000000", "#ffffff", "#808080"),
    # Greys a few levels apart: almost every pixel near them sits between two of them.
    "greys": ("#7f7f7f", "#838383", "#0a0a0a", "#f0f0f0"),
    # The most colours a manifest may hold.
    "sixteen": ("#e30613", "#f5a623", "#1d1d1b", "#0055a4", "#7ed321", "#ffffff", "#ff00ff", "#00ff00",
                "#800000", "#008080", "#c0c0c0", "#ffd700", "#4682b4", "#d2691e", "#9932cc", "#2f4f4f"),
}


@pytest.mark.parametrize("name", PALETTES)
def test_the_table_answers_as_the_full_computation_does(name: str) -> None:
    palette = PALETTES[name]
    table = table_for(palette, NEAR)
    rng = np.random.default_rng(11)
    anywhere = rng.integers(0, 256, (100_000, 3))
    # Most of the interesting answers are close to the palette: within 40 levels of one of its colours.
    centres = np.array([hex_to_rgb(c) for c in palette])[rng.integers(0, len(palette), 100_000)]
    around = centres + rng.integers(-40, 41, (100_000, 3))
    rgb = np.clip(np.concatenate([anywhere, around]), 0, 255).astype(np.uint8)
    expected = exact(srgb_to_lab(rgb).astype(np.float32), table.lab, NEAR)
    assert np.array_equal(nearest_colours(rgb, table), expected)
    assert 0 < (expected < len(palette)).mean() < 1  # both verdicts were put to the test


def test_the_table_settles_most_colours_without_the_full_computation() -> None:
    blocks = table_for(PALETTES["blues"], NEAR).blocks
    assert blocks.shape == (32 ** 3,)
    assert (blocks == OPEN).mean() < 0.2


def test_a_table_is_made_once_per_palette() -> None:
    assert table_for(("#123456",), NEAR) is table_for(("#123456",), NEAR)
