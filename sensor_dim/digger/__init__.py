"""The digger: HTTP pairs in, privacy-safe flow metadata out (enrich, cluster, detect, build)."""
