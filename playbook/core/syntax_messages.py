"""Syntax errors in the user's words: what the JSON, YAML, regex or JMESPath parser found, and what to do.

The parsers speak English and of tokens and scalars ("Expecting property name enclosed in double
quotes", "mapping values are not allowed in this context"); our users are community operators
who edited a file by hand. Each known problem gets a plain sentence and a hint in both
languages, chosen by the parser's words and the character where it stopped (a `}` after a comma
is a trailing comma, a tab is indentation). A problem not in the tables keeps the parser's words.
A key followed by a full-width colon (`name：value`, as a Chinese keyboard types it) is found
here too: YAML reads such a line as text and only stumbles later, if at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playbook.core.i18n import Text

AT_THE_END = "(at the end of the file)"
ANY: tuple[str, ...] = ()  # `at` of a row that matches wherever the parser stopped


@dataclass(frozen=True)
class Wording:
    """One known problem: matched when the parser's message contains `words` and the text where
    it stopped ends with one of `at` (anywhere, when empty)."""

    words: str
    at: tuple[str, ...]
    what: Text
    hint: Text | None
    at_start: bool = (
        False  # point at where the construct began (an unclosed quote), not where parsing stopped
    )


def _row(
    words: str,
    at: tuple[str, ...],
    what: tuple[str, str],
    hint: tuple[str, str] | None = None,
    at_start: bool = False,
) -> Wording:
    return Wording(words, at, Text(*what), Text(*hint) if hint else None, at_start)


_EXTRA_COMMA = (
    ("括号前多了一个逗号", "there is one comma too many before this bracket"),
    (
        "删掉最后一项后面的逗号：JSON 不允许多余的逗号",
        "remove the comma after the last item: JSON allows no trailing comma",
    ),
)
_QUOTE_THE_VALUE = (
    '给整个值加上引号，例如 intro: "欢迎: 请先看群公告"',
    'put the whole value in quotes, e.g. intro: "Welcome: read the notice first"',
)

_UNFINISHED = _row(
    AT_THE_END,
    ANY,
    ("文件在这里意外结束", "the file ends here, unfinished"),
    (
        "文件是否被截断了？每个 { 和 [ 都要有对应的 } 和 ]",
        "was the file cut short? every { and [ needs its } and ]",
    ),
)

JSON_WORDINGS = (
    _UNFINISHED,
    _row("Expecting value", (",]", ",}"), *_EXTRA_COMMA),
    _row(
        "Expecting value",
        ("'",),
        ("JSON 的文字要用双引号，不能用单引号", "JSON text needs double quotes, not single ones"),
        ("把 'x' 改成 \"x\"", "write \"x\" instead of 'x'"),
    ),
    _row(
        "Expecting value",
        ANY,
        ("这里应有一个值", "a value is expected here"),
        (
            "值可以是双引号里的文字、数字、true、false、null、[列表] 或 {对象}；文件是否被截断了？",
            "a value is text in double quotes, a number, true, false, null, a [list] or an {object}; "
            "was the file cut short?",
        ),
    ),
    _row("Expecting property name", (",}",), *_EXTRA_COMMA),
    _row(
        "Expecting property name",
        ("'",),
        ("字段名要用双引号，不能用单引号", "field names need double quotes, not single ones"),
        ("把 'name' 改成 \"name\"", "write \"name\" instead of 'name'"),
    ),
    _row(
        "Expecting property name",
        ANY,
        ("这里应是双引号括起的字段名", "a field name in double quotes is expected here"),
        ('例如 "name": "值"', 'e.g. "name": "value"'),
    ),
    _row(
        "Expecting ':' delimiter",
        ANY,
        ('字段名后面缺少冒号 ":"', "a colon ':' is missing after the field name"),
        ('写成 "字段名": 值', 'write "field": value'),
    ),
    _row(
        "Expecting ',' delimiter",
        ANY,
        (
            '两项之间缺少逗号 ","，或者括号没有闭合',
            "a comma ',' is missing between two items, or a bracket is not closed",
        ),
        (
            "在上一项的末尾加上逗号；检查上方的 [ ] 和 { } 是否成对",
            "add a comma after the previous item; check that the [ ] and { } above come in pairs",
        ),
    ),
    _row(
        "Unterminated string",
        ANY,
        ("这段文字缺少结尾的双引号", "this text is missing its closing double quote"),
        (
            '在文字末尾加上 "；文字里的双引号要写成 \\"',
            'add " at the end of the text; a double quote inside text is written \\"',
        ),
    ),
    _row(
        "Invalid control character",
        ANY,
        ("文字里直接写了换行或制表符", "a line break or tab is written inside text"),
        (
            "在 JSON 文字里写成 \\n（换行）或 \\t（制表符）",
            "inside JSON text write \\n (line break) or \\t (tab)",
        ),
    ),
    _row(
        "Invalid \\uXXXX escape",
        ANY,
        ("\\u 后面应有 4 位十六进制数字", "\\u must be followed by 4 hexadecimal digits"),
        ("例如 \\u4e2d；反斜杠本身要写成 \\\\", "e.g. \\u4e2d; a backslash itself is written \\\\"),
    ),
    _row(
        "Invalid \\escape",
        ANY,
        ("反斜杠 \\ 后面跟了不能转义的字符", "a backslash \\ is followed by a character it cannot escape"),
        (
            "反斜杠本身要写成 \\\\（Windows 路径常见）",
            "write a backslash itself as \\\\ (common in Windows paths)",
        ),
    ),
    _row(
        "Unexpected UTF-8 BOM",
        ANY,
        ("文件开头有两个字节顺序标记 (BOM)", "the file starts with a second byte-order mark (BOM)"),
        ("用编辑器把文件另存为 UTF-8（无 BOM）", "save the file again as UTF-8 without BOM"),
    ),
    _row(
        "Extra data",
        ANY,
        ("JSON 已经结束，后面还有多余的内容", "the JSON has ended but more content follows"),
        (
            "一个文件只能有一个 JSON 值：检查上方的括号是否提前闭合，或删掉多余的内容",
            "a file holds one JSON value: check whether a bracket above closes too early, or remove the extra content",
        ),
    ),
)

_TAB = (
    ("用了制表符（Tab）缩进", "indented with a tab"),
    (
        "YAML 只能用空格缩进：把 Tab 换成空格",
        "YAML is indented with spaces only: replace the tab with spaces",
    ),
)

YAML_WORDINGS = (
    _row("tab character", ANY, *_TAB),
    _row(
        "cannot start any token", ("\t",), *_TAB
    ),  # libyaml says "tab"; pure-Python PyYAML shows the character
    _row(
        "cannot start any token",
        ANY,
        ("值不能以这个字符开头", "a value cannot start with this character"),
        (
            '以 @ 或 ` 开头的值要加引号，例如 "@群主"',
            'put a value starting with @ or ` in quotes, e.g. "@owner"',
        ),
    ),
    _row(
        "mapping values are not allowed",
        ANY,
        (
            '这里的冒号加空格 ": " 被当成了新的键',
            "this colon and space ': ' is read as the start of another key",
        ),
        (
            "如果冒号是文字的一部分，" + _QUOTE_THE_VALUE[0] + "；如果这是新的一行键，检查它的缩进",
            "if the colon belongs to the text, "
            + _QUOTE_THE_VALUE[1]
            + "; if this line is a new key, check its "
            "indentation",
        ),
    ),
    _row(
        "scanning a simple key",
        ANY,
        (
            '这一行不是 "键: 值" 的形式，缺少冒号',
            "this line is not a 'key: value' pair: the colon is missing",
        ),
        (
            "在键后面加上冒号和空格；如果这是上一行文字的续行，把整段文字放进引号，或用 | 写多行文字",
            "add a colon and a space after the key; if it continues the text of the line above, put that whole text in "
            "quotes or write it as a | block",
        ),
    ),
    _row(
        "unknown escape character",
        ANY,
        (
            "双引号文字里的反斜杠 \\ 后面跟了不能转义的字符",
            "in double-quoted text a backslash \\ is followed by a character it cannot escape",
        ),
        ("反斜杠本身写成 \\\\，或者改用单引号", "write a backslash as \\\\, or use single quotes"),
    ),
    _row(
        "quoted scalar",
        ANY,
        ("从这里开始的引号没有闭合", "the quote that opens here is never closed"),
        ("在文字末尾补上同样的引号", "add the same quote at the end of the text"),
        at_start=True,
    ),
    _row(
        "',' or ']'",
        ANY,
        (
            "从这里开始的 [ ] 列表没有闭合，或两项之间缺少逗号",
            "the [ ] list that opens here is not closed, or a comma is missing between two items",
        ),
        ("检查是否缺少 ] 或逗号", "check for a missing ] or comma"),
        at_start=True,
    ),
    _row(
        "',' or '}'",
        ANY,
        (
            "从这里开始的 { } 没有闭合，或两项之间缺少逗号",
            "the { } that opens here is not closed, or a comma is missing between two items",
        ),
        ("检查是否缺少 } 或逗号", "check for a missing } or comma"),
        at_start=True,
    ),
    _UNFINISHED,
    _row(
        "block mapping",
        ANY,
        (
            "这一行的缩进和上面的键没有对齐，或者引号后面还有多余的文字",
            "this line's indentation does not line up with the keys above, or there is text after "
            "a closing quote",
        ),
        (
            "同一层的键要用相同数量的空格缩进；引号外不能再写文字",
            "keys at the same level need the same number of spaces; nothing may follow a closing quote",
        ),
    ),
    _row(
        "block collection",
        ANY,
        ("列表项的缩进没有对齐", "the items of this list do not line up"),
        ('每一项都以同样缩进的 "- " 开头', 'start every item with "- " at the same indentation'),
    ),
    _row(
        "block sequence entries are not allowed",
        ANY,
        ('列表项 "- " 不能写在这里', 'a list item "- " cannot go here'),
        ("列表要另起一行，并比它的键多缩进", "start the list on a new line, indented more than its key"),
    ),
    _row(
        "undefined alias",
        ANY,
        ('"*名字" 引用了不存在的锚点', "'*name' refers to an anchor that is not defined"),
        (
            "如果 * 是文字的一部分，给整个值加上引号",
            "if the * is part of the text, put the whole value in quotes",
        ),
    ),
    _row(
        "another document",
        ANY,
        (
            "文件里有多个用 --- 分开的 YAML 文档，只能有一个",
            "the file holds several YAML documents separated by ---; only one is allowed",
        ),
        (
            "删掉多余的 ---，或把各部分放进不同的文件",
            "remove the extra ---, or put each part in a file of its own",
        ),
    ),
    _row(
        "node content",
        ANY,
        ("这里缺少一个值（可能多了一个逗号）", "a value is missing here (perhaps an extra comma)"),
    ),
    _row(
        "comment or line break",
        ANY,
        ("这个值后面还有多余的文字", "more text follows this value"),
        _QUOTE_THE_VALUE,
    ),
    _row(
        "directive",
        ANY,
        ("以 % 开头的行不是合法的 YAML", "a line starting with % is not valid YAML"),
        ("给以 % 开头的文字加上引号", "put text that starts with % in quotes"),
    ),
    _row(
        "tag ",
        ANY,
        ("以 ! 开头的值被当成了 YAML 标签", "a value starting with ! is read as a YAML tag"),
        ('给它加上引号，例如 "!重要"', 'put it in quotes, e.g. "!important"'),
    ),
    _row(
        "unexpected ':'",
        ANY,
        (
            "这个冒号的写法不对：在 [ ] 或 { } 里，冒号后面要有空格",
            "this colon is misplaced: inside [ ] or { } a colon needs a space after it",
        ),
        (
            "如果冒号是文字的一部分，给整个值加上引号",
            "if the colon belongs to the text, put the whole value in quotes",
        ),
    ),
    _row(
        "mapping keys are not allowed",
        ANY,
        ('"?" 在 YAML 里表示复杂的键，不能写在这里', "'?' starts a complex key in YAML and cannot go here"),
        ("以 ? 开头的文字要加引号", "put text that starts with ? in quotes"),
    ),
    _row(
        "unhashable key",
        ANY,
        ("列表或对象不能用作键", "a list or mapping cannot be a key"),
        (
            "键只能是文字或数字；如果这是文字，给它加上引号",
            "a key is text or a number; if this is text, put it in quotes",
        ),
    ),
    _row(
        "alphabetic or numeric character",
        ANY,
        (
            "以 & 或 * 开头的值被当成了 YAML 锚点或引用",
            "a value starting with & or * is read as a YAML anchor or alias",
        ),
        ("给整个值加上引号", "put the whole value in quotes"),
    ),
    _row(
        "document start",
        ANY,
        (
            "文件在这里之前已经结束（上方有一行 ... 或以 % 开头）",
            "the document ended before this line (a line above is ... or starts with %)",
        ),
        ("删掉那一行；如果它是文字，给它加上引号", "remove that line; if it is text, put it in quotes"),
    ),
)


# `name：value`: a key (keys are ASCII in every schema) followed by a full-width colon, as a Chinese
# keyboard types it. YAML reads the whole line as text, and the error shows up a line or more later.
_FULL_WIDTH_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?[A-Za-z_][\w.-]*[ \t]*(：)")
FULL_WIDTH_COLON = Text('用了中文冒号 "："', 'a full-width colon "：" is used')
USE_ASCII_COLON = Text(
    "键和值之间要用英文冒号加空格，例如 name: 幸福里团购",
    "write an ASCII colon and a space between key and value, e.g. name: value",
)


def full_width_colon(line: str) -> int | None:
    """The 0-based column of a full-width colon right after a key at the start of `line`, or None."""
    found = _FULL_WIDTH_KEY.match(line)
    return found.start(1) if found else None


def json_wording(message: str, text: str, position: int) -> tuple[Text, Text | None]:
    """What the standard `json` module's `message` about `text` at `position` means."""
    # The last non-blank character before the stop tells a trailing comma from a missing value.
    stopped_at = text[:position].rstrip()[-1:] + text[position : position + 1]
    at_the_end = "" if text[position:].strip() else AT_THE_END
    what, hint, _ = _worded(JSON_WORDINGS, message + at_the_end, stopped_at, message)
    return Text("JSON 格式错误: ", "invalid JSON: ") + what, hint


