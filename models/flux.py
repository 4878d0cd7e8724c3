"""FLUX.1 (dev, schnell): load a local diffusers-format directory, or build a tiny random-weight one.

torch, diffusers and transformers are imported inside the functions so that importing the family
registry (which the API layer may do to read model configs) never loads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.family import ModelFamily, Preset, load_local_pipeline, read_model_json, rows
from models.tiny import TINY_LATENT_CHANNELS, TINY_TEXT_WIDTH, tiny_t5, tiny_vae

if TYPE_CHECKING:
    import torch
    from diffusers import FluxPipeline

PIPELINE_CLASS = "FluxPipeline"

PRESETS = {
    "dev": Preset(steps=28, guidance=3.5, max_sequence_length=512),
    # schnell is timestep-distilled without a guidance embedding, and trained on at most 256 T5 tokens.
    "schnell": Preset(steps=4, guidance=0.0, max_sequence_length=256),
    # The tiny demo: its images are noise whatever the settings, so few steps keep a 1024x1024 job of
    # four images at about two seconds on two CPU cores. Its letter-level tokenizer spends up to a token
    # a letter, so 128 T5 tokens keep ordinary prompts from being truncated (and logged as such).
    "demo": Preset(steps=4, guidance=3.5, max_sequence_length=128),
}

def load(path: Path, device: str, dtype: torch.dtype | None = None, quantization: Any = None) -> FluxPipeline:
    """Load a FLUX pipeline from a local directory (never the Hub) onto `device`, ready to infer."""
    from diffusers import FluxPipeline

    return load_local_pipeline(FluxPipeline, path, device, dtype, quantization)


def encode(pipe: FluxPipeline, prompts: list[str], index: list[int], guidance: float,
           max_sequence_length: int) -> dict[str, Any]:
    """CLIP and T5 once per distinct prompt; the call's embedding arguments, one row per image.

    FLUX.1's guidance is an embedding input of the transformer, not a second (negative) pass, so
    there is nothing to encode for it.
    """
    prompt_embeds, pooled, _ = pipe.encode_prompt(prompt=prompts, prompt_2=None,
                                                  max_sequence_length=max_sequence_length)
    return {"prompt_embeds": rows(prompt_embeds, index), "pooled_prompt_embeds": rows(pooled, index)}


def detect_preset(path: Path) -> str:
    """dev or schnell, read from the transformer's config (schnell has no guidance embedding)."""
    config = read_model_json(path, "transformer/config.json")
    return "dev" if config.get("guidance_embeds", False) else "schnell"


# The tiny architecture, built to the real one's structure: 16 latent channels packed 2x2 (so the
# transformer sees 64 input channels), a VAE with four blocks (8x downscale, as the real VAE), CLIP-L
# and T5 text encoders. Widths are tiny so the demo renders fast on a CPU; at 1024x1024 the VAE's
# full-resolution convolutions and the transformer's attention over 4096 image tokens are most of it.
def build_tiny(path: Path) -> None:
    """Write a tiny random-weight FLUX pipeline to `path` in diffusers format (safetensors)."""
    import torch

    # Seeded so every build of the demo has the same weights, and so renders the same images; forked
    # so the caller's random state is left as it was.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        pipe = _tiny_pipeline()
    pipe.save_pretrained(path, safe_serialization=True)


def _tiny_pipeline() -> FluxPipeline:
    from diffusers import FlowMatchEulerDiscreteScheduler, FluxPipeline, FluxTransformer2DModel
    from transformers import CLIPTextConfig, CLIPTextModel

    from models.tokenizers import CLIP_MAX_LENGTH, build_clip_tokenizer, build_t5_tokenizer

    tokenizer = build_clip_tokenizer()
    tokenizer_2 = build_t5_tokenizer(model_max_length=PRESETS["dev"].max_sequence_length)
    transformer = FluxTransformer2DModel(
        patch_size=1,
        in_channels=4 * TINY_LATENT_CHANNELS,
        num_layers=1,
        num_single_layers=1,
        attention_head_dim=16,
        num_attention_heads=2,
        joint_attention_dim=TINY_TEXT_WIDTH,
        pooled_projection_dim=TINY_TEXT_WIDTH,
        guidance_embeds=True,
        axes_dims_rope=[4, 6, 6],  # must sum to attention_head_dim
    )
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(tokenizer),
            hidden_size=TINY_TEXT_WIDTH,
            intermediate_size=37,
            num_hidden_layers=2,
            num_attention_heads=4,
            max_position_embeddings=CLIP_MAX_LENGTH,
            projection_dim=TINY_TEXT_WIDTH,
            # The pipeline pools at the first end-of-text token, as the real CLIP-L does.
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )
    )
    text_encoder_2 = tiny_t5(tokenizer_2)
    vae = tiny_vae(scaling_factor=0.3611, shift_factor=0.1159)
    scheduler = FlowMatchEulerDiscreteScheduler(
        base_image_seq_len=256,
        base_shift=0.5,
        max_image_seq_len=4096,
        max_shift=1.15,
        use_dynamic_shifting=True,
    )
    return FluxPipeline(
        scheduler=scheduler,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        text_encoder_2=text_encoder_2,
        tokenizer_2=tokenizer_2,
        transformer=transformer,
    )


FLUX = ModelFamily(
    name="flux",
    pipeline_class=PIPELINE_CLASS,
    presets=PRESETS,
    detect_preset=detect_preset,
    load=load,
    build_tiny=build_tiny,
    # The VAE downscales 8x and the transformer packs 2x2 latent patches.
    size_multiple=16,
    # The large text encoder: T5-XXL.
    quantize_components=("transformer", "text_encoder_2"),
    encode=encode,
)
