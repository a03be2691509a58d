"""``multilat convert-layer``: an evidence layer written again as YAML, JSON or Parquet."""

from __future__ import annotations

import click

from ._common import handle_errors


@click.command("convert-layer")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--no-backup", is_flag=True, help="Do not keep an existing TARGET as .bak.")
@handle_errors
def convert_layer(source: str, target: str, no_backup: bool) -> None:
    """Write an evidence layer as YAML, JSON or Parquet (by TARGET's suffix).

    The items are the same (the case's analysis does not change); name TARGET in the case's
    evidence_files instead of SOURCE. SOURCE is checked against the evidence file schema;
    the rest is checked when the case loads. Parquet needs pyarrow (pip install
    "multilat[parquet]").

    Example: multilat convert-layer data-layer.yaml data-layer.parquet
    """
    from ..case.layers import convert_layer as convert

    written = convert(source, target, backup=not no_backup)
    click.echo(f"Wrote {written}.")
