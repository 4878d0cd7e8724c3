from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ImagePublic")


@_attrs_define
class ImagePublic:
    """
    Attributes:
        download_url (str): The same PNG, answered as an attachment with a file name (a browser saves it).
        expires_at (datetime.datetime):
        height (int):
        index (int):
        seed (int):
        small_thumbnail_url (str): A WebP copy of at most 160 pixels a side, for lists.
        thumbnail_url (str): A WebP copy of at most 512 pixels a side, for grids.
        url (str): The PNG, valid until `expires_at`; the link itself is the credential.
        width (int):
    """

    download_url: str
    expires_at: datetime.datetime
    height: int
    index: int
    seed: int
    small_thumbnail_url: str
    thumbnail_url: str
    url: str
    width: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        download_url = self.download_url

        expires_at = self.expires_at.isoformat()

        height = self.height

        index = self.index

        seed = self.seed

        small_thumbnail_url = self.small_thumbnail_url

        thumbnail_url = self.thumbnail_url

        url = self.url

        width = self.width

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "download_url": download_url,
                "expires_at": expires_at,
                "height": height,
                "index": index,
                "seed": seed,
                "small_thumbnail_url": small_thumbnail_url,
                "thumbnail_url": thumbnail_url,
                "url": url,
                "width": width,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        download_url = d.pop("download_url")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        height = d.pop("height")

        index = d.pop("index")

        seed = d.pop("seed")

        small_thumbnail_url = d.pop("small_thumbnail_url")

        thumbnail_url = d.pop("thumbnail_url")

        url = d.pop("url")

        width = d.pop("width")

        image_public = cls(
            download_url=download_url,
            expires_at=expires_at,
            height=height,
            index=index,
            seed=seed,
            small_thumbnail_url=small_thumbnail_url,
            thumbnail_url=thumbnail_url,
            url=url,
            width=width,
        )

        image_public.additional_properties = d
        return image_public

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
