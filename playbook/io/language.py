"""The language the user wants, read from `PLAYBOOK_LANG` or the locale, and told to gettext.

The variables are read in the order C programs read them for messages (`LC_ALL`, `LC_MESSAGES`,
`LANG`, then `LANGUAGE`); on Windows, which sets none of them, the user locale decides.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

from playbook.core.i18n import LANGUAGES


def default_language(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    system_locale: Callable[[], str | None] | None = None,
) -> str:
    """`PLAYBOOK_LANG` first, then the locale: zh for any Chinese one, else English.

    The POSIX chain is read in the order C programs read it for messages (`LC_ALL` overrides
    `LC_MESSAGES`, which overrides `LANG`; `LANGUAGE` last, as a fallback list). Windows sets
    none of these: there the user locale the control panel chose decides."""
    env = os.environ if environ is None else environ
    explicit = env.get("PLAYBOOK_LANG", "").strip().lower()
    if explicit in LANGUAGES:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return "zh" if is_chinese_locale(value) else "en"
    language = env.get("LANGUAGE", "")
    if environ is None and "ours" in _SPOKEN and language == _SPOKEN["ours"]:
        language = _SPOKEN["theirs"]  # we set it for click's catalog (speak_to_gettext); theirs was this
    preferred = [part for part in language.split(":") if part.strip()]
    if preferred:
        return "zh" if is_chinese_locale(preferred[0]) else "en"
    if (sys.platform if platform is None else platform) == "win32":
        found = (system_locale or windows_user_locale)()
        return "zh" if found and is_chinese_locale(found) else "en"
    return "en"


# What this process itself put in LANGUAGE, so that it is not mistaken for the user's wish.
_SPOKEN: dict[str, str] = {}


def speak_to_gettext(lang: str) -> None:
    """Set LANGUAGE, the variable GNU gettext reads for messages alone, to `lang`."""
    current = os.environ.get("LANGUAGE", "")
    if current != _SPOKEN.get("ours"):
        _SPOKEN["theirs"] = current
    os.environ["LANGUAGE"] = _SPOKEN["ours"] = lang


def is_chinese_locale(name: str) -> bool:
    """zh_CN.UTF-8, zh_TW, zh-Hans, zh_HK.Big5, Chinese_China.936, Chinese (Traditional)_Taiwan.950 …"""
    lowered = name.strip().lower()
    return lowered.startswith(("zh", "chinese"))


def windows_user_locale() -> str | None:
    """The Windows user locale's name (`zh-CN`), else what Python's locale module reports."""
    try:
        import ctypes

        buffer = ctypes.create_unicode_buffer(85)  # LOCALE_NAME_MAX_LENGTH
        if ctypes.windll.kernel32.GetUserDefaultLocaleName(buffer, len(buffer)):  # type: ignore[attr-defined]
            return buffer.value
    except (AttributeError, OSError):  # not Windows, or an API that is missing
        pass
    import locale

    try:
        return locale.getlocale()[0]
    except ValueError:  # an unknown locale name in the environment
        return None
