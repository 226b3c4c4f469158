"""Names as people write them, and the keys that let a search find them again.

Pure Python, no Django: the same functions serve search, import and record linkage.

A name is kept exactly as typed. For search each name also gets a Latin *search form*
(transliterated, accent- and case-free) and a set of *keys*: whole tokens, consonant
skeletons and three-letter prefixes. Abjad scripts (Arabic, Persian, Hebrew) omit
short vowels, so "محمد" transliterates to "mhmd"; dropping the vowels of the Latin
spellings too ("Mohamed", "Muhammad" -> "mhmd") is what lets the scripts meet.
"""

import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii
from rapidfuzz import fuzz

# First word of a character's Unicode name -> ISO 15924 script code.
_SCRIPT_PREFIXES = {
    "LATIN": "Latn",
    "ARABIC": "Arab",
    "CYRILLIC": "Cyrl",
    "ETHIOPIC": "Ethi",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "GURMUKHI": "Guru",
    "TAMIL": "Taml",
    "THAI": "Thai",
    "MYANMAR": "Mymr",
    "KHMER": "Khmr",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "HANGUL": "Hang",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "CJK": "Hani",
    "TIFINAGH": "Tfng",
    "SYRIAC": "Syrc",
    "THAANA": "Thaa",
    "SINHALA": "Sinh",
}
SCRIPT_CHOICES = sorted(set(_SCRIPT_PREFIXES.values()) | {"Zyyy"})

_ARABIC_ARTICLE = "ال"
# Keys are stored in a 64-character column: "t:" and 60 letters of the token.
MAX_KEY_TOKEN = 60
_LATIN_ARTICLES = ("al", "el", "ul")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiouwy]")
_DOUBLES = re.compile(r"(.)\1+")
# Spellings that transliteration conventions swap for one sound, in this order
# ("sch" before "sh"; a soft "c" before "ce" becomes "k").
_SOUND_ALIKE = (
    (re.compile(r"sch|sh"), "s"),
    (re.compile(r"zh|dj"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|q"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"),
)


def detect_script(text: str) -> str:
    """ISO 15924 code of the first script found in `text` ("Zyyy" if none)."""
    for char in text:
        if not char.isalpha():
            continue
        first_word = unicodedata.name(char, "").split(" ", 1)[0]
        if script := _SCRIPT_PREFIXES.get(first_word):
            return script
    return "Zyyy"


def _prepare_token(token: str) -> str:
    # Taa marbuta is written "a" in Latin ("Fatima"), not "h" as anyascii has it.
    if token.endswith("ة"):
        token = token[:-1] + "a"
    return token


def search_form(name: str) -> str:
    """Latin, lower-case, accent-free form: "Muḥammad  AL-Ḥasan" -> "muhammad al hasan"."""
    text = unicodedata.normalize("NFKC", name)
    tokens = (_prepare_token(t) for t in text.split())
    latin = anyascii(" ".join(tokens)).lower()
    return " ".join(_NON_ALNUM.sub(" ", latin).split())


def skeleton(token: str) -> str:
    """Consonant skeleton of a Latin token: "mohammed" -> "mhmd", "hassan" -> "hsn"."""
    for written, sound in _SOUND_ALIKE:
        token = written.sub(sound, token)
    return _DOUBLES.sub(r"\1", _VOWELS.sub("", token))


def _token_variants(raw_token: str) -> set[str]:
    """The token's search form, plus the form without a glued article ("alhassan")."""
    variants = set()
    if raw_token.startswith(_ARABIC_ARTICLE) and len(raw_token) > 3:
        variants.add(search_form(raw_token[2:]))
    form = search_form(raw_token).replace(" ", "")
    variants.add(form)
    for article in _LATIN_ARTICLES:
        if form.startswith(article) and len(form) >= len(article) + 3:
            variants.add(form[len(article) :])
    return {v for v in variants if v}


def name_keys(name: str) -> set[str]:
    """Index keys of a name: "t:" whole tokens, "s:" skeletons, "p:" prefixes."""
    keys: set[str] = set()
    for raw_token in unicodedata.normalize("NFKC", name).replace("-", " ").split():
        for variant in _token_variants(raw_token):
            if variant in _LATIN_ARTICLES:
                continue
            token = variant[:MAX_KEY_TOKEN]
            keys.add(f"t:{token}")
            if len(token) >= 3:
                keys.add(f"p:{token[:3]}")
            # A one-letter skeleton ("Ali" -> "l") would match half the registry.
            if len(sk := skeleton(token)) >= 2:
                keys.add(f"s:{sk}")
    return keys


def _comparable(name: str) -> tuple[str, str]:
    """The name's tokens as a form and as skeletons, without standalone articles and
    without the Arabic-script article ("الحسن" -> "hsn"). A glued Latin "al" stays:
    it cannot be told from the first letters of "Alberto" or "Alice"."""
    tokens = []
    for raw_token in unicodedata.normalize("NFKC", name).replace("-", " ").split():
        if raw_token.startswith(_ARABIC_ARTICLE) and len(raw_token) > 3:
            raw_token = raw_token[2:]
        token = search_form(raw_token).replace(" ", "")
        if token and token not in _LATIN_ARTICLES:
            tokens.append(token)
    skeletons = []
    for token in tokens:
        sk = skeleton(token)
        skeletons.append(sk if len(sk) >= 2 else token)
    return " ".join(tokens), " ".join(skeletons)


def _match(query: str, name: str) -> float:
    """Mostly how well each query token is answered by some token of the name, so that
    typing one name finds everyone who has it; the rest is the whole-name likeness."""
    q_tokens, n_tokens = query.split(), name.split()
    if not q_tokens or not n_tokens:
        return 0.0
    coverage = sum(max(fuzz.ratio(q, n) for n in n_tokens) for q in q_tokens) / len(
        q_tokens
    )
    return 0.85 * coverage + 0.15 * fuzz.token_sort_ratio(query, name)


def similarity(query: str, names: Iterable[str]) -> float:
    """0-100: how well the best of a person's names answers the query. Token order
    is ignored (family names come first in some registries); skeletons count a
    little less than spellings."""
    q_form, q_skel = _comparable(query)
    best = 0.0
    for name in names:
        form, skel = _comparable(name)
        best = max(
            best,
            _match(q_form, form),
            0.95 * _match(q_skel, skel),
            # A name typed only in part ("moh") still finds its people, below full matches.
            0.8 * fuzz.partial_ratio(q_form, form) if len(q_form) < len(form) else 0,
        )
    return best
