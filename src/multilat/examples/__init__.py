"""The built-in example cases shipped with multilat."""

from __future__ import annotations

import os
from pathlib import Path

from ..case import Case, load_case
from ..errors import InputError

__all__ = ["copy_example", "example_path", "list_examples", "load_example"]


def _root() -> Path:
    # this package's own folder (importlib.resources costs an import of its readers here)
    return Path(__file__).resolve().parent


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
    """Copy a built-in case's files into ``destination`` (a folder); never overwrite a file.

    Nothing is written outside ``destination``: a destination that is a symbolic link, or a
    symbolic link in it where a file would go (even one pointing nowhere), is refused, and each
    file is created anew (``O_EXCL | O_NOFOLLOW``), never opened through a link.

    Raises
    ------
    InputError
        When a file exists already, or ``destination`` or a file in it is a symbolic link.
    """
    source = example_path(name).parent
    destination = Path(destination)
    if destination.is_symlink():
        raise InputError(f"not copying {name!r}: {destination} is a symbolic link (to "
                         f"{os.readlink(destination)}); expected a folder or a new path")
    files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith("."))
    links = [destination / p.name for p in files if (destination / p.name).is_symlink()]
    if links:
        raise InputError(f"not copying {name!r}: {', '.join(str(c) for c in links)} "
                         f"{'is a symbolic link' if len(links) == 1 else 'are symbolic links'};"
                         " expected a folder without links where the files go")
    clashes = [destination / p.name for p in files if (destination / p.name).exists()]
    if clashes:
        raise InputError(f"not copying {name!r}: {', '.join(str(c) for c in clashes)} already "
                         "exist; expected a folder without these files")
    destination.mkdir(parents=True, exist_ok=True)
    return [_create(p, destination / p.name) for p in files]


def _create(source: Path, target: Path) -> Path:
    """Copy ``source`` to a new file ``target``: refused if anything (a link too) is there."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(source.read_bytes())
    from shutil import copystat

    copystat(source, target, follow_symlinks=False)
    return target
