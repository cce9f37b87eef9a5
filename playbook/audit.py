"""Run audits over files: pick the playbook, load each snapshot, build reports (in parallel on request).

This is the layer between the CLI and the pure engine: it reads files and caches loaded
playbooks so that a thousand snapshots load each playbook once.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import signal
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.errors import EXIT_GATE, PlaybookError
from playbook.gates import GateFailure, Gates, check_gates
from playbook.i18n import Text
from playbook.inputs import Input, is_playbook
from playbook.loader import read_document
from playbook.model import Playbook
from playbook.playbook_cache import load_cached
from playbook.playbooks import load_playbook
from playbook.progress import ProgressCallback
from playbook.report import Options, build_report
from playbook.report_list import ReportList, encode
from playbook.resources import builtin_ruleset_names
from playbook.snapshots import check_snapshot

NO_GATES = Gates()
MAX_CHUNK = 50


@functools.cache
def _playbook(refs: tuple[str, ...]) -> Playbook:
    # Built-in playbooks come compiled from the per-user cache: most of a one-file audit's start.
    return load_cached(refs, load_playbook)


def playbook_for(platform: str, refs: Sequence[str]) -> Playbook:
    """The playbooks given with -p; else the platform's built-in profile, else the default."""
    if refs:
        return _playbook(tuple(refs))
    name = platform if platform in builtin_ruleset_names() else "default"
    return _playbook((f"builtin:{name}",))


@dataclass(frozen=True)
class Audited:
    """One snapshot's report (encoded, see report_list.py) and the gates it failed."""

    report: bytes
    failures: tuple[GateFailure, ...]


@dataclass(frozen=True)
class AuditRun:
    reports: ReportList
    failures: list[tuple[GateFailure, ...]]  # per report, in the same order
    skipped: list[str]  # files named on the command line that are playbooks


def audit_inputs(
    inputs: Sequence[Input],
    refs: Sequence[str],
    options: Options,
    gates: Gates = NO_GATES,
    jobs: int = 1,
    progress: ProgressCallback | None = None,
) -> AuditRun:
    """Audit every input; all bad files are reported together (one PlaybookError), none half-done.

    With `jobs` > 1 the files are audited by a process pool in chunks (one task per file
    would spend more time pickling than auditing); results come back in input order, so the
    output is byte-identical to `jobs` = 1. Each report is finished where it is made (gates
    checked, encoded), so what crosses between processes is one bytes object per snapshot.
    """
    work = functools.partial(audit_one, refs=tuple(refs), options=options, gates=gates)
    if jobs > 1 and len(inputs) > 1:
        from multiprocessing import Pool  # only for --jobs

        _warm_up(refs)
        # Chunks of at most MAX_CHUNK files: a few hundred ms of work each, so no process idles
        # long at the end waiting for another's last, large chunk.
        chunk = max(1, min(MAX_CHUNK, math.ceil(len(inputs) / (jobs * 4))))
        # Objects alive now (modules, playbooks) are frozen out of the workers' garbage
        # collections: each would otherwise walk all of them again (GC time per group 0.14 → 0.08 ms).
        gc.freeze()
        try:
            # Leaving the block terminates the workers, also on Ctrl-C: a graceful shutdown (as
            # concurrent.futures does) deadlocked now and then when interrupted mid-batch, the
            # workers waiting on their queue and the parent waiting for them. Ctrl-C is the
            # parent's to handle: the workers ignore it.
            with Pool(jobs, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
                outcomes = _counted(pool.imap(work, inputs, chunksize=chunk), len(inputs), progress)
        finally:
            gc.unfreeze()
    else:
        outcomes = _counted(map(work, inputs), len(inputs), progress)
    # dict.fromkeys: a broken playbook is one problem, not one per snapshot
    problems = list(dict.fromkeys(p for kind, value in outcomes if kind == "error" for p in value))
    if problems:
        raise PlaybookError(problems)
    audited: list[Audited] = [value for kind, value in outcomes if kind == "report"]
    skipped = [value for kind, value in outcomes if kind == "skip" and value is not None]
    if not audited:
        raise PlaybookError.at(
            ", ".join(i.path for i in inputs[:3]) + (" …" if len(inputs) > 3 else ""),
            Text(
                "没有可审计的群快照（手册文件会被跳过）",
                "no group snapshot to audit (playbook files are skipped)",
            ),
        )
    return AuditRun(ReportList([a.report for a in audited]), [a.failures for a in audited], skipped)


def _counted(outcomes: Iterable[Any], total: int, progress: ProgressCallback | None) -> list[Any]:
    """The outcomes as a list, telling `progress` how many are done as they arrive."""
    if progress is None:
        return list(outcomes)
    done = []
    for outcome in outcomes:
        done.append(outcome)
        progress(len(done), total)
    return done


def _warm_up(refs: Sequence[str]) -> None:
    """Load the -p playbooks before the pool forks, so no worker loads them again."""
    if refs:
        with contextlib.suppress(PlaybookError):  # reported per file below, as in one process
            _playbook(tuple(refs))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while one snapshot is read and audited.

    Parsed JSON holds no reference cycles and the engine makes few, yet the collector would walk
    the whole growing document again and again while it is parsed and measured: a third of a
    1,000,000-message audit. What is freed by reference counting is freed as usual; the rare
    cycle is collected once the collector runs again, after this snapshot.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def audit_one(item: Input, refs: tuple[str, ...], options: Options, gates: Gates = NO_GATES) -> tuple[str, Any]:
    """("report", Audited) | ("skip", explicit path or None) | ("error", [Problem]); never raises a user error."""
    try:
        return _audit(item, refs, options, gates)
    except PlaybookError as exc:
        return "error", exc.problems


@collector_paused()
def _audit(item: Input, refs: tuple[str, ...], options: Options, gates: Gates) -> tuple[str, Any]:
    document = read_document(item.path)
    if is_playbook(document.data):
        return "skip", item.path if item.explicit else None
    if not item.explicit and _chat_export(document.data):
        return "skip", None  # an export kept beside the snapshots it was imported into
    check_snapshot(document)
    playbook = playbook_for(str(document.data.get("platform")), refs)
    report = build_report(playbook, document, options)
    source = playbook.files[-1] if playbook.files else playbook.id  # named in errors about `assert:`
    failures = check_gates(report, gates, playbook.assertions, source)
    return "report", Audited(encode(report), tuple(failures))


def _chat_export(data: Any) -> bool:
    """A chat export found in a folder (named on the command line it is answered with the
    import command to run instead)."""
    if isinstance(data, dict) and "snapshot" in data:
        return False
    from playbook.importers.recognize import recognize_export

    return recognize_export(data) is not None


@collector_paused()
def validate_file(path: str) -> str:
    """Validate a playbook or a snapshot, told apart by content; returns which it was."""
    document = read_document(path)
    if isinstance(document.data, dict) and "playbook" in document.data:
        from playbook.lint import lint_playbook

        problems = lint_playbook(str(Path(path)))
        if problems:
            raise PlaybookError(problems, exit_code=EXIT_GATE)
        return "playbook"
    check_snapshot(document)
    return "snapshot"
