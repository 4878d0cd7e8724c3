from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import torch

import models.demo as demo
from models.family import ModelConfig, get_family


def test_demo_model_is_built_in_diffusers_format(demo_config: ModelConfig, demo_dir: Path) -> None:
    assert demo_dir.name == "demo-flux" and demo_dir.parent.name == "models"
    index = json.loads((demo_dir / "model_index.json").read_text())
    assert index["_class_name"] == "FluxPipeline"
    assert sorted(p.name for p in demo_dir.glob("*/*.safetensors"))
    assert not list(demo_dir.rglob("*.bin"))
    # Nothing of the temporary build directory is left beside it.
    assert [p.name for p in demo_dir.parent.iterdir()] == ["demo-flux"]


def test_demo_config_uses_the_demo_preset(demo_config: ModelConfig, demo_dir: Path) -> None:
    assert demo_config == ModelConfig(
        name="demo-flux",
        family="flux",
        path=demo_dir,
        steps=4,
        guidance=3.5,
        width=1024,
        height=1024,
        max_sequence_length=128,
        is_demo=True,
    )


def test_demo_architecture_matches_real_flux_structure(engine) -> None:  # noqa: ANN001
    pipe = engine.pipe
    assert pipe.vae_scale_factor == 8
    assert pipe.vae.config.latent_channels == 16
    assert pipe.transformer.config.in_channels == 64
    assert pipe.transformer.config.guidance_embeds
    assert sum(pipe.transformer.config.axes_dims_rope) == pipe.transformer.config.attention_head_dim


def test_loaded_components_are_all_in_eval_mode(engine) -> None:  # noqa: ANN001
    modules = [c for c in engine.pipe.components.values() if isinstance(c, torch.nn.Module)]
    assert len(modules) == 4
    assert all(not m.training for module in modules for m in module.modules())


def test_existing_demo_model_is_reused_not_rebuilt(demo_config: ModelConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "get_family", lambda name: _family_with_build(_fail_build))
    assert demo.ensure_demo_model(demo_config.path.parent.parent) == demo_config


def test_failed_build_leaves_no_model_and_no_temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_build(path: Path) -> None:
        (path / "model_index.json").write_text("{}")
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "get_family", lambda name: _family_with_build(half_build))
    with pytest.raises(RuntimeError, match="disk full"):
        demo.ensure_demo_model(tmp_path)
    assert list((tmp_path / "models").iterdir()) == []


def test_command_line_builds_the_demo_and_prints_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(demo, "get_family", lambda name: _family_with_build(_fake_build))
    demo.main([str(tmp_path)])
    target = tmp_path / "models" / "demo-flux"
    assert capsys.readouterr().out.strip() == str(target)
    assert (target / "model_index.json").is_file()


def test_build_that_lost_a_race_uses_the_winners_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "models" / "demo-flux"

    def build_while_another_process_finishes(path: Path) -> None:
        _fake_build(path)
        target.mkdir(parents=True)
        (target / "model_index.json").write_text('{"winner": true}')

    monkeypatch.setattr(demo, "get_family", lambda name: _family_with_build(build_while_another_process_finishes))
    assert demo.ensure_demo_model(tmp_path).path == target
    assert json.loads((target / "model_index.json").read_text()) == {"winner": True}
    assert [p.name for p in target.parent.iterdir()] == ["demo-flux"]


def _family_with_build(build):  # noqa: ANN001, ANN202
    return dataclasses.replace(get_family("flux"), build_tiny=build)


def _fail_build(path: Path) -> None:
    raise AssertionError("the demo model was rebuilt")


def _fake_build(path: Path) -> None:
    (path / "model_index.json").write_text('{"_class_name": "FluxPipeline"}')
