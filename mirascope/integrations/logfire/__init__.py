"""Logfire tracing for Mirascope calls (v1's `mirascope.integrations.logfire`).

Needs the `logfire` extra; importing this package imports `logfire`, and nothing else in
Mirascope does.
"""

from ._with_logfire import with_logfire

__all__ = ["with_logfire"]
