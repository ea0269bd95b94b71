"""A document's region and level: from its title or issuer, or else from how its body speaks of its own
province or city; a central document gets none."""

import json

from policyqa.corpus.ingest import load_corpus

from ..conftest import needs_shared
from .test_metadata import one


def test_province_from_how_the_body_speaks_of_it(tmp_path):
    # A provincial plan scraped without its title line: the body says 全省/省委/省X厅 and names one province.
    body = (
        "为充分发挥科技创新的引领作用，特制定本行动计划。\n"
        "一、主要目标\n到2027年，全省人工智能核心产业产值突破1000亿元。\n"
        "（一）建设算力平台。依托山东算网平台统筹算力资源。（省科技厅牵头，省财政厅配合）\n"
        "（二）强化金融支持。鼓励国家开发银行山东省分行加大信贷投放。（省委金融办牵头）\n"
    )
    plan = one(tmp_path, body)
    assert plan.metadata["region"] == "山东" and plan.metadata["level"] == "province"
    assert plan.metadata_sources["region"] == "text:how the body names its province"
    (tmp_path / "doc.txt").unlink()
    # A central notice addresses every province and names one in passing: no region.
    central = one(
        tmp_path,
        "各省、自治区、直辖市人民政府：\n为推进试点，现通知如下。\n一、在山东、浙江等地开展试点。\n"
        "二、各省级科技主管部门要加强组织。\n",
    )
    assert "region" not in central.metadata
    (tmp_path / "doc.txt").unlink()
    # A city's document speaks of 全市/市政府 more than of its province: not read as the province's.
    city = one(tmp_path, body.replace("全省", "全市") + "市政府统筹。市委部署。我市推进。本市落实。\n")
    assert "region" not in city.metadata


def test_city_from_how_the_body_speaks_of_it(tmp_path):
    # A city's policy whose title names its city only inside a slogan ("科创济南"), issuer not given.
    body = (
        "关于加快“科创济南”建设的若干政策措施\n"
        "为进一步激发创新活力，加快建设科创济南，结合我市实际，制定以下政策措施。\n"
        "一、对在济南新设立的研发机构给予补助。（市科技局牵头）\n"
        "二、支持济南高新区建设。全市每年安排专项资金。\n"
        "三、在济南、青岛两地开展试点，省内其他城市参照执行。市委、市政府统筹推进。\n"
    )
    doc = one(tmp_path, body)
    assert (doc.metadata["region"], doc.metadata["level"]) == ("济南", "city")
    assert doc.metadata_sources["region"] == "text:how the body names its city"
    (tmp_path / "doc.txt").unlink()
    # 通化 is no word of "普通化妆品", and a law's "设区的市人民政府" is every city's, not its own.
    law = one(
        tmp_path,
        "第一条 普通化妆品实行备案管理。设区的市人民政府负责。\n第二条 普通化妆品上市前备案。\n"
        "第三条 省、自治区、直辖市人民政府和设区的市人民政府药品监督管理部门负责普通化妆品监督。\n",
    )
    assert "region" not in law.metadata


def _issuing_region(row: dict) -> str | None:
    """The region of an issuing body as the folder's index names it in English (Laoshan is a district
    of Qingdao), None for a central body."""
    names = {"Jinan": "济南", "Qingdao": "青岛", "Laoshan": "青岛", "Shandong": "山东"}
    return next((zh for en, zh in names.items() if en in row["release_department_en"]), None)


def test_regions_of_central_and_shandong_policies_from_their_text():
    """../shared/data/tech-policy-central-shandong (its index.jsonl read only to compare): no central
    document is given a region, and most provincial and city documents get their own (2026-12-06: 43 of
    55, 23 before cities were read from the body)."""
    root = needs_shared("tech-policy-central-shandong")
    rows = [json.loads(line) for line in (root / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    truth = {row["file"].split("/")[-1][:-4]: _issuing_region(row) for row in rows}
    docs = {d.doc_id: d for d in load_corpus(root / "docs").documents}
    got = {k: docs[k].metadata.get("region") for k in truth}
    central = [k for k, region in truth.items() if region is None]
    assert [k for k in central if got[k]] == []
    local = [k for k, region in truth.items() if region is not None]
    right = [k for k in local if got[k] == truth[k]]
    assert len(right) / len(local) >= 0.75, sorted(set(local) - set(right))
    assert {truth[k] for k in right} == {"山东", "济南", "青岛"}
