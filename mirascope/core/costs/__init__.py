"""Cost calculation for calls: `calculate_cost(provider, model, metadata)`.

Example:
    ```python
    from mirascope.core.costs import calculate_cost
    ```
"""

from .calculate_cost import calculate_cost

__all__ = ["calculate_cost"]
