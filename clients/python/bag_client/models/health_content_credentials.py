from enum import StrEnum


class HealthContentCredentials(StrEnum):
    OFF = "off"
    SIGNING = "signing"
    UNSIGNED = "unsigned"

    def __str__(self) -> str:
        return str(self.value)
