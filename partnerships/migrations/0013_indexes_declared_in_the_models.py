"""The B-tree indexes of 0002, raw SQL until now, declared in the models' Meta.indexes.

Django names an index in at most 30 characters, so each gets a shorter name; the raw one is
dropped first (PostgreSQL only: SQLite never had them) and recreated from the model, so the
same schema now serves both databases. The bigram GIN indexes stay raw SQL (0002, 0010):
their function exists on PostgreSQL alone.
"""

import importlib

from django.db import migrations, models

import partnerships.models.base
from partnerships.migration_operations import PostgreSQLOnly

RAW = dict(importlib.import_module("partnerships.migrations.0002_search_and_filter_indexes").INDEXES)
DECLARED = (
    "partnerships_agreement_signed_desc",
    "partnerships_agreement_signed_asc",
    "partnerships_agreement_signed_latest",
    "partnerships_agreement_status_signed",
    "partnerships_agreement_title_order",
    "partnerships_agreementparty_institution_agreement",
    "partnerships_agreement_project_types_type_agreement",
    "partnerships_agreement_industries_industry_agreement",
    "partnerships_institution_kind",
)


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0012_agreement_rollups'),
    ]

    operations = [
        *(
            PostgreSQLOnly(sql=f"DROP INDEX IF EXISTS {name}", reverse_sql=f"CREATE INDEX {name} ON {RAW[name]}")
            for name in DECLARED
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=partnerships.models.base.NullsOrderedIndex(models.OrderBy(models.F('signed_earliest'), descending=True, nulls_last=True), models.OrderBy(models.F('id'), descending=True), name='agreement_signed_desc'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=partnerships.models.base.NullsOrderedIndex(models.OrderBy(models.F('signed_earliest'), nulls_last=True), models.OrderBy(models.F('id')), name='agreement_signed_asc'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['signed_latest'], name='agreement_signed_latest'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=partnerships.models.base.NullsOrderedIndex(models.F('status'), models.OrderBy(models.F('signed_earliest'), descending=True, nulls_last=True), models.OrderBy(models.F('id'), descending=True), name='agreement_status_signed'),
        ),
        migrations.AddIndex(
            model_name='agreement',
            index=models.Index(fields=['title', 'id'], name='agreement_title_order'),
        ),
        migrations.AddIndex(
            model_name='agreementindustry',
            index=models.Index(fields=['industry', 'agreement'], name='agreement_industry_links'),
        ),
        migrations.AddIndex(
            model_name='agreementparty',
            index=models.Index(fields=['institution', 'agreement'], name='party_institution_agreement'),
        ),
        migrations.AddIndex(
            model_name='agreementprojecttype',
            index=models.Index(fields=['projecttype', 'agreement'], name='agreement_type_links'),
        ),
        migrations.AddIndex(
            model_name='institution',
            index=models.Index(fields=['kind'], name='institution_kind'),
        ),
    ]
