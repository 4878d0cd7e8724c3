"""Small CLIP, T5 and Llama tokenizers built from code, for the tiny demo and test pipelines.

The real tokenizers (and diffusers' tiny test ones) come from the Hugging Face Hub, which we may not
reach. CLIP's and T5's cover printable ASCII, so any English prompt tokenizes; anything else maps to
the unknown token. Llama's is byte-level, so nothing is unknown. All survive
`save_pretrained`/`from_pretrained`, so the demo loads like a real model.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transformers import CLIPTokenizer, PreTrainedTokenizerFast, T5Tokenizer

# CLIP's model reads 77 positions; the pipelines pad and truncate to this.
CLIP_MAX_LENGTH = 77

# CLIP lowercases its input, so lowercase letters suffice there; T5 does not, so it gets both cases.
_CLIP_CHARS = string.ascii_lowercase + string.digits + string.punctuation
_T5_CHARS = string.ascii_letters + string.digits + string.punctuation

# Frequent English letter pairs: a few merges make the BPE produce multi-letter tokens, as the real
# one does, without shipping a real vocabulary.
_BIGRAMS = (
    "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me "
    "de hi ri ro ic ne ea ra ce li ch ll be ma si om ur"
).split()

# Whole words that brand prompts use often; the Unigram model prefers them over single letters.
_T5_WORDS = (
    "the a an of and in on with for to logo brand color colour blue red green white black light dark "
    "background photo image style minimal modern flat icon product poster banner"
).split()


def build_clip_tokenizer(model_max_length: int = CLIP_MAX_LENGTH) -> CLIPTokenizer:
    """A byte-level BPE tokenizer laid out like CLIP's: `<|startoftext|>`, `<|endoftext|>`, `</w>` word ends."""
    from transformers import CLIPTokenizer

    vocab: dict[str, int] = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for suffix in ("", "</w>"):
        for char in _CLIP_CHARS:
            vocab[char + suffix] = len(vocab)
    # Each pair merges inside a word and at its end (where the second part carries `</w>`).
    merges: list[tuple[str, str]] = []
    for pair in _BIGRAMS:
        for first, second in ((pair[0], pair[1]), (pair[0], pair[1] + "</w>")):
            merges.append((first, second))
            vocab[first + second] = len(vocab)
    # tokenizers 0.23 takes merges as tuples; "a b" strings are no longer split for us.
    return CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=model_max_length)


def build_t5_tokenizer(model_max_length: int = 512) -> T5Tokenizer:
    """A SentencePiece-style Unigram tokenizer laid out like T5's: `<pad>`=0, `</s>`=1, `<unk>`=2."""
    from transformers import T5Tokenizer

    scores: dict[str, float] = {"<pad>": 0.0, "</s>": 0.0, "<unk>": 0.0, "▁": -3.0}
    # Scores are log-probabilities: whole words beat spelling them out letter by letter. setdefault
    # because a one-letter word ("▁a") is also a word-start piece; a piece may appear only once.
    for word in _T5_WORDS:
        scores.setdefault("▁" + word, -4.0)
    for char in _T5_CHARS:
        scores.setdefault("▁" + char, -6.0)
        scores.setdefault(char, -5.0)
    # No sentinel tokens: they only matter for T5's span-corruption pretraining, not for encoding prompts.
    return T5Tokenizer(vocab=list(scores.items()), extra_ids=0, model_max_length=model_max_length)


# Llama 3's special tokens; the HiDream pipeline pads with the end-of-text token, as we set here.
LLAMA_BOS = "<|begin_of_text|>"
LLAMA_EOS = "<|end_of_text|>"


def build_llama_tokenizer(model_max_length: int = 8192) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer laid out like Llama 3's: every byte has a token, `<|begin_of_text|>` first."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    # Byte-level: each of the 256 bytes is a printable stand-in character (a space is "Ġ"), so any text,
    # not only ASCII, tokenizes without an unknown token, as with the real one.
    vocab: dict[str, int] = {char: index for index, char in enumerate(_byte_alphabet())}
    merges: list[tuple[str, str]] = []
    for pair in _BIGRAMS:
        merges.append((pair[0], pair[1]))
        vocab[pair] = len(vocab)
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens([LLAMA_BOS, LLAMA_EOS])
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{LLAMA_BOS} $A",
        pair=f"{LLAMA_BOS} $A {LLAMA_BOS} $B",
        special_tokens=[(LLAMA_BOS, tokenizer.token_to_id(LLAMA_BOS))],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=LLAMA_BOS,
        eos_token=LLAMA_EOS,
        pad_token=LLAMA_EOS,
        model_max_length=model_max_length,
    )


def _byte_alphabet() -> list[str]:
    """The 256 characters byte-level BPE uses for bytes, in byte order (GPT-2's mapping)."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars: dict[int, str] = {byte: chr(byte) for byte in printable}
    shifted = 0
    for byte in range(256):
        if byte not in chars:
            chars[byte] = chr(256 + shifted)
            shifted += 1
    return [chars[byte] for byte in range(256)]
