"""graph.textutil: where jieba keeps its dictionary cache."""

from __future__ import annotations


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
