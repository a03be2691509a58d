"""Every example in multilat's docstrings runs and prints what it says.

Each docstring with examples, in every module of the package (``python -m multilat`` aside), is
one test. An example that needs an extra which is not installed raises
``MissingDependencyError``; its test is skipped, naming the extra.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import multilat
from multilat.errors import MissingDependencyError


def _modules() -> list[str]:
    names = ["multilat"]
    for info in pkgutil.walk_packages(multilat.__path__, "multilat."):
        if info.name.rsplit(".", 1)[-1] != "__main__":
            names.append(info.name)
    return sorted(names)


def _examples() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder()
    tests = [test for name in _modules()
             for test in finder.find(importlib.import_module(name), name) if test.examples]
    return sorted(tests, key=lambda t: t.name)


EXAMPLES = _examples()


def test_the_examples_are_found() -> None:
    names = {t.name for t in EXAMPLES}
    assert {"multilat", "multilat.analysis.analyze", "multilat.report"} <= names


@pytest.mark.parametrize("test", EXAMPLES, ids=[t.name for t in EXAMPLES])
def test_docstring_examples(test: doctest.DocTest) -> None:
    runner = doctest.DebugRunner(optionflags=doctest.ELLIPSIS)
    try:
        runner.run(test, clear_globs=True)
        return
    except doctest.UnexpectedException as error:
        raised = error.exc_info[1]
        if isinstance(raised, MissingDependencyError):
            message = f"needs the {raised.extra!r} extra: {raised}"
        else:
            message = (f"{_where(test, error.example)}: raised {type(raised).__name__}: "
                       f"{raised}")
    except doctest.DocTestFailure as failure:
        raised = None
        message = (f"{_where(test, failure.example)}\nexpected: {failure.example.want!r}\n"
                   f"got:      {failure.got!r}")
    if isinstance(raised, MissingDependencyError):
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def _where(test: doctest.DocTest, example: doctest.Example) -> str:
    line = "?" if test.lineno is None else test.lineno + example.lineno + 1
    return f"{test.name} ({test.filename}:{line}): {example.source.strip()!r}"
