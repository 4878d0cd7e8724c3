"""Image downloads through signed, expiring links. The link is the credential: no sign-in."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.container import Services
from api.deps import ServicesDep
from api.errors import ERROR_RESPONSES
from common.ratelog import RateLimitedLog
from jobs.errors import ImageNotFound, InvalidRequest
from jobs.models import utcnow
from storage import THUMBNAIL_WIDTHS, image_filename, image_key, thumbnail_key
from storage.links import LinkInvalid
from storage.local import LocalImageStore
from storage.png import thumbnail_webp

log = logging.getLogger(__name__)
# Links are public and anyone can send forged ones as fast as they like: one line per reason.
_refused = RateLimitedLog(log)

router = APIRouter(tags=["images"])

BINARY = {"schema": {"type": "string", "format": "binary"}}
LINK_ERRORS = {
    403: {**ERROR_RESPONSES[404], "description": "Altered or expired link"},
    404: {**ERROR_RESPONSES[404], "description": "No such image (the job was deleted, or never had it)"},
    503: {**ERROR_RESPONSES[404], "description": "Image storage is unavailable for a moment; see Retry-After"},
}
Index = Annotated[int, Path(ge=0, le=63)]
# A Unix time in seconds; bounded to 64 bits like every integer the API takes.
Expires = Annotated[int, Query(ge=0, le=2**63 - 1)]
# Any signature that does not match, malformed or not, is an altered link (403); the length bound
# only keeps what is read small.
Signature = Annotated[str, Query(max_length=128, description="The link's HMAC-SHA256, lower-case hex")]


def _verified(services: Services, job_id: uuid.UUID, index: int, expires: int, sig: str) -> tuple[str, dict]:
    """The key of the PNG behind a valid link, and the cache headers that end with the link."""
    # These links are the local store's: with Blob Storage, links go to the blob service itself.
    if not isinstance(services.images, LocalImageStore):
        raise ImageNotFound()
    # The key is rebuilt from a parsed UUID and an integer: no file path ever comes from input.
    key = image_key(str(job_id), index)
    try:
        services.signer.verify(key, expires, sig, utcnow())
    except LinkInvalid as exc:
        _refused.info(exc.reason, "refused an image link: %s", exc.reason)
        raise
    max_age = max(0, expires - int(utcnow().timestamp()))
    return key, {"Cache-Control": f"private, max-age={max_age}"}


def _stored(services: Services, key: str) -> bytes:
    data = services.images.get(key)
    if data is None:
        raise ImageNotFound()
    return data


@router.get(
    "/images/{job_id}/{index}.png",
    operation_id="get_image",
    response_class=Response,
    responses={200: {"content": {"image/png": BINARY}, "description": "The PNG"}, **LINK_ERRORS},
)
def get_image(
    job_id: uuid.UUID,
    index: Index,
    expires: Expires,
    sig: Signature,
    services: ServicesDep,
    download: Annotated[bool, Query(description="Answer as an attachment (a browser saves it)")] = False,
) -> Response:
    key, headers = _verified(services, job_id, index, expires, sig)
    data = _stored(services, key)
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{image_filename(str(job_id), index)}"'
    return Response(data, media_type="image/png", headers=headers)


@router.get(
    "/images/{job_id}/{index}.webp",
    operation_id="get_thumbnail",
    response_class=Response,
    responses={200: {"content": {"image/webp": BINARY}, "description": "A smaller WebP copy"}, **LINK_ERRORS},
)
def get_thumbnail(
    job_id: uuid.UUID,
    index: Index,
    expires: Expires,
    sig: Signature,
    services: ServicesDep,
    width: Annotated[int, Query(ge=min(THUMBNAIL_WIDTHS), le=max(THUMBNAIL_WIDTHS),
                                description=f"Longest side in pixels: one of {THUMBNAIL_WIDTHS}")] = 512,
) -> Response:
    """A small copy of the image, stored beside it when the job completed.

    Images stored before thumbnails were made at completion get theirs on first request, kept
    beside them. Only a few widths exist, so a link holder cannot make the server resize the image
    in every size (a plain `def`: the work runs in the thread pool)."""
    if width not in THUMBNAIL_WIDTHS:
        raise InvalidRequest("width", f"width must be one of {', '.join(map(str, THUMBNAIL_WIDTHS))}")
    key, headers = _verified(services, job_id, index, expires, sig)
    small_key = thumbnail_key(str(job_id), index, width)
    thumbnail = services.images.get(small_key)
    if thumbnail is None:
        thumbnail = thumbnail_webp(_stored(services, key), width)
        services.images.put(small_key, thumbnail)
    return Response(thumbnail, media_type="image/webp", headers=headers)
