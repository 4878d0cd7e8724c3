from enum import StrEnum


class ReviewRecordDecision(StrEnum):
    APPROVED = "approved"
    CLEARED = "cleared"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
