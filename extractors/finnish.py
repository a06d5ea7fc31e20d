"""Finnish morphology through Voikko (the same analyser spaCy's Finnish lemmatizer uses):
first names, surnames, lemmas and finite verbs. One analyser per process, results cached."""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from extractors.vocabulary import ORGAN_HEADS

_local = threading.local()
WORD_RE = re.compile(r"[A-Za-zÅÄÖåäöÉéÜüÕõŠšŽž][\wÅÄÖåäö'’-]*")


def _voikko():
    v = getattr(_local, "voikko", None)
    if v is None:
        import libvoikko
        try:
            v = libvoikko.Voikko("fi")
        except OSError as e:  # libvoikko1 / voikko-fi missing: say which packages
            raise RuntimeError("Voikko's Finnish dictionary is missing: apt-get install libvoikko1 voikko-fi") from e
        _local.voikko = v
    return v


@lru_cache(maxsize=100_000)
def analyze(word: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Voikko analyses as hashable tuples of (key, value) pairs."""
    try:
        res = _voikko().analyze(word)
    except Exception:
        return ()
    return tuple(tuple(sorted((k, v) for k, v in a.items() if isinstance(v, str))) for a in res)


def classes(word: str) -> set[str]:
    return {dict(a).get("CLASS", "") for a in analyze(word)}


def is_first_name(word: str) -> bool:
    if not word[:1].isupper():
        return False
    if "etunimi" in classes(word):
        return True
    parts = word.split("-")
    return len(parts) == 2 and all(p[:1].isupper() and "etunimi" in classes(p) for p in parts)


def is_common_word(word: str) -> bool:
    """A word Voikko knows as something other than a name (kaupunginjohtaja, Kokouksen)."""
    cls = classes(word)
    return bool(cls) and not cls & {"etunimi", "sukunimi", "paikannimi", "nimi"}


def is_surname_like(word: str) -> bool:
    """Capitalised and either a known surname or a word Voikko does not know at all."""
    if not word[:1].isupper() or len(word) < 2:
        return False
    cls = classes(word)
    if cls & {"sukunimi"} or not cls:
        return True
    if "-" in word:
        return all(is_surname_like(p) for p in word.split("-") if p)
    return bool(cls & {"paikannimi", "nimi"}) and "etunimi" not in cls


def lemma(word: str) -> str:
    an = analyze(word)
    if not an:
        return word
    return dict(an[0]).get("BASEFORM", word)


def finite_verb(word: str) -> tuple[str, str] | None:
    """(lemma, person) when the word is a finite indicative verb; person '4' is the passive."""
    for a in analyze(word):
        d = dict(a)
        if d.get("NEGATIVE") == "true":
            continue          # "(ei) saada" is a connegative form; "saada" is nearly always the infinitive
        if d.get("CLASS") == "teonsana" and d.get("MOOD") == "indicative" and d.get("PERSON"):
            return d.get("BASEFORM", ""), d["PERSON"]
    return None


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def nominative_phrase(phrase: str) -> str:
    """'varsinaiseen yhtiökokoukseen' -> 'varsinainen yhtiökokous'; 'Sote-johtoryhmän' -> 'Sote-johtoryhmä'."""
    out = []
    for w in phrase.split():
        base = w
        an = analyze(w)
        if an:
            base = dict(an[0]).get("BASEFORM", w)
        elif "-" in w:
            head, _, tail = w.rpartition("-")
            tail_an = analyze(tail)
            if tail_an:
                base = f"{head}-{dict(tail_an[0]).get('BASEFORM', tail)}"
        if w[:1].isupper():
            base = base[:1].upper() + base[1:]
        out.append(base)
    return " ".join(out)


def names_organ(text: str) -> bool:
    """'Hallitus', 'Tekninen lautakunta', 'Kunnanjohtaja': a short phrase naming who decides or
    proposes, as web exports print after a Päätös/Esitys caption; no verb, no full stop."""
    ws = words(text)
    if not ws or len(ws) > 3 or not text[:1].isupper() or re.search(r"[.:;!?]$", text.strip()) or \
            any(finite_verb(w) for w in ws):
        return False
    return lemma(ws[-1]).casefold().endswith(ORGAN_HEADS + ("johtaja", "päällikkö", "esittelijä", "kirkkoherra"))
