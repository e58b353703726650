"""The worker consumer's fetch wait: Faust passes aiokafka a literal 1,500 ms, which becomes a tail latency.

aiokafka keeps one fetch request in flight per broker, and leaves out of it every partition whose records the
app has not consumed yet. A partition consumed a moment after that request went out is fetched again only when
the request returns: at once if one of its partitions gets data, after the whole fetch wait if none does.
Measured on Kafka 4.1 with `bench/api_latency.py` (50 clients, closed loop): create p99 1,638-1,644 ms at
Faust's 1,500 ms, 280 ms at 100 ms, with no change to the median. Faust has no setting for it, so the
consumer it builds gets the wait after it is built; nothing else of aiokafka's or Faust's is touched.
"""

from __future__ import annotations


def apply(fetch_max_wait_ms: int) -> None:
    """Give the worker consumer Faust creates this fetch wait (read by AIOKafkaConsumer.start())."""
    from faust.transport.drivers import aiokafka as driver

    create = driver.AIOKafkaConsumerThread._create_worker_consumer
    original = getattr(create, "original", create)

    def _create_worker_consumer(self, transport):  # type: ignore[no-untyped-def]
        consumer = original(self, transport)
        consumer._fetch_max_wait_ms = fetch_max_wait_ms
        return consumer

    _create_worker_consumer.original = original  # type: ignore[attr-defined]
    driver.AIOKafkaConsumerThread._create_worker_consumer = _create_worker_consumer
