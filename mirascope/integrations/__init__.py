"""Integrations of mirascope-groq with other libraries (each imported lazily, by its module)."""
