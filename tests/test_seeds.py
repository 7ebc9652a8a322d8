"""The seed data: faithful to its documents, every record traceable to a quote, loaded safely."""

import pytest

from partnerships.models import AgreementCitation
from tests.factories import AgreementCitationFactory


@pytest.mark.django_db
def test_a_citation_is_found_again_by_its_records_key_its_source_and_its_position():
    citation = AgreementCitationFactory()

    key = citation.natural_key()

    assert key == (citation.record.reference, citation.source.key, citation.position)
    assert AgreementCitation.objects.get_by_natural_key(*key) == citation
