"""Full-text search: entries read from the graph by SPARQL, a whoosh index beside the store,
query text checked and expanded with body aliases, ranked hits with facets. The only home of
whoosh."""
