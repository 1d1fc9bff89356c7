"""Where the output goes: a closed or full stdout, and -o onto a symlink or a device, as a user runs them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args, data, stdout=None, shell_suffix=""):
    """Run the command line in a child process (stdout is the child's own file descriptor, as for a user)."""
    command = [sys.executable, str(ROOT / "cli.py"), "--data", str(data), *args]
    if shell_suffix:
        line = " ".join(f"'{c}'" for c in command) + " " + shell_suffix
        return subprocess.run(["sh", "-c", line], capture_output=True, text=True, cwd=ROOT)
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=ROOT)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.usefixtures("english")
def test_a_full_stdout_is_one_line_and_exit_1(mini_dir, fmt):
    with open("/dev/full", "w") as full:
        result = _cli("rank", "--format", fmt, data=mini_dir, stdout=full)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "Error: cannot write the output: No space left on device"
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("english")
def test_a_closed_stdout_is_one_line_and_exit_1(mini_dir):
    result = _cli("rank", data=mini_dir, shell_suffix=">&-")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "Error: cannot write the output: standard output is closed"
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["export", "graphml", "-o"], ["view", "-o"], ["report", "-o"]])
@pytest.mark.usefixtures("english")
def test_writing_to_dev_full_is_one_line_and_leaves_the_device(runner, mini_dir, args):
    result = runner.invoke(cli, ["--data", str(mini_dir), *args, "/dev/full"])
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: cannot write /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


@pytest.mark.parametrize("args", [["export", "json", "-o"], ["view", "-o"], ["report", "-o"]])
def test_writing_to_dev_null_keeps_the_device(runner, mini_dir, args):
    result = runner.invoke(cli, ["--data", str(mini_dir), *args, "/dev/null"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


@pytest.mark.parametrize("args", [["export", "gexf", "-o"], ["view", "-o"], ["report", "-o"]])
def test_o_onto_a_symlink_writes_its_target(runner, mini_dir, tmp_path, args):
    real = tmp_path / "shared" / "out.file"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "out.file"
    link.symlink_to(real)
    result = runner.invoke(cli, ["--data", str(mini_dir), *args, str(link)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") != "old"
