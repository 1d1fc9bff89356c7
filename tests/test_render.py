"""graph.render: the page of a view is offline, deterministic and safe, and carries what its script needs."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.dataset import load_dataset
from graph.errors import InputError, UnknownNameError
from graph.model import Model
from graph.render import render_html, write_view
from graph.render.page import FONT_STACK, embed_json, embed_json_bytes, page_data, render_page, render_page_bytes
from graph.views import ViewSpec, select

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"

#: Every view of the four-city dataset, by id so that hostile names do not get in the way.
MINI_VIEWS = [
    ViewSpec(),
    ViewSpec(level="initiative"),
    ViewSpec(layout="map"),
    ViewSpec("city", "city:jia", depth=2),
    ViewSpec("initiative", "initiative:red-property"),
    ViewSpec("theme", "theme:governance", level="initiative"),
    ViewSpec("similarity", metric="jaccard"),
]

#: Text that would run script if it ever became HTML (or a template, or a URL).
HOSTILE = [
    "<script>window.__pwned=1</script>",
    "</script><script>window.__pwned=2</script>",
    '<img src=x onerror="window.__pwned=3">',
    "\"'><svg onload=window.__pwned=4>",
    '<a href="javascript:window.__pwned=5">href</a>',
    "javascript:window.__pwned=6",
    "{{7*7}}${7*7}<!--",
    "\u2028\u2029&amp;&lt;",
]


def write_hostile_dataset(target: Path) -> Path:
    """The four-city dataset with hostile text in every text column (and the quotes still in the source)."""
    shutil.copytree(MINI, target)
    entities = list(csv.DictReader(io.StringIO((target / "entities.csv").read_text(encoding="utf-8"))))
    for i, row in enumerate(entities):
        bad = HOSTILE[i % len(HOSTILE)]
        row["name"] = f"{row['name']}{bad}"
        if row["name_en"] or row["type"] in ("city", "province", "initiative", "theme"):
            row["name_en"] = f"{row['name_en']} {HOSTILE[(i + 1) % len(HOSTILE)]}"
        row["aliases"] = "|".join(a for a in (row["aliases"], f"别名{i}{HOSTILE[(i + 2) % len(HOSTILE)]}") if a)
        row["description"] = "说明" + "".join(HOSTILE)
    relations = list(csv.DictReader(io.StringIO((target / "relations.csv").read_text(encoding="utf-8"))))
    quotes = []
    for i, row in enumerate(relations):
        if row["evidence"]:
            row["evidence"] = f"{row['evidence']}{HOSTILE[i % len(HOSTILE)]}"
            quotes.append(row["evidence"])
    for name, rows in (("entities.csv", entities), ("relations.csv", relations)):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (target / name).write_text(buffer.getvalue(), encoding="utf-8")
    source = target / "sources" / "mini-article.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\n" + "\n".join(quotes) + "\n", encoding="utf-8")
    return target


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def embedded(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="pg-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


def nodes_of(data: dict) -> dict[str, dict]:
    """The page's node rows by id, each as a dict of its columns (row i is node ``ids[i]``)."""
    columns = data["nodes"]["columns"]
    return {data["ids"][i]: dict(zip(columns, row, strict=True)) for i, row in enumerate(data["nodes"]["rows"])}


def edges_of(data: dict) -> list[dict]:
    """The page's edge rows as dicts, ``from`` and ``to`` as ids and ``quotes`` as text."""
    out = []
    for row in data["edges"]["rows"]:
        columns = data["edges"]["columns"]
        e = dict(zip(columns, row + [None] * (len(columns) - len(row)), strict=True))  # a row stops early
        e["from"], e["to"] = data["ids"][e["from"]], data["ids"][e["to"]]
        e["quotes"] = [data["strings"][q] for q in e["quotes"] or []]
        out.append(e)
    return out


def cited(data: dict, key: str) -> list[list]:
    """``relations`` or ``evidence`` rows as the page reads them: three ids, then quote, document, before, after."""
    strings = data["strings"]
    out = []
    for *ids, q in data[key]:
        row = [data["ids"][i] if isinstance(i, int) else i for i in ids]
        if q < 0:
            out.append([*row, "", -1, "", ""])
        else:
            text, doc, before, after = data["quotes"][q]
            out.append([*row, strings[text], doc, strings[before], strings[after]])
    return out


def style_of(data: dict, node: dict) -> dict:
    return data["styles"][node["style"]] if node["style"] is not None else {}


@pytest.fixture(scope="module")
def hostile_model(tmp_path_factory):
    return Model(load_dataset(write_hostile_dataset(tmp_path_factory.mktemp("hostile") / "data")))


