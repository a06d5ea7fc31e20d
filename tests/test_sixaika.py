"""The 6Aika-shaped export (`minutes export --format 6aika`): the pure parsers of register ids
(diaarinumero), function codes and names (tehtäväluokka) and attachment lists, then the document
made from a real store (samples/ through the real flow)."""
import json

import pytest

from cli.main import build_parser, dispatch
from research.exports import FORMATS
from research.sixaika import (NULL_FIELDS, Attachment, RegisterId, export_sixaika, find_attachments,
                              find_register_ids, function_names, hypertext)
from research.views import query
from tests.conftest import exported_json


# -- parsers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("HEL 2017-001234", RegisterId("HEL 2017-001234", None, 2017)),
    ("HIL/201/05.00.00/2017", RegisterId("HIL/201/05.00.00/2017", "05.00.00", 2017)),
    ("Dno OUKA/1472/02.02.02/2017", RegisterId("OUKA/1472/02.02.02/2017", "02.02.02", 2017)),
    ("Dnro 123/02.05.00/2016", RegisterId("123/02.05.00/2016", "02.05.00", 2016)),
    ("KH 244/2017", RegisterId("KH 244/2017", None, 2017)),
    ("Dnro: 55/2018", RegisterId("55/2018", None, 2018)),
    ("Asia (HEL 2016-012345) on valmisteltu", RegisterId("HEL 2016-012345", None, 2016)),
])
def test_register_id_formats(text, expected):
    assert find_register_ids(text) == [expected]


def test_numbers_that_are_not_register_ids():
    """Meeting numbers, § ranges, dates and times share the digits and slashes of diary numbers."""
    text = ("Kokous 9/2017. Tekninen johtaja: hankintapäätökset § 12–19/2019. Talousarvio 1.1.–31.7.2017. "
            "Ohjelmaluonnos valmistuu 6/2019. Klo 17.00. Kunnanvaltuuston päätös 4.9.2017 § 41. Kvalt 12/2017")
    assert find_register_ids(text) == []


def test_register_ids_in_order_each_once():
    text = "HIL/188/02.02.01/2017\nViittaus asiaan KH 244/2017 ja uudelleen HIL/188/02.02.01/2017."
    assert [r.register_id for r in find_register_ids(text)] == ["HIL/188/02.02.01/2017", "KH 244/2017"]


def test_function_names_where_printed():
    text = "Tehtäväluokka 05.00.00 Sosiaalihuollon yleinen järjestäminen\n02.02.01 Talousarvion seuranta\n" \
           "HIL/201/05.00.00/2017\nKokous alkoi klo 10.00 Kunnantalolla"
    assert function_names(text) == {"05.00.00": "Sosiaalihuollon yleinen järjestäminen",
                                    "02.02.01": "Talousarvion seuranta"}


def test_attachment_lines():
    # Tweb (Oulu): a caption with the name beside it, the next caption with a dash
    assert find_attachments("Liitteet Talousinfo kumulatiivinen helmikuu 2017\nOheismateriaali -") == \
        [Attachment(None, "Talousinfo kumulatiivinen helmikuu 2017")]
    # a web listing (seed 001): one line per attachment
    assert find_attachments("Liite 2 Alaryhmätyöskentely tiivistelmä\n\nLiite 3 Palvelulupaus osahanke") == \
        [Attachment(2, "Alaryhmätyöskentely tiivistelmä"), Attachment(3, "Palvelulupaus osahanke")]
    # a heading and numbered lines, then the text goes on
    assert find_attachments("Liitteet\n1 Vertailutaulukko\n2. Kartta\nEsitys Hyväksytään.") == \
        [Attachment(1, "Vertailutaulukko"), Attachment(2, "Kartta")]
    # numbers referred to in the text only; "Liitteenä" and "Liitteet -" list nothing
    assert find_attachments("Liitteet -\nLiitteenä on muistio.\nHyväksytään liitteen 2 mukaisesti.") == \
        [Attachment(2, None)]


