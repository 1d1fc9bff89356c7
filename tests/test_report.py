"""graph.report: what the page holds, that data text stays text, that it is one offline file, the same every time."""

from __future__ import annotations

import csv
import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph import report
from graph.dataset import load_dataset
from graph.errors import InputError
from graph.model import Model

#: Put in front of every text cell of the hostile dataset.
HOSTILE = (
    "<script>window.__pwned=1;alert('s')</script></script>"
    "<img src=x onerror=\"window.__pwned=2;alert('i')\">"
    '"\' href="javascript:window.__pwned=3" javascript:alert(4) '
)
_TEXT_COLUMNS = {"name", "name_en", "aliases", "description"}


def hostile_copy(mini_dir: Path, target: Path) -> Path:
    """The mini dataset with :data:`HOSTILE` in every text column, the evidence kept verbatim in its source text."""
    (target / "sources").mkdir(parents=True)
    with open(mini_dir / "entities.csv", encoding="utf-8", newline="") as fh:
        entities = list(csv.DictReader(fh))
    for row in entities:
        for column in _TEXT_COLUMNS:
            if column == "aliases":
                row[column] = "|".join(f"{HOSTILE}{a}" for a in row[column].split("|") if a)
            elif row[column] or column == "name":
                row[column] = HOSTILE + row[column]
    with open(mini_dir / "relations.csv", encoding="utf-8", newline="") as fh:
        relations = list(csv.DictReader(fh))
    quotes = []
    for row in relations:
        if row["evidence"]:
            row["evidence"] = HOSTILE + row["evidence"]
            quotes.append(row["evidence"])
    for name, rows in (("entities.csv", entities), ("relations.csv", relations)):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        (target / name).write_text(buffer.getvalue(), encoding="utf-8")
    (target / "sources" / "mini-article.txt").write_text("\n".join(quotes) + "\n", encoding="utf-8")
    return target


@pytest.fixture
def hostile_model(mini_dir, tmp_path):
    return Model(load_dataset(hostile_copy(mini_dir, tmp_path / "hostile")))


@pytest.fixture(scope="module")
def mini_report():
    from tests.conftest import MINI

    return report.build_report(Model(load_dataset(MINI)))


