"""Presentation: every renderer (terminal tables, Markdown, HTML, SARIF, JUnit, spreadsheets, …),
escaping for each output kind, and terminal fitting. Reads finished reports; never evaluates."""
