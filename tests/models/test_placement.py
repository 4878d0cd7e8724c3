"""Memory modes: where they can run, and that fp8 storage keeps brand styles working (pitfall 3)."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import pytest

from runner.schemas import RenderRequest
from runner.worker import RunnerCore
from settings import Settings
from tests.lora_factory import make_style


@pytest.mark.parametrize("mode", ["model_offload", "group_offload", "small_gpu"])
def test_offload_modes_need_a_gpu(tmp_path: Path, mode: str) -> None:
    with pytest.raises(ValueError, match="no GPU"):
        RunnerCore(Settings(_env_file=None, data_dir=tmp_path, memory_mode=mode))


def test_unknown_memory_mode_is_refused_by_the_settings() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(_env_file=None, memory_mode="tpu")


def test_fp8_storage_renders_close_to_full_precision_with_styles(tmp_path: Path) -> None:
    from models.demo import ensure_demo_model

    demo = ensure_demo_model(tmp_path).path
    make_style(tmp_path / "styles", "acme", demo, seed=1)
    job = RenderRequest(job_id="j", prompt="a mug", seed=3, num_images=1, model="demo-flux", width=256,
                        height=256, steps=2, guidance=3.5, style="acme", style_weight=1.0)
    full = RunnerCore(Settings(_env_file=None, data_dir=tmp_path)).render([job])[0]
    fp8 = RunnerCore(Settings(_env_file=None, data_dir=tmp_path, memory_mode="fp8_layerwise")).render([job])[0]
    assert fp8.error is None, fp8.error
    a = np.frombuffer(base64.b64decode(full.images[0]), np.uint8).astype(int)
    b = np.frombuffer(base64.b64decode(fp8.images[0]), np.uint8).astype(int)
    assert np.abs(a - b).mean() < 20  # the same picture, at fp8's precision
    assert np.abs(a - b).max() > 0  # and fp8 really is on


@pytest.mark.parametrize("mode", ["bnb_4bit", "bnb_8bit"])
def test_quantized_modes_say_what_they_need(tmp_path: Path, mode: str) -> None:
    from models.placement import quantization_config

    with pytest.raises(ValueError, match="GPU"):
        RunnerCore(Settings(_env_file=None, data_dir=tmp_path, memory_mode=mode))
    # On a GPU machine without the package, the refusal names it.
    import importlib.util

    if importlib.util.find_spec("bitsandbytes") is None:
        with pytest.raises(ValueError, match="pip install bitsandbytes"):
            quantization_config(mode, "cuda", ("transformer",))


def test_every_family_names_its_large_components() -> None:
    from models import get_family

    assert get_family("flux").quantize_components == ("transformer", "text_encoder_2")
    assert get_family("sd3").quantize_components == ("transformer", "text_encoder_3")
    assert get_family("hidream").quantize_components == ("transformer", "text_encoder_3", "text_encoder_4")


def test_small_gpu_weights_start_on_the_host() -> None:
    from models.placement import load_device

    assert load_device("small_gpu", "cuda") == "cpu"
    assert load_device("gpu", "cuda") == "cuda"


def test_weight_bytes_counts_fp8_layers_at_a_byte_a_weight() -> None:
    import torch

    from models.placement import weight_bytes

    model = torch.nn.ModuleDict({"x_embedder": torch.nn.Linear(16, 64), "ff": torch.nn.Linear(64, 32)}).bfloat16()
    full = (16 * 64 + 64 + 64 * 32 + 32) * 2
    assert weight_bytes(model) == full
    # ff's weight to one byte each plus a 4-byte scale per output row; the embedder stays bf16
    assert weight_bytes(model, fp8=True) == full - 64 * 32 + 4 * 32


class Components:
    """Just what plan_small_gpu reads of a pipeline."""

    def __init__(self, **components: object) -> None:
        self.components = components


def real_size(family: str) -> Components:
    """The family's real-size components on the meta device (shapes, no memory), in bf16."""
    import torch
    from diffusers import (
        AutoencoderKL,
        FluxTransformer2DModel,
        HiDreamImageTransformer2DModel,
        SD3Transformer2DModel,
    )
    from transformers import (
        CLIPTextConfig,
        CLIPTextModelWithProjection,
        LlamaConfig,
        LlamaForCausalLM,
        T5Config,
        T5EncoderModel,
    )

    def clip(hidden: int, inter: int, layers: int, heads: int) -> torch.nn.Module:
        return CLIPTextModelWithProjection(CLIPTextConfig(vocab_size=49408, hidden_size=hidden, intermediate_size=inter,
                                                          num_hidden_layers=layers, num_attention_heads=heads,
                                                          projection_dim=hidden))

    torch.set_default_dtype(torch.bfloat16)
    try:
        with torch.device("meta"):
            t5 = T5EncoderModel(T5Config(vocab_size=32128, d_model=4096, d_kv=64, d_ff=10240, num_layers=24,
                                         num_heads=64, feed_forward_proj="gated-gelu"))
            vae = AutoencoderKL(block_out_channels=[128, 256, 512, 512], down_block_types=["DownEncoderBlock2D"] * 4,
                                up_block_types=["UpDecoderBlock2D"] * 4, latent_channels=16, layers_per_block=2)
            clip_l, clip_g = clip(768, 3072, 12, 12), clip(1280, 5120, 32, 20)
            if family == "flux":
                return Components(vae=vae, text_encoder=clip_l, text_encoder_2=t5, transformer=FluxTransformer2DModel(
                    attention_head_dim=128, guidance_embeds=True, in_channels=64, joint_attention_dim=4096,
                    num_attention_heads=24, num_layers=19, num_single_layers=38, pooled_projection_dim=768,
                    axes_dims_rope=[16, 56, 56]))
            if family == "sd3":
                return Components(vae=vae, text_encoder=clip_l, text_encoder_2=clip_g, text_encoder_3=t5,
                                  transformer=SD3Transformer2DModel(
                    attention_head_dim=64, caption_projection_dim=2432, in_channels=16, joint_attention_dim=4096,
                    num_attention_heads=38, num_layers=38, out_channels=16, patch_size=2, pooled_projection_dim=2048,
                    pos_embed_max_size=192, qk_norm="rms_norm", sample_size=128))
            llama = LlamaForCausalLM(LlamaConfig(vocab_size=128256, hidden_size=4096, intermediate_size=14336,
                                                 num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=8))
            return Components(vae=vae, text_encoder=clip_l, text_encoder_2=clip_g, text_encoder_3=t5,
                              text_encoder_4=llama, transformer=HiDreamImageTransformer2DModel(
                attention_head_dim=128, axes_dims_rope=[64, 32, 32], caption_channels=[4096, 4096],
                max_resolution=[128, 128], in_channels=16, llama_layers=list(range(32)) + [31] * 16,
                num_attention_heads=20, num_routed_experts=4, num_activated_experts=2, num_layers=16,
                num_single_layers=32, out_channels=16, patch_size=2, text_emb_dim=2048))
    finally:
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize(
    ("family", "streamed", "resident_gib"),
    [
        # The module docstring's arithmetic, from the real configurations.
        ("flux", ("text_encoder_2",), 11.5),  # fp8 transformer resident, T5 streamed
        ("sd3", ("text_encoder_3",), 9.6),
        ("hidream", ("transformer", "text_encoder_4"), 10.6),  # 16.0 GiB in fp8 cannot stay resident
    ],
)
def test_the_16gb_plan_for_each_real_size_family(family: str, streamed: tuple[str, ...], resident_gib: float) -> None:
    from models.placement import GIB, SMALL_GPU_CAP, SMALL_GPU_RESERVE, plan_small_gpu

    plan = plan_small_gpu(real_size(family))
    assert plan.fp8 == ("transformer",)
    assert set(plan.streamed) == set(streamed)
    assert "vae" in plan.resident
    assert plan.resident_bytes <= SMALL_GPU_CAP - SMALL_GPU_RESERVE
    assert plan.resident_bytes / GIB == pytest.approx(resident_gib, abs=0.1)