def yaml_wording(
    problem: str, context: str, stopped_at: str, at_the_end: bool
) -> tuple[Text, Text | None, bool]:
    """What PyYAML's or libyaml's `context` and `problem` mean, stopped at the character
    `stopped_at` (`at_the_end`: nothing but blanks follows). The last item: locate the problem
    where its construct began (the context mark), not where parsing stopped."""
    message = f"{context} | {problem}{AT_THE_END if at_the_end else ''}"
    what, hint, at_start = _worded(YAML_WORDINGS, message, stopped_at, problem)
    return Text("YAML 格式错误: ", "invalid YAML: ") + what, hint, at_start


def _worded(
    rows: tuple[Wording, ...], message: str, stopped_at: str, own_words: str
) -> tuple[Text, Text | None, bool]:
    for row in rows:
        if row.words in message and (not row.at or stopped_at.endswith(row.at)):
            return row.what, row.hint, row.at_start
    return Text(own_words, own_words), None, False  # unknown: the parser's own words beat a guess


_LITERAL_REPEAT_SIGN = (
    "要匹配字面的 * + ? 就在前面加 \\，例如 \\*",
    "to match a literal * + or ? put \\ before it, e.g. \\*",
)

REGEX_WORDINGS = (
    _row(
        "unterminated character set",
        ANY,
        ("方括号 [ ] 没有闭合", "a [ ] set is never closed"),
        ("补上 ]；要匹配字面的 [ 就写 \\[", "add the ]; to match a literal [ write \\["),
    ),
    _row(
        "missing )",
        ANY,
        ("括号 ( ) 没有闭合", "a ( ) group is never closed"),
        ("补上 )；要匹配字面的 ( 就写 \\(", "add the ); to match a literal ( write \\("),
    ),
    _row(
        "unbalanced parenthesis",
        ANY,
        ("多了一个没有 ( 的 )", "there is a ) without its ("),
        ("要匹配字面的 ) 就写 \\)", "to match a literal ) write \\)"),
    ),
    _row(
        "nothing to repeat",
        ANY,
        ("*、+ 或 ? 前面没有可以重复的内容", "*, + or ? has nothing before it to repeat"),
        _LITERAL_REPEAT_SIGN,
    ),
    _row(
        "multiple repeat",
        ANY,
        ("两个重复符号连在一起（如 ** 或 +*）", "two repeat signs in a row (like ** or +*)"),
        _LITERAL_REPEAT_SIGN,
    ),
    _row(
        "bad escape",
        ANY,
        ("反斜杠 \\ 后面的字符不能这样转义", "this backslash escape is not valid"),
        ("要匹配字面的反斜杠就写 \\\\", "to match a literal backslash write \\\\"),
    ),
    _row(
        "min repeat greater than max repeat",
        ANY,
        ("{m,n} 里的 m 大于 n", "in {m,n} the minimum is above the maximum"),
    ),
    _row(
        "bad character range",
        ANY,
        ("字符范围颠倒了（如 z-a）", "a character range runs backwards (like z-a)"),
        ("从小写到大，例如 a-z、0-9", "write it low to high, e.g. a-z, 0-9"),
    ),
)