@pytest.mark.parametrize("spec", MINI_VIEWS, ids=lambda s: f"{s.kind}-{s.layout}-{s.level}")
def test_page_is_offline_and_self_contained(mini_model, spec):
    html = render_html(mini_model, spec)
    assert not re.search(r"https?://|ftp://|wss?://", html, re.I)
    assert set(re.findall(r"url\(\s*['\"]?([a-z]+):", html, re.I)) <= {"data"}
    tags = parse(html).tags
    assert [t for t, _ in tags if t in ("link", "iframe", "img", "object", "embed", "base")] == []
    assert [a for _, a in tags if "src" in a or "href" in a] == []
    assert [t for t, a in tags if t == "script"] == ["script"] * 5  # data, vis-network, page, presenting, present


def test_page_is_deterministic():
    for spec in MINI_VIEWS:
        first = render_html(Model(load_dataset(MINI)), spec)
        second = render_html(Model(load_dataset(MINI)), spec)
        assert first == second, spec


def test_content_security_policy_admits_exactly_the_page_scripts(mini_model):
    html = render_html(mini_model, ViewSpec())
    parsed = parse(html)
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline' " not in csp.split(";")[1]
    executable = [
        s for (t, a), s in zip([x for x in parsed.tags if x[0] == "script"], parsed.scripts, strict=True) if not a
    ]
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in executable]
    assert csp.split(";")[1].split()[1:] == hashes


def test_hostile_text_never_becomes_markup(hostile_model):
    for spec in MINI_VIEWS:
        html = render_html(hostile_model, spec)
        parsed = parse(html)
        assert [t for t, _ in parsed.tags if t in ("img", "svg", "a", "iframe")] == [], spec
        assert len(parsed.scripts) == 5 and html.lower().count("</script") == 5
        assert "window.__pwned" not in "".join(parsed.scripts[1:])  # only inside the JSON data block
        data = embedded(html)
        # the text arrives whole, as data (not evaluated as a template either)
        descriptions = {dict(d["rows"]).get("说明") for d in data["details"].values()}
        assert descriptions == {"说明" + "".join(HOSTILE)}, spec
        assert all("<" not in s for s in re.findall(r"<title>(.*?)</title>", html))


def test_hostile_quotes_are_kept_verbatim_in_tooltips_and_panel(hostile_model):
    data = page_data(hostile_model, ViewSpec("initiative", "initiative:red-property"))
    edge = next(e for e in edges_of(data) if (e["from"], e["to"]) == ("practice:jia-down", "initiative:red-property"))
    quote = next(
        r.evidence
        for r in hostile_model.dataset.relations
        if (r.source, r.relation, r.target) == ("practice:jia-down", "instance_of", "initiative:red-property")
    )
    assert edge["quotes"] == [quote]
    assert ["city:jia", "initiative:red-property", "practice:jia-down", quote, 0] in [
        e[:5] for e in cited(data, "evidence")
    ]
    assert ["practice:jia-down", "instance_of", "initiative:red-property", quote, 0] in [
        r[:5] for r in cited(data, "relations")
    ]


def test_each_quote_and_name_travels_once(real_model):
    data = page_data(real_model, ViewSpec(level="initiative"))
    assert len(data["strings"]) == len(set(data["strings"]))
    assert len(data["ids"]) == len(set(data["ids"])) == len(data["names"])
    keys = [(data["strings"][q[0]], q[1]) for q in data["quotes"]]
    assert len(keys) == len(set(keys))
    # a quote shared by a measure's reports, instance_of and adoption rows is one row of the quote table
    used = [r[3] for r in data["relations"] if r[3] >= 0] + [e[3] for e in data["evidence"]]
    assert len(used) > len(set(used))


@given(st.text())
def test_embedded_json_cannot_close_its_script_and_reads_back(text):
    out = embed_json({"t": text})
    assert not set(out) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(out) == {"t": text}


@given(st.text())
def test_embedded_json_escaped_as_bytes_is_the_text_escaped_then_encoded(text):
    value = {"t": text, "l": [text, 1, 0.5, None], text: "/<"}
    assert embed_json_bytes(value) == embed_json(value).encode("utf-8")


