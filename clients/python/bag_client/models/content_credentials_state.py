from enum import StrEnum


class ContentCredentialsState(StrEnum):
    INVALID = "invalid"
    TRUSTED = "trusted"
    VALID = "valid"

    def __str__(self) -> str:
        return str(self.value)
