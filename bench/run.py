"""Benchmark `playbook audit` against the targets of docs/performance.md.

    python bench/run.py            # full run, under five minutes on a 2-core machine
    python bench/run.py --scale    # the full run and the parent's memory at 100,000 groups (+ ~5 min)
    python bench/run.py --quick    # smoke version for CI (seconds; numbers are not checked)

Data is generated under bench/data/ (git-ignored) and reused. Every target's figure is a whole
process: the installed `playbook` command next to this interpreter (else `python -m playbook`
from this checkout), timed from a small wrapper process that also reports the child's peak
memory, so each run's peak belongs to that run alone. The floor is `json.loads` of the same
file, in a child too. The growth series time the audit inside one process, start-up excluded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # bench/data.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "bench" / "data"

# Runs one command and prints "seconds peak_kb"; a fresh wrapper per run keeps RUSAGE_CHILDREN
# (the largest finished child) about this run only.
WRAPPER = """
import resource, subprocess, sys, time
began = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
took = time.perf_counter() - began
if code not in (0, 1):
    sys.exit(f"exit {code}")
print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

# The floor: read the file and json.loads it; prints the loads time and this process's peak.
FLOOR = """
import json, resource, sys, time
began = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as handle:
    data = json.loads(handle.read())
took = time.perf_counter() - began
print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@dataclass
class Sample:
    seconds: list[float]
    peak_kb: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.peak_kb) / 1024


def playbook_command() -> list[str]:
    installed = Path(sys.executable).parent / "playbook"
    if installed.exists():
        return [str(installed)]
    return [sys.executable, "-m", "playbook"]


def _environment() -> dict[str, str]:
    env = dict(os.environ, PLAYBOOK_LANG="en")
    if not (Path(sys.executable).parent / "playbook").exists():  # run the checkout
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def measure(argv: list[str], runs: int, patience: float = 60.0, warm_up: bool = False) -> Sample:
    """`runs` runs, after an unrecorded one with `warm_up` (fills the compiled-playbook cache);
    fewer when one takes longer than `patience` seconds (the benchmark must end in five minutes)."""
    sample = Sample([], [])
    if warm_up:
        _run_once(argv)
    for _ in range(runs):
        if sample.seconds and max(sample.seconds) > patience:
            break
        seconds, peak = _run_once(argv)
        sample.seconds.append(seconds)
        sample.peak_kb.append(peak)
    return sample


def _run_once(argv: list[str]) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True, env=_environment()
    )
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv[:6])}…\n{done.stderr[-2000:]}")
    seconds, peak = done.stdout.split()
    return float(seconds), int(peak)


# The series: one child runs `playbook audit FILE -f json` in-process, once to warm up (imports,
# caches), then `runs` times, stopping early (after three) once it has spent `budget` seconds;
# prints the timings and the child's peak. Without the ~0.2 s start-up, a 100-member audit's
# few milliseconds show.
IN_PROCESS = """
import contextlib, os, resource, sys, time
from playbook.cli import main
runs, budget, argv = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
def once():
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        began = time.perf_counter()
        try:
            main(argv, standalone_mode=False)
        except SystemExit as done:
            if done.code not in (None, 0, 1):
                sys.exit(f"exit {done.code}")
        return time.perf_counter() - began
once()
took = [once()]
while len(took) < runs and (len(took) < 3 or sum(took) < budget):
    took.append(once())
print(*took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure_in_process(path: Path, runs: int, budget: float = 5.0) -> Sample:
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(runs), str(budget), "audit", str(path), "-f", "json"],
        capture_output=True,
        text=True,
        env=_environment(),
    )
    if done.returncode != 0:
        raise SystemExit(f"failed: audit {path} in one process\n{done.stderr[-2000:]}")
    *seconds, peak = done.stdout.split()
    return Sample([float(s) for s in seconds], [int(peak)])


def measure_floor(path: Path, runs: int) -> Sample:
    sample = Sample([], [])
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", FLOOR, str(path)], capture_output=True, text=True, check=True
        )
        seconds, peak = done.stdout.split()
        sample.seconds.append(float(seconds))
        sample.peak_kb.append(int(peak))
    return sample


def audit(paths: list[Path], *extra: str) -> list[str]:
    return [*playbook_command(), "audit", *map(str, paths), "-f", "json", *extra]


def supports(option: str) -> bool:
    done = subprocess.run(
        [*playbook_command(), "audit", "--help"], capture_output=True, text=True, env=_environment()
    )
    return option in done.stdout


class Table:
    """Rows of results, printed as one aligned plain-text table at the end."""

    HEADER = ("case", "median s", "min s", "max s", "runs", "peak MB", "note")

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, case: str, sample: Sample, note: str = "") -> None:
        s = sample.seconds
        self.rows.append(
            (
                case,
                f"{sample.median:.3f}",
                f"{min(s):.3f}",
                f"{max(s):.3f}",
                str(len(s)),
                f"{sample.peak_mb:.0f}",
                note,
            )
        )
        print(f"  {case}: {sample.median:.3f} s, {sample.peak_mb:.0f} MB {note}", flush=True)

    def render(self) -> str:
        widths = [max(len(row[i]) for row in [self.HEADER, *self.rows]) for i in range(len(self.HEADER))]
        lines = [
            " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            for row in [self.HEADER, *self.rows]
        ]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        return "\n".join(line.rstrip() for line in lines)


