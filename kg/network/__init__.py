"""The DP-body network: a bipartite networkx graph read from the store, partner finding on it,
and the views drawn with pyvis. The only home of networkx and pyvis."""
