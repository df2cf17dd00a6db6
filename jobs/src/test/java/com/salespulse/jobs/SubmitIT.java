package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster path: {@code scripts/submit.sh} run through Spark's own submit entry point
 * ({@code org.apache.spark.deploy.SparkSubmit}) with {@code --master local[2]}, the two thin jars
 * the build packaged and the dependencies the script declares, ingesting the contract's example drop
 * from the S3-compatible test server into a warehouse there. Only the contacts keep their records:
 * every dataset's files are still read through s3a, and one is parsed in Spark's tasks and committed
 * to Delta on S3, which is what the cluster path has to show (a cold JVM pays for each dataset
 * staged). Runs after {@code package} (maven-failsafe), since it needs the jars.
 *
 * <p>The launcher's classpath is Spark as a cluster provides it: the build's runtime classpath
 * without this project's jars and without the declared dependencies (Delta, hadoop-aws and the AWS
 * SDK, Commons CLI and CSV), which reach the job only through {@code --jars}, as
 * {@code --packages} would bring them.
 */
class SubmitIT {

  /** Jars the script declares (its --packages), found on the build's runtime classpath. */
  static final Pattern DECLARED = Pattern.compile(".*/(io/delta|org/apache/hadoop/hadoop-aws|software/amazon"
      + "|commons-cli/commons-cli|org/apache/commons/commons-csv)/.*\\.jar");

  @TempDir
  Path tmp;

  @Test
  void submitShRunsIngestThroughSparkSubmitWithTheThinJarsAndTheDeclaredDependenciesAgainstS3() throws Exception {
    Path root = Path.of(System.getProperty("salespulse.project.root"));
    List<String> runtime = List.of(Files.readString(root.resolve("jobs/target/runtime-classpath.txt")).trim()
        .split(File.pathSeparator));
    List<String> declared = runtime.stream().filter(j -> DECLARED.matcher(j).matches()).toList();
    List<String> spark = runtime.stream().filter(j -> !DECLARED.matcher(j).matches() && !j.contains("salespulse"))
        .toList();
    assertThat(declared).as("the declared dependencies found").hasSizeGreaterThanOrEqualTo(6);

    Path launcher = tmp.resolve("spark-submit");
    Files.writeString(launcher, "#!/usr/bin/env bash\nexec \"" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "\" -Xmx2g " + String.join(" ", TestSupport.childJvmFlags()) + " -cp \"" + String.join(File.pathSeparator, spark)
        + "\" org.apache.spark.deploy.SparkSubmit \"$@\"\n");
    launcher.toFile().setExecutable(true);

    try (S3Server s3 = S3Server.start(tmp.resolve("s3"))) {
      String bucket = "salespulse-submit";
      s3.createBucket(bucket);
      s3.upload(TestSupport.exampleDropWithRecordsOnlyIn(tmp.resolve("drop"), "crm/Contact"), bucket, "input");
      Path conf = tmp.resolve("s3.properties");
      Files.writeString(conf, s3.settingsFile(bucket) + "spark.ui.enabled=false\n");
      String warehouse = "s3a://" + bucket + "/warehouse";
      ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("scripts/submit.sh").toString(), "ingest",
          "--run-date", "2026-11-25", "--input-root", "s3a://" + bucket + "/input", "--warehouse", warehouse,
          "--conf", conf.toString());
      Map<String, String> env = pb.environment();
      env.put("SPARK_SUBMIT", launcher.toString());
      env.put("SPARK_MASTER", "local[2]");
      env.put("DEPLOY_MODE", "client");
      env.put("SALESPULSE_JARS", String.join(",", declared));
      Path log = tmp.resolve("submit.log");
      Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("spark-submit ended").isTrue();
      String out = Files.readString(log);
      assertThat(p.exitValue()).as("exit code of submit.sh ingest; its errors:%n%s", out.lines()
          .filter(l -> l.contains("Exception") || l.contains("Error") || l.contains("ERROR")).limit(40)
          .collect(Collectors.joining("\n")))
          .isZero();
      assertThat(out).as("the job ran inside SparkSubmit").contains("END ingest run_date=2026-11-25 status=succeeded");
      assertThat(out).as("the contacts read and staged through s3a")
          .contains("Read crm/Contact: files=1 read=12 staged=12 quarantined=0");
      assertThat(out).as("the other datasets' files read through s3a too").contains("Read crm/Account: files=1 with no record");
      List<String> keys = s3.keys(bucket, "warehouse/stg_crm__contacts/_delta_log/");
      assertThat(keys).as("a staging table committed on S3").anyMatch(k -> k.endsWith(".json"));
      assertThat(out).as("no credential printed").doesNotContain(S3Server.SECRET_KEY);
    }
  }
}
