"""Personal access tokens: create (the secret is shown once), list, revoke. Thin routes."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from api.deps import CurrentActor, CurrentUser, TokenServiceDep
from api.errors import ERROR_RESPONSES, ErrorBody
from api.routing import SignedInRoute
from auth.tokens import TokenCreate, TokenCreated, TokenPolicy, TokenPublic

router = APIRouter(prefix="/tokens", tags=["tokens"], responses=ERROR_RESPONSES, route_class=SignedInRoute)


@router.post(
    "", status_code=status.HTTP_201_CREATED, operation_id="create_token",
    responses={
        400: {"model": ErrorBody, "description": "Invalid input, or a lifetime over the maximum"},
        403: {"model": ErrorBody, "description": "Called with an access token: tokens are managed after signing in"},
        409: {"model": ErrorBody, "description": "You already hold the most tokens allowed; revoke one first"},
    },
)
def create_token(body: TokenCreate, actor: CurrentActor, tokens: TokenServiceDep) -> TokenCreated:
    """A new token acting as you, with your limits. The secret is in this answer only."""
    return tokens.create(actor, body)


@router.get("/policy", operation_id="get_token_policy")
def token_policy(_: CurrentUser, tokens: TokenServiceDep) -> TokenPolicy:
    """How long a new token lives by default, and at most."""
    return tokens.policy


@router.get("", operation_id="list_tokens")
def list_tokens(user: CurrentUser, tokens: TokenServiceDep) -> list[TokenPublic]:
    """Your tokens that are not revoked (never their secrets)."""
    return tokens.list(user)


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="revoke_token",
               responses={404: {**ERROR_RESPONSES[404], "description": "No such access token (also another user's)"}})
def revoke_token(token_id: uuid.UUID, actor: CurrentActor, tokens: TokenServiceDep) -> Response:
    """Revoke a token at once; another user's token answers 404."""
    tokens.revoke(actor, str(token_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
