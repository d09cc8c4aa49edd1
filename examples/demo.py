"""Stream a book recommendation with `groq_call(..., stream=True)`.

With GROQ_API_KEY set this calls Groq itself; otherwise it starts the Groq emulator that ships
with mirascope-groq and streams from it. The first line says which backend is in use.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack

from mirascope.core import groq


def main() -> int:
    genre = sys.argv[1] if len(sys.argv) > 1 else "fantasy"
    with ExitStack() as stack:
        if os.environ.get("GROQ_API_KEY"):
            model = os.environ.get("DEMO_MODEL", "openai/gpt-oss-20b")
            base_url = os.environ.get("GROQ_BASE_URL", "https://api.groq.com")
            print(f"backend: Groq ({base_url}), model {model}")
            extra_headers: dict[str, str] = {}
        else:
            from mirascope.core.groq.testing import GroqEmulator

            emulator = stack.enter_context(GroqEmulator())
            os.environ["GROQ_BASE_URL"] = emulator.base_url
            os.environ["GROQ_API_KEY"] = "emulator-demo-key"
            model = "openai/gpt-oss-20b"
            print(f"backend: bundled Groq emulator at {emulator.base_url} (no GROQ_API_KEY set)")
            # Pace the canned answer like a real stream, so the tokens visibly arrive one by one.
            extra_headers = {"x-emulator-scenario": "text;delay=0.03"}

        @groq.call(model, stream=True, call_params={"extra_headers": extra_headers})
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        stream = recommend_book(genre)
        for chunk, _ in stream:
            print(chunk.content, end="", flush=True)
        print()
        print(
            f"-- {stream.input_tokens} prompt + {stream.output_tokens} completion tokens, "
            f"cost ${stream.cost or 0:.8f}, "
            f"first token after {stream.time_to_first_token or 0:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
