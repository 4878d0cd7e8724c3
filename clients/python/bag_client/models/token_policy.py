from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TokenPolicy")


@_attrs_define
class TokenPolicy:
    """
    Attributes:
        default_days (int): The lifetime a token gets when none is asked for.
        max_days (int): The longest lifetime that may be asked for.
    """

    default_days: int
    max_days: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default_days = self.default_days

        max_days = self.max_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default_days": default_days,
                "max_days": max_days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        default_days = d.pop("default_days")

        max_days = d.pop("max_days")

        token_policy = cls(
            default_days=default_days,
            max_days=max_days,
        )

        token_policy.additional_properties = d
        return token_policy

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
