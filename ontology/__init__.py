"""The equal-kg vocabulary, SHACL shapes, concept schemes and bodies gazetteer (Turtle data only)."""
