"""What the API says about an image beyond its links: content credentials, brand match, review;
and a job's exact recipe. Filled from `job_image` rows (jobs/images.py) and the job's recipe."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from common.clock import aware


class ContentCredentials(BaseModel):
    """What the image's signed C2PA manifest says, as read back when the image was stored."""

    state: Literal["trusted", "valid", "invalid"] = Field(
        description="trusted: valid and signed by a certificate chaining to the configured trust anchor; "
        "valid: intact but the signer is not trusted here; invalid: the manifest does not match the image.")
    issuer: str | None = Field(default=None, description="Who signed: the certificate's organisation.")
    signed_at: datetime | None = None
    generator: str = Field(description="The product that made the image, with its version.")
    source_type: str = Field(description="The IPTC digital source type, e.g. trainedAlgorithmicMedia.")
    model: str
    model_version: str | None = None
    style: str | None = None
    style_version: int | None = None
    prompt: str | None = Field(default=None, description="The prompt, only where the server is set to include it.")
    creator: str | None = Field(
        default=None, description="Who made the image (display name), only where the server is set to include it.")


class BrandColor(BaseModel):
    hex: str = Field(description="A colour of the style's palette, as #rrggbb.")
    share: float = Field(description="The fraction of the image's pixels nearest this colour and near enough to it.")


class BrandMatch(BaseModel):
    score: float = Field(description="The fraction of the image's pixels near some palette colour, 0 to 1.")
    colors: list[BrandColor] = Field(description="The palette colours found in the image, most present first.")


class ImageReviewState(BaseModel):
    """The standing review decision on an image (jobs/reviews.py)."""

    decision: Literal["approved", "rejected"]
    reviewer_name: str
    comment: str | None = None
    decided_at: datetime

    @classmethod
    def of(cls, row: object | None) -> ImageReviewState | None:
        """The decision a `job_image` row (jobs/images.py) holds; None when none stands or no row."""
        review = getattr(row, "review", None)
        if review not in ("approved", "rejected"):
            return None
        return cls(decision=review, reviewer_name=row.reviewer_name or "",  # type: ignore[union-attr]
                   comment=row.review_comment, decided_at=aware(row.reviewed_at))  # type: ignore[union-attr]


class Recipe(BaseModel):
    """Everything that decided a job's pixels, as the runner rendered it (jobs/recipes.py)."""

    model: str
    model_fingerprint: str = Field(description="sha256 over the model's weight and config files.")
    style: str | None = None
    style_version: int | None = None
    style_fingerprint: str | None = Field(default=None, description="sha256 of the style's adapter file.")
    style_weight: float | None = None
    trigger_words: list[str] = Field(default_factory=list, description="The style's words put before the prompt.")
    width: int
    height: int
    steps: int
    guidance: float
    seeds: list[int] = Field(description="One per image, in order.")
    scheduler: str = Field(description="The scheduler's class.")
    scheduler_config: dict[str, Any] = Field(default_factory=dict, description="The scheduler's settings.")
    runtime: str | None = Field(default=None, description="Libraries, device and precision it rendered with.")
    product_version: str
