"""Open data: a challenge's whole public history as Parquet tables, and a teacher's grades CSV."""
