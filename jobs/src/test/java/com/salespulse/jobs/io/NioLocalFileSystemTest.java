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
 * status) gives Hadoop's results and starts no child process.
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
  void commitsLikeHadoopsLocalFileSystemWithoutChildProcesses() throws Exception {
    assertThat(commit(embeddedHadoopConf(), "embedded"))
        .as("child processes started by creating, renaming and inspecting a commit").isEmpty();
    // the check itself: Hadoop's own local file system, without its native library, forks for the same work
    assumeThat(NativeIO.isAvailable()).as("Hadoop's native library absent (as in the jars Maven resolves)").isFalse();
    assertThat(commit(new Configuration(), "hadoop")).as("child processes of Hadoop's own local file system")
        .anyMatch(c -> c.startsWith("chmod")).anyMatch(c -> c.startsWith("readlink"));
  }

  /** A Delta-like commit into a new folder of tmp; returns the commands of the child processes it started. */
  private List<String> commit(Configuration conf, String name) throws Exception {
    Path dir = new Path(tmp.toUri().toString(), name + "/_delta_log");
    java.nio.file.Path jfr = tmp.resolve(name + ".jfr");
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf);
         Recording rec = new Recording()) {
      FileContext fc = FileContext.getFileContext(URI.create("file:///"), conf);
      rec.enable("jdk.ProcessStart");
      rec.start();
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
      rec.stop();
      rec.dump(jfr);

      assertThat(fs.exists(tmpEntry)).as("%s: the temporary entry renamed away", name).isFalse();
      assertThat(Files.readString(java.nio.file.Path.of(entry.toUri()))).as("%s: the committed entry", name)
          .isEqualTo("{\"commitInfo\":{}}\n");
      assertThat(linkStatus.isSymlink()).as("%s: a plain file is no link", name).isFalse();
      assertThat(linkStatus.getLen()).as("%s: link status length = file status length", name).isEqualTo(status.getLen());
      assertThat(linkStatus.getPath()).as("%s: link status path", name).isEqualTo(status.getPath());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(java.nio.file.Path.of(entry.toUri()))))
          .as("%s: permission bits set by setPermission", name).isEqualTo("rw----r--");
    }
    List<String> started = new java.util.ArrayList<>();
    try (RecordingFile f = new RecordingFile(jfr)) {
      while (f.hasMoreEvents()) {
        RecordedEvent e = f.readEvent();
        started.add(e.getString("command"));
      }
    }
    return started;
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
