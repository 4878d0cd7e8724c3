"""Personal access tokens, for internal tools and the Figma plugin: a token acts as its owner.

Only the SHA-256 of the secret is stored, so a copy of the database signs no one in. The secret
has 256 random bits, so a plain (unsalted) hash is enough: there is nothing to guess. The lookup
is by hash, and the stored hash is compared again in constant time. The first characters of the
secret (`bag_pat_AbCd`) are kept in the clear so the owner can tell their tokens apart, as GitHub
and Stripe show them; four random characters say nothing useful about the other 39.

Every token expires (a default and a maximum lifetime, both settings). Whether its owner still has
access is checked by `auth/access.py` on each use; creation and revocation are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import DateTime, Engine, Index, func
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel, col, select

from auth.audit import Actor, audit_row
from auth.models import Forbidden, NotAuthenticated, User
from common.clock import aware, utcnow
from common.text import SingleLine
from jobs.errors import DomainError, InvalidRequest

PREFIX = "bag_pat_"
# How much of the secret is kept and shown: the fixed prefix and four random characters.
SHOWN_CHARS = len(PREFIX) + 4
# Writing last_used_at on every poll would turn reads into writes; once a few minutes is enough.
_TOUCH_EVERY = timedelta(minutes=5)


class AccessToken(SQLModel, table=True):
    """The schema is owned by the Alembic migrations in `jobs/migrations`; keep the two in step."""

    __tablename__ = "access_token"
    __table_args__ = (
        Index("ix_access_token_hash", "token_hash", unique=True),
        Index("ix_access_token_owner", "owner_tid", "owner_oid"),
    )

    id: str = SQLField(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    owner_oid: str = SQLField(max_length=64)
    owner_tid: str = SQLField(max_length=64)
    # Shown back to the owner only, as the label they chose.
    owner_name: str = SQLField(default="", max_length=256)
    name: str = SQLField(max_length=100)
    prefix: str = SQLField(max_length=16)
    token_hash: str = SQLField(max_length=64)
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))
    last_used_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))
    expires_at: datetime = SQLField(sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))


# No server may allow more (ten years): bounds the number itself, whatever the setting says.
MAX_TOKEN_DAYS = 3660


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, SingleLine(100)] = Field(min_length=1,
                                                  description="What the token is for, e.g. 'Figma plugin'.")
    expires_in_days: int | None = Field(
        default=None, ge=1, le=MAX_TOKEN_DAYS, description="Lifetime; empty: the server's default. At most the server's maximum "
        "(GET /tokens/policy).")


class TokenPolicy(BaseModel):
    default_days: int = Field(description="The lifetime a token gets when none is asked for.")
    max_days: int = Field(description="The longest lifetime that may be asked for.")


class TokenPublic(BaseModel):
    id: str
    name: str
    prefix: str = Field(description="The secret's first characters, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None = Field(description="Empty: never used (updated at most every 5 minutes).")
    expires_at: datetime


class TokenCreated(TokenPublic):
    token: str = Field(description="The secret. Shown only now; store it like a password.")


class TooManyTokens(DomainError):
    code = "too_many_tokens"

    def __init__(self, limit: int) -> None:
        super().__init__(f"You already hold {limit} access tokens; revoke one first.")


class TokenNotFound(DomainError):
    code = "token_not_found"

    def __init__(self) -> None:
        super().__init__("No such access token.")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _public(row: AccessToken) -> TokenPublic:
    return TokenPublic(id=row.id, name=row.name, prefix=row.prefix, created_at=aware(row.created_at),
                       last_used_at=aware(row.last_used_at), expires_at=aware(row.expires_at))


class TokenService:
    def __init__(self, engine: Engine, max_per_user: int = 20, default_days: int = 90, max_days: int = 366) -> None:
        if default_days > max_days:
            raise ValueError(f"the default token lifetime ({default_days} days) exceeds the maximum ({max_days})")
        self.engine = engine
        self.max_per_user = max_per_user
        self.policy = TokenPolicy(default_days=default_days, max_days=max_days)

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @staticmethod
    def _mine(user: User):  # noqa: ANN205
        return (col(AccessToken.owner_tid) == user.tid) & (col(AccessToken.owner_oid) == user.oid)

    def create(self, actor: Actor, body: TokenCreate, now: datetime | None = None) -> TokenCreated:
        user = actor.user
        if user.token_id is not None:
            # A leaked token must not be able to mint fresh ones that outlive its revocation.
            raise Forbidden("Access tokens can only be managed after signing in.")
        days = body.expires_in_days or self.policy.default_days
        if days > self.policy.max_days:
            raise InvalidRequest("expires_in_days", f"A token may live at most {self.policy.max_days} days.")
        now = now or utcnow()
        secret = PREFIX + secrets.token_urlsafe(32)
        row = AccessToken(
            owner_oid=user.oid, owner_tid=user.tid, owner_name=user.name, name=body.name,
            prefix=secret[:SHOWN_CHARS], token_hash=hash_secret(secret), created_at=now,
            expires_at=now + timedelta(days=days),
        )
        with self._session() as s:
            held = s.exec(select(func.count()).select_from(AccessToken)
                          .where(self._mine(user), col(AccessToken.revoked_at).is_(None))).one()
            if held >= self.max_per_user:
                raise TooManyTokens(self.max_per_user)
            s.add(row)
            s.add(audit_row(actor, "token.create", row.id, now))
            s.commit()
        return TokenCreated(**_public(row).model_dump(), token=secret)

    def list(self, user: User) -> list[TokenPublic]:
        with self._session() as s:
            rows = s.exec(select(AccessToken)
                          .where(self._mine(user), col(AccessToken.revoked_at).is_(None))
                          .order_by(col(AccessToken.created_at).desc())).all()
        return [_public(r) for r in rows]

    def revoke(self, actor: Actor, token_id: str, now: datetime | None = None) -> None:
        user = actor.user
        if user.token_id is not None:
            raise Forbidden("Access tokens can only be managed after signing in.")
        with self._session() as s:
            row = s.get(AccessToken, token_id)
            # Someone else's token answers exactly like one that does not exist.
            if row is None or row.owner_oid != user.oid or row.owner_tid != user.tid or row.revoked_at:
                raise TokenNotFound()
            row.revoked_at = now or utcnow()
            s.add(row)
            s.add(audit_row(actor, "token.revoke", row.id, row.revoked_at))
            s.commit()

    def authenticate(self, secret: str, now: datetime | None = None) -> User:
        """The owner of a live token; NotAuthenticated for anything else, always the same way."""
        if len(secret) > 128:
            raise NotAuthenticated("The access token is not valid.", reason="access token too long")
        now = now or utcnow()
        digest = hash_secret(secret)
        with self._session() as s:
            row = s.exec(select(AccessToken).where(col(AccessToken.token_hash) == digest)).first()
            if row is None or not hmac.compare_digest(row.token_hash, digest):
                raise NotAuthenticated("The access token is not valid.", reason="access token unknown")
            if row.revoked_at is not None:
                raise NotAuthenticated("The access token has been revoked or has expired.",
                                       reason="access token revoked")
            if aware(row.expires_at) <= now:
                raise NotAuthenticated("The access token has been revoked or has expired.",
                                       reason="access token expired")
            last = aware(row.last_used_at)
            if last is None or now - last >= _TOUCH_EVERY:
                row.last_used_at = now
                s.add(row)
                s.commit()
        return User(oid=row.owner_oid, tid=row.owner_tid, name=row.owner_name, token_id=row.id)
