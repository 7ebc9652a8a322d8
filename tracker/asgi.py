"""ASGI entry point for the tracker."""

import os

from django.core.asgi import get_asgi_application

from tracker.startup import freeze_loaded, require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

require_secret_key()
application = get_asgi_application()
freeze_loaded()
