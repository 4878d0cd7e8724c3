from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ModelInfo")


@_attrs_define
class ModelInfo:
    """
    Attributes:
        default_guidance (float):
        default_height (int):
        default_steps (int):
        default_width (int):
        demo (bool):
        family (str):
        name (str):
    """

    default_guidance: float
    default_height: int
    default_steps: int
    default_width: int
    demo: bool
    family: str
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default_guidance = self.default_guidance

        default_height = self.default_height

        default_steps = self.default_steps

        default_width = self.default_width

        demo = self.demo

        family = self.family

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default_guidance": default_guidance,
                "default_height": default_height,
                "default_steps": default_steps,
                "default_width": default_width,
                "demo": demo,
                "family": family,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        default_guidance = d.pop("default_guidance")

        default_height = d.pop("default_height")

        default_steps = d.pop("default_steps")

        default_width = d.pop("default_width")

        demo = d.pop("demo")

        family = d.pop("family")

        name = d.pop("name")

        model_info = cls(
            default_guidance=default_guidance,
            default_height=default_height,
            default_steps=default_steps,
            default_width=default_width,
            demo=demo,
            family=family,
            name=name,
        )

        model_info.additional_properties = d
        return model_info

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
