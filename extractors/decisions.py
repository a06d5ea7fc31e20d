"""Decisions and proposals per item: ➤ lines, Päätös captions, organ captions (Kvalt:),
decision formulas (Hyväksyttiin., Merkitään tiedoksi) and bold decision lines."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from models.document import Document, Table
from models.enums import Resolution
from models.rows import DecisionRow
from extractors.finnish import analyze, finite_verb, names_organ, words
from extractors.paragraphs import Para, Unit
from extractors.structure import Structure

DECISION_LEMMAS = {"päättää", "hyväksyä", "esittää", "valita", "merkitä", "todeta", "kutsua", "viedä",
                   "edetä", "sopia", "palauttaa", "hylätä", "panna", "poistaa", "nimetä", "myöntää",
                   "vahvistaa", "valtuuttaa", "oikeuttaa", "antaa", "lähettää", "jättää", "ehdottaa",
                   "pyytää", "kehottaa", "velvoittaa", "siirtää", "lykätä", "asettaa", "määrätä", "nimittää",
                   "puoltaa", "hankkia", "vuokrata", "myydä", "perustaa", "lakkauttaa", "valtuuttaa"}
# verbs whose passive narrates what happened or will happen ("Tarjouspyyntö julkaistiin",
# "Työpaja pidetään viikolla 12") rather than what the meeting decided
EVENT_LEMMAS = {"järjestää", "saada", "toteuttaa", "suorittaa", "aloittaa",
                "käynnistää", "tehdä", "tulla", "saapua", "jatkua", "alkaa", "päättyä", "lähteä"}
EVENT_PAST_LEMMAS = {"julkaista", "pitää", "lähettää", "toimittaa", "hakea", "tilata", "ilmoittaa", "tiedottaa", "maksaa", "antaa"}
SUBORDINATE_WORDS = {"että", "jotta", "joka", "jonka", "jotka", "kun", "jos", "mikäli", "koska", "kuin"}
# passives that narrate a discussion rather than decide ("Käytiin läpi", "Keskusteltiin")
NARRATIVE_LEMMAS = {"käydä", "keskustella", "esitellä", "kuulla", "kertoa", "käsitellä", "pohtia", "tutustua",
                    "informoida", "selostaa", "tarkastella", "katsoa", "miettiä", "vaihtaa", "käyttää",
                    "kuunnella", "laatia", "kerätä"}
PROPOSAL_LEMMAS = {"esittää", "ehdottaa"}   # "Hallitus esittää, että ...": a proposal when a decision follows
COPULA_LEMMAS = {"olla"}                   # "Tilinpäätös on liitteenä." describes, it does not decide
WORD_RE = re.compile(r"[^\W\d_]{3,}")     # a decision has at least one word of three letters
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
SUB_LABEL_RE = re.compile(r"^[a-zåäö]\)\s+")
VERB_WINDOW = 6               # a decision sentence has its verb among its first words
MAX_FORMULA_CHARS = 400       # a decision formula paragraph is short
NOT_DECISION_RE = re.compile(r"\b(avasi|päätti) (kokouksen|istunnon)\b|\bkokous (avattiin|päätettiin)\b|"
                             r"\b(avattiin|päätettiin) (kokous|istunto)\b", re.I)
RESOLVES_TO_PROPOSAL_RE = re.compile(
    r"\b(esityksen|ehdotuksen|päätösehdotuksen|päätösesityksen|pohjaesityksen|esittelijän ehdotuksen)\s+mukaa|"
    r"\bhyväksyttiin\s+(esitys|ehdotus|päätösehdotus)|\b(päätös)?(ehdotus|esitys)\s+hyväksyttiin", re.I)
HANDLING_RE = re.compile(r"^(?P<organ>[A-ZÅÄÖ][\wåäö -]{1,60}?)\s+(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*§\s*\d+\s*$")
ABBREV_HANDLING_RE = re.compile(r"^[A-ZÅÄÖ]{2,10}\.?\s*§\s*(\d{1,4})$")
VOTE_RES = {
    "vote_yes": re.compile(r"\bjaa\w*\s*[:=]?\s*(\d{1,3})\b|\b(\d{1,3})\s+jaa", re.I),
    "vote_no": re.compile(r"\bei\s*[:=]?\s*(\d{1,3})\b|\b(\d{1,3})\s+ei\b", re.I),
    "vote_blank": re.compile(r"\btyhjää?\s*[:=]?\s*(\d{1,3})\b|\b(\d{1,3})\s+tyhjää", re.I),
    "vote_absent": re.compile(r"\bpoissa\s*[:=]?\s*(\d{1,3})\b|\b(\d{1,3})\s+poissa", re.I),
}
VOTES_RE = re.compile(r"\b(äänin|äänestyksen|äänestyksessä|äänestettiin|äänestys)\b", re.I)
RESOLUTION_RULES = [
    (Resolution.TABLED, re.compile(r"pöydälle", re.I)),
    (Resolution.RETURNED, re.compile(r"palautett|palauttaa .*valmistel|uudelleen valmisteltava", re.I)),
    (Resolution.REMOVED, re.compile(r"poistettiin (esitys|asia)listalta|poistetaan (esitys|asia)listalta", re.I)),
    (Resolution.REJECTED, re.compile(r"\bhylät|\bhylkäsi|\bhylätään|\bei hyväksytty", re.I)),
    (Resolution.AMENDED, re.compile(r"muutett\w*\s+(muotoon|niin)|muutoksin|muutettuna|täydennettyn|lisäyksin|seuraavin muutoksin", re.I)),
    (Resolution.NOTED, re.compile(r"tiedoksi|\bmerkittiin\b|\bmerkitään\b|\btodettiin\b|\btodetaan\b", re.I)),
    (Resolution.ELECTION, re.compile(r"\bvalittiin|\bvalitsi\b|\bnimettiin|\bnimesi\b|\bvalitaan|\bvalita\b", re.I)),
    (Resolution.APPROVED, re.compile(r"hyväksyttiin|hyväksyi|hyväksytään|päätettiin|mukaan|yksimielisesti|päätti|päätetään", re.I)),
]


def _decision_verb(text: str) -> str:
    """The decision verb's lemma among the first words: a finite passive ("Hyväksyttiin",
    "viedään") or a body deciding ("Johtoryhmä esittää"); "" when there is none."""
    if NOT_DECISION_RE.search(text):
        return ""
    for k, w in enumerate(words(text)[:VERB_WINDOW]):
        if w.casefold() in SUBORDINATE_WORDS:
            return ""         # "... on pyytänyt, että diakoniatyö kutsutaan mukaan": not this meeting's
        fv = finite_verb(w)
        if not fv:
            continue
        lemma, person = fv
        if lemma in NARRATIVE_LEMMAS:
            return ""
        if lemma == "pitää" and not re.search(r"\bkokou", text, re.I):
            return ""         # "Työpaja pidetään viikolla 12" informs; "Seuraava kokous pidetään ..." agrees
        if person == "4" and lemma not in EVENT_LEMMAS and not (lemma in EVENT_PAST_LEMMAS and _past_passive(w)):
            return lemma
        if person == "3" and lemma in DECISION_LEMMAS and (k <= 2 or _past(w)):
            return lemma      # "Hallitus päätti", "Johtoryhmä esittää"; not "... on halu selvittää"
        return ""             # another finite verb leads the sentence
    return ""


def is_decision_sentence(text: str) -> bool:
    """Meeting opening/closing is not a decision."""
    return bool(_decision_verb(text))


def _sentence_kind(sentence: str) -> str:
    """decision | proposal ("Hallitus esittää, että ...") | narrative | plain (only "on", "oli")
    | other (any other statement) | none (no finite verb: a title, a list)."""
    verb = _decision_verb(sentence)
    if verb:
        return "proposal" if verb in PROPOSAL_LEMMAS and not re.search(r"\w(tiin|ttiin)\b", sentence) else "decision"
    verbs = [fv[0] for w in words(sentence) if (fv := finite_verb(w))]
    if not verbs:
        return "none"
    if all(v in NARRATIVE_LEMMAS for v in verbs):
        return "narrative"
    if any(_is_participle(w) for w in words(sentence)):
        return "other"        # "Yhteyshenkilöt on nimetty": a perfect tense states a fact
    return "plain" if all(v in NARRATIVE_LEMMAS or v in COPULA_LEMMAS for v in verbs) else "other"


@lru_cache(maxsize=4096)
def _lead_verb(text: str) -> tuple[str, str]:
    """(person, tense) of the first finite verb among the first words; ("", "") when none.
    decision_part asks this of the same sentences many times over."""
    for w in words(text)[:VERB_WINDOW]:
        if finite_verb(w):
            d = next(d for a in analyze(w) if (d := dict(a)).get("CLASS") == "teonsana"
                     and d.get("MOOD") == "indicative" and d.get("PERSON") and d.get("NEGATIVE") != "true")
            return d.get("PERSON", ""), d.get("TENSE", "")
    return "", ""


def _past_decision(text: str) -> bool:
    """The text decides in the past tense ("Kokous todettiin ...", "Hallitus päätti ...")."""
    return _lead_verb(text)[1] == "past_imperfective"


def _present(text: str) -> bool:
    """The text leads with a present-tense verb ("Todetaan ...", "Lautakunta hyväksyy ...")."""
    return _lead_verb(text)[1] == "present_simple"


def _weak(sentence: str) -> bool:
    """A present passive ("Kouluille järjestetään ...") after a statement informs; a past one
    ("Päätettiin ...") or a body's own verb ("Hallitus päätti ...") decides wherever it stands."""
    return _lead_verb(sentence) == ("4", "present_simple")


