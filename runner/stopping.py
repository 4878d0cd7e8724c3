"""How a served runner stops on SIGTERM: drain first, then let the server stop, refusing what comes
after. No torch here.

Uvicorn (BentoML's server) stops accepting at once on SIGTERM and waits for the requests in flight.
Under `bentoml serve` the listening socket also belongs to BentoML's arbiter, which keeps it open
until every worker has exited: calls sent meanwhile are queued by the kernel, never answered, and
then reset, which the dispatcher must take for a lost run. So the server keeps answering while the
running batch ends (progress, cancels; new renders answered `not_taken`), is told to stop only then,
and once it has closed its own listening sockets they are shut down for every holder: `shutdown()`
of a listening socket acts on the socket, not on this process's descriptor, so later calls are
refused at once (the dispatcher's "not taken, queue it again").
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

# The drain has its own deadline; this covers encoding the last images and writing the answers.
AFTER_DRAIN_SECONDS = 10.0
# How long the server may take to close its listening sockets once told to stop.
CLOSE_SECONDS = 5.0


def drain_on_sigterm(core: Any) -> None:  # runner.worker.RunnerCore
    """On SIGTERM: `core.drain()`, wait for its batches to end, then pass the signal on."""
    if threading.current_thread() is not threading.main_thread():
        log.warning("runner built outside the main thread: SIGTERM stops it without draining")
        return
    previous = signal.getsignal(signal.SIGTERM)

    def pass_on(signum: int, frame: Any) -> None:
        if callable(previous):
            previous(signum, frame)

    def stop_after_drain(signum: int, frame: Any) -> None:
        core.wait_idle(core.drain_seconds + AFTER_DRAIN_SECONDS)
        held = _listening_sockets()
        pass_on(signum, frame)
        _refuse_once_closed(held)

    def on_sigterm(signum: int, frame: Any) -> None:
        if core.draining:  # a second SIGTERM: stop now
            pass_on(signum, frame)
            return
        core.drain()
        threading.Thread(target=stop_after_drain, args=(signum, frame), name="runner-drain", daemon=True).start()

    signal.signal(signal.SIGTERM, on_sigterm)


def _listening_sockets() -> list[tuple[int, socket.socket]]:
    """(descriptor, a duplicate of it) for each TCP socket this process listens on."""
    import psutil

    held = []
    try:
        for conn in psutil.Process().net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.fd >= 0:
                held.append((conn.fd, socket.socket(fileno=os.dup(conn.fd))))
    except (OSError, psutil.Error):
        log.exception("could not find the runner's listening sockets")
    return held


def _refuse_once_closed(held: list[tuple[int, socket.socket]]) -> None:
    """Shut each socket down once the server has closed its own descriptor of it (before that,
    its accept loop would spin on the errors); bounded."""
    import psutil

    deadline = time.monotonic() + CLOSE_SECONDS
    pending = dict(held)
    while pending and time.monotonic() < deadline:
        try:
            listening = {c.fd for c in psutil.Process().net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN}
        except (OSError, psutil.Error):
            break
        for fd in [fd for fd in pending if fd not in listening]:
            sock = pending.pop(fd)
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        time.sleep(0.05)
    for sock in pending.values():
        sock.close()
