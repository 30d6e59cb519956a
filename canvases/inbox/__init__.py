"""A member's inbox: the comments that mention them, newest first, read or not."""