def _is_participle(word: str) -> bool:
    return any(dict(a).get("PARTICIPLE") in ("past_passive", "past_active") for a in analyze(word))


def decision_part(text: str) -> str:
    """The paragraph from its decision sentence on ("b) Vuokrat. Keskusteltiin vuokrista. Asia
    siirrettiin seuraavaan kokoukseen." -> "Asia siirrettiin seuraavaan kokoukseen."). Titles,
    narrated discussion, statements of fact and a proposal that a decision follows ("Hallitus
    esittää ... . Hyväksyttiin.", "Todetaan ... . ... todettiin.") are skipped; after a statement of
    fact a present passive only informs ("... on nimetty. Kouluille järjestetään ...")."""
    sentences = SENTENCE_RE.split(SUB_LABEL_RE.sub("", text))
    proposal = None
    stated = False            # a plain statement of fact came first
    for k, sentence in enumerate(sentences):
        kind = _sentence_kind(sentence)
        if kind == "decision" and not (stated and _weak(sentence)):
            later = next((j for j in range(k + 1, len(sentences)) if not _past_decision(sentences[k]) and
                          _sentence_kind(sentences[j]) == "decision" and _past_decision(sentences[j])), None)
            return " ".join(sentences[later if later is not None else k:])   # proposal, then the decision
        if kind == "proposal":
            proposal = k if proposal is None else proposal
        stated = stated or kind == "other"
    return " ".join(sentences[proposal:]) if proposal is not None else ""