@pytest.mark.parametrize("which", ["mini", "real", "hostile"])
def test_page_written_as_bytes_is_the_page_text_encoded(which, mini_model, real_model, hostile_model, tmp_path):
    model = {"mini": mini_model, "real": real_model, "hostile": hostile_model}[which]
    specs = [*MINI_VIEWS, ViewSpec(level="initiative", lang="en")] if which != "real" else OVERVIEWS
    for spec in specs:
        data = page_data(model, spec)
        assert render_page_bytes(data) == render_page(data).encode("utf-8"), spec
        target = write_view(model, spec, tmp_path / "v.html")
        assert target.read_bytes() == render_html(model, spec).encode("utf-8"), spec


def test_nodes_edges_and_legend(mini_model):
    data = page_data(mini_model, ViewSpec())
    nodes = nodes_of(data)
    assert data["ids"][: len(nodes)] == sorted(nodes)
    assert [t["type"] for t in data["types"]] == ["city", "initiative", "theme", "practice", "province"]
    assert {t["type"]: t["count"] for t in data["types"]}["practice"] == 5
    jia = nodes["city:jia"]
    assert jia["label"] == "甲山市" and jia["type"] == "city"
    assert style_of(data, jia)["font"] == {"size": 24, "bold": True}
    # what the page writes the tooltip from (the browser tests read the tooltip itself)
    assert data["details"]["city:jia"]["en"] == "Jia" and data["details"]["city:jia"]["count"] == "2 项共同举措"
    assert page_data(mini_model, ViewSpec(lang="en"))["details"]["city:jia"]["count"] == "2 initiatives"
    assert data["options"]["nodes"]["font"]["face"] == FONT_STACK
    assert data["options"]["edges"]["smooth"] is False
    assert data["options"]["physics"]["stabilization"]["iterations"] <= 200
    edge = next(
        e for e in edges_of(data) if (e["from"], e["to"]) == ("practice:jia-report", "initiative:cadres-to-communities")
    )
    assert edge["relation"] == "instance_of" and edge["quotes"] == ["到居住地社区报到"]
    assert data["documents"][edge["document"]] == "测试文章（测试报 2020-10-22）"
    assert edge["title"] is None  # written by the page
    assert data["meta"]["subtitle"] == "来源：测试文章（测试报 2020-10-22）"


def test_details_of_a_city_hold_evidence_peers_and_recommendations(mini_model):
    data = page_data(mini_model, ViewSpec(metric="jaccard"))
    jia = data["details"]["city:jia"]
    assert ["英文名", "Jia"] in jia["rows"] and ["别名", "甲城、Jiashi"] in jia["rows"]
    # peers: [id, rank, score, p-value, shared], recommendations: [id, rank, score, peers having it]
    assert sorted(p[0] for p in jia["peers"]) == ["city:bing", "city:yi"]
    assert {p[0]: p[4] for p in jia["peers"]} == {
        "city:bing": ["initiative:red-property"],
        "city:yi": ["initiative:cadres-to-communities"],
    }
    assert jia["peers"][0][2] == pytest.approx(1 / 3, abs=1e-4)  # jaccard: 1 shared of 3, to 4 decimals
    assert jia["recommendations"] == [
        ["initiative:political-assessment", 1, 0.5, ["city:bing"]],
        ["initiative:volunteering", 2, 0.5, ["city:yi"]],
    ]
    # each quote once, with its document, for the panel's evidence lists
    assert data["documents"] == ["测试文章（测试报 2020-10-22）"]
    own = [e[:5] for e in cited(data, "evidence") if e[0] == "city:jia"]
    assert own == [
        ["city:jia", "initiative:cadres-to-communities", "practice:jia-report", "到居住地社区报到", 0],
        ["city:jia", "initiative:red-property", "practice:jia-down", "推行红色物业", 0],
    ]
    reports = [r for r in cited(data, "relations") if r[:2] == ["city:jia", "reports"]]
    assert [r[3] for r in reports] == ["甲山市:党员下沉社区 推动治理", "机关党员干部到居住地社区报到"]
    assert dict(zip(data["ids"], data["names"], strict=True))["practice:jia-report"] == "到居住地社区报到"


def test_every_city_lists_what_it_could_learn(real_model):
    from graph.recommend import recommendations

    data = page_data(real_model, ViewSpec())
    for city in real_model.incidence.cities:
        want = [r.initiative for r in recommendations(real_model, city, top=5, peers=5)]
        got = data["details"][city]["recommendations"]
        assert [r[0] for r in got] == want


def test_search_index_holds_names_english_names_aliases_and_short_city_names(mini_model):
    index = dict(page_data(mini_model, ViewSpec())["search"])
    assert {"甲山市", "甲山", "jia", "甲城", "jiashi", "city:jia"} <= set(index["city:jia"])
    assert "cadresdowntocommunities" in index["initiative:cadres-to-communities"]


