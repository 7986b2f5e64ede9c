"""Built-in Kafka source (confluent-kafka): topics, the last messages of every partition."""
