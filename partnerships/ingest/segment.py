"""Chinese word segmentation with jieba, its dictionary extended by the tracker's own names.

jieba's bundled dictionary is loaded once per process (jieba caches the parsed dictionary in
its temporary directory; nothing is downloaded), with the organisation suffixes, titles and
national bodies added. Each snapshot then gets its own tokenizer: a copy of that base with the
snapshot's region, institution and person names, so a name the tracker knows comes out as
one word, and a name another snapshot knew does not (the process no longer accumulates every
name it ever saw). Tokenizers are kept for the few most recent sets of names; a snapshot with
other names (a saved article adds some) changes an idle one's names in place rather than copy
jieba's tables again (0.12 s).
"""

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg
from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
from jieba.posseg.viterbi import viterbi

from .vocabulary import NATIONAL_BODIES, ORGANISATION_WORDS, RETAGGED, TITLE_WORDS

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


# The tags jieba's part-of-speech model gives characters it has never seen (measured over random
# unseen characters in context: zg, x, yg, y, v, n, g, nr, ...). Offered all 256 states instead,
# its Viterbi costs about 10 ms for each such character: 30 KB of rare characters took 24 s.
_UNSEEN_TAGS = frozenset({"zg", "x", "yg", "y", "v", "n", "g", "nr", "ng", "vg", "ns", "nz", "nt", "l"})
_UNSEEN_STATES = tuple(state for state in trans_P if state[1] in _UNSEEN_TAGS)


class _StatesOfCharacter:
    """The states a character may take: the model's own where it knows the character, else _UNSEEN_STATES."""

    def get(self, char: str, default=None):
        return char_state_tab_P.get(char, _UNSEEN_STATES)


_STATES_OF_CHARACTER = _StatesOfCharacter()
_LONGEST_UNKNOWN_RUN = 64


class _Tagger(jieba.posseg.POSTokenizer):
    """jieba's tagger with the hidden Markov model's states bounded for unseen characters (linear, small constant)."""

    def _POSTokenizer__cut(self, sentence):  # jieba's private __cut, name-mangled
        # A run of unknown characters longer than any word is read in pieces, so that a caller
        # checking its time budget between tokens is never held up by one long Viterbi.
        for piece in range(0, len(sentence), _LONGEST_UNKNOWN_RUN):
            yield from self._cut_piece(sentence[piece : piece + _LONGEST_UNKNOWN_RUN])

    def _cut_piece(self, sentence):
        _, states = viterbi(sentence, _STATES_OF_CHARACTER, start_P, trans_P, emit_P)
        begin, following = 0, 0
        for index, char in enumerate(sentence):
            position, tag = states[index]
            if position == "B":
                begin = index
            elif position == "E":
                yield jieba.posseg.pair(sentence[begin : index + 1], tag)
                following = index + 1
            elif position == "S":
                yield jieba.posseg.pair(char, tag)
                following = index + 1
        if following < len(sentence):
            yield jieba.posseg.pair(sentence[following:], states[following][1])


@dataclass(frozen=True, slots=True)
class Token:
    word: str
    flag: str
    start: int
    end: int


class Segmenter:
    """A jieba tokenizer with the tracker's vocabulary and a set of names; read-only once built, so safe to share."""

    def __init__(self, base: "Segmenter | None" = None):
        if base is None:
            self._tokenizer = jieba.Tokenizer()
            self._tokenizer.initialize()
            self._tagger = _Tagger(self._tokenizer)
        else:
            # A copy of the base's tables (some 20-40 ms) instead of reading jieba's dictionary again.
            self._tokenizer = jieba.Tokenizer()
            self._tokenizer.FREQ, self._tokenizer.total = dict(base._tokenizer.FREQ), base._tokenizer.total
            self._tokenizer.initialized = True
            self._tagger = _Tagger.__new__(_Tagger)
            self._tagger.tokenizer = self._tokenizer
            self._tagger.word_tag_tab = dict(base._tagger.word_tag_tab)
        self._added: set[str] = set(base._added) if base is not None else set()
        self._lock = threading.Lock()
        if base is None:
            self.add_words(ORGANISATION_WORDS, TAG_SUFFIX)
            self.add_words(TITLE_WORDS, TAG_TITLE)
            self.add_words(NATIONAL_BODIES, TAG_NATIONAL)
            self._tagger.word_tag_tab.update(RETAGGED)  # the tag only: the words' frequencies stay jieba's

    def add_words(self, words, tag: str) -> None:
        """Add words (once each) so that they come out as one token with this tag."""
        with self._lock:
            for word in words:
                if word and word not in self._added:
                    self._added.add(word)
                    self._tokenizer.add_word(word, _FREQUENT, tag)
                    self._tagger.word_tag_tab[word] = tag

    def tokens(self, text: str, *, check=None) -> list[Token]:
        """Return the text's tokens with their part-of-speech tags and offsets; call check() every so often."""
        result, position = [], 0
        for pair in self._tagger.cut(text):
            end = position + len(pair.word)
            result.append(Token(pair.word, pair.flag, position, end))
            position = end
            if check is not None and len(result) % 256 == 0:
                check()
        return result


