"""Syntax errors are told in the user's words, in both languages, at the place to fix.

Every row of the wording tables is reached by one case here (checked at the end), so a row no
parser message reaches anymore is noticed.
"""

from __future__ import annotations

import io
from pathlib import Path

import ijson
import jmespath
import pytest
import regex
from click.testing import CliRunner

from playbook.cli import main
from playbook.core.errors import PlaybookError
from playbook.core.syntax_messages import (
    JSON_WORDINGS,
    REGEX_WORDINGS,
    YAML_WORDINGS,
    json_wording,
    path_wording,
    regex_wording,
    stream_json_wording,
    yaml_wording,
)
from playbook.io.documents import parse_text
from tests.conftest import audit_in_chinese

# (text, where, English sentence after "invalid JSON: ")
JSON_CASES = [
    (
        '{"platform": "qq", "group": {"name": "x",}}',
        "1:42",
        "there is one comma too many before this bracket",
    ),
    ('{"platform": "qq", "tags": ["a", ]}', "1:34", "there is one comma too many before this bracket"),
    ("{'platform': 'qq'}", "1:2", "field names need double quotes, not single ones"),
    ("{\"platform\": 'qq'}", "1:14", "JSON text needs double quotes, not single ones"),
    ('{"platform": }', "1:14", "a value is expected here"),
    ('{"platform": "qq", 5: 1}', "1:20", "a field name in double quotes is expected here"),
    ('{"platform" "qq"}', "1:13", "a colon ':' is missing after the field name"),
    (
        '{"platform": "qq" "group": {}}',
        "1:19",
        "a comma ',' is missing between two items, or a bracket is not closed",
    ),
    ('{"platform": "qq", "group": {"name": "x"', "1:41", "the file ends here, unfinished"),
    ('{"platform": "qq", "group": {"name": "x}}', "1:38", "this text is missing its closing double quote"),
    ('{"platform": "q\tq"}', "1:16", "a line break or tab is written inside text"),
    ('{"platform": "q\\u12"}', "1:17", "\\u must be followed by 4 hexadecimal digits"),
    ('{"platform": "C:\\qq"}', "1:17", "a backslash \\ is followed by a character it cannot escape"),
    ('{"platform": "qq"} {}', "1:20", "the JSON has ended but more content follows"),
    ('\ufeff{"platform": "qq"}', "1:1", "the file starts with a second byte-order mark (BOM)"),
]

# (text, where, English sentence after "invalid YAML: ")
YAML_CASES = [
    ("platform: qq\ngroup:\n\tname: x\n", "3:1", "indented with a tab"),
    ("group:\n  name: x\n\t intro: y\n", "3:1", "indented with a tab"),
    ("platform: qq\nowner: @小王\n", "2:8", "a value cannot start with this character"),
    (
        "group:\n  intro: 欢迎: 请看公告\n",
        "2:12",
        "this colon and space ': ' is read as the start of another key",
    ),
    (
        "group:\n  tags:\n    - a\n    b\n",
        "5:1",
        "this line is not a 'key: value' pair: the colon is missing",
    ),
    ('platform: qq\ngroup: {name: "x\n', "2:15", "the quote that opens here is never closed"),
    (
        "platform: qq\ntags: [a, b\nx: 1\n",
        "2:7",
        "the [ ] list that opens here is not closed, or a comma is missing between two items",
    ),
    (
        "group: {name: x\nplatform: qq\n",
        "1:8",
        "the { } that opens here is not closed, or a comma is missing between two items",
    ),
    (
        "group:\n    name: x\n  intro: y\n",
        "3:3",
        "this line's indentation does not line up with the keys above, or there is text after a closing quote",
    ),
    ("tags:\n  - a\n  b: c\n", "3:3", "the items of this list do not line up"),
    ("platform: - qq\n", "1:11", 'a list item "- " cannot go here'),
    ("platform: *qq\n", "1:11", "'*name' refers to an anchor that is not defined"),
    (
        'platform: "C:\\qq"\n',
        "1:14",
        "in double-quoted text a backslash \\ is followed by a character it cannot escape",
    ),
    (
        "platform: qq\n---\nplatform: wechat\n",
        "2:1",
        "the file holds several YAML documents separated by ---; only one is allowed",
    ),
    (
        "platform: [qq\n",
        "1:11",
        "the [ ] list that opens here is not closed, or a comma is missing between two items",
    ),
    ("platform: [\n", "2:1", "the file ends here, unfinished"),
    ("tags: [a, , b]\n", "1:11", "a value is missing here (perhaps an extra comma)"),
    ("platform: |x\n  qq\n", "1:12", "more text follows this value"),
    ("%off\nplatform: qq\n", "1:5", "a line starting with % is not valid YAML"),
    ("platform: !x!y qq\n", "1:11", "a value starting with ! is read as a YAML tag"),
    ("platform: & qq\n", "1:12", "a value starting with & or * is read as a YAML anchor or alias"),
    ("platform: !<x qq\n", "1:14", "a value starting with ! is read as a YAML tag"),
    ("tags: {a:[b]}\n", "1:9", "this colon is misplaced: inside [ ] or { } a colon needs a space after it"),
    ("platform: &b ?\n", "1:14", "'?' starts a complex key in YAML and cannot go here"),
    ("? [a]\n: b\n", "1:3", "a list or mapping cannot be a key"),
    (
        "platform: qq\n...\nx\n:",
        "3:1",
        "the document ended before this line (a line above is ... or starts with %)",
    ),
    (
        "platform: qq\ngroup: {name: x}\n- ? x\n",
        "3:1",
        "this line's indentation does not line up with the keys above, or there is text after a closing quote",
    ),
]


