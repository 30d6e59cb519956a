"""Share links: read-only links to one canvas for people without an account."""
