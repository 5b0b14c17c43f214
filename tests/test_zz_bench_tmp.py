import time
from commentscope.index import index_lake
from tests.engine.lakes import write_synthetic_lake

def test_bench(es, tmp_path):
    lake = write_synthetic_lake(tmp_path / "l", count=20000, parts=4)
    t = time.perf_counter(); r = index_lake(es, lake, prefix="bench"); a = time.perf_counter() - t
    t = time.perf_counter(); r2 = index_lake(es, lake, prefix="bench"); b = time.perf_counter() - t
    print(f"\nBENCH first {r.index_count} docs {a:.1f}s ({r.index_count/a:.0f}/s); reindex live {b:.1f}s; ok={r.ok and r2.ok}")
