"""Where generated images are kept, and the expiring links that reach them."""

from storage.base import THUMBNAIL_WIDTHS, ImageStore, download_stem, image_filename, image_key, thumbnail_key
from storage.links import LinkInvalid, LinkSigner

__all__ = ["THUMBNAIL_WIDTHS", "ImageStore", "LinkInvalid", "LinkSigner", "download_stem", "image_filename", "image_key", "thumbnail_key"]
