"""Personal access tokens: create (the secret is shown once), list, revoke. Thin routes."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.deps import CurrentUser, TokenServiceDep
from api.errors import ERROR_RESPONSES
from auth.tokens import TokenCreate, TokenCreated, TokenPublic

router = APIRouter(prefix="/tokens", tags=["tokens"], responses=ERROR_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_token")
def create_token(body: TokenCreate, user: CurrentUser, tokens: TokenServiceDep) -> TokenCreated:
    """A new token acting as you, with your limits. The secret is in this answer only."""
    return tokens.create(user, body)


@router.get("", operation_id="list_tokens")
def list_tokens(user: CurrentUser, tokens: TokenServiceDep) -> list[TokenPublic]:
    """Your tokens that are not revoked (never their secrets)."""
    return tokens.list(user)


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="revoke_token")
def revoke_token(token_id: str, user: CurrentUser, tokens: TokenServiceDep) -> Response:
    """Revoke a token at once; another user's token answers 404."""
    tokens.revoke(user, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
