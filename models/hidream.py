"""HiDream-I1 (Full, Dev, Fast): load a local diffusers-format directory, or build a tiny one.

HiDream renders about a megapixel whatever size is asked, keeping only the aspect ratio; `render_size`
says which size comes back. Self-contained like each family module, and imports torch, diffusers and
transformers inside the functions, as `models/flux.py` does.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.family import ModelFamily, Preset, load_local_pipeline, read_model_json, rows
from models.tiny import TINY_LATENT_CHANNELS, TINY_TEXT_WIDTH, tiny_t5, tiny_vae

if TYPE_CHECKING:
    import torch
    from diffusers import HiDreamImagePipeline

PIPELINE_CLASS = "HiDreamImagePipeline"

# The pipeline's own default: 128 tokens for T5 and Llama, and for both CLIPs (which read up to 218).
MAX_SEQUENCE_LENGTH = 128

PRESETS = {
    # Full is the undistilled model: classifier-free guidance and many steps, flow shift 3.0.
    "full": Preset(steps=50, guidance=5.0, max_sequence_length=MAX_SEQUENCE_LENGTH),
    # Dev and Fast are guidance-distilled (guidance 0 runs one transformer pass a step).
    "dev": Preset(steps=28, guidance=0.0, max_sequence_length=MAX_SEQUENCE_LENGTH),
    "fast": Preset(steps=16, guidance=0.0, max_sequence_length=MAX_SEQUENCE_LENGTH),
    # The tiny build: noise whatever the settings, so few steps; Full's guidance keeps the
    # classifier-free guidance path (two transformer passes) under test.
    "demo": Preset(steps=4, guidance=5.0, max_sequence_length=MAX_SEQUENCE_LENGTH),
}

# Dev is the only variant published with a flow shift of 6.0; Full and Fast both use 3.0, Full with
# a UniPC multistep solver and Fast with a flow-matching Euler one.
DEV_SHIFT = 6.0

# What the pipeline renders: (default_sample_size 128 latents x VAE 8x)^2 pixels in area, each side a
# multiple of the VAE's 8x times the 2x2 patch. Real and tiny builds share both numbers.
RENDER_AREA = (128 * 8) ** 2
RENDER_MULTIPLE = 16

# Real structure at tiny widths: 16 latent channels, 2x2 patches, a 4-block VAE (8x downscale), two
# CLIPs with projections, T5 and Llama. The transformer pads non-square images to its maximum
# sequence, so max_resolution must hold the ~1 MP latent grid, 128x128 latents, as the real one's does.
TINY_LLAMA_WIDTH = 16
TINY_LLAMA_LAYERS = 2
# The pipeline pads CLIP input to 128 tokens; 248 positions is the real HiDream CLIPs' size.
TINY_CLIP_POSITIONS = 248


def render_size(width: int, height: int) -> tuple[int, int]:
    """The (width, height) HiDream renders when asked for this size: ~1 MP at the asked aspect ratio.

    The same arithmetic as HiDreamImagePipeline.__call__, so the engine can say what comes back.
    """
    scale = math.sqrt(RENDER_AREA / (width * height))
    return (
        int(width * scale // RENDER_MULTIPLE * RENDER_MULTIPLE),
        int(height * scale // RENDER_MULTIPLE * RENDER_MULTIPLE),
    )


def load(
    path: Path, device: str, dtype: torch.dtype | None = None, quantization: Any = None
) -> HiDreamImagePipeline:
    """Load a HiDream pipeline from a local directory (never the Hub) onto `device`, ready to infer.

    Llama must sit in the directory's `text_encoder_4/` and `tokenizer_4/`. The published HiDream
    directories leave it out of model_index.json (it is a separate download); it is then loaded from
    those subfolders and passed in.
    """
    from diffusers import HiDreamImagePipeline

    path = Path(path)
    return load_local_pipeline(HiDreamImagePipeline, path, device, dtype, quantization,
                               lambda index, dtype: _llama_components(path, index, dtype))



def encode(pipe: HiDreamImagePipeline, prompts: list[str], index: list[int], guidance: float,
           max_sequence_length: int) -> dict[str, Any]:
    """The four encoders once per distinct prompt; the call's embedding arguments, one row per image.

    Llama's states are stacked per layer, (layers, batch, tokens, width): their batch is dimension 1.
    With guidance above 1 (Full) the empty negative prompt's embeddings go in too.
    """
    cfg = guidance > 1
    t5, negative_t5, llama, negative_llama, pooled, negative_pooled = pipe.encode_prompt(
        prompt=prompts, do_classifier_free_guidance=cfg, max_sequence_length=max_sequence_length)
    arguments = {"prompt_embeds_t5": rows(t5, index), "prompt_embeds_llama3": rows(llama, index, dim=1),
                 "pooled_prompt_embeds": rows(pooled, index)}
    if cfg:
        arguments |= {"negative_prompt_embeds_t5": rows(negative_t5, index),
                      "negative_prompt_embeds_llama3": rows(negative_llama, index, dim=1),
                      "negative_pooled_prompt_embeds": rows(negative_pooled, index)}
    return arguments


def _llama_components(path: Path, index: dict, dtype: torch.dtype) -> dict:
    """Llama and its tokenizer to pass in explicitly, when model_index.json does not name them."""

    def named(key: str) -> bool:
        entry = index.get(key)
        return isinstance(entry, list) and entry[0] is not None

    if named("text_encoder_4") and named("tokenizer_4"):
        return {}
    for folder in ("text_encoder_4", "tokenizer_4"):
        if not (path / folder).is_dir():
            raise FileNotFoundError(
                f"{path} has no {folder}/: HiDream needs Llama-3.1-8B-Instruct's weights in text_encoder_4/ "
                "and its tokenizer in tokenizer_4/"
            )
    from transformers import LlamaForCausalLM, PreTrainedTokenizerFast

    return {
        "text_encoder_4": LlamaForCausalLM.from_pretrained(path / "text_encoder_4", dtype=dtype, local_files_only=True),
        "tokenizer_4": PreTrainedTokenizerFast.from_pretrained(path / "tokenizer_4", local_files_only=True),
    }


def detect_preset(path: Path) -> str:
    """full, dev or fast, read from the scheduler's config (the three share one transformer config).

    A shift of 6.0 is Dev; otherwise a UniPC multistep scheduler is Full and any other (the
    flow-matching Euler one) is Fast. The shift is `shift` on FlowMatchEuler and `flow_shift` on UniPC.
    """
    config = read_model_json(path, "scheduler/scheduler_config.json")
    shift = config.get("shift", config.get("flow_shift"))
    if shift == DEV_SHIFT:
        return "dev"
    return "full" if "UniPC" in config.get("_class_name", "") else "fast"


def build_tiny(path: Path) -> None:
    """Write a tiny random-weight HiDream pipeline to `path` in diffusers format (safetensors)."""
    import torch

    # Seeded for the same weights every build; forked so the caller's random state is left alone.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        pipe = _tiny_pipeline()
    pipe.save_pretrained(path, safe_serialization=True)


def _tiny_pipeline() -> HiDreamImagePipeline:
    from diffusers import (
        FlowMatchEulerDiscreteScheduler,
        HiDreamImagePipeline,
        HiDreamImageTransformer2DModel,
    )
    from transformers import (
        CLIPTextConfig,
        CLIPTextModelWithProjection,
        LlamaConfig,
        LlamaForCausalLM,
    )

    from models.tokenizers import build_clip_tokenizer, build_llama_tokenizer, build_t5_tokenizer

    tokenizer = build_clip_tokenizer(model_max_length=TINY_CLIP_POSITIONS)
    tokenizer_2 = build_clip_tokenizer(model_max_length=TINY_CLIP_POSITIONS)
    tokenizer_3 = build_t5_tokenizer(model_max_length=MAX_SEQUENCE_LENGTH)
    tokenizer_4 = build_llama_tokenizer()
    transformer = HiDreamImageTransformer2DModel(
        patch_size=2,
        in_channels=TINY_LATENT_CHANNELS,
        out_channels=TINY_LATENT_CHANNELS,
        num_layers=1,
        num_single_layers=1,
        # Two wide heads rather than four narrow ones: on a CPU, attention over the ~4,500 tokens of a
        # megapixel image costs per head, and this is most of the tiny model's time.
        attention_head_dim=16,
        num_attention_heads=2,
        caption_channels=[TINY_TEXT_WIDTH, TINY_LLAMA_WIDTH],  # T5's width, then Llama's
        text_emb_dim=2 * TINY_TEXT_WIDTH,  # both CLIPs' pooled projections, concatenated
        num_routed_experts=4,
        num_activated_experts=2,
        axes_dims_rope=(4, 6, 6),  # must sum to attention_head_dim
        max_resolution=(128, 128),
        # One Llama layer's states per transformer block (double then single), as the real one's list.
        llama_layers=tuple(range(TINY_LLAMA_LAYERS)),
    )
    text_encoder, text_encoder_2 = (
        CLIPTextModelWithProjection(
            CLIPTextConfig(
                vocab_size=len(tokenizer),
                hidden_size=TINY_TEXT_WIDTH,
                intermediate_size=37,
                num_hidden_layers=2,
                num_attention_heads=4,
                max_position_embeddings=TINY_CLIP_POSITIONS,
                projection_dim=TINY_TEXT_WIDTH,
                hidden_act=act,
                # Pooled at the first end-of-text token, as the real CLIPs do.
                bos_token_id=tokenizer.bos_token_id,
                eos_token_id=tokenizer.eos_token_id,
                pad_token_id=tokenizer.pad_token_id,
            )
        )
        for act in ("quick_gelu", "gelu")  # CLIP-L's and CLIP-bigG's activations
    )
    text_encoder_3 = tiny_t5(tokenizer_3)
    text_encoder_4 = LlamaForCausalLM(
        LlamaConfig(
            vocab_size=len(tokenizer_4),
            hidden_size=TINY_LLAMA_WIDTH,
            intermediate_size=37,
            num_hidden_layers=TINY_LLAMA_LAYERS,
            num_attention_heads=4,
            num_key_value_heads=2,
            rms_norm_eps=1e-5,
            bos_token_id=tokenizer_4.bos_token_id,
            eos_token_id=tokenizer_4.eos_token_id,
            pad_token_id=tokenizer_4.pad_token_id,
        )
    )
    vae = tiny_vae(scaling_factor=0.3611, shift_factor=0.1159)
    # Fast's scheduler (a flow-matching Euler solver, fixed shift 3.0): one model evaluation a step.
    scheduler = FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=3.0)
    return HiDreamImagePipeline(
        scheduler=scheduler,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        text_encoder_2=text_encoder_2,
        tokenizer_2=tokenizer_2,
        text_encoder_3=text_encoder_3,
        tokenizer_3=tokenizer_3,
        text_encoder_4=text_encoder_4,
        tokenizer_4=tokenizer_4,
        transformer=transformer,
    )


HIDREAM = ModelFamily(
    name="hidream",
    pipeline_class=PIPELINE_CLASS,
    presets=PRESETS,
    detect_preset=detect_preset,
    load=load,
    build_tiny=build_tiny,
    # The VAE downscales 8x and the transformer patches 2x2 latents.
    size_multiple=16,
    # The large text encoders: T5-XXL and Llama-3.1-8B.
    quantize_components=("transformer", "text_encoder_3", "text_encoder_4"),
    render_size=render_size,
    encode=encode,
)
