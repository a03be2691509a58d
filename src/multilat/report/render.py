"""Jinja2 rendering: HTML with autoescaping on, Markdown and LaTeX with escaping filters."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._deps import require
from .citations import escape_latex, escape_markdown

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .content import MatrixRow

__all__ = ["escape", "inline_svg", "links", "matrix_rows", "render"]

_TEMPLATES = Path(__file__).with_name("templates")


_CODE = re.compile(r"[A-Za-z0-9_.:/+#-]*")


def _markdown(text: object) -> str:
    """Escaped Markdown on one line: line breaks become spaces (no field starts a block)."""
    return " ".join(escape_markdown(str(text)).split())


def _markdown_code(text: object) -> str:
    """An id as a code span when it is plain (letters, digits, ``_.:/+#-``), else escaped text.

    Nothing inside a code span can be escaped, so other text never goes into one.
    """
    text = str(text)
    return f"`{text}`" if text and _CODE.fullmatch(text) else _markdown(text)


@lru_cache(maxsize=1)
def _environment() -> Any:
    jinja2 = require("jinja2", "report", "Writing a report")
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md"] = _markdown
    environment.filters["mdcode"] = _markdown_code
    environment.filters["tex"] = lambda text: escape_latex(str(text))
    return environment


def render(template: str, context: dict[str, Any]) -> str:
    """Render ``templates/<template>`` with ``context``."""
    return str(_environment().get_template(template).render(**context))


def inline_svg(svg: bytes, prefix: str) -> Any:
    """A matplotlib SVG as markup to inline in HTML, its ids prefixed to stay unique.

    The SVG is multilat's own output (matplotlib escapes any text it draws); the XML prolog and
    comments are dropped.
    """
    markup = require("markupsafe", "report", "Writing a report")
    text = svg.decode("utf-8")
    text = text[text.index("<svg"):]
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    text = re.sub(r"url\(#", f"url(#{prefix}", text)
    text = re.sub(r'href="#', f'href="#{prefix}', text)
    text = re.sub(r"\n\s*\n", "\n", text)
    return markup.Markup(text)


def escape(text: str) -> str:
    """``text`` escaped for HTML exactly as the templates' autoescaping does (markupsafe:
    ``& < > ' "``), without making a ``Markup`` object of it."""
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def links(pairs: Iterable[tuple[str, str]]) -> Any:
    """``(item id, anchor)`` pairs as comma-separated links, as markup."""
    markup = require("markupsafe", "report", "Writing a report")
    return markup.Markup(", ".join(f'<a href="#{escape(anchor)}">{escape(name)}</a>'
                                   for name, anchor in pairs))


def matrix_rows(rows: Sequence[MatrixRow], columns: int) -> Any:
    """The evidence matrix's body, two table rows per item (the item, then its summary and
    rationale), as markup.

    A report's one part as long as its evidence: written here, with every text escaped as
    the template would escape it, because the template engine's escaping of each of some
    twenty fields per item cost more than the rest of the report.
    """
    markup = require("markupsafe", "report", "Writing a report")
    span = columns + 4
    cells: dict[tuple[str, str], str] = {}
    out = []
    for row in rows:
        shown = []
        for cell in row.cells:
            key = (cell.css, cell.text)
            text = cells.get(key)
            if text is None:
                text = cells[key] = f'<td class="{escape(cell.css)}">{escape(cell.text)}</td>'
            shown.append(text)
        out.append(
            f'<tr id="{escape(row.anchor)}" class="item"><th scope="row" class="id"><code>'
            f'{escape(row.id)}</code></th><td class="years">{escape(row.years)}</td>'
            f'<td class="side">{escape(row.side)}</td><td class="test">{escape(row.test)}</td>'
            f'{"".join(shown)}<td class="source"><a href="#{escape(row.citation.anchor)}">'
            f'{escape(row.citation.label)}</a></td></tr>\n'
            f'<tr class="detail"><td></td><td colspan="{span}">{escape(row.summary)} '
            f'<span class="rationale">Why this weight: {escape(row.rationale)}</span>'
            '</td></tr>\n')
    return markup.Markup("".join(out))
