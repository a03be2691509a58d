"""Load a CSL style for citeproc-py, with four of its elements behaving as CSL 1.0.2 says.

citeproc-py (0.11) departs from the CSL specification in ways a bibliography shows at once:

- ``cs:name``: a hyphenated given name with a lower-case second part (``Chien-peng``) is
  initialised ``C.-. peng .``; and ``initialize="false"`` (Chicago's bibliography: full given
  names) is ignored, so every name is initialised;
- ``cs:substitute``: a variable substituted for a missing author through a macro (the usual
  case: APA, Chicago, Harvard substitute ``<text macro="title"/>``) is printed again later,
  so an item without author shows its title twice; and of a ``cs:choose`` in it, every name
  variable of the matching branch was printed, not the first that has names;
- ``cs:label``: printed even when its variable is empty (``Edition`` after a newspaper
  article without edition), never title-cased (APA's ``(eds.)`` for ``(Eds.)``); and
  ``cs:group``: printed when the variables it calls are all empty but a ``cs:choose`` in it
  rendered a term (APA's ``(Publication)`` after a thesis);
- ``cs:names``: names substituted for the author printed again (a book's editors), and its
  own ``delimiter`` between variables ignored (``eds.Danker, Frederick W., trans.``);
- ``cs:layout`` with ``second-field-align`` (IEEE): ``[1]A. Boas``, no space after the number.

The style is parsed here with its own lxml class lookup, in which those tags (and ``cs:text``,
``cs:date``, ``cs:number``, which report what they rendered) are subclasses of
citeproc-py's classes; citeproc-py itself is not modified, other styles loaded elsewhere are
unaffected.
"""

from __future__ import annotations

import functools
from typing import Any

from .._deps import require

__all__ = ["load_style"]

#: Keep each style element's answer to each XPath query (see :func:`load_style`); false only
#: to compare with citeproc-py's own lookups.
MEMOISE = True

_NS = "http://purl.org/net/xbiblio/csl"
_SUBSTITUTE_TAG = f"{{{_NS}}}substitute"
# Key, in citeproc-py's per-item dict of repressed variables, of [variables called, variables
# rendered non-empty] so far for the item: a cs:group compares them before and after.
_TALLY = "multilat:tally"
# Key, in citeproc-py's per-item dict of repressed variables, of the (tag, variable) pairs
# rendered so far inside the substitution being tried, or absent outside a substitution.
_COLLECT = "multilat:substituted"


# Key of the cs:choose being tried as a substitute: of its matching branch's children only the
# first that renders counts (CSL), as if each were a child of cs:substitute.
_CHOOSE = "multilat:substitute-choose"


def _substituted_already(element: Any, context: Any) -> bool:
    """Whether ``element``, a child of the branch of a substitute's cs:choose, comes after a
    sibling that rendered (it must then stay silent)."""
    repressed = _repressed(element, context)
    if repressed is None or repressed.get(_CHOOSE) is None:
        return False
    branch = element.getparent()
    return bool(branch is not None and branch.getparent() is repressed[_CHOOSE]
                and repressed.get(_COLLECT))


def _repressed(element: Any, context: Any) -> dict[str, Any] | None:
    """citeproc-py's per-item dict for the layout being rendered (None while sorting)."""
    try:
        layout = (context if context is not None else element).get_layout()
        repressed: dict[str, Any] = layout.repressed
    except (IndexError, AttributeError):
        return None
    return repressed


def _tally(element: Any, context: Any, text: Any) -> Any:
    repressed = _repressed(element, context)
    if repressed is not None:
        tally = repressed.setdefault(_TALLY, [0, 0])
        tally[0] += 1
        tally[1] += bool(text)
    return text


def _initials(given: str, mark: str, hyphen: bool) -> str:
    """``given`` initialised: every word to its first letter + ``mark``.

    Parts after a hyphen are initialised too, keeping their case (``Chien-peng`` ->
    ``C.-p.``, ``Jean-Paul`` -> ``J.-P.``; without ``initialize-with-hyphen`` the hyphen
    becomes a space). A whole lower-case word not after a hyphen (a particle such as ``de``)
    is kept as it is.
    """
    out: list[str] = []
    for part in (given.split("-") if hyphen else [given.replace("-", " ")]):
        words = part.replace(".", ". ").split()
        rendered: list[str] = []
        for word in words:
            if word[0].isalpha() and (word[0].isupper() or out):
                rendered.append(word[0] + mark)
            elif word[0].isalpha():
                rendered.append(word + " ")
        out.append("".join(rendered).strip())
    return "-".join(piece for piece in out if piece)


