"""What a parsed article is: its paragraphs, its sections (one place each) and the text around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Paragraph", "ArticleSection", "Article"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a section: its text, its 1-based line, its lead sentence, and whether it is the intro."""

    line: int
    text: str
    lead: str
    intro: bool = False


@dataclass(frozen=True)
class ArticleSection:
    """One place's section: the place as written, its title, the heading line as written, and its paragraphs.

    ``parent`` is the city a compound heading names first (孝感市汉川市 -> 孝感市), else empty.
    """

    place: str
    title: str
    heading: str
    line: int
    paragraphs: tuple[Paragraph, ...]
    parent: str = ""


@dataclass(frozen=True)
class Article:
    """A parsed article: its file, its text (as decoded), the intro paragraphs, sections and trailer lines."""

    path: str
    text: str
    sections: tuple[ArticleSection, ...]
    intro: tuple[Paragraph, ...] = ()
    trailer: tuple[str, ...] = ()

    @property
    def publisher(self) -> str:
        """The publisher named on a ``来源:`` line of the trailer, or empty."""
        for line in self.trailer:
            match = re.match(r"^来源\s*[:：]\s*(\S+)", line)
            if match:
                return match.group(1)
        return ""
