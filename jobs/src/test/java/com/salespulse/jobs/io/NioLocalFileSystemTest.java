package com.salespulse.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.salespulse.jobs.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local file system the embedded configuration selects: what a Delta commit does on it (create
 * folders and files with permissions, rename without overwriting through FileContext, look up link
 * status) gives Hadoop's results and starts no child process (checked in a JVM of its own).
 */
class NioLocalFileSystemTest {

  @TempDir
  java.nio.file.Path tmp;

  /** Hadoop's configuration as the embedded default's spark.hadoop.* settings make it. */
  static Configuration embeddedHadoopConf() {
    Configuration conf = new Configuration();
    Settings.load(null, Map.of()).sparkSettings().forEach((k, v) -> {
      if (k.startsWith("spark.hadoop.")) {
        conf.set(k.substring("spark.hadoop.".length()), v);
      }
    });
    return conf;
  }

  @Test
  void commitsLikeHadoopsLocalFileSystem() throws Exception {
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), embeddedHadoopConf())) {
      assertThat(fs).as("the file: file system the embedded configuration selects").isInstanceOf(NioLocalFileSystem.class);
    }
    commit(embeddedHadoopConf(), "embedded", tmp);
    commit(new Configuration(), "hadoop", tmp);
  }

  /**
   * No child process: each file system's commit recorded with Java Flight Recorder's {@code
   * jdk.ProcessStart} events, in a JVM of its own (starting the recorder in the test JVM would leave
   * its instrumentation of the JDK's file classes behind for the classes that run after this one).
   */
  @Test
  void commitsWithoutChildProcesses() throws Exception {
    assertThat(processesOfACommit("embedded")).as("child processes started by creating, renaming and inspecting a commit")
        .isEmpty();
    // the check itself: Hadoop's own local file system, without its native library, forks for the same work
    assumeThat(NativeIO.isAvailable()).as("Hadoop's native library absent (as in the jars Maven resolves)").isFalse();
    assertThat(processesOfACommit("hadoop")).as("child processes of Hadoop's own local file system")
        .anyMatch(c -> c.startsWith("chmod")).anyMatch(c -> c.startsWith("readlink"));
  }

  /** Runs {@link Probe} in a child JVM; returns the commands of the processes its commit started. */
  private List<String> processesOfACommit(String fileSystem) throws Exception {
    java.nio.file.Path out = tmp.resolve(fileSystem + ".out");
    Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Probe.class.getName(),
        fileSystem, tmp.resolve("probe-" + fileSystem).toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("probe of %s ended", fileSystem).isTrue();
    List<String> lines = Files.readAllLines(out);
    assertThat(p.exitValue()).as("probe of %s exit code; its output: %s", fileSystem, lines).isZero();
    return lines.stream().filter(l -> l.startsWith("started: ")).map(l -> l.substring("started: ".length()))
        .collect(Collectors.toList());
  }

  /** The child JVM: a commit on the named file system under a recording; prints "started: COMMAND" per process. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      Configuration conf = "embedded".equals(args[0]) ? embeddedHadoopConf() : new Configuration();
      java.nio.file.Path dir = java.nio.file.Path.of(args[1]);
      Files.createDirectories(dir);
      java.nio.file.Path jfr = dir.resolve("processes.jfr");
      // Hadoop probes once per JVM, as its Shell class loads, whether setsid exists (a process of its
      // own, not the file system's work): loaded before the recording starts
      Class.forName(org.apache.hadoop.util.Shell.class.getName(), true, Probe.class.getClassLoader());
      try (Recording rec = new Recording()) {
        rec.enable("jdk.ProcessStart");
        rec.start();
        commit(conf, args[0], dir);
        rec.stop();
        rec.dump(jfr);
      }
      try (RecordingFile f = new RecordingFile(jfr)) {
        while (f.hasMoreEvents()) {
          RecordedEvent e = f.readEvent();
          System.out.println("started: " + e.getString("command"));
        }
      }
      System.exit(0);
    }
  }

  /** A Delta-like commit into a new folder of dir, checked as it goes. */
  static void commit(Configuration conf, String name, java.nio.file.Path under) throws Exception {
    Path dir = new Path(under.toUri().toString(), name + "/_delta_log");
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf)) {
      FileContext fc = FileContext.getFileContext(URI.create("file:///"), conf);
      assertThat(fs.mkdirs(dir)).as("mkdirs").isTrue();
      Path tmpEntry = new Path(dir, ".00000000000000000000.json.tmp");
      try (FSDataOutputStream out = fs.create(tmpEntry, FsPermission.createImmutable((short) 0640), false, 4096,
          (short) 1, 1 << 20, null)) {
        out.write("{\"commitInfo\":{}}\n".getBytes(StandardCharsets.UTF_8));
      }
      Path entry = new Path(dir, "00000000000000000000.json");
      fc.rename(tmpEntry, entry, Options.Rename.NONE);
      Path other = new Path(dir, ".other.tmp");
      fs.create(other).close();
      assertThatThrownBy(() -> fc.rename(other, entry, Options.Rename.NONE))
          .as("%s: a second commit of the same version is refused, as Delta's log store needs", name)
          .isInstanceOf(FileAlreadyExistsException.class);
      FileStatus linkStatus = fc.getFileLinkStatus(entry);
      FileStatus status = fs.getFileStatus(entry);
      fs.setPermission(entry, FsPermission.createImmutable((short) 0604));

      assertThat(fs.exists(tmpEntry)).as("%s: the temporary entry renamed away", name).isFalse();
      assertThat(Files.readString(java.nio.file.Path.of(entry.toUri()))).as("%s: the committed entry", name)
          .isEqualTo("{\"commitInfo\":{}}\n");
      assertThat(linkStatus.isSymlink()).as("%s: a plain file is no link", name).isFalse();
      assertThat(linkStatus.getLen()).as("%s: link status length = file status length", name).isEqualTo(status.getLen());
      assertThat(linkStatus.getPath()).as("%s: link status path", name).isEqualTo(status.getPath());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(java.nio.file.Path.of(entry.toUri()))))
          .as("%s: permission bits set by setPermission", name).isEqualTo("rw----r--");
    }
  }

  @Test
  void permissionsAndSymbolicLinksAsHadoopSeesThem() throws IOException {
    Configuration conf = embeddedHadoopConf();
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf)) {
      Path file = new Path(tmp.toUri().toString(), "f");
      fs.create(file, FsPermission.createImmutable((short) 0751), false, 4096, (short) 1, 1 << 20, null).close();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(java.nio.file.Path.of(file.toUri()))))
          .as("created with 0751").isEqualTo("rwxr-x--x");
      java.nio.file.Path link = tmp.resolve("link");
      Files.createSymbolicLink(link, java.nio.file.Path.of(file.toUri()));
      Path linkPath = new Path(link.toUri());
      FileStatus ours = FileContext.getFileContext(URI.create("file:///"), conf).getFileLinkStatus(linkPath);
      FileStatus hadoops = FileContext.getFileContext(URI.create("file:///"), new Configuration()).getFileLinkStatus(linkPath);
      assertThat(ours.isSymlink()).as("a symbolic link: is it one, as Hadoop's own lookup says").isEqualTo(hadoops.isSymlink());
      assertThat(ours.getLen()).as("a symbolic link: length, as Hadoop's own lookup says").isEqualTo(hadoops.getLen());
      assertThat(NioLocalFileSystem.posix(FsPermission.createImmutable((short) 0640)).stream()
          .map(Enum::name).sorted().collect(Collectors.joining(",")))
          .as("0640 as java.nio permissions").isEqualTo("GROUP_READ,OWNER_READ,OWNER_WRITE");
    }
  }
}