@dataclass
class Plan:
    runs: int
    batch: int
    per_core: int  # groups timed with --jobs 1, --jobs 2 and --dask local:2
    big: int
    message_series: tuple[int, ...]
    member_series: tuple[int, ...]
    series_runs: int


FULL = Plan(
    runs=5,
    batch=10_000,
    per_core=2_000,
    big=1_000_000,
    message_series=(1_000, 10_000, 100_000),
    member_series=(100, 1_000, 10_000, 100_000),
    series_runs=9,
)
QUICK = Plan(
    runs=2,
    batch=50,
    per_core=60,
    big=20_000,
    message_series=(1_000, 5_000),
    member_series=(100, 1_000),
    series_runs=2,
)


# What any Python command costs on this machine before it does its work: the interpreter alone,
# and the interpreter importing the libraries a tool like this needs (the reference: 0.02 s
# and ~0.2 s). The machine's speed drifts during a day; these rows show where it stood.
STARTUP_FLOORS = (
    ("floor: python -c pass", "pass"),
    ("floor: python importing click, yaml, jsonschema, tabulate", "import click, yaml, jsonschema, tabulate"),
)


def run_small(table: Table, plan: Plan, folder: Path) -> None:
    for case, code in STARTUP_FLOORS:
        try:
            table.add(case, measure([sys.executable, "-c", code], plan.runs * 2), "for comparison")
        except SystemExit:  # jsonschema is a test dependency: absent from a plain install
            print(f"  {case}: skipped (not installed)", flush=True)
    small = folder / "small.json"
    data.write_json(small, data.snapshot(seed=1, platform="other"))
    table.add(
        "one small snapshot (300 members)",
        measure(audit([small]), plan.runs * 2, warm_up=True),
        "target ≤ 0.25 s",
    )


def run_batch(table: Table, plan: Plan, folder: Path) -> None:
    groups = folder / f"groups-{plan.batch}"
    data.write_small_folder(groups, plan.batch)
    # One unrecorded run over a group of each platform fills the compiled-playbook cache for
    # every platform profile, as any earlier run would have: the batch is timed warm.
    _run_once(audit(list(_one_per_platform(groups).values())))
    jobs = ["--jobs", "2"] if supports("--jobs") else []
    sample = measure(audit([groups], *jobs), max(2, plan.runs - 2))
    note = _rate(plan.batch, sample) + ("" if jobs else ", no --jobs yet")
    note += ", target ≤ 10 s" if plan.batch == 10_000 else ""
    table.add(f"{plan.batch:,} small snapshots {' '.join(jobs)}".rstrip(), sample, note)
    # The same groups with 10 members each: what a group costs whatever its size (rules, report).
    tiny = folder / f"groups-{plan.batch}-{TINY_MEMBERS}-members"
    data.write_small_folder(tiny, plan.batch, member_count=TINY_MEMBERS)
    sample = measure(audit([tiny], *jobs), max(2, plan.runs - 2))
    case = f"{plan.batch:,} snapshots of {TINY_MEMBERS} members {' '.join(jobs)}".rstrip()
    table.add(case, sample, _rate(plan.batch, sample) + ", the cost of a group apart from its roster")


TINY_MEMBERS = 10


def run_scale(table: Table, plan: Plan, folder: Path, scale: bool) -> None:
    """Groups a second per core, the parent's memory as the batch grows, and Dask's overhead."""
    groups = folder / f"groups-{plan.per_core}"
    data.write_small_folder(groups, plan.per_core)
    _run_once(audit(list(_one_per_platform(groups).values())))  # warm the playbook cache
    runs = 2  # the full run must stay under five minutes
    two = None
    for jobs in (1, 2):
        sample = measure(audit([groups], "--jobs", str(jobs)), runs)
        per_core = plan.per_core / sample.median / jobs
        note = f"{per_core:,.0f} groups/s per core, target ≥ 300"
        table.add(f"{plan.per_core:,} small snapshots --jobs {jobs}", sample, note)
        two = sample
    if _has_dask():
        sample = measure(audit([groups], "--dask", "local:2"), runs)
        assert two is not None
        extra = sample.median - two.median
        note = (
            f"{extra:+.1f} s against --jobs 2 ({sample.median / two.median:.2f}×), cluster start-up included"
        )
        table.add(f"{plan.per_core:,} small snapshots --dask local:2", sample, note)
    else:
        print("  --dask: skipped (pip install '.[dask]')", flush=True)
    sizes = [plan.batch] + ([SCALE_BATCH] if scale else [])
    first = None
    for count in sizes:
        tiny = folder / f"groups-{count}-{TINY_MEMBERS}-members"
        data.write_small_folder(tiny, count, member_count=TINY_MEMBERS)
        sample = measure_parent(tiny, folder / "parent-report.json")
        first = first or sample.peak_mb
        note = "the parent process alone, --jobs 2, -f json to a file"
        if count != sizes[0]:
            note += f"; {sample.peak_mb / first:.2f}× the {sizes[0]:,}-group peak"
        table.add(f"parent peak, {count:,} groups of {TINY_MEMBERS} members", sample, note)


