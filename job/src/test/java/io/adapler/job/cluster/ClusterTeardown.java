package io.adapler.job.cluster;

import org.apache.spark.sql.SparkSession;

/** The cluster tests' {@code @AfterAll}: the local reader session first, then the cluster. */
final class ClusterTeardown {
  private ClusterTeardown() {}

  /** Stops {@code spark} (if any), then closes {@code cluster} (if any) even when that fails. */
  static void stop(SparkSession spark, StandaloneCluster cluster) {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }
}
