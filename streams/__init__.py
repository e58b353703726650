"""The plumbing every agent uses: the topic map, the command loop with dead-lettering, request/reply waits."""
