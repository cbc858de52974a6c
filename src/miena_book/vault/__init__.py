"""Reading a vault from disk: scan the folder, decode each file, split its frontmatter."""
