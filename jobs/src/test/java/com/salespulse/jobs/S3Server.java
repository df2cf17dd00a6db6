package com.salespulse.jobs;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (S3Proxy on a local filesystem) started as a child JVM for the
 * tests, on a free loopback port. Its credentials are throwaway test values, not secrets.
 */
final class S3Server implements AutoCloseable {

  static final String ACCESS_KEY = "salespulse-test";
  static final String SECRET_KEY = "salespulse-test-secret";

  private final Process process;
  private final int port;
  private final S3Client client;

  private S3Server(Process process, int port) {
    this.process = process;
    this.port = port;
    this.client = S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  static S3Server start(Path dir) throws IOException, InterruptedException {
    String jar = System.getProperty("salespulse.s3proxy.jar", "target/s3proxy/s3proxy.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("Cannot start S3Proxy: no jar at " + jar + " (mvn process-test-resources copies it)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path data = Files.createDirectories(dir.resolve("data"));
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem-nio2",
        "jclouds.identity=" + ACCESS_KEY,
        "jclouds.credential=" + SECRET_KEY,
        "jclouds.filesystem.basedir=" + data.toAbsolutePath()) + "\n");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=128m", "-XX:+UseSerialGC", "-jar", jar, "--properties", props.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("s3proxy.log").toFile())
        .start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException e) {
        if (!p.isAlive() || System.currentTimeMillis() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException("Cannot start S3Proxy on port " + port + ": see " + dir.resolve("s3proxy.log"), e);
        }
        Thread.sleep(200);
      }
    }
    return new S3Server(p, port);
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  S3Client client() {
    return client;
  }

  void createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  /** Uploads a local folder tree below s3://bucket/prefix with the SDK. */
  void upload(Path from, String bucket, String prefix) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String key = prefix + "/" + from.relativize(p).toString().replace('\\', '/');
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(p));
      }
    }
  }

  List<String> keys(String bucket, String prefix) {
    return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(o -> o.key()).toList();
  }

  /** The same settings as {@link #configure}, as {@code spark.hadoop.*} lines of a settings file. */
  String settingsFile(String bucket) {
    Configuration conf = new Configuration(false);
    configure(conf, bucket);
    StringBuilder out = new StringBuilder();
    conf.forEach(e -> out.append("spark.hadoop.").append(e.getKey()).append('=').append(e.getValue()).append('\n'));
    return out.toString();
  }

  /** Points Hadoop's S3A at this server for one bucket (per-bucket keys, as production would for one store). */
  void configure(Configuration conf, String bucket) {
    String b = "fs.s3a.bucket." + bucket + ".";
    conf.set(b + "endpoint", endpoint());
    conf.set(b + "endpoint.region", "us-east-1");
    conf.set(b + "path.style.access", "true");
    conf.set(b + "connection.ssl.enabled", "false");
    conf.set(b + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set(b + "access.key", ACCESS_KEY);
    conf.set(b + "secret.key", SECRET_KEY);
    conf.set(b + "change.detection.mode", "none");
  }

  @Override
  public void close() {
    client.close();
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
