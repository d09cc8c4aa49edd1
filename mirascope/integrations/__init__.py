"""Integrations of Mirascope calls with other libraries (each imported only when used)."""
