"""The OpenAPI document says what each operation really answers, in one place.

FastAPI declares a 422 on every operation with input, but this API answers invalid input with
400 (api/errors.py); the answers the edge gives (413, 500) and sign-in gives (401, 403, 503)
belong to every operation they can reach, and to no other. What only one operation answers (its
409, POST /generate's 429 and queue 503) is declared on its route. The clients are generated from this.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.errors import ErrorBody

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
DESCRIPTIONS = {
    400: "Invalid input, with the specific field errors",
    401: "Not signed in, or the token is not valid",
    403: "Signed in without access to this (no app role or group, not an administrator)",
    404: "Not found (also another user's)",
    413: "The request body is larger than the server accepts",
    500: "Internal error; details only in the server log",
    503: "Sign-in is unavailable for a moment; see Retry-After",
}
BODY_METHODS = {"post", "put", "patch"}


def _can_be_invalid(operation: dict[str, Any]) -> bool:
    """Whether input can fail validation: a body, a query or header parameter, or a path parameter
    other than a UUID (one that does not parse names nothing, and answers 404)."""
    if "requestBody" in operation:
        return True
    return any(p["in"] != "path" or p.get("schema", {}).get("format") != "uuid"
               for p in operation.get("parameters", []))


def declare_responses(document: dict[str, Any]) -> dict[str, Any]:
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses: dict[str, Any] = operation["responses"]
            declared: set[int] = {500}
            undeclared: set[int] = {422}
            (declared if _can_be_invalid(operation) else undeclared).add(400)
            (declared if "{" in path else undeclared).add(404)
            if method in BODY_METHODS:
                declared.add(413)
            if operation.get("security"):
                declared |= {401, 403, 503}
            else:
                undeclared.add(401)
            for status in undeclared:
                responses.pop(str(status), None)
            for status in sorted(declared):
                responses.setdefault(str(status), {"description": DESCRIPTIONS[status], "content": ERROR})
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for name, schema in ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}").pop("$defs").items():
        schemas.setdefault(name, schema)
    schemas.setdefault("ErrorBody", {k: v for k, v in ErrorBody.model_json_schema(
        ref_template="#/components/schemas/{model}").items() if k != "$defs"})
    return document


def install(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_responses(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
