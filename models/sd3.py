"""Stable Diffusion 3.5 (Large, Medium): load a local diffusers-format directory, or build a tiny one.

Self-contained like each family module (diffusers' one-file-per-model rule): the few lines it shares
with `models/flux.py` are repeated rather than shared, so one family can change without the others.
torch, diffusers and transformers are imported inside the functions, as in `models/flux.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.family import ModelFamily, Preset, load_local_pipeline, read_model_json, rows
from models.tiny import TINY_LATENT_CHANNELS, TINY_TEXT_WIDTH, tiny_t5, tiny_vae

if TYPE_CHECKING:
    import torch
    from diffusers import StableDiffusion3Pipeline

PIPELINE_CLASS = "StableDiffusion3Pipeline"

PRESETS = {
    # Stability recommends 28-40 steps and guidance 3.5-4.5 for Large; 4.0 is the middle of that range
    # (the model card's example uses 3.5, its prompting guide goes to 4.5 for stronger prompt adherence,
    # which brand prompts with exact colours and type want). Never the pipeline's default 7.0, which
    # was tuned for SD3-medium and burns SD3.5 images.
    "large": Preset(steps=28, guidance=4.0, max_sequence_length=256),
    # As published on the SD3.5 Medium model card.
    "medium": Preset(steps=40, guidance=4.5, max_sequence_length=256),
    # The tiny build: noise whatever the settings, so few steps; guidance above 1 keeps the
    # classifier-free guidance path (two transformer passes) that real presets take.
    "demo": Preset(steps=4, guidance=4.0, max_sequence_length=128),
}
# max_sequence_length: 256 T5 tokens is the pipeline's default and what SD3.5 was published with; 512
# is accepted and helps only very long prompts, at the cost of a longer joint attention sequence.

# SD3.5 Large is the only 38-layer SD3 transformer without MMDiT-X dual attention.
LARGE_NUM_LAYERS = 38

# Real structure at tiny widths: 16 latent channels, 2x2 patches, a 4-block VAE (8x downscale),
# CLIP-L and CLIP-G with projections, T5. The positional table must cover the largest latent grid:
# 2048 px / 8 (VAE) / 2 (patch) = 128 patches a side.
# The pipeline zero-pads the two CLIPs' concatenated states up to T5's width, so T5 must be the wider.
TINY_T5_WIDTH = 2 * TINY_TEXT_WIDTH
TINY_POS_EMBED_MAX_SIZE = 128


def load(
    path: Path, device: str, dtype: torch.dtype | None = None, quantization: Any = None
) -> StableDiffusion3Pipeline:
    """Load an SD3 pipeline from a local directory (never the Hub) onto `device`, ready to infer."""
    from diffusers import StableDiffusion3Pipeline

    return load_local_pipeline(StableDiffusion3Pipeline, path, device, dtype, quantization)


def encode(pipe: StableDiffusion3Pipeline, prompts: list[str], index: list[int], guidance: float,
           max_sequence_length: int) -> dict[str, Any]:
    """Both CLIPs and T5 once per distinct prompt; the call's embedding arguments, one row per image.

    With classifier-free guidance (guidance above 1, as the pipeline decides) the empty negative
    prompt's embeddings go in too, or the pipeline would encode it again for every image.
    """
    cfg = guidance > 1
    embeds, negative, pooled, negative_pooled = pipe.encode_prompt(
        prompt=prompts, prompt_2=None, prompt_3=None, do_classifier_free_guidance=cfg,
        max_sequence_length=max_sequence_length,
    )
    arguments = {"prompt_embeds": rows(embeds, index), "pooled_prompt_embeds": rows(pooled, index)}
    if cfg:
        arguments |= {"negative_prompt_embeds": rows(negative, index),
                      "negative_pooled_prompt_embeds": rows(negative_pooled, index)}
    return arguments


def detect_preset(path: Path) -> str:
    """large or medium, read from the transformer's config.

    SD3.5 Medium is the MMDiT-X variant (`dual_attention_layers` set, 24 layers); Large has 38 plain
    layers. Anything else (SD3.0 medium, the tiny build) is nearer Medium's size and gets its preset.
    """
    config = read_model_json(path, "transformer/config.json")
    dual_attention = bool(config.get("dual_attention_layers"))
    is_large = config.get("num_layers", 0) >= LARGE_NUM_LAYERS and not dual_attention
    return "large" if is_large else "medium"


def build_tiny(path: Path) -> None:
    """Write a tiny random-weight SD3 pipeline to `path` in diffusers format (safetensors)."""
    import torch

    # Seeded for the same weights every build; forked so the caller's random state is left alone.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        pipe = _tiny_pipeline()
    pipe.save_pretrained(path, safe_serialization=True)


def _tiny_pipeline() -> StableDiffusion3Pipeline:
    from diffusers import (
        FlowMatchEulerDiscreteScheduler,
        SD3Transformer2DModel,
        StableDiffusion3Pipeline,
    )
    from transformers import CLIPTextConfig, CLIPTextModelWithProjection

    from models.tokenizers import CLIP_MAX_LENGTH, build_clip_tokenizer, build_t5_tokenizer

    tokenizer = build_clip_tokenizer()
    tokenizer_2 = build_clip_tokenizer()
    tokenizer_3 = build_t5_tokenizer(model_max_length=PRESETS["large"].max_sequence_length)
    transformer = SD3Transformer2DModel(
        sample_size=128,  # the default size: 128 latents = 1024 px
        patch_size=2,
        in_channels=TINY_LATENT_CHANNELS,
        out_channels=TINY_LATENT_CHANNELS,
        num_layers=1,
        # Two wide heads rather than four narrow ones: on a CPU, attention over the ~4,300 tokens of a
        # 1024x1024 image costs per head, and this is most of the tiny model's time.
        attention_head_dim=16,
        num_attention_heads=2,
        joint_attention_dim=TINY_T5_WIDTH,
        caption_projection_dim=2 * 16,  # must equal heads x head dim
        # The pipeline concatenates both CLIPs' pooled projections.
        pooled_projection_dim=2 * TINY_TEXT_WIDTH,
        pos_embed_max_size=TINY_POS_EMBED_MAX_SIZE,
        qk_norm="rms_norm",  # as SD3.5
    )
    text_encoder, text_encoder_2 = (
        CLIPTextModelWithProjection(
            CLIPTextConfig(
                vocab_size=len(tokenizer),
                hidden_size=TINY_TEXT_WIDTH,
                intermediate_size=37,
                num_hidden_layers=2,
                num_attention_heads=4,
                max_position_embeddings=CLIP_MAX_LENGTH,
                projection_dim=TINY_TEXT_WIDTH,
                hidden_act=act,
                # Pooled at the first end-of-text token, as the real CLIPs do.
                bos_token_id=tokenizer.bos_token_id,
                eos_token_id=tokenizer.eos_token_id,
                pad_token_id=tokenizer.pad_token_id,
            )
        )
        for act in ("quick_gelu", "gelu")  # CLIP-L's and CLIP-G's activations
    )
    text_encoder_3 = tiny_t5(tokenizer_3, d_model=TINY_T5_WIDTH)
    vae = tiny_vae(scaling_factor=1.5305, shift_factor=0.0609)
    # SD3.5's published scheduler: a fixed shift of 3.0, no resolution-dependent shifting.
    scheduler = FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=3.0)
    return StableDiffusion3Pipeline(
        scheduler=scheduler,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        text_encoder_2=text_encoder_2,
        tokenizer_2=tokenizer_2,
        text_encoder_3=text_encoder_3,
        tokenizer_3=tokenizer_3,
        transformer=transformer,
    )


SD3 = ModelFamily(
    name="sd3",
    pipeline_class=PIPELINE_CLASS,
    presets=PRESETS,
    detect_preset=detect_preset,
    load=load,
    build_tiny=build_tiny,
    # The VAE downscales 8x and the transformer patches 2x2 latents.
    size_multiple=16,
    # The large text encoder: T5-XXL.
    quantize_components=("transformer", "text_encoder_3"),
    encode=encode,
)
