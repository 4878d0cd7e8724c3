"""Image downloads through signed, expiring links. The link is the credential: no sign-in."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.deps import ServicesDep
from api.errors import ERROR_RESPONSES
from jobs.errors import ImageNotFound
from jobs.models import utcnow
from storage import image_filename, image_key

router = APIRouter(tags=["images"])


@router.get(
    "/images/{job_id}/{index}.png",
    operation_id="get_image",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "The PNG"},
        403: {**ERROR_RESPONSES[404], "description": "Altered or expired link"},
        404: ERROR_RESPONSES[404],
    },
)
def get_image(
    job_id: uuid.UUID,
    index: Annotated[int, Path(ge=0, le=63)],
    expires: Annotated[int, Query()],
    sig: Annotated[str, Query(max_length=128)],
    services: ServicesDep,
    download: Annotated[bool, Query(description="Answer as an attachment (a browser saves it)")] = False,
) -> Response:
    # The key is rebuilt from a parsed UUID and an integer: no file path ever comes from input.
    key = image_key(str(job_id), index)
    services.signer.verify(key, expires, sig, utcnow())
    data = services.images.get(key)
    if data is None:
        raise ImageNotFound()
    max_age = max(0, expires - int(utcnow().timestamp()))
    headers = {"Cache-Control": f"private, max-age={max_age}"}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{image_filename(str(job_id), index)}"'
    return Response(data, media_type="image/png", headers=headers)
