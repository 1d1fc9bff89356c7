"""Whole-process times of the everyday commands on the bundled data (run by hand, not in the tests).

    python benchmarks/bench_startup.py [--repeat N]

Prints the median wall time of each command over N runs, with the machine it ran on.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ["--help"],
    ["--version"],
    ["validate"],
    ["stats"],
    ["shared", "潜江", "随州"],
    ["similar", "潜江"],
]


def _pad(text: str, width: int) -> str:
    """Left-justify to a display width, counting CJK characters as two columns."""
    shown = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)
    return text + " " * max(0, width - shown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    print(f"{'command':<32} {'median s':>9} {'min s':>7}")
    for command in COMMANDS:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, str(ROOT / "cli.py"), *command], capture_output=True, cwd=ROOT, check=False
            )
            times.append(time.perf_counter() - start)
            if proc.returncode != 0:
                print(f"{_pad(' '.join(command), 32)} failed: {proc.stderr.decode()[:200]}")
                break
        else:
            print(f"{_pad(' '.join(command), 32)} {statistics.median(times):9.3f} {min(times):7.3f}")


if __name__ == "__main__":
    main()
