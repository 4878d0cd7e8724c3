"""Who is asking: the signed-in user, from Entra ID tokens or (in development) the dev sign-in."""

from auth.models import NotAuthenticated, User

__all__ = ["NotAuthenticated", "User"]
