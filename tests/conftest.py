"""Hypothesis profiles: `ci` (selected by CI=true) runs 2,000 examples per property; the default is quick."""

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=2000, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")
