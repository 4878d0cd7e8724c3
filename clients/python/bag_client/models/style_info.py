from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StyleInfo")


@_attrs_define
class StyleInfo:
    """
    Attributes:
        default_weight (float):
        description (str):
        family (str):
        name (str):
        trigger_words (list[str]):
        fingerprint (None | str | Unset): sha256 of the style's adapter file.
        palette (list[str] | Unset): The brand's colours, #rrggbb; images are scored against them. Empty: the style
            declares none.
        version (int | None | Unset): The style's current version: each new adapter file is a new version, from 1.
    """

    default_weight: float
    description: str
    family: str
    name: str
    trigger_words: list[str]
    fingerprint: None | str | Unset = UNSET
    palette: list[str] | Unset = UNSET
    version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default_weight = self.default_weight

        description = self.description

        family = self.family

        name = self.name

        trigger_words = self.trigger_words

        fingerprint: None | str | Unset
        if isinstance(self.fingerprint, Unset):
            fingerprint = UNSET
        else:
            fingerprint = self.fingerprint

        palette: list[str] | Unset = UNSET
        if not isinstance(self.palette, Unset):
            palette = self.palette

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default_weight": default_weight,
                "description": description,
                "family": family,
                "name": name,
                "trigger_words": trigger_words,
            }
        )
        if fingerprint is not UNSET:
            field_dict["fingerprint"] = fingerprint
        if palette is not UNSET:
            field_dict["palette"] = palette
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        default_weight = d.pop("default_weight")

        description = d.pop("description")

        family = d.pop("family")

        name = d.pop("name")

        trigger_words = cast(list[str], d.pop("trigger_words"))

        def _parse_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fingerprint = _parse_fingerprint(d.pop("fingerprint", UNSET))

        palette = cast(list[str], d.pop("palette", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        style_info = cls(
            default_weight=default_weight,
            description=description,
            family=family,
            name=name,
            trigger_words=trigger_words,
            fingerprint=fingerprint,
            palette=palette,
            version=version,
        )

        style_info.additional_properties = d
        return style_info

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
