"""What storage raises: an outage (answered 503, try again) and a wrong setting (the service stops at start)."""

from __future__ import annotations

from jobs.errors import DomainError


class StorageUnavailable(DomainError):
    """The image store did not answer (connection error, timeout, a 5xx, a disk error); nothing was lost."""

    code = "storage_unavailable"

    def __init__(self, retry_after: int = 10) -> None:
        super().__init__("Image storage is unavailable for a moment; try again shortly.")
        self.retry_after = retry_after


class StorageMisconfigured(RuntimeError):
    """A storage setting is wrong; the message is the whole explanation, naming the setting."""
