"""A small HTTP/1.1 load generator for a fixed number of requests (wrk only runs for a duration).

Each of `concurrency` keep-alive connections sends its next request as soon as the last answer
has arrived, until `total` requests have been answered; latencies are per request.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    requests: int
    seconds: float
    statuses: Counter
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self.latencies_ms, n=100)[98]


async def _connection(host: str, port: int, next_path: Callable[[], str | None], headers: str,
                      result: LoadResult) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while (path := next_path()) is not None:
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{headers}\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.statuses[status] += 1
    finally:
        writer.close()


def run(base_url: str, paths: Callable[[int], str], total: int, concurrency: int,
        headers: dict[str, str] | None = None) -> LoadResult:
    """Send `total` GETs of `paths(i)` over `concurrency` connections; throughput and latencies."""
    url = urlsplit(base_url)
    header_text = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    counter = iter(range(total))

    def next_path() -> str | None:
        i = next(counter, None)
        return None if i is None else paths(i)

    result = LoadResult(total, 0.0, Counter(), [])

    async def main() -> None:
        started = time.perf_counter()
        await asyncio.gather(*(_connection(url.hostname, url.port, next_path, header_text, result)
                               for _ in range(concurrency)))
        result.seconds = time.perf_counter() - started

    asyncio.run(main())
    return result
