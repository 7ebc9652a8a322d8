"""An agreement is filed under a region (the rollup effective_region): its own, else its parties' lowest common one, else its event's.

The filter ?region= and stats?group_by=region read it, so an agreement saved without a region
(most that ingest saved) is found where its parties are. Filled for every stored agreement.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

from partnerships.models.rollups import rollups_compute


def regions_fill(apps, schema_editor):
    agreement = apps.get_model("partnerships", "Agreement")
    # One UPDATE for those with a region of their own; the parties are read only for the others.
    agreement.objects.filter(region__isnull=False).update(effective_region=F("region"))
    rollups_compute(
        agreement,
        apps.get_model("partnerships", "AgreementParty"),
        apps.get_model("partnerships", "InstitutionAlias"),
        agreement.objects.filter(region__isnull=True).values_list("pk", flat=True),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0016_event_orderings_tie_broken_by_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='agreement',
            name='effective_region',
            field=models.ForeignKey(blank=True, editable=False, help_text="Derived: the region given, else the lowest region all parties with a region share, else the event's region.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='partnerships.region', verbose_name='region filed under'),
        ),
        migrations.RunPython(regions_fill, migrations.RunPython.noop, elidable=True),
    ]
