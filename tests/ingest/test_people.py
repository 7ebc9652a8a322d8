"""People as articles write them: variant spellings in one article, spellings recorded as aliases."""

from pathlib import Path

import pytest

from partnerships.ingest import KnownPerson, Snapshot
from partnerships.ingest.analysis import Analysis
from partnerships.models import Person, PersonAlias
from partnerships.services.ingest import ingest_analyse, ingest_save

CHIPING = Path(__file__).resolve().parent.parent / "articles" / "liaocheng-jishi-chiping.txt"


def test_a_homophone_spelling_in_the_same_article_is_one_person_with_the_other_spelling_as_alias():
    analysis = Analysis(CHIPING.read_text(encoding="utf-8"), snapshot=Snapshot(), published=None, publisher=None)

    first = analysis.add_person("吴政义", 0, 3)
    second = analysis.add_person("吴正义", 10, 13)
    other = analysis.add_person("吴正仁", 20, 23)

    assert second is first and other is not first
    assert first.name == "吴政义" and first.mentions == [(0, 3), (10, 13)]


def test_the_spelling_of_a_recorded_person_wins_over_the_one_written_first():
    snapshot = Snapshot.build(people=[KnownPerson(7, "吴正义")])
    analysis = Analysis(CHIPING.read_text(encoding="utf-8"), snapshot=snapshot, published=None, publisher=None)

    found = analysis.add_person("吴政义", 0, 3)
    analysis.add_person("吴正义", 10, 13)

    assert (found.name, found.match) == ("吴正义", 7)
    assert analysis.people == {"吴正义": found}


@pytest.mark.django_db
def test_a_name_recorded_as_a_person_s_alias_matches_that_person_and_saving_adds_no_one():
    person = Person.objects.create(name="徐公毅")
    PersonAlias.objects.create(person=person, name="徐公义")
    text = CHIPING.read_text(encoding="utf-8")

    result = ingest_analyse(text=text, publisher="聊城市技师学院")
    proposal = next(p for p in result.proposals if p["kind"] == "person" and p["name"] == "徐公义")
    assert proposal["match"] == person.pk

    ingest_save(text=text, result=result)
    assert not Person.objects.filter(name="徐公义").exists()
    assert person.posts.filter(institution__name="聊城市技师学院").exists()


@pytest.mark.django_db
def test_a_person_who_speaks_and_unveils_takes_part_in_both_roles():
    from partnerships.models import EventParticipant

    text = CHIPING.read_text(encoding="utf-8")
    ingest_save(text=text, result=ingest_analyse(text=text, publisher="聊城市技师学院"))

    roles = set(EventParticipant.objects.filter(person__name="金同元").values_list("role", flat=True))
    assert roles == {"speaker", "unveiler"}
    # 张怀涛 unveils with him, then signs for 信发集团.
    assert set(EventParticipant.objects.filter(person__name="张怀涛").values_list("role", flat=True)) == {"unveiler", "signatory"}

