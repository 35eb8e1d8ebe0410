package io.adapler.job.storage;

import io.adapler.job.JobTestSupport;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark settings of {@code conf/spark-s3.conf} as a user passes them with
 * {@code --properties-file}, with the commented lines a user of an S3-compatible store
 * uncomments (endpoint, region, path-style requests, single-object deletes, keys) filled in for
 * an {@link S3Server}. The tests run with these settings, so the file a user starts from is
 * the file that was tested; a commented key the tests need that the file lacks fails them.
 */
final class S3Settings {
  private static final Pattern COMMENTED = Pattern.compile("^#(spark\\.\\S+)\\s+\\S.*$");
  private final Map<String, String> values;

  private S3Settings(Map<String, String> values) {
    this.values = values;
  }

  /** The file's settings, and its commented ones for an S3-compatible store at the server. */
  static S3Settings forServer(S3Server server) throws IOException {
    S3Settings s = new S3Settings(new TreeMap<>(active()));
    return s.uncomment("spark.hadoop.fs.s3a.endpoint", server.endpoint())
        .uncomment("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
        .uncomment("spark.hadoop.fs.s3a.path.style.access", "true")
        .uncomment("spark.hadoop.fs.s3a.multiobjectdelete.enable", "false")
        .uncomment("spark.hadoop.fs.s3a.access.key", server.accessKey())
        .uncomment("spark.hadoop.fs.s3a.secret.key", server.secretKey());
  }

  /** The settings the file makes: its uncommented lines. */
  static Map<String, String> active() throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text()));
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).strip()));
    return out;
  }

  /** The keys of the file's commented settings ({@code #spark.x value}). */
  static List<String> commented() throws IOException {
    List<String> keys = new ArrayList<>();
    for (String line : text().split("\n")) {
      Matcher m = COMMENTED.matcher(line);
      if (m.matches()) {
        keys.add(m.group(1));
      }
    }
    return keys;
  }

  private static String text() throws IOException {
    return Files.readString(JobTestSupport.root().resolve("conf/spark-s3.conf"),
        StandardCharsets.UTF_8);
  }

  /** These settings with a commented line of the file uncommented, with the given value. */
  private S3Settings uncomment(String key, String value) throws IOException {
    if (!commented().contains(key)) {
      throw new IllegalStateException("conf/spark-s3.conf has no commented line for " + key
          + "; its commented settings are " + commented());
    }
    return with(key, value);
  }

  /** These settings with one more, or one replaced. */
  S3Settings with(String key, String value) {
    Map<String, String> v = new TreeMap<>(values);
    v.put(key, value);
    return new S3Settings(v);
  }

  /** The settings as JVM system properties, which the SparkConf of a child JVM reads. */
  List<String> systemProperties() {
    List<String> out = new ArrayList<>();
    values.forEach((k, v) -> out.add("-D" + k + "=" + v));
    return out;
  }

  /**
   * Puts the settings into a running session, as {@code --properties-file} would at its start:
   * {@code spark.hadoop.*} into the SparkContext's Hadoop configuration, the rest into the
   * session's SQL configuration.
   *
   * @return what restores the values there were before
   */
  Runnable applyTo(SparkSession spark) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Map<String, String> before = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(HADOOP)) {
        before.put(k, hadoop.get(k.substring(HADOOP.length())));
        hadoop.set(k.substring(HADOOP.length()), v);
      } else {
        before.put(k, spark.conf().getOption(k).getOrElse(() -> null));
        spark.conf().set(k, v);
      }
    });
    return () -> before.forEach((k, v) -> {
      if (k.startsWith(HADOOP) && v == null) {
        hadoop.unset(k.substring(HADOOP.length()));
      } else if (k.startsWith(HADOOP)) {
        hadoop.set(k.substring(HADOOP.length()), v);
      } else if (v == null) {
        spark.conf().unset(k);
      } else {
        spark.conf().set(k, v);
      }
    });
  }

  private static final String HADOOP = "spark.hadoop.";
}
