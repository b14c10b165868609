"""segdsl's built-in condition families, each a plugin (installed as ``segdsl.builtins``)."""
