"""Test-wide settings: unit tests import the app with in-memory tables and a throwaway data dir."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# Before faust_app is imported anywhere: the module-level app every agent hangs off is configured from the
# environment (setting app.conf.store late warns AlreadyConfiguredWarning).
os.environ.setdefault("ROADWARRIOR_STORE", "memory://")
_ROOT = tempfile.mkdtemp(prefix="roadwarrior-unit-")
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)   # one per run, gone with it
# A subdirectory: dev secrets generated in a test are kept beside the data dir, so in the run's own root too.
os.environ.setdefault("ROADWARRIOR_DATA_DIR", str(Path(_ROOT) / "data"))
os.environ.setdefault("ROADWARRIOR_JWT_SECRET", "unit-test-secret-" + "x" * 32)