def test_block_path_leads_group_offload_to_each_encoders_layers(tmp_path: Path) -> None:
    from models.demo import ensure_demo_model
    from models.placement import block_path
    from tests.lora_factory import load_pipe

    pipe = load_pipe(ensure_demo_model(tmp_path).path)
    assert block_path(pipe.text_encoder_2) == ["encoder"]  # T5: encoder.block
    clip = pipe.text_encoder
    for name in block_path(clip):  # CLIP: down to encoder.layers, however transformers nests it
        clip = getattr(clip, name)
    assert len(clip.layers) == pipe.text_encoder.config.num_hidden_layers
    assert block_path(pipe.transformer) == []  # diffusers' transformers keep their blocks at the top


def small_gpu_render(pipe, style: str | None = None) -> np.ndarray:  # noqa: ANN001
    import torch

    out = pipe(prompt=["a mug"], width=256, height=256, num_inference_steps=2, guidance_scale=3.5,
               generator=[torch.Generator().manual_seed(4)], output_type="np", max_sequence_length=32)
    return out.images[0]


@pytest.mark.parametrize("stream_transformer", [False, True])
def test_small_gpu_steps_keep_the_fp8_image_and_the_styles(tmp_path: Path, stream_transformer: bool) -> None:
    """The mode's steps on the host: streaming is exact, so the image is the fp8 one, style included."""
    import torch

    from loras.hotswap import HotswapAdapterSet
    from loras.registry import discover
    from models import get_family
    from models.demo import ensure_demo_model
    from models.fp8 import quantize_fp8
    from models.placement import place_small_gpu, plan_small_gpu, streamed_components, weight_bytes

    demo = ensure_demo_model(tmp_path).path
    make_style(tmp_path / "styles", "acme", demo, seed=1)
    styles, _ = discover(tmp_path / "styles", "flux")

    def styled_pipe():  # noqa: ANN202
        pipe = get_family("flux").load(demo, "cpu", torch.bfloat16)
        adapters = HotswapAdapterSet(pipe)
        assert adapters.load(styles) == []
        return pipe, adapters

    reference, reference_styles = styled_pipe()
    quantize_fp8(reference.transformer)
    pipe, pipe_styles = styled_pipe()
    # A budget scaled to the tiny model: the text encoders streamed (and the transformer, when asked),
    # as 16 GiB does for T5 and HiDream's transformer at real size.
    budget = 0 if stream_transformer else weight_bytes(pipe.transformer, fp8=True)
    plan = plan_small_gpu(pipe, budget=budget)
    assert {"text_encoder", "text_encoder_2"} <= set(plan.streamed)
    assert ("transformer" in plan.streamed) == stream_transformer
    place_small_gpu(pipe, "cpu", plan=plan, use_stream=False)
    assert pipe.transformer.transformer_blocks[0].attn.to_q.base_layer.weight.dtype == torch.float8_e4m3fn
    assert pipe.transformer.transformer_blocks[0].attn.to_q.lora_A["brand"].weight.dtype == torch.bfloat16
    for name in plan.streamed:  # diffusers' group-offload hooks are on what streams
        assert hasattr(getattr(pipe, name), "_diffusers_hook"), name
    assert streamed_components(pipe) == plan.streamed and streamed_components(reference) == ()
    with torch.inference_mode():
        plain = small_gpu_render(pipe)
        assert np.array_equal(plain, small_gpu_render(reference))
        # A style switched in after placement, as the runner does per job
        pipe_styles.activate("acme", 1.0)
        reference_styles.activate("acme", 1.0)
        styled = small_gpu_render(pipe)
        assert np.abs(styled - plain).max() > 0.01
        assert np.array_equal(styled, small_gpu_render(reference))


