"""Where a model's cosine similarities lie, measured once per model and stored in the index manifest.

Confidence reads "how close is the best passage to the question", but every model has its own cosine
range: multilingual-e5 puts unrelated Chinese texts near 0.75, other models near 0.2. Scores are
therefore placed between two reference points measured on fixed probe pairs: the median cosine of a
question and a sentence that answers it (``related``) and of a question and an unrelated sentence
(``unrelated``). The probes are general Chinese, not taken from any evaluation set.
"""

from __future__ import annotations

import numpy as np

PROBES: list[tuple[str, str]] = [
    ("今年的粮食产量是多少？", "全年粮食产量达到6.9亿吨，比上年增加一千万吨。"),
    ("新建了几所中小学？", "本年度共新建中小学校42所，新增学位三万个。"),
    ("这项补贴什么时候开始发放？", "补贴自2021年7月1日起按月发放到个人账户。"),
    ("高速公路通车里程有多长？", "全省高速公路通车里程突破八千公里。"),
    ("城市居民人均可支配收入增长了多少？", "城镇居民人均可支配收入增长5.1%，快于经济增速。"),
    ("哪个部门负责技术合同登记？", "技术合同的认定登记工作由市科学技术行政部门负责。"),
    ("科研人员转化成果能得到多少奖励？", "将职务科技成果转让所得净收入的百分之七十以上奖励给完成人员。"),
    ("森林覆盖率达到了多少？", "全市森林覆盖率提高到百分之四十三点五。"),
    ("医保报销比例提高到多少？", "城乡居民医保住院费用政策范围内报销比例提高到百分之七十。"),
    ("新能源汽车销量增长情况如何？", "新能源汽车产销量连续多年位居全球第一，全年销售九百五十万辆。"),
    ("违反规定会受到什么处罚？", "违反本条例规定的，由主管部门责令改正，并处一万元以上五万元以下罚款。"),
    ("孵化器有多少家？", "全区共有科技企业孵化器一百二十家，其中国家级二十八家。"),
    ("这部条例从哪天起施行？", "本条例自2024年7月1日起施行。"),
    ("对小微企业有什么税收优惠？", "对小型微利企业年应纳税所得额减按百分之二十五计入应纳税所得额。"),
    ("外贸进出口总额是多少？", "货物进出口总额达到四十一万亿元，创历史新高。"),
    ("基础研究经费占比是多少？", "基础研究经费占研发经费的比重提高到百分之六点六。"),
    ("农村危房改造完成了多少户？", "完成农村危房改造一百八十万户，群众住房条件明显改善。"),
    ("专利申请需要提交哪些文件？", "申请发明专利的，应当提交请求书、说明书及其摘要和权利要求书等文件。"),
    ("城市地铁新开通了几条线路？", "年内新开通地铁线路五条，运营总里程达到八百公里。"),
    ("空气质量优良天数比例是多少？", "全年空气质量优良天数比例为百分之八十七。"),
]


def calibrate(embedder) -> dict[str, float]:
    """Median cosine of related and of unrelated probe pairs for ``embedder`` (an Embedder)."""
    questions = embedder.embed_batch([q for q, _ in PROBES], "query")
    passages = embedder.embed_batch([p for _, p in PROBES], "passage")
    sims = np.asarray(questions @ passages.T, dtype=np.float64)
    related = float(np.median(np.diag(sims)))
    unrelated = float(np.median(sims[~np.eye(len(PROBES), dtype=bool)]))
    return {"related": round(related, 4), "unrelated": round(unrelated, 4), "probes": len(PROBES)}


def scale(cosine: float, calibration: dict[str, float]) -> float:
    """0 at the unrelated median, 1 at the related median, clipped to [0, 1]."""
    lo, hi = calibration["unrelated"], calibration["related"]
    if hi <= lo:  # a degenerate model (the fake embedder can land here): no information
        return 0.0
    return float(np.clip((cosine - lo) / (hi - lo), 0.0, 1.0))
