"""BibTeX and BibLaTeX entries as Zotero (and Better BibTeX) write them, as CSL-JSON items.

Three jobs, each a pure function of the entry's raw fields (pybtex has parsed the file and
expanded ``@string`` macros; :mod:`multilat.bibliography` bounds and locates everything):

- :func:`decode_latex`: LaTeX in a field as plain Unicode (accents, dashes, quotes, escaped
  specials, formatting commands, case-protecting braces), with :mod:`latexcodec`; URL-like
  fields (:data:`VERBATIM`) and the argument of ``\\url{}`` are never decoded.
- :func:`csl_names`: a name list as CSL names: particles (``van``, ``de la``) as the
  non-dropping particle, ``Jr.`` as the suffix, a braced name (``{World Bank}``) kept whole
  as a literal, Better BibLaTeX's ``family=..., given=..., prefix=...`` form read.
- :func:`csl_item`: the entry type and fields mapped to CSL types and variables, the way
  Zotero's own BibTeX exporter and Better BibTeX write each Zotero item type.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

__all__ = ["NOCASE", "VERBATIM", "csl_item", "csl_names", "csl_type", "decode_latex",
           "decode_title", "parse_date", "plain_text"]

#: Fields read as they are written (a ``%`` or ``_`` in a URL stays).
VERBATIM = frozenset({"url", "doi", "eprint", "file", "isbn", "issn", "urldate", "pmid"})

# Placeholders (private use) for characters that must survive brace stripping.
_LBRACE, _RBRACE, _BACKSLASH = "\ue010", "\ue011", "\ue012"
_DOLLAR, _PERCENT = "\ue013", "\ue014"
_ESCAPED = {"$": _DOLLAR, "&": "&", "%": _PERCENT, "#": "#", "_": "_", "{": _LBRACE, "}": _RBRACE}
# Text commands latexcodec leaves alone, by name.
_SYMBOLS = {
    "textquoteright": "\u2019", "textquoteleft": "\u2018", "textquotedblleft": "\u201c",
    "textquotedblright": "\u201d", "textendash": "\u2013", "textemdash": "\u2014",
    "textbraceleft": _LBRACE, "textbraceright": _RBRACE, "textbackslash": _BACKSLASH,
    "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_",
    "textdollar": "$", "textpercent": "%", "textregistered": "\u00ae",
    "texttrademark": "\u2122", "textcopyright": "\u00a9", "textellipsis": "\u2026",
    "ldots": "\u2026", "dots": "\u2026", "textbullet": "\u2022", "textdegree": "\u00b0",
    "textsection": "\u00a7", "i": "\u0131", "j": "\u0237", "slash": "/", "space": " ",
    "quad": " ", "qquad": " ", "nobreakspace": "\u00a0",
}
_URL_COMMAND = re.compile(r"\\url\s*\{([^{}]*)\}")
_HREF_COMMAND = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{")
_ESCAPE = re.compile(r"\\([$&%#_{}])")
# Accent commands latexcodec left (e.g. on a letter it does not know): combining marks.
_ACCENT = re.compile(r"\\(?:([`'^\"~=.])\s*|([uvHckdbr])(?![A-Za-z])\s*)"
                     r"(?:\{\s*(\w)\s*\}|(\w))")
_COMBINING = {"`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304",
              "u": "\u0306", ".": "\u0307", '"': "\u0308", "r": "\u030a", "H": "\u030b",
              "v": "\u030c", "c": "\u0327", "k": "\u0328", "d": "\u0323", "b": "\u0331"}
_MATH = re.compile(r"(?<!\\)\$")
_DOTLESS = re.compile(r"(\\[`'^\"~=.uvHckdbr])\s*(?:\{\\([ij])\}|\\([ij])(?![A-Za-z]))")
_COMMAND = re.compile(r"\\([A-Za-z]+)\s*(\*?)")
_SPACE = re.compile(r"\s+")
# What only latexcodec decodes: commands, ties, math, dashes, TeX quotes.
_NEEDS_CODEC = re.compile(r"[\\~$`]|--|''")
_URLISH = re.compile(r"^(?:https?|ftp)://\S+$", re.IGNORECASE)


# The LaTeX in a field that latexcodec decodes, run by run (latexcodec's lexer costs about
# 20 microseconds a character; plain words between runs need none of it): a command with a
# simple argument, an accent with its letter, TeX ligatures and ties, math.
_RUN = re.compile(r"\\[A-Za-z]+(?:\s*\{[^{}\\]*\})?"
                  r"|\\[^A-Za-z\s](?:\s*\{\s*\\?[A-Za-z]*\s*\}|\s*\\[A-Za-z]+|[A-Za-z])?"
                  r"|---?|``|''|`|~|[?!]`|\$[^$]*\$")


@functools.lru_cache(maxsize=4096)
def _codec(run: str) -> str:
    import latexcodec  # noqa: F401  (registers the "ulatex" codec)

    try:
        return str(codecs.decode(run, "ulatex"))  # type: ignore[call-overload]
    except Exception:  # latexcodec raises assorted errors on malformed LaTeX: keep the text
        return run


def _commands(text: str) -> str:
    """Commands latexcodec did not decode: symbols by name; others dropped, argument kept."""
    def replace(match: re.Match[str]) -> str:
        return _SYMBOLS.get(match.group(1), "")

    return _COMMAND.sub(replace, text)


def decode_latex(text: str) -> str:
    """LaTeX as plain Unicode text, whitespace collapsed.

    ``P\\'al`` -> ``Pál``, ``{\\"u}`` -> ``ü``, ``--``/``---`` -> en/em dash,
    ````` ``x'' ````` -> ``“x”``, ``\\$ \\& \\% \\# \\_`` -> the character, ``\\textit{x}`` and
    other commands -> their argument, ``$x^2$`` -> ``x^2``, ``{Braces}`` protecting case ->
    dropped (escaped braces ``\\{ \\}`` kept). The argument of ``\\url{...}`` is kept as
    written. Text latexcodec cannot decode is kept, less its braces and commands.
    """
    if not _NEEDS_CODEC.search(text):  # most of Zotero's fields: words and braces only
        return _SPACE.sub(" ", text.replace("{", "").replace("}", "")).strip()
    urls: list[str] = []

    def keep_url(match: re.Match[str]) -> str:
        urls.append(match.group(1).strip())
        return f"\ue020{len(urls) - 1}\ue021"

    text = _URL_COMMAND.sub(keep_url, text).replace("\\\\", " ")  # \\: a line break
    text = _HREF_COMMAND.sub("{", text)  # \href{url}{text}: the text
    text = _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], text)
    text = text.replace("%", _PERCENT)  # a bare % is text here, never a comment
    text = _DOTLESS.sub(lambda m: f"{m.group(1)}{{{m.group(2) or m.group(3)}}}", text)
    decoded = _RUN.sub(lambda m: _codec(m.group(0)), text)
    decoded = _ACCENT.sub(lambda m: unicodedata.normalize(
        "NFC", (m.group(3) or m.group(4)) + _COMBINING[m.group(1) or m.group(2)]), decoded)
    decoded = _MATH.sub("", decoded)  # math shifts (after latexcodec read the math)
    decoded = _commands(decoded).replace("{", "").replace("}", "")
    for mark, char in ((_LBRACE, "{"), (_RBRACE, "}"), (_BACKSLASH, "\\"), (_DOLLAR, "$"),
                       (_PERCENT, "%")):
        decoded = decoded.replace(mark, char)
    decoded = re.sub("\ue020([0-9]+)\ue021", lambda m: urls[int(m.group(1))], decoded)
    return _SPACE.sub(" ", decoded).strip()


_AFTER_COMMAND = re.compile(r"\\(?:[A-Za-z]+\s*|[^A-Za-z\s])$")
NOCASE = ('<span class="nocase">', "</span>")
_GROUP_MARKS = re.compile("\ue016([^\ue016\ue017]*)\ue017")


def _segments(text: str) -> list[tuple[str, bool]]:
    """``text`` cut at its top-level brace groups: (piece, is a case-protecting group).

    A group right after a command (``\\emph{x}``, ``\\"{u}``) or starting with one
    (``{\\"u}``: a BibTeX "special character") is not case protection.
    """
    out: list[tuple[str, bool]] = []
    depth, start, plain = 0, 0, 0
    for index, char in enumerate(text):
        if char == "{" and (index == 0 or text[index - 1] != "\\"):
            if depth == 0:
                start = index
            depth += 1
        elif char == "}" and depth and text[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                group = text[start:index + 1]
                if not _AFTER_COMMAND.search(text[plain:start]) and not group.startswith("{\\"):
                    out.append((text[plain:start], False))
                    out.append((group, True))
                    plain = index + 1
    out.append((text[plain:], False))
    return [(piece, protected) for piece, protected in out if piece]


def decode_title(text: str) -> str:
    """:func:`decode_latex`, with case-protected words that a style's title case would change
    (``{de}``, ``{van}``, ``{\\"uber}``) marked ``<span class="nocase">`` (CSL-JSON's mark,
    which citeproc-py reads; :func:`plain_text` drops it)."""
    segments = _segments(text)
    if not any(protected for _, protected in segments):
        return decode_latex(text)
    # one decoding for the whole field, the protected groups between two marks
    marked = "".join(f"\ue016{piece}\ue017" if protected else piece
                     for piece, protected in segments)
    decoded = decode_latex(marked)

    def mark(match: re.Match[str]) -> str:
        inner = match.group(1)
        lower = any(word[:1].islower() for word in inner.split())
        return f"{NOCASE[0]}{inner}{NOCASE[1]}" if lower else inner

    pieces = [_GROUP_MARKS.sub(mark, decoded).replace("\ue016", "").replace("\ue017", "")]
    joined = _SPACE.sub(" ", "".join(pieces)).strip()
    # a mark takes in the characters touching it ("iPod?"): citeproc-py's title case treats
    # a marked run as a word of its own and would print "iPod ?"
    joined = re.sub(f"{re.escape(NOCASE[1])}([^\\s<]+)", lambda m: m.group(1) + NOCASE[1],
                    joined)
    return re.sub(f"([^\\s>]+){re.escape(NOCASE[0])}", lambda m: NOCASE[0] + m.group(1),
                  joined)


def plain_text(text: str) -> str:
    """A field without its nocase marks."""
    return text.replace(NOCASE[0], "").replace(NOCASE[1], "")


_URL_ESCAPE = re.compile(r"\\([%_#&~$])")


def verbatim(text: str) -> str:
    """A URL-like field: outer braces and whitespace dropped, nothing decoded but the
    backslash some exporters put before ``% _ # & ~ $`` (Better BibTeX's "URL-ish" mode
    writes ``Ogden\\%20Richards``; a backslash is never part of a URL)."""
    text = _URL_ESCAPE.sub(r"\1", text.strip())
    match = _URL_COMMAND.fullmatch(text)
    if match:
        return match.group(1).strip()
    while text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    return _SPACE.sub("", text) if _URLISH.match(text.replace(" ", "")) else text


def url_in(text: str) -> str | None:
    """The URL a ``howpublished`` (or ``note``) field consists of, if it is only a URL."""
    candidate = verbatim(text)
    return candidate if _URLISH.match(candidate) else None


# ---- names ---------------------------------------------------------------------------------

def _split_names(raw: str) -> list[str]:
    from pybtex.bibtex.utils import split_name_list

    return [name for name in split_name_list(raw) if name.strip()]


def _braced_whole(name: str) -> bool:
    """``{World Bank}``: one brace group around the whole name (a corporate author)."""
    name = name.strip()
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(name):
        depth += char == "{"
        depth -= char == "}"
        if depth == 0 and index < len(name) - 1:
            return False
    return True


def _name_part(text: str) -> str:
    return decode_latex(text).replace("\u00a0", " ")


_KEYED = re.compile(r"^\s*(family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)


def _keyed_name(name: str) -> dict[str, str] | None:
    """Better BibLaTeX's extended name format: ``family=Oord, given=Aaron, prefix=van den``."""
    from pybtex.bibtex.utils import split_tex_string

    parts = split_tex_string(name, sep=",")
    if not parts or not all(_KEYED.match(part) for part in parts):
        return None
    out: dict[str, str] = {}
    for part in parts:
        key, _, value = part.partition("=")
        key = key.strip().lower()
        if key == "useprefix":
            continue
        target = {"family": "family", "given": "given", "prefix": "non-dropping-particle",
                  "suffix": "suffix"}[key]
        value = _name_part(value)
        if value:
            out[target] = value
    return out if out.get("family") or out.get("given") else None


def csl_names(raw: str) -> list[dict[str, str]]:
    """A BibTeX name list (``A and B and {C Inc.}``) as CSL-JSON names."""
    from pybtex.database import Person

    names: list[dict[str, str]] = []
    for name in _split_names(raw):
        if _braced_whole(name):
            literal = _name_part(name)
            if literal:
                names.append({"literal": literal})
            continue
        keyed = _keyed_name(name)
        if keyed:
            names.append(keyed)
            continue
        try:
            person = Person(name)
        except Exception:  # pybtex refuses e.g. too many commas: keep the text
            literal = _name_part(name)
            if literal:
                names.append({"literal": literal})
            continue
        family = _name_part(" ".join(person.last_names))
        given = _name_part(" ".join(person.first_names + person.middle_names))
        particle = _name_part(" ".join(person.prelast_names))
        suffix = _name_part(" ".join(person.lineage_names))
        if not family:
            literal = _name_part(name)
            if literal:
                names.append({"literal": literal})
            continue
        out = {"family": family}
        if given:
            out["given"] = given
        if particle:
            out["non-dropping-particle"] = particle
        if suffix:
            out["suffix"] = suffix
        if set(out) == {"family"} and _braced_whole(" ".join(person.last_names)):
            out = {"literal": family}
        names.append(out)
    return names


# ---- dates ---------------------------------------------------------------------------------

_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january", "janvier"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_ISO = re.compile(r"([0-9]{1,4})(?:-([0-9]{1,2}))?(?:-([0-9]{1,2}))?(?:[T ][0-9:.+\-Z]*)?")


def month_number(text: str) -> int | None:
    """A BibTeX month (``jan``, ``January``, ``1``) as 1-12, or None."""
    text = decode_latex(text).strip().rstrip(".").lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTHS.get(text)


def parse_date(text: str) -> list[int] | None:
    """An ISO date as BibLaTeX writes it (``2014-07-04``, ``2016-09-19T20:26``, the start of a
    range ``2010/2012``) as CSL date parts [year, month, day], or None for other text."""
    text = text.strip().split("/")[0].strip()
    match = _ISO.fullmatch(text)
    if not match:
        return None
    parts = [int(match.group(1))]
    for group in (2, 3):
        if match.group(group) is None:
            break
        value = int(match.group(group))
        if not (1 <= value <= (12 if group == 2 else 31)):
            break
        parts.append(value)
    return parts


# ---- types and fields ----------------------------------------------------------------------

_TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "booklet": "pamphlet",
    "collection": "book", "mvcollection": "book", "proceedings": "book",
    "mvproceedings": "book", "reference": "book", "periodical": "periodical",
    "incollection": "chapter", "inbook": "chapter", "bookinbook": "chapter",
    "suppbook": "chapter", "suppcollection": "chapter", "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report", "manual": "report",
    "online": "webpage", "www": "webpage", "electronic": "webpage", "webpage": "webpage",
    "misc": "document", "unpublished": "manuscript", "patent": "patent",
    "legislation": "legislation", "legal": "legal_case", "jurisdiction": "legal_case",
    "newsarticle": "article-newspaper", "dataset": "dataset", "software": "software",
    "standard": "standard", "letter": "personal_communication", "movie": "motion_picture",
    "video": "motion_picture", "audio": "song", "music": "song", "artwork": "graphic",
    "image": "graphic", "interview": "interview", "map": "map", "review": "review",
    "performance": "performance", "presentation": "speech", "talk": "speech",
}
_SUBTYPES = {"newspaper": "article-newspaper", "magazine": "article-magazine"}
# BibLaTeX's keys for thesis and report types, as words a reader understands.
_GENRES = {"phdthesis": "PhD thesis", "mathesis": "Master's thesis",
           "mastersthesis": "Master's thesis", "candthesis": "Candidate thesis",
           "techreport": "Technical report", "resreport": "Research report",
           "software": "Software", "datacd": "Data CD", "audiocd": "Audio CD"}
# field -> CSL variable, for every type (first field present wins).
_TEXT_FIELDS = {
    "title": "title", "shorttitle": "title-short", "publisher": "publisher",
    "address": "publisher-place", "location": "publisher-place", "volume": "volume",
    "issue": "issue", "pages": "page", "edition": "edition", "note": "note",
    "series": "collection-title", "chapter": "chapter-number", "eventtitle": "event",
    "venue": "event-place", "version": "version",
}
# BibLaTeX language names (langid, language) as the BCP 47 tags CSL expects; styles title-case
# English titles only, so "american" must read as English and "brazilian" must not.
_LANGUAGES = {
    "english": "en", "american": "en-US", "usenglish": "en-US", "british": "en-GB",
    "ukenglish": "en-GB", "australian": "en-AU", "canadian": "en-CA", "newzealand": "en-NZ",
    "german": "de", "ngerman": "de", "austrian": "de-AT", "naustrian": "de-AT",
    "swissgerman": "de-CH", "nswissgerman": "de-CH", "french": "fr", "spanish": "es",
    "italian": "it", "portuguese": "pt", "portuges": "pt", "brazilian": "pt-BR",
    "brazil": "pt-BR", "dutch": "nl", "russian": "ru", "polish": "pl", "czech": "cs",
    "swedish": "sv", "norwegian": "nb", "norsk": "nb", "nynorsk": "nn", "danish": "da",
    "finnish": "fi", "greek": "el", "turkish": "tr", "japanese": "ja", "chinese": "zh",
    "korean": "ko", "arabic": "ar", "hebrew": "he", "ukrainian": "uk", "hungarian": "hu",
    "romanian": "ro", "catalan": "ca", "croatian": "hr", "serbian": "sr", "slovak": "sk",
    "slovene": "sl", "bulgarian": "bg", "estonian": "et", "latvian": "lv",
    "lithuanian": "lt", "latin": "la", "kazakh": "kk", "belarusian": "be",
}
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def _language(text: str) -> str | None:
    """A language name or tag (``american``, ``en-US``, ``pt-BR``) as a BCP 47 tag."""
    text = decode_latex(text).strip()
    key = text.lower().replace(" ", "")
    if key in _LANGUAGES:
        return _LANGUAGES[key]
    return text if _TAG.fullmatch(text) else None
_CONTAINERS = ("journaltitle", "journal", "booktitle", "maintitle")
# Variables styles may re-case (title case): their protected lower-case words are marked.
_TITLES = frozenset({"title", "title-short", "collection-title", "event"})


def csl_type(entry_type: str, fields: Mapping[str, str]) -> str:
    """The CSL type of a BibTeX/BibLaTeX entry, as Zotero and Better BibTeX write them.

    ``@article`` with ``entrysubtype = {newspaper|magazine}`` (Better BibLaTeX) is a
    newspaper or magazine article; Zotero's own exporter writes those as plain ``@article``
    with the paper's name in ``journal``: an ``@article`` without volume, number, issue,
    pages or e-print number is read as a magazine article (a periodical article dated, not
    numbered), one with any of them as a journal article. ``@misc`` with a URL (``url``, or
    ``howpublished = {\\url{...}}``) is a web page (Zotero writes web pages as ``@misc``).
    No BibTeX type becomes CSL ``article`` (which styles print as a preprint) unless the
    entry names an e-print archive.
    """
    kind = entry_type.lower()
    subtype = decode_latex(fields.get("entrysubtype", "")).lower()
    if kind == "article" and subtype in _SUBTYPES:
        return _SUBTYPES[subtype]
    if kind == "article" and not any(str(fields.get(name, "")).strip() for name in (
            "volume", "number", "issue", "pages", "eprint")):
        # Zotero's exporter writes newspaper and magazine articles as plain @article; a
        # journal article has a volume, issue or pages. Styles label an article-journal
        # without them "[Preprint]" (Harvard) or "ahead of print" (Chicago).
        return "article-magazine"
    if kind == "misc" and (fields.get("url") or url_in(fields.get("howpublished", ""))):
        return "webpage"
    if kind in ("online", "misc", "unpublished") and fields.get("eprint") and (
            fields.get("eprinttype") or fields.get("archiveprefix")):
        return "article"  # an arXiv (etc.) e-print: a preprint
    return _TYPES.get(kind, "document")


def _genre(entry_type: str, fields: Mapping[str, str]) -> str | None:
    kind = entry_type.lower()
    raw = fields.get("type", "")
    if raw.strip():
        text = decode_latex(raw)
        return _GENRES.get(text.lower().replace(" ", ""), text)
    return {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}.get(kind)


def csl_item(key: str, entry_type: str, fields: Mapping[str, str]) -> dict[str, Any]:
    """A CSL-JSON item from an entry's raw fields (names and dates excluded: see
    :func:`csl_names`, :func:`parse_date`; :mod:`multilat.bibliography` adds them)."""
    lower = {name.lower(): value for name, value in fields.items()}
    kind = csl_type(entry_type, lower)
    item: dict[str, Any] = {"id": key, "type": kind}
    for name, target in _TEXT_FIELDS.items():
        value = lower.get(name, "")
        if value.strip() and target not in item:
            text = decode_title(value) if target in _TITLES else decode_latex(value)
            if name == "pages":
                text = re.sub("\\s*[\u2013\u2014-]+\\s*", "-", text)
            if text:
                item[target] = text
    for name in _CONTAINERS:
        value = lower.get(name, "")
        if value.strip():
            item["container-title"] = decode_title(value)
            break
    number = decode_latex(lower.get("number", ""))
    if number:
        item["issue" if kind.startswith("article") and "issue" not in item else "number"] = (
            number)
    for name in ("institution", "school", "organization"):
        value = decode_latex(lower.get(name, ""))
        if not value:
            continue
        if kind == "webpage" and name == "organization" and "container-title" not in item:
            item["container-title"] = value
        elif "publisher" not in item:
            item["publisher"] = value
    for name in ("langid", "language"):
        language = _language(lower.get(name, ""))
        if language:
            item["language"] = language
            break
    genre = _genre(entry_type, lower)
    if genre and kind in ("thesis", "report", "document", "webpage", "manuscript", "speech",
                          "dataset", "software", "standard", "patent", "motion_picture"):
        item["genre"] = genre
    for name, target in (("doi", "DOI"), ("url", "URL"), ("isbn", "ISBN"), ("issn", "ISSN")):
        value = lower.get(name, "")
        if value.strip():
            item[target] = verbatim(value)
    howpublished = lower.get("howpublished", "")
    if howpublished.strip():
        url = url_in(howpublished)
        if url:
            item.setdefault("URL", url)
        elif "publisher" not in item:
            item["publisher"] = decode_latex(howpublished)
        else:
            item.setdefault("medium", decode_latex(howpublished))
    if kind == "article" and lower.get("eprint", "").strip():
        archive = decode_latex(lower.get("archiveprefix") or lower.get("eprinttype") or "")
        item["number"] = verbatim(lower["eprint"])
        if archive:
            item["publisher"] = {"arxiv": "arXiv"}.get(archive.lower(), archive)
    accessed = parse_date(verbatim(lower.get("urldate", "")))
    if accessed:
        item["accessed"] = {"date-parts": [accessed]}
    return item