def regex_wording(message: str, position: int | None) -> tuple[Text, Text | None]:
    """What the `regex` module's compile error `message` means (its `msg`, without the position)."""
    what, hint, _ = _worded(REGEX_WORDINGS, message, "", message)
    where = (
        Text("", "")
        if position is None
        else Text("（第 {n} 个字符处）", " (at character {n})").format(n=position + 1)
    )
    return Text("正则表达式无法编译", "the regular expression does not compile") + where + Text(
        ": ", ": "
    ) + what, hint


def path_wording(expr: str, error: Exception) -> tuple[Text, Text | None]:
    """What a JMESPath compile error means, from its kind and the token it stopped at."""
    head = Text("路径 '{p}' 无法解析: ", "the path '{p}' does not parse: ").format(p=expr)
    kind, token = type(error).__name__, str(getattr(error, "token_type", None) or "")
    column = int(getattr(error, "lex_position", 0) or 0) + 1
    if kind == "IncompleteExpressionError":
        return head + Text(
            "没有写完，缺少右括号、右方括号或最后一部分",
            "it is unfinished: a closing bracket or its last part is missing",
        ), Text("检查 ( ) 和 [ ] 是否成对", "check that ( ) and [ ] come in pairs")
    if token.startswith("UNCLOSED"):
        quote = token.split()[1]
        return head + Text(
            "第 {c} 个字符处的 {q} 没有闭合", "the {q} at character {c} is never closed"
        ).format(c=column, q=quote), Text("补上结尾的 {q}", "add the closing {q}").format(q=quote)
    if token.startswith("UNKNOWN TOKEN"):
        found = str(getattr(error, "token_value", "") or "")
        what = Text("第 {c} 个字符处的 {t} 不能用在路径里", "{t} cannot be used in a path (character {c})")
        return head + what.format(c=column, t=found), _unknown_token_hint(found)
    if kind == "ParseError":
        what = Text("第 {c} 个字符处多了或少了内容", "something is missing or extra at character {c}").format(
            c=column
        )
        dots = token in ("DOT", "EOF")
        return head + what, Text(
            "字段之间只用一个点，路径不能以点结尾",
            "fields are joined by one dot, and a path cannot end with one",
        ) if dots else None
    words = str(error).strip().splitlines()[0] if str(error).strip() else kind
    return head + Text(words, words), None


