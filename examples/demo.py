"""Stream a book recommendation with `groq_call(..., stream=True)`.

With GROQ_API_KEY set this calls Groq itself. Without it, it starts a real model on 127.0.0.1,
SmolLM2-135M-Instruct served by llama.cpp (`mirascope.core.groq.local`; install it with
`bash scripts/install-local-model.sh`, which `scripts/demo.sh` runs for you). The first line
says which backend is in use. `DEMO_BACKEND=emulator` uses the bundled Groq emulator instead,
which replays canned text.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from typing import Any

from mirascope.core import groq


def _start_backend(stack: ExitStack) -> tuple[str, Any, dict[str, Any]]:
    """Print the backend line; return the model, the client (None: default) and call params."""
    if os.environ.get("GROQ_API_KEY"):
        model = os.environ.get("DEMO_MODEL", "openai/gpt-oss-20b")
        base_url = os.environ.get("GROQ_BASE_URL", "https://api.groq.com")
        print(f"backend: Groq ({base_url}), model {model}", flush=True)
        return model, None, {}
    if os.environ.get("DEMO_BACKEND") == "emulator":
        from mirascope.core.groq.testing import GroqEmulator

        emulator = stack.enter_context(GroqEmulator())
        print(f"backend: bundled Groq emulator at {emulator.base_url} (canned text)", flush=True)
        # Pace the canned answer like a real stream, so the tokens visibly arrive one by one.
        params = {"extra_headers": {"x-emulator-scenario": "text;delay=0.03"}}
        return "openai/gpt-oss-20b", emulator.client(), params

    from mirascope.core.groq.local import LocalModel, LocalModelNotInstalledError

    print(
        "backend: local model SmolLM2-135M-Instruct (llama.cpp via xllamacpp; no GROQ_API_KEY set)",
        flush=True,
    )
    try:
        local = stack.enter_context(LocalModel())
    except LocalModelNotInstalledError as e:
        raise SystemExit(f"error: {e}") from None
    # A 135M model rambles: bound the answer. temperature 0 + seed gives the same text each run.
    params = {"max_tokens": 200, "temperature": 0, "seed": 42}
    return local.model, local.client(), params


def main() -> int:
    genre = sys.argv[1] if len(sys.argv) > 1 else "fantasy"
    with ExitStack() as stack:
        model, client, params = _start_backend(stack)

        @groq.call(model, stream=True, client=client, call_params=params)
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        stream = recommend_book(genre)
        for chunk, _ in stream:
            print(chunk.content, end="", flush=True)
        print()
        cost = f"${stream.cost:.8f}" if stream.cost is not None else "n/a (model not priced)"
        ttft = stream.time_to_first_token or 0.0
        speed = ""
        if stream.output_tokens and stream.end_time and stream.start_time:
            decode_s = (stream.end_time - stream.start_time - ttft) / 1000
            if decode_s > 0:
                speed = f", {stream.output_tokens / decode_s:.0f} tokens/s"
        print(
            f"-- {stream.input_tokens} prompt + {stream.output_tokens} completion tokens, "
            f"cost {cost}, first token after {ttft:.0f} ms{speed}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
