"""`ray_udf` on a local Ray cluster against the emulator: 10,000 rows, some failing.

Skips when the `ray` extra is not installed (scripts/ci-ray.sh installs it and runs this file).
"""

from __future__ import annotations

import pytest

ray = pytest.importorskip("ray")

from groq import AsyncGroq  # noqa: E402

from mirascope.core import groq  # noqa: E402
from mirascope.core.groq.testing import DUMMY_API_KEY, GroqEmulator  # noqa: E402
from mirascope.integrations.ray import ray_udf  # noqa: E402

ROWS = 10_000
# Ray warns about its own deprecated settings; the suite turns warnings into errors.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")


def test_ray_map_batches_10k_rows_with_failures(emu: GroqEmulator) -> None:
    for _ in range(7):
        emu.enqueue_error(500)  # seven rows fail, wherever they land
    base_url = emu.base_url

    @groq.call("openai/gpt-oss-20b")
    def say(word: str) -> str:
        return f"Say {word}"

    def client() -> AsyncGroq:
        return AsyncGroq(api_key=DUMMY_API_KEY, base_url=base_url, max_retries=0)

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        ds = ray.data.from_items([{"word": f"w{i}"} for i in range(ROWS)])
        udf = ray_udf(say, max_in_flight=32, client_factory=client)
        out = ds.map_batches(udf, concurrency=2, batch_size=500).take_all()
    finally:
        ray.shutdown()
    assert len(out) == ROWS
    failed = [r for r in out if r["error_type"] is not None]
    assert len(failed) == 7 and all(r["content"] is None for r in failed)
    assert {r["error_type"] for r in failed} == {"internal_server_error"}
    ok = [r for r in out if r["error_type"] is None]
    assert all(isinstance(r["content"], str) and r["input_tokens"] for r in ok)
    assert sorted(r["word"] for r in out) == sorted(f"w{i}" for i in range(ROWS))
