"""`playbook audit --dask`: a batch audited on a Dask cluster, its reports streamed back in order.

The parent lists the files, loads the playbooks once and sends them to every worker with the
compiled rules (so workers need neither the playbook files nor a cache), then hands out
partitions of a few dozen files. Each worker reads its files (local paths the worker can see,
or fsspec URLs: s3://, gs://, http://, …) and audits them through playbook.api exactly as a
local run does; what comes back is each file's outcome (an encoded report and the gates it
failed, a skipped playbook, or the file's problems), in input order, with a few partitions per
worker in flight. A task whose worker dies is run again by the scheduler; one that raises is
retried twice.

Dask is an optional extra: pip install 'playbook-audit[dask]'.
"""

from __future__ import annotations

import contextlib
import math
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import Any

from playbook.api import LoadedPlaybook, compiled_playbook
from playbook.core.errors import PlaybookError
from playbook.core.gates import Gates
from playbook.core.i18n import Text
from playbook.core.report import Options
from playbook.core.selection import RuleSelection
from playbook.io.documents import Document, decode_text, parse_text
from playbook.io.inputs import Input, expand_inputs
from playbook.io.progress import ProgressCallback
from playbook.runner.audit import MAX_CHUNK, NO_GATES, Outcome, audit_item

IN_FLIGHT_PER_WORKER = 4  # partitions: every worker busy, the parent's window small
RETRIES = 2
SNAPSHOT_SUFFIXES = (".json", ".yaml", ".yml")


def needs_dask() -> PlaybookError:
    extra = f"pip install '{_distribution()}[dask]'"
    return PlaybookError.at(
        "--dask",
        Text("需要安装 Dask（可选组件）", "needs Dask, an optional extra"),
        Text(f"安装: {extra}", f"install it: {extra}"),
    )


def _distribution() -> str:
    """The name this package is installed under (what pip installs extras of)."""
    from importlib.metadata import packages_distributions

    return (packages_distributions().get("playbook") or ["playbook"])[0]


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise needs_dask() from None
    return distributed


def is_url(argument: str) -> bool:
    return "://" in argument


def expand_arguments(arguments: Sequence[str]) -> Sequence[Input]:
    """Local files, folders and globs as `playbook audit` expands them; fsspec URLs (a file, a
    folder or a glob) expanded on the filesystem they name."""
    paths = [a for a in arguments if not is_url(a)]
    local = expand_inputs(paths) if paths else []
    remote = [item for argument in arguments if is_url(argument) for item in _expand_url(argument)]
    return [*local, *remote] if remote else local


def _expand_url(url: str) -> list[Input]:
    fsspec = _fsspec()
    try:
        fs, path = fsspec.core.url_to_fs(url)
        protocol = url.split("://", 1)[0]
        if any(c in path for c in "*?["):
            found = sorted(fs.glob(path))
        elif fs.isdir(path):
            found = sorted(p for p in fs.find(path) if p.lower().endswith(SNAPSHOT_SUFFIXES))
        else:
            return [Input(url, explicit=True)]
    except (OSError, ValueError, ImportError) as exc:
        raise PlaybookError.at(url, Text("无法列出: {e}", "cannot list: {e}").format(e=str(exc))) from None
    if not found:
        raise PlaybookError.at(url, Text("没有找到快照文件", "no snapshot file found"))
    return [Input(p if is_url(p) else f"{protocol}://{p}") for p in found]


def _fsspec() -> Any:
    try:
        import fsspec
    except ImportError:
        raise needs_dask() from None
    return fsspec


def read_url(url: str) -> Document:
    """Read a snapshot named by an fsspec URL, with the same limits and errors as a local file."""
    from playbook.io.documents import _format_of, too_large
    from playbook.io.limits import limit

    most = int(limit("max_file_mb") * 1024 * 1024)
    try:
        with _fsspec().open(url, "rb") as handle:
            raw = handle.read(most + 1)
    except FileNotFoundError:
        raise PlaybookError.at(url, Text("文件不存在", "no such file")) from None
    except (OSError, ValueError) as exc:
        raise PlaybookError.at(url, Text("无法读取: {e}", "cannot read: {e}").format(e=str(exc))) from None
    if len(raw) > most:
        raise too_large(url, len(raw), most, at_least=True)
    text = decode_text(raw, url)
    return parse_text(text, url, _format_of(Path(url.split("?", 1)[0]), text))


