"""The interceptor: capture -> frames -> TCP flows -> HTTP/1.x events -> pairs -> selection."""
