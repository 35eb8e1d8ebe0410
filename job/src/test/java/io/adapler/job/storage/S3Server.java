package io.adapler.job.storage;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An S3 API server on the loopback interface for the tests: s3proxy 2.6.0 in a child JVM
 * (its jar holds all its libraries, copied to {@code target/s3proxy} by the build), with
 * jclouds' {@code filesystem} backend in a directory of the test's. That backend keeps a
 * directory whose last object was deleted, and lists it as an empty prefix, which S3 has no
 * such thing as: tests look at the objects under a prefix, not at its listing. (s3proxy's
 * newer {@code filesystem-nio2} backend lists objects without a size, which S3A cannot read.) Each start takes a free
 * port and fresh credentials; a bucket is a directory under the backend's base directory.
 * The child stops when {@link #close} stops it, when the test JVM ends (its standard input
 * closes), or after {@link #DEADLINE_SECONDS} at the latest ({@link S3ProxyMain}).
 */
final class S3Server implements AutoCloseable {
  /** The longest a server may live: far more than the tests that use one take. */
  static final long DEADLINE_SECONDS = 900;
  private static final long START_SECONDS = 60;

  private final Process process;
  private final int port;
  private final Path data;
  private final Path log;
  private final String accessKey;
  private final String secretKey;

  private S3Server(Process process, int port, Path data, Path log, String accessKey,
      String secretKey) {
    this.process = process;
    this.port = port;
    this.data = data;
    this.log = log;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /**
   * Starts a server whose data and log live in {@code dir}, and waits until it answers.
   *
   * @throws IllegalStateException when it does not answer within a minute (with its log)
   */
  static S3Server start(Path dir) throws IOException, InterruptedException {
    Path data = Files.createDirectories(dir.resolve("data"));
    String access = "adapler-test";
    String secret = UUID.randomUUID().toString();
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) { // another process may take the free port
      int port = freePort();
      Path props = dir.resolve("s3proxy-" + attempt + ".properties");
      Files.writeString(props, String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + access,
          "s3proxy.credential=" + secret,
          "jclouds.provider=filesystem",
          "jclouds.identity=local", // the backend's own, unused by a file system
          "jclouds.credential=local",
          "jclouds.filesystem.basedir=" + data, ""), StandardCharsets.UTF_8);
      Path log = dir.resolve("s3proxy-" + attempt + ".log");
      List<String> cmd = new ArrayList<>(List.of(
          Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
          "-cp", serverJar() + File.pathSeparator + ownClasses(),
          S3ProxyMain.class.getName(), props.toString(), String.valueOf(DEADLINE_SECONDS)));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      S3Server server = new S3Server(p, port, data, log, access, secret);
      try {
        server.awaitAnswer();
        return server;
      } catch (IllegalStateException e) {
        server.close();
        last = e;
      }
    }
    throw last;
  }

  /** The endpoint, for {@code fs.s3a.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  String accessKey() {
    return accessKey;
  }

  String secretKey() {
    return secretKey;
  }

  /** Creates an empty bucket with a fresh name that starts with {@code prefix}; returns it. */
  String createBucket(String prefix) throws IOException {
    String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT);
    Files.createDirectories(data.resolve(name));
    return name;
  }

  /** The server's log so far, for failure messages. */
  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the server and waits for its JVM to end. Safe to call twice. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Waits until the server answers HTTP (any status: an anonymous request is refused). */
  private void awaitAnswer() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new IllegalStateException("s3proxy ended with exit code " + process.exitValue()
            + " before it answered on " + endpoint() + "\n" + log());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL()
            .openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        int status = c.getResponseCode();
        c.disconnect();
        if (status > 0) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("s3proxy did not answer on " + endpoint() + " within "
        + START_SECONDS + " s\n" + log());
  }

  /** A port that nothing listens on at the moment of asking. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The s3proxy jar the build copied to {@code target/s3proxy}. */
  private static Path serverJar() throws IOException {
    Path dir = buildDir().resolve("s3proxy");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> jars = Files.list(dir)) {
        List<Path> found = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
        if (found.size() == 1) {
          return found.get(0);
        }
      }
    }
    throw new IllegalStateException("no s3proxy jar in " + dir
        + ": the build copies it there (mvn generate-test-resources or later)");
  }

  /** Where this class was loaded from: S3ProxyMain is there too. */
  private static Path ownClasses() {
    try {
      return Paths.get(S3Server.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The module's build directory: failsafe passes it, surefire and IDEs run in the module. */
  static Path buildDir() {
    String configured = System.getProperty("adapler.it.buildDir");
    return (configured != null ? Paths.get(configured) : Paths.get("target")).toAbsolutePath();
  }
}
