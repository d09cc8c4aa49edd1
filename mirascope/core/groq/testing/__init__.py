"""A Groq-compatible HTTP/1.1 emulator for offline tests.

Point the real `groq` SDK (or anything that speaks Groq's OpenAI-style API) at it, script the
responses, and assert on what the client sent and how it handled the connection. Standard library
only; importing `mirascope.core.groq` does not import it.

Example:
    ```python
    from mirascope.core.groq.testing import GroqEmulator

    with GroqEmulator() as emu:
        emu.enqueue("text", text="Hello there!")
        with emu.client() as client:
            stream = client.chat.completions.create(
                model="openai/gpt-oss-20b",
                messages=[{"role": "user", "content": "Hi"}],
                stream=True,
            )
            print("".join(c.choices[0].delta.content or "" for c in stream if c.choices))
        assert emu.requests[0].headers["authorization"] == "Bearer ***"
    ```

In pytest, use the `groq_emulator` fixture (registered automatically by the plugin).
"""

from ._catalog import DEFAULT_MODELS, RETIRED_MODEL_IDS, ModelInfo
from ._records import ConnectionRecord, RecordedRequest, StreamRecord
from ._script import SCENARIOS, ScriptEntry
from ._server import DUMMY_API_KEY, GroqEmulator

__all__ = [
    "DEFAULT_MODELS",
    "DUMMY_API_KEY",
    "RETIRED_MODEL_IDS",
    "SCENARIOS",
    "ConnectionRecord",
    "GroqEmulator",
    "ModelInfo",
    "RecordedRequest",
    "ScriptEntry",
    "StreamRecord",
]
