"""The REST API over the index (FastAPI): `app.create_app`, routers in `routes/`, SQL in `read/`.

Handlers read only the indexer's SQLite database (and the embedded block store for
/ipfs); see docs/api.md.
"""
