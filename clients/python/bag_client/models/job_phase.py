from enum import StrEnum


class JobPhase(StrEnum):
    FINISHED = "finished"
    QUEUED = "queued"
    RENDERING = "rendering"
    WAITING_FOR_GPU = "waiting_for_gpu"

    def __str__(self) -> str:
        return str(self.value)
