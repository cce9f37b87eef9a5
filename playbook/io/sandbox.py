"""Which files a playbook may make `playbook` read: its own folder and below, the built-in
playbooks, and folders the user allows with `--allow-path` (or PLAYBOOK_ALLOW_PATH).

A third-party playbook's `extends: ../../.env` or a test file's `snapshot: /etc/passwd` once
read whatever it named and quoted the start of it in the error. Symlinks are followed before
the check, so a link inside the folder that leads out of it is outside too.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import click

from playbook.core.errors import Location, PlaybookError
from playbook.core.i18n import Text

ENV = "PLAYBOOK_ALLOW_PATH"  # read by every --jobs worker process too


def allowed_roots(home: Path) -> list[Path]:
    from playbook.core.resources import rulesets_dir

    extra = [Path(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p]
    return [home, rulesets_dir(), *extra]


def is_inside(path: Path, roots: Sequence[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def check_inside(path: Path, home: Path, where: str | Location, ref: str, also: Sequence[Path] = ()) -> None:
    """Refuse `path` (named `ref` at `where`) unless it is in the sandbox of a playbook in `home`
    (or in one of the folders `also`)."""
    if is_inside(path, [*allowed_roots(home), *also]):
        return
    raise PlaybookError.at(
        where,
        Text(
            f"'{ref}' 在手册所在文件夹之外，没有读取",
            f"'{ref}' is outside the playbook's folder and was not read",
        ),
        Text(
            "手册只能引用它所在文件夹及子文件夹、内置手册（builtin:名称），或用 --allow-path 允许的文件夹",
            "a playbook may name files in its own folder and below, built-in playbooks (builtin:NAME), "
            "or a folder allowed with --allow-path",
        ),
    )


def allow(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> None:
    """`--allow-path`: the folders join PLAYBOOK_ALLOW_PATH (so the --jobs workers see them too)."""
    if values:
        paths = [os.path.abspath(v) for v in values]
        os.environ[ENV] = os.pathsep.join([*filter(None, os.environ.get(ENV, "").split(os.pathsep)), *paths])
