"""Write the malformed corpus: ``python tests/data/malformed/make.py``.

Each file is small and named for what it tests: ``case-*.yaml`` are case files (with the
``layer-*.yaml`` evidence files two of them name), ``theory-*.yaml`` theory files.
tests/inputs/test_corpus.py runs ``multilat validate`` / ``multilat theories`` on each.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
MINIMAL = (HERE.parent / "cases" / "good" / "minimal.yaml").read_text()
KPR = (HERE.parents[2] / "src" / "multilat" / "theories" / "kpr.yaml").read_text()
TITLE = "title: A minimal test case"
YEAR = "years: 2002\n"
INSTITUTION = "institution: {id: inst, name: Test Institution}"
VARIABLE = "  - {{name: v{}, levels: [a, b], description: d, citation: {{key: k}}}}\n"
OUTCOME = "outcome: {name: out, levels: [{name: x, description: d}, {name: y, description: d}]}\n"
RULE = "  - {when: {}, then: x, citation: {key: k}, note: n}\n"


def bomb(levels: int = 9) -> str:
    """A "billion laughs": 9 ** levels values from a few lines of aliases."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def case(old: str, new: str) -> str:
    assert old in MINIMAL, old
    return MINIMAL.replace(old, new, 1)


def title(new: str) -> str:
    return case(TITLE, f"title: {new}")


def theory(old: str, new: str) -> str:
    assert old in KPR, old
    return KPR.replace(old, new, 1)


def table(name: str, variables: int, rules: int) -> str:
    return (f"schema_version: 1\nname: {name}\nversion: '1'\ntitle: T\nvariables:\n"
            + "".join(VARIABLE.format(i) for i in range(variables)) + OUTCOME
            + "rules:\n" + RULE * rules)


CASES = {
    "nul-byte": title("A minimal\x00 test case"),
    "control-character": title("A minimal\x07 test case"),
    "delete-character": title("A minimal\x7f test case"),
    "non-character-fffe": title("A minimal\ufffe test case"),
    "non-character-ffff": title("A minimal\uffff test case"),
    "recursive-alias": title("&t [*t]"),
    "deep-nesting-1000": title("[" * 1000 + "]" * 1000),
    "integer-5000-digits": case(YEAR, "years: " + "9" * 5000 + "\n"),
    "integer-beyond-10e18": case(YEAR, "years: 12345678901234567890\n"),
    "tag-timestamp-on-text": title("!!timestamp x"),
    "tag-bool-on-text": case("found: true", "found: !!bool maybe"),
    "tag-int-on-text": case(YEAR, "years: !!int x\n"),
    "tag-python-object": case(INSTITUTION, "institution: !!python/object:os.system {id: i}"),
    "tag-python-apply": title("!!python/object/apply:os.system [ls]"),
    "tag-unknown": title("!custom x"),
    "tag-binary": title("!!binary aGk="),
    "merge-key": case(INSTITUTION, "base: &b {id: inst}\ninstitution: {<<: *b, name: x}"),
    "billion-laughs": case("bibliography: refs.bib\n", "bibliography: refs.bib\n" + bomb()),
    "bad-date": title("2020-13-45"),
    "two-documents": MINIMAL + "---\nid: other\n",
    "syntax-error": case("span: {start: 2000, end: 2003}", "span: {start: 2000, end: 2003"),
    "tab-indent": case("    kind: statistic", "\tkind: statistic"),
    "not-a-mapping": "- just\n- a list\n",
    "empty": "",
    "priors-integer-key": MINIMAL + "priors: {1: {invest: 0.5}}\n",
    "priors-level-not-a-mapping": MINIMAL + "priors: {strategy: 0.5}\n",
    "years-true": case(YEAR, "years: true\n"),
    "years-one-item-list": case(YEAR, "years: [2000]\n"),
    "years-float": case(YEAR, "years: 2002.0\n"),
    "reliability-nan": case("reliability: 0.9", "reliability: .nan"),
    "likelihood-ratio-inf": case("likelihood_ratio: 2.0", "likelihood_ratio: .inf"),
    "claim-a-string": case("claims:\n", "claims:\n  - a claim\n"),
    "actor-a-string": case("  - {id: RIS, name: Risingland, role: rising}", "  - RIS"),
    "evidence-item-a-string": case("evidence:\n", "evidence:\n  - an item\n"),
    "evidence-item-an-integer": case("evidence:\n", "evidence:\n  - 42\n"),
    "duplicate-actor-ids": case("{id: EST, name: Establishia", "{id: RIS, name: Establishia"),
    "duplicate-evidence-ids": case("id: e2\n", "id: e1\n"),
    "duplicate-keys": title("A\ntitle: B"),
    "institution-without-id": case("institution: {id: inst,", "institution: {"),
    "theory-name-too-long": case("theory: kpr", "theory: " + "x" * 300 + ".yaml"),
    "layer-billion-laughs": MINIMAL + "evidence_files: [layer-billion-laughs.yaml]\n",
    "layer-recursive-alias": MINIMAL + "evidence_files: [layer-recursive-alias.yaml]\n",
}
LAYERS = {
    "billion-laughs": "schema_version: 1\nlayer: bomb\n" + bomb() + "evidence: []\n",
    "recursive-alias": "schema_version: 1\nlayer: loop\nevidence: &e [*e]\n",
}
THEORIES = {
    "nul-byte": theory('title: "Kastner', 'title: "\x00Kastner'),
    "billion-laughs": theory("schema_version: 1\n", "schema_version: 1\n" + bomb()),
    "recursive-alias": theory("aliases: [kpr-free-ride]", "aliases: &x [*x]"),
    "deep-nesting-1000": theory("aliases: [kpr-free-ride]",
                                "aliases: " + "[" * 1000 + "]" * 1000),
    "tag-python-object": theory('version: "2.0"', "version: !!python/object:os.system x"),
    "integer-5000-digits": theory('version: "2.0"', "version: " + "9" * 5000),
    "variable-named-twice": theory("  - name: indispensability",
                                   "  - name: balance_of_outside_options"),
    "24-two-level-variables": table("huge", 24, 1),
    "overlapping-rules": table("overlap", 16, 200),
    "not-a-mapping": "just text\n",
}

if __name__ == "__main__":
    for kind, files in (("case", CASES), ("layer", LAYERS), ("theory", THEORIES)):
        for name, text in files.items():
            (HERE / f"{kind}-{name}.yaml").write_bytes(text.encode("utf-8"))
