"""Built-in S3 source (boto3): buckets, key groups, ranged reads of sampled objects."""
