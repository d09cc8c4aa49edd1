"""The emulator's compound, built-in-tool and rate-limit shapes match the recorded ones field for
field (issue 10): same keys at every level of a compound chunk's `executed_tools` (call and
result), `x_groq.usage_breakdown`, the non-stream compound body, and the same `x-ratelimit-*`
header names. gpt-oss built-in tools have no recording: they are checked against GROQ_2026.md
(and run without ../shared); the recording tests skip cleanly without it."""

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

needs_recordings = pytest.mark.skipif(
    not COMPOUND.is_file(), reason="../shared recordings not present"
)


def _chunks(body: str) -> list[dict[str, Any]]:
    return [json.loads(line[6:]) for line in body.split("\n")
            if line.startswith("data: {")]  # fmt: skip


def _executed(chunks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for c in chunks for ch in c["choices"] for t in ch["delta"].get("executed_tools", [])]


@needs_recordings
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


@needs_recordings
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


NON_STREAM = [ROOT / n for n in ("pai-043-test-groq-model-web-search-tool-0.json",
              "pai-044-test-groq-model-web-search-tool-0.json",
              "pai-061-test-groq-web-search-tool-domain-filters-0.json")]  # fmt: skip


def _emulated(scenario: str, model: str, **knobs: Any) -> dict[str, Any]:
    """The emulator's `stream: false` body for one scenario, through the real SDK."""
    with GroqEmulator() as emu:
        if model not in {m.id for m in emu.models}:
            emu.add_model(model)
        emu.enqueue(scenario, **knobs)
        client = emu.client()
        raw = client.chat.completions.with_raw_response.create(
            model=model, messages=[{"role": "user", "content": "x"}]
        )
        client.close()
        return json.loads(raw.http_response.text)


@needs_recordings
@pytest.mark.parametrize("path", NON_STREAM, ids=lambda p: p.name[:7])
def test_non_stream_compound_body_matches_the_recording(path: Path) -> None:
    """`message.executed_tools` (one folded entry per index), top-level `usage_breakdown`,
    `x_groq` with only `id`: key for key as in Groq's recorded non-stream compound bodies."""
    recorded = json.loads(json.loads(path.read_text())["response"]["body"])
    ours = _emulated("compound", "groq/compound")
    assert set(recorded) - {"service_tier"} <= set(ours)  # pai-044 predates the echo
    assert sorted(ours["x_groq"]) == sorted(recorded["x_groq"]) == ["id"]
    rec_msg, our_msg = recorded["choices"][0]["message"], ours["choices"][0]["message"]
    assert sorted(our_msg) == sorted(rec_msg)
    rec_tools, our_tools = rec_msg["executed_tools"], our_msg["executed_tools"]
    assert [t["index"] for t in rec_tools] == sorted({t["index"] for t in rec_tools})
    assert set(our_tools[0]) <= {"arguments", "index", "output", "search_results", "type"}
    assert set(rec_tools[0]) <= set(our_tools[0])
    if isinstance(rec_tools[0].get("search_results"), dict):
        for rec_hit in rec_tools[0]["search_results"]["results"][:1]:
            assert sorted(our_tools[0]["search_results"]["results"][0]) == sorted(rec_hit)
    rec_entry = recorded["usage_breakdown"]["models"][0]
    our_entry = ours["usage_breakdown"]["models"][0]
    assert sorted(our_entry) == sorted(rec_entry)
    assert set(rec_entry["usage"]) <= set(our_entry["usage"])
    assert set(recorded["usage"]) <= set(ours["usage"])


# gpt-oss built-in tools: no recording exists (index.json has none), so the emulator's entries
# are checked field by field against what GROQ_2026.md specifies instead:
# §1.1 SDK `ExecutedTool`: `arguments: str` (JSON), `index: int`, `type: str`, optional `output`,
#   `search_results{results[{title,url,content,score}]}`, `code_results[{text,…}]`;
# §1.1 "`function` with `name:"python"` and `code_results` (gpt-oss `code_interpreter`)" and
#   "`browser.search` / `browser.open` as `name` or `type` for gpt-oss `browser_search`";
# §1.0 "code results in `code_results[]`; search in `search_results` or `output`";
# §6 item 2: both entries sent per index, like compound's call-then-result (§1.1 steps 2-3).
_SPEC_KEYS = {"arguments", "index", "type", "name", "output", "search_results", "code_results"}


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize("kind", ["code_interpreter", "browser_search"])
def test_gpt_oss_builtin_tool_entries_match_groq_2026_field_by_field(kind: str, stream: bool):
    from mirascope.core.groq.testing._compound import builtin_chunks

    if stream:
        entries = _executed(builtin_chunks(kind=kind))
    else:
        entries = _emulated("builtin_tools", "openai/gpt-oss-120b", kind=kind)["choices"][0][
            "message"]["executed_tools"]  # fmt: skip
    for entry in entries:
        assert set(entry) <= _SPEC_KEYS
        assert isinstance(json.loads(entry["arguments"]), dict)  # a JSON string
        assert isinstance(entry["index"], int) and isinstance(entry["type"], str)
    if stream:  # the call (no results), then the same index with its result
        assert [e["index"] for e in entries] == [i for i in sorted({e["index"] for e in entries})
                                                 for _ in range(2)]  # fmt: skip
        entries = entries[1::2]
    if kind == "code_interpreter":
        (code,) = entries
        assert (code["type"], code["name"]) == ("function", "python")
        assert all(set(r) <= {"text", "png", "chart", "charts"} for r in code["code_results"])
    else:
        search, visit = entries
        assert (search["type"], visit["type"]) == ("browser.search", "browser.open")
        assert search["name"] == search["type"] and visit["name"] == visit["type"]
        assert isinstance(search["output"], str)
        hits = search["search_results"]["results"]
        assert hits and all(set(h) <= {"title", "url", "content", "score"} for h in hits)