def looks_decided(structure: Structure) -> bool:
    """Minutes that call their item list "Esityslista" still record decisions in the past tense
    ("Kokous todettiin lailliseksi.", "Päätös: Hyväksyttiin."): most items have one."""
    decided = 0
    for it in structure.items:
        for u in it.units:
            if isinstance(u, Para) and u.caption not in ("proposal",) and u.text and \
                    any(_past_passive(w) for w in words(u.text)[:VERB_WINDOW]) and \
                    (u.caption == "decision" or is_decision_sentence(u.text)) and not HANDLING_RE.match(u.text):
                decided += 1
                break
    return decided >= 2 and decided * 2 >= len(structure.items)


def _past(word: str) -> bool:
    return any(dict(a).get("TENSE") == "past_imperfective" for a in analyze(word))


def _past_passive(word: str) -> bool:
    return any(dict(a).get("PERSON") == "4" and dict(a).get("TENSE") == "past_imperfective" for a in analyze(word))


def resolution_of(text: str, stage: str) -> str:
    if stage == "proposal":
        return ""
    if VOTES_RE.search(text):
        return Resolution.APPROVED_AFTER_VOTE.value if not re.search(r"hylät|hylkäsi", text, re.I) else Resolution.REJECTED.value
    for res, rx in RESOLUTION_RULES:
        if rx.search(text):
            return res.value
    return Resolution.OTHER.value


def _votes(row: DecisionRow) -> None:
    if not VOTES_RE.search(row.text) and not re.search(r"\bjaa\b", row.text, re.I):
        return
    for field, rx in VOTE_RES.items():
        m = rx.search(row.text)
        if m:
            setattr(row, field, int(next(g for g in m.groups() if g)))
    m = re.search(r"\bäänin\s+(\d{1,3})\s*[-–]\s*(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?", row.text, re.I)
    if m and row.vote_yes is None:
        row.vote_yes, row.vote_no = int(m.group(1)), int(m.group(2))
        if m.group(3):
            row.vote_blank = int(m.group(3))


