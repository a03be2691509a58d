"""Coverage-guided fuzzing of multilat's loaders (atheris, libFuzzer's engine for Python).

Every loader must turn any bytes into a value or into its own located error, never another
exception. This script feeds mutated inputs to one loader for a time budget, starting from a
seed corpus of real files; an input that raises anything else is a crash, which libFuzzer
writes to ``tests/data/malformed/fuzz/`` (``crash-<sha1>``): commit it, and the suite's
corpus test (``tests/test_malformed.py``) turns it into a regression test.

    pip install atheris                 # not a dependency of multilat
    python scripts/fuzz.py case --seconds 600
    python scripts/fuzz.py theory|bibtex|csl|settings|layer --seconds 600

The quick part runs in CI as hypothesis property tests; this long run is for before a release
(docs/reliability.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CRASHES = ROOT / "tests" / "data" / "malformed" / "fuzz"
GOOD = ROOT / "tests" / "data" / "cases" / "good"
EXAMPLE = ROOT / "src" / "multilat" / "examples" / "kazakhstan-eaeu"

#: target -> (file name the input is written as, seed files)
TARGETS = {
    "case": ("case.yaml", [GOOD / "minimal.yaml", GOOD / "incumbents" / "case.yaml"]),
    "layer": ("layer.yaml", [EXAMPLE / "events-layer.yaml"]),
    "theory": ("theory.yaml", [ROOT / "src" / "multilat" / "theories" / "kpr.yaml",
                               GOOD / "incumbents" / "posture.yaml"]),
    "bibtex": ("refs.bib", [GOOD / "refs.bib", GOOD / "incumbents" / "refs.bib"]),
    "csl": ("refs.json", []),
    "settings": ("multilat.toml", []),
}
_CSL_SEED = b'[{"id": "a", "type": "book", "title": "T", "author": [{"family": "F"}]}]'
_SETTINGS_SEED = b'[infer.strength.hoop]\nif_level = 0.9\nif_other = 0.6\n'


def _loader(target: str, folder: Path):  # type: ignore[no-untyped-def]
    import multilat
    from multilat.bibliography import load_bibliography
    from multilat.errors import MultilatError

    name = TARGETS[target][0]
    path = folder / name
    if target in ("case", "layer"):
        shutil.copy(GOOD / "refs.bib", folder / "refs.bib")
        shutil.copy(GOOD / "incumbents" / "posture.yaml", folder / "posture.yaml")
    if target == "layer":
        case = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
        (folder / "case.yaml").write_text(case + "evidence_files: [layer.yaml]\n",
                                          encoding="utf-8")

    def run(data: bytes) -> None:
        path.write_bytes(data)
        try:
            if target == "case":
                multilat.load_case(path)
            elif target == "layer":
                multilat.load_case(folder / "case.yaml")
            elif target == "theory":
                multilat.load_theory(path)
            elif target in ("bibtex", "csl"):
                load_bibliography(path)
            else:
                multilat.load_settings(path)
        except MultilatError:
            pass  # a located, user-facing error: what the loader must do

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--seconds", type=int, default=60, help="time budget (default 60)")
    parser.add_argument("--max-len", type=int, default=20_000, help="largest input in bytes")
    args = parser.parse_args()
    try:
        import atheris
    except ModuleNotFoundError:
        print("scripts/fuzz.py needs atheris: pip install atheris", file=sys.stderr)
        return 2
    CRASHES.mkdir(parents=True, exist_ok=True)
    corpus = Path(tempfile.mkdtemp(prefix="multilat-fuzz-corpus-"))
    for index, seed in enumerate(TARGETS[args.target][1]):
        shutil.copy(seed, corpus / f"seed-{index}")
    if args.target == "csl":
        (corpus / "seed-csl").write_bytes(_CSL_SEED)
    if args.target == "settings":
        (corpus / "seed-toml").write_bytes(_SETTINGS_SEED)
    folder = Path(tempfile.mkdtemp(prefix="multilat-fuzz-"))
    with atheris.instrument_imports():
        run = _loader(args.target, folder)
    os.environ.setdefault("MPLBACKEND", "Agg")
    atheris.Setup([sys.argv[0], str(corpus), f"-max_total_time={args.seconds}",
                   f"-max_len={args.max_len}", f"-artifact_prefix={CRASHES}/{args.target}-",
                   "-rss_limit_mb=2048", "-timeout=20"], run)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
