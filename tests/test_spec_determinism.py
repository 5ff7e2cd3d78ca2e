"""Generating twice gives identical bytes, whatever the hash seed."""

from __future__ import annotations

import shutil
from pathlib import Path

from commands import mockserver_command

from mockserver.paths import SCHEMAS_DIR, SOURCE_DIR
from mockserver.spec import build

STEM = "create-voice-campaign-progressive-v2"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_twice_in_one_process(tmp_path: Path) -> None:
    assert build.generate_all(SOURCE_DIR, tmp_path) == build.generate_all(SOURCE_DIR, tmp_path)


def test_written_bytes_are_the_documented_format() -> None:
    for path, text in build.generate_all(SOURCE_DIR, SCHEMAS_DIR).items():
        assert text.endswith("}\n") and not text.endswith("\n\n"), path
        assert "\\u" not in text, path  # ensure_ascii=False: “quotes” and • stay as they are


def test_other_hash_seeds_give_the_same_bytes(tmp_path: Path) -> None:
    trees = []
    for seed in ("0", "4242"):
        out = tmp_path / f"seed-{seed}"
        mockserver_command("schemas", "--source", str(SOURCE_DIR), "--out", str(out), env={"PYTHONHASHSEED": seed},
                           check=True)
        trees.append(_tree(out / STEM))
    assert trees[0] == trees[1]
    assert trees[0] == _tree(SCHEMAS_DIR / STEM), "schemas/ is not what the page generates: run `mockserver schemas`"


def test_writing_again_changes_nothing(tmp_path: Path) -> None:
    shutil.copytree(SOURCE_DIR, tmp_path / "source")
    build.write(tmp_path / "source", tmp_path)
    assert build.write(tmp_path / "source", tmp_path) == []