def test_sizes_follow_how_many_cities_share_an_initiative_and_how_many_initiatives_a_city_has(real_model):
    data = page_data(real_model, ViewSpec(level="initiative"))
    inc = real_model.adoption  # the views draw every initiative, ways of working included
    counts = dict(zip(inc.initiatives, inc.df.tolist(), strict=True))
    counts.update(zip(inc.cities, inc.matrix.getnnz(axis=1).tolist(), strict=True))
    for kind in ("city", "initiative"):
        nodes = [(i, n) for i, n in nodes_of(data).items() if n["type"] == kind]
        by_count = sorted(nodes, key=lambda n: counts[n[0]])
        sizes = [n["size"] for _, n in by_count]
        assert sizes == sorted(sizes) and sizes[0] < sizes[-1], kind


def test_large_views_get_positions_from_python_and_no_physics(mini_model, monkeypatch):
    monkeypatch.setattr("graph.render.page.PHYSICS_MAX_NODES", 5)
    data = page_data(mini_model, ViewSpec())
    assert data["options"]["physics"]["enabled"] is False and data["meta"]["physics"] is False
    nodes = nodes_of(data).values()
    assert all(n["x"] is not None and n["y"] is not None for n in nodes)
    assert all(style_of(data, n)["physics"] is False for n in nodes)
    monkeypatch.undo()
    small = page_data(mini_model, ViewSpec())
    assert small["options"]["physics"]["enabled"] is True
    assert not any(n["x"] is not None or "physics" in style_of(small, n) for n in nodes_of(small).values())


def test_map_view_pins_cities_and_lets_the_rest_settle(mini_model):
    data = page_data(mini_model, ViewSpec(layout="map"))
    for n in nodes_of(data).values():
        assert n["x"] is not None and n["y"] is not None
        assert ("fixed" in style_of(data, n)) == (n["type"] == "city")


def test_similarity_edges_are_as_wide_as_their_score_and_list_the_shared_initiatives(mini_model):
    data = page_data(mini_model, ViewSpec("similarity", metric="jaccard"))
    view = select(mini_model, ViewSpec("similarity", metric="jaccard"))
    assert len(data["edges"]["rows"]) == view.number_of_edges() == 4
    top = max(score for *_, score in view.edges(data="score"))
    for e in edges_of(data):
        score = view.edges[e["from"], e["to"], "similar"]["score"]
        assert e["width"] == pytest.approx(1 + 9 * score / top, abs=0.01)
        assert "共同举措：" in e["title"] and data["styles"][e["style"]]["dashes"] is True  # none significant here
        assert "不显著" in e["title"]
    assert data["options"]["edges"]["arrows"]["to"]["enabled"] is False


def test_write_view_writes_utf8_atomically(mini_model, tmp_path):
    target = tmp_path / "v.html"
    assert write_view(mini_model, ViewSpec(), target) == target
    assert target.read_text(encoding="utf-8") == render_html(mini_model, ViewSpec())
    assert [p.name for p in tmp_path.iterdir()] == ["v.html"]


