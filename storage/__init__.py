"""Where generated images are kept, and the expiring links that reach them."""

from storage.base import ImageStore, download_stem, image_filename, image_key
from storage.links import LinkInvalid, LinkSigner

__all__ = ["ImageStore", "LinkInvalid", "LinkSigner", "download_stem", "image_filename", "image_key"]
