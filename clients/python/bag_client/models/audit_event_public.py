from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuditEventPublic")


@_attrs_define
class AuditEventPublic:
    """
    Attributes:
        action (str):
        actor_name (str):
        actor_oid (str):
        actor_tid (str):
        address (str):
        at (datetime.datetime):
        target (str):
        user_agent (str):
    """

    action: str
    actor_name: str
    actor_oid: str
    actor_tid: str
    address: str
    at: datetime.datetime
    target: str
    user_agent: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor_name = self.actor_name

        actor_oid = self.actor_oid

        actor_tid = self.actor_tid

        address = self.address

        at = self.at.isoformat()

        target = self.target

        user_agent = self.user_agent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor_name": actor_name,
                "actor_oid": actor_oid,
                "actor_tid": actor_tid,
                "address": address,
                "at": at,
                "target": target,
                "user_agent": user_agent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        actor_name = d.pop("actor_name")

        actor_oid = d.pop("actor_oid")

        actor_tid = d.pop("actor_tid")

        address = d.pop("address")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        target = d.pop("target")

        user_agent = d.pop("user_agent")

        audit_event_public = cls(
            action=action,
            actor_name=actor_name,
            actor_oid=actor_oid,
            actor_tid=actor_tid,
            address=address,
            at=at,
            target=target,
            user_agent=user_agent,
        )

        audit_event_public.additional_properties = d
        return audit_event_public

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