def _problem(text: str, fmt: str) -> str:
    with pytest.raises(PlaybookError) as caught:
        parse_text(text, f"g.{fmt}", fmt)
    return caught.value.render("en")


@pytest.mark.parametrize(("text", "where", "sentence"), JSON_CASES)
def test_json_syntax_errors_are_told_plainly(text: str, where: str, sentence: str) -> None:
    assert _problem(text, "json").splitlines()[0] == f"g.json:{where}: invalid JSON: {sentence}"


@pytest.mark.parametrize(("text", "where", "sentence"), YAML_CASES)
def test_yaml_syntax_errors_are_told_plainly(text: str, where: str, sentence: str) -> None:
    assert _problem(text, "yaml").splitlines()[0] == f"g.yaml:{where}: invalid YAML: {sentence}"


def test_a_control_character_is_located_even_after_chinese_text() -> None:
    # libyaml counts the position in bytes; the message must still name line and column in characters.
    message = _problem("group:\n  name: 新手群\x07\n", "yaml")
    assert message.splitlines()[0] == (
        "g.yaml:2:12: invalid YAML: the file holds an invisible control character (#x0007)"
    )


def test_an_unknown_problem_keeps_the_parsers_words() -> None:
    what, hint = json_wording("Something new", "{}", 1)
    assert (what.en, what.zh, hint) == ("invalid JSON: Something new", "JSON 格式错误: Something new", None)
    what, hint, at_start = yaml_wording("found something new", "while scanning", "x", False)
    assert (what.en, hint, at_start) == ("invalid YAML: found something new", None, False)


def test_every_wording_is_in_both_languages_with_a_hint_mostly() -> None:
    rows = JSON_WORDINGS + YAML_WORDINGS
    for row in rows:
        assert row.what.zh and row.what.en and row.what.zh != row.what.en
        assert row.hint is None or (row.hint.zh and row.hint.en)
    assert sum(row.hint is None for row in rows) <= 1


def test_every_wording_is_reached_by_a_case() -> None:
    reached = set()
    for cases, fmt in ((JSON_CASES, "json"), (YAML_CASES, "yaml")):
        for text, _, _ in cases:
            first_line = _problem(text, fmt).splitlines()[0]
            reached |= {
                row.what.en for row in JSON_WORDINGS + YAML_WORDINGS if first_line.endswith(row.what.en)
            }
    assert reached == {row.what.en for row in JSON_WORDINGS + YAML_WORDINGS}


def test_the_cli_tells_a_trailing_comma_in_chinese_with_a_hint(tmp_path: Path) -> None:
    snapshot, result = audit_in_chinese(
        tmp_path / "group.json", '{"snapshot": 1, "platform": "qq",\n "group": {"name": "新手群",}}\n'
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"{snapshot}:2:26: JSON 格式错误: 括号前多了一个逗号\n"
        "  提示: 删掉最后一项后面的逗号：JSON 不允许多余的逗号\n"
    )


def test_the_cli_points_at_the_quote_that_is_never_closed(tmp_path: Path) -> None:
    playbook = tmp_path / "rules.yaml"
    playbook.write_text('playbook:\n  id: mine\n  title: "新手群规则\n  rules: []\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(playbook)])
    assert result.exit_code in (1, 2)
    assert f"{playbook}:3:10: invalid YAML: the quote that opens here is never closed\n" in result.stdout
    assert "  hint: add the same quote at the end of the text\n" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("platform: wechat\ngroup:\n  name：幸福里团购\n  intro: 欢迎\n", "3:7"),  # YAML stops a line later
        ("snapshot: 1\nplatform：wechat\ngroup:\n  name: x\n", "2:9"),
        ("members:\n  list:\n    - id：u1\n      role: owner\n", "3:9"),
    ],
)
def test_a_full_width_colon_after_a_key_is_named_where_it_is(text: str, where: str) -> None:
    assert _problem(text, "yaml").splitlines() == [
        f'g.yaml:{where}: invalid YAML: a full-width colon "：" is used',
        "  hint: write an ASCII colon and a space between key and value, e.g. name: value",
    ]


def test_a_full_width_colon_in_text_is_left_alone() -> None:
    # Chinese text with its own colons (a rule list in a block, a quoted intro) is not blamed.
    text = 'group:\n  rules: |\n    规则一：禁止广告\n  intro: "欢迎：请看公告" x\n'
    assert "full-width" not in _problem(text, "yaml")


