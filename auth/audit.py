"""The audit log: who did what, when, and from where, for token changes and administrator reads.

Services know nothing of HTTP, so the route hands them an `Actor` (the user and where the request
came from). Rows are only ever added; `GET /admin/audit` reads them, newest first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import DateTime, Engine, Index, func
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel, col, select

from auth.models import User
from common.clock import aware, utcnow


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where (the client's address and user agent, as the server saw them)."""

    user: User
    address: str = ""
    user_agent: str = ""


class AuditEvent(SQLModel, table=True):
    """The schema is owned by the Alembic migrations in `jobs/migrations`; keep the two in step."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)

    id: str = SQLField(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    at: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))
    actor_oid: str = SQLField(max_length=64)
    actor_tid: str = SQLField(max_length=64)
    actor_name: str = SQLField(default="", max_length=256)
    # e.g. token.create, token.revoke, admin.list_jobs, admin.read_audit
    action: str = SQLField(max_length=64)
    # What was acted on (a token id), empty for reads of a whole list.
    target: str = SQLField(default="", max_length=128)
    address: str = SQLField(default="", max_length=64)
    user_agent: str = SQLField(default="", max_length=256)


class AuditEventPublic(BaseModel):
    at: datetime
    actor_oid: str
    actor_tid: str
    actor_name: str
    action: str
    target: str
    address: str
    user_agent: str


class AuditPage(BaseModel):
    items: list[AuditEventPublic]
    total: int
    limit: int
    offset: int


def audit_row(actor: Actor, action: str, target: str = "", now: datetime | None = None) -> AuditEvent:
    """A row to add in the same transaction as the change it records."""
    return AuditEvent(
        at=now or utcnow(), actor_oid=actor.user.oid, actor_tid=actor.user.tid,
        actor_name=actor.user.name[:256], action=action, target=target[:128],
        address=actor.address[:64], user_agent=actor.user_agent[:256],
    )


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, actor: Actor, action: str, target: str = "") -> None:
        with Session(self.engine) as s:
            s.add(audit_row(actor, action, target))
            s.commit()

    def page(self, limit: int, offset: int) -> AuditPage:
        with Session(self.engine) as s:
            total = s.exec(select(func.count()).select_from(AuditEvent)).one()
            rows = s.exec(select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id))
                          .limit(limit).offset(offset)).all()
        items = [AuditEventPublic(**r.model_dump(exclude={"id"}) | {"at": aware(r.at)}) for r in rows]
        return AuditPage(items=items, total=total, limit=limit, offset=offset)
