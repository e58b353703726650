"""The plumbing every agent uses: the topic map, the dead-lettering command loop, reply waits, partition helpers."""
