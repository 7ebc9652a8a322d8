"""Each project type's number of agreements, and whether an agreement plans any, kept as rollups (issue 17).

stats?group_by=project_type over every agreement counted every link (two per agreement) and those
without a type as the total less a distinct over the links (500-1,000 ms at a million agreements);
it now reads a row per type and counts those without from a partial index. The column is added
true for every agreement (PostgreSQL stores the default, no rewrite of the table), set false for
the few without a link, then given its default for new agreements, false; the counts are filled by
one grouped statement (project_types_compute, as the rollups module recomputes them).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Exists, OuterRef

HELP = "Derived from the planned project types: whether there is any, for counts."


def rollups_fill(apps, schema_editor):
    from partnerships.models.rollups import project_types_compute

    agreement, links = apps.get_model("partnerships", "Agreement"), apps.get_model("partnerships", "AgreementProjectType")
    agreement.objects.filter(~Exists(links.objects.filter(agreement=OuterRef("pk")))).update(has_project_type=False)
    project_types_compute(links, apps.get_model("partnerships", "ProjectTypeAgreements"))


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0023_institution_partner_counts'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectTypeAgreements',
            fields=[
                ('project_type', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='partnerships.projecttype', verbose_name='project type')),
                ('agreements', models.PositiveIntegerField(verbose_name='agreements')),
            ],
            options={
                'verbose_name': 'agreement count of a project type',
                'verbose_name_plural': 'agreement counts of the project types',
            },
        ),
        migrations.AddField(
            model_name='agreement',
            name='has_project_type',
            field=models.BooleanField(default=True, editable=False, help_text=HELP, verbose_name='plans a project type'),
        ),
        migrations.RunPython(rollups_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='agreement',
            name='has_project_type',
            field=models.BooleanField(default=False, editable=False, help_text=HELP, verbose_name='plans a project type'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(condition=models.Q(('has_project_type', False)), fields=['id'], name='agreement_without_type'),
        ),
    ]
