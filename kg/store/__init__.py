"""Where the quads live: one `Store` interface with two engines (embedded Oxigraph, a remote
SPARQL 1.1 endpoint), one parser of store locations, snapshots and their leases, answers
serialised by the engine, export and validation. The only home of pyoxigraph and pyshacl."""
