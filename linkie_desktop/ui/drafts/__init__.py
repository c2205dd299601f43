"""The Drafts tab: the list of every post beside a composer that saves as you type."""
