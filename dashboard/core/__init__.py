"""Streamlit-free logic behind the dashboard: reading the tidy tables, selection, statistics,
figures and wording. Nothing in this package may import streamlit (a test checks it)."""