class _Collect(HTMLParser):
    """Tags, attributes and text of the report's own markup (the iframe's srcdoc is one attribute value)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    return parser


def test_headline_practice(mini_model):
    assert report.headline_practice(mini_model, "city:jia") == (
        "practice:jia-down",
        "甲山市:党员下沉社区 推动治理",
        "source:mini-article",
    )
    # 乙水市 reports one practice, part of nothing: that one
    assert report.headline_practice(mini_model, "city:yi")[0] == "practice:yi-down"


def test_sections_and_cards(mini_report, mini_model):
    parsed = _parse(mini_report)
    ids = {a.get("id") for _, a in parsed.tags}
    for section in ("numbers", "shared", "cities", "heatmap", "communities", "graph", "sources"):
        assert section in ids
    cards = [a for t, a in parsed.tags if t == "article"]
    assert len(cards) == 4
    # cards in order of English name: Bing, Ding, Jia, Yi
    assert [a["id"] for a in cards] == ["city-bing", "city-ding", "city-jia", "city-yi"]
    text = "".join(parsed.text)
    assert "党员下沉社区 推动治理" in text  # 甲山市's headline practice
    assert "开展志愿服务" in text  # a quote, for what 甲山市 could learn from 乙水市
    assert "可以借鉴什么、向谁借鉴" in text and "最相近的城市及原因" in text
    english = "".join(_parse(report.build_report(mini_model, "en")).text)
    assert "Could learn" in english and "Most alike" in english


def test_heatmap_cells(mini_model):
    svg = report.heatmap_svg(mini_model)
    titles = re.findall(r"<title>(.*?)</title>", svg)
    assert len(titles) == 16  # 4 x 4 cells
    assert "甲山市 × 乙水市: 0.500; shared: 党员干部下沉社区" in titles
    assert "甲山市 × 丁原市: 0.000; shared: nothing" in titles
    cells = re.findall(r'<rect x="\d+" y="\d+" width="\d+" height="\d+" fill="(#[0-9a-f]{6})"><title>', svg)
    assert len(cells) == 16 and cells.count("#c9ced6") == 4  # the diagonal


def test_heatmap_colour_scale():
    assert report._colour(0.0) == "#f7fbff" and report._colour(1.0) == "#08306b"
    assert report._colour(2.0) == report._colour(1.0)


def test_one_offline_file(mini_report):
    parsed = _parse(mini_report)
    assert "://" not in mini_report
    assert [t for t, _ in parsed.tags if t in ("script", "link", "img", "object", "embed")] == []
    frames = [a for t, a in parsed.tags if t == "iframe"]
    assert len(frames) == 1 and frames[0]["sandbox"] == "allow-scripts allow-downloads"
    inner = frames[0]["srcdoc"]
    assert inner.startswith("<!DOCTYPE html>") and "://" not in inner
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv"))
    assert csp.startswith("default-src 'none'")


def test_print_css(mini_report):
    css = mini_report[mini_report.index("<style>") : mini_report.index("</style>")]
    media = css[css.index("@media print") :]
    assert "break-inside: avoid" in media and "#graph iframe" in media and "nav.toc" in media
    assert re.search(r"@page \{ margin: \d+mm", css)  # printed pages have margins even where the browser adds none


def test_number_columns_have_number_headers(mini_model):
    section = report._communities(mini_model)
    assert '<th class="num">mean initiatives</th>' in section
    assert "<th>省</th>" in section


def test_same_data_same_bytes(mini_model, mini_report):
    assert report.build_report(mini_model) == mini_report


def test_hostile_text_stays_text(hostile_model):
    page = report.build_report(hostile_model)
    frame_start = page.index('srcdoc="')
    own = page[:frame_start] + page[page.index('"', frame_start + 8) :]
    assert "<script" not in own and "<img" not in own and "onerror=" not in own.replace("onerror=&quot;", "")
    parsed = _parse(page)
    assert [t for t, _ in parsed.tags if t in ("script", "img")] == []
    assert all(not k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    assert not [a for t, a in parsed.tags if t == "a" and not a.get("href", "#").startswith("#")]
    text = "".join(parsed.text)
    assert HOSTILE + "甲山市" in text  # shown as text, verbatim
    # the embedded page is escaped as one attribute value: its own markup comes back whole when unescaped
    srcdoc = next(a["srcdoc"] for t, a in parsed.tags if t == "iframe")
    assert html.escape(srcdoc, quote=True) in page


def test_write_report(mini_model, tmp_path):
    path = report.write_report(mini_model, tmp_path / "r.html")
    assert path.read_text(encoding="utf-8") == report.build_report(mini_model)
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
    with pytest.raises(InputError) as info:
        report.write_report(mini_model, tmp_path / "missing" / "r.html")
    assert str(info.value) == f"cannot write {tmp_path}/missing/r.html: folder {tmp_path}/missing does not exist"


def test_heatmap_is_capped(mini_model, monkeypatch):
    monkeypatch.setattr(report, "HEATMAP_MAX_CITIES", 2)
    section = report._heatmap(mini_model)
    assert len(re.findall(r"<title>", section)) == 4
    assert "只显示共同举措最多的 2 个城市（共 4 个）" in section


@pytest.mark.parametrize("limit, level", [(2000, "practice"), (12, "initiative"), (5, None)])
def test_embedded_graph_shrinks_with_size(mini_model, monkeypatch, limit, level):
    # the mini data draws 1 province, 4 cities, 5 practices, 4 initiatives and 2 themes: 16 nodes, 11 without practices
    monkeypatch.setattr(report, "GRAPH_MAX_NODES", limit)
    spec = report._graph_spec(mini_model)
    assert (spec.level if spec else None) == level
    section = report._graph(mini_model)
    assert ("<iframe" in section) == (level is not None)
    if level is None:
        assert "too many to embed here" in section


def test_the_report_hides_nothing_and_reads_on_paper(real_model):
    page = report.build_report(real_model)
    parsed = _parse(page)
    # a jump list to every city's card
    jumps = [a["href"] for t, a in parsed.tags if t == "a" and a.get("href", "").startswith("#city-")]
    cards = [a["id"] for t, a in parsed.tags if t == "article"]
    assert sorted(j[1:] for j in jumps) == sorted(cards) and len(cards) == len(real_model.incidence.cities)
    # every shared initiative named, however many (no cut at 4)
    from graph.similarity import all_top_peers

    peers = all_top_peers(real_model, "idf-cosine", report.CARD_PEERS)
    most = max((p for ps in peers.values() for p in ps), key=lambda p: len(p.shared))
    assert len(most.shared) > 4
    names = "、".join(real_model.name(x) for x, _ in most.shared)
    assert names in page
    # numbers in the heatmap's cells; hover advice only on screen; page numbers in print
    assert re.search(r'<text class="cell"[^>]*>\.\d\d</text>', page)
    assert "鼠标停在格子上" in page and '<span class="no-print">鼠标停在格子上' in page
    assert "counter(page)" in page
    # our city's quote and the peer's, each within its sentence, the quote marked
    assert page.count("<mark>") > len(cards)


def test_city_cards_say_how_stable_each_peer_is(real_model):
    page = report.build_report(real_model, "en")
    card = page[page.index('id="city-qianjiang"') :]
    card = card[: card.index("</article>")]
    assert "随州市</b>" in card and "fragile" in card
    assert "rests on 随州市: 党员干部下沉社区 → 荆门市" in card
    shangluo = page[page.index('id="city-shangluo"') :]
    assert "stable 1" in shangluo[: shangluo.index("</article>")]


def test_a_lesson_resting_on_weak_peers_only_says_so(real_model):
    from graph.recommend import all_recommendations
    from graph.similarity import all_top_peers

    weak = {(c, p.peer) for c, ps in all_top_peers(real_model, "idf-cosine", 5).items() for p in ps if p.p_value > 0.05}
    recs = all_recommendations(real_model, top=report.CARD_LEARN, peers=5, metric="idf-cosine")
    expected = sum(1 for c, rs in recs.items() for r in rs if r.peers and all((c, p) in weak for p in r.peers))
    page = report.build_report(real_model)
    assert expected > 0 and page.count('<span class="note">仅依据不显著的相似城市') == expected
