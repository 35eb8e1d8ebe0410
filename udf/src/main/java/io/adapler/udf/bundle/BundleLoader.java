package io.adapler.udf.bundle;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads bundles from any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}, ... or a
 * plain path, resolved against {@code fs.defaultFS} as Spark does) into a local cache directory.
 *
 * <p>Each bundle is copied and verified once per JVM and cache directory: the cache key is the
 * qualified URI plus the SHA-256 of the manifest (which lists the SHA-256 of every other file),
 * so a re-exported bundle at the same URI is fetched again. Concurrent callers for the same
 * bundle wait for one copy; JVMs sharing a cache directory publish copies by atomic rename and
 * re-verify what they find. Every listed file's SHA-256 and size are checked.
 *
 * <p>Thread-safe. {@link #shared()} is the per-JVM instance with the cache under
 * {@code java.io.tmpdir}.
 */
public final class BundleLoader {
  private static final Logger LOG = LoggerFactory.getLogger(BundleLoader.class);
  private static final BundleLoader SHARED =
      new BundleLoader(Paths.get(System.getProperty("java.io.tmpdir"), "adapler-bundles"));

  private final Path cacheRoot;
  private final Map<String, ModelBundle> loaded = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final AtomicInteger copies = new AtomicInteger();

  /**
   * Creates a loader with its own cache directory.
   *
   * @param cacheRoot the local directory that receives verified bundle copies
   */
  public BundleLoader(Path cacheRoot) {
    if (cacheRoot == null) {
      throw new IllegalArgumentException("cacheRoot must not be null");
    }
    this.cacheRoot = cacheRoot.toAbsolutePath();
  }

  /**
   * Returns the per-JVM loader, caching under {@code ${java.io.tmpdir}/adapler-bundles}.
   *
   * @return the shared loader
   */
  public static BundleLoader shared() {
    return SHARED;
  }

  /**
   * Loads a bundle with a default Hadoop configuration.
   *
   * @param uri the bundle directory (any Hadoop file system URI or a plain path)
   * @return the verified local bundle
   * @throws BundleLoadException when the bundle is missing, incomplete, corrupt or unsupported
   */
  public ModelBundle load(String uri) throws BundleLoadException {
    return load(uri, new Configuration());
  }

  /**
   * Loads a bundle, copying and verifying it on the first call for this URI and manifest.
   *
   * @param uri the bundle directory (any Hadoop file system URI or a plain path)
   * @param conf the Hadoop configuration (credentials, default file system)
   * @return the verified local bundle
   * @throws BundleLoadException when the bundle is missing, incomplete, corrupt or unsupported
   */
  public ModelBundle load(String uri, Configuration conf) throws BundleLoadException {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("bundle uri must not be empty");
    }
    if (conf == null) {
      throw new IllegalArgumentException("Hadoop configuration must not be null");
    }
    String trimmed = uri.endsWith("/" + BundleManifest.FILE_NAME)
        ? uri.substring(0, uri.length() - BundleManifest.FILE_NAME.length() - 1)
        : uri;
    RemoteDir remote = RemoteDir.open(trimmed, conf);
    byte[] manifestBytes = remote.readManifest();
    String checksum = Sha256.of(manifestBytes);
    String key = Sha256.of(remote.qualified() + "\n" + checksum);
    ModelBundle hit = loaded.get(key);
    if (hit != null) {
      return hit;
    }
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      hit = loaded.get(key);
      if (hit != null) {
        return hit;
      }
      BundleManifest manifest =
          ManifestParser.parse(manifestBytes, remote.child(BundleManifest.FILE_NAME));
      String dirName = safeName(manifest.name()) + "-" + key.substring(0, 24);
      Path local = materialize(remote, manifest, manifestBytes, dirName);
      ModelBundle bundle = new ModelBundle(remote.qualified(), local, manifest, checksum);
      loaded.put(key, bundle);
      LOG.info("bundle {} from {} verified in {}", bundle.label(), bundle.uri(), local);
      return bundle;
    }
  }

  /**
   * Returns how many times this loader copied a bundle from its source (for tests and metrics).
   *
   * @return the number of copies made
   */
  public int copyCount() {
    return copies.get();
  }

  private Path materialize(RemoteDir remote, BundleManifest manifest, byte[] manifestBytes,
      String dirName) throws BundleLoadException {
    Path target = cacheRoot.resolve(dirName);
    try {
      Files.createDirectories(cacheRoot);
      if (Files.isDirectory(target)) {
        String problem = LocalCheck.problem(target, manifest);
        if (problem == null) {
          return target;
        }
        LOG.warn("cached bundle copy {} is damaged ({}); fetching it again", target, problem);
        deleteTree(target);
      }
      Path partial = Files.createTempDirectory(cacheRoot, dirName + ".partial-");
      try {
        copies.incrementAndGet();
        for (var e : manifest.files().entrySet()) {
          remote.copyVerified(e.getKey(), e.getValue(), partial.resolve(e.getKey()));
        }
        Files.write(partial.resolve(BundleManifest.FILE_NAME), manifestBytes);
        try {
          Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
          String problem = LocalCheck.problem(target, manifest);
          if (problem != null) {
            throw new BundleLoadException("another process left a damaged bundle copy at "
                + target + " (" + problem + "); delete that directory and retry");
          }
        }
        return target;
      } finally {
        deleteTree(partial);
      }
    } catch (IOException e) {
      throw new BundleLoadException("cannot copy bundle " + remote.qualified()
          + " into the local cache " + cacheRoot + ": " + e
          + "; check that the directory is writable and has free space", e);
    }
  }

  private static String safeName(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.startsWith(".") ? "bundle" + s : s;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The source directory on its Hadoop file system. */
  private record RemoteDir(FileSystem fs, org.apache.hadoop.fs.Path dir, String qualified) {

    static RemoteDir open(String uri, Configuration conf) throws BundleLoadException {
      try {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = dir.getFileSystem(conf);
        org.apache.hadoop.fs.Path qualified = fs.makeQualified(dir);
        return new RemoteDir(fs, qualified, qualified.toString());
      } catch (IOException | IllegalArgumentException e) {
        throw new BundleLoadException("cannot open the file system of bundle path '" + uri
            + "': " + e + "; expected a directory URI such as file:/models/x, hdfs://nn/models/x,"
            + " s3a://bucket/models/x or a plain path, with the file system's client and"
            + " credentials configured", e);
      }
    }

    String child(String name) {
      return new org.apache.hadoop.fs.Path(dir, name).toString();
    }

    byte[] readManifest() throws BundleLoadException {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir, BundleManifest.FILE_NAME);
      try (InputStream in = fs.open(p)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
      } catch (FileNotFoundException e) {
        throw new BundleLoadException("missing file " + BundleManifest.FILE_NAME + ": expected a"
            + " bundle directory holding adapler.json, model.onnx and tokenizer.json at "
            + qualified + ", found no " + p + "; point the bundle path at the directory the"
            + " model/ exporter wrote", e);
      } catch (IOException e) {
        throw new BundleLoadException("cannot read " + p + ": " + e
            + "; check the path, permissions and file system credentials", e);
      }
    }

    void copyVerified(String name, FileEntry expected, Path to) throws BundleLoadException {
      org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(dir, name);
      Sha256.Digest found;
      try (InputStream in = fs.open(from); OutputStream out = Files.newOutputStream(to)) {
        found = Sha256.copy(in, out);
      } catch (FileNotFoundException e) {
        throw new BundleLoadException("missing file " + name + " in bundle " + qualified
            + ": adapler.json lists it (sha256 " + expected.sha256() + ", " + expected.bytes()
            + " bytes) but " + from + " does not exist; copy the complete bundle directory or"
            + " re-export it with the model/ exporter", e);
      } catch (IOException e) {
        throw new BundleLoadException("cannot copy " + from + " to " + to + ": " + e
            + "; check permissions, credentials and free space", e);
      }
      if (!found.hex().equals(expected.sha256()) || found.bytes() != expected.bytes()) {
        throw new BundleLoadException("checksum mismatch for " + name + " in bundle "
            + qualified + ": adapler.json expects sha256 " + expected.sha256() + " ("
            + expected.bytes() + " bytes), found sha256 " + found.hex() + " (" + found.bytes()
            + " bytes) at " + from + "; the file was changed or damaged after export: restore"
            + " it from the exporter's output or re-export the bundle");
      }
    }
  }
}
