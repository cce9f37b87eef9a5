"""`playbook diff OLD NEW`: read the two inputs (snapshots are audited) and compare them."""

from __future__ import annotations

from collections.abc import Sequence

from playbook.core.compare import Diff, compare_reports
from playbook.core.report import Options
from playbook.runner.trend import check_same_group, read_reports


def diff_files(old: str, new: str, refs: Sequence[str], options: Options) -> Diff:
    reports = read_reports([old, new], refs, options)
    check_same_group(reports, [old, new])
    return compare_reports(reports[0], reports[1])
