"""The sample styles `make run` sets up for the demo model: made once, offline, never over a user's own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import peft  # noqa: F401  (a dependency: without it no style can be made, and that must fail, not skip)
import pytest

from loras import samples
from loras.adapters import AdapterSet
from loras.registry import discover
from models.engine import Engine, RenderItem
from models.family import ModelConfig
from tests.lora_factory import make_style

NAMES = ["sample-bold", "sample-soft"]
# Mean absolute difference per pixel channel (0-255) from the same prompt and seed without a style,
# at the demo's own settings, 256x256. Measured over four prompts and seeds at 128, 256 and 512 px:
# sample-bold 28.0-30.3, sample-soft 18.7-20.6; two seeds of the demo without a style differ by ~38.
MIN_DIFFERENCE = {"sample-bold": 22.0, "sample-soft": 12.0}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> ModelConfig:
    from models.demo import ensure_demo_model

    return ensure_demo_model(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, demo: ModelConfig) -> Path:
    styles = tmp_path_factory.mktemp("made") / "styles"
    assert sorted(p.name for p in samples.ensure_sample_styles(styles, demo)) == NAMES
    return styles


def test_samples_are_served_as_styles_named_and_described_as_samples(made: Path) -> None:
    styles, refused = discover(made, "flux")
    assert refused == []
    assert [s.name for s in styles] == NAMES
    for style in styles:
        description = style.manifest.description
        assert description.startswith("Sample made for the demo model")
        assert "A real brand style is a LoRA trained on your brand's own images" in description
        assert style.manifest.trigger_words == []


def test_samples_are_made_once(made: Path, demo: ModelConfig) -> None:
    before = {p: p.stat().st_mtime_ns for p in made.rglob("*")}
    assert samples.ensure_sample_styles(made, demo) == []
    assert {p: p.stat().st_mtime_ns for p in made.rglob("*")} == before
    assert sorted(p.name for p in made.parent.iterdir()) == ["styles"]  # no build folder left behind


def render(engine: Engine, adapters: AdapterSet, style: str | None) -> np.ndarray:
    adapters.activate(style, 1.0)
    settings = engine.default_settings()
    settings = type(settings)(settings.model, 256, 256, settings.steps, settings.guidance)
    item = RenderItem(job_id="j", prompt="a red mug on a desk", seed=7, num_images=1, settings=settings)
    return engine.render([item])["j"][0].astype(np.float64)


def test_each_sample_clearly_changes_the_picture(made: Path, demo: ModelConfig) -> None:
    engine = Engine(demo, device="cpu")
    adapters = AdapterSet(engine.pipe)
    styles, _ = discover(made, "flux")
    assert adapters.load(styles) == []
    base = render(engine, adapters, None)
    difference = {name: float(np.abs(render(engine, adapters, name) - base).mean()) for name in NAMES}
    for name, floor in MIN_DIFFERENCE.items():
        assert difference[name] > floor, difference
    assert difference["sample-bold"] > difference["sample-soft"] + 5, difference
    assert np.array_equal(render(engine, adapters, None), base)  # the base model is untouched


def test_a_users_own_style_of_a_sample_name_is_kept(tmp_path: Path, demo: ModelConfig) -> None:
    styles = tmp_path / "styles"
    own = make_style(styles, "sample-bold", demo.path, seed=5, description="Our own bold look")
    adapter = (own / "pytorch_lora_weights.safetensors").read_bytes()
    # A style in another folder whose manifest takes the other name: two of one name would both be refused.
    make_style(styles, "mine", demo.path, seed=6)
    manifest = json.loads((styles / "mine" / "style.json").read_text())
    (styles / "mine" / "style.json").write_text(json.dumps({**manifest, "name": "sample-soft"}))

    assert samples.ensure_sample_styles(styles, demo) == []
    assert (own / "pytorch_lora_weights.safetensors").read_bytes() == adapter
    assert json.loads((own / "style.json").read_text())["description"] == "Our own bold look"
    assert sorted(p.name for p in styles.iterdir()) == ["mine", "sample-bold"]


def test_a_build_that_fails_leaves_no_style_behind(tmp_path: Path, demo: ModelConfig,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(directory: Path, *_: object) -> None:
        (directory / "style.json").write_text("{")  # half written, then the process dies
        raise OSError("disk full")

    monkeypatch.setattr(samples, "_write", broken)
    with pytest.raises(OSError, match="disk full"):
        samples.ensure_sample_styles(tmp_path / "styles", demo)
    assert [p.name for p in tmp_path.iterdir()] == ["styles"]
    assert list((tmp_path / "styles").iterdir()) == []


def test_the_command_makes_them_where_the_server_looks(tmp_path: Path, demo: ModelConfig,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAG_STYLES_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setattr(samples, "_write", lambda directory, sample, *_: (directory / "style.json").write_text(
        json.dumps({"name": sample.name, "family": "flux"})))
    samples.main([str(demo.path.parents[1])])
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == NAMES
