"""Test-wide settings: unit tests import the app with in-memory tables and a throwaway data dir."""

import atexit
import os
import shutil
import tempfile

# Before faust_app is imported anywhere (setting app.conf.store late warns AlreadyConfiguredWarning).
os.environ.setdefault("ROADWARRIOR_STORE", "memory://")
_DATA_DIR = tempfile.mkdtemp(prefix="roadwarrior-unit-")
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)   # one per run, gone with it
os.environ.setdefault("ROADWARRIOR_DATA_DIR", _DATA_DIR)
os.environ.setdefault("ROADWARRIOR_JWT_SECRET", "unit-test-secret-" + "x" * 32)
