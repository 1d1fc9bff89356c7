"""graph.files: atomic writes, the data folder's lock, all-or-nothing replacement, manifests, reading text."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from graph import files
from graph.dataset import load_dataset
from graph.errors import DatasetError, InputError

# ---------------------------------------------------------------------------------------------------------------
# write_atomic


def test_write_atomic_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "a.csv"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    files.write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_write_atomic_new_file_gets_the_umask_default(tmp_path):
    old = os.umask(0o027)
    try:
        files.write_atomic(tmp_path / "a.csv", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.csv").stat().st_mode) == 0o640


def test_write_atomic_writes_through_a_symlink(tmp_path):
    real = tmp_path / "real" / "view.html"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "view.html"
    link.symlink_to(real)
    assert files.write_atomic(link, "new") == link
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["view.html"]


def test_write_atomic_writes_a_pipe_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    files.write_atomic(fifo, "潜江")
    reader.join(timeout=30)
    assert got == ["潜江".encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a pipe, not replaced by a regular file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_write_atomic_to_dev_full_is_one_line_and_leaves_the_device():
    with pytest.raises(InputError) as info:
        files.write_atomic("/dev/full", "x")
    assert str(info.value) == "cannot write /dev/full: No space left on device"
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_write_atomic_to_dev_null_keeps_the_device():
    files.write_atomic("/dev/null", "x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_write_atomic_cleans_up_on_interrupt_and_failure(tmp_path, monkeypatch, error):
    target = tmp_path / "a.csv"
    target.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise error

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(KeyboardInterrupt if error is KeyboardInterrupt else InputError):
        files.write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_write_atomic_refuses_a_folder_and_a_missing_folder(tmp_path):
    with pytest.raises(InputError, match="it is a folder"):
        files.write_atomic(tmp_path, "x")
    with pytest.raises(InputError, match="does not exist"):
        files.write_atomic(tmp_path / "no" / "a.txt", "x")


def test_inside_refuses_paths_leading_out(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "out").symlink_to("/etc")
    assert files.inside(tmp_path, "sources/a.txt") == tmp_path / "sources" / "a.txt"
    for rel in ("../pwned.txt", "sources/../../pwned.txt", "sources/out/passwd", "/etc/passwd"):
        with pytest.raises(InputError, match="leads outside"):
            files.inside(tmp_path, rel)


# ---------------------------------------------------------------------------------------------------------------
# the lock


def test_a_second_writer_is_refused_with_one_line(tmp_path):
    with files.DataLock(tmp_path, timeout=0):
        with pytest.raises(files.FolderBusyError) as info:
            with files.DataLock(tmp_path, timeout=0):
                pass
    assert str(info.value) == (
        f"{tmp_path} is being written by another practice-graph process; try again when it has finished"
    )
    with files.DataLock(tmp_path, timeout=0):  # released: the next writer gets it
        pass


def test_the_lock_is_held_across_processes(tmp_path):
    code = "import sys; from graph.files import DataLock\nwith DataLock(sys.argv[1], timeout=0): print('held')\n"
    with files.DataLock(tmp_path, timeout=0):
        busy = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert busy.returncode == 1 and "FolderBusyError" in busy.stderr
    free = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert free.returncode == 0 and free.stdout == "held\n", free.stderr


def test_a_waiting_writer_gets_the_lock_when_the_first_finishes(tmp_path):
    first = files.DataLock(tmp_path, timeout=0).__enter__()
    entered = threading.Event()
    done = []

    def second():
        entered.set()
        with files.DataLock(tmp_path, timeout=30):
            done.append(True)

    thread = threading.Thread(target=second)
    thread.start()
    entered.wait(timeout=30)
    first.__exit__(None, None, None)
    thread.join(timeout=30)
    assert done == [True]


# ---------------------------------------------------------------------------------------------------------------
# replacing several files


def _folder(tmp_path) -> Path:
    root = tmp_path / "data"
    (root / "sources").mkdir(parents=True)
    (root / "entities.csv").write_text("old entities", encoding="utf-8")
    (root / "relations.csv").write_text("old relations", encoding="utf-8")
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != files.LOCK_NAME
    }


def test_replace_files_writes_every_file(tmp_path):
    root = _folder(tmp_path)
    files.replace_files(root, {"entities.csv": "new e", "relations.csv": "new r", "sources/n.txt": "text"})
    assert _snapshot(root) == {"entities.csv": b"new e", "relations.csv": b"new r", "sources/n.txt": b"text"}


def test_replace_files_second_rename_fails_leaves_the_folder_unchanged(tmp_path, monkeypatch):
    root = _folder(tmp_path)
    before = _snapshot(root)
    real_replace, calls = os.replace, []

    def second_fails(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # the journal, entities.csv, then relations.csv fails
            raise PermissionError(1, "Operation not permitted", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(InputError) as info:
        files.replace_files(root, {"entities.csv": "new e", "relations.csv": "new r", "sources/n.txt": "t"})
    assert str(info.value) == (
        f"cannot write {root / 'relations.csv'}: Operation not permitted; {root} is unchanged (previous files restored)"
    )
    assert _snapshot(root) == before
    assert sorted(p.name for p in root.iterdir() if p.name != files.LOCK_NAME) == [
        "entities.csv",
        "relations.csv",
        "sources",
    ]


_KILLED = """
import os, sys
from graph import files
real, calls = os.replace, []
def replace(src, dst):
    calls.append(dst)
    if len(calls) == int(sys.argv[2]):
        os._exit(9)  # killed between two renames
    return real(src, dst)
