package com.salespulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of the Java that runs the commands (scripts/jdk.sh), asked of bash about a
 * folder of JDKs made up for it: a {@code release} file and a {@code bin/java} each.
 */
class LauncherJavaTest {

  @TempDir
  static Path jdks;

  @BeforeAll
  static void installedJdks() throws IOException {
    for (String v : List.of("17.0.15", "25.0.2", "25.0.3", "25.0.10", "26.0.1")) {
      jdk("jdk-" + v, "JAVA_VERSION=\"" + v + "\"\n");
    }
    jdk("no-release", null);
  }

  /** A JDK home whose java prints what `java -version` would, for the fallback without a release file. */
  private static Path jdk(String name, String release) throws IOException {
    Path home = jdks.resolve("all").resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"21.0.4\" 2024-07-16' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (release != null) {
      Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\n" + release);
    }
    return home;
  }

  private static String bash(Map<String, String> env, String script) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source ../scripts/jdk.sh && " + script)
        .redirectErrorStream(true);
    // the test JVM's own JAVA and JAVA_HOME (Maven sets one) would decide otherwise
    TestSupport.withoutJavaChoice(pb.environment());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as("exit code of %s: %s", script, out).isZero();
    return out;
  }

  private static String choice(Map<String, String> env) throws IOException, InterruptedException {
    Map<String, String> e = new HashMap<>(Map.of("SALESPULSE_JDK_DIRS", jdks.resolve("all").toString()));
    e.putAll(env);
    return bash(e, "salespulse_java");
  }

  @Test
  void theNewestJava25ThatSparkSupportsIsChosenUnlessOneIsNamed() throws Exception {
    Path all = jdks.resolve("all");
    assertThat(choice(Map.of())).as("among 17.0.15, 25.0.2, 25.0.3, 25.0.10, 26.0.1 and one without a release file")
        .isEqualTo(all.resolve("jdk-25.0.10/bin/java").toString());
    assertThat(choice(Map.of("JAVA", "/opt/java/bin/java"))).as("JAVA names the java").isEqualTo("/opt/java/bin/java");
    assertThat(choice(Map.of("JAVA_HOME", all.resolve("jdk-17.0.15").toString()))).as("JAVA_HOME names a JDK")
        .isEqualTo(all.resolve("jdk-17.0.15/bin/java").toString());
    assertThat(choice(Map.of("SALESPULSE_JDK_SEARCH", "0"))).as("no search: the PATH's java").isEqualTo("java");
    assertThat(choice(Map.of("SALESPULSE_JDK_DIRS", jdks.resolve("none").toString())))
        .as("no JDK folder: the PATH's java").isEqualTo("java");
  }

  @Test
  void aJava25BeforeSparksMinimumOrAnotherVersionIsNotChosen() throws Exception {
    Path older = jdks.resolve("older");
    Files.createDirectories(older);
    for (String name : List.of("jdk-17.0.15", "jdk-25.0.2", "jdk-26.0.1", "no-release")) {
      Path link = older.resolve(name);
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jdks.resolve("all").resolve(name));
      }
    }
    assertThat(choice(Map.of("SALESPULSE_JDK_DIRS", older.toString())))
        .as("Spark 4.2 refuses 25.0.0 to 25.0.2 and does not support 26: the PATH's java").isEqualTo("java");
  }

  @Test
  void aJavasVersionIsReadFromItsReleaseFileElseAsked() throws Exception {
    Path all = jdks.resolve("all");
    assertThat(bash(Map.of(), "java_version " + all.resolve("jdk-25.0.3/bin/java"))).as("from the release file")
        .isEqualTo("25.0.3");
    assertThat(bash(Map.of(), "java_version " + all.resolve("no-release/bin/java"))).as("from java -version")
        .isEqualTo("21.0.4");
    assertThat(bash(Map.of(), "jdk_version_fields 25; jdk_version_fields 17.0.15+6")).as("a version's fields")
        .isEqualTo("25 0 0\n17 0 15");
  }
}
