"""Where the project's data lives. The schemas and fixtures are data files beside the package."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
SOURCE_DIR = SCHEMAS_DIR / "source"
FIXTURES_DIR = PROJECT_ROOT / "fixtures"
DEFAULT_TENANT = FIXTURES_DIR / "tenant.json"
TENANT_SCHEMA = FIXTURES_DIR / "tenant.schema.json"
ENVELOPE_SCHEMA = FIXTURES_DIR / "error-envelope.schema.json"
CASES_DIR = FIXTURES_DIR / "cases"


def display(path: Path) -> str:
    """A path as error messages show it: relative to the working directory when under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# The one contract this project imitates; its schemas live in SCHEMAS_DIR / CONTRACT.
CONTRACT = "create-voice-campaign-progressive-v2"
