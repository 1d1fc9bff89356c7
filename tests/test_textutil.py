"""graph.textutil: where jieba keeps its dictionary cache; the sentence around a quote."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st


def test_jieba_cache_is_per_user_and_private(tmp_path, monkeypatch):
    import os
    import stat

    from graph import textutil

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(textutil, "_TOKENIZERS", {})
    folder = textutil.jieba_cache_dir()
    assert folder == tmp_path / "cache" / "practice-graph" / "jieba"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    tokenizer = textutil.jieba_plain()
    assert tokenizer.tmp_dir == str(folder)
    assert [p.name for p in folder.iterdir()] == ["jieba.cache"]  # the dictionary cache went there
    os.chmod(folder, 0o777)  # opened up by someone: made private again
    assert stat.S_IMODE(textutil.jieba_cache_dir().stat().st_mode) == 0o700


def test_jieba_cache_refuses_a_folder_planted_as_a_symlink(tmp_path, monkeypatch):
    from graph import textutil

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "cache" / "practice-graph").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "cache" / "practice-graph" / "jieba").symlink_to(tmp_path / "elsewhere")
    folder = textutil.jieba_cache_dir()
    assert folder.parent != tmp_path / "cache" / "practice-graph" and folder.name.startswith("practice-graph-jieba-")


@pytest.mark.parametrize("one_pass", [False, True])
@given(
    text=st.text(alphabet="甲乙丙。！？!?\n ，a", max_size=60),
    picks=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=8),
    others=st.lists(st.text(alphabet="甲乙丁。\n", min_size=1, max_size=4), max_size=3),
)
def test_sentences_around_many_quotes_at_once_equals_one_by_one(one_pass, text, picks, others):
    from graph import textutil

    quotes = [text[i : i + n] for i, n in picks if text[i : i + n]] + others
    saved = textutil._FIND_BELOW
    textutil._FIND_BELOW = 0 if one_pass else saved  # the automaton, or str.find per quote
    try:
        got = textutil.sentences_around(text, quotes, limit=5)
    finally:
        textutil._FIND_BELOW = saved
    want = {q: textutil.sentence_around(text, q, limit=5) for q in quotes}
    assert got == {q: v for q, v in want.items() if v is not None}
