from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.entra_client_config import EntraClientConfig


T = TypeVar("T", bound="SignInConfig")


@_attrs_define
class SignInConfig:
    """How a web app signs people in on this server: the development sign-in or Microsoft Entra ID.

    The API accepts the development sign-in only while Entra ID is off (api/deps.py), so `dev`
    is never offered beside a configured tenant.

        Attributes:
            dev (bool):
            entra (EntraClientConfig | None):
    """

    dev: bool
    entra: EntraClientConfig | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.entra_client_config import EntraClientConfig  # noqa: PLC0415

        dev = self.dev

        entra: dict[str, Any] | None
        if isinstance(self.entra, EntraClientConfig):
            entra = self.entra.to_dict()
        else:
            entra = self.entra

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dev": dev,
                "entra": entra,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entra_client_config import EntraClientConfig  # noqa: PLC0415

        d = dict(src_dict)
        dev = d.pop("dev")

        def _parse_entra(data: object) -> EntraClientConfig | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                entra_type_0 = EntraClientConfig.from_dict(data)

                return entra_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EntraClientConfig | None, data)

        entra = _parse_entra(d.pop("entra"))

        sign_in_config = cls(
            dev=dev,
            entra=entra,
        )

        sign_in_config.additional_properties = d
        return sign_in_config

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
