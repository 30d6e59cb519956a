"""Comments on notes (and on what extensions register), mentions, the inbox, and the
activity of a canvas."""
