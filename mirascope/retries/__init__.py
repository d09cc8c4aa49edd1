"""Retry helpers. `mirascope.retries.tenacity` needs the `tenacity` extra; importing this
package does not import tenacity."""
