package io.adapler.job.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

/**
 * A test's S3: an {@link S3Server} and its {@link S3Settings} put into the test JVM's session,
 * with buckets and uploads. Closing it closes the S3A file systems of its buckets (Hadoop
 * caches one per bucket), restores the session's settings and stops the server.
 */
final class LocalS3 implements AutoCloseable {
  private final S3Server server;
  private final S3Settings settings;
  private final SparkSession spark;
  private final Runnable restore;
  private final List<String> buckets = new ArrayList<>();

  private LocalS3(S3Server server, S3Settings settings, SparkSession spark) {
    this.server = server;
    this.settings = settings;
    this.spark = spark;
    this.restore = settings.applyTo(spark);
  }

  /** Starts a server with its data in {@code dir} and puts its settings into {@code spark}. */
  static LocalS3 start(Path dir, SparkSession spark) throws IOException, InterruptedException {
    S3Server server = S3Server.start(dir);
    try {
      return new LocalS3(server, S3Settings.forServer(server), spark);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  S3Server server() {
    return server;
  }

  S3Settings settings() {
    return settings;
  }

  /** A new empty bucket; returns its URI, {@code s3a://NAME}. */
  String bucket(String prefix) throws IOException {
    String name = server.createBucket(prefix);
    buckets.add(name);
    return "s3a://" + name;
  }

  /** Copies a local file or directory to {@code target} (an s3a URI) with S3A. */
  void upload(String local, String target) throws IOException {
    fs(target).copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local),
        new org.apache.hadoop.fs.Path(target));
  }

  /** The S3A file system of the session for {@code uri}. */
  FileSystem fs(String uri) throws IOException {
    return FileSystem.get(URI.create(uri), hadoop());
  }

  /** The keys of the objects under an S3 prefix, relative to it, sorted. */
  static List<String> objects(FileSystem fs, String uri) throws IOException {
    String prefix = fs.makeQualified(new org.apache.hadoop.fs.Path(uri)).toString() + "/";
    List<String> keys = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files =
        fs.listFiles(new org.apache.hadoop.fs.Path(uri), true);
    while (files.hasNext()) {
      keys.add(files.next().getPath().toString().substring(prefix.length()));
    }
    keys.sort(null);
    return keys;
  }

  Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      for (String b : buckets) {
        FileSystem.get(URI.create("s3a://" + b), hadoop()).close();
      }
    } finally {
      restore.run();
      server.close();
    }
  }
}
