"""Tiny random-weight components shared by every family's demo build.

The real architectures' structure at toy widths: a VAE with four blocks (8x upscale, as the real
one) and 16 latent channels, and a T5 encoder. Built under the caller's `torch.manual_seed`, so a
family's build stays reproducible.
"""

from __future__ import annotations

from typing import Any

TINY_LATENT_CHANNELS = 16
TINY_VAE_CHANNELS = (4, 4, 4, 4)
TINY_TEXT_WIDTH = 32


def tiny_vae(scaling_factor: float, shift_factor: float) -> Any:
    """An AutoencoderKL that upsamples 8x like the real one, with the family's latent scaling."""
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * len(TINY_VAE_CHANNELS),
        up_block_types=("UpDecoderBlock2D",) * len(TINY_VAE_CHANNELS),
        block_out_channels=TINY_VAE_CHANNELS,
        # One resnet per decoder block instead of the real three, and no mid-block attention (over
        # 16384 latent positions at 1024 px): at full resolution those would be most of a CPU run.
        layers_per_block=0,
        latent_channels=TINY_LATENT_CHANNELS,
        norm_num_groups=1,
        mid_block_add_attention=False,
        use_quant_conv=False,
        use_post_quant_conv=False,
        scaling_factor=scaling_factor,
        shift_factor=shift_factor,
    )


def tiny_t5(tokenizer: Any, d_model: int = TINY_TEXT_WIDTH) -> Any:
    """A two-layer T5 encoder sized to the offline tokenizer's vocabulary."""
    from transformers import T5Config, T5EncoderModel

    return T5EncoderModel(
        T5Config(
            vocab_size=len(tokenizer),
            d_model=d_model,
            d_kv=8,
            d_ff=37,
            num_layers=2,
            num_heads=4,
            feed_forward_proj="gated-gelu",
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
            decoder_start_token_id=tokenizer.pad_token_id,
        )
    )
