"""Development sign-in: `Authorization: Bearer dev:<name>` acts as user <name>; `dev:<name>;reviewer`
acts as the same user holding the reviewer role (docs/sign-in.md).

Anyone can be anyone with it, so it is only for `make run` on a laptop and for tests: the server
refuses to start with it while listening beyond localhost, unless forced, and says so loudly.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import unicodedata
from urllib.parse import unquote

from auth.models import NotAuthenticated, User

log = logging.getLogger(__name__)

DEV_TENANT = "dev-tenant"
# The owner id "dev-<name>" goes into 64-character columns (counted in NFC, as stored), so the name
# keeps to 60.
MAX_NAME = 60
# Beside letters, marks and digits of any script: the punctuation people's names and handles use.
_PUNCTUATION = frozenset(" .'-_@")
# After the name (`dev:<name>;reviewer`): the same user, holding the reviewer role, for trying
# approvals with `make run` and in the browser tests.
REVIEWER_FLAG = "reviewer"
RULES = (
    "Development user names are 1-60 letters or digits (any script), single spaces between words, "
    "and . ' - _ @. Send letters beyond ASCII percent-encoded as UTF-8 (encodeURIComponent)."
)


def user_from_authorization(header: str | None) -> User:
    if not header:
        raise NotAuthenticated()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith("dev:"):
        raise NotAuthenticated("Development sign-in expects 'Authorization: Bearer dev:<name>'.")
    # `;` is never part of a name (a name's own would arrive percent-encoded, and is refused), so
    # the role flag cannot be read out of, or into, a name.
    sent, flagged, flag = token.removeprefix("dev:").partition(";")
    if flagged and flag != REVIEWER_FLAG:
        raise NotAuthenticated(f"Development sign-in accepts only ';{REVIEWER_FLAG}' after the name.")
    name = parse_name(sent)
    email = name.replace(" ", ".")
    return User(oid=f"dev-{name}", tid=DEV_TENANT, name=name, email=f"{email}@dev.invalid",
                is_reviewer=bool(flagged))


def parse_name(sent: str) -> str:
    """The user name in a dev token, or NotAuthenticated.

    Headers travel as bytes that servers read as Latin-1, so a raw non-ASCII byte could be Latin-1
    from a browser or UTF-8 from curl: it is refused rather than guessed. Letters beyond ASCII come
    percent-encoded as UTF-8 instead. No name allowed before has a '%', so every one of them still
    decodes to itself and keeps its owner id. The name is taken in NFC, so the same letters typed
    composed or decomposed are one user; nothing else is changed: a space where none may be is
    refused, never trimmed or collapsed, because the name is the identity.
    """
    if not sent.isascii():
        raise NotAuthenticated(RULES)
    try:
        name = unicodedata.normalize("NFC", unquote(sent, errors="strict"))
    except UnicodeDecodeError:
        raise NotAuthenticated(RULES) from None
    if not _is_name(name):
        raise NotAuthenticated(RULES)
    return name


def _is_name(name: str) -> bool:
    if not 1 <= len(name) <= MAX_NAME or name[0] == " " or name[-1] == " " or "  " in name:
        return False
    if unicodedata.category(name[0]).startswith("M"):  # a combining mark needs a letter to sit on
        return False
    return all(c in _PUNCTUATION or unicodedata.category(c)[0] in "LM" or unicodedata.category(c) == "Nd"
               for c in name)


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
