"""Retry policy: which failures are retried, and how long to wait before the next attempt.

Pure functions and data only (no I/O), so the sync and async clients run the exact same
decisions and only differ in how they sleep and send.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Callable, FrozenSet, Mapping, Optional

__all__ = ["DEFAULT_RETRYABLE_STATUS_CODES", "RetryConfig", "parse_retry_after"]

DEFAULT_RETRYABLE_STATUS_CODES: FrozenSet[int] = frozenset({408, 429, 500, 502, 503, 504})

#: ``on_retry(attempt, error, delay)``: ``attempt`` counts retries from 1, ``error`` is the
#: exception the failed attempt would have raised, ``delay`` the seconds about to be slept.
OnRetry = Callable[[int, BaseException, float], None]


@dataclass(frozen=True)
class RetryConfig:
    """How failed requests are retried (connection errors and the retryable status codes).

    The wait before retry ``n`` (from 1) is ``initial_backoff * multiplier ** (n - 1)``, capped at
    ``max_backoff``, minus up to ``jitter`` of itself at random; a ``Retry-After`` header (seconds
    or HTTP date) replaces it. A ``Retry-After`` longer than ``max_retry_after`` is not waited
    for: the error is raised at once (its ``headers`` say when to come back). ``total_timeout``
    bounds a call: no retry starts whose wait would end more than ``total_timeout`` seconds after
    the call began (``None``: no bound).
    """

    max_retries: int = 2
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    multiplier: float = 2.0
    jitter: float = 0.25
    retryable_status_codes: FrozenSet[int] = DEFAULT_RETRYABLE_STATUS_CODES
    retry_connection_errors: bool = True
    max_retry_after: float = 60.0
    total_timeout: Optional[float] = 60.0
    on_retry: Optional[OnRetry] = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"RetryConfig.max_retries must be >= 0, got {self.max_retries}")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"RetryConfig.jitter must be within [0, 1], got {self.jitter}")
        if self.initial_backoff < 0 or self.max_backoff < 0 or self.max_retry_after < 0:
            raise ValueError("RetryConfig backoff bounds must be >= 0")
        if self.total_timeout is not None and self.total_timeout < 0:
            raise ValueError(f"RetryConfig.total_timeout must be >= 0, got {self.total_timeout}")
        if not isinstance(self.retryable_status_codes, frozenset):
            object.__setattr__(
                self, "retryable_status_codes", frozenset(self.retryable_status_codes)
            )

    def with_max_retries(self, max_retries: int) -> RetryConfig:
        return replace(self, max_retries=max_retries)

    def backoff(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (1-based), jitter included."""
        import random  # on the first retry only: keeps it out of the package import

        base = min(self.max_backoff, self.initial_backoff * self.multiplier ** (retry - 1))
        return base * (1.0 - self.jitter * random.random())

    def wait(
        self, retry: int, elapsed: float, headers: Optional[Mapping[str, str]] = None
    ) -> Optional[float]:
        """Seconds to wait before retry number ``retry`` of a call that began ``elapsed`` seconds
        ago, or ``None`` when it must not happen: retries used up, a ``Retry-After`` (from
        ``headers``) above ``max_retry_after``, or a wait ending past ``total_timeout``."""
        if retry > self.max_retries:
            return None
        after = parse_retry_after(headers) if headers is not None else None
        if after is not None and after > self.max_retry_after:
            return None
        delay = self.backoff(retry) if after is None else after
        if self.total_timeout is not None and elapsed + delay > self.total_timeout:
            return None
        return delay

    def retries_status(self, status_code: int) -> bool:
        return status_code in self.retryable_status_codes


def parse_retry_after(headers: Mapping[str, str], now: Optional[float] = None) -> Optional[float]:
    """Seconds the server asked us to wait, from ``retry-after-ms``, or ``Retry-After`` as a
    number of seconds or an HTTP date; ``None`` when absent or unparseable."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            value = float(millis) / 1000.0
        except ValueError:
            value = math.nan
        if math.isfinite(value) and value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        seconds = float(raw)
    except ValueError:
        import email.utils  # HTTP dates are rare; the module costs ~5 ms to import

        parsed = email.utils.parsedate_tz(raw)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - (time.time() if now is None else now)
        return max(0.0, seconds)
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
