"""graph.render.timeline: the timeline page is offline, deterministic and safe, and carries who reported what when."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from graph.dataset import load_dataset
from graph.errors import InputError, RequestError
from graph.model import Model
from graph.render.timeline import TIMELINE_UI, render_timeline, timeline_data, write_timeline
from tests.conftest import FIXTURES
from tests.test_render import HOSTILE, parse

HISTORY = FIXTURES / "history"


def embedded(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="tl-data">(.*?)</script>', html, re.S).group(1))


def write_hostile_history(target: Path) -> Path:
    """The dated test dataset with hostile text in every name, alias, description and quote (quotes still in
    their sources)."""
    shutil.copytree(HISTORY, target)
    entities = list(csv.DictReader(io.StringIO((target / "entities.csv").read_text(encoding="utf-8"))))
    for i, row in enumerate(entities):
        row["name"] += HOSTILE[i % len(HOSTILE)]
        row["aliases"] = "|".join(a for a in (row["aliases"], f"别名{i}{HOSTILE[(i + 2) % len(HOSTILE)]}") if a)
        row["description"] = "说明" + "".join(HOSTILE)
    relations = list(csv.DictReader(io.StringIO((target / "relations.csv").read_text(encoding="utf-8"))))
    added: dict[str, list[str]] = {}
    for i, row in enumerate(relations):
        if row["evidence"]:
            row["evidence"] += HOSTILE[i % len(HOSTILE)]
            added.setdefault(row["document"], []).append(row["evidence"])
    for name, rows in (("entities.csv", entities), ("relations.csv", relations)):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (target / name).write_text(buffer.getvalue(), encoding="utf-8")
    for doc, quotes in added.items():
        path = target / "sources" / (doc.split(":", 1)[1] + ".txt")
        path.write_text(path.read_text(encoding="utf-8") + "\n".join(quotes) + "\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hist():
    return Model(load_dataset(HISTORY))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return Model(load_dataset(write_hostile_history(tmp_path_factory.mktemp("hostile") / "data")))


CASES = [{}, {"initiative": "initiative:red-property"}, {"city": "city:jia"}, {"ties": True}]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_timeline_page_is_offline_deterministic_and_has_one_script(hist, case):
    html = render_timeline(hist, **case)
    assert not re.search(r"https?://|ftp://|wss?://", html, re.I)
    tags = parse(html).tags
    assert [t for t, _ in tags if t in ("link", "iframe", "img", "object", "embed", "base")] == []
    assert [a for _, a in tags if "src" in a or "href" in a] == []
    assert [t for t, _ in tags if t == "script"] == ["script"] * 2
    assert html == render_timeline(Model(load_dataset(HISTORY)), **case)


def test_csp_admits_exactly_the_page_script(hist):
    parsed = parse(render_timeline(hist))
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    executable = [
        s for (t, a), s in zip([x for x in parsed.tags if x[0] == "script"], parsed.scripts, strict=True) if not a
    ]
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in executable]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert csp.split(";")[1].split()[1:] == hashes


def test_page_carries_the_first_reports_the_window_and_the_caveat(hist):
    html = render_timeline(hist, "红色物业")
    data = embedded(html)
    assert [r["name"] for r in data["rows"]] == ["甲山市", "乙水市", "丙川市", "丁原市"]
    assert [(p["date"], p["order"]) for p in data["points"]] == [
        ("2019-05-10", 1),
        ("2020-07-01", 2),
        ("2021-03-15", 3),
        ("2023-09-20", 4),
    ]
    assert data["points"][0]["quote"] == "甲山市坚持党建引领，推行红色物业"
    assert "观察期：最早有日期的来源 2019-05-10，最晚 2023-09-20" in html
    assert "不是采用日期" in html
    assert data["arrows"] == []
    english = render_timeline(hist, "红色物业", lang="en")
    assert "Observation window: first dated source 2019-05-10, last 2023-09-20" in english
    assert "not adoption dates" in english


def test_ties_join_two_reports_of_one_initiative(hist):
    data = timeline_data(hist, ties=True)
    assert data["arrows"]
    for arrow in data["arrows"]:
        a, b = data["points"][arrow["from"]], data["points"][arrow["to"]]
        assert a["initiative"] == b["initiative"] and a["t"] < b["t"]


def test_undated_reports_are_named_apart(hist):
    assert timeline_data(hist)["undated"] == [["戊城市", "党员干部下沉社区"]]
    assert timeline_data(hist, city="甲山")["undated"] == []


def test_hostile_text_never_becomes_markup(hostile):
    for case in CASES:
        html = render_timeline(hostile, **case)
        for bad in HOSTILE:
            for fragment in ("<script>window", "<img", "<svg onload", "<a href", "</script><script>"):
                if fragment in bad:
                    assert html.count(fragment) == 0, (case, fragment)
        tags = parse(html).tags
        assert [t for t, _ in tags if t == "script"] == ["script"] * 2
        data = embedded(html)
        names = [r["name"] for r in data["rows"]] + [x["name"] for x in data["initiatives"]]
        assert any(bad in name for bad in HOSTILE for name in names)  # the text arrives, as data


def test_write_timeline_and_its_errors(hist, tmp_path):
    path = write_timeline(hist, tmp_path / "t.html", city="甲山")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(InputError):
        write_timeline(hist, tmp_path / "no" / "t.html")
    with pytest.raises(RequestError):
        write_timeline(hist, tmp_path / "t.html", "红色物业", "甲山")


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
DATA_KEYS = ("rows", "initiatives", "points", "sources", "undated")


def page_words(html: str) -> str:
    """The page's own words: its text and attributes outside the data block, and the JSON apart from the data's
    names, quotes and sources."""
    data = embedded(html)
    own = [v for k in ("meta", "ui") for v in data[k].values() if isinstance(v, str)]
    assert set(data) - {"meta", "ui", "window", "arrows"} == set(DATA_KEYS)  # no other words travel
    markup = re.sub(r"<script[^>]*>.*?</script>|<style>.*?</style>", " ", html, flags=re.S)
    return markup + "\n".join(own)


@pytest.mark.parametrize("case", [{"ties": True}, {"initiative": "initiative:red-property"}], ids=str)
def test_each_language_alone_and_the_same_bytes(hist, case):
    zh, en = render_timeline(hist, **case), render_timeline(hist, **case, lang="en")
    assert '<html lang="zh-CN">' in zh and '<html lang="en">' in en
    assert zh == render_timeline(Model(load_dataset(HISTORY)), **case)
    assert en == render_timeline(Model(load_dataset(HISTORY)), **case, lang="en")
    subject = [hist.name("initiative:red-property")] if "initiative" in case else []
    en_words = page_words(en)
    for name in subject:  # a name in the title is data
        en_words = en_words.replace(name, "")
    assert CJK.findall(en_words) == []
    zh_words = page_words(zh)
    for label in TIMELINE_UI["en"].values():
        if re.search("[A-Za-z]{2}", label):
            assert label.strip(" :") not in zh_words, label
    for word in ("Observation", "report dates", "Click", "inferred", "Search", "Legend", "needs JavaScript"):
        assert word not in zh_words, word
    assert set(TIMELINE_UI["zh"]) == set(TIMELINE_UI["en"])
    assert not any(re.search("[A-Za-z]", v.replace("JavaScript", "")) for v in TIMELINE_UI["zh"].values())
    assert not any(CJK.search(v) for v in TIMELINE_UI["en"].values())


def test_an_unknown_language_is_a_request_error(hist):
    with pytest.raises(RequestError, match="unknown language"):
        render_timeline(hist, lang="fr")
