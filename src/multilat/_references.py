"""The datasets' references: add the BibTeX entries a generated layer cites to a case's file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from ._files import atomic_write_text, read_text
from .errors import InputError, Problem

__all__ = ["add_dataset_references", "dataset_entries"]

_ENTRY = re.compile(r"^@\w+\{([^,\s]+),.*?^\}\s*$", re.M | re.S)


def dataset_entries() -> dict[str, str]:
    """Key -> BibTeX entry of every dataset shipped with multilat (``data/datasets.bib``)."""
    text = (resources.files("multilat") / "data" / "datasets.bib").read_text(encoding="utf-8")
    return {match.group(1): match.group(0).strip() for match in _ENTRY.finditer(text)}


def add_dataset_references(bibliography: Path, keys: Iterable[str]) -> list[str]:
    """Append to ``bibliography`` (BibTeX) the shipped entries of ``keys`` it lacks, keeping a
    backup; returns the keys added. Keys that are not shipped datasets are left alone; a
    CSL-JSON bibliography is not edited (the keys are named in the error)."""
    from .bibliography import load_bibliography

    entries = dataset_entries()
    wanted = sorted(k for k in set(keys) if k in entries)
    have = load_bibliography(bibliography) if bibliography.is_file() else None
    missing = [k for k in wanted if have is None or k not in have]
    if not missing:
        return []
    if bibliography.suffix.lower() != ".bib":
        raise InputError(f"{bibliography}: found a bibliography that is not BibTeX; expected "
                         f"one multilat can add the entries {', '.join(missing)} to (add them "
                         "by hand from multilat/data/datasets.bib)")
    text = read_text(bibliography, "a BibTeX file") if bibliography.is_file() else ""
    if isinstance(text, Problem):
        raise InputError(str(text))
    addition = "\n\n".join(entries[k] for k in missing)
    atomic_write_text(bibliography, text.rstrip("\n") + ("\n\n" if text else "") + addition
                      + "\n", backup=True)
    return missing
