"""mockserver.whole_files: a file is written whole or left as it was, through a link, and never in place of a device."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys

import pytest

from mockserver import whole_files
from mockserver.cli import main as mockserver_main
from mockserver.whole_files import write_whole


def full_disk(*_args):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_write_that_fails_leaves_the_file_as_it_was_and_no_temporary_file(tmp_path, monkeypatch):
    """Written in place, a full disk cut the file off and lost what it held."""
    path = tmp_path / "doc.json"
    path.write_bytes(b'{"old": true}\n')
    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_whole(path, b'{"new": true}\n' * 1000)
    assert path.read_bytes() == b'{"old": true}\n' and os.listdir(tmp_path) == ["doc.json"]


def test_a_file_keeps_its_permissions_and_a_new_one_gets_the_umask_s(tmp_path):
    kept, new = tmp_path / "kept.json", tmp_path / "new.json"
    kept.write_bytes(b"{}")
    kept.chmod(0o640)
    write_whole(kept, b"[]")
    write_whole(new, b"[]")
    umask = os.umask(0)
    os.umask(umask)
    assert (stat.S_IMODE(kept.stat().st_mode), stat.S_IMODE(new.stat().st_mode)) == (0o640, 0o666 & ~umask)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the umask from /proc/self/status (Linux)")
def test_the_umask_is_read_without_being_set(tmp_path, monkeypatch):
    """Set to 0 for an instant, the umask left a file another thread made then (the in-process mock's database)
    writable by all."""
    umask = os.umask(0o027)
    os.umask(umask)
    set_to = []
    monkeypatch.setattr(os, "umask", lambda mask: set_to.append(mask) or umask)
    write_whole(tmp_path / "new.json", b"[]")
    assert set_to == []
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o666 & ~umask


def test_a_link_is_written_through_and_stays_a_link(tmp_path):
    target, link = tmp_path / "target.json", tmp_path / "link.json"
    link.symlink_to(target.name)  # dangling until written
    write_whole(link, b"[1]")
    assert link.is_symlink() and target.read_bytes() == b"[1]"


def test_what_is_not_a_regular_file_is_written_in_place_not_replaced(tmp_path):
    """os.replace onto /dev/null would have put a file where the device was."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_whole(fifo, b"through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_openapi_out_of_disk_keeps_the_document_it_would_replace(tmp_path, monkeypatch, capsys):
    out = tmp_path / "openapi.json"
    out.write_text('{"openapi": "3.1.0"}\n', encoding="utf-8")
    monkeypatch.setattr(whole_files.os, "fsync", full_disk)
    assert mockserver_main(["openapi", "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == '{"openapi": "3.1.0"}\n' and os.listdir(tmp_path) == ["openapi.json"]
    assert "cannot write the document: No space left on device" in capsys.readouterr().err


@pytest.mark.parametrize("held", ['{"accounts": []}\n', "notes\n"])
def test_openapi_out_refuses_a_file_of_something_else(tmp_path, capsys, held):
    """`openapi --account ID --tenant t.json -o t.json` replaced the tenant file with the document."""
    out = tmp_path / "t.json"
    out.write_text(held, encoding="utf-8")
    assert mockserver_main(["openapi", "-o", str(out)]) == 2
    assert mockserver_main(["openapi", "--check", "-o", str(out)]) == 2  # it advised writing over it
    assert out.read_text(encoding="utf-8") == held
    assert "holds something other than an OpenAPI document" in capsys.readouterr().err


def test_standard_output_is_written_as_a_stream_piped_or_redirected_to_a_file(tmp_path):
    """/dev/stdout resolved to /proc/PID/fd/pipe:[N], where no file can be made (`openapi -o /dev/stdout | head`
    failed), or to the file the shell redirected to, which was replaced: what was printed after went nowhere."""
    program = ("from pathlib import Path; from mockserver.whole_files import write_whole\n"
               "print('before', flush=True); write_whole(Path('/dev/stdout'), b'written\\n'); print('after')\n")
    piped = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=60)
    assert (piped.returncode, piped.stdout) == (0, b"before\nwritten\nafter\n"), piped.stderr
    redirected = tmp_path / "out.txt"
    with redirected.open("wb") as out:
        ran = subprocess.run([sys.executable, "-c", program], stdout=out, stderr=subprocess.PIPE, timeout=60)
    assert (ran.returncode, redirected.read_bytes()) == (0, b"before\nwritten\nafter\n"), ran.stderr


def test_openapi_out_to_standard_output_through_a_pipe_writes_the_document():
    ran = subprocess.run([sys.executable, "-m", "mockserver", "openapi", "-o", "/dev/stdout"], capture_output=True,
                         timeout=60)
    assert ran.returncode == 0 and ran.stdout.startswith(b"{"), ran.stderr


@pytest.mark.parametrize(("out", "words"), [
    ("nowhere/openapi.json", "its folder {tmp_path}/nowhere does not exist"),
    ("plain/openapi.json", "{tmp_path}/plain is a file, not a folder"),
], ids=["no-folder", "a-file-as-folder"])
def test_a_relative_out_names_the_folder_as_the_store_does(tmp_path, monkeypatch, capsys, out, words):
    """`-o nowhere/openapi.json` said "its folder nowhere does not exist", where `--db nowhere/mock.sqlite3` names
    the folder's absolute path: the line begins with the path as given, and the folder says where it was looked."""
    (tmp_path / "plain").touch()
    monkeypatch.chdir(tmp_path)
    assert mockserver_main(["openapi", "-o", out]) == 2
    said = f"mockserver openapi: error: {out}: cannot write the document: {words.format(tmp_path=tmp_path)}"
    assert capsys.readouterr().err.splitlines() == [said]


@pytest.mark.parametrize(("out", "words"), [
    ("nowhere/openapi.json", "its folder {tmp_path}/nowhere does not exist"),
    ("plain/openapi.json", "{tmp_path}/plain is a file, not a folder"),
    ("plain/deeper/openapi.json", "{tmp_path}/plain is a file, not a folder"),
    ("folder", "it is a folder: name a file, in it or elsewhere"),
    ("link.json", "its folder {tmp_path}/gone does not exist"),
], ids=["no-folder", "a-file-as-folder", "a-file-above", "a-folder", "a-link-into-no-folder"])
def test_openapi_out_in_no_folder_says_which(tmp_path, capsys, out, words):
    """The system's words, "No such file or directory" (read as of the document, which need not be there), "Not a
    directory" and "Is a directory", were all that was said."""
    (tmp_path / "plain").touch()
    (tmp_path / "folder").mkdir()
    (tmp_path / "link.json").symlink_to("gone/openapi.json")
    assert mockserver_main(["openapi", "-o", str(tmp_path / out)]) == 2
    said = f"mockserver openapi: error: {tmp_path / out}: cannot write the document: {words.format(tmp_path=tmp_path)}"
    assert capsys.readouterr().err.splitlines() == [said]
