"""Settings come from the environment; pick a module with DJANGO_SETTINGS_MODULE (local, production, test)."""
