"""The BentoML runner client turns a runner's answers into what the dispatcher acts on."""

from __future__ import annotations

import asyncio

import pytest

from jobs.runner_client import BentoRunnerClient, RunnerUnavailable
from runner.schemas import RenderRequest, RenderResult

REQUEST = RenderRequest(job_id="j1", claim=2, prompt="a mug", seed=1, num_images=1, model="demo-flux",
                        width=256, height=256, steps=2, guidance=3.5)


class Handle:
    """A runner served apart answers JSON: dicts, not our models."""

    def __init__(self, result: RenderResult) -> None:
        self.result = result

    async def render(self, requests: list[RenderRequest]) -> list[dict]:
        return [self.result.model_dump()]


def test_work_a_stopping_runner_did_not_take_is_runner_unavailable() -> None:
    # The dispatcher then queues the job again unspent (give_back), as for a busy runner.
    client = BentoRunnerClient(Handle(RenderResult(job_id="j1", claim=2, not_taken=True)))
    with pytest.raises(RunnerUnavailable, match="stopping"):
        asyncio.run(client.render(REQUEST))


def test_a_finished_render_comes_back_as_a_result() -> None:
    client = BentoRunnerClient(Handle(RenderResult(job_id="j1", claim=2, images=["AA=="], width=256, height=256)))
    assert asyncio.run(client.render(REQUEST)).images == ["AA=="]
