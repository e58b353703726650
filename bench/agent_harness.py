"""Driving agents in process for the benchmarks (bench/trends.py, bench/vendor_report.py --agents): the app
finalized on the running loop, every topic's send kept in a list instead of produced, and one agent timed
under test_context() until its command loop has applied the last message. No broker; set
ROADWARRIOR_STORE=memory:// before the app is first imported."""

from __future__ import annotations

import asyncio
import time


def keep_sends() -> dict[str, list]:
    """Start the app on the running loop; what each topic is sent from now on, by topic name: (key, value)s."""
    from faust_app import app
    from streams import topics

    app.loop = asyncio.get_running_loop()
    app.finalize()
    app.flow_control.resume()   # otherwise put() never arrives
    sent: dict[str, list] = {}
    for name in dir(topics):
        if hasattr(topic := getattr(topics, name), "get_topic_name"):
            topic.send = _keeper(sent.setdefault(topic.get_topic_name(), []))
    return sent


async def timed(agent, name: str, messages: list[tuple[str, bytes]]) -> float:
    """Seconds for ``agent`` (its command loop named ``name``) to apply every one of ``messages``."""
    from streams.replies import progress

    async with agent.test_context() as test:
        start = time.perf_counter()
        for key, value in messages:
            await test.put(key=key, value=value, wait=False)
        # Done when the command loop has applied the last message (what read-your-writes waits for too).
        while max((seen.get(name, -1) for seen in progress._applied.values()), default=-1) < len(messages) - 1:
            await asyncio.sleep(0.001)
        return time.perf_counter() - start


def _keeper(kept: list):
    async def send(*, key=None, value=None, **_) -> asyncio.Future:
        kept.append((key, value))
        delivered = asyncio.get_running_loop().create_future()
        delivered.set_result(None)
        return delivered
    return send
