"""Article text -> candidate entities and relations, for a person to review and then merge into the dataset.

The pipeline, one public function a step, each in its own module:

- :func:`~graph.ingest.reading.read_article` reads a file (UTF-8 or GB18030) and
  :func:`~graph.ingest.layouts.parse_article` finds its sections (one place each), their paragraphs and each
  paragraph's lead sentence (:mod:`graph.ingest.article` holds what a parsed article is).
- :func:`~graph.ingest.proposing.propose` matches each section's place to a city of the dataset
  (:mod:`graph.ingest.places`) or proposes a new one, turns the title and the lead sentences into practices, links
  them to the dataset's initiatives (:mod:`graph.ingest.matching`), each link with a confidence and the clause that
  supports it, and proposes phrases that recur across places and match nothing as new initiatives.
- :func:`~graph.ingest.review.write_candidates` writes the candidates as ``entities.csv`` and ``relations.csv``
  (the dataset's columns plus ``status``, ``confidence`` and ``note``) and the source texts, for review;
  :func:`~graph.ingest.review.read_candidates` reads a reviewed folder back.
- :func:`~graph.ingest.merge.apply` merges the accepted candidates into a data folder: it builds the merged
  dataset in a temporary folder, validates it with :func:`~graph.dataset.load_dataset`, keeps a backup under
  ``.backup/<timestamp>/`` and replaces the files atomically. Ids are derived from the text, so a second run adds
  nothing.

:func:`~graph.ingest.command.ingest` runs the steps the command line asks for;
:func:`~graph.ingest.quality.measure` measures how well ingestion recovers the curated links.
"""

from __future__ import annotations

from .article import Article, ArticleSection, Paragraph
from .candidates import CANDIDATE_COLUMNS, STATUSES, Candidates, text_slug
from .command import default_out_dir, ingest
from .layouts import parse_article
from .merge import apply
from .proposing import propose
from .quality import measure, reduced_copy
from .reading import read_article
from .review import read_candidates, write_candidates

__all__ = [
    "Paragraph",
    "ArticleSection",
    "Article",
    "Candidates",
    "CANDIDATE_COLUMNS",
    "STATUSES",
    "parse_article",
    "read_article",
    "propose",
    "write_candidates",
    "read_candidates",
    "apply",
    "ingest",
    "text_slug",
    "default_out_dir",
    "measure",
    "reduced_copy",
]
