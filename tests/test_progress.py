"""Progress lines: drawn on a terminal only, a few times a second, the last one ended."""

from __future__ import annotations

import io

import pytest

from playbook.core.report import Options
from playbook.io import progress as progress_module
from playbook.io.inputs import expand_inputs
from playbook.io.progress import terminal_progress
from playbook.runner.audit import audit_inputs
from tests.ci_helpers import CI, ROOT
from tests.conftest import TODAY


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_drawn_when_stderr_is_not_a_terminal():
    assert terminal_progress(lambda done, total: "x", io.StringIO()) is None


def test_redraws_are_spaced_and_the_last_line_is_ended(monkeypatch):
    clock = iter([0.0, 0.05, 0.1, 0.3, 0.31, 0.32])
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: next(clock))
    screen = Terminal()
    show = terminal_progress(lambda done, total: f"{done}/{total}", screen)
    assert show is not None
    for done in (1, 2, 3, 4, 5, 5):
        show(done, 5)
    # 1 drawn, 2 and 3 within 0.2 s of it skipped, 4 drawn, 5 is the end: drawn once, with a newline
    assert screen.getvalue() == "\r1/5\r4/5\r5/5\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_reports_each_file_done(monkeypatch, jobs):
    monkeypatch.chdir(ROOT)
    inputs = expand_inputs([str(CI / "groups")])
    seen: list[tuple[int, int]] = []
    audit_inputs(
        inputs, [], Options(TODAY), jobs=jobs, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(n, len(inputs)) for n in range(1, len(inputs) + 1)]


def test_a_line_left_open_is_ended_by_close_once():
    screen = Terminal()
    show = terminal_progress(lambda done, total: f"{done}/{total}", screen)
    assert show is not None
    show(1, 5)  # then Ctrl-C: the caller closes the line before saying "interrupted"
    show.close()
    show.close()
    assert screen.getvalue() == "\r1/5\n"
    finished = terminal_progress(lambda done, total: f"{done}/{total}", screen := Terminal())
    assert finished is not None
    finished(5, 5)
    finished.close()
    assert screen.getvalue() == "\r5/5\n"
