"""The baseline for the poll benchmark: bare FastAPI on uvicorn answering a constant JSON."""

from fastapi import FastAPI

app = FastAPI()
BODY = {"job_id": "00000000-0000-0000-0000-000000000000", "status": "complete", "progress": None}


@app.get("/jobs/{job_id}")
def get_job(job_id: str) -> dict:
    return BODY
