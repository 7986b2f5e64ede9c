"""Data in motion: the interceptor (capture, flows, HTTP/1.x, pairs) and the digger."""
