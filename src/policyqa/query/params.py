"""Every tuned number of the query path, named, in one place.

Settings (POLICYQA_*) hold what an operator may change; these are the constants of the scoring
formulas themselves, chosen with the eval harness (eval/README.md). Per-model values (where a model's
cosines lie) are not here: they are measured at build time and read from the index manifest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SentenceScoring:
    """How a candidate sentence for the answer is scored (Composer.score, query/compose.py)."""

    focus_share: float = 0.7  # a follow-up's own words against the earlier turn's
    lexical_share: float = 0.5  # weight of the IDF-weighted overlap with the question
    figure_bonus: float = 0.25  # the sentence holds the kind of figure asked for
    meaning_bonus: float = 0.25  # asked what a term means, the sentence defines it (text/segment.defines)
    own_unit_bonus: float = 0.25  # … with the very classifier asked ("几个" → "十个", not "六部门")
    subject_bonus: float = (
        0.15  # … standing by what the figure measures ("十个示范应用场景": sentences.figure_of)
    )
    subject_window: int = 8  # characters either side of the figure where that thing must be written
    tense_bonus: float = 0.05  # ± as the sentence sets out a plan or tells a result, as the question asks
    # a question about one year is not answered by a figure over several ("五年城镇新增就业4500万人")
    aggregate_penalty: float = 0.25
    rank_bonus: float = 0.1  # divided by the passage's rank: earlier passages are likelier
    dense_share: float = 0.5  # weight of the sentence's cosine to the question
    margin: float = 0.08  # further sentences are quoted only within this of the best
    drop_naming: bool = True  # words that name the document (scope.naming) do not count for a sentence
    unnamed_min_chars: int = 4  # … nor embed with it, unless less than this is left of the question
    outcome_skips_plans: bool = True  # "2022年实际新增就业": not from the 2022 report (tells_result)
    plan_skips_results: bool = True  # "2020年就业目标": not from a later review of 2020 (sentences.reviews)
    compare_years: int = 6  # a comparison of up to this many years is searched once per year
    compare_topic: float = 0.3  # share of what is compared (IDF-weighted) a year's sentence must name
    # Asked a day or a document number, another document's passage is read only if it scores at least this
    # share of the best passage (compose: its date is not the date of the document asked about).
    exact_elsewhere: float = 0.75
    year_depth: int = 10  # passages read for a question naming a year (those about other years are skipped)
    # A clause ending in "；" is quoted to the end of its sentence when no figure is asked (a penalty's
    # "责令限期归还；对负有责任的…给予处分。"), unless the sentence runs on longer than this.
    whole_sentence_chars: int = 200
    # "哪些/哪几种" is answered by a sentence that opens an enumeration ("国家设立下列国家科学技术奖：")
    # with its items, quoted whole up to this many characters; such a sentence earns the figure bonus.
    enumeration_chars: int = 400
    list_sentences: int = 5  # a list answer quotes up to this many sentences
    list_margin: float = 0.25  # … within this of the best one


@dataclass(frozen=True)
class Confidence:
    """How the confidence of an answer is formed (Answerer.judge)."""

    dense_top: int = 3  # the best dense cosine among this many passages
    veto_cap: float = 0.2  # a hard violation caps confidence at this share of the abstain threshold
    figure_veto: bool = False  # learned check: quotes without the asked kind of figure are refused outright
    # … always for these kinds, which a quote either writes out or does not answer at all
    exact_figures: tuple[str, ...] = ("day", "document number")
    # … and for a figure asked with its unit ("多少万元", "多少个项目"); a person asked by role and a
    # completion asked ("是否已经…完毕") likewise refuse quotes that name no person or only plan it
    explicit_figures: bool = True
    # A quote whose asked kind of figure stands in a clause naming less than this share of what the
    # question names (weighted), beside a clause that names it without a figure, gives another measure's
    # figure (HardChecks.figure_elsewhere); 0 turns the check off.
    clause_share: float = 0.5
    # A document the question describes by its kind ("…的行动方案") is another one than quotes from
    # documents of other kinds, unless they write at least this share of its description's character
    # pairs (a report on carrying it out).
    described_share: float = 0.6


@dataclass(frozen=True)
class Fusion:
    # "adaptive": the dense weight falls by up to this share for exact questions …
    adaptive_drop: float = 0.5
    # … of which this many exact tokens (figures, Latin names, 《》) make one fully exact
    exact_tokens: float = 4.0
    # "score_dist": the share of the dense weight taken from the two runs' sureness
    dist_share: float = 0.5


@dataclass(frozen=True)
class ScopeMatch:
    """How strongly a passage matches the year or place a question names (times ``scope_boost``)."""

    document: float = 1.0  # its document has the year (or region)
    passage: float = 0.5  # only the passage states it (the next year's report reviewing it, a plan's target)
    undated: float = 0.25  # its document, of unknown date, states the year in another passage


SENTENCES = SentenceScoring()
SCOPE = ScopeMatch()
CONFIDENCE = Confidence()
FUSION = Fusion()
