"""`RateLimits.from_headers` and `parse_duration`: Groq's header forms, and what does not parse."""

import httpx
import pytest

from mirascope.core.groq.rate_limits import RateLimits, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("7.66s", 7.66),
        ("2m59.56s", 179.56),
        ("1h2m3s", 3723.0),
        ("172ms", 0.172),
        ("391ms", 0.391),
        ("9m38.016s", 578.016),
        ("2", 2.0),
        ("0.1", 0.1),
        ("0", 0.0),
    ],
)
def test_parse_duration_reads_groq_forms(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", [None, "", "soon", "1x", "s", "-1", "inf", "nan", "2m 3s", "3sm"])
def test_parse_duration_refuses_what_is_not_a_duration(text: str | None) -> None:
    assert parse_duration(text) is None


def test_from_headers_reads_all_six_and_retry_after() -> None:
    headers = httpx.Headers(
        {
            "X-RateLimit-Limit-Requests": "500000",
            "x-ratelimit-limit-tokens": "250000",
            "x-ratelimit-remaining-requests": "499999",
            "x-ratelimit-remaining-tokens": "249000",
            "x-ratelimit-reset-requests": "172ms",
            "x-ratelimit-reset-tokens": "2m59.56s",
            "retry-after": "2",
        }
    )
    limits = RateLimits.from_headers(headers)
    assert limits == RateLimits(500000, 499999, 0.172, 250000, 249000, 179.56, 2.0)


def test_from_headers_is_none_without_rate_limit_headers_and_tolerates_garbage() -> None:
    assert RateLimits.from_headers(httpx.Headers({"content-type": "text/event-stream"})) is None
    limits = RateLimits.from_headers({"x-ratelimit-limit-requests": "lots"} | {"retry-after": "1"})
    assert limits is not None
    assert limits.limit_requests is None
    assert limits.retry_after == 1.0
