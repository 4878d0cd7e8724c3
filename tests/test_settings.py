"""Settings that would weaken sign-in stop the service at start, with a message naming the setting."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from settings import Settings


@pytest.mark.parametrize(("field", "env"), [("graph_url", "BAG_GRAPH_URL"), ("login_url", "BAG_LOGIN_URL"),
                                            ("entra_jwks_url", "BAG_ENTRA_JWKS_URL")])
@pytest.mark.parametrize("url", ["http://graph.example.com", "HTTP://127.0.0.1:9", "ftp://example.com", "example.com"])
def test_an_identity_url_that_is_not_https_stops_the_start(field: str, env: str, url: str) -> None:
    # In clear text the Graph client secret would be readable on the path, and anyone there could
    # answer "has access" (or serve their own signing keys).
    with pytest.raises(ValidationError, match=f"{env} must use https://") as info:
        Settings(_env_file=None, **{field: url})
    assert "BAG_ALLOW_HTTP_IDENTITY_URLS_FOR_TESTS" in str(info.value)


@pytest.mark.parametrize("field", ["graph_url", "login_url", "entra_jwks_url"])
def test_only_the_test_setting_lets_plain_http_through(field: str) -> None:
    allowed = Settings(_env_file=None, allow_http_identity_urls_for_tests=True, **{field: "http://127.0.0.1:9"})
    assert getattr(allowed, field) == "http://127.0.0.1:9"
    with pytest.raises(ValidationError, match="must use https://"):  # other schemes stay refused
        Settings(_env_file=None, allow_http_identity_urls_for_tests=True, **{field: "file:///etc/keys"})


def test_the_defaults_are_https() -> None:
    cfg = Settings(_env_file=None, entra_tenant_id="t")
    assert [cfg.graph_url, cfg.login_url, cfg.resolved_jwks_url] == [
        "https://graph.microsoft.com", "https://login.microsoftonline.com",
        "https://login.microsoftonline.com/t/discovery/v2.0/keys"]


@pytest.mark.parametrize("speed_mode", ["lossless", "fast"])
def test_a_compiling_speed_mode_with_layerwise_fp8_is_refused_naming_both_settings(speed_mode: str) -> None:
    settings = Settings(_env_file=None, speed_mode=speed_mode, memory_mode="fp8_layerwise")
    with pytest.raises(ValueError, match="BAG_SPEED_MODE=.*BAG_MEMORY_MODE=fp8_layerwise"):
        settings.resolved_speed_mode("cuda")
    # auto leaves it uncompiled rather than refusing, and off is always fine.
    assert Settings(_env_file=None, memory_mode="fp8_layerwise").resolved_speed_mode("cuda") == "off"
    assert Settings(_env_file=None, speed_mode="off", memory_mode="fp8_layerwise").resolved_speed_mode("cuda") == "off"
