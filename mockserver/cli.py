"""`mockserver` console script: one subcommand per module in mockserver/commands."""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import signal
import sys
import threading

from mockserver.errors import ToolError

# Each module defines `register(subparsers)`, which adds its parser and sets `func=run`.
COMMANDS = ["schemas", "serve", "token", "sample", "tenant", "journal", "openapi", "parity"]
# Building the parser imports every command module, and `serve` then becomes gunicorn's master process, which
# forks the workers and serves nothing itself. So command modules import the app's heavy modules inside `run`,
# and the master stays at gunicorn's own memory (a test holds them to it).
LAZY = ("flask", "werkzeug", "faker", "jsonschema", "jsonschema_rs", "jwt", "orjson", "sqlite3", "ijson")

EPILOG = """\
`mockserver COMMAND --help` shows a command's options and examples.

exit status: 0 done; 1 a check found a difference (schemas --check, openapi
--check, parity); 2 a bad option, file or environment, said in one line on
stderr; 3 parity could not compare every case; 4 serve stopped because a worker
could not start; 5 serve stopped, but killed workers with requests still in hand
when --graceful-timeout ran out (or a second Ctrl-C cut it short); 130 Ctrl-C (a
serve that was serving stops on it as on SIGTERM: 0 or 5); 141 the reader of
the output went away (| head)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mockserver", description="Mock server and contract tests for Kore.ai Create Voice Campaign v2.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from mockserver import __version__  # here: see mockserver.__getattr__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"mockserver.commands.{name}").register(sub)
    return parser


def parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """The arguments; one left over is refused by its command's parser, with that command's usage line: the main
    parser's said `mockserver: error: unrecognized arguments: --prot 80` under the usage of `mockserver COMMAND`."""
    words = sys.argv[1:] if argv is None else list(argv)
    args, extra = parser.parse_known_args(words)
    if extra:
        commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
        before_command = words[:words.index(args.command)]  # `mockserver --bogus tenant`: the main parser's
        wrong = parser if any(word in before_command for word in extra) else commands.choices[args.command]
        wrong.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _open_standard_streams() -> None:
    """A daemon may start a command with stdin, stdout or stderr closed (`>&-`): Python then has no sys.stdout (or
    sys.stderr), and the next file opened takes that number, so that `serve`'s configuration check wrote into its
    own pipe, and its start was refused. Each one closed is opened on /dev/null, as a daemon's would be."""
    for number, name in enumerate(("stdin", "stdout", "stderr")):
        try:
            os.fstat(number)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != number:
                os.dup2(null, number)
                os.close(null)
            if getattr(sys, name) is None:
                setattr(sys, name, open(number, "r" if number == 0 else "w", encoding="utf-8", closefd=False))


class StoppedEarly(BaseException):  # not an Exception: no handler of a start-up step may take it for its own
    """SIGTERM came before the command took SIGTERM over itself (serve as it starts), or to a command run as PID 1."""


def _stop_early(signum: int, frame: object) -> None:
    raise StoppedEarly


def _take_sigterm(argv: list[str] | None) -> bool:
    """`serve` takes SIGTERM over only once the command modules are imported (0.3 s, a second or more on a slow
    machine). Until then one ends the start here as serve ends a stop while it starts, exit status 0: an ordinary
    process died of it (143), and PID 1 (a container's command), which has no default action for SIGTERM, had it
    dropped by the kernel, so an orchestrator's stop waited out its grace period and killed the container. Not where
    main() runs in a program with a SIGTERM handler of its own (a test), nor off the main thread, where none is set;
    nor for another command but as PID 1: `openapi --check` stopped as it started ended with 0, as if it had passed."""
    if threading.current_thread() is not threading.main_thread():
        return False
    if os.getpid() != 1 and (signal.getsignal(signal.SIGTERM) != signal.SIG_DFL or _named(argv) != "serve"):
        return False
    signal.signal(signal.SIGTERM, _stop_early)
    return True


def _named(argv: list[str] | None) -> str | None:
    """The command `argv` names before it is parsed: its first word that is no option (the main parser's take no
    value)."""
    return next((word for word in (sys.argv[1:] if argv is None else argv) if not word.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    command, took_sigterm, started_as = "mockserver", False, os.getpid()
    try:  # building the parser imports every command's module: a Ctrl-C then, too, ends without a traceback
        took_sigterm = _take_sigterm(argv)  # in here: a SIGTERM right after it is taken is a StoppedEarly below
        _open_standard_streams()
        # A character the locale cannot encode (a campaign's name in a journal line, under LANG=C or a Latin-1
        # locale) is written as \xfc, as Python writes it on stderr, not left to end the command in a traceback.
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")
        args = parse(build_parser(), argv)
        command = f"mockserver {args.command}"
        if took_sigterm and args.command != "serve" and os.getpid() != 1:  # the others end on it as programs do
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        status = int(args.func(args) or 0)
        if sys.stdout is not None:  # None: started with stdout closed (`>&-`), as a daemon's serve may be
            sys.stdout.flush()  # here, not at exit, so that a write that fails is told as the others are
        return status
    except ToolError as exc:
        print(f"{command}: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        return 130
    except StoppedEarly:
        return 0
    except BrokenPipeError:  # the reader went away (`mockserver journal | head`): stop quietly, as `cat` would
        _drop_stdout()
        return 141  # 128 + SIGPIPE, what a shell reports for a command the signal stopped
    except OSError as exc:
        if exc.errno not in OUTPUT_ERRORS or exc.filename is not None:
            raise
        # standard output on a full disk or a device that takes nothing (`> /dev/full`): one line, as cat says it
        _drop_stdout()
        print(f"{command}: error: cannot write the output: {exc.strerror}", file=sys.stderr)
        return ToolError.exit_status
    finally:  # a program calling main() (a test) gets its process back as it was, whatever ended the command; not
        # in serve's forked workers, which unwind through here as they exit: a SIGTERM then was their death
        if took_sigterm and os.getpid() == started_as != 1:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


# What only a write can fail with, where the command itself is not at fault: the commands read their files in
# ToolErrors of their own, so what escapes with one of these is the output. (Not EIO, which a read gives too.)
OUTPUT_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def _drop_stdout() -> None:
    """Python's recipe: what is left in stdout's buffer would fail again when it is flushed at exit."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
