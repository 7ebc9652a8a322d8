import pytest

from partnerships.models import Region


@pytest.mark.django_db
def test_regions_are_loaded_for_every_test():
    assert Region.objects.get(code="360700").name == "赣州市"
