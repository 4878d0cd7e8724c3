"""Where generated images are kept, and the expiring links that reach them."""

from storage.base import (
    THUMBNAIL_WIDTHS,
    ImageLinks,
    ImageStore,
    content_type,
    download_stem,
    image_filename,
    image_key,
    thumbnail_key,
)
from storage.errors import StorageMisconfigured, StorageUnavailable
from storage.links import LinkExpiry, LinkInvalid, LinkSigner

__all__ = ["THUMBNAIL_WIDTHS", "ImageLinks", "ImageStore", "LinkExpiry", "LinkInvalid", "LinkSigner",
           "StorageMisconfigured", "StorageUnavailable", "content_type", "download_stem", "image_filename",
           "image_key", "thumbnail_key"]
