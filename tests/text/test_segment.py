"""jieba's words and tags as the query stage reads them (segment.py)."""

from policyqa.text.segment import names_person


def test_a_persons_name_is_found_and_a_place_taken_for_one_is_not():
    assert names_person("国家科学技术奖励委员会主任由李强担任。")
    assert names_person("潘云鹤院士牵头。")
    assert not names_person("由国务院领导同志任组长，办公室设在国务院办公厅。")
    # jieba tags 昌吉, 石河子 and 乌昌石 as names: listed places, and a word before 国家…示范区, are none
    approved = "国务院批复同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设乌昌石国家自主创新示范区。"
    assert names_person(approved)  # read without the places it names
    assert not names_person(approved, places=("乌鲁木齐", "昌吉", "石河子"))
