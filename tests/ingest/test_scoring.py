"""The answer-key scoring and the ledger of first reads (tests/ingest/scoring.py, tests/ingest/ledger.py)."""

import json

from tests.ingest import ledger
from tests.ingest.scoring import score

TEXT = "5月8日,甲学院与乙公司签订校企合作协议。"


def agreement(parties, earliest=None, latest=None, start=7):
    return {
        "kind": "agreement",
        "name": "校企合作协议",
        "quote": TEXT[start:21],
        "start": start,
        "end": 21,
        "parties": [{"name": name, "quote": name, "start": TEXT.index(name), "end": TEXT.index(name) + len(name)} for name in parties],
        "signed_earliest": earliest,
        "signed_latest": latest,
    }


def key(*agreements):
    return {"institutions": ["甲学院", "乙公司"], "people": [], "agreements": list(agreements), "events": [], "projects": []}


def test_a_date_counts_when_the_proposal_with_the_same_parties_has_the_keys_day():
    proposals = [agreement(["甲学院", "乙公司"], "2024-05-08", "2024-05-08")]

    assert score("a", proposals, key({"parties": ["乙公司", "甲学院"], "signed": "2024-05-08"})).dates == (1, 1)
    assert score("a", proposals, key({"parties": ["甲学院", "乙公司"], "signed": "2024-05-09"})).dates == (0, 1)
    assert score("a", proposals, key({"parties": ["甲学院", "丙公司"], "signed": "2024-05-08"})).dates == (0, 1)


def test_a_range_needs_both_bounds_a_null_date_needs_none_and_a_missing_date_is_not_scored():
    ranged = [agreement(["甲学院", "乙公司"], "2024-05-01", "2024-05-31")]
    bounds = {"parties": ["甲学院", "乙公司"], "signed_earliest": "2024-05-01", "signed_latest": "2024-05-31"}
    assert score("a", ranged, key(bounds)).dates == (1, 1)
    assert score("a", ranged, key({**bounds, "signed_latest": "2024-06-30"})).dates == (0, 1)

    undated = [agreement(["甲学院", "乙公司"])]
    assert score("a", undated, key({"parties": ["甲学院", "乙公司"], "signed": None})).dates == (1, 1)
    assert score("a", ranged, key({"parties": ["甲学院", "乙公司"], "signed": None})).dates == (0, 1)
    assert score("a", ranged, key({"parties": ["甲学院", "乙公司"]})).dates == (0, 0)


def test_a_bound_the_key_leaves_open_is_not_scored():
    recent = [agreement(["甲学院", "乙公司"], "2024-04-07", "2024-05-08")]  # 近日, counted back 31 days
    assert score("a", recent, key({"parties": ["甲学院", "乙公司"], "signed_latest": "2024-05-08"})).dates == (1, 1)
    assert score("a", recent, key({"parties": ["甲学院", "乙公司"], "signed_latest": "2024-05-07"})).dates == (0, 1)
    assert score("a", recent, key({"parties": ["甲学院", "乙公司"], "signed_earliest": "2024-04-07"})).dates == (1, 1)


def test_names_are_folded_to_simplified_script_on_both_sides():
    proposals = [agreement(["甲学院", "乙公司"], "2024-05-08", "2024-05-08")]
    proposals[0]["parties"][0]["name"] = "甲學院"  # as a traditional-script mirror writes it
    folded = score("a", proposals, key({"parties": ["甲学院", "乙公司"], "signed": "2024-05-08"}))
    assert (folded.agreements, folded.dates, folded.proposals) == ((1, 1), (1, 1), (1, 1))


def test_every_quote_of_a_proposal_and_its_parties_is_checked_at_its_offsets():
    assert score("a", [agreement(["甲学院", "乙公司"])], key(), TEXT).offsets == (3, 3)
    shifted = agreement(["甲学院", "乙公司"], start=6)
    shifted["quote"] = TEXT[7:21]
    assert score("a", [shifted], key(), TEXT).offsets == (2, 3)


def test_the_ledger_refuses_a_second_first_read_before_reading_anything(tmp_path, monkeypatch, capsys):
    for suffix, content in ((".txt", TEXT), (".json", "{}"), (".key.json", json.dumps(key()))):
        (tmp_path / f"a{suffix}").write_text(content, encoding="utf-8")
    book = tmp_path / "LEDGER.json"
    book.write_text(json.dumps({"tuned": [], "first_reads": [{"slug": "a", "engine": "abc1234"}]}), encoding="utf-8")
    monkeypatch.setattr(ledger, "LEDGER", book)
    monkeypatch.setattr(ledger, "ARTICLES", tmp_path)
    monkeypatch.setattr(ledger, "score_articles", lambda *args, **kwargs: pytest_fail())

    assert ledger.main(["score", "a", "--record", "--dir", str(tmp_path)]) == 1
    assert "already read once, not recorded again: a" in capsys.readouterr().err
    assert json.loads(book.read_text(encoding="utf-8"))["first_reads"] == [{"slug": "a", "engine": "abc1234"}]


def pytest_fail():
    raise AssertionError("the engine ran for an article already read once")


def test_the_ledger_records_only_articles_kept_in_tests_articles(tmp_path, capsys):
    (tmp_path / "a.key.json").write_text(json.dumps(key()), encoding="utf-8")

    assert ledger.main(["score", "a", "--record", "--dir", str(tmp_path)]) == 2
    assert "copy them there first" in capsys.readouterr().err
