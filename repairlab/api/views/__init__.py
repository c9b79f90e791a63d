"""The API's routes: one module per domain's resources, the token pages, and the browsable documentation."""
