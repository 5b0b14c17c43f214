"""NLP stage: normalisation, language id, tokenisation, toxicity / hate / counter-speech tagging."""

from functools import lru_cache

from nlp.analysis import Analysis, Analyzer


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The analyzer the pipeline uses (built once per process: lexicons, models and tokenisers load once)."""
    from nlp.analyzer import CommentAnalyzer

    return CommentAnalyzer()


__all__ = ["Analysis", "Analyzer", "default_analyzer"]
