"""WSGI entry point for the tracker."""

import os

from django.core.wsgi import get_wsgi_application

from tracker.startup import freeze_loaded, require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

require_secret_key()
application = get_wsgi_application()
freeze_loaded()
