from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.brand_match import BrandMatch
    from ..models.content_credentials import ContentCredentials
    from ..models.image_review_state import ImageReviewState


T = TypeVar("T", bound="LibraryImage")


@_attrs_define
class LibraryImage:
    """
    Attributes:
        download_url (str): The same PNG as an attachment with a file name.
        expires_at (datetime.datetime):
        height (int):
        index (int):
        job_id (str):
        model (str):
        prompt (str):
        review (ImageReviewState | None): The standing decision: approved in the library; null in the reviewers' queue.
        small_thumbnail_url (str): A WebP copy of at most 160 pixels a side.
        style (None | str):
        thumbnail_url (str): A WebP copy of at most 512 pixels a side.
        url (str): The PNG, valid until `expires_at`; the link itself is the credential.
        width (int):
        brand (BrandMatch | None | Unset):
        credentials (ContentCredentials | None | Unset):
        style_version (int | None | Unset):
    """

    download_url: str
    expires_at: datetime.datetime
    height: int
    index: int
    job_id: str
    model: str
    prompt: str
    review: ImageReviewState | None
    small_thumbnail_url: str
    style: None | str
    thumbnail_url: str
    url: str
    width: int
    brand: BrandMatch | None | Unset = UNSET
    credentials: ContentCredentials | None | Unset = UNSET
    style_version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.brand_match import BrandMatch  # noqa: PLC0415
        from ..models.content_credentials import ContentCredentials  # noqa: PLC0415
        from ..models.image_review_state import ImageReviewState  # noqa: PLC0415

        download_url = self.download_url

        expires_at = self.expires_at.isoformat()

        height = self.height

        index = self.index

        job_id = self.job_id

        model = self.model

        prompt = self.prompt

        review: dict[str, Any] | None
        if isinstance(self.review, ImageReviewState):
            review = self.review.to_dict()
        else:
            review = self.review

        small_thumbnail_url = self.small_thumbnail_url

        style: None | str
        style = self.style

        thumbnail_url = self.thumbnail_url

        url = self.url

        width = self.width

        brand: dict[str, Any] | None | Unset
        if isinstance(self.brand, Unset):
            brand = UNSET
        elif isinstance(self.brand, BrandMatch):
            brand = self.brand.to_dict()
        else:
            brand = self.brand

        credentials: dict[str, Any] | None | Unset
        if isinstance(self.credentials, Unset):
            credentials = UNSET
        elif isinstance(self.credentials, ContentCredentials):
            credentials = self.credentials.to_dict()
        else:
            credentials = self.credentials

        style_version: int | None | Unset
        if isinstance(self.style_version, Unset):
            style_version = UNSET
        else:
            style_version = self.style_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "download_url": download_url,
                "expires_at": expires_at,
                "height": height,
                "index": index,
                "job_id": job_id,
                "model": model,
                "prompt": prompt,
                "review": review,
                "small_thumbnail_url": small_thumbnail_url,
                "style": style,
                "thumbnail_url": thumbnail_url,
                "url": url,
                "width": width,
            }
        )
        if brand is not UNSET:
            field_dict["brand"] = brand
        if credentials is not UNSET:
            field_dict["credentials"] = credentials
        if style_version is not UNSET:
            field_dict["style_version"] = style_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.brand_match import BrandMatch  # noqa: PLC0415
        from ..models.content_credentials import ContentCredentials  # noqa: PLC0415
        from ..models.image_review_state import ImageReviewState  # noqa: PLC0415

        d = dict(src_dict)
        download_url = d.pop("download_url")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        height = d.pop("height")

        index = d.pop("index")

        job_id = d.pop("job_id")

        model = d.pop("model")

        prompt = d.pop("prompt")

        def _parse_review(data: object) -> ImageReviewState | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                review_type_0 = ImageReviewState.from_dict(data)

                return review_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageReviewState | None, data)

        review = _parse_review(d.pop("review"))

        small_thumbnail_url = d.pop("small_thumbnail_url")

        def _parse_style(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        style = _parse_style(d.pop("style"))

        thumbnail_url = d.pop("thumbnail_url")

        url = d.pop("url")

        width = d.pop("width")

        def _parse_brand(data: object) -> BrandMatch | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                brand_type_0 = BrandMatch.from_dict(data)

                return brand_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BrandMatch | None | Unset, data)

        brand = _parse_brand(d.pop("brand", UNSET))

        def _parse_credentials(data: object) -> ContentCredentials | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credentials_type_0 = ContentCredentials.from_dict(data)

                return credentials_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContentCredentials | None | Unset, data)

        credentials = _parse_credentials(d.pop("credentials", UNSET))

        def _parse_style_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        style_version = _parse_style_version(d.pop("style_version", UNSET))

        library_image = cls(
            download_url=download_url,
            expires_at=expires_at,
            height=height,
            index=index,
            job_id=job_id,
            model=model,
            prompt=prompt,
            review=review,
            small_thumbnail_url=small_thumbnail_url,
            style=style,
            thumbnail_url=thumbnail_url,
            url=url,
            width=width,
            brand=brand,
            credentials=credentials,
            style_version=style_version,
        )

        library_image.additional_properties = d
        return library_image

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
