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
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.api import LoadedPlaybook, audit_document, compiled_playbook
from playbook.core.errors import EXIT_GATE, Location, PlaybookError, Problem
from playbook.core.gates import GateFailure, Gates
from playbook.core.i18n import Text
from playbook.core.model import Playbook
from playbook.core.report import Options
from playbook.core.resources import builtin_ruleset_names
from playbook.core.selection import RuleSelection
from playbook.io.documents import Document, read_document
from playbook.io.inputs import Input, is_playbook
from playbook.io.progress import ProgressCallback
from playbook.io.report_list import ReportList, encode
from playbook.io.snapshots import check_snapshot  # validate_file

NO_GATES = Gates()
ALL_RULES = RuleSelection()
MAX_CHUNK = 50


def _playbook(refs: tuple[str, ...]) -> Playbook:
    # Built-in playbooks come compiled from the per-user cache: most of a one-file audit's start.
    return compiled_playbook(refs)


def playbook_for(platform: str, refs: Sequence[str]) -> Playbook:
    """The playbooks given with -p; else the platform's built-in profile, else the default."""
    return _loaded(tuple(refs)).for_platform(platform)


def _loaded(refs: tuple[str, ...], selection: RuleSelection = ALL_RULES) -> LoadedPlaybook:
    return LoadedPlaybook(refs, _playbook(refs) if refs else None, selection)


def rule_ids_in_use(refs: Sequence[str]) -> set[str]:
    """The rule ids an audit with these -p playbooks can run (without: every built-in profile's)."""
    if refs:
        return {rule.id for rule in _playbook(tuple(refs)).rules}
    names = (*builtin_ruleset_names(), "default")
    return {rule.id for name in names for rule in _playbook((f"builtin:{name}",)).rules}


@dataclass(frozen=True, eq=False)
class Audited:
    """One snapshot's report (encoded, see report_list.py) and the gates it failed."""

    report: bytes
    failures: tuple[GateFailure, ...]


@dataclass(frozen=True, eq=False)
class Skipped:
    """A file that is not a snapshot: a playbook, or a chat export found in a folder."""

    path: str | None  # named on the command line: said on stderr; None: skipped silently


@dataclass(frozen=True, eq=False)
class Failed:
    """A file that could not be audited: its located problems."""

    problems: tuple[Problem, ...]
    crashed: bool = False  # a bug of ours (exit 3), not the user's input (exit 2)


# What auditing one input gives: one of three, never an exception (see `audit_one`).
Outcome = Audited | Skipped | Failed


@dataclass(frozen=True, eq=False)
class AuditRun:
    """The reports of a run, the gates each failed, and the playbooks skipped."""

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
    selection: RuleSelection = ALL_RULES,
) -> AuditRun:
    """Audit every input and keep every report; all bad files are reported together (one
    PlaybookError), none half-done. `playbook audit` streams instead (audit_stream)."""
    outcomes = list(audit_stream(inputs, refs, options, gates, jobs, progress, selection))
    problems = problems_of(outcomes)
    if problems:
        raise PlaybookError(problems)
    audited = [outcome for outcome in outcomes if isinstance(outcome, Audited)]
    skipped = [o.path for o in outcomes if isinstance(o, Skipped) and o.path is not None]
    if not audited:
        raise nothing_to_audit(inputs)
    return AuditRun(ReportList([a.report for a in audited]), [a.failures for a in audited], skipped)


def problems_of(outcomes: Iterable[Outcome]) -> list[Problem]:
    # dict.fromkeys: a broken playbook is one problem, not one per snapshot
    return list(dict.fromkeys(p for o in outcomes if isinstance(o, Failed) for p in o.problems))


def nothing_to_audit(inputs: Sequence[Input]) -> PlaybookError:
    return PlaybookError.at(
        ", ".join(i.path for i in inputs[:3]) + (" …" if len(inputs) > 3 else ""),
        Text(
            "没有可审计的群快照（手册文件会被跳过）",
            "no group snapshot to audit (playbook files are skipped)",
        ),
    )


def audit_stream(
    inputs: Sequence[Input],
    refs: Sequence[str],
    options: Options,
    gates: Gates = NO_GATES,
    jobs: int = 1,
    progress: ProgressCallback | None = None,
    selection: RuleSelection = ALL_RULES,
) -> Generator[Outcome, None, None]:
    """Each input's outcome (see `audit_one`) in input order, as soon as it and those before it are done.

    With `jobs` > 1 the files are audited by a process pool in chunks (one task per file
    would spend more time pickling than auditing); results come back in input order, so the
    output is byte-identical to `jobs` = 1. Each report is finished where it is made (gates
    checked, encoded), so what crosses between processes is one bytes object per snapshot.
    At most a few chunks per process are in flight: a chunk done early waits in that small
    window for the ones before it, and the parent never holds more than the window, however
    large the batch (or however slowly the output is read).
    """
    # One file alone: a bug of ours ends the run as it always did (--traceback shows it); in a
    # batch it is that file's problem, and the others are audited.
    work = functools.partial(
        audit_chunk,
        refs=tuple(refs),
        options=options,
        gates=gates,
        selection=selection,
        in_batch=len(inputs) > 1,
    )
    if jobs > 1 and len(inputs) > 1:
        # Chunks of at most MAX_CHUNK files: a few hundred ms of work each, so no process idles
        # long at the end waiting for another's last, large chunk.
        size = max(1, min(MAX_CHUNK, math.ceil(len(inputs) / (jobs * 4))))
        outcomes = _in_pool(work, _chunks(inputs, size), jobs, refs)
    else:
        outcomes = (outcome for item in inputs for outcome in work([item]))
    for done, outcome in enumerate(outcomes, 1):
        if progress is not None:
            progress(done, len(inputs))
        yield outcome


