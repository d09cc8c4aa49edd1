"""Default clients, built lazily and reused so connections are pooled (v1 built one per call, B22).

One sync `Groq` per environment, and one `AsyncGroq` per running event loop: an async pool must
not be shared across loops (e.g. successive `asyncio.run` calls). `GROQ_API_KEY` and
`GROQ_BASE_URL` are read when a client is created, and a change of either gives a new client.
"""

from __future__ import annotations

import asyncio
import os
import threading
import weakref

from groq import AsyncGroq, Groq

_EnvKey = tuple[str | None, str | None]

_lock = threading.Lock()
_sync_clients: dict[_EnvKey, Groq] = {}
_async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[_EnvKey, AsyncGroq]] = (
    weakref.WeakKeyDictionary()
)


def _env_key() -> _EnvKey:
    return os.environ.get("GROQ_API_KEY"), os.environ.get("GROQ_BASE_URL")


def default_client() -> Groq:
    """The shared sync client. A missing API key raises `groq.GroqError` here, at call time."""
    key = _env_key()
    client = _sync_clients.get(key)
    if client is None:
        with _lock:
            client = _sync_clients.get(key)
            if client is None:
                client = _sync_clients[key] = Groq()
    return client


def default_async_client() -> AsyncGroq:
    """The shared async client of the running event loop."""
    loop = asyncio.get_running_loop()
    key = _env_key()
    per_loop = _async_clients.get(loop)
    if per_loop is None:
        per_loop = _async_clients[loop] = {}
    client = per_loop.get(key)
    if client is None:
        client = per_loop[key] = AsyncGroq()
    return client