def _unknown_token_hint(token: str) -> Text | None:
    if token == "=":
        return Text("比较是否相等要写 ==，或者用 op: equals", "compare with ==, or use op: equals")
    if not token.isascii():
        return Text(
            "路径用字段的英文名，例如 group.name（字段名见 playbook schema snapshot）",
            "paths use the fields' own names, e.g. group.name (see playbook schema snapshot)",
        )
    return None


# The words of ijson's streaming parsers (yajl's C backend, else its pure-Python one), used by the
# importers, as the json module's words for the same mistake, so both are told by JSON_WORDINGS.
STREAM_JSON_WORDS = (
    ("invalid object key", "Expecting property name"),
    ("separated by a colon", "Expecting ':' delimiter"),
    ("I expect ','", "Expecting ',' delimiter"),
    ("trailing garbage", "Extra data"),
    ("Additional data", "Extra data"),
)
_NOT_JSON = Text("这里有 JSON 不允许的字符或写法", "there is a character or word JSON does not allow here")


def stream_json_wording(message: str) -> Text:
    """What an ijson parse error means (the first line of its message)."""
    json_words = next((words for theirs, words in STREAM_JSON_WORDS if theirs in message), None)
    if json_words is not None:
        return _worded(JSON_WORDINGS, json_words, "", message)[0]
    if any(words in message for words in ("lexical error", "unallowed token", "Unexpected symbol")):
        return _NOT_JSON
    return Text(message, message)
