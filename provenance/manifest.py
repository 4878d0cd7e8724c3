"""What an image's C2PA manifest says: made by this product, as trained algorithmic media, with which
model and brand style. Nothing private unless a setting adds it (the prompt, the creator's name).

The manifest holds:
- claim_generator_info: this product's name and version;
- c2pa.actions.v2: one `c2pa.created` action, digitalSourceType trainedAlgorithmicMedia (the IPTC term
  C2PA uses for generative AI output), the product as softwareAgent, and when it was made;
- GENERATION_LABEL: the model and its version (the weights' fingerprint where known), the brand style
  and its version; the prompt only with BAG_C2PA_INCLUDE_PROMPT;
- stds.schema-org.CreativeWork with the author's display name only with BAG_C2PA_INCLUDE_CREATOR.
No user id, no e-mail, no job id: a file handed outside the company tells nobody who asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from provenance.product import PRODUCT_NAME, product_version

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
GENERATION_LABEL = "com.brand-asset-generator.generation"
CREATIVE_WORK_LABEL = "stds.schema-org.CreativeWork"


@dataclass(frozen=True)
class ImageFacts:
    """What the manifest of a job's images states."""

    model: str
    model_version: str | None = None
    style: str | None = None
    style_version: int | None = None
    prompt: str | None = None  # only when BAG_C2PA_INCLUDE_PROMPT is on
    creator: str | None = None  # the owner's display name, only when BAG_C2PA_INCLUDE_CREATOR is on


def build_manifest(facts: ImageFacts, when: datetime, title: str = "image.png") -> dict[str, Any]:
    agent = {"name": PRODUCT_NAME, "version": product_version()}
    generation: dict[str, Any] = {
        "model": facts.model,
        "model_version": facts.model_version,
        "style": facts.style,
        "style_version": facts.style_version,
    }
    if facts.prompt is not None:
        generation["prompt"] = facts.prompt
    assertions: list[dict[str, Any]] = [
        {
            "label": "c2pa.actions.v2",
            "data": {"actions": [{
                "action": "c2pa.created",
                "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                "softwareAgent": agent,
                "when": when.isoformat(),
            }]},
        },
        {"label": GENERATION_LABEL, "data": generation},
    ]
    if facts.creator is not None:
        assertions.append({
            "label": CREATIVE_WORK_LABEL,
            "data": {"@context": "https://schema.org", "@type": "CreativeWork",
                     "author": [{"@type": "Person", "name": facts.creator}]},
        })
    return {
        "claim_generator_info": [agent],
        "title": title,
        "format": "image/png",
        "assertions": assertions,
    }
