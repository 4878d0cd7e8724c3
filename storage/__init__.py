"""Where generated images are kept, and the expiring links that reach them."""

from storage.base import ImageStore, image_key
from storage.links import LinkInvalid, LinkSigner

__all__ = ["ImageStore", "LinkInvalid", "LinkSigner", "image_key"]