@lru_cache(maxsize=1)
def base_segmenter() -> Segmenter:
    """Return the process's base segmenter (jieba's dictionary and the tracker's vocabulary), built on first use."""
    return Segmenter()


# A city's short name that is one of the commonest words (合作 of 合作市, some 13,000 in jieba's counts) is no place.
_COMMON_WORD = 5_000


def _names_of(regions: frozenset, institutions: frozenset, people: frozenset) -> dict[str, str]:
    """Return the snapshot's words and the tag each gets, the first set naming a word giving its tag."""
    names: dict[str, str] = {}
    frequency = base_segmenter()._tokenizer.FREQ
    short_names = (name[:-1] for name in regions if len(name) == 3 and name.endswith("市"))
    for words, tag in (
        (sorted(regions), TAG_REGION),
        # 大连 for 大连市 (jieba reads 大连 in 大连冶金… as an adverb): a city is named without its 市.
        (sorted(short for short in short_names if (frequency.get(short) or 0) < _COMMON_WORD), TAG_REGION),
        (sorted(institutions), TAG_INSTITUTION),
        (sorted(people), TAG_PERSON),
    ):
        for word in words:
            names.setdefault(word, tag)
    return names


class _Names(Segmenter):
    """A copy of the base with a snapshot's names, which can be changed to another snapshot's in place.

    Changing the names costs what changed (a saved article adds a few), where a new copy of
    jieba's tables costs some 0.12 s; what a name hid (a word of jieba's own) comes back when
    the name goes.
    """

    def __init__(self, base: Segmenter, names: dict[str, str]):
        super().__init__(base)
        self._base_added = frozenset(self._added)
        self._names: dict[str, str] = {}
        self._hidden: dict[str, tuple[int | None, str | None]] = {}
        self.in_use = 0  # analyses tokenizing with it now (_Cache holds the count)
        self.rename(names)

    def rename(self, names: dict[str, str]) -> None:
        """Make the names exactly these (word to tag), adding and removing only the difference."""
        tokenizer, tags = self._tokenizer, self._tagger.word_tag_tab
        for word in [word for word in self._names if word not in names]:
            freq, tag = self._hidden.pop(word)
            # The total counts what adding the name added (as a fresh copy's would), nothing else.
            tokenizer.total -= _FREQUENT
            tokenizer.FREQ[word] = freq or 0  # 0: a prefix of other words now, no word itself
            if tag is None:
                tags.pop(word, None)
            else:
                tags[word] = tag
            del self._names[word]
        for word, tag in names.items():
            if not word or word in self._base_added or self._names.get(word) == tag:
                continue
            if word not in self._names:
                self._hidden[word] = (tokenizer.FREQ.get(word) or None, tags.get(word))
                tokenizer.add_word(word, _FREQUENT, tag)
            tags[word] = tag
            self._names[word] = tag


class _Cache:
    """The tokenizers of the few most recent snapshots' names, one changed in place when it is idle."""

    def __init__(self, size: int = 4):
        self._lock = threading.Lock()
        self._size = size
        self._by_names: dict[tuple, _Names] = {}

    def lease(self, key: tuple) -> _Names:
        """Return the tokenizer for these names, counted in use until released."""
        with self._lock:
            words = self._by_names.pop(key, None)
            if words is None:
                words = self._build(key)
            self._by_names[key] = words  # the most recent last
            while len(self._by_names) > self._size:
                del self._by_names[next(iter(self._by_names))]
            words.in_use += 1
            return words

    def _build(self, key: tuple) -> _Names:
        names = _names_of(*key)
        idle = [old for old, words in self._by_names.items() if not words.in_use]
        if idle:
            # Another snapshot's tokenizer nobody is reading with: change its names (a save adds a few).
            words = self._by_names.pop(idle[-1])
            words.rename(names)
            return words
        return _Names(base_segmenter(), names)

    def release(self, words: _Names) -> None:
        with self._lock:
            words.in_use -= 1

    def clear(self) -> None:
        with self._lock:
            self._by_names.clear()


_CACHE = _Cache()


def _key(snapshot) -> tuple:
    return frozenset(snapshot.regions), frozenset(snapshot.institutions), frozenset(snapshot.people)


def segmenter_for(snapshot) -> Segmenter:
    """Return the tokenizer for a snapshot's names (to read with before another snapshot is read: tokens_for is safe)."""
    words = _CACHE.lease(_key(snapshot))
    _CACHE.release(words)
    return words


def tokens_for(snapshot, text: str, *, check=None) -> list[Token]:
    """Return the text's tokens read with the base vocabulary and the snapshot's names, nothing else.

    The tokenizer is kept by the snapshot's names, so a request whose snapshot holds the same
    names as an earlier one's reads with the same tokenizer; one holding other names gets the
    least recent idle tokenizer with its names changed, or a new copy when every one is in use.
    """
    words = _CACHE.lease(_key(snapshot))
    try:
        return words.tokens(text, check=check)
    finally:
        _CACHE.release(words)