def test_small_gpu_with_a_streamed_hidream_transformer_compiles_and_keeps_the_picture(tmp_path: Path) -> None:
    """HiDream's case (its transformer streams): the lossless speed mode compiles its blocks over the hooks."""
    import torch

    from models import get_family
    from models.fp8 import quantize_fp8
    from models.placement import place_small_gpu, plan_small_gpu
    from models.speed import accelerate

    get_family("hidream").build_tiny(tmp_path / "h")
    reference = get_family("hidream").load(tmp_path / "h", "cpu", torch.bfloat16)
    quantize_fp8(reference.transformer)
    pipe = get_family("hidream").load(tmp_path / "h", "cpu", torch.bfloat16)
    place_small_gpu(pipe, "cpu", plan=plan_small_gpu(pipe, budget=0), use_stream=False)
    torch._dynamo.reset()
    torch._dynamo.utils.counters.clear()
    acceleration = accelerate(pipe, "hidream", "lossless", "cpu", backend="aot_eager")
    # Graph breaks are allowed around the offload hooks (models/speed.py's choice); the MoE is still fused.
    assert acceleration.compiled_count == 2 and acceleration.fused_moe_layers == 2

    def render(p) -> np.ndarray:  # noqa: ANN001
        return p(prompt="a mug", width=256, height=256, num_inference_steps=1, guidance_scale=0.0,
                 generator=torch.Generator().manual_seed(0), output_type="np").images[0]

    with torch.inference_mode():
        difference = np.abs(render(pipe) - render(reference))
    assert torch._dynamo.utils.counters["stats"]["unique_graphs"] >= 2  # the blocks really ran compiled
    # Not bit-equal: the fused MoE's fp8 experts and compiled bf16 blocks round differently from the
    # reference's eager fp8 layers; the same picture within a few bf16 steps.
    assert difference.mean() < 0.004 and difference.max() < 0.1, (difference.mean(), difference.max())
