"""`playbook audit --dask`: the same reports as --jobs 1 from a two-process LocalCluster, gates
and exit codes as a local run, bad files reported like any other, a killed worker's work redone."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from tests.ci_helpers import ALPHA, BETA, GAMMA, ROOT, run_audit

pytestmark = pytest.mark.slow  # installs, builds or starts a cluster: the full run, not the inner loop

distributed = pytest.importorskip("distributed")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def cluster():
    # No dashboard is served (bokeh is absent), yet the scheduler's HTTP endpoint would take port
    # 8787 and warn when another cluster holds it: a free port on 127.0.0.1 instead.
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address="127.0.0.1:0", host="127.0.0.1"
    ) as local:
        yield local


@pytest.fixture(scope="module")
def groups(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("groups")
    sources = [(ROOT / p).read_text(encoding="utf-8") for p in (ALPHA, BETA, GAMMA)]
    for n in range(90):  # several partitions a worker, so they finish out of order
        text = (
            sources[n % 3]
            .replace('"1001"', f'"g{n}"')
            .replace('"2002"', f'"g{n}"')
            .replace('"3003"', f'"g{n}"')
        )
        (folder / f"group{n:03}{('.yaml', '.json', '.yml')[n % 3]}").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["jsonl", "json", "table", "sarif", "junit", "markdown"])
def test_a_two_worker_cluster_gives_the_bytes_of_jobs_1(cluster, groups, fmt):
    local = run_audit(str(groups), "-f", fmt, "--jobs", "1", "--fail-under", "50")
    spread = run_audit(str(groups), "-f", fmt, "--dask", cluster.scheduler_address, "--fail-under", "50")
    assert local.exit_code == spread.exit_code == 1  # alpha's copies score below 50: the gate holds
    assert spread.stdout_bytes == local.stdout_bytes
    assert spread.stderr == local.stderr


def test_a_bad_file_is_reported_like_any_other(cluster, tmp_path):
    groups = tmp_path / "groups"
    groups.mkdir()
    (groups / "a.yaml").write_text((ROOT / ALPHA).read_text(encoding="utf-8"), encoding="utf-8")
    (groups / "b.json").write_text('{"platform": "qq"', encoding="utf-8")
    (groups / "c.json").write_text('{"platform": "qq"}', encoding="utf-8")
    local_out, spread_out = tmp_path / "local.json", tmp_path / "spread.json"
    local = run_audit(str(groups), "-f", f"json:{local_out}", "--jobs", "1")
    spread = run_audit(str(groups), "-f", f"json:{spread_out}", "--dask", cluster.scheduler_address)
    assert local.exit_code == spread.exit_code == 2
    assert spread.stderr == local.stderr and "b.json:1:" in spread.stderr and "c.json:1:1:" in spread.stderr
    assert local_out.read_bytes() == spread_out.read_bytes()  # the good file's report, written by both


def test_fsspec_urls_are_read_on_the_workers(cluster):
    url = (ROOT / "tests" / "fixtures" / "ci" / "groups").as_uri()
    result = run_audit(url, "-f", "jsonl", "--dask", cluster.scheduler_address)
    assert result.exit_code == 0, result.stderr
    paths = [line.split('"path":"', 1)[1].split('"', 1)[0] for line in result.stdout.splitlines()]
    assert paths and all(p.startswith("file://") and p.startswith(url) for p in paths)
    assert len(paths) == 3


def test_a_killed_worker_s_partitions_are_run_again(cluster, groups):
    from datetime import date

    from playbook.core.gates import Gates
    from playbook.core.report import Options
    from playbook.io.inputs import expand_inputs
    from playbook.runner.audit import audit_stream
    from playbook.runner.distributed import dask_stream
    from tests.ci_helpers import PLAYBOOK, TODAY

    inputs = expand_inputs([str(groups)])
    options = Options(today=date.fromisoformat(TODAY))
    expected = [outcome.report for outcome in audit_stream(inputs, [PLAYBOOK], options)]
    stream = dask_stream(
        inputs,
        [PLAYBOOK],
        options,
        Gates(),
        cluster.scheduler_address,
    )
    got = [next(stream).report]
    with distributed.Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)
        os.kill(sorted(pids.values())[0], signal.SIGKILL)  # the nanny starts a new one
    got += [outcome.report for outcome in stream]
    assert got == expected


def test_local_n_starts_a_cluster_of_its_own(groups):
    local = run_audit(str(groups), "-f", "jsonl", "--jobs", "1")
    spread = run_audit(str(groups), "-f", "jsonl", "--dask", "local:2")
    assert local.exit_code == spread.exit_code == 0, spread.stderr
    assert spread.stdout_bytes == local.stdout_bytes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dask", "local:zero"], "local: takes a number of processes, e.g. local:4, not 'zero'"),
        (["--dask", "local:2", "--jobs", "2"], "--dask and --jobs: choose one"),
    ],
)
def test_a_wrong_dask_option_is_exit_2(args, message):
    result = run_audit(ALPHA, *args)
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "needs Dask, an optional extra"), ("zh", "需要安装 Dask")]
)
def test_without_dask_the_option_names_the_extra(monkeypatch, lang, words):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    result = run_audit(ALPHA, "--dask", "local:2", lang=lang)
    assert result.exit_code == 2
    from importlib.metadata import packages_distributions

    installed_as = packages_distributions()["playbook"][0]  # the distribution's name, whatever it is
    assert words in result.stderr and f"pip install '{installed_as}[dask]'" in result.stderr
    assert "Traceback" not in result.stderr
