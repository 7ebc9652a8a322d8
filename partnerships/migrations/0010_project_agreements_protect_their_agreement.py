import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0009_new_records_have_a_version'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalproject_agreements',
            name='agreement',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.agreement', verbose_name='agreement'),
        ),
        migrations.AlterField(
            model_name='historicalproject_agreements',
            name='project',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.project', verbose_name='project'),
        ),
        # The link table exists already (Django made it for the plain many-to-many field):
        # the explicit model only takes it over, with PROTECT on the agreement side.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ProjectAgreement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='partnerships.agreement', verbose_name='agreement')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='partnerships.project', verbose_name='project')),
                    ],
                    options={
                        'verbose_name': 'project from this agreement',
                        'verbose_name_plural': 'projects from this agreement',
                        'db_table': 'partnerships_project_agreements',
                        'unique_together': {('project', 'agreement')},
                    },
                ),
                migrations.AlterField(
                    model_name='project',
                    name='agreements',
                    field=models.ManyToManyField(blank=True, related_name='projects', through='partnerships.ProjectAgreement', to='partnerships.agreement', verbose_name='agreements'),
                ),
            ],
            database_operations=[],
        ),
    ]
