"""What each Airflow task calls: small functions that take and return plain JSON-able values.

The DAG files in dags/ only wire these together (schedules, pools, retries, mapping, assets); all
behaviour lives here, so it runs and is tested without Airflow, and every step can also be run
from the command line. Settings come from the environment (``Settings.from_env``), configuration
from the campaign registry; nothing here reads Airflow connections or files in dags/.
"""
