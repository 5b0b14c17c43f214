"""NLP stage: normalisation, language id, tokenisation, toxicity / hate / counter-speech tagging."""

import gc
from functools import lru_cache

from commentscope.nlp.analysis import Analysis, Analyzer


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    """The analyzer the pipeline uses (built once per process: lexicons, models and tokenisers load once).

    Once it is built, the heap is frozen (``gc.freeze``): the ~200,000 long-lived objects of spaCy,
    the models and the lexicons are then never rescanned by the garbage collector's full passes, which
    took a quarter of the analyzer's time. Forked enrich workers inherit the frozen heap.
    """
    from commentscope.nlp.analyzer import CommentAnalyzer

    analyzer = CommentAnalyzer()
    analyzer.warm_up()
    gc.collect()
    gc.freeze()
    return analyzer


__all__ = ["Analysis", "Analyzer", "default_analyzer"]
