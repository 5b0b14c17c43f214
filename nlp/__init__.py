"""NLP stage: normalisation, language id, tokenisation, toxicity / hate / counter-speech tagging."""

from nlp.analysis import Analysis, Analyzer


def default_analyzer() -> Analyzer:
    """The analyzer the pipeline uses unless told otherwise (built lazily: models load once)."""
    from nlp.simple import SimpleAnalyzer

    return SimpleAnalyzer()


__all__ = ["Analysis", "Analyzer", "default_analyzer"]
