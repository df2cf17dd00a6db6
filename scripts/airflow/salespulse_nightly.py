"""Airflow DAG: one SalesPulse `nightly` run per logical date.

Each DAG run passes its logical date ({{ ds }}) as --run-date, so reruns and backfills (``airflow
dags backfill``) are safe: the job is idempotent per date. SalesPulse exits with 75 when a dataset
of the drop has no _SUCCESS marker yet (the drop is still landing) and with 73 when another run
holds the warehouse's lease (runs of one warehouse go one at a time; a killed run's lease is taken
over once it is lease.stale-after-seconds old); only those two codes are retried. Input rejected
(65), bad arguments (64) and failures (1) fail the task at once for a human to look.

Needs apache-airflow-providers-apache-spark and a `spark_default` connection to the cluster.
Set Airflow Variables: salespulse_jobs_jar, salespulse_transforms_jar (paths or s3a:// URIs of the
built jars) and salespulse_conf (the settings file, e.g. conf/s3-production.properties).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

NOT_LANDED_EXIT_CODE = 75
LOCKED_EXIT_CODE = 73
RETRIED_EXIT_CODES = {NOT_LANDED_EXIT_CODE, LOCKED_EXIT_CODE}
PACKAGES = ",".join([
    "io.delta:delta-spark_4.2_2.13:4.4.0",
    "org.apache.hadoop:hadoop-aws:3.5.0",
    "software.amazon.awssdk:s3:2.35.4",
    "software.amazon.awssdk:s3-transfer-manager:2.35.4",
    "commons-cli:commons-cli:1.11.0",
    "org.apache.commons:commons-csv:1.14.1",
])


class SalesPulseSubmitOperator(SparkSubmitOperator):
    """spark-submit that retries only while the drop has not landed (75) or the warehouse is leased (73)."""

    def execute(self, context):
        try:
            return super().execute(context)
        except Exception as exc:  # SparkSubmitHook raises AirflowException with the exit code
            match = re.search(r"[Ee]rror code is:? *(-?\d+)", str(exc))
            if match and int(match.group(1)) in RETRIED_EXIT_CODES:
                raise  # retried: the export is still landing, or another run holds the warehouse
            raise AirflowFailException(f"SalesPulse failed and will not be retried: {exc}") from exc


def salespulse_task(command: str) -> SalesPulseSubmitOperator:
    """One SalesPulse command for the DAG run's logical date, submitted with the built jars."""
    return SalesPulseSubmitOperator(
        task_id=command,
        conn_id="spark_default",
        application="{{ var.value.salespulse_jobs_jar }}",
        java_class="com.salespulse.jobs.SalesPulse",
        packages=PACKAGES,
        jars="{{ var.value.salespulse_transforms_jar }}",
        files="{{ var.value.salespulse_conf }}",
        conf={
            "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        },
        application_args=[
            command,
            "--run-date", "{{ ds }}",
            "--conf", "{{ var.value.salespulse_conf.split('/')[-1] }}",
        ],
        name=f"salespulse-{command}-{{{{ ds }}}}",
    )


with DAG(
    dag_id="salespulse_nightly",
    description="SalesPulse: CRM and communication activity into Delta fact tables",
    schedule="0 6 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=True,
    max_active_runs=1,
    default_args={
        "owner": "data-engineering",
        "retries": 12,
        "retry_delay": timedelta(minutes=20),
    },
    tags=["salespulse"],
) as dag:
    salespulse_task("nightly")


# Weekly table maintenance (OPTIMIZE, then VACUUM keeping the time-travel window): its own DAG, on
# its own schedule. Should it start while a nightly holds the warehouse, the warehouse lease refuses
# it with exit code 73, and it is retried (and the other way round).
with DAG(
    dag_id="salespulse_maintain",
    description="SalesPulse: compact the week's small files and vacuum what time travel no longer needs",
    schedule="0 12 * * 0",
    start_date=datetime(2026, 1, 4),
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "data-engineering",
        "retries": 6,
        "retry_delay": timedelta(minutes=30),
    },
    tags=["salespulse"],
) as maintain_dag:
    salespulse_task("maintain")
