"""The built-in example cases shipped with multilat."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from ..case import Case, load_case
from ..errors import InputError

__all__ = ["copy_example", "example_path", "list_examples", "load_example"]


def _root() -> Path:
    return Path(str(resources.files("multilat") / "examples"))


def list_examples() -> list[str]:
    """Names of the built-in cases."""
    return sorted(p.name for p in _root().iterdir() if (p / "case.yaml").is_file())


def example_path(name: str) -> Path:
    """The case file of a built-in case."""
    if name not in list_examples():
        raise InputError(f"no built-in case {name!r}; expected one of: "
                         f"{', '.join(list_examples())}")
    return _root() / name / "case.yaml"


def load_example(name: str = "kazakhstan-eaeu") -> Case:
    """Load a built-in case by name."""
    return load_case(example_path(name))


def copy_example(name: str, destination: str | Path) -> list[Path]:
    """Copy a built-in case's files into ``destination`` (a folder); never overwrite a file,
    never write through a symbolic link."""
    source = example_path(name).parent
    destination = Path(destination)
    if destination.is_symlink():
        raise InputError(f"{destination}: found a symbolic link; expected a folder (files are "
                         "not copied through links)")
    files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith("."))
    # A dangling link is a clash too: copying onto it would write wherever it points.
    clashes = [destination / p.name for p in files
               if (destination / p.name).exists() or (destination / p.name).is_symlink()]
    if clashes:
        raise InputError(f"not copying {name!r}: {', '.join(str(c) for c in clashes)} already "
                         "exist; expected a folder without these files")
    destination.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(p, destination / p.name)) for p in files]
