"""The HTML of a view: one self-contained, offline, deterministic page per :class:`~graph.views.ViewSpec`.

The graph is drawn by vis-network 9.1.2 (bundled by pyvis, inlined); the project's template adds the title, a
legend of node types (click to hide one), a search box, a details panel with evidence, peers and
recommendations, and buttons to lay out again and to save a PNG. See :mod:`graph.render.page` for how data
text is kept from ever becoming HTML.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Model
    from ..views import ViewSpec

__all__ = ["render_html", "write_view"]


def render_html(model: Model, spec: ViewSpec) -> str:
    """The whole page of a view, as text: every script and style inline, no URL, the same bytes for the same data.

    Parameters
    ----------
    model : Model
    spec : ViewSpec

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    RequestError
        The view asks for something that does not exist (see :func:`graph.views.select`).
    InputError
        The view cannot be drawn from this data (a map without coordinates, a similarity view of one city).

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> from graph.views import ViewSpec
    >>> html = render_html(Model(load_dataset(MINI)), ViewSpec("initiative", "红色物业"))
    >>> html.startswith("<!DOCTYPE html>"), "://" in html
    (True, False)
    """
    from .page import render_page

    return _rendered(model, spec, render_page)


def _rendered(model: Model, spec: ViewSpec, render):
    """``render(page_data(model, spec))``, the cyclic collector paused meanwhile."""
    import gc

    from .page import page_data

    # A large view makes hundreds of thousands of rows, lists and dicts that all stay alive until the page is
    # written and form no cycle: the cyclic collector would only scan them again and again (a tenth of the time).
    paused = gc.isenabled()
    gc.disable()
    try:
        return render(page_data(model, spec))
    finally:
        if paused:
            # What was made meanwhile and lives on (the adoption, the peers and recommendations kept on the model:
            # a few hundred thousand objects at 1,000 cities) would otherwise be scanned by the collection their
            # count starts at the next allocation, 0.05 s to free nothing; they go to the oldest generation as they
            # are, where a full collection still looks at them.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def write_view(model: Model, spec: ViewSpec, path: str | os.PathLike) -> Path:
    """Render a view and write it to ``path`` (UTF-8), through a temporary file renamed into place.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InputError
        The folder does not exist or cannot be written; plus the errors of :func:`render_html`.
    """
    from ..errors import InputError
    from ..files import write_atomic
    from ..lang import say
    from .page import render_page_bytes

    path = Path(path)
    html = _rendered(model, spec, render_page_bytes)  # the bytes of render_html's page
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(say("cannot write {path}: folder {folder} does not exist", path=path, folder=folder))
    return write_atomic(path, html)
