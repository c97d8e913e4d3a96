"""The progress line: drawn for a person at a terminal, silent everywhere else."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from generator.progress import ENABLE_VARIABLE, ERASE_LINE, Progress, track, wanted

TERMINAL = {"TERM": "xterm-256color"}


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def drawn_lines(text: str) -> list[str]:
    return [part for part in text.split(ERASE_LINE) if part]


def test_quiet_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    with Progress(1000, "reading records", stream, environ=TERMINAL) as progress:
        for _ in range(1000):
            progress.advance()
    assert stream.getvalue() == ""
    assert not progress.enabled


def test_quiet_on_a_dumb_terminal_or_when_switched_off():
    for environ in ({"TERM": "dumb"}, {**TERMINAL, ENABLE_VARIABLE: "0"}):
        stream = FakeTerminal()
        with Progress(100, "reading", stream, environ=environ) as progress:
            progress.advance(100)
        assert stream.getvalue() == "", environ


def test_draws_one_updating_line_on_a_terminal_and_erases_it():
    stream, clock = FakeTerminal(), Clock()
    with Progress(3, "reading records", stream, clock=clock, environ=TERMINAL) as progress:
        for _ in range(3):
            clock.now += 1
            progress.advance()
    text = stream.getvalue()
    assert "\n" not in text
    assert drawn_lines(text) == [
        "reading records: 0/3 (0%)",
        "reading records: 1/3 (33%)",
        "reading records: 2/3 (66%)",
        "reading records: 3/3 (100%)",
    ]
    assert text.endswith(ERASE_LINE)  # the command's own summary starts on a clean line


def test_redraws_at_most_ten_times_a_second_but_always_shows_the_end():
    stream, clock = FakeTerminal(), Clock()
    with Progress(10_000, "writing pages", stream, clock=clock, environ=TERMINAL) as progress:
        for _ in range(10_000):
            clock.now += 0.0001  # 10,000 steps in one second
            progress.advance()
    lines = drawn_lines(stream.getvalue())
    assert len(lines) <= 12
    assert lines[-1] == "writing pages: 10,000/10,000 (100%)"


def test_never_counts_past_the_total():
    stream = FakeTerminal()
    with Progress(5, "x", stream, environ=TERMINAL) as progress:
        progress.advance(3)
        progress.advance(7)
        progress.advance()
    assert progress.done == 5
    assert all(line.startswith("x: ") for line in drawn_lines(stream.getvalue()))
    assert "x: 5/5 (100%)" in drawn_lines(stream.getvalue())
    assert not any("6/5" in line or "11/5" in line for line in drawn_lines(stream.getvalue()))


def test_nothing_for_a_run_too_short_to_watch():
    stream = FakeTerminal()
    with Progress(1, "x", stream, environ=TERMINAL) as progress:
        progress.advance()
    assert stream.getvalue() == ""


def test_a_terminal_that_goes_away_does_not_stop_the_run():
    class Gone(FakeTerminal):
        def write(self, text: str) -> int:
            raise OSError("terminal closed")

    with Progress(10, "x", Gone(), environ=TERMINAL) as progress:
        progress.advance(10)
    assert progress.done == 10


def test_track_yields_every_item_in_order():
    stream = FakeTerminal()
    assert list(track(iter("abc"), 3, "letters", stream)) == ["a", "b", "c"]


@pytest.mark.parametrize("stream", [io.StringIO(), FakeTerminal()])
def test_wanted_reads_the_environment(stream):
    assert wanted(stream, TERMINAL) is isinstance(stream, FakeTerminal)
    assert not wanted(stream, {"TERM": "dumb"})


def test_silent_in_a_child_whose_stderr_is_a_pipe():
    code = (
        "from generator.progress import Progress\n"
        "with Progress(50, 'reading') as p:\n"
        "    [p.advance() for _ in range(50)]\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert (done.stdout, done.stderr) == ("", "")


def test_import_and_generate_show_their_long_steps_on_a_terminal(monkeypatch, tmp_path):
    from generator.importer import import_exports
    from generator.pipeline import generate
    from generator.settings import load_settings
    from tests.conftest import ROOT

    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv(ENABLE_VARIABLE, raising=False)

    exports = sorted((ROOT / "seeds").glob("*.txt"))
    result = import_exports(exports, tmp_path / "records", tmp_path / "record.schema.json")
    assert not result.problems
    pages, problems = generate(load_settings(ROOT))
    assert pages is not None, problems

    shown = drawn_lines(terminal.getvalue())
    records = len(list((ROOT / "seeds" / "records").glob("*.yml")))
    for last in (
        f"writing record files: {records}/{records} (100%)",
        f"reading records: {records}/{records} (100%)",
        f"rendering record pages: {records}/{records} (100%)",
    ):
        assert last in shown, shown
    assert any(line.startswith("rendering author pages: ") for line in shown)
    assert terminal.getvalue().endswith(ERASE_LINE)
