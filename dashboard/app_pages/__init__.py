"""The dashboard's pages: thin scripts (read widgets -> call dashboard.core -> st.* output)."""
