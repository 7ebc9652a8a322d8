import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from devtools.dataset import (
    INDUSTRIES,
    PROJECT_TYPES,
    TABLES,
    Counts,
    Generator,
    column_plan,
    missing_fields,
    short_place,
)
from partnerships import models
from partnerships.choices import DatePrecisionChoices
from partnerships.models import Region

AGREEMENTS = 300


@pytest.fixture
def dataset(db):
    """Generate a small national dataset into the test database."""
    call_command("generate_dataset", agreements=AGREEMENTS, seed=7, verbosity=0)


def rows_of(seed: int, agreements: int = 200) -> dict[str, list[dict]]:
    """Return every row the generator makes for a seed, without writing any."""
    regions = list(Region.objects.values_list("id", "code", "name", "level", "parent_id"))
    project_types = {code: n for n, (code, _, _) in enumerate(PROJECT_TYPES, 1)}
    industries = {code: (n, name) for n, (code, name, _) in enumerate(INDUSTRIES, 1)}
    generator = Generator(Counts.for_agreements(agreements), seed, regions, project_types, industries)
    rows: dict[str, list[dict]] = {}
    for phase in (generator.institutions, generator.people, generator.agreements):
        for batch in phase():
            for name, batch_rows in batch.items():
                rows.setdefault(name, []).extend(batch_rows)
    return rows


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    first, again, other = rows_of(3), rows_of(3), rows_of(4)
    assert first == again
    assert first["agreement"] != other["agreement"]


@pytest.mark.django_db
def test_the_counts_follow_the_national_proportions(dataset):
    assert models.Agreement.objects.count() == AGREEMENTS
    assert models.Institution.objects.count() == Counts.for_agreements(AGREEMENTS).institutions
    assert models.Person.objects.count() == Counts.for_agreements(AGREEMENTS).people
    assert models.Post.objects.count() >= models.Person.objects.count()
    parties = models.AgreementParty.objects.count()
    assert 2 * AGREEMENTS <= parties <= 4 * AGREEMENTS


@pytest.mark.django_db
def test_every_agreement_has_two_to_four_parties_and_a_project_type(dataset):
    from django.db.models import Count

    counts = models.Agreement.objects.annotate(
        n=Count("parties", distinct=True), t=Count("project_types", distinct=True)
    )
    assert set(counts.values_list("n", flat=True)) <= {2, 3, 4}
    assert not counts.filter(t=0).exists()


@pytest.mark.django_db
def test_a_sample_of_every_model_passes_full_clean(dataset):
    for model in set(TABLES.values()):
        if model._meta.auto_created:  # many-to-many links: their constraints are the database's
            continue
        sample = list(model.objects.order_by("?")[:25])
        assert sample, model
        for record in sample:
            record.full_clean()


@pytest.mark.django_db
def test_every_citation_quotes_its_source_verbatim_at_its_position(dataset):
    for model in (models.AgreementCitation, models.InstitutionCitation):
        citations = model.objects.select_related("source")
        assert citations.exists()
        for citation in citations:
            assert citation.source.text[citation.position : citation.position + len(citation.quote)] == citation.quote
    for source in models.SourceDocument.objects.all():
        assert source.checksum == models.text_checksum(source.text)


@pytest.mark.django_db
def test_signing_bounds_follow_their_precision(dataset):
    for earliest, latest, precision in models.Agreement.objects.values_list(
        "signed_earliest", "signed_latest", "signed_precision"
    ):
        if precision == DatePrecisionChoices.UNKNOWN:
            assert earliest is None and latest is None
            continue
        assert earliest <= latest
        if precision == DatePrecisionChoices.DAY:
            assert earliest == latest
        if precision == DatePrecisionChoices.MONTH:
            assert (earliest.year, earliest.month) == (latest.year, latest.month)


