"""Test-wide settings: unit tests import the app with in-memory tables and a throwaway data dir."""

import os
import tempfile

# Before faust_app is imported anywhere (setting app.conf.store late warns AlreadyConfiguredWarning).
os.environ.setdefault("ROADWARRIOR_STORE", "memory://")
os.environ.setdefault("ROADWARRIOR_DATA_DIR", tempfile.mkdtemp(prefix="roadwarrior-unit-"))
os.environ.setdefault("ROADWARRIOR_JWT_SECRET", "unit-test-secret-" + "x" * 32)
