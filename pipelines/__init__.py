"""Place Insight pipelines: official public datasets -> validated tidy tables.

Layers only reach down: ``__main__`` (CLI) -> ``build`` -> ``readers``/``estimates``/``tidy``
-> ``validate``/``registry``/``config``. No Streamlit here.
"""