def extract_decisions(doc: Document, structure: Structure, doc_type: str,
                      meeting_date: dt.date | None) -> list[DecisionRow]:
    """Formulas ("Hyväksyttiin.") count only inside agenda items; a document without items (a
    one-§ extract, a slide deck) has only its captioned (Päätös) and ➤-marked decisions."""
    scopes = [(it.no, it.units, True) for it in structure.items]
    if not structure.items:
        scopes = [("", structure.units, False)]
    rows: list[DecisionRow] = []
    for item_no, units, formulas in scopes:
        rows.extend(_scope_decisions(doc.doc_id, item_no, units, doc_type, meeting_date, formulas))
    return rows


def _scope_decisions(doc_id: str, item_no: str, units: list[Unit], doc_type: str,
                     meeting_date: dt.date | None, formulas: bool) -> list[DecisionRow]:
    captioned = _captioned_handlings(units)
    agenda = doc_type == "esityslista"
    rows: list[tuple[DecisionRow, str]] = []      # row, the handling date it belongs to
    section: DecisionRow | None = None
    handling = ""
    proposal = ""
    prev_formula: DecisionRow | None = None
    formula_rows: set[int] = set()
    for u in units:
        if isinstance(u, Table):
            section = None
            continue
        if not u.caption and not WORD_RE.search(u.text):
            continue              # "; ", "| |", "vu": specks of a scan, no decision and no end of one
        hm = HANDLING_RE.match(u.text)
        if hm:                 # "Kunnanhallitus 10.12.2018 § 301", also inside a Päätöshistoria caption
            handling = hm.group("date")
            section = None
            continue
        am = ABBREV_HANDLING_RE.match(u.text)
        if am:                 # Dynasty item pages: "KH § 151" heads an earlier handling's text
            handling = f"§{am.group(1)}"
            section = None
            continue
        if u.caption in ("decision", "proposal"):
            stage = "decision" if u.caption == "decision" else "proposal"
            if stage == "decision" and agenda:
                section = None
                continue
            text = "" if names_organ(u.text) or not WORD_RE.search(u.text) else u.text   # "Päätös Hallitus": the text below
            section = DecisionRow(doc_id=doc_id, item_no=item_no, text=text, stage=stage, page=u.page,
                                  source_text=f"{u.caption_text} {u.text}".strip())
            rows.append((section, handling))
            continue
        if u.caption:
            section = None
            continue
        if section is not None:
            if not section.text or section.text.rstrip().endswith(":") or u.bullet or (u.list_label and section.text):
                section.text = f"{section.text}\n{u.text}".strip() if section.text else u.text
                section.source_text = f"{section.source_text}\n{u.text}"[:2000]
                continue
            section = None
        if agenda:
            continue
        if prev_formula is not None and _opens_list(prev_formula.text) and _list_line(u):
            prev_formula.text = f"{prev_formula.text} {u.text}"   # "Hallitus päätti" + "1. hyväksyä ..."
            prev_formula.source_text = f"{prev_formula.source_text}\n{u.text}"[:2000]
            continue
        if u.marked:
            rows.append((_row(doc_id, item_no, u), handling))
            prev_formula = None
        elif formulas and handling not in captioned and (part := _formula(u)):
            if prev_formula is not None and not u.bold and not u.bullet and not SUB_LABEL_RE.match(u.text) \
                    and not _proposal_then_decision(prev_formula.text, part):
                prev_formula.text = f"{prev_formula.text} {part}"   # "Sihteeriksi kutsuttiin X." + "... valittiin Y."
                prev_formula.source_text = f"{prev_formula.source_text}\n{u.text}"[:2000]
                continue
            prev_formula = _row(doc_id, item_no, u)
            prev_formula.text = part
            formula_rows.add(id(prev_formula))
            rows.append((prev_formula, handling))
            if u.bold:
                prev_formula = None
        else:
            prev_formula = None
    _present_tense_proposes(rows, formula_rows)
    out: list[DecisionRow] = []
    decisions = [(r, h) for r, h in rows if r.stage == "decision" and r.text]
    history = {id(r) for r, _ in _history(decisions, meeting_date, item_no)}
    for r, h in rows:
        if not r.text or id(r) in history:
            continue
        if r.stage == "proposal":
            proposal = r.text
        else:
            if RESOLVES_TO_PROPOSAL_RE.search(r.text):
                r.resolved_text = proposal or _last_proposal(rows)
            _votes(r)
        r.resolution = resolution_of(r.text, r.stage)
        out.append(r)
    return out


