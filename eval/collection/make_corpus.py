#!/usr/bin/env python3
"""Assemble the fixed policy collection from ../shared/data, deterministically.

The collection is what `eval/collection/questions.jsonl` is written against: the State Council government
work reports 2000–2025 and the NPC resolutions on them, the central science-and-technology laws (every
version present), local sci-tech regulations of several provinces and cities (two versions of some), a
selection of central and Shandong policy documents, and the demo document — about 1 M characters.

Files are copied byte for byte under their source ids (gwr-2023, law-00406, central-047, …). Reports,
resolutions and policy documents carry no metadata: titles, years and issuers must come from the texts
themselves, as they would for an office's own folder. Laws and regulations get a ``.meta.json`` sidecar
with the date their legal database gives (lawrefbook's index), as an export from such a database would:
several texts lack the header line of their latest revision. The shared data have no licence for
redistribution, so the output goes outside the repository (default: ~/.cache/policyqa/collection/corpus).

Usage: python eval/collection/make_corpus.py [OUTDIR] [--data-dir PATH]
then:  policyqa index build --corpus OUTDIR/corpus --index OUTDIR/index
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "corpus" / "2018-xinjiang-sci-tech-report.txt"

GWR_YEARS = [y for y in range(2000, 2026) if y != 2020]  # the 2020 report is not in the snapshot
# NPC resolutions on the reports: resolution-01 is 2025, counting back one a year (19 = 2007).
RESOLUTIONS = [f"gwr-resolution-{n:02d}" for n in range(1, 20)]
CENTRAL_LAWS = {
    "law-00406": "科学技术进步法(2021-12-24)",
    "law-00325": "促进科技成果转化法(2015-08-29)",
    "law-00168": "专利法(2020-10-17)",
    "law-00404": "科学技术普及法(2002-06-29)",
    "law-00405": "科学技术普及法(2024-12-25)",
    "law-00434": "专利法实施细则(2010-01-09)",
    "law-00435": "专利法实施细则(2023-12-11)",
    "law-00661": "国家科学技术奖励条例(2020-10-07)",
    "law-00662": "国家科学技术奖励条例(2024-05-26)",
    "law-00805": "技术进出口管理条例(2020-11-29)",
    "law-00236": "农业技术推广法(2012-08-31)",
    "law-00237": "农业技术推广法(2024-04-26)",
}
LOCAL_REGULATIONS = {
    "law-00013": "上海市科学技术进步条例(2010-09-17)",
    "law-00014": "上海市科学技术进步条例(2024-05-10)",
    "law-00003": "上海市促进农业科技进步若干规定(2007-10-10)",
    "law-00004": "上海市促进农业科技进步若干规定(2024-11-28)",
    "law-00006": "上海市促进科技成果转化条例(2017-04-20)",
    "law-00009": "上海市推进科技创新中心建设条例(2020-01-20)",
    "law-00008": "上海市技术市场条例",
    "law-00017": "中关村国家自主创新示范区条例",
    "law-00018": "北京国际科技创新中心建设条例(2024-01-25)",
    "law-00022": "北京市促进科技成果转化条例(2019-11-27)",
    "law-00025": "北京市技术市场条例",
    "law-00032": "山东省促进科技成果转化条例(2017-12-01)",
    "law-00071": "浙江省促进科技成果转化条例(2021-09-30)",
    "law-00076": "浙江省科学技术进步条例(2011-05-25)",
    "law-00069": "杭州市科学技术进步条例(2011-12-07)",
    "law-00047": "河南省促进科技成果转化条例(2001-05-25)",
    "law-00057": "河南省科学技术进步条例(2010-07-30)",
    "law-00059": "洛阳市科学技术进步条例(2019-08-19)",
    "law-00063": "郑洛新国家自主创新示范区条例(2020-08-03)",
}
POLICIES = [
    *(f"central-{n:03d}" for n in (12, 16, 20, 25, 46, 47, 56, 61, 65, 67, 77, 80, 90, 95, 104, 123, 130)),
    *(f"central-{n:03d}" for n in (135, 139, 147)),
    *(f"shandong-{n:03d}" for n in (2, 5, 20, 27, 41, 49, 50, 52, 55)),
]
# sha256 over every selected source file (name and bytes, in order): a changed snapshot is reported.
EXPECTED_DIGEST = "5da6a76b12d85448"


# A smaller collection for the CI floors test (a full build would take CI ~5 minutes): the latest
# reports and resolutions, every central law with its versions, the Shanghai regulations, the demo.
CI_SUBSET = {
    *(f"gwr-{y}" for y in range(2021, 2026)),
    *(f"gwr-resolution-{n:02d}" for n in range(1, 6)),
    *CENTRAL_LAWS,
    *(name for name, title in LOCAL_REGULATIONS.items() if title.startswith("上海")),
    DEMO.stem,
}


def default_data_dir() -> Path:
    for base in (ROOT.parent / "shared" / "data", ROOT / "shared" / "data"):
        if base.is_dir():
            return base
    return ROOT.parent / "shared" / "data"


def selection(data: Path) -> list[tuple[str, Path]]:
    """(document id, source file) in a fixed order."""
    gwr = data / "gov-work-reports" / "docs"
    laws = data / "laws-lawrefbook" / "docs"
    policy = data / "tech-policy-central-shandong" / "docs"
    items = [(f"gwr-{y}", gwr / f"gwr-{y}.txt") for y in GWR_YEARS]
    items += [(name, gwr / f"{name}.txt") for name in RESOLUTIONS]
    items += [(name, laws / f"{name}.txt") for name in (*CENTRAL_LAWS, *LOCAL_REGULATIONS)]
    items += [(name, policy / f"{name}.txt") for name in POLICIES]
    items.append((DEMO.stem, DEMO))
    return items


def law_dates(data: Path) -> dict[str, str]:
    """Document id → the date of its database title ("科学技术进步法(2021-12-24)") where that revision is
    later than every date the text's own header shows (the header then lacks its latest revision)."""
    index = data / "laws-lawrefbook" / "index.jsonl"
    wanted = {*CENTRAL_LAWS, *LOCAL_REGULATIONS}
    dates = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        name = Path(row["file"]).stem
        if name not in wanted or not (m := re.search(r"\((\d{4})-(\d{2})-(\d{2})\)$", row["title"])):
            continue
        header = (
            (data / "laws-lawrefbook" / row["file"]).read_text(encoding="utf-8").split("<!-- INFO END -->")[0]
        )
        shown = [
            (int(y), int(mo), int(d)) for y, mo, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", header)
        ]
        if not shown or max(shown) < tuple(map(int, m.groups())):
            dates[name] = "-".join(m.groups())
    return dates


