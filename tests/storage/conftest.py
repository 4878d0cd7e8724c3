"""Both image stores for the contract suite: local disk, and Azure Blob Storage as Azurite emulates it.

Azurite comes from tools/azurite (`make azurite`); without it the Azure cases skip, except under
CI=true, where a missing emulator is a failure.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from azure.core.credentials import AccessToken
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors
from api.routes import images as image_routes
from scripts.azurite import API_VERSION, BINARY, Azurite, start_azurite
from settings import Settings
from storage import ImageStore, LinkSigner
from storage.factory import open_image_store

SECRET = "contract-secret-contract-secret-0123"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


class EmulatorCredential:
    """An Entra token as Azurite's `--oauth basic` checks it: the claims, no signature (Azurite
    does not verify one; real Azure would)."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        now = int(time.time())

        def part(data: dict) -> str:
            return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

        claims = {"iat": now - 60, "nbf": now - 60, "exp": now + 3600, "iss": f"https://sts.windows.net/{TENANT}/",
                  "aud": "https://storage.azure.com", "oid": str(uuid.uuid4()), "tid": TENANT}
        return AccessToken(f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.", now + 3600)


def need_azurite() -> None:
    if BINARY.exists():
        return
    reason = f"Azurite is not installed at {BINARY} (run `make azurite`)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; required under CI=true")
    pytest.skip(reason)


def azurite_settings(azurite: Azurite, tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a store on this Azurite, in a fresh container (which the probe creates)."""
    fields: dict[str, Any] = dict(storage="azure", azure_storage_api_version=API_VERSION,
                                  azure_storage_container=f"c{uuid.uuid4().hex[:12]}")
    if azurite.ca_cert:
        fields.update(azure_storage_account_url=azurite.blob_url, azure_storage_ca_bundle=str(azurite.ca_cert))
    else:
        fields.update(azure_storage_connection_string=azurite.connection_string)
    return Settings(_env_file=None, data_dir=tmp_path / "data", link_secret=SECRET, **{**fields, **overrides})


@pytest.fixture(scope="session")
def azurite_http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    need_azurite()
    azurite = start_azurite(tmp_path_factory.mktemp("azurite-http"))
    yield azurite
    azurite.stop()


@pytest.fixture(scope="session")
def azurite_oauth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    need_azurite()
    azurite = start_azurite(tmp_path_factory.mktemp("azurite-oauth"), https=True, oauth=True)
    yield azurite
    azurite.stop()


@dataclass
class Backend:
    """A store, and how a browser would fetch its links."""

    name: str
    store: ImageStore
    fetch: Callable[[str], httpx.Response]
    base_url: str = "http://testserver"

    def links(self, job_id: str, index: int, now: datetime):  # noqa: ANN201
        return self.store.image_links(job_id, index, self.base_url, now)


def _local_backend(tmp_path: Path) -> Iterator[Backend]:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", link_secret=SECRET)
    signer = LinkSigner(SECRET.encode(), settings.link_ttl_seconds)
    store = open_image_store(settings, signer)
    # Local links are served by the API's image routes: those alone, with the error mapping.
    app = FastAPI()
    errors.install(app)
    app.include_router(image_routes.router)
    app.state.services = SimpleNamespace(signer=signer, images=store)
    with TestClient(app) as client:
        yield Backend("local", store, client.get)


def azure_backend(azurite: Azurite, tmp_path: Path, name: str) -> Iterator[Backend]:
    settings = azurite_settings(azurite, tmp_path)
    signer = LinkSigner(SECRET.encode(), settings.link_ttl_seconds)
    store = open_image_store(settings, signer, credential=EmulatorCredential() if azurite.ca_cert else None)
    verify = ssl.create_default_context(cafile=str(azurite.ca_cert)) if azurite.ca_cert else True
    with httpx.Client(verify=verify, timeout=10) as client:
        yield Backend(name, store, client.get)


@pytest.fixture(params=["local", "azure-account-key", "azure-user-delegation"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "local":
        yield from _local_backend(tmp_path)
    elif request.param == "azure-account-key":
        yield from azure_backend(request.getfixturevalue("azurite_http"), tmp_path, request.param)
    else:
        yield from azure_backend(request.getfixturevalue("azurite_oauth"), tmp_path, request.param)
