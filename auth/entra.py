"""Microsoft Entra ID access tokens for this API: who is asking, and may they use it.

The algorithm is fixed to RS256 here, never read from the token, so `alg: none` and an HS256 token
"signed" with our public key are refused before any key is looked up. Issuer, audience, expiry,
not-before and tenant are all checked, with a small leeway for clock skew.

Refusals carry a `reason` for the one log line `api/deps.py` writes per failure; this module
logs none itself, so each failure is logged once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import jwt

from auth.keys import KeyCache, KeysUnavailable
from auth.models import Forbidden, NotAuthenticated, SignInUnavailable, User
from settings import Settings

# Told of every signed-in caller and whether they had access: personal access tokens rely on it.
AccessObserver = Callable[[User, bool], Awaitable[None]]

# A real Entra access token is 1-3 KiB; a bigger one is someone probing the parser.
MAX_TOKEN_BYTES = 8192

_INVALID = "The access token is not valid."


class EntraValidator:
    def __init__(self, settings: Settings, keys: KeyCache, observe: AccessObserver | None = None) -> None:
        tid = settings.entra_tenant_id
        self.settings = settings
        self.keys = keys
        self.observe = observe
        self.tenant_id = tid
        self.issuers = [f"https://login.microsoftonline.com/{tid}/v2.0"]
        if settings.entra_accept_v1:
            self.issuers.append(f"https://sts.windows.net/{tid}/")
        self.audience = list(settings.entra_audience)
        if not self.audience:
            raise ValueError("BAG_ENTRA_AUDIENCE must name the API's application id URI and/or client id")

    async def validate(self, token: str) -> User:
        claims = await self._verified_claims(token)
        user = self._user(claims)
        try:
            self._authorize(claims, user)
        except Forbidden:
            if self.observe is not None:
                await self.observe(user, False)
            raise
        if self.observe is not None:
            await self.observe(user, True)
        return user

    async def _verified_claims(self, token: str) -> dict:
        if len(token) > MAX_TOKEN_BYTES:
            raise NotAuthenticated("The access token is too large.", reason="entra token too large")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise NotAuthenticated(_INVALID, reason="entra token malformed") from None
        # Checked before the key lookup so a forged header never causes a key fetch.
        if header.get("alg") != "RS256":
            raise NotAuthenticated(_INVALID, reason="entra token alg not RS256")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > 128:
            raise NotAuthenticated(_INVALID, reason="entra token without a usable kid")
        try:
            key = await self.keys.get(kid)
        except KeysUnavailable as exc:
            raise SignInUnavailable(exc.retry_after) from None
        if key is None:
            raise NotAuthenticated(_INVALID, reason="entra token kid not in the key set")
        try:
            return jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuers,
                leeway=self.settings.entra_leeway_seconds,
                options={"require": ["exp", "nbf", "iss", "aud", "oid", "tid"]},
            )
        except jwt.ExpiredSignatureError:
            raise NotAuthenticated("The access token has expired.", reason="entra token expired") from None
        except jwt.InvalidTokenError as exc:
            # The reason goes to our log only; the caller learns just that the token was refused.
            raise NotAuthenticated(_INVALID, reason=f"entra token {type(exc).__name__}") from None

    def _user(self, claims: Mapping) -> User:
        oid, tid = claims.get("oid"), claims.get("tid")
        if not isinstance(oid, str) or not oid or not isinstance(tid, str) or not tid:
            raise NotAuthenticated(_INVALID, reason="entra token without oid or tid")
        # The issuer names the tenant too, but `tid` is what users are keyed by: check it as well.
        if tid != self.tenant_id:
            raise NotAuthenticated(_INVALID, reason="entra token tid is another tenant")
        roles = claims.get("roles")
        roles = frozenset(r for r in roles if isinstance(r, str)) if isinstance(roles, list) else frozenset()
        admin_role = self.settings.entra_admin_role
        reviewer_role = self.settings.entra_reviewer_role
        return User(
            oid=oid,
            tid=tid,
            name=_text(claims.get("name")),
            email=_text(claims.get("preferred_username") or claims.get("email") or claims.get("upn")),
            roles=roles,
            is_admin=bool(admin_role) and admin_role in roles,
            is_reviewer=bool(reviewer_role) and reviewer_role in roles,
        )

    def _authorize(self, claims: Mapping, user: User) -> None:
        role = self.settings.entra_required_role
        group = self.settings.entra_required_group
        if not role and not group:
            return  # anyone the tenant issues a token for this API to
        # A reviewer may sign in to review without the role that grants generating.
        if user.is_admin or user.is_reviewer or (role and role in user.roles):
            return
        if group:
            groups = claims.get("groups")
            if isinstance(groups, list) and group in groups:
                return
            if groups is None and _groups_overage(claims):
                # Too many groups to fit in the token: absence says nothing about membership.
                if self.settings.entra_groups_overage == "allow":
                    return
                raise Forbidden(
                    "You are in too many groups for your token to list them; ask your administrator "
                    "to assign you this application's role.",
                    reason="no app role and groups overage",
                )
        raise Forbidden("Your account has not been given access to this application.",
                        reason="no app role or group")


def _groups_overage(claims: Mapping) -> bool:
    names = claims.get("_claim_names")
    return (isinstance(names, dict) and "groups" in names) or claims.get("hasgroups") is True


def _text(value: object) -> str:
    return value[:256] if isinstance(value, str) else ""