def digest(items: list[tuple[str, Path]]) -> str:
    h = hashlib.sha256()
    for name, path in items:
        h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def assemble(out: Path, data: Path, subset: str | None = None) -> dict:
    items = selection(data)
    if subset == "ci":
        items = [(name, path) for name, path in items if name in CI_SUBSET]
    missing = [str(p) for _, p in items if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"{len(missing)} source file(s) missing, e.g. {missing[:3]}")
    corpus = out / "corpus"
    tmp = out / ".corpus-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    chars = 0
    dates = law_dates(data)
    for name, path in items:
        data_bytes = path.read_bytes()
        (tmp / f"{name}.txt").write_bytes(data_bytes)
        chars += len(data_bytes.decode("utf-8"))
        if name in dates:
            (tmp / f"{name}.txt.meta.json").write_text(
                json.dumps({"date": dates[name]}) + "\n", encoding="utf-8"
            )
    shutil.copy(DEMO.with_name(DEMO.name + ".meta.json"), tmp / f"{DEMO.name}.meta.json")
    shutil.rmtree(corpus, ignore_errors=True)
    tmp.rename(corpus)
    return {"documents": len(items), "characters": chars, "digest": digest(items), "corpus": str(corpus)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path.home() / ".cache/policyqa/collection")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument(
        "--subset", choices=["ci"], default=None, help="the smaller collection of the CI floors test"
    )
    args = parser.parse_args(argv)
    data = args.data_dir or default_data_dir()
    out = args.out.resolve()
    if out == ROOT or ROOT in out.parents:
        print("error: write the collection outside the repository (its texts are not ours to commit)")
        return 2
    started = time.perf_counter()
    try:
        info = assemble(out, data, args.subset)
    except FileNotFoundError as exc:
        print(f"error: {exc} (data folder: {data})")
        return 2
    took = time.perf_counter() - started
    print(
        f"collection: {info['documents']} documents, {info['characters']:,} characters in {took:.1f}s "
        f"→ {info['corpus']}\nsource digest {info['digest'][:16]}"
        + (
            ""
            if args.subset or info["digest"].startswith(EXPECTED_DIGEST)
            else " (differs from the one the questions were written on)"
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
