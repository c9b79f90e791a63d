"""Prototypes: a project's prototypes, their versions and photos, the tools they use and the skills they need."""