@functools.cache
def _classes() -> dict[str, type]:
    model = require("citeproc", "report", "Writing a report").model

    class _Name(model.Name):  # type: ignore[misc, name-defined]
        def initialize(self, given: str, mark: str, context: Any) -> str:
            if self._option("initialize", context, "true") == "false":
                return given  # CSL: names are not initialised (existing initials stay)
            hyphen = self.get_option("initialize-with-hyphen", context)
            return _initials(given, mark, bool(hyphen))

        def _option(self, name: str, context: Any, default: str) -> str:
            if self.get(name) is not None:
                return str(self.get(name))
            node = context if context is not None else self
            for expression in ("./ancestor::cs:names[1]",
                               "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"):
                found = node.xpath_search(expression)
                if found and found[0].get(name) is not None:
                    return str(found[0].get(name))
            root = self.get_root().get(name)
            return default if root is None else str(root)

    class _Label(model.Label):  # type: ignore[misc, name-defined]
        def process(self, item: Any, variable: Any = None, plural: Any = None,
                    context: Any = None, **kwargs: Any) -> Any:
            name = variable or self.get("variable")
            if name and name != "locator" and name.replace("-", "_") not in item.reference:
                return None  # CSL: a label is rendered only when its variable is non-empty
            return super().process(item, variable=variable, plural=plural, context=context,
                                   **kwargs)

        def case(self, text: Any, language: Any = None) -> Any:
            # citeproc-py calls a label's case without a language, and title case is applied
            # to English only: APA's "(Eds.)" came out "(eds.)". The style's language it is.
            locale = str(self.get_root().get("default-locale") or "en")
            return super().case(text, language or locale[:2])

    class _Text(model.Text):  # type: ignore[misc, name-defined]
        def render(self, *args: Any, **kwargs: Any) -> Any:
            if _substituted_already(self, kwargs.get("context")):
                return None
            return super().render(*args, **kwargs)

        def _variable(self, item: Any, context: Any) -> Any:
            try:
                text = super()._variable(item, context)
            except model.VariableError:
                _tally(self, context, None)
                raise
            _tally(self, context, text)
            repressed = _repressed(self, context)
            collected = repressed.get(_COLLECT) if repressed is not None else None
            if text is not None and collected is not None:
                collected.append((self.tag, self.get("variable")))
            return text

    def counted(base: type) -> type:
        """``base`` whose rendering counts as a variable called (and rendered if non-empty)."""
        class _Counted(base):  # type: ignore[misc]
            def render(self, *args: Any, **kwargs: Any) -> Any:
                try:
                    text = super().render(*args, **kwargs)
                except model.VariableError:
                    _tally(self, kwargs.get("context"), None)
                    raise
                return _tally(self, kwargs.get("context"), text)

        _Counted.__name__ = base.__name__
        return _Counted

    class _Names(model.Names):  # type: ignore[misc, name-defined]
        def process(self, item: Any, names_context: Any = None, context: Any = None,
                    **kwargs: Any) -> Any:
            # CSL: names substituted for the author are not printed again (citeproc-py
            # records them but only cs:text looks; APA printed a book's editors twice).
            if _substituted_already(self, context):
                raise model.VariableError
            repressed = _repressed(self, context)
            if repressed is not None and self.getparent().tag != _SUBSTITUTE_TAG:
                done = {name for entry in repressed.get(self.tag, []) if entry
                        for name in entry.split()}
                asked = (self.get("variable") or "").split()
                left = [name for name in asked if name not in done]
                if not left:
                    raise model.VariableError
                if left != asked:  # render the others only (the attribute is put back)
                    self.set("variable", " ".join(left))
                    try:
                        return self._noted(item, names_context, context, kwargs)
                    finally:
                        self.set("variable", " ".join(asked))
            return self._noted(item, names_context, context, kwargs)

        def get_parent_delimiter(self, context: Any = None) -> Any:
            # CSL: a cs:names' own delimiter separates its variables (editors. translator);
            # citeproc-py took only the inherited names-delimiter, often none.
            own = self.get("delimiter")
            return own if own is not None else super().get_parent_delimiter(context)

        def _noted(self, item: Any, names_context: Any, context: Any,
                   kwargs: dict[str, Any]) -> Any:
            text = super().process(item, names_context=names_context, context=context,
                                   **kwargs)
            repressed = _repressed(self, context)
            collected = repressed.get(_COLLECT) if repressed is not None else None
            if text and collected is not None:
                collected.append((self.tag, self.get("variable")))
            return text

    class _Group(model.Group):  # type: ignore[misc, name-defined]
        def process(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
            # CSL: a group is suppressed when it calls variables and all of them are empty.
            # citeproc-py judges from the elements alone (a cs:choose that could call one
            # counts as having rendered one), so "(Publication)" was printed without number.
            repressed = _repressed(self, context)
            before = list(repressed.get(_TALLY, [0, 0])) if repressed is not None else None
            text = super().process(item, context=context, **kwargs)
            if before is not None and repressed is not None:
                called, rendered = repressed.get(_TALLY, [0, 0])
                if called > before[0] and rendered == before[1]:
                    raise model.VariableError
            return text

    class _Substitute(model.Substitute):  # type: ignore[misc, name-defined]
        def render(self, item: Any, context: Any = None, **kwargs: Any) -> Any:
            # Each child is tried with a fresh list of the variables it renders; those of the
            # child that rendered are then suppressed for the rest of the item (CSL 1.0.2).
            repressed = context.get_layout().repressed
            outer = repressed.get(_COLLECT)
            text = None
            for child in self.getchildren():
                repressed[_COLLECT] = []
                repressed[_CHOOSE] = child if isinstance(child, model.Choose) else None
                try:
                    if (isinstance(child, model.Names) and child.name is None) or isinstance(
                            child, model.Choose):  # names in a choose: formatted likewise
                        names = self.xpath_search("./parent::cs:names[1]")[0]
                        text = child.render(item, names_context=names, context=context,
                                            **kwargs)
                    else:
                        text = child.render(item, context=context, **kwargs)
                except model.VariableError:
                    continue
                if text:
                    rendered = repressed[_COLLECT]
                    self.add_to_repressed_list(child, context)
                    for tag, variable in rendered:
                        repressed.setdefault(tag, []).append(variable)
                    if outer is not None:
                        outer.extend(rendered)
                    break
            repressed.pop(_CHOOSE, None)
            if outer is None:
                repressed.pop(_COLLECT, None)
            else:
                repressed[_COLLECT] = outer
            return text

    class _Layout(model.Layout):  # type: ignore[misc, name-defined]
        def render_children(self, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
            # second-field-align (numeric styles: "[1]" then the entry): the first field is
            # a column of its own; in running text it needs a space after it.
            parent = self.getparent()
            if parent is None or parent.get("second-field-align") is None:
                return super().render_children(item, delimiter=delimiter, **kwargs)
            output, first = [], None
            for index, child in enumerate(self.iterchildren()):
                try:
                    if isinstance(child, model.Choose):
                        text = child.render(item, delimiter=delimiter, **kwargs)
                    else:
                        text = child.render(item, **kwargs)
                except model.VariableError:
                    continue
                if text is not None:
                    if index == 0:
                        first = text
                    else:
                        output.append(text)
            rest = model.join(output, delimiter) if output else None
            if first is None or rest is None:
                return first if rest is None else rest
            return model.join([first, rest], " ")

    return {"layout": _Layout, "name": _Name, "label": _Label, "text": _Text,
            "substitute": _Substitute,
            "group": _Group, "date": counted(model.Date), "number": counted(model.Number),
            "names": counted(_Names)}


def load_style(path: str, locale: str | None = None) -> Any:
    """A ``citeproc.CitationStylesStyle`` read from ``path`` with the fixed elements above.

    ``locale`` (e.g. from a dependent style) overrides the style's ``default-locale``.
    """
    citeproc = require("citeproc", "report", "Writing a report")
    from lxml import etree  # type: ignore[import-untyped]

    model = citeproc.model
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(_NS)
    classes: dict[str | None, type] = {None: model.CitationStylesElement}
    classes.update({cls.__name__.replace("_", "-").lower(): cls
                    for cls in model.CitationStylesElement.__subclasses__()})
    classes.update(_classes())
    # citeproc-py looks up the same ancestors, macros and options of the same elements for
    # every entry (some hundred XPath queries each); the style's tree does not change once
    # read, so each element's answer to each query is kept (for this style only).
    answers: dict[tuple[Any, str], list[Any]] = {}
    ready = [False]

    def memoised(base: type) -> type:
        class _Memoised(base):  # type: ignore[misc]
            def xpath_search(self, expression: str) -> Any:
                if not ready[0]:
                    return super().xpath_search(expression)
                key = (self, expression)  # the key keeps lxml's proxy, so it stays the same
                found = answers.get(key)
                if found is None:
                    found = answers[key] = list(super().xpath_search(expression))
                return list(found)

        _Memoised.__name__ = _Memoised.__qualname__ = base.__name__
        return _Memoised

    namespace.update({tag: memoised(cls) for tag, cls in classes.items()})
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True,
                             resolve_entities=False)
    parser.set_element_class_lookup(lookup)
    style = citeproc.CitationStylesStyle.__new__(citeproc.CitationStylesStyle)
    style.parser = parser
    style.xml = etree.parse(path, parser)
    style.root = style.xml.getroot()
    style.root.set_locale_list(locale or style.root.get("default-locale", "en-US"),
                               validate=False)
    ready[0] = MEMOISE  # the tree is complete: answers from now on stay true
    return style
