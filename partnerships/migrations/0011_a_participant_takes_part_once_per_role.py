from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0010_project_agreements_protect_their_agreement'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='eventparticipant',
            name='partnerships_eventparticipant_unique_person',
        ),
        migrations.RemoveConstraint(
            model_name='eventparticipant',
            name='partnerships_eventparticipant_unique_institution',
        ),
        migrations.AddConstraint(
            model_name='eventparticipant',
            constraint=models.UniqueConstraint(condition=models.Q(('person__isnull', False)), fields=('event', 'person', 'role'), name='partnerships_eventparticipant_unique_person_role', violation_error_message='This person already takes part in this event in this role.'),
        ),
        migrations.AddConstraint(
            model_name='eventparticipant',
            constraint=models.UniqueConstraint(condition=models.Q(('person__isnull', True)), fields=('event', 'institution', 'role'), name='partnerships_eventparticipant_unique_institution_role', violation_error_message='This institution already takes part in this event in this role.'),
        ),
    ]