def test_hypertext_is_escaped_paragraphs():
    assert hypertext("A < B\n\nC & D") == "<p>A &lt; B</p><p>C &amp; D</p>"
    assert hypertext("") is None and hypertext(None) is None


# -- the document ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def store(samples_store):
    return samples_store


@pytest.fixture(scope="module")
def doc(store, tmp_path_factory):
    return exported_json(export_sixaika, store, tmp_path_factory.mktemp("sixaika") / "6aika.json")


def test_cases_by_register_id_with_their_function(doc):
    cases = {c["register_id"]: c for c in doc["cases"]}
    assert set(cases) == {"HIL/188/02.02.01/2017", "HIL/201/05.00.00/2017", "HIL/214/02.05.01/2017",
                          "HIL/166/00.01.02/2017", "HIL/198/01.01.01/2017"}
    case = cases["HIL/201/05.00.00/2017"]
    assert case["title"] == "Vanhuspalvelujen palvelurakenneselvitys"
    assert case["function_id"] == "function/05.00.00"
    assert {f["function_id"] for f in doc["functions"]} == {"02.02.01", "05.00.00", "02.05.01", "00.01.02", "01.01.01"}
    assert all(f["name"] is None for f in doc["functions"])        # the samples print codes only
    action = next(a for a in doc["actions"] if a["id"] == case["actions"][0])
    assert action["case"] == case["id"] and action["article_number"] == "5"


def test_actions_have_contents_votes_and_attachments(doc):
    action = next(a for a in doc["actions"] if a["title"].startswith("Kotihoidon asiakasmaksujen"))
    assert [c["type"] for c in action["contents"]] == ["presentation", "proposal", "decision"]
    assert action["contents"][0]["hypertext"].startswith("<p>HIL/214/02.05.01/2017</p>")
    assert action["votes"][0]["counts"] == [{"option": "yes", "value": 7}, {"option": "no", "value": 4}]
    assert action["resolution"] == "approved_after_vote"
    assert action["responsible_party"] == "organization/perusturvalautakunta"
    assert action["date"] == "2017-09-12T17:00+03:00"
    atts = {a["id"]: a for a in doc["attachments"]}
    assert [(atts[i]["number"], atts[i]["name"]) for i in action["attachments"]] == [(2, None)]   # "liitteen 2"
    case = next(c for c in doc["cases"] if c["id"] == action["case"])
    assert case["attachments"] == action["attachments"]


def test_ids_unique_and_references_resolve(doc, store):
    ids = [o["id"] for k in ("organizations", "persons", "events", "functions", "cases", "actions", "attachments")
           for o in doc[k]]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for a in doc["actions"]:
        assert a["event"] in known and (a["case"] is None or a["case"] in known)
        assert a["responsible_party"] in known and set(a["attachments"]) <= known
    assert all(c["function_id"] is None or c["function_id"] in known for c in doc["cases"])
    assert all(p["person"] in known for e in doc["events"] for p in e["attendees"])
    assert len(doc["events"]) == query(store, "SELECT count(DISTINCT meeting_key) FROM meetings")[1][0][0]


def test_fields_we_lack_are_null_and_named(doc):
    for path in NULL_FIELDS:
        collection, name = path.split(".")
        if collection == "contents":
            values = [c[name] for a in doc["actions"] for c in a["contents"]]
        else:
            values = [o[name] for o in doc[collection]]
        assert values, path
        assert name == "name" or all(v is None for v in values), path
    assert doc["meta"]["null_fields"] == NULL_FIELDS


def test_export_command(store, tmp_path, capsys):
    assert "6aika" in FORMATS
    out = tmp_path / "6aika.json"
    assert dispatch(build_parser().parse_args(["export", "--format", "6aika", "--out", str(out),
                                               "--store", str(store)])) == 0
    assert "5 cases" in capsys.readouterr().out and json.loads(out.read_text(encoding="utf-8"))["cases"]
