
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0007_tracked_records_have_a_version'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalagreement_industries',
            name='agreement',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.agreement', verbose_name='agreement'),
        ),
        migrations.AlterField(
            model_name='historicalagreement_industries',
            name='industry',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.industry', verbose_name='industry'),
        ),
        migrations.AlterField(
            model_name='historicalagreement_project_types',
            name='agreement',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.agreement', verbose_name='agreement'),
        ),
        migrations.AlterField(
            model_name='historicalagreement_project_types',
            name='projecttype',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.projecttype', verbose_name='project type'),
        ),
        # The link tables exist already (Django made them for the plain many-to-many fields):
        # the explicit models only take them over, with PROTECT on the vocabulary side.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AgreementIndustry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='partnerships.agreement', verbose_name='agreement')),
                        ('industry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='partnerships.industry', verbose_name='industry')),
                    ],
                    options={
                        'verbose_name': 'agreement in this industry',
                        'verbose_name_plural': 'agreements in this industry',
                        'db_table': 'partnerships_agreement_industries',
                        'unique_together': {('agreement', 'industry')},
                    },
                ),
                migrations.AlterField(
                    model_name='agreement',
                    name='industries',
                    field=models.ManyToManyField(blank=True, related_name='agreements', through='partnerships.AgreementIndustry', to='partnerships.industry', verbose_name='industries'),
                ),
                migrations.CreateModel(
                    name='AgreementProjectType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('agreement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='partnerships.agreement', verbose_name='agreement')),
                        ('projecttype', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='partnerships.projecttype', verbose_name='project type')),
                    ],
                    options={
                        'verbose_name': 'agreement with this project type',
                        'verbose_name_plural': 'agreements with this project type',
                        'db_table': 'partnerships_agreement_project_types',
                        'unique_together': {('agreement', 'projecttype')},
                    },
                ),
                migrations.AlterField(
                    model_name='agreement',
                    name='project_types',
                    field=models.ManyToManyField(blank=True, related_name='agreements', through='partnerships.AgreementProjectType', to='partnerships.projecttype', verbose_name='planned project types'),
                ),
            ],
            database_operations=[],
        ),
    ]
