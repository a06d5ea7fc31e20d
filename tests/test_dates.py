"""Dates and times: real lines from the seeds and the dev set, each form the issue names."""
import datetime as dt

import pytest

from extractors.datetext import find_dates, parse_times

MEETING = dt.date(2017, 1, 18)


@pytest.mark.parametrize("text, expected", [
    ("Aika: 18.1.2017 klo 12.00 - 14.00", [("2017-01-18", "12:00", "14:00")]),
    ("Sote-johtoryhmä 16.2 klo 8-10 Keminmaan valtuustosali", [("2017-02-16", "08:00", "10:00")]),
    ("Pol ohry 22.2 klo 15- Kemin kaupungin valtuustosali", [("2017-02-22", "15:00", None)]),
    ("seutufoorumin järjestäminen 28.2.2017 klo 17.00 – 20.30 Kemin", [("2017-02-28", "17:00", "20:30")]),
    ("Poliittisen ohjausryhmän 23.11 kokouksessa päätetyn mukaisesti", [("2016-11-23", None, None)]),
    ("linjaukset > 1.7. väliaikaishallinto linjaa", [("2017-07-01", None, None)]),
    ("Maakunnan Sote-johtorymän 3.kokous oli 17.1:", [("2017-01-17", None, None)]),
    ("Ylitornio: maanantai 13.2.2017, Kunnanvirasto auditorio", [("2017-02-13", None, None)]),
    ("LPSHP henkilöstö: maanantai 27.2.2017 klo 13 – 14.30 ja tiistai 14.3.2017 klo 13 -14.20",
     [("2017-02-27", "13:00", "14:30"), ("2017-03-14", "13:00", "14:20")]),
    ("Lapin Sote Savotta-hankkeen poliittisen ohjausryhmän käsittely 24.5.2016 Sodankylä", [("2016-05-24", None, None)]),
    ("Taustatietona 24. toukokuuta 2016 pidetty kokous", [("2016-05-24", None, None)]),
    ("kokous ti 21.3. klo 9", [("2017-03-21", "09:00", None)]),
    ("pidetään maanantaina 19.6.2023. klo 12 alkaen", [("2023-06-19", "12:00", None)]),
    ("27.3.2017 15:00", [("2017-03-27", "15:00", None)]),
    ("Kokous klo 14:00-15:26 pidettiin 2.3.2017", [("2017-03-02", None, None)]),
])
def test_day_dates(text, expected):
    got = [(m.date, m.time_start, m.time_end) for m in find_dates(text, MEETING) if m.precision == "day"]
    assert got == expected


@pytest.mark.parametrize("text", [
    "Puheenjohtaja avasi kokouksen klo 12.14 ja totesi läsnäolijat.",   # a time, not 12 January
    "Lapin saama rahoitus laskee 4 €/asukas",
    "rahoitus 2.5 milj. € ja versio 1.2",
    "Dno OUKA/1472/02.02.02/2017",
    "päätökseen tarvitaan 2/3 annetuista äänistä",
    "Kaupunginhallitus: 5/2017",                                          # a meeting number
    "tilikauden voitto 19 878,31 € kirjataan",
])
def test_not_dates(text):
    assert [m for m in find_dates(text, MEETING) if m.precision == "day"] == []


def test_ranges_name_both_ends():
    got = find_dates("Oulun kaupungin talouden seuranta 1.1.-28.2.2017", None)
    assert [(m.date, m.date_end) for m in got] == [("2017-01-01", "2017-02-28"), ("2017-02-28", None)]
    span = find_dates("koulutus 13.–14.3.2017 Rovaniemellä", None)
    assert [(m.date, m.date_end) for m in span] == [("2017-03-13", "2017-03-14"), ("2017-03-14", None)]


@pytest.mark.parametrize("text, start, end, precision", [
    ("resursseihin 6/2017 asti", "2017-06-01", None, "month"),
    ("HE eduskuntaan 12/2020–6/2021", "2020-12-01", "2021-06-01", "month"),
    ("tulossa lausuntokierrokselle kuntiin mahdollisesti viikolla 4.", "2017-01-23", None, "week"),
])
def test_periods(text, start, end, precision):
    got = [m for m in find_dates(text, MEETING) if m.precision != "day"]
    assert [(m.date, m.date_end, m.precision) for m in got] == [(start, end, precision)]


def test_year_is_the_nearest_to_the_meeting():
    december = find_dates("kokous 23.11", dt.date(2017, 1, 18))[0]
    assert december.date == "2016-11-23" and december.year_inferred
    assert find_dates("kokous 23.11", dt.date(2017, 10, 1))[0].date == "2017-11-23"


@pytest.mark.parametrize("text, start, end", [
    ("klo 12.00 - 14.00", "12:00", "14:00"), ("klo 14:00-15:26", "14:00", "15:26"),
    ("kello 11.00", "11:00", None), ("klo 8-10", "08:00", "10:00"), ("klo 15-", "15:00", None),
])
def test_times(text, start, end):
    assert parse_times(text) == (start, end)
