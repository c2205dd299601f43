"""The Qt widgets: a thin layer that calls services and shows their results. No SQL, no HTTP."""
