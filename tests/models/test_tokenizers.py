from __future__ import annotations

from pathlib import Path

from transformers import AutoTokenizer

from models.tokenizers import CLIP_MAX_LENGTH, build_clip_tokenizer, build_t5_tokenizer

PROMPT = "A minimal blue logo for Acme Coffee, flat style; 2025 edition!"


def test_clip_tokenizer_round_trips_through_save_and_load(tmp_path: Path) -> None:
    tokenizer = build_clip_tokenizer()
    tokenizer.save_pretrained(tmp_path)
    loaded = AutoTokenizer.from_pretrained(tmp_path)
    assert type(loaded) is type(tokenizer)
    assert loaded(PROMPT).input_ids == tokenizer(PROMPT).input_ids
    assert loaded.model_max_length == CLIP_MAX_LENGTH
    assert len(loaded) == len(tokenizer)


def test_t5_tokenizer_round_trips_through_save_and_load(tmp_path: Path) -> None:
    tokenizer = build_t5_tokenizer(model_max_length=256)
    tokenizer.save_pretrained(tmp_path)
    loaded = AutoTokenizer.from_pretrained(tmp_path)
    assert type(loaded) is type(tokenizer)
    assert loaded(PROMPT).input_ids == tokenizer(PROMPT).input_ids
    assert loaded.model_max_length == 256
    assert len(loaded) == len(tokenizer)


def test_clip_tokenizer_merges_letters_and_pads_to_77() -> None:
    tokenizer = build_clip_tokenizer()
    tokens = tokenizer.convert_ids_to_tokens(tokenizer("the logo").input_ids)
    assert tokens[0] == "<|startoftext|>" and tokens[-1] == "<|endoftext|>"
    assert "th" in tokens  # a merge applied: BPE, not letters only
    padded = tokenizer("the logo", padding="max_length", max_length=CLIP_MAX_LENGTH, truncation=True)
    assert len(padded.input_ids) == CLIP_MAX_LENGTH


def test_english_prompts_tokenize_without_unknowns() -> None:
    text = "Bold RED banner: 50% off, #1 brand (new) @acme ~ [v2] {x} <hi> ^_^ & 'quotes' \"too\" | / \\ ? = + * $"
    for tokenizer in (build_clip_tokenizer(), build_t5_tokenizer()):
        ids = tokenizer(text, add_special_tokens=False).input_ids
        assert tokenizer.unk_token_id not in ids, type(tokenizer).__name__


def test_characters_outside_ascii_map_to_unk() -> None:
    t5 = build_t5_tokenizer()
    assert t5.unk_token_id in t5("café").input_ids
    clip = build_clip_tokenizer()
    assert clip.unk_token_id in clip("café", add_special_tokens=False).input_ids


def test_tokenizers_are_small() -> None:
    assert len(build_clip_tokenizer()) < 400
    assert len(build_t5_tokenizer()) < 400
