"""Resolution: bare words (学院, 我校, 公司) resolved to the institution they stand for."""


from .. import vocabulary as vocab
from ..analysis import Analysis, InstitutionFound


def _generic_references(analysis: Analysis, generic: list) -> None:
    """Resolve 学院 / 我校 to the publisher, 基金会 / 公司 to the one named before."""
    publisher = analysis.publisher_name()
    named = sorted(
        ((mention.start, found) for found in analysis.institutions.values() for mention in found.mentions),
        key=lambda pair: pair[0],
    )
    words = {word for _, _, word in generic}
    # One sweep: the last institution named so far whose name ends with each generic word.
    last_named: dict[str, InstitutionFound] = {}
    passed = 0
    for start, end, word in sorted(generic, key=lambda reference: reference[0]):
        while passed < len(named) and named[passed][0] < start:
            found = named[passed][1]
            last_named.update((suffix, found) for suffix in words if found.name.endswith(suffix))
            passed += 1
        target = None
        if word in ("学院", "学校", "大学") and publisher and (
            publisher.endswith(vocab.SCHOOL_SUFFIXES) or publisher in analysis.institutions or analysis.publisher
        ):
            target = publisher
        elif word not in ("学院", "学校", "大学", "中心", "政府", "局", "办公室"):
            target = last_named[word].name if word in last_named else None
        if target:
            analysis.add_institution(target, start, end, generic=True)


def run(analysis: Analysis) -> None:
    """Resolve the bare words the mentions stage left to the institutions they stand for."""
    _generic_references(analysis, analysis.generic)
