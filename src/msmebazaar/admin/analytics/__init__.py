"""Admin analytics: the overview of the platform, and CSV exports."""
