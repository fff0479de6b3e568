"""HTTP plumbing shared by the kubo and gateway backends: retries, timeouts, size caps.

Transient faults (connection errors, timeouts, 429 and 5xx answers) are retried with
exponential backoff up to a fixed number of attempts; anything else fails at once.
Responses are read in a stream and reading stops as soon as a limit is passed.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

from oracle.errors import ContentTooLarge, IpfsError, RetryableError

T = TypeVar("T")
log = logging.getLogger(__name__)

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one HTTP call: attempts in total, backoff bounds, per-call timeout."""

    attempts: int = 4
    initial_delay: float = 0.25
    max_delay: float = 4.0
    timeout: float = 30.0

    def delay(self, failed_attempts: int) -> float:
        """Seconds to wait after `failed_attempts` failures (1, 2, …): doubling, capped."""
        return float(min(self.max_delay, self.initial_delay * 2 ** (failed_attempts - 1)))


def call_with_retries(
    action: Callable[[], T],
    policy: RetryPolicy,
    what: str,
    give_up: Callable[[str], IpfsError],
) -> T:
    """Run `action`, retrying transient faults; after the last attempt raise give_up(reason).

    `action` signals a transient fault by raising RetryableError or an httpx transport
    error; any other exception propagates immediately.
    """
    reason = ""
    for attempt in range(1, policy.attempts + 1):
        try:
            return action()
        except (RetryableError, httpx.TransportError) as exc:
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if attempt < policy.attempts:
                wait = policy.delay(attempt)
                log.info("%s failed (%s); retry %d in %.2fs", what, reason, attempt, wait)
                backoff_sleep(wait)
    raise give_up(f"{what} failed {policy.attempts} times; last error: {reason}")


def backoff_sleep(seconds: float) -> None:
    """Wait between attempts (a module function so tests can record instead of wait)."""
    time.sleep(seconds)


def raise_if_transient(response: httpx.Response, what: str) -> None:
    """Turn a 429/5xx answer into RetryableError so call_with_retries tries again."""
    if response.status_code in TRANSIENT_STATUS:
        response.read()
        raise RetryableError(f"{what} answered HTTP {response.status_code}")


def read_limited(response: httpx.Response, limit: int, what: str) -> bytes:
    """Read a streamed body, stopping with ContentTooLarge as soon as it passes `limit`."""
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ContentTooLarge(
            f"{what} is {declared} bytes, over the limit of {limit} bytes; not read"
        )
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            raise ContentTooLarge(
                f"{what} is more than {limit} bytes, over the limit; reading stopped"
            )
    return bytes(body)


def make_client(policy: RetryPolicy) -> httpx.Client:
    """An httpx client whose connect/read/write timeouts come from the policy."""
    return httpx.Client(timeout=httpx.Timeout(policy.timeout), follow_redirects=True)
