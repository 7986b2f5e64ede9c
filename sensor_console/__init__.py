"""The console: gRPC ingest of sensor metadata, SQLite storage, JSON API and dashboard."""
