"""Families of hostile texts, each a function of a unit count: the test and the benchmark share them."""

from pathlib import Path

_ARTICLES = Path(__file__).resolve().parent.parent / "articles"


def _rare(units: int) -> str:
    """Characters jieba has never seen, four a unit, none repeated for a while."""
    return "".join(chr(0x4E00 + (index * 7919) % 20000) for index in range(4 * units))


def _run_without_punctuation(units: int) -> str:
    """Real article text with every punctuation mark and line break taken out."""
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(_ARTICLES.glob("*.txt")))
    letters = "".join(char for char in text if "\u4e00" <= char <= "\u9fff")
    return (letters * (1 + 12 * units // max(len(letters), 1)))[: 12 * units]


def _mixed_scripts(units: int) -> str:
    """Traditional and simplified script, Latin, digits and full-width forms in one run."""
    return "鄭州職業技術學院ＡＢＣ与Zhengzhou 2023年合作協議有限公司（集團）" * units


FAMILIES = {
    "repeated-company-suffix": lambda units: "有限公司" * units,
    "repeated-government": lambda units: "人民政府" * units,
    "repeated-signing": lambda units: "赣州职业技术学院与学大教育集团签订合作协议。" * units,
    "repeated-listed-signing": lambda units: "赣州职业技术学院与学大教育集团、龙南市人民政府签订合作协议,双方达成合作。" * units,
    "titles-and-names": lambda units: "".join(f"校长张{chr(0x4E00 + index % 500)}、" for index in range(units)),
    "rare": _rare,
    "run-without-punctuation": _run_without_punctuation,
    "mixed-scripts": _mixed_scripts,
}
