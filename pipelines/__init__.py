"""Place Insight pipelines: official public datasets -> validated tidy tables.

Layers only reach down: ``__main__`` (CLI) -> ``build`` -> ``sources/*`` (one module per source:
read_* -> check_* -> stage_*, then ``build(ctx, geo) -> Parts``) -> ``catalogue`` (indicator prose,
``indicators.toml``) / ``estimates`` / ``tidy`` / ``validate`` -> ``context`` / ``registry`` ->
``settings``. No Streamlit here.
"""
