"""Asks Microsoft Graph whether a user still has access to the app, for personal access tokens.

Used only when BAG_GRAPH_CLIENT_ID and BAG_GRAPH_CLIENT_SECRET are set (the API's own app
registration, with the application permissions Application.Read.All and GroupMember.Read.All and
User.Read.All, admin-consented). The answer mirrors the sign-in check in `auth/entra.py`: an enabled
account holding the required or admin app role (directly or through a group it is a direct member
of, as Graph's appRoleAssignments lists them), or a member of the required group, or, with neither
configured, any enabled account of the tenant. Any failure answers None ("could not tell"), which
never confirms access.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

import httpx

from settings import Settings, require_https

log = logging.getLogger(__name__)

_SCOPE = "https://graph.microsoft.com/.default"


class GraphAccess:
    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        # Settings also checks this at start; checked again here for settings built without validation.
        require_https(settings.graph_url, "BAG_GRAPH_URL", allow_http=settings.allow_http_identity_urls_for_tests)
        require_https(settings.login_url, "BAG_LOGIN_URL", allow_http=settings.allow_http_identity_urls_for_tests)
        self.settings = settings
        self.transport = transport
        self._token: tuple[str, float] | None = None  # app token, monotonic time it expires

    async def __call__(self, oid: str) -> bool | None:
        try:
            async with httpx.AsyncClient(timeout=self.settings.graph_timeout_seconds,
                                         transport=self.transport) as client:
                return await self._has_access(client, oid)
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            log.warning("Graph lookup of %s failed (%s); their access tokens stay unconfirmed",
                        oid, type(exc).__name__)
            return None

    async def _has_access(self, client: httpx.AsyncClient, oid: str) -> bool:
        s = self.settings
        headers = {"Authorization": f"Bearer {await self._app_token(client)}"}
        graph = f"{s.graph_url.rstrip('/')}/v1.0"
        user = await client.get(f"{graph}/users/{quote(oid)}", params={"$select": "id,accountEnabled"},
                                headers=headers)
        if user.status_code == 404:
            return False  # deleted from the tenant
        user.raise_for_status()
        if user.json().get("accountEnabled") is not True:
            return False
        roles = {r for r in (s.entra_required_role, s.entra_admin_role) if r}
        if not s.entra_required_role and not s.entra_required_group:
            return True
        if roles and await self._holds_role(client, graph, headers, oid, roles):
            return True
        if s.entra_required_group:
            found = await client.post(f"{graph}/users/{quote(oid)}/checkMemberGroups", headers=headers,
                                      json={"groupIds": [s.entra_required_group]})
            found.raise_for_status()
            return s.entra_required_group in found.json()["value"]
        return False

    async def _holds_role(self, client: httpx.AsyncClient, graph: str, headers: dict, oid: str,
                          roles: set[str]) -> bool:
        app = await client.get(f"{graph}/servicePrincipals(appId='{quote(self.settings.graph_client_id)}')",
                               params={"$select": "id,appRoles"}, headers=headers)
        app.raise_for_status()
        body = app.json()
        role_ids = {r["id"] for r in body.get("appRoles", []) if r.get("value") in roles}
        url: str | None = f"{graph}/users/{quote(oid)}/appRoleAssignments"
        params: dict | None = {"$filter": f"resourceId eq {body['id']}"}
        for _ in range(10):  # pages; a person holds a handful of assignments to one app
            if url is None:
                break
            page = await client.get(url, params=params, headers=headers)
            page.raise_for_status()
            data = page.json()
            if any(a.get("appRoleId") in role_ids for a in data["value"]):
                return True
            url, params = data.get("@odata.nextLink"), None
        return False

    async def _app_token(self, client: httpx.AsyncClient) -> str:
        if self._token is not None and time.monotonic() < self._token[1]:
            return self._token[0]
        s = self.settings
        response = await client.post(
            f"{s.login_url.rstrip('/')}/{quote(s.entra_tenant_id)}/oauth2/v2.0/token",
            data={"client_id": s.graph_client_id, "client_secret": s.graph_client_secret,
                  "scope": _SCOPE, "grant_type": "client_credentials"},
        )
        response.raise_for_status()
        body = response.json()
        # Renewed a minute early so a token never expires between this check and Graph's.
        self._token = (body["access_token"], time.monotonic() + float(body.get("expires_in", 3600)) - 60)
        return self._token[0]
