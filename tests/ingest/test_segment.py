"""The tokenizers kept by a snapshot's names (partnerships/ingest/segment.py)."""

from partnerships.ingest import segment
from partnerships.ingest.snapshot import KnownInstitution, KnownPerson, KnownRegion, Snapshot

TEXT = "学大教育集团与成都信息工程大学签约,王小生发展合作,双流区教育局出席。"


def _snapshot(institutions=(), people=()) -> Snapshot:
    return Snapshot.build(
        regions=[KnownRegion("510116", "双流区", "county")],
        institutions=[KnownInstitution(number, name) for number, name in enumerate(institutions)],
        people=[KnownPerson(number, name) for number, name in enumerate(people)],
    )


def _fresh(snapshot: Snapshot) -> list[segment.Token]:
    words = segment.Segmenter(segment.base_segmenter())
    for names, tag in segment._names_of(*segment._key(snapshot)).items():
        words.add_words([names], tag)
    return words.tokens(TEXT)


def test_a_snapshot_with_other_names_reads_as_a_fresh_tokenizer_would_after_its_names_change_in_place():
    segment._CACHE.clear()
    first = _snapshot(institutions=["学大教育集团", "教育"], people=["王小生"])
    second = _snapshot(institutions=["成都信息工程大学"], people=["发展"])
    assert segment.tokens_for(first, TEXT) == _fresh(first)
    tokenizer = segment.segmenter_for(first)
    # The second snapshot's names replace the first's in the same (idle) tokenizer: no copy of jieba's tables.
    assert segment.tokens_for(second, TEXT) == _fresh(second)
    assert segment.segmenter_for(second) is tokenizer
    assert segment.tokens_for(first, TEXT) == _fresh(first)
    assert any(token.word == "学大教育集团" and token.flag == segment.TAG_INSTITUTION for token in segment.tokens_for(first, TEXT))
    assert not any(token.word == "学大教育集团" for token in segment.tokens_for(second, TEXT))


def test_a_tokenizer_in_use_is_never_changed_under_its_reader():
    segment._CACHE.clear()
    first, second = _snapshot(institutions=["学大教育集团"]), _snapshot(people=["王小生"])
    held = segment._CACHE.lease(segment._key(first))
    try:
        assert segment.segmenter_for(second) is not held
        assert held.tokens(TEXT) == _fresh(first)
    finally:
        segment._CACHE.release(held)
