"""Format a bibliography in a CSL style (Harvard author-date by default) with citeproc-py.

Text from bibliographies is untrusted: citeproc-py does not escape it, so formatting runs with
a formatter that marks emphasis with private-use characters; the plain result is escaped for
the target format (HTML, Markdown, LaTeX) and only then are the marks turned into markup. URLs
become links only when their scheme is http or https.
"""

from __future__ import annotations

import html
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .._deps import require
from ..errors import InputError
from ._csl import load_style
from .styles import find_style

__all__ = ["FormattedReference", "escape_latex", "escape_markdown", "format_references",
           "resolve_style"]

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
    """Escape Markdown's inline markup and raw HTML characters.

    ``&``, ``<`` and ``>`` become entities (no raw HTML survives); ``\\ ` * _ [ ] | ~`` are
    backslash-escaped. Line breaks are kept (the ``md`` template filter turns them into
    spaces, so a field never starts a new block).
    """
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", text)


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
                # brackets in braces: a cell or item starting with "[" is no optional argument
                "[": "{[}", "]": "{]}", "|": r"\textbar{}", '"': "''"}
# Non-ASCII characters pdflatex typesets in its default OT1 encoding, without packages.
_TEX_UNICODE = {
    "\u00a0": "~", "ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}", "ø": r"\o{}", "Ø": r"\O{}",
    "œ": r"\oe{}", "Œ": r"\OE{}", "å": r"\aa{}", "Å": r"\AA{}", "ł": r"\l{}", "Ł": r"\L{}",
    "ı": r"\i{}", "ȷ": r"\j{}", "¡": "!`", "¿": "?`", "§": r"\S{}", "¶": r"\P{}",
    "©": r"\copyright{}", "£": r"\pounds{}", "†": r"\dag{}", "‡": r"\ddag{}",
    "–": "--", "—": "---", "‘": "`", "’": "'", "‚": ",", "“": "``", "”": "''", "„": ",,",
    "…": r"\ldots{}", "•": r"\textbullet{}", "·": r"\textperiodcentered{}",
    "×": r"$\times$", "÷": r"$\div$", "±": r"$\pm$", "°": r"$^\circ$", "−": "-",
    "«": r"\textless{}\textless{}", "»": r"\textgreater{}\textgreater{}",
    "‹": r"\textless{}", "›": r"\textgreater{}",
}
# Combining accents -> LaTeX accent commands (OT1-safe): é is e + U+0301 -> \'{e}.
_TEX_ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=",
                "\u0306": "u", "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H",
                "\u030c": "v", "\u0327": "c", "\u0323": "d", "\u0331": "b"}
_SPACES = re.compile(r"\s+")


def _tex_char(char: str) -> str:
    if char in _TEX_UNICODE:
        return _TEX_UNICODE[char]
    base, *marks = unicodedata.normalize("NFD", char)
    if base.isascii() and base.isalpha() and marks and all(m in _TEX_ACCENTS for m in marks):
        out = "\\i" if base == "i" else ("\\j" if base == "j" else base)
        for mark in marks:
            out = f"\\{_TEX_ACCENTS[mark]}{{{out}}}"
        return out
    if unicodedata.category(char)[0] == "C":  # control, format, private use, unassigned
        return ""
    return f"{{[U+{ord(char):04X}]}}"


def escape_latex(text: str) -> str:
    """Escape text for pdflatex: safe in any context, including a ``%`` comment line.

    LaTeX's special characters are escaped (brackets braced, so no text becomes an optional
    argument); every run of whitespace, line breaks and blank lines included, becomes one
    space (no text can end a comment or a paragraph); accented Latin letters become accent
    commands (``é`` -> ``\\'{e}``) and a few others LaTeX's own commands (``ß``, ``ø``,
    dashes, quotes); control and private-use characters are dropped; every other character
    pdflatex cannot typeset without extra packages (emoji, CJK, Cyrillic...) becomes the
    visible placeholder ``[U+1F600]``. For such text compile the Markdown or HTML report.
    """
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text))
    return "".join(_TEX_SPECIAL.get(char, char) if char.isascii() and char.isprintable()
                   else _tex_char(char) if not char.isascii() else ""
                   for char in text)


_DOUBLED = re.compile("([?!.])((?:\ue001)*)\\.(?!\\.)")


