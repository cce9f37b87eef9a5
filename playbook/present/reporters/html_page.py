"""The shell every HTML page shares: document head, inline stylesheet, footer.

Pages are single files that work offline and on paper: no scripts, no web fonts, no remote
images. The system font stack lists common CJK fonts so Chinese renders without downloads.
"""

from __future__ import annotations

from html import escape

from playbook import __version__

HTML_LANG = {"zh": "zh-CN", "en": "en"}

CSS = """
:root{--ink:#1d232b;--muted:#56606b;--line:#d6dbe1;--soft:#f4f6f8;--accent:#1f5fa8;
--good:#0c6;--good-ink:#07702f;--warn:#fa3;--warn-ink:#9a5200;--poor:#f33;--poor-ink:#b3141a;--none:#9aa3ad}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--ink);background:#fff;font:15px/1.55 system-ui,-apple-system,"Segoe UI",
"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",Roboto,sans-serif}
main{max-width:1080px;margin:0 auto;padding:28px 32px 56px}
h1{font-size:26px;line-height:1.25;margin:0 0 4px}
h2{font-size:20px;margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--ink)}
h3{font-size:16px;margin:22px 0 8px}
.meta{color:var(--muted);margin:0 0 20px;font-size:14px}
.meta span+span::before{content:" · "}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:1px 4px;border-radius:3px}
.good{--c:var(--good);--t:var(--good-ink)}.needs_work{--c:var(--warn);--t:var(--warn-ink)}
.poor{--c:var(--poor);--t:var(--poor-ink)}.none{--c:var(--none);--t:var(--muted)}
svg .mark{fill:var(--c)} svg .mark.none{fill:var(--none)}
.hero{display:grid;grid-template-columns:200px 1fr;gap:28px;align-items:center;padding:20px;border:1px solid var(--line);border-radius:8px}
.gauge .track{fill:none;stroke:#e7ebef}.gauge .arc{fill:none;stroke:var(--c);stroke-linecap:round}
.gauge-score{font-size:42px;font-weight:700;fill:var(--ink)}.gauge-caption{font-size:12px;fill:var(--muted)}
.gauge-grade{font-size:18px;font-weight:700;fill:var(--ink)}
.facts{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:6px 16px}
.facts dt{color:var(--muted)}.facts dd{margin:0}
.note{border-left:4px solid var(--warn);background:#fff7e8;padding:8px 12px;margin:10px 0;border-radius:0 4px 4px 0}
.band{color:var(--t);font-weight:600;white-space:nowrap}
.bars .guide,.lines .guide{stroke:#b9c1ca;stroke-dasharray:3 3}.axis{font-size:11px;fill:var(--muted)}
.bar-track{fill:#eef1f4}.bar{fill:var(--c)}.bar-label{font-size:14px;fill:var(--ink);font-weight:600}
.bar-note{font-size:11px;fill:var(--muted)}.bar-value{font-size:15px;font-weight:700;fill:var(--ink)}
.bar-empty{font-size:13px;fill:var(--muted);font-style:italic}
table{border-collapse:collapse;width:100%;margin:8px 0 4px;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:7px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.causes{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:10px;list-style:none;padding:0;margin:0}
.causes>li{border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.causes>li.present{border:2px solid var(--poor);background:#fff5f5}
.causes>li.absent{color:var(--muted)}.causes ul{margin:6px 0 0;padding-left:18px;font-size:13px}
.causes{align-items:start}.causes>li{min-width:0;overflow-wrap:anywhere}
figure.chart{margin:0}svg.bars{max-width:820px}table.sections-compact{display:none}.causes ul li+li{margin-top:4px}
.id{font:11px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted);overflow-wrap:anywhere;font-weight:400}
.checklist{list-style:none;padding:0;margin:0}
.checklist li{display:grid;grid-template-columns:26px 1fr auto;gap:4px 10px;padding:10px 4px;border-bottom:1px solid var(--line)}
.checklist li>*{min-width:0;overflow-wrap:anywhere}
.checklist input{width:18px;height:18px;margin:3px 0 0}.checklist label{font-weight:600}
.checklist .fix{grid-column:2/4;white-space:pre-line;color:var(--ink);font-size:14px}
.checklist input:checked~label{text-decoration:line-through;color:var(--muted)}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:var(--soft);color:var(--muted);white-space:nowrap}
.gain{background:#e4f0fb;color:#0f4a85;font-weight:700;font-size:13px}
.projection{color:var(--muted);font-size:14px;margin:2px 0 6px}
.filters{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;padding:10px 12px;background:var(--soft);border-radius:6px;margin:6px 0 12px}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 6px;align-items:center}
.filters legend{float:left;margin-right:6px;color:var(--muted);font-size:13px}
.filters label{border:1px solid var(--line);background:#fff;border-radius:14px;padding:2px 10px;font-size:13px;cursor:pointer}
.filters input{position:absolute;opacity:0;width:1px;height:1px}
.filters input:checked+label{background:var(--ink);color:#fff;border-color:var(--ink)}
.filters input:focus-visible+label{outline:3px solid var(--accent);outline-offset:1px}
details.rules{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:0 12px}
details.rules>summary{cursor:pointer;padding:10px 0;font-weight:600}
.status{white-space:nowrap;font-weight:600}
.st-pass{color:var(--good-ink)}.st-partial{color:var(--warn-ink)}.st-fail{color:var(--poor-ink)}
.st-unknown,.st-not_applicable,.st-waived,.st-error{color:var(--muted)}
.ev{font-size:13px;color:var(--muted)}.ev b{color:var(--ink);font-weight:600}
table.results{table-layout:fixed}table.results td{overflow-wrap:anywhere}
td .fixtext{white-space:pre-line;font-size:13px}
.summary-table a{color:var(--accent)}
.group-block+.group-block{margin-top:48px;border-top:4px double var(--line);padding-top:8px}
.lines polyline{fill:none;stroke:#7d8793;stroke-width:2}.lines .main polyline{stroke:var(--ink);stroke-width:3.5}
.end-label{font-size:12px;fill:var(--muted)}.end-label.main{font-weight:700;fill:var(--ink)}
.lines .s0 polyline{stroke:#0072b2}.lines .s1 polyline{stroke:#d55e00}.lines .s2 polyline{stroke:#009e73}
.lines .s3 polyline{stroke:#cc79a7}.lines .s4 polyline{stroke:#b08800}.lines .s5 polyline{stroke:#56b4e9}
.lines .s6 polyline{stroke:#6f4e37}
.end-label.s0{fill:#0072b2}.end-label.s1{fill:#d55e00}.end-label.s2{fill:#007a5a}.end-label.s3{fill:#a9487f}
.end-label.s4{fill:#8a6a00}.end-label.s5{fill:#2b7fb0}.end-label.s6{fill:#6f4e37}
.lines .provisional{fill:#fff;stroke:var(--ink);stroke-width:2;stroke-dasharray:2 2}
.prov-mark{font-size:16px;font-weight:700;fill:var(--warn-ink)}
.legend{font-size:13px;color:var(--muted)}
footer{color:var(--muted);font-size:12px;border-top:1px solid var(--line);margin-top:40px;padding-top:10px}
@media (max-width:720px){.hero{grid-template-columns:1fr;justify-items:center}.hero>div{width:100%}main{padding:16px}
.checklist li{grid-template-columns:26px 1fr}.checklist li>span{grid-column:2}.checklist .fix{grid-column:2}
table.results colgroup{display:none}table.results{table-layout:auto}
table.results thead{display:none}table.results tr{display:block;padding:8px 0;border-bottom:1px solid var(--line)}
table.results td{display:block;border:0;padding:2px 0}
.summary-table{display:block;overflow-x:auto}
svg.bars{display:none}table.sections-compact{display:table}
.chart-scroll,.table-scroll{overflow-x:auto}.chart-scroll svg.lines{min-width:620px}}
th[scope=row]{white-space:nowrap}
@media print{main{max-width:none;padding:0}.filters{display:none}
details.rules{border:0;padding:0}details.rules>summary{list-style:none}
tr[data-status],details[data-section]{display:revert!important}
.hero,.causes>li,tr,.checklist li{break-inside:avoid}h2{break-after:avoid}
.gain{border:1px solid #0f4a85}a{color:inherit;text-decoration:none}}
"""


def page(lang: str, title: str, body: str) -> str:
    """A whole document around an already-escaped body."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{HTML_LANG.get(lang, "en")}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n{_footer(lang)}\n</main>\n</body>\n</html>\n"
    )


def _footer(lang: str) -> str:
    made = "由 playbook {v} 生成" if lang == "zh" else "Generated by playbook {v}"
    return f"<footer>{escape(made.format(v=__version__))}</footer>"
