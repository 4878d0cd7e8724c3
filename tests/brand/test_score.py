"""The brand score on synthetic images whose palette share is known."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from brand.color import ciede2000, hex_to_rgb, srgb_to_lab
from brand.score import NEAR, score_pixels, score_png

RED, BLUE, WHITE = "#e30613", "#0055a4", "#ffffff"
PALETTE = [RED, BLUE, WHITE]
# Far from every colour of PALETTE (ΔE00 > 25 from each).
GREEN, ORANGE = "#2e8b57", "#ff7f00"


def flat(colour: str, width: int = 1024, height: int = 1024) -> np.ndarray:
    return np.full((height, width, 3), hex_to_rgb(colour), dtype=np.uint8)


def stripes(*parts: tuple[str, float], width: int = 1024, height: int = 1024) -> np.ndarray:
    """Vertical bands of the colours, each the given fraction of the width."""
    image = np.empty((height, width, 3), dtype=np.uint8)
    start = 0
    for colour, fraction in parts:
        end = start + round(fraction * width)
        image[:, start:end] = hex_to_rgb(colour)
        start = end
    assert start == width
    return image


def delta_e(rgb1: tuple[int, int, int], rgb2: tuple[int, int, int]) -> float:
    lab = srgb_to_lab(np.array([rgb1, rgb2], dtype=np.uint8))
    return float(ciede2000(lab[0], lab[1]))


def test_far_colours_are_far_from_the_palette() -> None:
    for far in (GREEN, ORANGE):
        assert min(delta_e(hex_to_rgb(far), hex_to_rgb(c)) for c in PALETTE) > 25


@pytest.mark.parametrize("colour", PALETTE)
def test_an_image_all_in_a_palette_colour_scores_1(colour: str) -> None:
    match = score_pixels(flat(colour), PALETTE)
    assert match.score == 1.0
    assert [(c.hex, c.share) for c in match.colors] == [(colour, 1.0)]


def test_an_image_in_no_palette_colour_scores_0_and_finds_none() -> None:
    match = score_pixels(stripes((GREEN, 0.5), (ORANGE, 0.5)), PALETTE)
    assert (match.score, match.colors) == (0.0, [])


def test_half_palette_colour_half_far_colour_scores_a_half() -> None:
    assert score_pixels(stripes((RED, 0.5), (GREEN, 0.5)), PALETTE).score == 0.5


def test_half_and_half_at_a_size_the_reduction_does_not_divide_scores_about_a_half() -> None:
    # 1000x600 reduces by 8 to 125x75: the column where the halves meet is a blend of both.
    match = score_pixels(stripes((RED, 0.5), (GREEN, 0.5), width=1000, height=600), PALETTE)
    assert match.score == pytest.approx(0.5, abs=1 / 125)


def test_colours_found_come_with_their_share_most_first() -> None:
    match = score_pixels(stripes((WHITE, 0.125), (BLUE, 0.5), (GREEN, 0.125), (RED, 0.25)), PALETTE)
    assert [(c.hex, c.share) for c in match.colors] == [(BLUE, 0.5), (RED, 0.25), (WHITE, 0.125)]
    assert match.score == 0.875


def test_palette_colours_not_in_the_image_are_not_reported() -> None:
    match = score_pixels(stripes((BLUE, 0.5), (ORANGE, 0.5)), PALETTE)
    assert [c.hex for c in match.colors] == [BLUE]


def test_a_palette_in_upper_case_is_reported_in_lower_case() -> None:
    match = score_pixels(flat(RED), ["#E30613"])
    assert [c.hex for c in match.colors] == [RED]


def test_a_shaded_brand_colour_counts_a_neighbouring_hue_does_not() -> None:
    # A red mug lighter where lit and darker in shadow is still the brand red; orange and magenta
    # are other colours. These are the examples docs/operations.md gives for the threshold.
    for shade, inside in (("#c00510", True), ("#ff2a2a", True), ("#ff7f00", False), ("#e6007e", False)):
        assert (score_pixels(flat(shade, 256, 256), [RED]).score == 1.0) is inside, shade


def colours_at(palette_colour: str, low: float, high: float) -> list[tuple[int, int, int]]:
    """8-bit colours whose ΔE00 from the palette colour lies in [low, high), found along lines
    from it towards black, white, the primaries and their mixes (lighter, darker and other hues)."""
    start = np.array(hex_to_rgb(palette_colour), dtype=float)
    reference = srgb_to_lab(np.array(hex_to_rgb(palette_colour), dtype=np.uint8))
    found = []
    for target in [(0, 0, 0), (255, 255, 255), (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255),
                   (255, 0, 255), (128, 128, 128)]:
        line = np.round(start + np.linspace(0, 1, 2001)[:, None] * (np.array(target) - start)).astype(np.uint8)
        distance = ciede2000(srgb_to_lab(line), reference)
        hits = np.flatnonzero((distance >= low) & (distance < high))
        if len(hits):
            found.append(tuple(int(v) for v in line[hits[0]]))
    return found


@pytest.mark.parametrize("palette_colour", [RED, BLUE, "#7a7a7a", "#f5c400"])
def test_a_colour_just_inside_the_threshold_counts_and_one_just_outside_does_not(palette_colour: str) -> None:
    inside = colours_at(palette_colour, NEAR - 0.3, NEAR)
    outside = colours_at(palette_colour, NEAR + 0.001, NEAR + 0.3)
    assert len(inside) >= 4 and len(outside) >= 4
    for rgb in inside:
        assert score_pixels(np.full((64, 64, 3), rgb, dtype=np.uint8), [palette_colour]).score == 1.0, rgb
    for rgb in outside:
        assert score_pixels(np.full((64, 64, 3), rgb, dtype=np.uint8), [palette_colour]).score == 0.0, rgb


def test_a_pixel_is_credited_to_its_nearest_palette_colour() -> None:
    # #c00510 is within the threshold of both reds; it is nearer the darker one.
    dark_red = "#a00410"
    assert delta_e(hex_to_rgb("#c00510"), hex_to_rgb(dark_red)) < delta_e(hex_to_rgb("#c00510"), hex_to_rgb(RED))
    match = score_pixels(flat("#c00510", 128, 128), [RED, dark_red])
    assert [(c.hex, c.share) for c in match.colors] == [(dark_red, 1.0)]


def test_scores_order_images_by_how_much_of_them_is_on_brand() -> None:
    rng = np.random.default_rng(5)
    images = []
    for on_brand in (0.0, 0.2, 0.45, 0.7, 0.95):
        # Shaded brand colours (a few levels of noise on each) beside off-brand ones, in blocks of
        # 16x16 pixels placed at random.
        blocks = rng.random((64, 64)) < on_brand
        colour = np.where(blocks[..., None], np.array(hex_to_rgb(BLUE)), np.array(hex_to_rgb(ORANGE)))
        image = np.kron(colour, np.ones((16, 16, 1))) + rng.integers(-6, 7, (1024, 1024, 3))
        images.append((blocks.mean(), np.clip(image, 0, 255).astype(np.uint8)))
    scores = [score_pixels(image, PALETTE).score for _, image in images]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)
    for (truth, _), score in zip(images, scores, strict=True):
        assert score == pytest.approx(truth, abs=0.01)


def test_a_png_scores_as_its_pixels_do() -> None:
    pixels = stripes((RED, 0.25), (GREEN, 0.5), (WHITE, 0.25), width=800, height=448)
    png = io.BytesIO()
    Image.fromarray(pixels).save(png, format="PNG")
    assert score_png(png.getvalue(), PALETTE) == score_pixels(pixels, PALETTE)
    # 800x448 reduces by 7 to 115x64: two columns blend the bands' colours.
    assert score_png(png.getvalue(), PALETTE).score == pytest.approx(0.5, abs=2 / 115)


def test_a_png_with_alpha_or_in_grey_is_scored_on_its_colours() -> None:
    png = io.BytesIO()
    Image.new("LA", (100, 100), (255, 255)).save(png, format="PNG")
    assert score_png(png.getvalue(), [WHITE]).score == 1.0


def test_no_palette_means_no_score() -> None:
    assert score_pixels(flat(RED, 8, 8), []) is None
    assert score_png(b"not even read", []) is None


def test_pixels_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(ValueError, match=r"\(height, width, 3\)"):
        score_pixels(np.zeros((8, 8, 4), dtype=np.uint8), PALETTE)
    with pytest.raises(ValueError, match="8-bit"):
        score_pixels(np.zeros((8, 8, 3), dtype=np.float32), PALETTE)
