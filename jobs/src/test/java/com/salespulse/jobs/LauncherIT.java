package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local path as users run it: {@code scripts/salespulse} on the jars {@code package} built, with the
 * Java it chooses itself (scripts/jdk.sh: a Java 25 when one is installed, else the PATH's java),
 * ingests the contract's example drop. No JVM warning reaches the output (Java 25 warns at an opening
 * of a package it no longer has, a native call and a {@code sun.misc.Unsafe} access unless told), and
 * the launcher does not rebuild what Maven just built. (The class-data archive is left off: writing
 * it is a nightly of the same drop, a minute and a half.)
 */
class LauncherIT {

  @TempDir
  Path tmp;

  @Test
  void theLauncherIngestsTheExampleDropOnTheJavaItChooses() throws Exception {
    Path root = Path.of(System.getProperty("salespulse.project.root")).toRealPath();
    Path warehouse = tmp.resolve("warehouse");
    String day = "2026-11-25";
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("scripts/salespulse").toString(), "ingest",
        "--run-date", day, "--input-root", TestSupport.exampleDrop().toRealPath().toString(),
        "--warehouse", warehouse.toString());
    Map<String, String> env = pb.environment();
    // a user who names no Java: the launcher's own choice
    TestSupport.withoutJavaChoice(env);
    env.put("SALESPULSE_CDS", "0");
    env.put("SALESPULSE_JAVA_OPTS", "-Xmx2g");
    Path log = tmp.resolve("launcher.log");
    Process p = pb.directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the launcher's ingest ended").isTrue();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    String java = chosenJava(root);

    assertThat(p.exitValue()).as("exit code of scripts/salespulse ingest on %s; its output's errors:%n%s", java,
        out.lines().filter(l -> l.contains("Exception") || l.contains("ERROR")).limit(40)
            .collect(Collectors.joining("\n"))).isZero();
    assertThat(out).as("the ingest on %s", java).contains("END ingest run_date=" + day + " status=succeeded rows_read=100 ");
    assertThat(out).as("the launcher used the jars Maven built").doesNotContain("salespulse: building");
    List<String> warnings = out.lines().filter(l -> l.startsWith("WARNING") || l.startsWith("[")).toList();
    assertThat(warnings).as("JVM warnings on %s", java).isEmpty();
    assertThat(warehouse.resolve("stg_crm__contacts/_delta_log")).as("a staging table committed").isDirectory();
  }

  /** What scripts/jdk.sh chooses here, for the assertions' messages. */
  private static String chosenJava(Path root) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c",
        "source scripts/jdk.sh && j=\"$(salespulse_java)\" && echo \"$j $(java_version \"$j\")\"").directory(root.toFile());
    TestSupport.withoutJavaChoice(pb.environment());
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return out;
  }
}
