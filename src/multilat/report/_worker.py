"""A second process for the parts of a report that need neither the evidence nor the checks.

The figures (matplotlib) and the formatted bibliography (citeproc-py) of a report are made
from plain data: :class:`~multilat.report.figures.FigureData` (per-year beliefs, no items),
the robustness section's influences and change years, the cited CSL-JSON items. A
:class:`ReportWorker` makes them in another process while the report's own process runs the
checks and builds the tables, so that on a machine with two cores a report costs little more
than its checks.

The worker is a fork of this process where that is safe and usual (Linux, no other thread:
the command line starts it before reading the case), else a fresh interpreter (``python -c``:
safe in a threaded program, and it never runs the caller's main script again). It reads
pickled jobs on one pipe and writes their outcomes on another (anything it prints goes to
standard error). While the case is still being read it imports matplotlib and citeproc-py.
It runs the very functions the report would run itself, one job at a time in the order
sent, so its results are the same bytes. A job it has not started can be taken back and run
here. A job the worker cannot run (no worker, a worker that failed it or died, an argument
that cannot be pickled) runs in this process when its result is asked for: an error is then
raised here, as without a worker.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import IO, Any

__all__ = ["Job", "ReportWorker", "serve"]

_LENGTH = struct.Struct("<Q")


def _write(stream: IO[bytes], payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _read(stream: IO[bytes]) -> bytes:
    """One framed message; ``EOFError`` when the other side is gone."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError
    size = _LENGTH.unpack(head)[0]
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError
    return payload


def _warm() -> dict[str, str]:
    """Import what the jobs need; the versions of matplotlib and citeproc-py, by module.

    (Drawing a throw-away figure as well was measured: the first real figure was no faster.)
    """
    try:
        import citeproc  # type: ignore[import-untyped]
        import citeproc.source.json  # type: ignore[import-untyped]  # noqa: F401
        import matplotlib
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.backends.backend_svg  # noqa: F401
        import matplotlib.figure  # noqa: F401

        from . import citations, figures  # noqa: F401  (the CSL classes, lxml)
    except Exception:  # noqa: BLE001  (a missing extra: the report's own process says so)
        return {}
    return {"matplotlib": str(matplotlib.__version__),
            "citeproc": str(getattr(citeproc, "__version__", "unknown"))}


_JOB, _CLAIM, _OUTCOME = b"J", b"C", b"O"
_NUMBER = struct.Struct("<Q")


def serve(source: IO[bytes] | None = None, channel: IO[bytes] | None = None) -> None:
    """The worker's main loop: jobs from ``source`` (standard input), outcomes to
    ``channel`` (standard output; anything printed goes to standard error).

    A reader thread takes each message off standard input as it comes (so that the report's
    process never blocks sending a job while this one sends a large result) and answers
    claims at once: a job not started yet may be taken back by the report's process, which
    then runs it itself. The main thread unpickles and runs the other jobs in order.
    """
    if channel is None:
        channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints: to standard error
    if source is None:
        source = sys.stdin.buffer
    inbox: queue.Queue[tuple[int, bytes] | None] = queue.Queue()
    lock = threading.Lock()  # guards the channel and the sets below
    started: set[int] = set()
    claimed: set[int] = set()

    def read() -> None:
        count = 0
        try:
            while True:
                message = _read(source)
                if message[:1] == _CLAIM:
                    number = _NUMBER.unpack(message[1:])[0]
                    with lock:
                        granted = number not in started
                        if granted:
                            claimed.add(number)
                        _write(channel, _CLAIM + message[1:] + (b"1" if granted else b"0"))
                else:
                    inbox.put((count, message[1:]))
                    count += 1
        except (EOFError, OSError, ValueError):
            inbox.put(None)

    threading.Thread(target=read, daemon=True).start()
    try:
        while (entry := inbox.get()) is not None:
            number, message = entry
            with lock:
                if number in claimed:
                    continue
                started.add(number)
            try:
                function, args = pickle.loads(message)
                outcome: tuple[bool, Any] = (True, function(*args))
            except Exception as error:  # noqa: BLE001  (re-run, and raised, by the caller)
                outcome = (False, f"{type(error).__name__}: {error}")
            try:
                payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as error:  # noqa: BLE001  (an unpicklable result: re-run there)
                payload = pickle.dumps((False, f"{type(error).__name__}: {error}"))
            with lock:
                _write(channel, _OUTCOME + _NUMBER.pack(number) + payload)
    except (KeyboardInterrupt, OSError, ValueError):
        pass