SCALE_BATCH = 100_000

# The parent's own peak (RUSAGE_SELF, not its workers'): `playbook audit` run in this process,
# its output to a file; prints the time and the peak.
PARENT = """
import resource, sys, time
from playbook.cli import main
began = time.perf_counter()
try:
    main(sys.argv[1:])
except SystemExit as done:
    if done.code not in (None, 0, 1):
        sys.exit(f"exit {done.code}")
print(time.perf_counter() - began, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure_parent(groups: Path, output: Path) -> Sample:
    argv = ["audit", str(groups), "--jobs", "2", "-f", f"json:{output}"]
    done = subprocess.run(
        [sys.executable, "-c", PARENT, *argv], capture_output=True, text=True, env=_environment()
    )
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
    output.unlink(missing_ok=True)
    seconds, peak = done.stdout.split()
    return Sample([float(seconds)], [int(peak)])


def _has_dask() -> bool:
    done = subprocess.run(
        [sys.executable, "-c", "import distributed"], capture_output=True, env=_environment()
    )
    return done.returncode == 0 and supports("--dask")


def _rate(groups: int, sample: Sample) -> str:
    return f"{groups / sample.median:,.0f} groups/s"


def _one_per_platform(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.json")):
        found.setdefault(json.loads(path.read_text(encoding="utf-8"))["platform"], path)
        if len(found) == len(data.PLATFORMS):
            break
    return found


def run_big(table: Table, plan: Plan, folder: Path) -> None:
    path = folder / f"messages-{plan.big}.json"
    data.write_big(path, plan.big)
    floor = measure_floor(path, max(2, plan.runs - 2))
    table.add(
        f"json.loads floor, {plan.big:,} messages ({path.stat().st_size / 1e6:.0f} MB)", floor, "in-process"
    )
    sample = measure(audit([path]), max(2, plan.runs - 2))
    ratio = sample.median / floor.median
    memory = sample.peak_mb / floor.peak_mb
    table.add(
        f"audit, {plan.big:,} messages",
        sample,
        f"{ratio:.2f}× floor time (target ≤ 3), {memory:.2f}× floor memory (target ≤ 1)",
    )


def run_series(table: Table, plan: Plan, folder: Path) -> None:
    """Time per message and per member should stay flat as the input grows (linear cost)."""
    first: tuple[int, float] | None = None
    for count in (*plan.message_series, plan.big):
        path = folder / f"messages-{count}.json"
        data.write_big(path, count)
        sample = measure_in_process(path, plan.series_runs)
        first = first or (count, sample.median)
        slope = _slope(first, count, sample, "message", 2)
        table.add(f"series: {count:,} messages, in-process", sample, slope)
    first = None
    for count in plan.member_series:
        path = folder / f"members-{count}.json"
        if not path.exists():
            data.write_json(path, data.snapshot(seed=count, member_count=count, platform="other"))
        sample = measure_in_process(path, plan.series_runs)
        first = first or (count, sample.median)
        table.add(f"series: {count:,} members, in-process", sample, _slope(first, count, sample, "member", 2))


def _slope(first: tuple[int, float], count: int, sample: Sample, unit: str, digits: int) -> str:
    """Added time per item over the smallest input: flat along a series means linear cost."""
    if count == first[0]:
        return "the base of the series"
    per = (sample.median - first[1]) / (count - first[0]) * 1e6
    return f"{per:.{digits}f} µs per added {unit}"


def describe_machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small smoke version (for CI)")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="also the parent's memory at 100,000 groups (several minutes more)",
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="where to generate the inputs (default: bench/data)"
    )
    args = parser.parse_args()

    plan = QUICK if args.quick else FULL
    began = time.perf_counter()
    print(f"machine: {describe_machine()}\ncommand: {' '.join(playbook_command())}", flush=True)
    table = Table()
    run_small(table, plan, args.data)
    run_batch(table, plan, args.data)
    run_scale(table, plan, args.data, args.scale and not args.quick)
    run_big(table, plan, args.data)
    run_series(table, plan, args.data)
    print(f"\n{table.render()}\n\ntotal {time.perf_counter() - began:.0f} s")
    (args.data / "results.json").write_text(
        json.dumps({"machine": describe_machine(), "rows": table.rows}, ensure_ascii=False, indent=1)
    )


if __name__ == "__main__":
    main()
