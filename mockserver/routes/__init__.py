"""The app's blueprints and request hooks, one module per concern."""

from __future__ import annotations

# The mock's own endpoints (admin API, OpenAPI document): never journaled, faulted or rate-limited.
OWN_PATHS = ("/__admin", "/openapi.json")
