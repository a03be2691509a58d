"""multilat._deps.require: one helper for every optional dependency."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from multilat._deps import require
from multilat.errors import MissingDependencyError


def _missing(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    real = importlib.import_module

    def fake(name: str, package: str | None = None):  # type: ignore[no-untyped-def]
        if name == missing or name.startswith(missing + "."):
            raise ModuleNotFoundError(f"No module named {missing!r}", name=missing)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)


def test_an_installed_module_is_returned() -> None:
    assert require("json", "data", "Reading JSON") is sys.modules["json"]


def test_a_missing_module_names_its_distribution_and_extra(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _missing(monkeypatch, "citeproc")
    with pytest.raises(MissingDependencyError) as caught:
        require("citeproc", "report", "Writing a report")
    assert str(caught.value) == ("Writing a report needs the package 'citeproc-py': "
                                 'pip install "multilat[report]"')
    assert (caught.value.package, caught.value.extra) == ("citeproc-py", "report")


def test_a_missing_parent_package_is_the_missing_dependency(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _missing(monkeypatch, "pyspark")
    with pytest.raises(MissingDependencyError, match=r"'pyspark': pip install \"multilat\[spark"):
        require("pyspark.sql", "spark", "Running the aggregation on Spark")


def test_a_module_missing_inside_an_installed_one_is_not_hidden(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "multilat_probe_pkg.py").write_text("import multilat_no_such_module\n",
                                                    encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError) as caught:
        require("multilat_probe_pkg", "data", "Probing")
    assert not isinstance(caught.value, MissingDependencyError)
    assert caught.value.name == "multilat_no_such_module"
