"""The NER evaluation script scores an analyser against the corpus keys without Django or the analyser installed."""

from devtools import ner_eval


def test_word_level_bio_tags_become_whole_entities():
    words = ["成都", "信息", "工程", "大学", "周", "柳柳", "签署"]
    tags = ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "B-PER", "I-PER", "O"]
    assert ner_eval._spans(words, tags) == [("成都信息工程大学", "ORG"), ("周柳柳", "PER")]


def test_articles_are_cut_into_sentences_of_at_most_250_characters():
    text = "甲与乙签署协议。丙出席!\n" + "长" * 300
    assert ner_eval.sentences(text) == ["甲与乙签署协议。", "丙出席!", "长" * 250, "长" * 50]


def test_an_analyser_that_returns_the_key_names_in_the_text_scores_them_all_found_and_correct(monkeypatch, capsys):
    import json

    import opencc

    keys = {
        p.name[: -len(".key.json")]: json.loads(p.read_text(encoding="utf-8"))
        for p in ner_eval.ARTICLES.glob("*.key.json")
    }
    fold = opencc.OpenCC("t2s").convert

    def joined(text):
        return "".join(ner_eval.sentences(text))

    # Each article's own keyed names, found by its text: a name keyed for another article may be
    # written in this one without being keyed here, and would count against precision.
    names_by_text = {
        joined(fold((ner_eval.ARTICLES / f"{stem}.txt").read_text(encoding="utf-8"))): [
            *((n, "ORG") for n in k["institutions"]),
            *((p["name"], "PER") for p in k["people"]),
        ]
        for stem, k in keys.items()
    }

    def perfect(sents):
        text = "".join(sents)
        return [(n, kind) for n, kind in names_by_text.get(text, ()) if fold(n) in text]

    monkeypatch.setitem(ner_eval.LOADERS, "lac", lambda: perfect)
    assert ner_eval.main(["lac"]) == 0
    out = capsys.readouterr().out
    assert f"articles            {len(keys)}" in out

    # Some keys name an institution by its full name where the article shortens it: those stay missed.
    def present_of(field):
        pairs = [
            (fold((ner_eval.ARTICLES / f"{stem}.txt").read_text(encoding="utf-8")), {fold(n) for n in field(k)})
            for stem, k in keys.items()
        ]
        return sum(n in text for text, names in pairs for n in names), sum(len(names) for _, names in pairs)

    orgs_present, orgs = present_of(lambda k: k["institutions"])
    people_present, people = present_of(lambda k: [p["name"] for p in k["people"]])
    assert f"institutions found  {100 * orgs_present / orgs:.0f}% ({orgs_present}/{orgs}) exact" in out
    assert f"people found        {100 * people_present / people:.0f}% ({people_present}/{people})" in out
    assert "precision           100%" in out
