"""A one-line progress display for long runs (importing or generating thousands of records).

It draws only for a person watching a terminal: when the stream is a TTY, ``TERM`` is
not ``dumb`` and ``READING_LIST_PROGRESS`` is not ``0``. Anywhere else (CI logs, pipes,
tests, ``mkdocs serve``) it writes nothing at all, so command output stays the same
with or without it. The line is redrawn at most ten times a second and erased when the
run ends, so the command's own summary is the only thing left on screen.

    with Progress(len(paths), "reading records") as progress:
        for path in paths:
            ...
            progress.advance()
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import TextIO, TypeVar

ENABLE_VARIABLE = "READING_LIST_PROGRESS"
REDRAW_SECONDS = 0.1
# Below this many steps a run is over before anyone could read the line.
MIN_TOTAL = 2
ERASE_LINE = "\r\x1b[2K"

T = TypeVar("T")


def wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a progress line would be seen by a person, not logged or parsed."""
    environ = os.environ if environ is None else environ
    if environ.get(ENABLE_VARIABLE, "").strip() == "0":
        return False
    if environ.get("TERM", "") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False


class Progress:
    """Counts steps of a run of ``total`` and shows ``label: done/total (percent)``.

    Silent unless ``wanted(stream)``; ``advance`` never counts past ``total``.
    """

    def __init__(
        self,
        total: int,
        label: str,
        stream: TextIO | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.total = max(0, int(total))
        self.label = label
        self.done = 0
        self._stream = sys.stderr if stream is None else stream
        self._clock = clock
        self._last_draw: float | None = None
        self._drawn = False
        self.enabled = self.total >= MIN_TOTAL and wanted(self._stream, environ)

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more steps done (never beyond ``total``) and redraw if it is time."""
        self.done = min(self.total, self.done + max(0, n))
        self._draw(force=self.done == self.total)

    def close(self) -> None:
        """Erase the line, leaving the terminal as it was."""
        if self.enabled and self._drawn:
            self._write(ERASE_LINE)
        self._drawn = False
        self.enabled = False

    def line(self) -> str:
        percent = 100 * self.done // self.total if self.total else 100
        return f"{self.label}: {self.done:,}/{self.total:,} ({percent}%)"

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = self._clock()
        if not force and self._last_draw is not None and now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        self._write(f"{ERASE_LINE}{self.line()}")
        self._drawn = True

    def _write(self, text: str) -> None:
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):  # the terminal went away: stop drawing, never fail
            self.enabled = False


def track(items: Iterable[T], total: int, label: str, stream: TextIO | None = None) -> Iterator[T]:
    """Yield ``items``, showing progress: ``for path in track(paths, len(paths), "reading")``."""
    with Progress(total, label, stream) as progress:
        for item in items:
            yield item
            progress.advance()
