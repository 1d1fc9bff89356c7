"""Time ``ingest`` of a 1 MB article against the bundled data: about places it knows, and about new places.

The article is made of the bundled article's sections, repeated under the bundled cities' names (known places) or
under invented county names (new places), to about ``--mb`` megabytes. Run by hand::

    python benchmarks/bench_ingest.py [--mb 1]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.dataset import load_dataset  # noqa: E402
from graph.ingest import parse_article, propose, read_article  # noqa: E402
from graph.ingest.places import known_places  # noqa: E402
from graph.model import Model  # noqa: E402

SEED = ROOT / "data" / "sources" / "xiangyang-daily-2020-10-22.txt"
_SYLLABLES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def article(mb: float, new_places: bool) -> str:
    """A roundup of about ``mb`` MB: the bundled sections again and again, under known or invented places."""
    dataset = load_dataset(ROOT / "data")
    parsed = read_article(SEED, known_places(dataset))
    names = (a + b + c + "县" for a, b, c in itertools.product(_SYLLABLES, repeat=3))
    parts = ["测试会议召开，各地交流经验。"]
    size = 0
    for n in itertools.count():
        section = parsed.sections[n % len(parsed.sections)]
        place = next(names) if new_places else section.place
        body = "\n\n".join(p.text for p in section.paragraphs)
        block = f"{place}:{section.title}\n\n{body}"
        parts.append(block)
        size += len(block.encode("utf-8"))
        if size >= mb * 1_000_000:
            break
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0)
    args = parser.parse_args(argv)
    model = Model(load_dataset(ROOT / "data"))
    known = known_places(model.dataset)
    propose(model, [parse_article("会议。\n潜江市:标题\n推行红色物业。\n", "warm.txt", known)])  # jieba's dictionary
    print("| article | sections | parse s | propose s | CPU s (both) | candidates |")
    print("| --- | --- | --- | --- | --- | --- |")
    for new_places in (False, True):
        text = article(args.mb, new_places)
        with tempfile.TemporaryDirectory():
            start, cpu = time.perf_counter(), time.process_time()
            parsed = parse_article(text, "big.txt", known)
            parsed_at = time.perf_counter()
            candidates = propose(model, [parsed])
            done, cpu = time.perf_counter(), time.process_time() - cpu
        label = f"{len(text.encode('utf-8')) / 1e6:.2f} MB, {'new' if new_places else 'known'} places"
        rows = len(candidates.entities) + len(candidates.relations)
        times = f"{parsed_at - start:.2f} | {done - parsed_at:.2f} | {cpu:.2f}"
        print(f"| {label} | {len(parsed.sections)} | {times} | {rows} |")
    print(f"load average while it ran: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
