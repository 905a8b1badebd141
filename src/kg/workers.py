"""Work beside the build's main thread: a thread, a forked child, or the same process.

A build runs pyshacl and rdflib's writers off its critical path (:func:`beside`): in a
forked child on Linux, where the child shares the parent's memory copy-on-write and the
kernel kills it if the parent dies (``prctl(PR_SET_PDEATHSIG)``); in the same process,
later, where fork or prctl does not exist (macOS, Windows) or when ``KG_WORKERS=inline``
asks for it. Both give the same bytes. :class:`Threaded` is for work that leaves the GIL.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar

from kg.errors import InputError

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Threaded(Generic[T]):
    """A call run in a thread; for work that leaves the GIL (pyoxigraph's bulk load)."""

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        self._outcome: list[tuple[bool, object]] = []

        def run() -> None:
            try:
                self._outcome.append((True, function(*args)))
            except BaseException as error:  # re-raised in the caller's thread by result()
                self._outcome.append((False, error))

        self._thread = threading.Thread(target=run, name=f"kg-{function.__name__}", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> T:
        self._thread.join()
        ok, value = self._outcome[0]
        if not ok:
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when its parent dies (a killed build leaves no orphan
    holding the build lock, which it inherited, or writing into a folder being removed)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


class Forked(Generic[T]):
    """A call run in a forked child process, its result sent back through a pipe.

    On Linux the child shares the parent's memory copy-on-write, so the graphs are not
    copied. Errors come back as OSError (disk full stays a disk-full error) or as a
    RuntimeError carrying the child's traceback.
    """

    def __init__(self, function: Callable[..., T], *args: object, nice: int = 0) -> None:
        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):  # or the child would flush the same bytes again
            stream.flush()
        self._receive, send = context.Pipe(duplex=False)

        parent = os.getpid()

        def run() -> None:
            _die_with(parent)
            if nice:
                os.nice(nice)
            try:
                send.send((True, function(*args)))
            except OSError as error:
                send.send((False, ("os", error.errno, error.strerror, error.filename)))
            except BaseException:
                send.send((False, ("other", traceback.format_exc())))
            finally:
                send.close()

        self._what = function.__name__.strip("_")
        self._process = context.Process(target=run, name=f"kg-{self._what}", daemon=True)
        self._process.start()
        send.close()

    def result(self) -> T:
        try:
            ok, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"the process {self._what} ended without a result (exit code {self._process.exitcode})"
            ) from None
        finally:
            self._receive.close()
        self._process.join()
        if ok:
            return value  # type: ignore[no-any-return]
        if value[0] == "os":
            raise OSError(value[1], value[2], value[3])
        raise RuntimeError(f"the process {self._what} failed:\n{value[1]}")

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


class Worker(Protocol[T_co]):
    """A call under way: its result (or its error) when asked, and a way to stop it."""

    def result(self) -> T_co: ...

    def cancel(self) -> None: ...


class Inline(Generic[T]):
    """The call run in this process when its result is first asked for (no fork, no prctl).

    It then runs after the caller's own work instead of beside it: slower on two cores,
    the same output.
    """

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        self._call: Callable[[], T] | None = lambda: function(*args)
        self._value: T | None = None

    def result(self) -> T:
        if self._call is not None:
            call, self._call = self._call, None
            self._value = call()
        return self._value  # type: ignore[return-value]

    def cancel(self) -> None:
        self._call = None


MODES = ("fork", "inline")


def mode() -> str:
    """``fork`` where the platform has fork and prctl (Linux), else ``inline``.

    ``KG_WORKERS=inline`` (or ``fork``) chooses; an unknown value is an InputError.
    """
    chosen = os.environ.get("KG_WORKERS", "").strip()
    if chosen:
        if chosen not in MODES:
            raise InputError(
                f"KG_WORKERS={chosen!r} is not a worker mode",
                hint=f"set it to one of {', '.join(MODES)}, or unset it",
            )
        return chosen
    forks = "fork" in multiprocessing.get_all_start_methods()
    return "fork" if forks and sys.platform.startswith("linux") else "inline"


def beside(function: Callable[..., T], *args: object, nice: int = 0) -> Worker[T]:
    """``function(*args)`` run beside the caller: forked on Linux, else inline (see :func:`mode`).

    ``nice`` lowers the child's priority by that much, so that on a busy machine the caller's
    own work goes first (work the caller waits for before it can go on should not be niced).
    """
    if mode() == "fork":
        return Forked(function, *args, nice=nice)
    return Inline(function, *args)


class BothEnds:
    """Items ``0 .. count-1`` taken one at a time by two processes, one from each end, until
    they meet: each gets a run of items in order, and whichever is faster gets more of them.

    Made before the fork (its two numbers live in memory shared with the child). Raises
    RuntimeError if the other process holds the lock for :data:`LOCK_SECONDS`, as one killed
    while taking an item would.
    """

    LOCK_SECONDS = 30.0

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("fork")
        self._lock = context.Lock()
        self._ends = context.RawArray("l", [0, count])  # the next from the front; the back's end

    def front(self) -> int | None:
        """The next item from the front, or None if none is left."""
        return self._take(0, 1)

    def back(self) -> int | None:
        """The next item from the back, or None if none is left."""
        return self._take(1, -1)

    def _take(self, end: int, step: int) -> int | None:
        """Move ``end`` (0 the front, 1 the back) one item inward; the item it passed."""
        with self._locked():
            first, stop = self._ends
            if first >= stop:
                return None
            self._ends[end] += step
            return int(first if end == 0 else stop - 1)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if not self._lock.acquire(timeout=self.LOCK_SECONDS):
            raise RuntimeError("the other process of a split table holds its parts' lock")
        try:
            yield
        finally:
            self._lock.release()
