"""Langfuse tracing for Mirascope calls (v1's `mirascope.integrations.langfuse`).

Needs the `langfuse` extra (langfuse 2.x, whose `langfuse.decorators` v1 is built on); importing
this package imports `langfuse`, and nothing else in Mirascope does.
"""

from ._with_langfuse import with_langfuse

__all__ = ["with_langfuse"]
