"""Whether a personal access token's owner still has access to the app, re-checked at an interval.

A personal access token carries no roles, so on its own it would outlive its owner's app role or
group. Every Entra sign-in therefore records here whether the person had access, and when. A token
works only while that record says yes and is younger than BAG_ACCESS_RECHECK_SECONDS. When it is
older (or missing) and Graph credentials are configured, the owner is looked up in Microsoft Graph,
at most once per interval per owner in each process; without Graph the owner's next sign-in renews
it. A sign-in refused for lack of access records "no" at once, so the owner's tokens stop with it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel

from auth.models import NotAuthenticated, User
from common.clock import aware, utcnow

log = logging.getLogger(__name__)

# True: has access; False: has not; None: could not tell (Graph unreachable).
GraphLookup = Callable[[str], Awaitable[bool | None]]
# A failed Graph lookup is retried sooner than a whole interval, but not on every request.
_GRAPH_RETRY_SECONDS = 60.0
# Bounds the in-process memo tables; owners are people, so this is never reached in practice.
_MAX_MEMO = 10_000


class OwnerAccess(SQLModel, table=True):
    """The schema is owned by the Alembic migrations in `jobs/migrations`; keep the two in step."""

    __tablename__ = "owner_access"

    owner_tid: str = SQLField(primary_key=True, max_length=64)
    owner_oid: str = SQLField(primary_key=True, max_length=64)
    allowed: bool
    checked_at: datetime = SQLField(sa_type=DateTime(timezone=True))
    # "sign_in" or "graph": where the answer came from, for whoever reads the table.
    source: str = SQLField(max_length=16)


class AccessLedger:
    def __init__(self, engine: Engine, interval_seconds: float, graph: GraphLookup | None = None,
                 clock: Callable[[], datetime] = utcnow, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.engine = engine
        self.interval = timedelta(seconds=interval_seconds)
        # Sign-ins renew the record this often at most, so a busy user is not one write per request.
        self.renew_every = min(self.interval / 4, timedelta(minutes=15))
        self.graph = graph
        self.clock = clock
        self.monotonic = monotonic
        self._written: dict[tuple[str, str], tuple[bool, datetime]] = {}
        self._graph_tried: dict[tuple[str, str], float] = {}
        # Lookups in flight, so concurrent requests of one owner wait for one answer.
        self._graph_pending: dict[tuple[str, str], asyncio.Future[bool | None]] = {}

    async def observe(self, user: User, allowed: bool) -> None:
        """Called for every Entra sign-in: record a refusal always, a confirmation when due for renewal."""
        key, now = (user.tid, user.oid), self.clock()
        memo = self._written.get(key)
        # Only a confirmation may be skipped: another replica may have written "allowed" since this
        # process wrote its refusal, and a skipped refusal would leave the owner's tokens working.
        if allowed and memo is not None and memo[0] and now - memo[1] < self.renew_every:
            return
        await asyncio.to_thread(self._write, user.tid, user.oid, allowed, now, "sign_in")

    async def require(self, user: User) -> None:
        """NotAuthenticated unless the owner's access was confirmed within the interval."""
        now = self.clock()
        row = await asyncio.to_thread(self._read, user.tid, user.oid)
        fresh = row is not None and now - aware(row.checked_at) < self.interval
        if fresh and row.allowed:
            return
        if row is not None and not row.allowed and fresh:
            raise NotAuthenticated("The access token's owner no longer has access to this application.",
                                   reason="access token owner lost access")
        if self.graph is not None and (lookup := self._graph_lookup(self.graph, user)) is not None:
            found = await asyncio.shield(lookup)
            if found:
                return
            if found is False:
                raise NotAuthenticated("The access token's owner no longer has access to this application.",
                                       reason="access token owner lost access (graph)")
        raise NotAuthenticated(
            "The access token's owner has not signed in recently enough to confirm their access; "
            "sign in to the web app, then try again.",
            reason="access token owner not confirmed recently",
        )

    def _graph_lookup(self, graph: GraphLookup, user: User) -> asyncio.Future[bool | None] | None:
        """The lookup of this owner in flight or started now; None when one was tried too lately."""
        key, now = (user.tid, user.oid), self.monotonic()
        if (pending := self._graph_pending.get(key)) is not None:
            return pending
        tried = self._graph_tried.get(key)
        # An answer is written to the table and stands for the interval; a failure (None) is
        # retried after _GRAPH_RETRY_SECONDS, not on every request.
        if tried is not None and now - tried < _GRAPH_RETRY_SECONDS:
            return None
        if len(self._graph_tried) >= _MAX_MEMO:
            self._graph_tried.clear()
        self._graph_tried[key] = now
        task = asyncio.ensure_future(self._ask_graph(graph, user))
        self._graph_pending[key] = task
        task.add_done_callback(lambda _: self._graph_pending.pop(key, None))
        return task

    async def _ask_graph(self, graph: GraphLookup, user: User) -> bool | None:
        found = await graph(user.oid)
        if found is not None:
            await asyncio.to_thread(self._write, user.tid, user.oid, found, self.clock(), "graph")
        return found

    def _read(self, tid: str, oid: str) -> OwnerAccess | None:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.get(OwnerAccess, (tid, oid))

    def _write(self, tid: str, oid: str, allowed: bool, now: datetime, source: str) -> None:
        for attempt in range(2):
            try:
                with Session(self.engine) as s:
                    # merge: update the owner's row, or insert it on their first sign-in.
                    s.merge(OwnerAccess(owner_tid=tid, owner_oid=oid, allowed=allowed, checked_at=now,
                                        source=source))
                    s.commit()
                break
            except IntegrityError:
                # Two first sign-ins raced to insert; the second try updates the row the other wrote.
                if attempt:
                    raise
        if len(self._written) >= _MAX_MEMO:
            self._written.clear()
        self._written[(tid, oid)] = (allowed, now)
        if not allowed:
            log.info("access of %s/%s not confirmed (%s); their access tokens stop working", tid, oid, source)
