from django.db import migrations, models


class Migration(migrations.Migration):
    """The rules of real articles, added once 0005 has brought the stored rows in line with them."""

    dependencies = [
        ("partnerships", "0005_real_articles_data"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('signed_precision', 'day'), _negated=True), ('signed_earliest', models.F('signed_latest')), _connector='OR'), name='partnerships_agreement_signing_exact_day_single_date', violation_error_message='A date exact to the day has equal earliest and latest bounds.'),
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=models.Q(('valid_until__gte', models.F('valid_from')), ('valid_until__isnull', True), ('valid_from__isnull', True), _connector='OR'), name='partnerships_agreement_term_bounds_ordered', violation_error_message='The latest bound cannot be before the earliest.'),
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('term_precision', 'unknown'), ('valid_from__isnull', True), ('valid_until__isnull', True)), models.Q(models.Q(('term_precision', 'unknown'), _negated=True), ('valid_from__isnull', False), ('valid_until__isnull', False)), _connector='OR'), name='partnerships_agreement_term_bounds_match_precision', violation_error_message='Give both bounds when the precision is known, and neither when it is unknown.'),
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('term_precision', 'day'), _negated=True), ('valid_from', models.F('valid_until')), _connector='OR'), name='partnerships_agreement_term_exact_day_single_date', violation_error_message='A date exact to the day has equal earliest and latest bounds.'),
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=models.Q(('amends', models.F('pk')), _negated=True), name='partnerships_agreement_not_own_amendment', violation_error_message='An agreement cannot amend itself.'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('date_precision', 'unknown'), ('end_date__isnull', True), ('start_date__isnull', True)), models.Q(models.Q(('date_precision', 'unknown'), _negated=True), ('end_date__isnull', False), ('start_date__isnull', False)), _connector='OR'), name='partnerships_event_date_bounds_match_precision', violation_error_message='Give both bounds when the precision is known, and neither when it is unknown.'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('date_precision', 'day'), _negated=True), ('start_date', models.F('end_date')), _connector='OR'), name='partnerships_event_date_exact_day_single_date', violation_error_message='A date exact to the day has equal earliest and latest bounds.'),
        ),
        migrations.AddConstraint(
            model_name='eventparticipant',
            constraint=models.CheckConstraint(condition=models.Q(('on_behalf_of__isnull', True), models.Q(('on_behalf_of', models.F('person')), _negated=True), _connector='OR'), name='partnerships_eventparticipant_not_on_own_behalf', violation_error_message='A person cannot stand in for themselves.'),
        ),
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.UniqueConstraint(fields=('name_folded',), name='partnerships_institution_unique_name_across_scripts', violation_error_code='unique', violation_error_message='An institution of this name exists already, in one script or the other.'),
        ),
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.CheckConstraint(condition=models.Q(('founded_latest__gte', models.F('founded_earliest')), ('founded_latest__isnull', True), ('founded_earliest__isnull', True), _connector='OR'), name='partnerships_institution_founded_bounds_ordered', violation_error_message='The latest bound cannot be before the earliest.'),
        ),
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('founded_earliest__isnull', True), ('founded_latest__isnull', True), ('founded_precision', 'unknown')), models.Q(models.Q(('founded_precision', 'unknown'), _negated=True), ('founded_earliest__isnull', False), ('founded_latest__isnull', False)), _connector='OR'), name='partnerships_institution_founded_bounds_match_precision', violation_error_message='Give both bounds when the precision is known, and neither when it is unknown.'),
        ),
        migrations.AddConstraint(
            model_name='institution',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('founded_precision', 'day'), _negated=True), ('founded_earliest', models.F('founded_latest')), _connector='OR'), name='partnerships_institution_founded_exact_day_single_date', violation_error_message='A date exact to the day has equal earliest and latest bounds.'),
        ),
        migrations.AddConstraint(
            model_name='sourcedocument',
            constraint=models.UniqueConstraint(fields=('checksum',), name='partnerships_sourcedocument_text_stored_once', violation_error_code='unique', violation_error_message='This text is already stored.'),
        ),
        migrations.AddConstraint(
            model_name='sourcedocument',
            constraint=models.CheckConstraint(condition=models.Q(('repost_of', models.F('pk')), _negated=True), name='partnerships_sourcedocument_not_own_repost', violation_error_message='A document cannot be a repost of itself.'),
        ),
        migrations.AlterConstraint(
            model_name='agreement',
            name='partnerships_agreement_signing_bounds_ordered',
            constraint=models.CheckConstraint(condition=models.Q(('signed_latest__gte', models.F('signed_earliest')), ('signed_latest__isnull', True), ('signed_earliest__isnull', True), _connector='OR'), name='partnerships_agreement_signing_bounds_ordered', violation_error_message='The latest bound cannot be before the earliest.'),
        ),
        migrations.AlterConstraint(
            model_name='agreement',
            name='partnerships_agreement_signing_bounds_match_precision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('signed_earliest__isnull', True), ('signed_latest__isnull', True), ('signed_precision', 'unknown')), models.Q(models.Q(('signed_precision', 'unknown'), _negated=True), ('signed_earliest__isnull', False), ('signed_latest__isnull', False)), _connector='OR'), name='partnerships_agreement_signing_bounds_match_precision', violation_error_message='Give both bounds when the precision is known, and neither when it is unknown.'),
        ),
    ]
