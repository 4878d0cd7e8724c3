"""The manifest of one brand style."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

MANIFEST_NAME = "style.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
# A brand palette is a handful of colours; past this it no longer says what is on-brand, and each
# colour adds to the cost of scoring every image (brand/score.py).
MAX_PALETTE = 16


class StyleManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Lower-case letters, digits, '-' and '_'; also the adapter's name")
    family: str = Field(description="The model family the adapter was trained for: flux, sd3 or hidream")
    adapter: str = Field(default="pytorch_lora_weights.safetensors",
                         description="The adapter file, in the style's own directory")
    trigger_words: list[str] = Field(default_factory=list, description="Put in front of every prompt")
    default_weight: float = Field(default=1.0, ge=0.0, le=2.0)
    description: str = Field(default="", max_length=500)
    palette: list[str] = Field(
        default_factory=list,
        description=f"The brand's colours as #rrggbb (at most {MAX_PALETTE}); each image of the style is scored "
        "against them (brand/score.py). Empty: no brand score.")

    @field_validator("name")
    @classmethod
    def slug(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("must be 1-64 lower-case letters, digits, '-' or '_'")
        return value

    @field_validator("adapter")
    @classmethod
    def plain_file_name(cls, value: str) -> str:
        # The adapter lives beside its manifest: a path here could point anywhere on the disk.
        if not value or "/" in value or "\\" in value or value.startswith("."):
            raise ValueError("must be a file name in the style's directory, not a path")
        if not value.endswith(".safetensors"):
            raise ValueError("must be a .safetensors file")
        return value

    @field_validator("palette")
    @classmethod
    def hex_colours(cls, value: list[str]) -> list[str]:
        if len(value) > MAX_PALETTE:
            raise ValueError(f"has {len(value)} colours; at most {MAX_PALETTE}")
        colours = []
        for colour in value:
            if not isinstance(colour, str) or not _HEX.match(colour):
                raise ValueError(f"{colour!r} is not a colour written as #rrggbb (e.g. #e30613)")
            if colour.lower() in colours:
                raise ValueError(f"{colour!r} is listed twice")
            colours.append(colour.lower())
        return colours

    def prompt_for(self, prompt: str) -> str:
        return ", ".join([*self.trigger_words, prompt]) if self.trigger_words else prompt
