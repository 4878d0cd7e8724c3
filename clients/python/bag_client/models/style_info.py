from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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
    """

    default_weight: float
    description: str
    family: str
    name: str
    trigger_words: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default_weight = self.default_weight

        description = self.description

        family = self.family

        name = self.name

        trigger_words = self.trigger_words

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        default_weight = d.pop("default_weight")

        description = d.pop("description")

        family = d.pop("family")

        name = d.pop("name")

        trigger_words = cast(list[str], d.pop("trigger_words"))

        style_info = cls(
            default_weight=default_weight,
            description=description,
            family=family,
            name=name,
            trigger_words=trigger_words,
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
