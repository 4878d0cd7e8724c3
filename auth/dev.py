"""Development sign-in: `Authorization: Bearer dev:<name>` acts as user <name>.

Anyone can be anyone with it, so it is only for `make run` on a laptop and for tests: the server
refuses to start with it while listening beyond localhost, unless forced, and says so loudly.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re

from auth.models import NotAuthenticated, User

log = logging.getLogger(__name__)

DEV_TENANT = "dev-tenant"
# The owner id "dev-<name>" goes into 64-character columns, so the name keeps to 60.
_NAME = re.compile(r"[A-Za-z0-9_.@-]{1,60}")


def user_from_authorization(header: str | None) -> User:
    if not header:
        raise NotAuthenticated()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith("dev:"):
        raise NotAuthenticated("Development sign-in expects 'Authorization: Bearer dev:<name>'.")
    name = token.removeprefix("dev:")
    # fullmatch: `$` would also match before a final newline, letting "alice\n" in as a user.
    if not _NAME.fullmatch(name):
        raise NotAuthenticated("Development user names are 1-60 letters, digits, '_', '.', '@' or '-'.")
    return User(oid=f"dev-{name}", tid=DEV_TENANT, name=name, email=f"{name}@dev.invalid")


def listening_addresses(pid: int | None = None) -> list[str]:
    """The addresses this process accepts connections on (what the server really bound)."""
    import psutil

    proc = psutil.Process(pid or os.getpid())
    return [c.laddr.ip for c in proc.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]


def beyond_localhost(addresses: list[str]) -> list[str]:
    return [a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_loopback]


def check_dev_auth_allowed(addresses: list[str], force: bool) -> None:
    """Refuse the dev sign-in on a reachable server unless explicitly forced; warn either way."""
    exposed = beyond_localhost(addresses)
    if exposed and not force:
        raise RuntimeError(
            f"Development sign-in is on and the server listens on {', '.join(exposed)}: anyone who "
            "can reach it could act as any user. Listen on 127.0.0.1, turn BAG_DEV_AUTH off, or set "
            "BAG_DEV_AUTH_FORCE=1 if you really mean it."
        )
    log.warning(
        "DEVELOPMENT SIGN-IN IS ON: any caller can act as any user (Bearer dev:<name>)%s.",
        f" and the server listens on {', '.join(exposed)} (forced)" if exposed else "",
    )