os.replace = replace
files.replace_files(sys.argv[1], {"entities.csv": "new e", "relations.csv": "new r", "sources/n.txt": "t"})
"""


@pytest.mark.parametrize("killed_at", [2, 3, 4])
def test_a_write_killed_between_renames_is_rolled_back_when_the_folder_is_next_opened(tmp_path, killed_at):
    root = _folder(tmp_path)
    before = _snapshot(root)
    # the 1st rename is the journal's; the 2nd, 3rd and 4th are the files'
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED, str(root), str(killed_at)], cwd=Path(__file__).parent.parent
    )
    assert killed.returncode == 9
    assert (root / files.JOURNAL_NAME).exists()
    with files.DataLock(root, timeout=0) as lock:
        assert lock.recovered.startswith(f"{root}: an earlier write was interrupted")
    assert _snapshot(root) == before
    assert sorted(p.name for p in root.iterdir() if p.name != files.LOCK_NAME) == [
        "entities.csv",
        "relations.csv",
        "sources",
    ]


def test_load_dataset_rolls_back_an_interrupted_write_first(tmp_path, mini_copy):
    before = _snapshot(mini_copy)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED.replace("new e", "broken"), str(mini_copy), "3"],
        cwd=Path(__file__).parent.parent,
    )
    assert killed.returncode == 9
    assert (mini_copy / "entities.csv").read_text(encoding="utf-8") == "broken"  # new, relations.csv still old
    load_dataset(mini_copy)
    assert _snapshot(mini_copy) == before


def test_replace_files_refuses_paths_outside_the_folder_before_writing(tmp_path):
    root = _folder(tmp_path)
    before = _snapshot(root)
    with pytest.raises(InputError, match="leads outside"):
        files.replace_files(root, {"entities.csv": "new", "sources/../../pwned.txt": "x"})
    assert _snapshot(root) == before
    assert not (tmp_path / "pwned.txt").exists()


# ---------------------------------------------------------------------------------------------------------------
# folders and manifests


def test_replace_folder_swaps_a_folder(tmp_path):
    old, new = tmp_path / "out", tmp_path / "new"
    old.mkdir()
    (old / "a").write_text("old", encoding="utf-8")
    new.mkdir()
    (new / "a").write_text("new", encoding="utf-8")
    files.replace_folder(new, old)
    assert (old / "a").read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_replace_folder_without_an_atomic_swap_restores_on_failure(tmp_path, monkeypatch):
    old, new = tmp_path / "out", tmp_path / "new"
    old.mkdir()
    (old / "a").write_text("old", encoding="utf-8")
    new.mkdir()
    monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    real_replace = os.replace

    def fail_into_place(src, dst):
        if Path(src) == new:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", fail_into_place)
    with pytest.raises(OSError):
        files.replace_folder(new, old)
    assert (old / "a").read_text(encoding="utf-8") == "old"


def test_manifest_problem_sees_symlinks(tmp_path):
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    files.write_manifest(tmp_path)
    (tmp_path / "link").symlink_to("/etc/passwd")
    assert files.manifest_problem(tmp_path) == "it holds link, which is not a regular file practice-graph wrote"


# ---------------------------------------------------------------------------------------------------------------
# reading text


def test_a_gb18030_file_with_one_utf8_line_is_refused_at_that_line(tmp_path):
    path = tmp_path / "entities.csv"
    path.write_bytes(
        b"id,type,name\n"
        + "city:a,city,甲市\n".encode("gb18030")
        + "city:b,city,乙市\n".encode("gb18030")
        + "city:c,city,丙市\n".encode()
        + "city:d,city,丁市\n".encode("gb18030")
    )
    with pytest.raises(DatasetError) as info:
        files.read_text(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:4: the file is GB18030, but this line is UTF-8: save the file in one encoding"
    ]


def test_a_utf8_file_with_one_gb18030_line_is_refused_at_that_line(tmp_path):
    path = tmp_path / "entities.csv"
    path.write_bytes(("id,name\r\n" + "a,甲市\r\n" * 3).encode() + "b,乙市\r\n".encode("gb18030") + b"c,x\r\n")
    with pytest.raises(DatasetError) as info:
        files.read_text(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:5: the file is UTF-8, but this line is not (GB18030?): save the file in one encoding"
    ]


@pytest.mark.parametrize(
    "raw",
    ["潜江,随州\n".encode("gb18030"), "潜江\n".encode(), b"\xef\xbb\xbf" + "潜江\r\n".encode(), b"plain\n"],
)
def test_one_encoding_files_decode(raw):
    assert files.decode_text(raw).rstrip("\n") in ("潜江,随州", "潜江", "plain")


def test_atomic_path_renames_into_place_and_cleans_up(tmp_path):
    target = tmp_path / "d.parquet"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    with files.atomic_path(target) as tmp:
        assert tmp != target and tmp.parent == tmp_path
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    with pytest.raises(InputError, match="No space left on device"):
        with files.atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise OSError(28, "No space left on device")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.parquet"]


def test_atomic_path_yields_a_device_itself():
    with files.atomic_path("/dev/null") as path:
        assert str(path) == "/dev/null"
        path.write_bytes(b"x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
