"""Development tools kept apart from the application: the synthetic dataset generator (manage.py generate_dataset)."""
