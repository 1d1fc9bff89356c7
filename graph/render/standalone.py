"""A page of its own (the timeline, the matrix): its template, its script (after any shared one it uses) and one
style from ``assets/``, the data as one escaped JSON block, and a Content-Security-Policy that admits those
scripts alone (by hash), inline styles and no request at all.

The template is rendered by an autoescaping Jinja environment; the data goes through
:func:`graph.render.page.embed_json`, so that no text in it can close its ``<script>`` element.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from ..names import normalize, strip_suffix

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Model

__all__ = ["asset", "render_standalone", "script_hash", "search_keys"]


@cache
def asset(name: str) -> str:
    """The text of ``graph/render/assets/<name>``."""
    return resources.files("graph.render").joinpath("assets", name).read_text(encoding="utf-8")


def search_keys(model: Model, entity_id: str) -> list[str]:
    """What a page's search box matches an entity by: its id, names, aliases (and a city's name without its
    suffix), normalised as :func:`graph.names.normalize` does, each once.

    >>> from graph import open_model
    >>> search_keys(open_model(MINI), "city:jia")
    ['city:jia', 'jia', '甲山市', '甲城', 'jiashi', '甲山']
    """
    e = model.dataset.entities[entity_id]
    keys = [entity_id, entity_id.split(":", 1)[-1], e.name, e.name_en, *e.aliases]
    if e.type == "city":
        keys.append(strip_suffix(e.name))
    return list(dict.fromkeys(k for k in (normalize(x) for x in keys) if k))


def script_hash(script: str) -> str:
    """The CSP source that admits exactly ``script``.

    >>> script_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_standalone(name: str, data: dict, shared: tuple[str, ...] = (), **context) -> str:
    """Render ``assets/<name>.html`` with ``assets/<name>.js`` and ``.css`` inline, ``data`` as ``data_json`` and
    the policy as ``csp``; ``shared`` names scripts of ``assets/`` the page's own script uses, inline as
    ``shared_scripts`` (in that order); ``context`` gives the template's other values (autoescaped)."""
    from jinja2 import DictLoader, Environment, StrictUndefined
    from markupsafe import Markup

    from .page import embed_json

    script, style = asset(f"{name}.js"), asset(f"{name}.css")
    before = [asset(s) for s in shared]
    csp = (
        f"default-src 'none'; script-src {' '.join(script_hash(s) for s in [*before, script])}; "
        "style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    env = Environment(
        loader=DictLoader({"page": asset(f"{name}.html")}),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("page").render(
        csp=csp,
        data_json=Markup(embed_json(data)),
        shared_scripts=[Markup(s) for s in before],
        script=Markup(script),
        style=Markup(style),
        **context,
    )
