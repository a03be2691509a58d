"""Generated cases for the scaling benchmark: N evidence items over 50 years and 5 periods.

Run: python benchmarks/scaling/generate_case.py N OUT_DIR [--seed S] [--per-file K]
     [--format yaml|json|parquet]

The case (theory ``kpr``, rising KAZ, established RUS, 1970-2019, five ten-year periods) keeps
a few items in ``case.yaml`` and the rest in evidence layers of at most ``--per-file`` items
(default 10,000: each file stays well under multilat's 10 MB limit). Items draw their
variable, level, side, kind, strength, reliability, span (1-5 years) and source at random;
there is one source (a BibTeX entry) per 50 items, at least 10, so that the checks that drop a
source have as many groups as a coded case of that size would. The same N and seed give the
same bytes. The text is written as LibYAML would dump it: the files are what a generator
(``multilat indicators evidence``, ``events to-evidence``) writes. ``--format json`` or
``parquet`` writes the same items into ``layerNNN.json`` or ``.parquet`` layers instead
(multilat's own writer, ``multilat.case.layers.write_layer``: what ``multilat convert-layer``
writes; Parquet needs pyarrow); the case file stays YAML.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

START, END = 1970, 2019
PERIODS = [(f"p{i + 1}", START + 10 * i, START + 10 * i + 9) for i in range(5)]
VARIABLES = [("balance_of_outside_options", ("favorable", "unfavorable"), ("rising",
                                                                          "established")),
             ("indispensability", ("indispensable", "dispensable"), ()),
             ("strategy", ("invest", "hold_up", "accept"), ())]
KINDS = ("statistic", "action", "statement", "assessment")
STRENGTHS = ("straw_in_the_wind", "hoop", "smoking_gun", "doubly_decisive")


def sources(n_items: int) -> int:
    return max(10, n_items // 50)


def _item(rng: random.Random, index: int, n_sources: int) -> dict[str, object]:
    variable, levels, sides = VARIABLES[0 if index % 5 < 2 else 1 if index % 5 < 4 else 2]
    first = rng.randint(START, END)
    last = min(END, first + rng.randint(0, 4))
    item: dict[str, object] = {
        "id": f"g{index:07d}",
        "kind": rng.choice(KINDS),
        "years": first if first == last else [first, last],
        "actor": "KAZ" if rng.random() < 0.7 else "RUS",
        "summary": f"Generated item {index}: a fact about {variable.replace('_', ' ')} "
                   f"in {first}-{last}.",
        "variable": variable,
        "level": rng.choice(levels),
    }
    if sides:
        item["side"] = rng.choice(sides)
    item.update({
        "strength": rng.choice(STRENGTHS[:3]) if rng.random() < 0.95 else STRENGTHS[3],
        "reliability": round(rng.uniform(0.6, 0.95), 2),
        "citation": {"key": f"src{rng.randrange(n_sources):05d}",
                     "locator": f"p. {rng.randint(1, 400)}"},
        "rationale": "Generated for the scaling benchmark; direction and strength drawn at "
                     "random.",
    })
    return item


def _dump(data: object) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def generated_items(n_items: int, seed: int = 0) -> list[dict[str, object]]:
    """The case's ``n_items`` evidence items, in the file format (the same for a seed)."""
    rng = random.Random(seed * 1_000_003 + n_items)
    n_sources = sources(n_items)
    return [_item(rng, i, n_sources) for i in range(n_items)]


def case_fields(n_items: int) -> dict[str, object]:
    """The case file's fields other than its evidence."""
    return {
        "schema_version": 1, "id": f"generated-{n_items}",
        "title": f"Generated case, {n_items} items", "theory": "kpr",
        "institution": {"id": "inst", "name": "the institution"},
        "actors": [{"id": "KAZ", "name": "Kazakhstan", "role": "rising"},
                   {"id": "RUS", "name": "Russia", "role": "established"}],
        "span": {"start": START, "end": END},
        "periods": [{"id": pid, "label": f"{a}-{b}", "start": a, "end": b}
                    for pid, a, b in PERIODS],
        "bibliography": "references.bib",
    }


FORMATS = ("yaml", "json", "parquet")


def generate(n_items: int, out: Path, *, seed: int = 0, per_file: int = 10_000,
             layer_format: str = "yaml") -> Path:
    """Write the case into ``out`` (created) and return the path of its ``case.yaml``; its
    layers in ``layer_format`` (one of :data:`FORMATS`)."""
    if layer_format not in FORMATS:
        raise ValueError(f"layer_format: found {layer_format!r}; expected one of {FORMATS}")
    n_sources = sources(n_items)
    out.mkdir(parents=True, exist_ok=True)
    items = generated_items(n_items, seed)
    inline, rest = items[: min(10, n_items)], items[min(10, n_items):]
    layers = []
    for number, first in enumerate(range(0, len(rest), per_file)):
        name = f"layer{number + 1:03d}.{layer_format}"
        layers.append(name)
        layer, description = f"gen{number + 1:03d}", "Generated evidence for the scaling benchmark."
        if layer_format != "yaml":
            from multilat.case.layers import write_layer

            write_layer(out / name, layer, rest[first: first + per_file],
                        description=description, backup=False)
            continue
        (out / name).write_text(_dump({
            "schema_version": 1, "layer": layer, "description": description,
            "evidence": rest[first: first + per_file]}), encoding="utf-8")
    case = {**case_fields(n_items), "evidence_files": layers, "evidence": inline}
    if not layers:
        del case["evidence_files"]
    (out / "case.yaml").write_text(_dump(case), encoding="utf-8")
    write_bibliography(out, n_sources)
    return out / "case.yaml"


def write_bibliography(out: Path, n_sources: int) -> None:
    """``out/references.bib`` with the entries ``src00000``... the items cite."""
    (out / "references.bib").write_text("".join(
        f"@article{{src{k:05d},\n  author = {{Author, A{k}}},\n  title = {{Source {k}}},\n"
        f"  journaltitle = {{Journal}},\n  year = {{{2000 + k % 20}}},\n}}\n\n"
        for k in range(n_sources)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("items", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-file", type=int, default=10_000)
    parser.add_argument("--format", choices=FORMATS, default="yaml",
                        help="the layers' format (the case file stays YAML)")
    args = parser.parse_args()
    print(generate(args.items, args.out, seed=args.seed, per_file=args.per_file,
                   layer_format=args.format))


if __name__ == "__main__":
    main()
