"""Rollups on the agreement row: its parties' kinds and names, and its signing month, filled for every agreement.

The names get the bigram GIN index the other searched columns have (0002): PostgreSQL only,
since the bigram function is PostgreSQL's alone.
"""

from django.db import migrations, models

from partnerships.migration_operations import PostgreSQLOnly
from partnerships.models.rollups import rollups_compute


def rollups_fill(apps, schema_editor):
    agreement = apps.get_model("partnerships", "Agreement")
    rollups_compute(
        agreement,
        apps.get_model("partnerships", "AgreementParty"),
        apps.get_model("partnerships", "InstitutionAlias"),
        agreement.objects.values_list("pk", flat=True),
    )


BIGRAM_INDEXES = ("party_names", "party_names_folded")


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0011_a_participant_takes_part_once_per_role'),
    ]

    operations = [
        migrations.AddField(
            model_name='agreement',
            name='party_kinds',
            field=models.TextField(blank=True, default='', editable=False, help_text="Derived from the parties: their institutions' kinds, for filters and counts.", verbose_name='kinds of the parties'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='party_names',
            field=models.TextField(blank=True, default='', editable=False, help_text="Derived from the parties: their institutions' names, English names and aliases, for search.", verbose_name='names of the parties'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='party_names_folded',
            field=models.TextField(blank=True, default='', editable=False, help_text='Derived from the parties: their names and aliases in simplified script, for search.', verbose_name='names of the parties in simplified script'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='signed_month',
            field=models.DateField(blank=True, editable=False, help_text='Derived from the signing bounds: the month they both lie in, if they do.', null=True, verbose_name='signing month'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['signed_month'], name='agreement_signed_month'),
        ),
        migrations.RunPython(rollups_fill, migrations.RunPython.noop, elidable=True),
        *(
            PostgreSQLOnly(
                sql=f"CREATE INDEX partnerships_agreement_{column}_bigrams ON partnerships_agreement "
                f"USING gin (partnerships_bigrams({column}::text))",
                reverse_sql=f"DROP INDEX IF EXISTS partnerships_agreement_{column}_bigrams",
            )
            for column in BIGRAM_INDEXES
        ),
    ]
