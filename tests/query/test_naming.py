"""How questions name documents: shortened titles count, the tail of another title does not."""

import pytest

from policyqa.query.naming import names_document


@pytest.mark.parametrize(
    "question, core, kind, span",
    [
        ("2023年政府工作报告提出的目标", "政府工作报告", "报告", "政府工作报告"),
        ("依照全国人大的成果转化法，收入归谁？", "促进科技成果转化法", "法", "成果转化法"),
        ("上海科技进步条例规定的经费比例", "上海市科学技术进步条例", "条例", "上海科技进步条例"),
        ("科普法规定的科普日是哪天？", "科学技术普及法", "法", "科普法"),
        # "发展报告" is the tail of the title asked, 数字中国发展报告, not a name of 新疆科技发展报告
        ("数字中国发展报告（2022年）显示的5G基站数", "新疆科技发展报告", "报告", None),
    ],
)
def test_a_question_names_a_document_by_a_shortened_title(question, core, kind, span):
    assert names_document(question, core, kind) == span
