"""``multilat statements``: leadership statements into candidate evidence, reviewed by you."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ._common import handle_errors, open_settings, print_table, resolve_case_path

_PATHS = click.argument("paths", nargs=-1, required=True, metavar="PATH...")
_CASE = click.option("--case", "case", default=None, metavar="CASE",
                     help="The case (a file or a built-in name): its actors and institution "
                          "fill the dictionary; its statements-dictionary.yaml is used if "
                          "present. Default: the built-in case.")
_DICTIONARY = click.option("--dictionary", "dictionary_path", default=None,
                           type=click.Path(dir_okay=False),
                           help="A dictionary file (default: the case's own, else the default "
                                "filled from the case).")
_ACTOR = click.option("--actor", "actors", multiple=True, metavar="ID",
                      help="Only texts by this actor (repeatable).")
_YEARS = click.option("--years", default=None, metavar="FIRST-LAST",
                      help="Only texts of these years (inclusive; default: the case's span).")


def _years(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    parts = value.split("-")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise click.BadParameter(f"found {value!r}; expected FIRST-LAST, e.g. 2009-2019",
                                 param_hint="--years")
    first, last = int(parts[0]), int(parts[1])
    if first > last:
        raise click.BadParameter(f"found {value!r}; expected FIRST <= LAST",
                                 param_hint="--years")
    return first, last


def _setup(paths: tuple[str, ...], case: str | None, dictionary_path: str | None,
           actors: tuple[str, ...], years: str | None,
           undescribed: bool = False) -> tuple[Any, Any, Any]:
    from ..case import load_case
    from ..statements import dictionary_for_case, read_corpus

    loaded = load_case(resolve_case_path(case))
    dictionary = dictionary_for_case(loaded, dictionary_path)
    span = _years(years) or (loaded.start, loaded.end)
    documents = read_corpus(paths, actors=actors or None, years=span, undescribed=undescribed)
    unknown = [d.name for d in documents if not d.actor]
    if unknown:
        click.echo(f"Warning: no manifest says who spoke when in {', '.join(unknown[:5])}"
                   f"{' ...' if len(unknown) > 5 else ''}: scanned with an unknown actor and "
                   "year; add a manifest.csv beside them before to-evidence.", err=True)
    return loaded, dictionary, documents


@click.group("statements")
def statements() -> None:
    """Leadership statements (speeches, interviews) into candidate evidence.

    Scan texts with a dictionary made from the case, review the ranked candidates in a CSV
    (accept/reject), turn the accepted ones into an evidence layer. See docs/statements.md.

    \b
    Example: multilat statements scan speeches/ --case kazakhstan-eaeu --out candidates.csv
             multilat statements to-evidence candidates.csv --out statements-layer.yaml
    """


@statements.command("scan")
@_PATHS
@_CASE
@_DICTIONARY
@_ACTOR
@_YEARS
@click.option("--min-score", type=float, default=1.0, show_default=True,
              help="Leave out paragraphs scoring below this.")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Keep only the best N candidates.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the review CSV here (atomically; an existing file is kept as .bak). "
                   "Default: a table of the best candidates on the terminal.")
@handle_errors
def scan(paths: tuple[str, ...], case: str | None, dictionary_path: str | None,
         actors: tuple[str, ...], years: str | None, min_score: float, top: int | None,
         out: str | None) -> None:
    """Rank the paragraphs of PATH... (files or folders) as candidate evidence.

    The CSV has file, start, end, score, quote (the file's text at start-end), the proposed
    variable and level, the matched terms, a KWIC line and an empty decision column.

    \b
    Example: multilat statements scan speeches/ --case my-case.yaml --out candidates.csv
    """
    from ..statements import score_corpus, write_candidates

    _, dictionary, documents = _setup(paths, case, dictionary_path, actors, years,
                                      undescribed=True)
    candidates = score_corpus(documents, dictionary, min_score=min_score)
    if top is not None:
        candidates = candidates[:top]
    if out is not None:
        write_candidates(out, candidates)
        click.echo(f"{len(candidates)} candidates from {len(documents)} texts -> {out}",
                   err=True)
        return
    rows = [[str(i), f"{Path(c.file).name} ¶{c.paragraph.number}", f"{c.score:g}",
             f"{c.propose['variable']}={c.propose['level']}" if c.propose else "",
             " ".join(c.quote.split())[:160]]
            for i, c in enumerate(candidates[:top or 20], start=1)]
    print_table(f"{len(candidates)} candidates from {len(documents)} texts",
                ["rank", "where", "score", "proposed", "quote"], rows)


@statements.command("kwic")
@_PATHS
@click.option("--term", "terms", multiple=True, metavar="TERM",
              help="A term in dictionary syntax (word*, =CASE); repeatable.")
@click.option("--group", "groups", multiple=True, metavar="ID",
              help="Every term of this dictionary group (repeatable).")
@_CASE
@_DICTIONARY
@_ACTOR
@_YEARS
@click.option("--width", type=click.IntRange(min=10, max=200), default=40, show_default=True)
@handle_errors
def kwic_command(paths: tuple[str, ...], terms: tuple[str, ...], groups: tuple[str, ...],
                 case: str | None, dictionary_path: str | None, actors: tuple[str, ...],
                 years: str | None, width: int) -> None:
    """Keyword in context: every occurrence of the terms, one line each, with its file,
    paragraph and character offsets.

    \b
    Example: multilat statements kwic speeches/ --term 'sovereign*' --group institution
    """
    from ..statements import kwic, paragraphs
    from ..statements.dictionary import compile_term, word_start

    if not terms and not groups:
        raise click.UsageError("give --term or --group")
    _, dictionary, documents = _setup(paths, case, dictionary_path, actors, years)
    known = {g.id for g in dictionary.groups}
    for group in groups:
        if group not in known:
            raise click.BadParameter(f"found {group!r}; expected one of {', '.join(known)}",
                                     param_hint="--group")
    patterns = [(t, compile_term(t)) for t in terms]
    patterns += [(t.text, t.pattern) for g in dictionary.groups if g.id in groups
                 for t in g.terms]
    count = 0
    for document in documents:
        spans = paragraphs(document.text)
        hits = sorted((m.start(), m.end(), text) for text, pattern in patterns
                      for m in pattern.finditer(document.text)
                      if word_start(document.text, m.start()))
        for start, end, _ in hits:
            number = next((p.number for p in spans if p.start <= start < p.end), 0)
            click.echo(f"{document.name} ¶{number} {start}-{end}\t"
                       f"{kwic(document.text, start, end, width)}")
            count += 1
    click.echo(f"{count} occurrences in {len(documents)} texts", err=True)


@statements.command("to-evidence")
@click.argument("review", type=click.Path(dir_okay=False))
@_CASE
@_DICTIONARY
@click.option("--layer", default="statements", show_default=True,
              help="The layer name of the evidence file.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the evidence layer here (default: standard output).")
@click.option("--settings", "settings_path", type=click.Path(dir_okay=False), default=None,
              help="A multilat.toml (statements.strength, statements.reliability).")
@handle_errors
def to_evidence(review: str, case: str | None, dictionary_path: str | None, layer: str,
                out: str | None, settings_path: str | None) -> None:
    """Turn the accepted rows of REVIEW (a reviewed scan CSV) into an evidence layer.

    Items are statements with the quote, a locator "FILE ¶n, chars a-b", the text's
    citation, straw in the wind and the settings' reliability; repeated statements and those
    the case already codes are dropped (said on standard error).

    \b
    Example: multilat statements to-evidence candidates.csv --case my-case.yaml
             --out statements-layer.yaml
    """
    from ..case import load_case
    from ..statements import dictionary_for_case, evidence_from_review

    loaded = load_case(resolve_case_path(case))
    dictionary = dictionary_for_case(loaded, dictionary_path)
    result = evidence_from_review(review, case=loaded, settings=open_settings(settings_path),
                                  dictionary=dictionary, layer=layer)
    if out is None:
        click.echo(result.to_yaml(), nl=False)
    else:
        result.write(out)
    click.echo(str(result), err=True)
    if case is not None:
        from .indicators import _add_references

        _add_references(loaded, {item.citation.key for item in result.items})


@statements.command("dictionary")
@_CASE
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write it here (e.g. beside the case as statements-dictionary.yaml).")
@handle_errors
def dictionary_command(case: str | None, out: str | None) -> None:
    """Write the default dictionary filled in from the case's actors and institution.

    \b
    Example: multilat statements dictionary --case my-case.yaml
             --out statements-dictionary.yaml
    """
    from .._files import atomic_write_text
    from ..case import load_case
    from ..statements import case_dictionary_text

    text = case_dictionary_text(load_case(resolve_case_path(case)))
    if out is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(Path(out), text)
        click.echo(f"dictionary -> {out}", err=True)


@statements.command("validate")
@_PATHS
@click.option("--labels", "labels_path", required=True, type=click.Path(dir_okay=False),
              help="Hand labels: a CSV with file, start, end, relevant (one row per "
                   "paragraph read).")
@_CASE
@_DICTIONARY
@_ACTOR
@_YEARS
@click.option("--k", "k", type=click.IntRange(min=1), default=20, show_default=True,
              help="The cut-off of precision and recall at k.")
@click.option("--sample", type=click.IntRange(min=0), default=0, show_default=True,
              help="Also write this many random unflagged paragraphs to read (--sample-out).")
@click.option("--sample-out", type=click.Path(dir_okay=False), default=None)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--second-coder", "second", type=click.Path(dir_okay=False), default=None,
              help="Another coder's labels (same format): Krippendorff's alpha with --labels.")
@click.option("--learned", is_flag=True,
              help="Cross-validate a learned ranker (scikit-learn; extra 'statements') on the "
                   "labels and compare it with the dictionary.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@handle_errors
def validate(paths: tuple[str, ...], labels_path: str, case: str | None,
             dictionary_path: str | None, actors: tuple[str, ...], years: str | None, k: int,
             sample: int, sample_out: str | None, seed: int, second: str | None,
             learned: bool, fmt: str) -> None:
    """Measure the scan against hand labels: precision and recall at k, average precision,
    how many candidates to read for 80% of the relevant paragraphs; optionally a sample of
    unflagged paragraphs, two coders' agreement and a learned ranker.

    \b
    Example: multilat statements validate speeches/ --labels labels.csv --learned
    """
    from ..statements import (
        evaluate,
        krippendorff_alpha,
        learned_ranker,
        load_labels,
        score_corpus,
        unflagged_sample,
    )
    from ..statements.review import candidates_csv
    from ..statements.score import Candidate

    if sample and sample_out is None:
        raise click.UsageError("--sample needs --sample-out FILE")
    _, dictionary, documents = _setup(paths, case, dictionary_path, actors, years)
    candidates = score_corpus(documents, dictionary, min_score=0.0)
    labels = load_labels(labels_path)
    result: dict[str, Any] = {"ranking": evaluate(candidates, labels, k=k).to_dict()}
    if second is not None:
        other = load_labels(second)
        ratings = {"first": {(lab.name, lab.start): lab.relevant for lab in labels},
                   "second": {(lab.name, lab.start): lab.relevant for lab in other}}
        result["krippendorff_alpha"] = krippendorff_alpha(ratings)
    if learned:
        result["learned_ranker"] = learned_ranker(documents, labels, candidates,
                                                  seed=seed).to_dict()
    if sample:
        from .._files import atomic_write_text

        drawn = unflagged_sample(documents, candidates, sample, seed=seed)
        rows = [Candidate(d, p, 0.0, p.start, p.end, (), {}) for d, p in drawn]
        atomic_write_text(Path(str(sample_out)), candidates_csv(rows))
        result["unflagged_sample"] = {"paragraphs": len(rows), "file": sample_out}
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    ranking = result["ranking"]
    print_table("ranking against the labels", ["measure", "value"],
                [[key, "-" if value is None else f"{value:g}"]
                 for key, value in ranking.items()])
    for key in ("krippendorff_alpha",):
        if key in result:
            click.echo(f"Krippendorff's alpha (nominal): {result[key]:g}")
    if "learned_ranker" in result:
        comparison = result["learned_ranker"]
        click.echo(f"AP on the same labels ({comparison['folds']}-fold by document): "
                   f"dictionary {comparison['dictionary_ap']:g}, learned "
                   f"{comparison['learned_ap']:g}")
    if "unflagged_sample" in result:
        click.echo(f"{result['unflagged_sample']['paragraphs']} unflagged paragraphs -> "
                   f"{sample_out}", err=True)


COMMANDS = [statements]
