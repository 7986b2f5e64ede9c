"""Built-in crawler plugins (s3, kafka, postgres), registered like third-party ones (issue 7)."""
