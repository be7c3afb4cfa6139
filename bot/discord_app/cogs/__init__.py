"""One cog per feature; each module ends with its ``setup``."""