def _read(path: str) -> Document:
    if is_url(path):
        return read_url(path)
    from playbook.io.documents import read_document

    return read_document(path)


def audit_partition(
    items: Sequence[Input], loaded: LoadedPlaybook, options: Options, gates: Gates = NO_GATES
) -> list[Outcome]:
    """What a worker runs: each file's outcome, as `audit_one` gives it in a local run."""
    return [audit_item(item, loaded, options, gates, read=_read) for item in items]


def dask_stream(
    inputs: Sequence[Input],
    refs: Sequence[str],
    options: Options,
    gates: Gates,
    scheduler: str,
    progress: ProgressCallback | None = None,
    selection: RuleSelection | None = None,
) -> Generator[Outcome, None, None]:
    """Each input's outcome in input order, audited on the cluster `scheduler` names."""
    distributed = _distributed()
    compiled = compiled_playbook(tuple(refs)) if refs else None
    loaded = LoadedPlaybook(tuple(refs), compiled, selection or RuleSelection())
    with _client(distributed, scheduler) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        size = max(1, min(MAX_CHUNK, math.ceil(len(inputs) / (workers * IN_FLIGHT_PER_WORKER))))
        [shared] = client.scatter([loaded], broadcast=True, hash=False)
        pending: deque[Any] = deque()
        done = 0
        for chunk in _chunks(inputs, size):
            future = client.submit(
                audit_partition, list(chunk), shared, options, gates, retries=RETRIES, pure=False
            )
            pending.append(future)
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                for outcome in _result(pending.popleft(), scheduler):
                    done += 1
                    if progress is not None:
                        progress(done, len(inputs))
                    yield outcome
        while pending:
            for outcome in _result(pending.popleft(), scheduler):
                done += 1
                if progress is not None:
                    progress(done, len(inputs))
                yield outcome


def _chunks(inputs: Sequence[Input], size: int) -> Iterator[Sequence[Input]]:
    return (inputs[start : start + size] for start in range(0, len(inputs), size))


def _result(future: Any, scheduler: str) -> list[Outcome]:
    try:
        outcomes: list[Outcome] = future.result()
    except PlaybookError:
        raise
    except Exception as exc:  # the cluster gave up on a task (its workers kept dying, …)
        raise PlaybookError.at(
            f"--dask {scheduler}",
            Text("Dask 集群未能完成任务: {e}", "the Dask cluster could not finish a task: {e}").format(
                e=f"{type(exc).__name__}: {exc}"
            ),
        ) from None
    return outcomes


@contextlib.contextmanager
def _client(distributed: Any, scheduler: str) -> Iterator[Any]:
    """A client of the cluster at `scheduler`, or of a LocalCluster started for `local:N`."""
    with contextlib.ExitStack() as stack:
        if scheduler.startswith("local:"):
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=_local_workers(scheduler),
                    threads_per_worker=1,
                    processes=True,
                    # no dashboard (bokeh is not a dependency); the HTTP endpoint the scheduler
                    # opens anyway takes a free port, not 8787 (two runs at once would clash)
                    dashboard_address="127.0.0.1:0",
                    host="127.0.0.1",
                )
            )
            address = cluster.scheduler_address
        else:
            address = scheduler
        try:
            client = stack.enter_context(distributed.Client(address, timeout="15s"))
        except (OSError, TimeoutError, ValueError) as exc:
            raise PlaybookError.at(
                f"--dask {scheduler}",
                Text("无法连接 Dask 调度器: {e}", "cannot reach the Dask scheduler: {e}").format(e=str(exc)),
                Text(
                    "写调度器地址（如 tcp://scheduler:8786），或 local:N 在本机启动 N 个进程",
                    "give the scheduler's address (e.g. tcp://scheduler:8786), or local:N for N processes here",
                ),
            ) from None
        yield client


def _local_workers(scheduler: str) -> int:
    count = scheduler.removeprefix("local:")
    if not count.isdigit() or int(count) < 1:
        raise PlaybookError.at(
            f"--dask {scheduler}",
            Text(
                f"local: 后应是进程数，例如 local:4，而不是 '{count}'",
                f"local: takes a number of processes, e.g. local:4, not '{count}'",
            ),
        )
    return int(count)
