"""Inputs that are not questions about the documents: greetings, requests to write or translate, chit-chat,
questions about the assistant itself, input with no Chinese or no content words. They get a short reply
saying what the assistant does and over which documents — never a quote.

These are recognised by their form (what is asked, not what about), so the patterns hold for any
collection; anything they miss still meets the answer check, which refuses what the documents do not
support.
"""

from __future__ import annotations

import re

from ..text.normalize import has_cjk
from ..text.segment import content_words

# Courtesy that carries no question: greetings, "is anyone there", thanks and goodbyes.
_COURTESY = re.compile(
    r"你好|您好|hi|hello|嗨|哈喽|在吗|在不在|有人吗|打扰(?:一下|了)?|请问|早上好|下午好|晚上好|谢谢|多谢|感谢|"
    r"再见|拜拜|好的|ok|没有(?:别的|其他)(?:问题)?了?|没(?:别的|其他)(?:问题)?了?|就这些|[\s,，。!！?？~～、]",
    re.I,
)
_INTERJECTIONS = re.compile(r"^[啊哈呵嘿嗯哦噢呀哇唉额呃嘻哼喔\s,，。!！?？~～]+$")
_SELF = re.compile(
    r"你是谁|你叫什么|你是什么|介绍一下你自己|介绍下你自己|你能做什么|你会什么|你(?:用的是?|是)什么模型|你(?:基于|用)(?:哪个|什么)(?:模型|大模型)|你是.{0,4}(?:机器人|AI|人工智能)|谁(?:开发|做)了你"
    r"|你是(?:哪|什么|谁)[^？?。]{0,6}(?:开发|研发|做|制作|训练|出品)的|谁(?:开发|研发|做|制作|训练)的你"
    # how to use the assistant itself ("这个系统怎么用？"), not a system a document sets up
    r"|(?:这个|这套|本|你们的?)(?:系统|工具|软件|助手|平台|网站)[^？?。]{0,4}(?:怎么|如何|怎样)(?:用|使用|操作|查)"
)
# Services a document assistant does not offer: writing, translating, booking, buying, recommending.
_TASK = re.compile(
    r"^(?:请你?|麻烦你?)?(?:帮我|给我|替我|为我)?(?:写|作|编|创作|翻译|画|唱|讲|说)(?:一|个|首|篇|段|下)"
    r"|(?:写|作)(?:一首|首)诗|翻译成|(?:译|翻)成(?:英|中|日|韩|法|德|俄)[文语]|讲个笑话|说个笑话|讲一个笑话|来首|来个笑话"
    r"|(?:帮我|给我|替我|请)(?:订|预订|买|购买|叫|约|打电话|发(?:送|邮件))"
    r"|推荐(?:几|一|两|些)?(?:部|本|首|个|家|款|处)"
    # (asked of the assistant: "能直接帮我导出成Word吗？")
    r"|(?:帮我|给我|替我|能不能|能否|可以|请)[^？?。]{0,4}(?:导出|转换|转|存|另存)(?:成|为)(?i:word|pdf|excel|ppt|表格|文档)"
)
# The assistant's own judgement asked ("你觉得这个政策靠不靠谱"): the documents state, they do not opine.
_OPINION = re.compile(
    r"你(?:觉得|认为|看)[^？?。]{0,24}(?:好不好|靠不靠谱|靠谱吗|怎么样|对不对|行不行|合不合理|合理吗|有没有用|有用吗|值不值)"
    r"|你(?:怎么|如何)(?:看|评价)|你的(?:看法|观点|评价)"
)
# Small talk by its form (about now, about me, about you); topics alone (电影, 游戏) may be in the documents.
_LEISURE = re.compile(
    r"(?:今天|明天|后天|现在|最近)[^。？?]{0,6}(?:天气|气温|下雨|下雪)|几点了|吃了吗|星座|运势|聊聊天|好无聊|陪我"
)
# The asker's own days ("明天的座谈会几点开始", "下个月的大会定在哪天开", "今天几号"): no published
# document tells when something happens relative to the moment of asking.
_SCHEDULE = re.compile(
    r"(?:今天|明天|后天|今晚|明晚|本周|这周|下周|下星期|下礼拜|下个?月)[^。？?]{0,14}"
    r"(?:哪天|哪一天|几号|几点|星期几|礼拜几|什么时候|何时)"
)
_POLICY = re.compile(r"政策|规定|条例|报告|文件|办法|意见|通知|措施|法|规划|目标|资金|项目")
# A year is a scope, not a question: "那2009年呢？" asks about 2009 what the earlier turn asked, and
# without one it asks nothing (quoting any sentence that names 2009 would be a guess).
_YEAR_WORD = re.compile(r"\d{4}|今年|去年|明年|上年|前年|次年|当年|同年|本年")
_ARITHMETIC = re.compile(
    r"^[\d\s+\-*/×÷=().？?]*\d+\s*(?:[+\-*/×÷]|乘以|除以|加上|减去|加|减|乘|除)\s*\d+[\d\s+\-*/×÷=().？?等于是多少几]*$"
)


def off_topic(text: str, in_conversation: bool = False) -> str | None:
    """Why ``text`` is not a question about the documents ("greeting", "task", …), or None. In a
    conversation a question of question words alone ("是哪一年？", "多久？") asks about the earlier turn."""
    t = text.strip()
    if not has_cjk(t) and not re.search(r"[A-Za-z]{2,}", t):
        return "no words"
    if not _COURTESY.sub("", t) or _INTERJECTIONS.match(t):
        return "greeting"
    if _SELF.search(t):
        return "about the assistant"
    if _TASK.search(t):
        return "a writing or translation task"
    if _OPINION.search(t):
        return "an opinion"
    if _ARITHMETIC.match(t):
        return "arithmetic"
    if _SCHEDULE.search(t):
        return "a schedule"
    if _LEISURE.search(t) and not _POLICY.search(t):
        return "chit-chat"
    if not has_cjk(t):
        return "no Chinese"
    words = content_words(t)
    if not words and not in_conversation:
        return "no content words"
    if not in_conversation and all(_YEAR_WORD.fullmatch(w) for w in words):
        return "only a year"
    return None


# What a reply says first, for the inputs that are questions cut short rather than no question at all.
_LEAD = {
    "only a year": "这句话只说了年份，没有说要问什么（也没有上一个问题可以接着问），请把问题说完整。",
    "a schedule": "已收录的文件说不了眼下的日程（哪天、几点开会或办事）。",
}


def scope_reply(titles: list[str], total: int, kind: str | None = None) -> str:
    """What the assistant does and over which documents, with a few titles as examples; for a question
    cut short (``kind``), first what is missing."""
    shown = "、".join(f"《{t}》" for t in titles[:3])
    more = f"等 {total} 份文件" if total > len(titles[:3]) else ""
    return _LEAD.get(kind, "") + (
        f"我是政策文件问答助手，只根据已收录的文件（{shown}{more}）回答问题，并给出原文出处；"
        "不闲聊、不写作、不翻译。请提出与这些文件有关的问题，例如某项政策的目标、文号、条款或数据。"
    )
