package io.adapler.job.storage;

import io.adapler.job.ChildJob;
import io.adapler.job.ScoringJob;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.spark.internal.io.cloud.PathOutputCommitProtocol;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.s3.analyticsaccelerator.request.ObjectClient;

/**
 * {@link ScoringJob} in a child JVM in local mode, as {@code submit.sh} runs it without
 * {@code $SPARK_HOME} (the module's classes, {@code target/local-classpath.txt}, the opens of
 * {@code conf/java17-opens.txt}), plus the four jars {@code conf/spark-s3.conf} tells a user
 * to add ({@link #S3_JARS}) and its settings as system properties, which the child's SparkConf
 * reads as {@code --properties-file} would have set them.
 */
final class S3ChildJob {
  /**
   * What a user adds for s3a, by a class of each jar: the S3A connector, the AWS SDK bundle, the
   * S3 analytics accelerator (S3A 3.5.0 loads it whatever the input stream type), Spark's
   * committer binding.
   */
  static final List<Class<?>> S3_JARS = List.of(S3AFileSystem.class, S3Client.class,
      ObjectClient.class, PathOutputCommitProtocol.class);

  private S3ChildJob() {}

  /** Starts the job; {@code LABEL.out} and {@code LABEL.err} go to {@code logs}. */
  static ChildJob start(Path logs, String label, S3Settings settings, List<String> args)
      throws IOException {
    Path build = S3Server.buildDir();
    List<String> classpath = new ArrayList<>(List.of(build.resolve("classes").toString()));
    for (Class<?> c : S3_JARS) {
      classpath.add(jarOf(c).toString());
    }
    classpath.add(ChildJob.readClasspath(build.resolve("local-classpath.txt")));
    return ChildJob.start(logs, label, String.join(File.pathSeparator, classpath),
        settings.systemProperties(), ScoringJob.class.getName(), args);
  }

  /** The jar (or directory) a class was loaded from. */
  static Path jarOf(Class<?> c) {
    try {
      return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
