"""Each institution's number of partners, kept as a rollup (issue 17, docs/performance.md).

stats?group_by=partners over every agreement counted distinct partners from a self-join of every
party (8 s at a million agreements); it now reads the top rows of this table by its index. Filled
here by one grouped statement (partners_compute, as the rollups module recomputes it).
"""

import django.db.models.deletion
from django.db import migrations, models


def partners_fill(apps, schema_editor):
    from partnerships.models.rollups import partners_compute

    partners_compute(apps.get_model("partnerships", "AgreementParty"), apps.get_model("partnerships", "InstitutionPartners"))


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0022_overview_counts_read_from_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='InstitutionPartners',
            fields=[
                ('institution', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='partnerships.institution', verbose_name='institution')),
                ('partners', models.PositiveIntegerField(verbose_name='partners')),
            ],
            options={
                'verbose_name': 'partner count',
                'verbose_name_plural': 'partner counts',
                'indexes': [models.Index(fields=['-partners', 'institution'], name='institution_partners_top')],
            },
        ),
        migrations.RunPython(partners_fill, migrations.RunPython.noop),
    ]
