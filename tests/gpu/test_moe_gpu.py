"""Checks that need a CUDA GPU. Collected only where one is present (tests/conftest.py), so the CPU
suite neither runs nor skips them; bench/gpu_run.sh runs them on the GPU machine."""

from __future__ import annotations

import pytest
import torch

from tests.models.test_moe import fused, moe, with_lora


@pytest.mark.parametrize("fp8", [False, True])
def test_fused_moe_never_waits_on_the_host_on_a_gpu(fp8: bool) -> None:
    from models.fp8 import quantize_fp8

    reference = with_lora(moe(dtype=torch.bfloat16), 8).cuda()
    if fp8:
        quantize_fp8(reference)
    fast = fused(reference)
    x = torch.randn(2, 64, 64, dtype=torch.bfloat16, device="cuda")
    with torch.no_grad():
        fast(x)  # first call: lazy initialisation may sync
        torch.cuda.synchronize()
        torch.cuda.set_sync_debug_mode("error")
        try:
            fast(x)
            with pytest.raises(RuntimeError, match="synchroniz"):
                reference(x)  # diffusers' moe_infer: .cpu() on the expert counts
        finally:
            torch.cuda.set_sync_debug_mode("default")