def _tidy(marked: str) -> str:
    """Punctuation citeproc-py doubles where a field ends with it (``iPod?.``, ``2003..``),
    collapsed as CSL processors do; URLs are left as they are."""
    out, position = [], 0
    for match in _URL.finditer(marked):
        out.append(_DOUBLED.sub(r"\1\2", marked[position:match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_DOUBLED.sub(r"\1\2", marked[position:]))
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
    """The CSL file citeproc-py loads for ``style`` (a dependent style: its parent's file).

    Raises
    ------
    InputError
        When ``style`` is neither an existing ``.csl`` file nor a known style name (the
        message names the closest known names).
    """
    require("citeproc", "report", "Writing a report")
    return find_style(style).path


# Rich-text markup CSL-JSON allows in fields (Zotero writes it): kept as plain text, except
# <span class="nocase">, which citeproc-py reads itself (text a style must not re-case).
_NOCASE_OPEN = '<span class="nocase">'


def _strip_markup(text: str) -> str:
    """CSL-JSON rich text as citeproc-py reads it: only the nocase spans kept."""
    if "<" not in text:
        return text
    out, depth, position = [], [], 0
    for match in re.finditer(r"<(/?)(i|b|sup|sub|sc|span)(\s[^<>]*)?>", text, re.IGNORECASE):
        out.append(text[position:match.start()])
        closing, tag, attributes = match.group(1), match.group(2).lower(), match.group(3) or ""
        if not closing:
            nocase = tag == "span" and "nocase" in attributes
            depth.append(nocase)
            if nocase:
                out.append(_NOCASE_OPEN)
        elif depth and depth.pop():
            out.append("</span>")
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def _clean_item(item: Mapping[str, Any], variables: Iterable[str], new_id: str) -> dict[str, Any]:
    known = set(variables)
    out = {"id": new_id, "type": item.get("type", "document")}
    for key, value in item.items():
        if key not in ("id", "type") and key.replace("-", "_") in known:
            out[key] = value
    for key, value in out.items():
        if isinstance(value, str) and key not in ("id", "type", "URL", "DOI"):
            out[key] = _strip_markup(value)
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
        A CSL file or style name (see :func:`multilat.report.styles.find_style`); default
        Harvard author-date.

    Returns
    -------
    list of FormattedReference
        Sorted by the plain text of the reference, then by key; for a numeric style
        (``ieee``), in the style's order.

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
    )
    from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped]

    found = find_style(style)
    path = found.path
    keys = sorted(items)
    marked: dict[str, str] = {}
    cached = _cached_bibliography(path, found.locale, found.numeric,
                                  [(k, items[k]) for k in keys]) if keys else None
    if cached is not None:
        marked = cached
    elif keys:
        local = {key: f"r{index:05d}" for index, key in enumerate(keys)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                csl = load_style(path, found.locale)
                source = CiteProcJSON([_clean_item(items[k], VARIABLES, local[k]) for k in keys])
                bibliography = CitationStylesBibliography(csl, source, _FORMATTER)
                for key in keys:
                    bibliography.register(Citation([CitationItem(local[key])]))
                if found.numeric:
                    bibliography.sort()
                rendered = [str(entry) for entry in bibliography.bibliography()]
            except Exception as error:  # citeproc-py raises plain errors for bad styles
                raise InputError(f"citation style {path}: could not format the bibliography "
                                 f"({type(error).__name__}: {error}); expected a valid CSL "
                                 "style") from None
        back = {value: key for key, value in local.items()}
        for local_key, text in zip(bibliography.keys, rendered, strict=True):
            marked[back[local_key]] = _tidy(text)
        _cache_bibliography(path, found.locale, found.numeric,
                            [(k, items[k]) for k in keys], marked)
    for key, text in (preformatted or {}).items():
        marked.setdefault(key, " ".join(text.split()))
    out = []
    for key, text in marked.items():
        out.append(FormattedReference(
            key=key, anchor=anchor_for(key), text=_plain(text),
            html=_linkify(_render(text, lambda t: html.escape(t, quote=True), _TAGS)),
            markdown=" ".join(_render(text, escape_markdown, _MD).split()),
            latex=_render(text, escape_latex, _TEX)))
    if found.numeric:  # numbered entries keep the style's order (their numbers)
        return out
    return sorted(out, key=lambda r: (r.text.casefold(), r.key))


#: Bump when what a bibliography is formatted into changes: cached texts are not reused.
_FORMAT_VERSION = "1"


def _bibliography_key(path: Path, locale: Any, numeric: bool,
                      entries: list[tuple[str, Mapping[str, Any]]]) -> str | None:
    """The on-disk cache key of a formatted bibliography: the style file's bytes, its
    locale, citeproc-py's version and every entry (key and CSL item), or None."""
    from .. import _cache

    try:
        style = Path(path).read_bytes()
        import citeproc  # type: ignore[import-untyped]
    except (OSError, ImportError):
        return None
    version = str(getattr(citeproc, "__version__", ""))
    return _cache.cache_key("csl-bibliography", _FORMAT_VERSION, version, style, repr(locale),
                            repr(numeric), repr([(k, _plain_item(v)) for k, v in entries]))


def _plain_item(value: Any) -> Any:
    """A CSL item as plain dicts and lists (mapping proxies unwrapped), for its key."""
    if isinstance(value, Mapping):
        return {k: _plain_item(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_item(v) for v in value]
    return value


def _cached_bibliography(path: Path, locale: Any, numeric: bool,
                         entries: list[tuple[str, Mapping[str, Any]]]) -> dict[str, str] | None:
    """The entries' texts as formatted before with the same style and items (in the
    style's order), or None. A report re-built after a change elsewhere in the case, or of
    another issue area, does not format its bibliography again."""
    import marshal

    from .. import _cache

    key = _bibliography_key(path, locale, numeric, entries)
    body = None if key is None else _cache.read("csl-bibliography", key)
    if body is None:
        return None
    try:
        pairs = marshal.loads(body)
        texts = {str(k): str(v) for k, v in pairs}
    except (EOFError, ValueError, TypeError):
        return None
    return texts if sorted(texts) == sorted(k for k, _ in entries) else None


def _cache_bibliography(path: Path, locale: Any, numeric: bool,
                        entries: list[tuple[str, Mapping[str, Any]]],
                        marked: Mapping[str, str]) -> None:
    import marshal

    from .. import _cache

    key = _bibliography_key(path, locale, numeric, entries)
    if key is not None:
        _cache.write("csl-bibliography", key, marshal.dumps(list(marked.items())))