def test_a_mapping_read_as_text_because_of_a_full_width_colon_gets_a_hint(tmp_path: Path) -> None:
    snapshot, result = audit_in_chinese(
        tmp_path / "group.yaml", "snapshot: 1\nplatform: wechat\ngroup:\n  name：幸福里团购\n"
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"{snapshot}:4:3: $.group 应为键值对象，实际是 'name：幸福里团购'\n"
        '  提示: 这是中文冒号 "："，YAML 把整行读成了文字；键和值之间要用英文冒号加空格，例如 name: 幸福里团购\n'
    )


REGEX_CASES = [
    ("【[^】+】", 7, "a [ ] set is never closed"),
    ("(ab", 4, "a ( ) group is never closed"),
    ("ab)", 3, "there is a ) without its ("),
    ("*广告", 1, "*, + or ? has nothing before it to repeat"),
    ("a**", 3, "two repeat signs in a row (like ** or +*)"),
    ("\\k", 3, "this backslash escape is not valid"),
    ("a{2,1}", 3, "in {m,n} the minimum is above the maximum"),
    ("[z-a]", 5, "a character range runs backwards (like z-a)"),
]


@pytest.mark.parametrize(("pattern", "character", "sentence"), REGEX_CASES)
def test_regex_errors_are_told_plainly(pattern: str, character: int, sentence: str) -> None:
    with pytest.raises(regex.error) as caught:
        regex.compile(pattern)
    what, _ = regex_wording(caught.value.msg, caught.value.pos)
    assert what.en == f"the regular expression does not compile (at character {character}): {sentence}"
    assert "正则表达式无法编译" in what.zh


PATH_CASES = [
    (
        "length(group.tags",
        "it is unfinished: a closing bracket or its last part is missing",
        "check that ( ) and [ ] come in pairs",
    ),
    ("group.name == 'x", "the ' at character 15 is never closed", "add the closing '"),
    ("group.name = 'x'", "= cannot be used in a path (character 12)", "compare with ==, or use op: equals"),
    (
        "群名",
        "群 cannot be used in a path (character 1)",
        "paths use the fields' own names, e.g. group.name (see playbook schema snapshot)",
    ),
    (
        "group..name",
        "something is missing or extra at character 7",
        "fields are joined by one dot, and a path cannot end with one",
    ),
    ("group.name ! x", "something is missing or extra at character 12", None),
]


@pytest.mark.parametrize(("path", "sentence", "hint"), PATH_CASES)
def test_path_errors_are_told_plainly(path: str, sentence: str, hint: str | None) -> None:
    with pytest.raises(jmespath.exceptions.JMESPathError) as caught:
        jmespath.compile(path)
    what, said = path_wording(path, caught.value)
    assert what.en == f"the path '{path}' does not parse: {sentence}"
    assert what.zh.startswith(f"路径 '{path}' 无法解析: ") and what.zh != what.en
    assert (said.en if said else None) == hint


def test_every_regex_wording_is_reached_by_a_case() -> None:
    reached = {sentence for _, _, sentence in REGEX_CASES}
    assert reached == {row.what.en for row in REGEX_WORDINGS}


def test_a_full_width_colon_further_up_is_not_blamed_for_a_later_error() -> None:
    text = "group:\n  name: x\n  intro: |\n    Rules：no ads\n    Be kind\n  tags: [a, b\n"
    assert "full-width" not in _problem(text, "yaml")


@pytest.mark.parametrize(
    ("broken", "sentence"),
    [
        ('{"a": 1,, "b": 2}', "a field name in double quotes is expected here"),
        ('{"a" 1}', "a colon ':' is missing after the field name"),
        ('{"a": 1 "b": 2}', "a comma ',' is missing between two items, or a bracket is not closed"),
        ("[1, 2 3]", "a comma ',' is missing between two items, or a bracket is not closed"),
        ('{"a": tru}', "there is a character or word JSON does not allow here"),
        ('{"a": 1}}', "the JSON has ended but more content follows"),
    ],
)
def test_the_streaming_parsers_errors_are_told_plainly(broken: str, sentence: str) -> None:
    try:
        yajl = ijson.get_backend("yajl2_c")  # the backend a wheel install uses
    except ImportError:
        pytest.skip("ijson's C backend is not installed here")
    with pytest.raises(ijson.JSONError) as caught:
        for _ in yajl.parse(io.BytesIO(broken.encode())):
            pass
    what = stream_json_wording(str(caught.value).splitlines()[0])
    assert what.en == sentence and what.zh != what.en


def test_the_pure_python_backends_words_are_told_too() -> None:
    assert (
        stream_json_wording("Unexpected symbol ',' at 8").en
        == "there is a character or word JSON does not allow here"
    )
    assert stream_json_wording("Additional data found").en == "the JSON has ended but more content follows"
