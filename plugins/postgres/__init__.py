"""Built-in PostgreSQL source (psycopg 3): databases, schemas, tables, sampled rows."""
