"""A short-lived in-process cache of finished jobs for the poll path.

A finished job (complete, failed, cancelled) never changes again; it can only be deleted. Polls and
history views ask for the same finished jobs over and over, so this process keeps them for a few
seconds and answers without the database or the thread pool. Deletes made here drop the entry at
once; a delete made by another API replica (or the retention sweeper) is seen within the TTL.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from jobs.models import Job, JobStatus


class FinishedJobCache:
    def __init__(self, max_entries: int = 10_000, ttl_seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, Job]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            entry = self._entries.get(job_id)
            if entry is None:
                return None
            stored_at, job = entry
            if self.clock() - stored_at > self.ttl_seconds:
                del self._entries[job_id]
                return None
            self._entries.move_to_end(job_id)
            return job

    def offer(self, job: Job) -> None:
        """Keep the job if it has finished; running and queued jobs still change."""
        if not JobStatus(job.status).is_terminal:
            return
        with self._lock:
            self._entries[job.id] = (self.clock(), job)
            self._entries.move_to_end(job.id)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def drop(self, job_id: str) -> None:
        with self._lock:
            self._entries.pop(job_id, None)
