"""The ``ingest`` command: read articles or reviewed folders, write candidates, and merge them on request."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..dataset import default_data_dir
from ..errors import DatasetError, InputError, RequestError
from ..lang import say
from ..schema import DATE_PATTERN
from ..table import Table
from .dates import iso_date
from .layouts import LAYOUTS
from .merge import apply, nothing_new
from .places import PlaceIndex, known_places
from .proposing import propose
from .reading import read_article
from .review import read_candidates, write_candidates

__all__ = ["APPLY_MIN", "default_out_dir", "ingest"]

#: What ``--apply`` on articles merges by default: the rows at this confidence or more (status ``new``).
APPLY_MIN = 0.7


def default_out_dir(paths: list[Path]) -> Path:
    """The folder named after the input: ``./<stem>`` for one file, ``./<stem>-and-<n>-more`` for several.

    >>> str(default_out_dir([Path("a/article.txt")]))
    'article'
    """
    stem = paths[0].stem
    return Path(stem if len(paths) == 1 else f"{stem}-and-{len(paths) - 1}-more")


def _installed_copy(folder: Path) -> bool:
    """Whether ``folder`` is the data installed inside the Python environment rather than a checkout's."""
    import sys

    folder = folder.resolve()
    return any(Path(p).resolve() in folder.parents for p in {sys.prefix, sys.base_prefix})


def _merged_already(folder: Path, dataset) -> bool:
    """Whether ``folder`` holds candidates that are all in the dataset already (a review that was merged): the
    next run may replace them. A folder under review, or one that cannot be read, is kept."""
    if not (folder / "entities.csv").is_file():
        return False
    try:
        return nothing_new(read_candidates(folder), dataset)
    except (DatasetError, InputError):
        return False


def ingest(
    paths: list[str | os.PathLike],
    data: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
    apply_changes: bool = False,
    min_confidence: float | None = None,
    progress: Callable[[str], None] | None = None,
    date: str | None = None,
    layout: str | None = None,
) -> Table:
    """Read articles (or reviewed candidate folders), write the candidates, and with ``apply_changes`` merge them.

    Every article is parsed before anything is written: one unparseable file stops the run with its
    ``FILE:LINE`` problem. A folder among ``paths`` is a candidates folder written earlier (and reviewed); it
    can only be merged (``apply_changes``). ``date`` (ISO, partial allowed) is the articles' date before what
    their text says; ``layout`` forces one of :data:`~graph.ingest.layouts.LAYOUTS`.

    ``min_confidence`` defaults to :data:`APPLY_MIN` (0.7) when articles are merged directly: the rows a reviewer
    would have to check (``uncertain``: links by a partial word match or a distant quote, new initiatives,
    ambiguous places) stay out; a reviewed folder merges whole (0), since its reviewer has decided.

    Returns
    -------
    Table
        The candidate counts by status, or (with ``apply_changes``) what was added.
    """
    from ..model import open_model

    if date is not None and not (
        DATE_PATTERN.match(date) and iso_date(*filter(None, DATE_PATTERN.match(date).groups()))
    ):
        raise RequestError(say("--date {date!r}: expected an ISO date such as 2024, 2024-07 or 2024-07-31", date=date))
    if layout is not None and layout not in LAYOUTS:
        raise RequestError(
            say("--layout {layout!r}: expected one of {choices}", layout=layout, choices=", ".join(LAYOUTS))
        )
    if min_confidence is None:
        min_confidence = APPLY_MIN if any(not Path(p).is_dir() for p in paths) else 0.0
    if not 0.0 <= min_confidence <= 1.0:
        raise RequestError(say("--min-confidence must be between 0 and 1, not {value:g}", value=min_confidence))
    files = [Path(p) for p in paths if not Path(p).is_dir()]
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    if folders and not apply_changes:
        raise RequestError(say("{folder} is a folder of candidates: merge it with --apply", folder=folders[0]))
    if apply_changes and data is None and _installed_copy(default_data_dir()):
        raise RequestError(
            say(
                "--apply without --data would change the copy of the data installed with the package "
                "({folder}), which the next install replaces: copy it first "
                "(practice-graph export csv -o my-data) and merge into that (--data my-data)",
                folder=default_data_dir(),
            )
        )
    model = open_model(data)
    known = known_places(model.dataset)
    articles, problems = [], []
    places = PlaceIndex(known) if files else None
    for path in files:
        try:
            articles.append(read_article(path, known, layout, date, places))
        except DatasetError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DatasetError(problems)
    candidates = propose(model, articles, progress=progress)
    for folder in folders:
        candidates.extend(read_candidates(folder))
        if progress is not None:
            progress(str(folder))
    notes = []
    if files and apply_changes and nothing_new(candidates, model.dataset, min_confidence):
        # the same article again: nothing to review, and an earlier review folder is left as it is
        files = []
    if files:
        target = Path(out) if out is not None else default_out_dir(files)
        write_candidates(candidates, target, overwrite=_merged_already(target, model.dataset))
        notes.append(say("candidates written to {target}/entities.csv and {target}/relations.csv", target=str(target)))
        if not apply_changes:
            notes.append(
                say(
                    "review them (set status to rejected, or delete rows), then: ingest --apply {target}",
                    target=str(target),
                )
            )
    if apply_changes:
        table = apply(model.dataset.root, candidates, min_confidence)
    else:
        table = candidates.summary()
    table.notes[:0] = notes
    return table
