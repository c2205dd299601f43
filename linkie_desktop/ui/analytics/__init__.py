"""The Analytics tab: how often, when and how well you publish (your posts, and LinkedIn)."""
