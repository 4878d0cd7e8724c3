"""Real-size (or, with tiny=True, tiny) random-weight pipelines of each family, for bench/gpu_check.py.

Built from the real configs (the models' published config.json values), directly on the device in bf16
(no float32 copy on the way), with offline tokenizers: the shapes, and so the work, are those of the real models.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

# --------------------------------------------------------------------------------------------------
# Offline tokenizers


def llama_tokenizer(model_max_length: int) -> Any:
    """A byte-level BPE tokenizer laid out like Llama 3's (begin/end-of-text specials, BOS prepended)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    byte_chars = list(pre_tokenizers.ByteLevel.alphabet())
    vocab = {char: i for i, char in enumerate(sorted(byte_chars))}
    merges = []
    for pair in ("th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "or", "es"):
        merges.append((pair[0], pair[1]))
        vocab[pair] = len(vocab)
    specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"]
    for token in specials:
        vocab[token] = len(vocab)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(specials)
    tok.post_processor = processors.TemplateProcessing(
        single="<|begin_of_text|> $A",
        pair="<|begin_of_text|> $A <|begin_of_text|> $B",
        special_tokens=[("<|begin_of_text|>", vocab["<|begin_of_text|>"])],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|begin_of_text|>",
        eos_token="<|end_of_text|>",
        pad_token="<|eot_id|>",
        model_max_length=model_max_length,
    )


# --------------------------------------------------------------------------------------------------
# Components: real sizes (model-configs.md) or tiny ones (diffusers' test shapes)


def clip_encoder(tokenizer: Any, big: bool, tiny: bool, positions: int, with_projection: bool) -> Any:
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    if tiny:
        dims = dict(
            hidden_size=32,
            intermediate_size=37,
            num_hidden_layers=5,
            num_attention_heads=4,
            projection_dim=32,
            hidden_act="gelu",
        )
    elif big:  # CLIP-bigG
        dims = dict(
            hidden_size=1280,
            intermediate_size=5120,
            num_hidden_layers=32,
            num_attention_heads=20,
            projection_dim=1280,
            hidden_act="gelu",
        )
    else:  # CLIP-L
        dims = dict(
            hidden_size=768,
            intermediate_size=3072,
            num_hidden_layers=12,
            num_attention_heads=12,
            projection_dim=768,
            hidden_act="quick_gelu",
        )
    config = CLIPTextConfig(
        vocab_size=len(tokenizer) if tiny else 49408,
        max_position_embeddings=positions,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        **dims,
    )
    return (CLIPTextModelWithProjection if with_projection else CLIPTextModel)(config)


def t5_encoder(tokenizer: Any, tiny: bool) -> Any:
    from transformers import T5Config, T5EncoderModel

    if tiny:
        dims = dict(vocab_size=len(tokenizer), d_model=32, d_kv=8, d_ff=37, num_layers=2, num_heads=4)
    else:
        dims = dict(vocab_size=32128, d_model=4096, d_kv=64, d_ff=10240, num_layers=24, num_heads=64)
    return T5EncoderModel(
        T5Config(
            feed_forward_proj="gated-gelu",
            dense_act_fn="gelu_new",
            is_gated_act=True,
            layer_norm_epsilon=1e-6,
            tie_word_embeddings=False,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
            decoder_start_token_id=tokenizer.pad_token_id,
            **dims,
        )
    )


def llama_model(tokenizer: Any, tiny: bool) -> Any:
    from transformers import LlamaConfig, LlamaForCausalLM

    if tiny:
        dims = dict(
            vocab_size=len(tokenizer),
            hidden_size=16,
            intermediate_size=37,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=4,
        )
    else:
        dims = dict(
            vocab_size=128256,
            hidden_size=4096,
            intermediate_size=14336,
            num_hidden_layers=32,
            num_attention_heads=32,
            num_key_value_heads=8,
            rope_theta=500000.0,
            rope_scaling={
                "factor": 8.0,
                "low_freq_factor": 1.0,
                "high_freq_factor": 4.0,
                "original_max_position_embeddings": 8192,
                "rope_type": "llama3",
            },
            max_position_embeddings=131072,
        )
    return LlamaForCausalLM(
        LlamaConfig(
            rms_norm_eps=1e-5,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
            **dims,
        )
    )


def vae(family: str, tiny: bool) -> Any:
    from diffusers import AutoencoderKL

    # Tiny: four blocks still (an 8x downscale, as the real VAE), so the latents stay small.
    channels = (4, 4, 4, 4) if tiny else (128, 256, 512, 512)
    scaling = (
        dict(scaling_factor=1.5305, shift_factor=0.0609)
        if family == "sd3"
        else dict(scaling_factor=0.3611, shift_factor=0.1159)
    )
    latent = {"flux": 1, "sd3": 4, "hidream": 4}[family] if tiny else 16
    return AutoencoderKL(
        act_fn="silu",
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * len(channels),
        up_block_types=("UpDecoderBlock2D",) * len(channels),
        block_out_channels=channels,
        layers_per_block=1 if tiny else 2,
        mid_block_add_attention=not tiny,
        latent_channels=latent,
        norm_num_groups=1 if tiny else 32,
        sample_size=1024,
        use_quant_conv=False,
        use_post_quant_conv=False,
        **scaling,
    )


def build_pipeline(family: str, tiny: bool) -> Any:
    """The family's diffusers pipeline with random weights (on the current default device and dtype)."""
    from diffusers import (
        FlowMatchEulerDiscreteScheduler,
        FluxPipeline,
        FluxTransformer2DModel,
        HiDreamImagePipeline,
        HiDreamImageTransformer2DModel,
        SD3Transformer2DModel,
        StableDiffusion3Pipeline,
    )

    from models.tokenizers import CLIP_MAX_LENGTH, build_clip_tokenizer, build_t5_tokenizer

    if family == "flux":
        tokenizer = build_clip_tokenizer()
        tokenizer_2 = build_t5_tokenizer(model_max_length=512)
        if tiny:
            transformer = FluxTransformer2DModel(
                patch_size=1,
                in_channels=4,
                num_layers=1,
                num_single_layers=1,
                attention_head_dim=16,
                num_attention_heads=2,
                joint_attention_dim=32,
                pooled_projection_dim=32,
                guidance_embeds=True,
                axes_dims_rope=[4, 4, 8],
            )
        else:
            transformer = FluxTransformer2DModel(
                attention_head_dim=128,
                guidance_embeds=True,
                in_channels=64,
                joint_attention_dim=4096,
                num_attention_heads=24,
                num_layers=19,
                num_single_layers=38,
                patch_size=1,
                pooled_projection_dim=768,
                axes_dims_rope=[16, 56, 56],
            )
        return FluxPipeline(
            scheduler=FlowMatchEulerDiscreteScheduler(
                base_image_seq_len=256,
                base_shift=0.5,
                max_image_seq_len=4096,
                max_shift=1.15,
                shift=3.0,
                use_dynamic_shifting=True,
            ),
            vae=vae(family, tiny),
            text_encoder=clip_encoder(tokenizer, False, tiny, CLIP_MAX_LENGTH, with_projection=False),
            tokenizer=tokenizer,
            text_encoder_2=t5_encoder(tokenizer_2, tiny),
            tokenizer_2=tokenizer_2,
            transformer=transformer,
        )
    if family == "sd3":
        tokenizer = build_clip_tokenizer()
        tokenizer_3 = build_t5_tokenizer(model_max_length=512)
        if tiny:
            transformer = SD3Transformer2DModel(
                sample_size=32,
                patch_size=1,
                in_channels=4,
                num_layers=1,
                attention_head_dim=8,
                num_attention_heads=4,
                caption_projection_dim=32,
                joint_attention_dim=32,
                pooled_projection_dim=64,
                out_channels=4,
            )
        else:
            transformer = SD3Transformer2DModel(
                attention_head_dim=64,
                caption_projection_dim=2432,
                in_channels=16,
                joint_attention_dim=4096,
                num_attention_heads=38,
                num_layers=38,
                out_channels=16,
                patch_size=2,
                pooled_projection_dim=2048,
                pos_embed_max_size=192,
                qk_norm="rms_norm",
                sample_size=128,
            )
        return StableDiffusion3Pipeline(
            transformer=transformer,
            scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0),
            vae=vae(family, tiny),
            text_encoder=clip_encoder(tokenizer, False, tiny, CLIP_MAX_LENGTH, with_projection=True),
            tokenizer=tokenizer,
            text_encoder_2=clip_encoder(tokenizer, True, tiny, CLIP_MAX_LENGTH, with_projection=True),
            tokenizer_2=tokenizer,
            text_encoder_3=t5_encoder(tokenizer_3, tiny),
            tokenizer_3=tokenizer_3,
        )
    if family == "hidream":
        # HiDream's CLIPs read up to 218 tokens (128 by default): 248 positions, believed the real value.
        positions = 248
        tokenizer = build_clip_tokenizer(model_max_length=positions)
        tokenizer_3 = build_t5_tokenizer(model_max_length=512)
        try:  # the shared builder where this checkout has it
            from models.tokenizers import build_llama_tokenizer as llama_builder
        except ImportError:
            llama_builder = llama_tokenizer
        tokenizer_4 = llama_builder(model_max_length=512)
        if tiny:
            transformer = HiDreamImageTransformer2DModel(
                patch_size=2,
                in_channels=4,
                out_channels=4,
                num_layers=1,
                num_single_layers=1,
                attention_head_dim=8,
                num_attention_heads=4,
                caption_channels=[32, 16],
                text_emb_dim=64,
                num_routed_experts=4,
                num_activated_experts=2,
                axes_dims_rope=(4, 2, 2),
                max_resolution=(32, 32),
                llama_layers=(0, 1),
            )
        else:
            transformer = HiDreamImageTransformer2DModel(
                attention_head_dim=128,
                axes_dims_rope=[64, 32, 32],
                caption_channels=[4096, 4096],
                max_resolution=[128, 128],
                in_channels=16,
                llama_layers=list(range(32)) + [31] * 16,
                num_attention_heads=20,
                num_routed_experts=4,
                num_activated_experts=2,
                num_layers=16,
                num_single_layers=32,
                out_channels=16,
                patch_size=2,
                text_emb_dim=2048,
            )
        return HiDreamImagePipeline(
            scheduler=FlowMatchEulerDiscreteScheduler(shift=6.0),  # HiDream-I1-Dev
            vae=vae(family, tiny),
            text_encoder=clip_encoder(tokenizer, False, tiny, positions, with_projection=True),
            tokenizer=tokenizer,
            text_encoder_2=clip_encoder(tokenizer, True, tiny, positions, with_projection=True),
            tokenizer_2=tokenizer,
            text_encoder_3=t5_encoder(tokenizer_3, tiny),
            tokenizer_3=tokenizer_3,
            text_encoder_4=llama_model(tokenizer_4, tiny),
            tokenizer_4=tokenizer_4,
            transformer=transformer,
        )
    raise ValueError(family)


def make_pipeline(family: str, tiny: bool, device: str) -> Any:
    """Built straight on `device` in bf16 (real sizes) or fp32 (tiny), every module in eval mode."""
    dtype = torch.float32 if tiny else torch.bfloat16
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        with torch.device(device):
            # Seeded so two runs of the check build the same weights.
            torch.manual_seed(0)
            pipe = build_pipeline(family, tiny)
    finally:
        torch.set_default_dtype(previous)
    params = 0
    for component in pipe.components.values():
        if isinstance(component, torch.nn.Module):
            component.eval()
            for p in component.parameters():
                params += p.numel()
                if p.dtype != dtype or p.device.type != torch.device(device).type:
                    raise RuntimeError(f"a parameter is {p.dtype} on {p.device}, expected {dtype} on {device}")
    # As the families' loaders do: decode one image at a time.
    pipe.vae.enable_slicing()
    pipe.set_progress_bar_config(disable=True)
    return pipe, params
