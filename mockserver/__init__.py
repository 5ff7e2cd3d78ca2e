"""Local mock server and contract-test harness for Kore.ai's Create Voice Campaign (Progressive, v2) API."""

from __future__ import annotations

__version__ = "0.1.0"
