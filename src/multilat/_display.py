"""Short text and compact HTML for results shown in a notebook (``repr`` and ``_repr_html_``).

The key finding first, a small table after it, every text escaped; a full document is one
call away (``to_dict()``, ``to_frame()``, ``multilat report``).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["html_table", "short"]

#: The longest repr: enough for the key finding, short enough for a notebook cell.
MAX_REPR = 1_500


def short(text: str, limit: int = MAX_REPR) -> str:
    """``text`` cut to ``limit`` characters, saying so."""
    return text if len(text) <= limit else text[:limit - 20].rstrip() + " ... (shortened)"


def html_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]],
               notes: Sequence[str] = ()) -> str:
    """A small HTML table (every cell escaped) with a bold title and notes under it."""
    from html import escape

    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    extra = "".join(f"<p>{escape(n)}</p>" for n in notes)
    return (f"<div><p><b>{escape(title)}</b></p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>{extra}</div>")
