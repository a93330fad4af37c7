"""What an instructor runs: build release notebooks, grade submissions, report results."""
