"""Process plumbing: Apache Kafka from Maven Central, the worker class, the dev stack launcher, the test cluster."""
