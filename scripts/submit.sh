#!/usr/bin/env bash
# Runs a SalesPulse command on a Spark cluster with spark-submit (Spark 4.2 / Scala 2.13 provided
# by the cluster). Builds the two thin jars if needed; Delta, S3A and the CLI libraries come as
# --packages from Maven Central (or set SALESPULSE_JARS to a comma list of pre-staged jars instead).
#
#   SPARK_MASTER=yarn DEPLOY_MODE=cluster scripts/submit.sh nightly --run-date 2026-11-25 \
#       --conf s3-production.properties
#
# The --conf file is shipped with --files and read from the driver's working directory (cluster
# mode), or read where it is (DEPLOY_MODE=client).
# Credentials: the AWS default provider chain on the cluster (instance profile, IRSA, environment).
# SPARK_SUBMIT names the spark-submit to run (default: spark-submit on the PATH); the build's
# SubmitIT runs this script through Spark's own SparkSubmit class with --master local[2].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# the project's version: the <version> right after the parent pom's own artifactId
VERSION="$(sed -n '/<artifactId>salespulse-parent<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p;q;}' "$ROOT/pom.xml")"
JOBS_JAR="$ROOT/jobs/target/salespulse-jobs-$VERSION.jar"
TRANSFORMS_JAR="$ROOT/transforms/target/salespulse-transforms-$VERSION.jar"
[[ -f "$JOBS_JAR" && -f "$TRANSFORMS_JAR" ]] || (cd "$ROOT" && mvn -q -B -ntp -DskipTests package)

PACKAGES="io.delta:delta-spark_4.2_2.13:4.4.0,org.apache.hadoop:hadoop-aws:3.5.0,software.amazon.awssdk:s3:2.35.4,software.amazon.awssdk:s3-transfer-manager:2.35.4,commons-cli:commons-cli:1.11.0,org.apache.commons:commons-csv:1.14.1"
FILES=()
ARGS=("$@")
for ((i = 0; i < ${#ARGS[@]}; i++)); do
  if [[ "${ARGS[$i]}" == "--conf" && $((i + 1)) -lt ${#ARGS[@]} ]]; then
    conf="${ARGS[$((i + 1))]}"
    [[ -f "$conf" ]] || conf="$ROOT/conf/$conf"
    FILES=(--files "$conf")
    # cluster mode: the driver reads the shipped copy from its working directory; client mode: the
    # driver runs here and reads the file where it is
    if [[ "${DEPLOY_MODE:-cluster}" == "cluster" ]]; then
      ARGS[$((i + 1))]="$(basename "$conf")"
    else
      ARGS[$((i + 1))]="$(cd "$(dirname "$conf")" && pwd)/$(basename "$conf")"
    fi
  fi
done

DEPS=(--packages "$PACKAGES")
[[ -n "${SALESPULSE_JARS:-}" ]] && DEPS=()
exec ${SPARK_SUBMIT:-spark-submit} \
  --master "${SPARK_MASTER:-yarn}" \
  --deploy-mode "${DEPLOY_MODE:-cluster}" \
  --name "salespulse-${ARGS[0]:-help}" \
  --class com.salespulse.jobs.SalesPulse \
  "${DEPS[@]}" \
  --jars "$TRANSFORMS_JAR${SALESPULSE_JARS:+,$SALESPULSE_JARS}" \
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
  ${SPARK_SUBMIT_EXTRA:-} \
  "${FILES[@]}" \
  "$JOBS_JAR" "${ARGS[@]}"