class _Forked:
    """A forked child running :func:`serve` over two pipes, with the part of
    :class:`subprocess.Popen` the worker uses (``stdin``, ``stdout``, ``kill``, ``wait``)."""

    def __init__(self) -> None:
        jobs_read, jobs_write = os.pipe()
        outcomes_read, outcomes_write = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
            stream.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.close(jobs_write)
                os.close(outcomes_read)
                serve(os.fdopen(jobs_read, "rb"), os.fdopen(outcomes_write, "wb"))
            finally:
                os._exit(0)
        os.close(jobs_read)
        os.close(outcomes_write)
        self.pid = pid
        self.stdin: IO[bytes] | None = os.fdopen(jobs_write, "wb")
        self.stdout: IO[bytes] | None = os.fdopen(outcomes_read, "rb")

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def wait(self) -> None:
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _can_fork() -> bool:
    """Whether a fork is safe and cheaper here: Linux (where forking is the usual way), and
    no other thread in this process (the command line, before it reads the case)."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1)


class Job:
    """One function call, made by the worker or (failing that) here when its result is
    asked for."""

    def __init__(self, worker: ReportWorker | None, number: int | None,
                 function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._worker, self._number = worker, number
        self._function, self._args = function, args

    def result(self, take_back: bool = False) -> Any:
        """The call's result. ``take_back``: if the worker has not started the job yet, it
        runs here instead (this process is idle meanwhile, the worker busy with others)."""
        if self._worker is not None and self._number is not None:
            if take_back and self._worker._claim(self._number):
                return self._function(*self._args)
            done, value = self._worker._outcome(self._number)
            if done:
                return value
        return self._function(*self._args)


class ReportWorker:
    """A worker process for a report's figures and references (see the module's text).

    Use it as a context manager: leaving the block stops the process. ``start=False``, or a
    system where no process can be started, gives a worker that runs every job here.
    """

    def __init__(self, *, start: bool = True) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._sent = 0
        # Outcomes as they arrive (a reader thread takes them off the pipe at once, so that
        # the worker never blocks on a full pipe), by job number, still pickled.
        self._arrived: dict[int, bytes] = {}
        self._claims: dict[int, bool] = {}
        self._gone = False
        self._condition = threading.Condition()
        self._versions: dict[str, str] | None = None
        self._warm: int | None = None
        if start:
            self._start()

    def _start(self) -> None:
        if _can_fork():  # the child has this process's modules already: no imports again
            try:
                self._process = _Forked()  # type: ignore[assignment]
            except OSError:
                self._process = None
        if self._process is None:
            self._spawn()
        if self._process is None:
            return
        threading.Thread(target=self._collect, args=(self._process.stdout,), daemon=True,
                         name="multilat-report-worker").start()
        self._warm = self.submit(_warm)._number

    def _spawn(self) -> None:
        if not sys.executable:
            return
        # The child imports from the same places, in the same order, as this process.
        # A child that cannot start (no multilat there, Ctrl-C) ends quietly: the report
        # then makes everything here.
        code = (f"import sys\nsys.path[:] = {[p for p in sys.path if isinstance(p, str)]!r}\n"
                "try:\n    from multilat.report._worker import serve\n    serve()\n"
                "except BaseException:\n    raise SystemExit(3)\n")
        try:
            self._process = subprocess.Popen([sys.executable, "-c", code],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except (OSError, ValueError):
            self._process = None

    def _collect(self, stream: IO[bytes]) -> None:
        try:
            while True:
                message = _read(stream)
                number = _NUMBER.unpack(message[1:1 + _NUMBER.size])[0]
                with self._condition:
                    if message[:1] == _CLAIM:
                        self._claims[number] = message[1 + _NUMBER.size:] == b"1"
                    else:
                        self._arrived[number] = message[1 + _NUMBER.size:]
                    self._condition.notify_all()
        except (EOFError, OSError, ValueError, struct.error):
            with self._condition:
                self._gone = True
                self._condition.notify_all()

    @property
    def running(self) -> bool:
        """Whether jobs go to another process."""
        return self._process is not None

    def submit(self, function: Callable[..., Any], *args: Any) -> Job:
        """Send ``function(*args)`` to the worker (``function`` importable by name, the
        arguments picklable); :meth:`Job.result` waits for it."""
        if self._process is None:
            return Job(None, None, function, args)
        try:
            payload = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001  (not picklable: this one runs here)
            return Job(None, None, function, args)
        try:
            assert self._process.stdin is not None
            _write(self._process.stdin, _JOB + payload)
        except (OSError, ValueError):
            self._stop()
            return Job(None, None, function, args)
        self._sent += 1
        return Job(self, self._sent - 1, function, args)

    def _outcome(self, number: int) -> tuple[bool, Any]:
        """Job ``number``'s outcome: ``(True, result)``, or ``(False, why)`` when the worker
        failed it or is gone."""
        with self._condition:
            self._condition.wait_for(lambda: number in self._arrived or self._gone
                                     or self._process is None)
            payload = self._arrived.pop(number, None)
        if payload is None:
            self._stop()
            return False, "the worker stopped"
        try:
            outcome: tuple[bool, Any] = pickle.loads(payload)
        except Exception:  # noqa: BLE001  (cannot happen with one Python; run it here)
            return False, "an outcome that could not be read"
        return outcome

    def _claim(self, number: int) -> bool:
        """Take job ``number`` back if the worker has not started it (``True``: run it
        here; the worker skips it)."""
        with self._condition:
            if number in self._arrived or self._process is None or self._gone:
                return False
            stdin = self._process.stdin
        try:
            assert stdin is not None
            _write(stdin, _CLAIM + _NUMBER.pack(number))
        except (OSError, ValueError):
            return False
        with self._condition:
            self._condition.wait_for(lambda: number in self._claims or self._gone
                                     or self._process is None)
            return self._claims.pop(number, False)

    def library_versions(self) -> dict[str, str]:
        """The versions of matplotlib and citeproc-py the worker imported (empty without a
        worker, or when it could not import them)."""
        if self._versions is None:
            done, versions = (self._outcome(self._warm) if self._warm is not None
                              else (False, None))
            self._versions = versions if done and isinstance(versions, dict) else {}
        return dict(self._versions)

    def _stop(self) -> None:
        with self._condition:
            process, self._process = self._process, None
            self._condition.notify_all()
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
        except OSError:
            pass
        # Nothing of the worker's needs saving: ending it now spares waiting for its exit.
        process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def close(self) -> None:
        """Stop the worker (the results not asked for yet are dropped)."""
        self._stop()

    def __enter__(self) -> ReportWorker:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop()
