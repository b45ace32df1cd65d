"""A memo as a list of blocks, rendered once to Markdown and once to self-contained HTML (the same words in both).

Blocks: Heading, Paragraph, Box (the headline: label → text, with optional sub-items and warnings), Table, Figure
(a PNG file; Markdown links it relative to the memo, HTML embeds it as base64), Bullets. Inline `**bold**` and
`` `code` `` and `[text](link)` are the only markup.
"""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from .fonts import FONT_FAMILY, font_face_css


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Paragraph:
    text: str
    css: str = ""


@dataclass
class Box:
    title: str
    items: list[tuple[str, str]]  # (label, text)
    sub_items: dict[str, list[str]] = field(default_factory=dict)  # label -> bullet lines under it
    warnings: list[str] = field(default_factory=list)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""
    numeric: list[bool] | None = None  # right-align these columns


@dataclass
class Figure:
    path: Path
    title: str
    caption: str


@dataclass
class Bullets:
    items: list[str]


Block = Heading | Paragraph | Box | Table | Figure | Bullets


@dataclass
class Document:
    title: str
    lang: str
    blocks: list = field(default_factory=list)

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)


# ---- Markdown ------------------------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Document, base: Path) -> str:
    out = [f"# {doc.title}", ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Paragraph):
            out += [b.text, ""]
        elif isinstance(b, Box):
            out += [f"> **{b.title}**", ">"]
            for w in b.warnings:
                out += [f"> ▲ **{w}**", ">"]
            for label, text in b.items:
                out.append(f"> - **{label}:** {text}")
                for line in b.sub_items.get(label, []):
                    out.append(f">   - {line}")
            out.append("")
        elif isinstance(b, Table):
            num = b.numeric or [False] * len(b.headers)
            out.append("| " + " | ".join(_md_cell(h) for h in b.headers) + " |")
            out.append("|" + "|".join("---:" if n else "---" for n in num) + "|")
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
            if b.caption:
                out += [f"*{b.caption}*", ""]
        elif isinstance(b, Figure):
            rel = Path(b.path).resolve().relative_to(base.resolve()).as_posix()
            out += [f"![{b.title}]({rel})", "", f"*{b.title}.* {b.caption}", ""]
        elif isinstance(b, Bullets):
            out += [f"- {item}" for item in b.items] + [""]
    return "\n".join(out).rstrip() + "\n"


# ---- HTML ----------------------------------------------------------------------------------------------------
_INLINE = re.compile(r"\*\*(.+?)\*\*|`(.+?)`|\[([^\]]+)\]\(([^)\s]+)\)")


def _inline(text: str) -> str:
    parts, pos = [], 0
    for m in _INLINE.finditer(text):
        parts.append(html.escape(text[pos:m.start()]))
        if m.group(1) is not None:
            parts.append(f"<strong>{html.escape(m.group(1))}</strong>")
        elif m.group(2) is not None:
            parts.append(f"<code>{html.escape(m.group(2))}</code>")
        else:
            parts.append(f'<a href="{html.escape(m.group(4))}">{html.escape(m.group(3))}</a>')
        pos = m.end()
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


CSS = """
body { font-family: '%(font)s', 'NanumGothic', 'Noto Sans CJK KR', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif;
       max-width: 1100px; margin: 2em auto; padding: 0 1.5em; color: #1d2733; line-height: 1.55; }
h1 { font-size: 1.7em; border-bottom: 3px solid #1f4e9c; padding-bottom: .3em; }
h2 { font-size: 1.3em; margin-top: 1.8em; color: #1f4e9c; }
.headline { background: #eef3fb; border: 2px solid #1f4e9c; border-radius: 8px; padding: .8em 1.4em; }
.headline h2 { margin-top: .2em; }
.headline dt { font-weight: 700; margin-top: .5em; }
.headline dd { margin-left: 1.2em; }
.warning { background: #fdecea; border-left: 5px solid #c0392b; padding: .4em .8em; font-weight: 700; }
table { border-collapse: collapse; margin: .6em 0; font-size: .92em; }
th, td { border: 1px solid #c8d3e3; padding: .25em .6em; vertical-align: top; }
th { background: #e3eaf5; }
td.num { text-align: right; white-space: nowrap; }
.caption { color: #4a5868; font-size: .9em; }
figure { margin: 1.4em 0; }
figure img { max-width: 100%%; border: 1px solid #dde4ee; }
figcaption { color: #4a5868; font-size: .9em; }
code { background: #f1f3f6; padding: 0 .2em; }
.small { font-size: .85em; color: #4a5868; }
"""


def _png_data_url(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def to_html(doc: Document, embed_font: bool = True) -> str:
    body = [f"<h1>{_inline(doc.title)}</h1>"]
    for b in doc.blocks:
        if isinstance(b, Heading):
            body.append(f"<h{b.level}>{_inline(b.text)}</h{b.level}>")
        elif isinstance(b, Paragraph):
            cls = f' class="{b.css}"' if b.css else ""
            body.append(f"<p{cls}>{_inline(b.text)}</p>")
        elif isinstance(b, Box):
            parts = [f'<section class="headline"><h2>{_inline(b.title)}</h2>']
            parts += [f'<p class="warning">▲ {_inline(w)}</p>' for w in b.warnings]
            parts.append("<dl>")
            for label, text in b.items:
                parts.append(f"<dt>{_inline(label)}</dt><dd>{_inline(text)}")
                subs = b.sub_items.get(label, [])
                if subs:
                    parts.append("<ul>" + "".join(f"<li>{_inline(s)}</li>" for s in subs) + "</ul>")
                parts.append("</dd>")
            parts.append("</dl></section>")
            body.append("".join(parts))
        elif isinstance(b, Table):
            num = b.numeric or [False] * len(b.headers)
            rows = ["<tr>" + "".join(f"<th>{_inline(h)}</th>" for h in b.headers) + "</tr>"]
            for row in b.rows:
                rows.append("<tr>" + "".join(
                    f'<td class="num">{_inline(c)}</td>' if n else f"<td>{_inline(c)}</td>" for c, n in zip(row, num)
                ) + "</tr>")
            cap = f'<p class="caption">{_inline(b.caption)}</p>' if b.caption else ""
            body.append(f"<table>{''.join(rows)}</table>{cap}")
        elif isinstance(b, Figure):
            body.append(f'<figure><img src="{_png_data_url(b.path)}" alt="{html.escape(b.title)}">'
                        f"<figcaption><strong>{_inline(b.title)}.</strong> {_inline(b.caption)}</figcaption></figure>")
        elif isinstance(b, Bullets):
            body.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in b.items) + "</ul>")
    content = "\n".join(body)
    font_css = font_face_css(_visible_text(doc)) if embed_font else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{doc.lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(doc.title)}</title>\n'
        f"<style>\n{font_css}\n{CSS % {'font': FONT_FAMILY}}</style>\n</head>\n<body>\n{content}\n</body>\n</html>\n"
    )


def _visible_text(doc: Document) -> str:
    """Every character the page shows (for the font subset)."""
    chunks = [doc.title, "▲"]
    for b in doc.blocks:
        if isinstance(b, (Heading, Paragraph)):
            chunks.append(b.text)
        elif isinstance(b, Box):
            chunks += [b.title, *b.warnings, *(l + t for l, t in b.items)]
            chunks += [s for subs in b.sub_items.values() for s in subs]
        elif isinstance(b, Table):
            chunks += b.headers + [c for row in b.rows for c in row] + [b.caption]
        elif isinstance(b, Figure):
            chunks += [b.title, b.caption]
        elif isinstance(b, Bullets):
            chunks += b.items
    return "".join(chunks)
