"""Read models: the named questions users ask (which DPs target this body?), entity descriptions
with the cells each fact was read from, and the data of every page and list, remembered per
published snapshot."""