def _captioned_handlings(units: list[Unit]) -> set[str]:
    """The handlings (by date, "" for this meeting's own text) that write their decision under
    a Päätös caption: formulas there would repeat it. An earlier handling's caption does not
    silence this meeting's closing sentence."""
    out, handling = set(), ""
    for u in units:
        if isinstance(u, Para):
            hm = HANDLING_RE.match(u.text)
            am = ABBREV_HANDLING_RE.match(u.text)
            if hm or am:
                handling = hm.group("date") if hm else f"§{am.group(1)}"
            elif u.caption == "decision":
                out.add(handling)
    return out


def _opens_list(text: str) -> bool:
    """'Kaupunginhallitus päätti' or '... seuraavaa:': the decision goes on in a numbered list."""
    return text.rstrip().endswith(":") or bool(re.fullmatch(r"[\wåäöÅÄÖ -]{2,60}\s+päätti", text.strip()))


def _list_line(u: Para) -> bool:
    return bool(u.list_label or u.bullet or re.match(r"^\d{1,2}[.)]\s+\S", u.text))


def _proposal_then_decision(before: str, after: str) -> bool:
    """"Todetaan kokous lailliseksi." then "Kokous todettiin lailliseksi.": the tense turns from
    present to past, so these are a proposal and its decision, not one decision in two lines
    (on a scan the captions that kept them apart may be lost)."""
    return _present(before) and _past_decision(after)


def _present_tense_proposes(rows: list[tuple[DecisionRow, str]], formula_rows: set[int]) -> None:
    """Minutes that tell proposal and decision apart only by tense ("Todetaan kokous
    lailliseksi." ... "Kokous todettiin lailliseksi."): where an item records a decision in the
    past, its present-tense formulas are the proposal."""
    decided = [r for r, _ in rows if r.stage == "decision" and r.text and _past_decision(r.text)]
    if not decided:
        return
    for r, _ in rows:
        if id(r) in formula_rows and r.stage == "decision" and _present(r.text):
            r.stage = "proposal"      # "Todetaan ...", "Lautakunta hyväksyy ..." beside a past decision


def _last_proposal(rows: list[tuple[DecisionRow, str]]) -> str:
    props = [r.text for r, _ in rows if r.stage == "proposal" and r.text]
    return props[-1] if props else ""


def _history(decisions: list[tuple[DecisionRow, str]], meeting_date: dt.date | None,
             item_no: str = "") -> list[tuple[DecisionRow, str]]:
    """Earlier handlings of the same matter repeated in this item: all but this meeting's."""
    if len(decisions) < 2 or not any(h for _, h in decisions):
        return []
    def same_day(h: str) -> bool:
        if h.startswith("§"):
            return h == f"§{item_no}"         # "YMPLTK § 3" heads this meeting's handling of item 3
        try:
            d, m, y = (int(x) for x in h.split("."))
            return meeting_date is not None and dt.date(y % 100 + 2000 if y < 100 else y, m, d) == meeting_date
        except ValueError:
            return False
    current = [x for x in decisions if x[1] and same_day(x[1])]
    if not current:
        current = [decisions[-1]] if meeting_date is None else [x for x in decisions if not x[1]] or [decisions[-1]]
    keep = {id(r) for r, _ in current}
    return [x for x in decisions if id(x[0]) not in keep]


def _formula(u: Para) -> str:
    """The decision in a plain paragraph, or "". A bold line decides from its first words."""
    if u.heading or u.caption or not u.text or u.text.endswith(":") or len(u.text) > MAX_FORMULA_CHARS:
        return ""
    if u.bullet and not u.bold:
        part = decision_part(u.text)          # "– Kokous todettiin lailliseksi": a dash list of decisions
        return part if part and not _weak(part) else ""
    if u.bold:
        return u.text if is_decision_sentence(u.text) else ""
    return decision_part(u.text)


def _row(doc_id: str, item_no: str, u: Para) -> DecisionRow:
    return DecisionRow(doc_id=doc_id, item_no=item_no, text=u.text, stage="decision", page=u.page,
                       source_text=u.text[:2000])
