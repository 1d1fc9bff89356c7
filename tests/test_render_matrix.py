"""graph.render.matrix: the matrix page is offline, deterministic and safe, ordered, and carries what it shows."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from graph.dataset import load_dataset
from graph.errors import InputError, RequestError, UnknownNameError
from graph.model import Model
from graph.render.matrix import (
    check_view_options,
    compare_cities,
    default_matrix_filename,
    matrix_data,
    matrix_order,
    render_matrix,
    write_matrix,
)
from tests.test_render import HOSTILE, MINI, parse, write_hostile_dataset


def embedded(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="mx-data">(.*?)</script>', html, re.S).group(1))


@pytest.fixture(scope="module")
def hostile_model(tmp_path_factory):
    return Model(load_dataset(write_hostile_dataset(tmp_path_factory.mktemp("hostile-matrix") / "data")))


def test_every_adoption_is_a_cell_with_its_quote_in_its_sentence(real_model):
    data = matrix_data(real_model)
    inc = real_model.incidence
    assert len(data["rows"]) == len(inc.cities) and len(data["cols"]) == len(inc.initiatives)
    assert len(data["cells"]) == len(inc.indices)
    rows = [r[0] for r in data["rows"]]
    cols = [c[0] for c in data["cols"]]
    cells = {(rows[r], cols[c]): refs for r, c, refs in data["cells"]}
    assert set(cells) == set(inc.evidence)
    refs = cells[("city:qianjiang", "initiative:cadres-to-communities")]
    practice, quote, doc, before, after = data["evidence"][refs[0]]
    text = real_model.dataset.texts[next(iter(real_model.dataset.texts))]
    assert quote and (before + quote + after) in text and doc == 0
    assert data["documents"][0].startswith("2020汉江流域")
    # columns count their cities, provinces are named
    assert {c[0]: c[3] for c in data["cols"]}["initiative:cadres-to-communities"] == len(
        inc.cities_of("initiative:cadres-to-communities")
    )
    assert data["provinces"] and all(r[3] >= 0 for r in data["rows"])


def test_order_groups_communities_and_puts_alike_cities_side_by_side(real_model):
    from graph.analysis import city_communities

    cities, initiatives, community = matrix_order(real_model)
    assert sorted(cities) == sorted(real_model.incidence.cities)
    assert sorted(initiatives) == sorted(real_model.incidence.initiatives)
    assert community == sorted(community)  # one block per community, largest first
    groups = city_communities(real_model)
    for k, group in enumerate(groups):
        assert sorted(c for c, m in zip(cities, community, strict=True) if m == k) == sorted(group)
    # the seed's headline pairs are neighbours
    for a, b in (("city:qianjiang", "city:suizhou"), ("city:shangluo", "city:tianmen")):
        assert abs(cities.index(a) - cities.index(b)) == 1
    # an initiative only one city reports sits among that city's columns' neighbourhood: its centre is the city's
    again = matrix_order(Model(load_dataset(real_model.dataset.root)))
    assert again == (cities, initiatives, community)


def test_pairs_carry_score_p_and_stability_as_similar_gives_them(real_model):
    from graph.similarity import top_peers
    from graph.stability import peer_stability

    data = matrix_data(real_model)
    rows = [r[0] for r in data["rows"]]
    n = len(rows)
    assert data["meta"]["allPairs"] and len(data["pairs"]) == n * (n - 1) // 2
    peer = top_peers(real_model, "city:qianjiang", top=1)[0]
    fig = peer_stability(real_model, [peer], "idf-cosine")[0]
    a, b = rows.index("city:qianjiang"), rows.index(peer.peer)
    pair = next(p for p in data["pairs"] if {p[0], p[1]} == {a, b})
    assert pair[2] == round(peer.score, 4) and pair[3] == float(f"{peer.p_value:.3g}")
    seen_from_a = pair[4:7] if pair[0] == a else pair[7:10]
    assert seen_from_a == [1, fig["support"], fig["stability"]]


def test_compare_opens_on_the_pair_and_names_it(real_model):
    data = matrix_data(real_model, compare=("潜江", "Suizhou"), lang="en")
    rows = [r[0] for r in data["rows"]]
    assert [rows[i] for i in data["meta"]["compare"]] == ["city:qianjiang", "city:suizhou"]
    assert data["meta"]["title"] == "Comparing 潜江市 and 随州市"
    assert data["meta"]["file"] == "compare-潜江市-随州市" and data["ui"]["both"] == "Both report"


@pytest.mark.parametrize(
    "names, error",
    [
        (("潜江", "潜江市"), RequestError),
        (("潜", "随州"), UnknownNameError),
        (("潜江", "党员干部下沉社区"), RequestError),
    ],
)
def test_compare_refuses_what_is_not_two_cities(real_model, names, error):
    with pytest.raises(error):
        compare_cities(real_model, *names)


def test_a_large_dataset_carries_the_nearest_peers_and_the_asked_pair(tmp_path):
    from benchmarks.synth import write_dataset

    model = Model(load_dataset(write_dataset(tmp_path / "s", cities=60, initiatives=120)))
    cities = model.incidence.cities
    data = matrix_data(model, compare=(cities[0], cities[-1]))
    rows = [r[0] for r in data["rows"]]
    assert not data["meta"]["allPairs"] and len(data["pairs"]) < 60 * 59 // 2
    a, b = rows.index(cities[0]), rows.index(cities[-1])
    assert any({p[0], p[1]} == {a, b} for p in data["pairs"])
    assert all(p[0] < p[1] for p in data["pairs"])


def test_page_is_offline_deterministic_and_has_its_scripts_inline(mini_model):
    html = render_matrix(mini_model)
    assert not re.search(r"https?://|ftp://|wss?://", html, re.I)
    parsed = parse(html)
    tags = parsed.tags
    assert [a for _, a in tags if "src" in a or "href" in a] == []
    assert [t for t, _ in tags if t == "script"] == ["script"] * 3  # the data, presenting.js, matrix.js
    assert html == render_matrix(Model(load_dataset(MINI)))
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    executable = [s for (t, a), s in zip([x for x in tags if x[0] == "script"], parsed.scripts, strict=True) if not a]
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in executable]
    assert len(executable) == 2 and csp.split(";")[1].split()[1:] == hashes


def test_hostile_text_stays_data(hostile_model):
    cities = hostile_model.incidence.cities
    html = render_matrix(hostile_model, compare=(cities[0], cities[1]))
    parsed = parse(html)
    assert [t for t, _ in parsed.tags if t in ("img", "svg", "a", "iframe")] == []
    assert html.lower().count("</script") == 3
    data = embedded(html)
    assert any(h in r[1] for r in data["rows"] for h in HOSTILE)
    assert any(h in e[1] for e in data["evidence"] for h in HOSTILE)
    assert all("<" not in s for s in re.findall(r"<title>(.*?)</title>", html))


def test_write_matrix_names_the_file_and_refuses_a_missing_folder(mini_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert write_matrix(mini_model).name == "matrix.html"
    assert write_matrix(mini_model, compare=("甲山", "乙水")).name == "compare-甲山市-乙水市.html"
    with pytest.raises(InputError):
        write_matrix(mini_model, tmp_path / "missing" / "m.html")
    assert default_matrix_filename(("a/b", "c")) == "compare-a-b-c.html"


def test_other_view_options_are_refused_beside_the_matrix():
    check_view_options(False, None, city="潜江")
    with pytest.raises(RequestError, match="--compare and --layout"):
        check_view_options(False, ("a", "b"), layout="map")


def test_ways_of_working_left_out_are_said_on_the_page_and_for_each_city(real_model):
    """The matrix counts what similarity compares (潜江市: 5 initiatives); its city view draws 6, the sixth a way of
    working: the page says so in its subtitle, in its panel, and at the city."""
    from graph import open_model
    from graph.model import method_initiatives
    from graph.render.matrix import left_out_methods
    from graph.views import ViewSpec, select

    qianjiang = "city:qianjiang"
    methods = left_out_methods(real_model)
    assert len(methods) == 4 and set(methods) <= method_initiatives(real_model.dataset)
    data = matrix_data(real_model)
    row = [r[0] for r in data["rows"]].index(qianjiang)
    in_matrix = [data["cols"][c][1] for r, c, *_ in data["cells"] if r == row]
    drawn = select(real_model, ViewSpec(kind="city", name="潜江"))
    own = real_model.adoption.initiatives_of(qianjiang)  # what its city view draws as its own
    assert set(own) <= set(drawn.nodes)
    assert len(in_matrix) == 5 and len(own) == 6
    (missing,) = set(own) - set(real_model.incidence.initiatives_of(qianjiang))
    assert data["methods"][str(row)] == [f"“{real_model.name(missing)}”"]
    assert "13 个城市 × 41 项举措（不含 4 项工作方式）" in data["meta"]["subtitle"]
    assert data["meta"]["methods_note"].startswith("矩阵与相似度一样只比较具体举措，不含 4 项工作方式（“")
    assert "--include-methods" in data["meta"]["methods_note"]
    html = render_matrix(real_model)
    assert data["meta"]["methods_note"] in html
    english = matrix_data(real_model, lang="en")
    assert "41 initiatives (without 4 ways of working)" in english["meta"]["subtitle"]
    assert english["methods"][str(row)] == [real_model.name(missing)]
    # with the ways of working counted, the matrix and the city view agree and nothing is said
    counted = open_model(None, include_methods=True)
    data = matrix_data(counted)
    row = [r[0] for r in data["rows"]].index(qianjiang)
    assert len([1 for r, *_ in data["cells"] if r == row]) == 6
    assert data["methods"] == {} and data["meta"]["methods_note"] == ""
    assert "工作方式" not in data["meta"]["subtitle"] and 'id="mx-methods"' not in render_matrix(counted)
