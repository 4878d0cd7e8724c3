"""Speed modes on the tiny pipelines: the same pixels as eager, no recompiles across style switches, a kept cache.

Compiling with inductor costs minutes of C++ on a shared CPU, so one test (SD3, one block class) uses
it; the others compile with the "aot_eager" backend (dynamo's tracing and AOT autograd, what decides
graph breaks and recompiles, without generating code) or a counting backend.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import numpy as np
import pytest
import torch

from loras.hotswap import HotswapAdapterSet
from loras.registry import discover
from models.demo import ensure_demo_model
from models.engine import Engine, RenderItem, RenderSettings
from models.speed import REPEATED_BLOCKS, accelerate, acceleration_of
from settings import Settings
from tests.lora_factory import make_style

# Compiled and eager kernels sum in other orders: at most this many levels of 255 apart.
PIXEL_TOLERANCE = 2
STYLES = ("acme", "globex", "initech")


class CountingBackend:
    """A torch.compile backend that counts the graphs it is given and runs them as traced."""

    def __init__(self) -> None:
        self.graphs = 0

    def __call__(self, gm: torch.fx.GraphModule, example_inputs: list) -> object:
        self.graphs += 1
        return gm.forward


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speed")


@pytest.fixture(autouse=True)
def fresh_dynamo():  # noqa: ANN201
    # Compiled code is cached per block class across tests; each test starts from none.
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


def engine_for(data_dir: Path, family: str) -> Engine:
    return Engine(ensure_demo_model(data_dir, family), device="cpu")


def render(engine: Engine, seed: int = 4, size: int = 256) -> np.ndarray:
    settings = RenderSettings(engine.config.name, size, size, 1, engine.config.guidance)
    return engine.render([RenderItem("a", "a blue fox logo", seed, 1, settings)])["a"][0].astype(int)


def test_lossless_inductor_renders_eager_pixels_and_a_second_compile_hits_the_kept_cache(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from torch._dynamo.utils import counters

    monkeypatch.delenv("TORCHINDUCTOR_CACHE_DIR", raising=False)  # accelerate sets it; restored after
    engine = engine_for(data_dir, "sd3")
    eager = render(engine)
    cache = tmp_path / "compile-cache"
    acceleration = accelerate(engine.pipe, "sd3", "lossless", "cpu", cache_dir=cache)
    assert acceleration.compiled_blocks == ("JointTransformerBlock",) and acceleration.fullgraph
    counters.clear()
    compiled = render(engine)
    assert np.abs(compiled - eager).max() <= PIXEL_TOLERANCE
    assert counters["inductor"]["fxgraph_cache_miss"] >= 1 and counters["inductor"]["fxgraph_cache_hit"] == 0
    assert any((cache / "fxgraph").rglob("*")), "inductor wrote its graphs elsewhere"
    # As after a restart: dynamo's in-memory code is gone, the directory stays.
    torch._dynamo.reset()
    counters.clear()
    again = render(engine)
    assert counters["inductor"]["fxgraph_cache_hit"] >= 1 and counters["inductor"]["fxgraph_cache_miss"] == 0
    assert np.array_equal(again, compiled)


@pytest.mark.parametrize("family", ["flux", "hidream"])
def test_lossless_compiles_whole_blocks_and_keeps_the_pixels(data_dir: Path, family: str) -> None:
    engine = engine_for(data_dir, family)
    eager = render(engine)
    acceleration = accelerate(engine.pipe, family, "lossless", "cpu", backend="aot_eager")
    # fullgraph: a graph break anywhere in a block would have raised. HiDream's comes from the
    # sync-free mixture of experts (models/moe.py); without it the expert routing breaks the graph.
    assert acceleration.fullgraph
    assert acceleration.compiled_count == 2 and acceleration.vae_channels_last
    if family == "hidream":
        assert acceleration.fused_moe_layers == 2
    assert np.abs(render(engine) - eager).max() <= PIXEL_TOLERANCE


@pytest.mark.parametrize("family", ["flux", "sd3"])
def test_switching_between_three_styles_never_recompiles(data_dir: Path, tmp_path: Path, family: str) -> None:
    demo = ensure_demo_model(data_dir, family).path
    for seed, name in enumerate(STYLES, 1):
        make_style(tmp_path, name, demo, seed=seed, family=family)
    engine = engine_for(data_dir, family)
    adapters = HotswapAdapterSet(engine.pipe)
    styles, refused = discover(tmp_path, family)
    assert adapters.load(styles) == [] and refused == []
    backend = CountingBackend()
    accelerate(engine.pipe, family, "lossless", "cpu", backend=backend)
    slot = {name: p for name, p in engine.pipe.transformer.named_parameters() if "lora_" in name}
    addresses = {name: p.data_ptr() for name, p in slot.items()}

    adapters.activate(STYLES[0], 1.0)
    first = render(engine, size=256)
    graphs = backend.graphs
    assert graphs == len(REPEATED_BLOCKS[family])  # one graph per block class, shared by its instances
    images = {}
    with torch._dynamo.config.patch(error_on_recompile=True):
        for name in (*STYLES[1:], None, STYLES[0]):
            adapters.activate(name, 1.0)
            images[name] = render(engine, size=256)
    assert backend.graphs == graphs
    assert np.array_equal(images[STYLES[0]], first)  # back to the first style: its image again
    assert len({image.tobytes() for image in images.values()}) == 4  # every style renders its own
    # Hotswapping copies into the slot's tensors: what CUDA graphs (BAG_CUDA_GRAPHS) rely on to
    # replay with the new style's weights without recording again.
    assert {name: p.data_ptr() for name, p in slot.items()} == addresses


def test_fast_mode_quantizes_before_compiling(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = engine_for(data_dir, "flux")
    seen = []

    def quantize_fp8(transformer: torch.nn.Module) -> int:
        block = transformer.transformer_blocks[0]
        seen.append(block._compiled_call_impl is None)  # not compiled yet
        return 7

    monkeypatch.setitem(sys.modules, "models.fp8", types.SimpleNamespace(quantize_fp8=quantize_fp8))
    acceleration = accelerate(engine.pipe, "flux", "fast", "cpu", backend="eager")
    assert seen == [True]
    assert acceleration.fp8_layers == 7 and acceleration.compiled
    assert engine.pipe.transformer.transformer_blocks[0]._compiled_call_impl is not None


def test_fast_mode_renders_close_to_eager_but_not_equal(data_dir: Path) -> None:
    engine = engine_for(data_dir, "flux")
    eager = render(engine)
    acceleration = accelerate(engine.pipe, "flux", "fast", "cpu", backend="aot_eager")
    assert acceleration.fp8_layers > 0 and acceleration.fullgraph
    fast = render(engine)
    mse = ((fast - eager) ** 2).mean()
    # Lossy: fp8 weights and activations change the image a little (the tiny FLUX measured ~60 dB).
    assert 0 < mse and 10 * np.log10(255**2 / mse) >= 40


def test_hidream_without_the_sync_free_moe_compiles_with_graph_breaks(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_for(data_dir, "hidream")
    monkeypatch.setitem(sys.modules, "models.moe", None)  # as before models/moe.py existed: ImportError
    acceleration = accelerate(engine.pipe, "hidream", "lossless", "cpu", backend="eager")
    assert not acceleration.fullgraph and acceleration.fused_moe_layers == 0
    assert "graph breaks" in str(acceleration)


def test_a_transformer_streamed_from_the_host_compiles_with_graph_breaks_allowed(data_dir: Path) -> None:
    from models import placement

    engine = engine_for(data_dir, "flux")
    # As memory mode small_gpu leaves it when the transformer does not fit the card.
    plan = placement.SmallGpuPlan(fp8=("transformer",), resident=(), streamed=("transformer",), resident_bytes=0)
    setattr(engine.pipe, placement._PLAN_ATTRIBUTE, plan)
    acceleration = accelerate(engine.pipe, "flux", "lossless", "cpu", backend="eager")
    assert acceleration.compiled and not acceleration.fullgraph
    assert "streamed from the host" in str(acceleration)


def test_off_changes_nothing_and_is_recorded(data_dir: Path) -> None:
    engine = engine_for(data_dir, "flux")
    acceleration = accelerate(engine.pipe, "flux", "off", "cpu")
    assert not acceleration.compiled and not acceleration.vae_channels_last
    assert engine.pipe.transformer.transformer_blocks[0]._compiled_call_impl is None
    assert acceleration_of(engine.pipe) is acceleration
    with pytest.raises(ValueError, match="already accelerated"):
        accelerate(engine.pipe, "flux", "lossless", "cpu")


def test_on_a_gpu_sd3_calls_exact_attention_kernels_and_keeps_the_pixels(data_dir: Path) -> None:
    engine = engine_for(data_dir, "sd3")
    eager = render(engine)
    # Set up as for a GPU (compiling is lazy and kernels are picked by name), rendered on this CPU: the
    # engine calls the pipeline inside the kernel choice, and its flash or math kernel computes the
    # same attention.
    acceleration = accelerate(engine.pipe, "sd3", "lossless", "cuda", backend="eager", cuda_graphs=True)
    assert acceleration.sdpa_kernels[0] == "CUDNN_ATTENTION"
    assert set(acceleration.sdpa_kernels) <= {"CUDNN_ATTENTION", "FLASH_ATTENTION", "EFFICIENT_ATTENTION", "MATH"}
    assert acceleration.cuda_graphs is False and "CUDA graphs asked for but not applied" in str(acceleration)
    assert np.abs(render(engine) - eager).max() <= PIXEL_TOLERANCE


def test_on_a_gpu_flux_attention_goes_to_cudnn(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from diffusers.models.attention_dispatch import AttentionBackendName, _AttentionBackendRegistry

    engine = engine_for(data_dir, "flux")
    # A Hopper card as torch would report it; nothing runs on it (compiling is lazy).
    monkeypatch.setattr(torch.backends.cudnn, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda *args: (9, 0))
    default = _AttentionBackendRegistry.get_active_backend()[0]
    acceleration = accelerate(engine.pipe, "flux", "lossless", "cuda", backend="eager")
    assert acceleration.attention_backend == "_native_cudnn"
    block = engine.pipe.transformer.transformer_blocks[0]
    assert block.attn.processor._attention_backend == AttentionBackendName._NATIVE_CUDNN
    # Only this model's: other FLUX models in the process keep diffusers' default.
    assert _AttentionBackendRegistry.get_active_backend()[0] == default


@pytest.mark.parametrize(
    ("device", "memory_mode", "asked", "resolved"),
    [
        ("cuda", "gpu", "auto", "lossless"),
        ("cpu", "gpu", "auto", "off"),
        ("cuda", "group_offload", "auto", "off"),
        ("cpu", "gpu", "fast", "fast"),
    ],
)
def test_speed_mode_setting_resolves_by_device(device: str, memory_mode: str, asked: str, resolved: str) -> None:
    settings = Settings(_env_file=None, speed_mode=asked, memory_mode=memory_mode)
    assert settings.resolved_speed_mode(device) == resolved


def test_runner_in_lossless_mode_warms_up_its_compiled_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from runner.loading import load_models

    monkeypatch.delenv("TORCHINDUCTOR_CACHE_DIR", raising=False)
    settings = Settings(_env_file=None, data_dir=tmp_path, speed_mode="lossless", compile_backend="eager")
    (model,) = load_models(settings, "cpu").values()
    acceleration = model.acceleration
    assert acceleration.compiled and acceleration.compile_seconds > 0
    assert acceleration.cache_dir == (tmp_path / "compile-cache").resolve()
    assert isinstance(model.adapters, HotswapAdapterSet)
    # The warm-up saw one and two images at the default size: a user's job of another number of
    # images at that size runs on what it compiled.
    engine = model.engine
    settings = RenderSettings(**{**vars(engine.default_settings()), "steps": 1})
    with torch._dynamo.config.patch(error_on_recompile=True):
        images = engine.render([RenderItem("j", "a mug", 1, 3, settings)])["j"]
    assert len(images) == 3
