from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Me")


@_attrs_define
class Me:
    """
    Attributes:
        can_review (bool): May approve or reject images for the Approved library (the reviewer app role, or an
            administrator).
        email (str):
        name (str):
        oid (str):
        tid (str):
    """

    can_review: bool
    email: str
    name: str
    oid: str
    tid: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        can_review = self.can_review

        email = self.email

        name = self.name

        oid = self.oid

        tid = self.tid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "can_review": can_review,
                "email": email,
                "name": name,
                "oid": oid,
                "tid": tid,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        can_review = d.pop("can_review")

        email = d.pop("email")

        name = d.pop("name")

        oid = d.pop("oid")

        tid = d.pop("tid")

        me = cls(
            can_review=can_review,
            email=email,
            name=name,
            oid=oid,
            tid=tid,
        )

        me.additional_properties = d
        return me

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
