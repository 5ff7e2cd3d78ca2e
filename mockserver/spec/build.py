"""Orchestration: every page under a source directory -> the files under `<out>/<page stem>/`.

`generate_all` builds the files in memory; `write` puts them on disk; `check` compares them with what is
on disk. Output bytes are deterministic: emit order is page order, and nothing iterates a set.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from mockserver.errors import ConfigError, SpecError, read_text, text_lines
from mockserver.paths import display
from mockserver.spec import audit, drift, emit, overrides, resolve
from mockserver.spec.markdown import parse_page
from mockserver.spec.model import PARAMETER_KINDS, Page, Property
from mockserver.whole_files import written_beside

# Output part -> the table it comes from, and the words its title ends with.
PARTS = {
    "path": ("path", "path parameters"),
    "query": ("query", "query parameters"),
    "headers": ("headers", "headers"),
    "request": ("body", "request body"),
    "response": ("response", "response body"),
}

# The files `generate_page` writes into a page's folder. A folder of the output holding one of them is a page
# folder the generator owns: a JSON file in it that no page generates is stale.
FILE_NAMES = ("endpoint.json", *(f"{part}.schema.json" for part in PARTS), "sample-request.json",
              "sample-response.json")


def dumps(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def pages(source_dir: Path) -> list[Path]:
    if source_dir.is_file():
        raise ConfigError("--source is a file, not a directory: give the directory that holds the vendor pages (*.md)",
                          where=display(source_dir))
    if not source_dir.is_dir():
        raise ConfigError("source directory does not exist", where=display(source_dir))
    found = sorted(source_dir.glob("*.md"))
    if not found:
        raise ConfigError("no vendor pages (*.md) in the source directory", where=display(source_dir))
    return found


def generate_page(page_path: Path) -> dict[str, str]:
    """File name -> text, for one page."""
    shown = display(page_path)
    text = read_text(page_path, "vendor page", shown)
    page = parse_page(text, page_path.name, shown)
    override_path = page_path.with_suffix(".overrides.toml")
    fixes = overrides.load(override_path, display(override_path)) if override_path.exists() else overrides.none()
    try:
        props = resolve.resolve_page(page, fixes)
    except SpecError as exc:  # resolve names the page's lines as provenance does, by file name: show its path
        if exc.where and exc.where.startswith(f"{page_path.name}:"):
            exc.where = shown + exc.where[len(page_path.name):]
        raise
    schemas = {part: _part_schema(page, page_path.stem, part, props[kind], words, shown)
               for part, (kind, words) in PARTS.items()}
    fields = {part: [prop.name for prop in props[PARTS[part][0]]] for part in ("request", "response")}
    # where each [[add]] entry says `required`: a field it adds is made optional there, not by another entry
    added = {f"{fixes.file}:{entry.src('required').line}" for entry in fixes.entries if entry.kind == "add"}
    _agree(page, schemas, text_lines(text), (fields, added), shown, override_path.name)
    files: dict[str, Any] = {"endpoint.json": emit.endpoint(page)}
    files.update({f"{part}.schema.json": schema for part, schema in schemas.items()})
    files["sample-request.json"] = _sample(page, "request", shown)
    files["sample-response.json"] = _sample(page, "response", shown)
    return {name: dumps(obj) for name, obj in files.items()}


def _part_schema(page: Page, stem: str, part: str, props: list[Property], words: str, shown: str) -> dict[str, Any]:
    table = page.tables.get(PARTS[part][0])
    sources = {"title": page.title_source, "type": table.source if table else page.title_source}
    built = emit.schema(props, title=f"{page.title}: {words}", schema_id=f"urn:kore-campaign-mock:{stem}:{part}",
                        sources=sources, flat=PARTS[part][0] in PARAMETER_KINDS)
    try:
        Draft202012Validator.check_schema(built)
    except SchemaError as exc:
        where = f"{shown}:{table.source.line if table else 1}"
        raise SpecError(f"generated {part} schema is invalid: {exc.message}", where=where) from None
    return built


def _agree(page: Page, schemas: dict[str, dict[str, Any]], lines: list[str],
           names: tuple[dict[str, list[str]], set[str]], shown: str, fixes: str) -> None:
    found = audit.contradictions(page, schemas, lines, *names)
    if found:
        first = found[0]
        how = f": {first.resolve}" if first.resolve else ""
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise SpecError(f"the page contradicts itself: {first.what}; resolve it in {fixes}{how}{more}",
                        where=f"{shown}:{first.line}")


def _sample(page: Page, which: str, shown: str) -> Any:
    sample = page.sample_request if which == "request" else page.sample_response
    if sample is None:
        form = "a curl with --data '{...}'" if which == "request" else "a JSON code block"
        raise SpecError(f"page has no sample {which} ({form})", where=f"{shown}:{page.last_line}")
    return sample.value


def generate_all(source_dir: Path, out_dir: Path) -> dict[Path, str]:
    """Output path -> text, for every page under `source_dir`."""
    if out_dir.exists() and not out_dir.is_dir():  # else --check listed every file "missing", as if not generated
        raise ConfigError("--out is a file, not a directory: give the directory to write <page>/ into",
                          where=display(out_dir))
    files: dict[Path, str] = {}
    for page_path in pages(source_dir):
        for name, text in generate_page(page_path).items():
            files[out_dir / page_path.stem / name] = text
    return files


def _stale(files: dict[Path, str], out_dir: Path) -> list[Path]:
    """JSON files on disk the generator did not produce, in the page folders it owns: a page's folder, or a
    folder of `out_dir` holding any of FILE_NAMES (a page that is gone or renamed). Other files are left alone."""
    dirs = {path.parent for path in files}
    if out_dir.is_dir():
        dirs |= {found.parent for name in FILE_NAMES for found in out_dir.glob(f"*/{name}")}
    found = (path for folder in sorted(dirs) if folder.is_dir() for path in sorted(folder.glob("*.json")))
    return [path for path in found if path.is_file() and path not in files]


def write(source_dir: Path, out_dir: Path) -> list[Path]:
    """Write every generated file and remove stale ones (and a page folder they leave empty); returns the
    paths that changed. All or nothing: each changed file is first written whole to a temporary file beside it, and
    only once every one is written are they moved into place (os.replace, atomic per file) and the stale files
    removed; a failure before then removes the temporary files (and folders it made) and changes nothing."""
    files = generate_all(source_dir, out_dir)
    changed = [path for path, text in files.items() if not _current(path, text)]
    stale = _stale(files, out_dir)
    made: list[Path] = []  # folders this run created, removed again if the write fails
    ready: list[tuple[Path, Path]] = []  # (temporary file, the file it replaces)
    path = out_dir
    try:
        for path in changed:
            if path.is_dir():  # os.replace would fail on it after other files were already replaced
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            _make_folders(path.parent, made)
            ready.append((written_beside(path, files[path].encode("utf-8")), path))
    except BaseException as exc:  # a Ctrl-C too leaves no temporary file or new folder behind
        _undo(ready, made)
        if isinstance(exc, OSError):  # the file being written is named, not its temporary file
            raise ConfigError(f"cannot write the schemas: {exc.strerror}", where=str(path)) from None
        raise
    try:
        for temporary, path in ready:
            os.replace(temporary, path)
        for path in stale:
            path.unlink()
            if not any(path.parent.iterdir()):
                path.parent.rmdir()
    except OSError as exc:
        _undo(ready, [])
        raise ConfigError(f"cannot write the schemas: {exc.strerror}", where=str(exc.filename or out_dir)) from None
    return stale + changed


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Create `folder` and any parent it lacks, top down, adding each to `made` as it is created: when one cannot be
    made (a name too long, no room), those made before it are in `made` to be removed."""
    for parent in reversed([folder, *folder.parents]):
        if not parent.exists():
            try:
                parent.mkdir()
            except FileExistsError:  # made by another program just now: not this run's to remove
                continue
            made.append(parent)


def _undo(ready: list[tuple[Path, Path]], made: list[Path]) -> None:
    """Remove the temporary files not yet moved into place, and the folders this run created if they are empty."""
    for temporary, _ in ready:
        temporary.unlink(missing_ok=True)
    for folder in sorted(made, key=lambda folder: len(folder.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty, or gone: leave it


def check(source_dir: Path, out_dir: Path) -> list[str]:
    """One line per file that differs from what the pages generate, is missing, or is extra."""
    files = generate_all(source_dir, out_dir)
    problems = [f"{display(path)}: not generated by any page (extra file)" for path in _stale(files, out_dir)]
    for path, text in files.items():
        if not path.is_file():
            problems.append(f"{display(path)}: missing")
        elif not _current(path, text):
            problems.append(f"{display(path)}: differs from what the page generates: "
                            f"{drift.describe(path.read_bytes(), text)}")
    return sorted(problems)


def _current(path: Path, text: str) -> bool:
    """The file holds exactly the generated bytes. `write` and `check` both ask this, so what `check` calls
    drift (CRLF line ends included) is what `write` rewrites."""
    return path.is_file() and path.read_bytes() == text.encode("utf-8")
