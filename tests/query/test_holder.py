"""The live engine of a serving process (holder.py): loaded on first use, swapped when a new index version
lands, kept when the new version cannot be loaded."""

from policyqa.index.build import build_index
from policyqa.index.store import version_folder
from policyqa.models.embed import FakeEmbedder
from policyqa.query.holder import EngineHolder
from policyqa.settings import Settings

REPORT = "关于科技创新的报告\n\n全年新增科技型企业120家，研发投入增长8%。\n"
NOTICE = "关于技术市场的通知\n\n全年技术合同成交额达到45亿元。\n"


def test_a_new_version_is_swapped_in_and_a_broken_one_is_not(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(REPORT, encoding="utf-8")
    settings = Settings(
        corpus_dir=corpus, index_dir=tmp_path / "index", model="fake-64", answer_check="rules"
    )
    embedder = FakeEmbedder(64)
    build_index(settings, embedder)
    holder = EngineHolder(settings, embedder)
    first = holder.get()
    assert holder.get() is first and not holder.refresh()  # loaded once; nothing new to load

    (corpus / "notice.txt").write_text(NOTICE, encoding="utf-8")
    build_index(settings, embedder)
    # The new version's vectors are damaged on disk: the running engine stays, and says why.
    vectors = version_folder(settings.index_dir) / "vectors.npy"
    good = vectors.read_bytes()
    vectors.write_bytes(good[: len(good) // 2])
    assert not holder.refresh()
    new = holder.store.current_version()
    assert new != first.version and holder.get() is first and new in (holder.last_error or "")
    assert len(first.index.documents) == 1

    vectors.write_bytes(good)
    assert holder.refresh() and holder.last_error is None
    second = holder.get()
    assert second is not first and len(second.index.documents) == 2
    assert "45亿元" in second.ask("技术合同成交额是多少？").answer
    # A request that started on the old engine finishes on it.
    assert len(first.index.documents) == 1 and "120家" in first.ask("新增多少家科技型企业？").answer
