"""One line naming the machine and the library versions a benchmark ran with."""

from __future__ import annotations

import os
import platform
from pathlib import Path

__all__ = ["describe"]


def describe() -> str:
    """Cores, CPU model, Python and the numeric libraries' versions."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import networkx
    import numpy
    import scipy

    return (
        f"{os.cpu_count()} cores (nproc), {cpu}, Python {platform.python_version()}, numpy {numpy.__version__}, "
        f"scipy {scipy.__version__}, networkx {networkx.__version__}"
    )
