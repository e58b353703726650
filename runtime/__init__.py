"""Process plumbing: the embedded broker profile, the worker class, the dev stack launcher."""
