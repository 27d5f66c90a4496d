"""EST workbench: joint situation picture, hot-spots, cause analysis and actions for EST groups."""

__version__ = "0.1.0"
