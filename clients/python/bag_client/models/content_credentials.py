from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.content_credentials_state import ContentCredentialsState
from ..types import UNSET, Unset

T = TypeVar("T", bound="ContentCredentials")


@_attrs_define
class ContentCredentials:
    """What the image's signed C2PA manifest says, as read back when the image was stored.

    Attributes:
        generator (str): The product that made the image, with its version.
        model (str):
        source_type (str): The IPTC digital source type, e.g. trainedAlgorithmicMedia.
        state (ContentCredentialsState): trusted: valid and signed by a certificate chaining to the configured trust
            anchor; valid: intact but the signer is not trusted here; invalid: the manifest does not match the image.
        creator (None | str | Unset): Who made the image (display name), only where the server is set to include it.
        issuer (None | str | Unset): Who signed: the certificate's organisation.
        model_version (None | str | Unset):
        prompt (None | str | Unset): The prompt, only where the server is set to include it.
        signed_at (datetime.datetime | None | Unset):
        style (None | str | Unset):
        style_version (int | None | Unset):
    """

    generator: str
    model: str
    source_type: str
    state: ContentCredentialsState
    creator: None | str | Unset = UNSET
    issuer: None | str | Unset = UNSET
    model_version: None | str | Unset = UNSET
    prompt: None | str | Unset = UNSET
    signed_at: datetime.datetime | None | Unset = UNSET
    style: None | str | Unset = UNSET
    style_version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        generator = self.generator

        model = self.model

        source_type = self.source_type

        state = self.state.value

        creator: None | str | Unset
        if isinstance(self.creator, Unset):
            creator = UNSET
        else:
            creator = self.creator

        issuer: None | str | Unset
        if isinstance(self.issuer, Unset):
            issuer = UNSET
        else:
            issuer = self.issuer

        model_version: None | str | Unset
        if isinstance(self.model_version, Unset):
            model_version = UNSET
        else:
            model_version = self.model_version

        prompt: None | str | Unset
        if isinstance(self.prompt, Unset):
            prompt = UNSET
        else:
            prompt = self.prompt

        signed_at: None | str | Unset
        if isinstance(self.signed_at, Unset):
            signed_at = UNSET
        elif isinstance(self.signed_at, datetime.datetime):
            signed_at = self.signed_at.isoformat()
        else:
            signed_at = self.signed_at

        style: None | str | Unset
        if isinstance(self.style, Unset):
            style = UNSET
        else:
            style = self.style

        style_version: int | None | Unset
        if isinstance(self.style_version, Unset):
            style_version = UNSET
        else:
            style_version = self.style_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "generator": generator,
                "model": model,
                "source_type": source_type,
                "state": state,
            }
        )
        if creator is not UNSET:
            field_dict["creator"] = creator
        if issuer is not UNSET:
            field_dict["issuer"] = issuer
        if model_version is not UNSET:
            field_dict["model_version"] = model_version
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if signed_at is not UNSET:
            field_dict["signed_at"] = signed_at
        if style is not UNSET:
            field_dict["style"] = style
        if style_version is not UNSET:
            field_dict["style_version"] = style_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        generator = d.pop("generator")

        model = d.pop("model")

        source_type = d.pop("source_type")

        state = ContentCredentialsState(d.pop("state"))

        def _parse_creator(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        creator = _parse_creator(d.pop("creator", UNSET))

        def _parse_issuer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        issuer = _parse_issuer(d.pop("issuer", UNSET))

        def _parse_model_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_version = _parse_model_version(d.pop("model_version", UNSET))

        def _parse_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompt = _parse_prompt(d.pop("prompt", UNSET))

        def _parse_signed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signed_at_type_0 = datetime.datetime.fromisoformat(data)

                return signed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        signed_at = _parse_signed_at(d.pop("signed_at", UNSET))

        def _parse_style(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        style = _parse_style(d.pop("style", UNSET))

        def _parse_style_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        style_version = _parse_style_version(d.pop("style_version", UNSET))

        content_credentials = cls(
            generator=generator,
            model=model,
            source_type=source_type,
            state=state,
            creator=creator,
            issuer=issuer,
            model_version=model_version,
            prompt=prompt,
            signed_at=signed_at,
            style=style,
            style_version=style_version,
        )

        content_credentials.additional_properties = d
        return content_credentials

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
