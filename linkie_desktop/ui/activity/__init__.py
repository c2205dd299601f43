"""The Activity tab: every attempt and outcome of every post (issue 15)."""