def _chunks(inputs: Sequence[Input], size: int) -> Iterator[Sequence[Input]]:
    return (inputs[start : start + size] for start in range(0, len(inputs), size))


IN_FLIGHT_PER_PROCESS = 4  # chunks: enough that no process waits for work, few enough to stay small


def _in_pool(
    work: Callable[[Sequence[Input]], list[Outcome]],
    chunks: Iterator[Sequence[Input]],
    jobs: int,
    refs: Sequence[str],
) -> Iterator[Outcome]:
    from collections import deque
    from multiprocessing import Pool  # only for --jobs

    _warm_up(refs)
    # Objects alive now (modules, playbooks) are frozen out of the workers' garbage
    # collections: each would otherwise walk all of them again (GC time per group 0.14 → 0.08 ms).
    gc.freeze()
    try:
        # Leaving the block terminates the workers, also on Ctrl-C: a graceful shutdown (as
        # concurrent.futures does) deadlocked now and then when interrupted mid-batch, the
        # workers waiting on their queue and the parent waiting for them. Ctrl-C is the
        # parent's to handle: the workers ignore it.
        with Pool(jobs, initializer=_start_worker) as pool:
            pending: deque[Any] = deque()
            for chunk in chunks:
                pending.append(pool.apply_async(work, (chunk,)))
                if len(pending) >= jobs * IN_FLIGHT_PER_PROCESS:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
    finally:
        gc.unfreeze()


def _start_worker() -> None:
    """Ctrl-C is the parent's to handle (it ends the pool); and the worker keeps its heap."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _keep_heap()


# glibc gives the free top of its heap back to the system and takes it again on the next
# chunk: a worker of small groups made ~600 such calls in 2,000 groups and faulted its memory
# back in each time (4x the page faults, twice the kernel time of the code before it). Kept
# up to these sizes, the heap is reused; large buffers come from it too instead of mmap.
KEEP_HEAP_BYTES = 64 * 1024 * 1024
MMAP_FROM_BYTES = 32 * 1024 * 1024  # glibc's largest allowed threshold on 64-bit systems
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)


def _keep_heap() -> None:
    """Tune glibc's malloc in a worker; elsewhere (macOS, musl, Windows) there is nothing to do."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_TRIM_THRESHOLD, KEEP_HEAP_BYTES)
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_FROM_BYTES)
    except (OSError, AttributeError):
        pass


def audit_chunk(
    items: Sequence[Input],
    refs: tuple[str, ...],
    options: Options,
    gates: Gates = NO_GATES,
    selection: RuleSelection = ALL_RULES,
    in_batch: bool = False,
) -> list[Outcome]:
    return [audit_one(item, refs, options, gates, selection, in_batch) for item in items]


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


def audit_one(
    item: Input,
    refs: tuple[str, ...],
    options: Options,
    gates: Gates = NO_GATES,
    selection: RuleSelection = ALL_RULES,
    in_batch: bool = False,
) -> Outcome:
    """The file's report, its skipping or its problems; never raises a user error, nor in a
    batch a bug of ours (one file's must not end the batch)."""
    return audit_item(item, _loaded(refs, selection), options, gates, in_batch=in_batch)


def audit_item(
    item: Input,
    loaded: LoadedPlaybook,
    options: Options,
    gates: Gates = NO_GATES,
    read: Callable[[str], Document] = read_document,
    in_batch: bool = True,
) -> Outcome:
    """`audit_one` with the playbooks loaded already, the file read by `read` (a Dask worker
    reads fsspec URLs too)."""
    try:
        return _audit(item, loaded, options, gates, read)
    except PlaybookError as exc:
        return Failed(tuple(exc.problems))
    except Exception as exc:  # a bug of ours, shown as one (exit 3), located at the file
        if not in_batch:
            raise
        name = type(exc).__name__
        what = Text(
            f"内部错误: {name}（加 --traceback 单独审计这个文件查看详情）",
            f"internal error: {name} (audit this file alone with --traceback for details)",
        )
        return Failed((Problem(Location(item.path), what),), crashed=True)


@collector_paused()
def _audit(
    item: Input, loaded: LoadedPlaybook, options: Options, gates: Gates, read: Callable[[str], Document]
) -> Outcome:
    document = read(item.path)
    if is_playbook(document.data):
        return Skipped(item.path if item.explicit else None)
    if not item.explicit and _chat_export(document.data):
        return Skipped(None)  # an export kept beside the snapshots it was imported into
    report, failures = audit_document(document, loaded, options, gates)
    return Audited(encode(report.data), tuple(failures))


def _chat_export(data: Any) -> bool:
    """A chat export found in a folder (named on the command line it is answered with the
    import command to run instead)."""
    if isinstance(data, dict) and "snapshot" in data:
        return False
    from playbook.io.recognize import recognize_export

    return recognize_export(data) is not None


@collector_paused()
def validate_file(path: str) -> str:
    """Validate a playbook or a snapshot, told apart by content; returns which it was."""
    document = read_document(path)
    if isinstance(document.data, dict) and "playbook" in document.data:
        from playbook.authoring.lint import lint_playbook

        problems = lint_playbook(str(Path(path)))
        if problems:
            raise PlaybookError(problems, exit_code=EXIT_GATE)
        return "playbook"
    check_snapshot(document)
    return "snapshot"
