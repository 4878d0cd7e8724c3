"""Domain errors of the job service. `api/errors.py` is the one place that maps them to HTTP."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose; its message is safe to show a client."""

    code = "error"


class JobNotFound(DomainError):
    code = "job_not_found"

    def __init__(self) -> None:
        super().__init__("No such job.")


class JobFinished(DomainError):
    code = "job_finished"

    def __init__(self, status: str) -> None:
        super().__init__(f"The job has already ended ({status}).")


class JobNotComplete(DomainError):
    code = "job_not_complete"

    def __init__(self, status: str) -> None:
        super().__init__(f"The job has no images to download ({status}).")


class QueueFull(DomainError):
    code = "queue_full"

    def __init__(self, retry_after: int) -> None:
        super().__init__("The generation queue is full; try again shortly.")
        self.retry_after = retry_after


class InvalidRequest(DomainError):
    """Input that passed the schema but not the chosen model's rules (unknown model, bad size)."""

    code = "invalid_request"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ImageNotFound(DomainError):
    code = "image_not_found"

    def __init__(self) -> None:
        super().__init__("No such image.")


class RunnerNotReady(DomainError):
    code = "runner_not_ready"

    def __init__(self, retry_after: int, failed: bool = False) -> None:
        # A runner that cannot start needs an operator, not a retry: say so (the cause is on /health).
        super().__init__("The image generator failed to start; an operator has to fix it (see /health)." if failed
                         else "The image generator is starting; try again shortly.")
        self.retry_after = retry_after


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was already used with a different request; use a new key.")
