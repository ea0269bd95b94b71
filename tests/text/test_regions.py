"""City names as policy texts write them, and counting a name only where it is a word."""

from policyqa.text.regions import province_of_city, short_name
from policyqa.text.segment import mentions


def test_short_names_and_provinces():
    assert [short_name(n) for n in ("济南市", "烟台地区", "延边朝鲜族自治州", "伊犁哈萨克自治州", "锡林郭勒盟")] == [
        "济南", "烟台", "延边", "伊犁", "锡林郭勒",
    ]  # fmt: skip
    assert [short_name(n) for n in ("山东省", "广西壮族自治区", "新疆维吾尔自治区", "北京市")] == [
        "山东", "广西", "新疆", "北京",
    ]  # fmt: skip
    cities = province_of_city()
    assert cities["济南"] == cities["青岛"] == cities["烟台"] == "山东"
    assert cities["乌鲁木齐"] == cities["昌吉"] == "新疆" and cities["杭州"] == "浙江"
    # 吉林 is a province first: a city of that name would make every mention of the province a city's.
    assert "吉林" not in cities and "北京" not in cities


def test_a_name_counts_only_as_a_word():
    assert mentions("普通化妆品和特殊化妆品", "通化") == 0
    assert mentions("维护社会长治久安", "长治") == 0
    text = "加快建设科创济南。济南市人民政府支持济南高新区，在济南、青岛两地试点。"
    assert mentions(text, "济南") == 3  # 济南市 is one jieba word: counted only with its suffix
    assert mentions(text, "济南", ("市",)) == 4
    assert mentions(text, "青岛") == 1
