"""Chinese word segmentation with jieba, its dictionary extended by the tracker's own names.

The tokenizer loads jieba's bundled dictionary once per process (jieba caches the parsed
dictionary in its temporary directory); nothing is downloaded. Region names, organisation
suffixes and titles are added once; the snapshot's institution and person names are added
as they first appear, so a name the tracker knows comes out as one word.
"""

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg

from .vocabulary import NATIONAL_BODIES, ORGANISATION_WORDS, TITLE_WORDS

# jieba logs the dictionary build on the root of its own logger; keep stdout/stderr for our output.
jieba.setLogLevel(logging.WARNING)

# Tags the user dictionary gives; jieba's own tags are kept for everything else.
TAG_REGION = "ns"
TAG_INSTITUTION = "nt_known"
TAG_NATIONAL = "nt_national"
TAG_PERSON = "nr_known"
TAG_TITLE = "ttl"
TAG_SUFFIX = "n_org"
_FREQUENT = 100_000


@dataclass(frozen=True, slots=True)
class Token:
    word: str
    flag: str
    start: int
    end: int


class Segmenter:
    """One jieba tokenizer with the tracker's vocabulary; safe to share between threads."""

    def __init__(self):
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        self._tagger = jieba.posseg.POSTokenizer(self._tokenizer)
        self._added: set[str] = set()
        self._lock = threading.Lock()
        self.add_words(ORGANISATION_WORDS, TAG_SUFFIX)
        self.add_words(TITLE_WORDS, TAG_TITLE)
        self.add_words(NATIONAL_BODIES, TAG_NATIONAL)

    def add_words(self, words, tag: str) -> None:
        """Add words (once each) so that they come out as one token with this tag."""
        with self._lock:
            for word in words:
                if word and word not in self._added:
                    self._added.add(word)
                    self._tokenizer.add_word(word, _FREQUENT, tag)
                    self._tagger.word_tag_tab[word] = tag

    def tokens(self, text: str) -> list[Token]:
        """Return the text's tokens with their part-of-speech tags and offsets."""
        result, position = [], 0
        for pair in self._tagger.cut(text):
            end = position + len(pair.word)
            result.append(Token(pair.word, pair.flag, position, end))
            position = end
        return result


@lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    """Return the process's segmenter, building it on first use."""
    return Segmenter()
