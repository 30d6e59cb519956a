"""A canvas's activity: its changes and its comments, merged by time."""
