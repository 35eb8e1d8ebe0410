package io.adapler.job;

import org.apache.spark.sql.SparkSession;

/**
 * Creates an Iceberg table from a JSON Lines file, partitioned by a column: the input of a job
 * run that reads a table through a catalog. Run in a child JVM on a Spark line that Iceberg
 * has a runtime for, with the catalog set as {@code -Dspark.sql.catalog.*} properties; it uses
 * Spark SQL only, so one build serves every line.
 */
final class IcebergCorpusTable {
  private IcebergCorpusTable() {}

  /** Arguments: the JSON Lines file, the table name, the partition column. */
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("iceberg-corpus").master("local[1]")
        .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    try {
      spark.read().json(args[0]).createOrReplaceTempView("corpus");
      spark.sql("CREATE TABLE " + args[1] + " USING iceberg PARTITIONED BY (" + args[2]
          + ") AS SELECT * FROM corpus");
      System.out.println("created " + args[1] + " with "
          + spark.table(args[1]).count() + " rows");
    } finally {
      spark.stop();
    }
  }
}