def test_write_view_leaves_the_old_file_when_the_view_fails(mini_model, tmp_path):
    target = tmp_path / "v.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnknownNameError):
        write_view(mini_model, ViewSpec("city", "戊"), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["v.html"]


def test_write_view_into_a_missing_folder_is_an_input_error(mini_model, tmp_path):
    with pytest.raises(InputError, match="folder .* does not exist"):
        write_view(mini_model, ViewSpec(), tmp_path / "no" / "v.html")


def test_details_panel_carries_each_peers_stability(real_model):
    from graph.render.page import page_data
    from graph.views import ViewSpec

    data = page_data(real_model, ViewSpec())
    peers = data["details"]["city:qianjiang"]["peers"]
    first = peers[0]
    assert first[5] == "fragile" and 0 <= first[6] < 0.8
    assert "党员干部下沉社区" in first[7] and first[8]
    assert all(p[7] is None for p in peers[1:])


def test_evidence_carries_the_rest_of_its_sentence_from_the_source(real_model):
    data = page_data(real_model, ViewSpec("city", "荆门"))
    text = "".join(real_model.dataset.texts.values())
    with_context = [e for e in cited(data, "evidence") if e[5] or e[6]]
    assert len(with_context) >= len(data["evidence"]) // 2
    for e in with_context:
        assert e[5].lstrip("…") + e[3] + e[6].rstrip("…") in text


def test_reverse_relations_read_from_the_other_side(mini_model):
    data = page_data(mini_model, ViewSpec())
    assert list(data["relationLabels"]["part_of"]) == ["属于做法", "包含措施"]
    english = page_data(mini_model, ViewSpec(lang="en"))
    assert list(english["relationLabels"]["located_in"]) == ["located in", "contains"]
    assert english["ui"]["learn_title"] == "Could learn" and data["ui"]["learn_title"] == "可以借鉴"


def _overview_one_relation_at_a_time(model: Model, spec: ViewSpec):
    """The overview as a networkx graph built the plain way: one entity, one relation, one adoption at a time."""
    import networkx as nx

    from graph.views import VIEW_TYPES

    types = set(VIEW_TYPES) - ({"practice"} if spec.level == "initiative" else set())
    graph = nx.MultiDiGraph()
    for e in sorted(model.dataset.entities.values(), key=lambda e: e.id):
        if e.type in types:
            attrs = {k: v for k, v in e.as_row().items() if k not in ("id", "lat", "lon")}
            if e.lat is not None:
                attrs["lat"], attrs["lon"] = e.lat, e.lon
            graph.add_node(e.id, **attrs)
    for r in model.dataset.relations:
        if r.source in graph and r.target in graph:
            attrs = {"relation": r.relation, "evidence": r.evidence, "document": r.document}
            graph.add_edge(r.source, r.target, r.relation, **attrs)
    if spec.level == "initiative":
        for (city, initiative), items in model.adoption.evidence.items():
            quotes = "\n".join(dict.fromkeys(ev.quote for ev in items))
            practices = [ev.practice for ev in items]
            graph.add_edge(city, initiative, "adopts", relation="adopts", evidence=quotes, document=items[0].document,
                           practices=practices)  # fmt: skip
    graph.graph.update(select(model, spec).graph)
    return graph


OVERVIEWS = [
    ViewSpec(),
    ViewSpec(level="initiative", lang="en"),
    ViewSpec(layout="map"),
    ViewSpec(level="initiative", layout="map", lang="en"),
]


@pytest.mark.parametrize("laid_out", [False, True], ids=["physics", "positions"])
@pytest.mark.parametrize("spec", OVERVIEWS, ids=lambda s: f"{s.level}-{s.layout}-{s.lang}")
@pytest.mark.parametrize("which", ["mini", "real", "hostile"])
def test_overview_from_the_columns_equals_the_overview_built_one_relation_at_a_time(
    which, spec, laid_out, mini_model, real_model, hostile_model, monkeypatch
):
    model = {"mini": mini_model, "real": real_model, "hostile": hostile_model}[which]
    if laid_out:  # positions computed in Python (a force layout, or the map's) for every node
        monkeypatch.setattr("graph.render.page.PHYSICS_MAX_NODES", 5)
    assert page_data(model, spec) == page_data(model, spec, _overview_one_relation_at_a_time(model, spec))


@pytest.mark.parametrize("spec", [ViewSpec(), ViewSpec("city", "荆门", level="initiative")], ids=["overview", "city"])
def test_relations_adoptions_and_quotes_read_back_as_the_dataset_has_them(real_model, spec):
    from graph.textutil import sentence_around

    data = page_data(real_model, spec)
    ids, strings, documents = data["ids"], data["strings"], data["documents"]

    def quote(i):
        if i == -1:
            return None
        text, doc, before, after = data["quotes"][i]
        return strings[text], documents[doc] if doc >= 0 else None, strings[before], strings[after]

    def expected(text, doc):
        if not text:
            return None
        around = sentence_around(real_model.dataset.texts.get(doc, ""), text) if doc else None
        e = real_model.dataset.entities.get(doc)
        label = None if not doc else doc if e is None else f"{e.name}（{e.description}）" if e.description else e.name
        return (text, label, *(around or ("", "")))

    members = set(ids[: len(data["nodes"]["rows"])])
    relations = [
        [r.source, r.relation, r.target, expected(r.evidence, r.document)]
        for r in real_model.dataset.relations
        if r.source in members or r.target in members
    ]
    assert [[ids[a], r, ids[b], quote(q)] for a, r, b, q in data["relations"]] == relations
    adoptions = [
        [city, initiative, ev.practice, expected(ev.quote, ev.document)]
        for (city, initiative), items in sorted(real_model.adoption.evidence.items())
        if city in members or initiative in members
        for ev in items
    ]
    assert [[ids[a], ids[b], ids[c], quote(q)] for a, b, c, q in data["evidence"]] == adoptions
    assert any(q[2] for q in map(quote, range(len(data["quotes"])))) and len(set(strings)) == len(strings)
