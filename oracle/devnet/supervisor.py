"""Keeping a local platform's services up while `coop up` runs.

A service (an oracle, the API) that stops on its own is said on the console with the end of
its log and started again with its own data dir and port, so it carries on where it was. A
service that keeps stopping soon after each start is restarted after a pause that doubles
(RESTART_FIRST_SECONDS up to RESTART_MAX_SECONDS) instead of in a tight loop. Only the
chain cannot be restarted (a fresh anvil would hold none of the state): that ends `coop up`.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

RESTART_FIRST_SECONDS = 1.0
RESTART_MAX_SECONDS = 30.0
STABLE_SECONDS = 30.0  # running this long after a start, a stop counts as a first one again

Say = Callable[[str], None]


@dataclass
class Supervised:
    """One service: how to tell it runs, why it stopped, and how to start it again."""

    name: str
    running: Callable[[], bool]
    exit_status: Callable[[], int | None]
    restart: Callable[[], None]
    tail: Callable[[], str]
    data: str  # where its state and log are, for the console


@dataclass
class _Watch:
    service: Supervised
    started_at: float
    quick_stops: int = 0  # stops in a row, each soon after its start
    restart_at: float | None = None  # set while a stopped service waits for its restart


class Supervisor:
    def __init__(self, services: list[Supervised], say: Say) -> None:
        now = time.monotonic()
        self.say = say
        self._watches = [_Watch(s, now) for s in services]

    def check(self) -> None:
        """Notices stopped services and restarts those whose pause is over."""
        now = time.monotonic()
        for watch in self._watches:
            service = watch.service
            if watch.restart_at is None:
                if service.running():
                    continue
                quick = now - watch.started_at < STABLE_SECONDS
                watch.quick_stops = watch.quick_stops + 1 if quick else 1
                pause = pause_before_restart(watch.quick_stops)
                watch.restart_at = now + pause
                self.say(
                    f"{service.name} stopped unexpectedly (exit status {service.exit_status()}); "
                    f"restarting it in {pause:.0f} s with its data in {service.data}; the "
                    f"platform keeps going. The end of its log:\n{service.tail()}"
                )
            if now >= watch.restart_at:
                service.restart()
                watch.started_at, watch.restart_at = now, None
                self.say(f"{service.name} restarted")


def pause_before_restart(quick_stops: int) -> float:
    """0 for a first stop; then RESTART_FIRST_SECONDS, doubling, at most RESTART_MAX_SECONDS."""
    if quick_stops <= 1:
        return 0.0
    return min(RESTART_MAX_SECONDS, RESTART_FIRST_SECONDS * 2.0 ** min(quick_stops - 2, 16))
