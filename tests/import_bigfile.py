"""Writes a large Telegram single-chat export, one message at a time (for the memory tests).

Run as a script to import it and print `peak_rss_kb seconds messages` (the test runs it in a
fresh process so the peak memory belongs to the import alone).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

START = 1_700_000_000
WORDS = ["大家好", "今天的分享很有收获", "see https://example.com/x", "加微信领优惠", "ok 👍", "收到"]


def write_export(path: Path, count: int, members: int = 2000) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "name": "Big Group",\n "type": "private_supergroup",\n "id": 42,\n')
        out.write(' "messages": [\n')
        for i in range(count):
            at = START + i * 30  # one message every 30 seconds: ~350 days for 1M
            who = (i * 7919) % members
            message = {
                "id": i + 1,
                "type": "message",
                "date": "2023-11-15T06:13:20",
                "date_unixtime": str(at),
                "from": f"member {who}",
                "from_id": f"user{who}",
                "text": WORDS[i % len(WORDS)],
                "text_entities": [{"type": "plain", "text": WORDS[i % len(WORDS)]}],
            }
            out.write(("  " if i == 0 else ",\n  ") + json.dumps(message, ensure_ascii=False))
        out.write("\n ]\n}\n")


def peak_kb() -> int:
    """This process's peak RSS. VmHWM starts afresh at exec; ru_maxrss may carry the parent's."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(path: str) -> None:
    from playbook.importers import run_import

    began = time.perf_counter()
    snapshot, summary = run_import("telegram", [path])
    took = time.perf_counter() - began
    print(peak_kb(), round(took, 2), summary.member_messages, len(snapshot["members"]["list"]))


if __name__ == "__main__":
    main(sys.argv[1])
