"""Each distinct prompt of a call is encoded once: the same pixels as the pipeline encoding every image's prompt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.demo import ensure_demo_model
from models.engine import Engine, RenderItem, RenderSettings

# The demo presets' guidance: SD3's 4.0 and HiDream's 5.0 take classifier-free guidance (a negative
# prompt encoded too), FLUX's 3.5 is an embedding input.
FAMILIES = ("flux", "sd3", "hidream")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("encode-once")


def engine_for(data_dir: Path, family: str) -> Engine:
    return Engine(ensure_demo_model(data_dir, family), device="cpu")


def batch(engine: Engine) -> list[RenderItem]:
    config = engine.config
    settings = RenderSettings(config.name, 256, 256, 1, config.guidance)
    return [
        RenderItem("a", "a blue fox logo", seed=3, num_images=2, settings=settings),
        RenderItem("b", "a red poster with bold type", seed=9, num_images=1, settings=settings),
        RenderItem("c", "a blue fox logo", seed=5, num_images=1, settings=settings),
    ]


class EncodeCounter:
    """Counts the pipeline's prompt encodings and the prompts each one encodes."""

    def __init__(self, pipe) -> None:  # noqa: ANN001
        self.prompts: list[list[str]] = []
        self._encode = pipe.encode_prompt

    def __call__(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN204
        if kwargs.get("prompt") is not None:
            self.prompts.append(list(kwargs["prompt"]))
        return self._encode(*args, **kwargs)


@pytest.mark.parametrize("family", FAMILIES)
def test_encoding_each_prompt_once_renders_the_same_pixels(
    data_dir: Path, family: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_for(data_dir, family)
    items = batch(engine)
    engine.encode_once = False
    every_image = engine.render(items)
    engine.encode_once = True
    counter = EncodeCounter(engine.pipe)
    monkeypatch.setattr(engine.pipe, "encode_prompt", counter)
    once = engine.render(items)
    # One call of four images and two distinct prompts: encoded once each.
    assert counter.prompts == [["a blue fox logo", "a red poster with bold type"]]
    for job_id, images in every_image.items():
        assert len(once[job_id]) == len(images)
        for reference, image in zip(images, once[job_id], strict=True):
            # Batched text encoding may round differently in the last float bit; one level of 255 at most.
            assert np.abs(reference.astype(int) - image.astype(int)).max() <= 1, (family, job_id)

