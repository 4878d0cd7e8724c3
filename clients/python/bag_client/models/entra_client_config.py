from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EntraClientConfig")


@_attrs_define
class EntraClientConfig:
    """What MSAL in the web app needs: its own client id, the tenant's authority, the API's scopes.

    Attributes:
        authority (str):
        client_id (str):
        scopes (list[str]):
    """

    authority: str
    client_id: str
    scopes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authority = self.authority

        client_id = self.client_id

        scopes = self.scopes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "authority": authority,
                "client_id": client_id,
                "scopes": scopes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        authority = d.pop("authority")

        client_id = d.pop("client_id")

        scopes = cast(list[str], d.pop("scopes"))

        entra_client_config = cls(
            authority=authority,
            client_id=client_id,
            scopes=scopes,
        )

        entra_client_config.additional_properties = d
        return entra_client_config

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
