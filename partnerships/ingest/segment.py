"""Chinese word segmentation with jieba, its dictionary extended by the tracker's own names.

jieba's bundled dictionary is loaded once per process (jieba caches the parsed dictionary in
its temporary directory; nothing is downloaded), with the organisation suffixes, titles and
national bodies added. Each snapshot then gets its own tokenizer: a copy of that base with the
snapshot's region, institution and person names, so a name the tracker knows comes out as
one word, and a name another snapshot knew does not (the process no longer accumulates every
name it ever saw). Tokenizers are kept for the few most recent sets of names.
"""

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg
from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
from jieba.posseg.viterbi import viterbi

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


@lru_cache(maxsize=4)
def _segmenter_with(regions: frozenset, institutions: frozenset, people: frozenset) -> Segmenter:
    words = Segmenter(base_segmenter())
    words.add_words(sorted(regions), TAG_REGION)
    # 大连 for 大连市 (jieba reads 大连 in 大连冶金… as an adverb): a city is named without its 市.
    words.add_words(sorted(name[:-1] for name in regions if len(name) == 3 and name.endswith("市")), TAG_REGION)
    words.add_words(sorted(institutions), TAG_INSTITUTION)
    words.add_words(sorted(people), TAG_PERSON)
    return words


def segmenter_for(snapshot) -> Segmenter:
    """Return the tokenizer for a snapshot's names: the base vocabulary and those names, nothing else."""
    return _segmenter_with(frozenset(snapshot.regions), frozenset(snapshot.institutions), frozenset(snapshot.people))
