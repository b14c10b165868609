"""segdsl's grammar file, ``segdsl.lark`` (installed as ``segdsl.grammar``)."""