@pytest.mark.django_db
def test_institutions_sit_in_real_regions_and_look_real(dataset):
    names = list(models.Institution.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    assert any(name.endswith("职业技术学院") for name in names)
    assert any(name.endswith("有限公司") for name in names)
    assert not models.Institution.objects.filter(region__isnull=True).exists()
    assert models.InstitutionAlias.objects.exists()


@pytest.mark.django_db
def test_generating_into_tables_that_hold_rows_is_refused(dataset):
    with pytest.raises(CommandError):
        call_command("generate_dataset", agreements=10, seed=1, verbosity=0)


@pytest.mark.django_db
def test_sequences_continue_after_the_generated_ids(dataset):
    institution = models.Institution.objects.create(name="新建职业技术学院", kind="higher_vocational_college")
    assert institution.pk > models.Institution.objects.exclude(pk=institution.pk).order_by("-pk")[0].pk


def test_short_place_names_drop_the_administrative_suffix():
    assert short_place("赣州市") == "赣州"
    assert short_place("江西省") == "江西"
    assert short_place("内蒙古自治区") == "内蒙古"
    assert short_place("延边朝鲜族自治州") == "延边"
    assert short_place("龙南市") == "龙南"
    assert short_place("东区") == "东区"


def test_terms_shared_with_the_seed_vocabulary_keep_its_codes():
    import json

    from django.conf import settings

    seeded = {
        (row["model"], row["fields"]["name"]): row["fields"]["code"]
        for row in json.loads((settings.BASE_DIR / "fixtures" / "10_taxonomy.json").read_text(encoding="utf-8"))
        if row["model"] in ("partnerships.projecttype", "partnerships.industry")
    }
    generated = {("partnerships.projecttype", name): code for code, name, _ in PROJECT_TYPES}
    generated |= {("partnerships.industry", name): code for code, name, _ in INDUSTRIES}
    shared = seeded.keys() & generated.keys()
    assert len(shared) >= 5
    assert {key: generated[key] for key in shared} == {key: seeded[key] for key in shared}


@pytest.mark.django_db
def test_every_field_of_every_generated_table_has_a_generated_value_or_a_default():
    rows = rows_of(5, agreements=3000)  # enough for every kind of row to occur
    assert set(rows) == set(TABLES)
    for name, model in TABLES.items():
        assert rows[name], name
        assert missing_fields(model, rows[name][0]) == [], name


def test_a_field_with_neither_a_generated_value_nor_a_default_is_named_before_anything_is_written():
    generated = {field.attname for field in models.Agreement._meta.concrete_fields} - {"title", "notes", "place"}
    # notes and place may stay blank; a title may not, and has no default.
    assert missing_fields(models.Agreement, generated) == ["title"]
    with pytest.raises(ImproperlyConfigured, match="title"):
        column_plan(models.Agreement, generated)


def test_a_field_left_out_takes_the_models_default():
    generated = {field.attname for field in models.Agreement._meta.concrete_fields} - {"reference", "notes", "version"}
    plan = dict(column_plan(models.Agreement, generated))
    row = dict.fromkeys(generated)
    assert plan["notes"](row) == ""
    assert plan["reference"](row) != plan["reference"](row)  # a fresh reference per row
    assert "id" in plan


@pytest.mark.django_db
def test_generated_rollups_are_the_ones_the_models_derive(dataset):
    from partnerships.models.rollups import rollups_refresh

    assert models.Agreement.objects.exclude(party_kinds="").count() == AGREEMENTS
    assert rollups_refresh(models.Agreement.objects.values_list("pk", flat=True)) == 0


@pytest.mark.django_db
def test_the_partner_counts_rollup_gives_the_exact_top_partners_of_a_generated_dataset(dataset):
    from partnerships.selectors import agreement_stats
    from tests.test_rollups import exact_partner_counts

    counts = exact_partner_counts()
    assert dict(models.InstitutionPartners.objects.values_list("institution_id", "partners")) == counts
    rolled_up = agreement_stats(agreements=models.Agreement.objects.all(), group_by="partners")
    # A filtered list counts from the parties: every agreement, through a filter, is the exact query.
    exact = agreement_stats(agreements=models.Agreement.objects.filter(pk__gt=0), group_by="partners")
    assert rolled_up == exact
    assert len(rolled_up["results"]) == 20
    # The top 20 by count, ties by id: as the counts computed here rank them.
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:20]
    assert sorted((int(row["key"]), row["count"]) for row in rolled_up["results"]) == sorted(top)
