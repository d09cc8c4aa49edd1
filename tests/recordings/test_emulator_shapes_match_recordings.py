"""The emulator's compound, built-in-tool and rate-limit shapes match the recorded ones field for
field (issue 10): same keys at every level of a compound chunk's `executed_tools` (call and
result), `x_groq.usage_breakdown`, and the same `x-ratelimit-*` header names."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from mirascope.core.groq.testing import GroqEmulator
from mirascope.core.groq.testing._compound import compound_chunks

ROOT = (
    Path(
        os.environ.get("GROQ_CASSETTES")
        or Path(__file__).resolve().parents[2] / ".." / "shared" / "groq_cassettes"
    )
    / "recordings"
)
COMPOUND = ROOT / "pai-046-test-groq-model-web-search-tool-stream-0.json"

pytestmark = pytest.mark.skipif(not COMPOUND.is_file(), reason="../shared recordings not present")


def _chunks(body: str) -> list[dict[str, Any]]:
    return [json.loads(line[6:]) for line in body.split("\n")
            if line.startswith("data: {")]  # fmt: skip


def _executed(chunks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for c in chunks for ch in c["choices"] for t in ch["delta"].get("executed_tools", [])]


def test_compound_executed_tools_and_breakdown_keys_match_the_recording() -> None:
    recorded = _chunks(json.loads(COMPOUND.read_text())["response"]["body"])
    ours = compound_chunks()
    rec_tools, our_tools = _executed(recorded), _executed(ours)
    assert [sorted(t) for t in our_tools] == [sorted(t) for t in rec_tools]  # call, then result
    assert [t["index"] for t in our_tools] == [t["index"] for t in rec_tools]
    assert our_tools[0]["search_results"] == rec_tools[0]["search_results"] == {"results": []}
    rec_last, our_last = recorded[-1]["x_groq"], ours[-1]["x_groq"]
    assert sorted(our_last) == sorted(rec_last)
    rec_entry = rec_last["usage_breakdown"]["models"][0]
    our_entry = our_last["usage_breakdown"]["models"][0]
    assert sorted(our_entry) == sorted(rec_entry)
    assert set(rec_entry["usage"]) <= set(our_entry["usage"])
    assert len({c["id"] for c in recorded[:-1]}) == len(recorded) - 1  # ids change per chunk
    assert len({c["id"] for c in ours}) == len(ours)
    chunk_keys = {k for c in recorded for k in c}
    assert {k for c in ours for k in c} <= chunk_keys | {"x_groq"}


def test_rate_limit_header_names_match_recorded_streams() -> None:
    recorded: set[str] = set()
    for path in ROOT.glob("*.json"):
        if path.name == "index.json":
            continue
        headers = json.loads(path.read_text())["response"].get("headers") or {}
        recorded |= {k.lower() for k in headers if k.lower().startswith("x-ratelimit-")}
    with GroqEmulator() as emu:
        emu.enqueue("text", text="hi")
        client = emu.client()
        raw = client.chat.completions.with_raw_response.create(
            model="openai/gpt-oss-20b", messages=[{"role": "user", "content": "x"}]
        )
        ours = {k.lower() for k in raw.headers if k.lower().startswith("x-ratelimit-")}
        assert {"x-request-id", "x-groq-region"} <= {k.lower() for k in raw.headers}
        client.close()
    assert ours == recorded
