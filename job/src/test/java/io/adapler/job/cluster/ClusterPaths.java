package io.adapler.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the integration tests find the build's outputs, the samples and their resources.
 * Maven failsafe passes the build directory as {@code adapler.it.buildDir}; without it (an
 * IDE) the tests look for {@code target/} under the working directory.
 */
final class ClusterPaths {
  /** Artifacts the application jar ships (see the parent pom); SPARK_HOME/jars leaves them out. */
  private static final List<String> APPLICATION_GROUPS = List.of("/io/adapler/",
      "/com/microsoft/onnxruntime/", "/ai/djl/", "/net/java/dev/jna/");

  private ClusterPaths() {}

  /** The job module's build directory (target/). */
  static Path buildDir() {
    String configured = System.getProperty("adapler.it.buildDir");
    Path dir = configured != null ? Paths.get(configured) : Paths.get("target");
    return dir.toAbsolutePath();
  }

  /** The repository root: the directory above the working directory that holds samples/. */
  static Path repoRoot() {
    for (Path at = Paths.get("").toAbsolutePath(); at != null; at = at.getParent()) {
      if (Files.isDirectory(at.resolve("samples/models/tiny-random"))) {
        return at;
      }
    }
    throw new IllegalStateException("samples/models/tiny-random not found above "
        + Paths.get("").toAbsolutePath());
  }

  /** The shaded application jar that `mvn package` built. */
  static Path jobJar() {
    return existing(buildDir().resolve("adapler-job.jar"));
  }

  /** job/target/local-classpath.txt: the job's dependencies, Spark included. */
  static Path classpathFile() {
    return existing(buildDir().resolve("local-classpath.txt"));
  }

  static List<Path> localClasspath() throws IOException {
    List<Path> jars = new ArrayList<>();
    for (String entry : Files.readString(classpathFile()).trim().split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        jars.add(Paths.get(entry.trim()));
      }
    }
    return jars;
  }

  /** Whether a classpath entry belongs to the application (this project, ONNX Runtime, DJL). */
  static boolean isApplicationJar(Path jar) {
    String path = jar.toAbsolutePath().toString().replace('\\', '/');
    if (jar.toAbsolutePath().startsWith(repoRoot())) {
      return true; // a module of this build
    }
    return APPLICATION_GROUPS.stream().anyMatch(path::contains);
  }

  /** A file under src/test/resources/cluster/, as an absolute path. */
  static Path resource(String name) {
    URL url = ClusterPaths.class.getResource("/cluster/" + name);
    if (url == null) {
      throw new IllegalStateException("test resource cluster/" + name + " not found");
    }
    try {
      return Paths.get(url.toURI()).toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path sampleCorpus() {
    return repoRoot().resolve("samples/data/spam-assassin-sample.jsonl");
  }

  static Path tinyBundle() {
    return repoRoot().resolve("samples/models/tiny-random");
  }

  /** A log's lines; none while it does not exist yet. Undecodable bytes become U+FFFD. */
  static List<String> readLines(Path file) {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String tail(Path file, int lines) {
    List<String> all = readLines(file);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Deletes a directory tree; links are removed, never followed. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Path existing(Path p) {
    if (!Files.exists(p)) {
      throw new IllegalStateException(p + " is missing: the integration tests run after"
          + " `package` (mvn verify)");
    }
    return p;
  }
}
