"""SQL over the index turned into the API's models; one module per resource."""
