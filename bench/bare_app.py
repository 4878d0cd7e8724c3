"""The baseline for the poll benchmarks: bare FastAPI on uvicorn, written the fast way.

An `async def` route answers on the event loop (a plain `def` would hop to the thread pool on
every request) with a constant JSON of the same shape as the product's answer for the one job id
it is told of (BARE_KNOWN_JOB), and the error envelope with 404 for any other id. This is the
strongest honest version of "a bare app": no database, no sign-in, no middleware.
"""

import os

from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()
KNOWN = os.environ.get("BARE_KNOWN_JOB", "")
BODY = {"job_id": KNOWN, "status": "complete", "progress": None}
NOT_FOUND = {"error": {"code": "job_not_found", "message": "No such job.", "fields": []}}


@app.get("/jobs/{job_id}", response_model=None)
async def get_job(job_id: str) -> dict | JSONResponse:
    if job_id != KNOWN:
        return JSONResponse(NOT_FOUND, status_code=404)
    return BODY
