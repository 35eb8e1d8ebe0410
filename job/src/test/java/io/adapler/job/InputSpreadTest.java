package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.job.input.CorpusReader;
import io.adapler.job.options.JobOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small corpus in a few uneven files (as the SpamAssassin splits: one large file, two small)
 * is read by Spark as a few splits by bytes; the job spreads it into 4 equal tasks per core so
 * that no core scores alone at the end, and keeps --partitions when given.
 */
class InputSpreadTest {

  @Test
  void fewUnevenSplitsBecomeFourEqualTasksPerCore(@TempDir Path dir) throws Exception {
    write(dir.resolve("train.jsonl"), 0, 400);
    write(dir.resolve("validation.jsonl"), 400, 50);
    write(dir.resolve("test.jsonl"), 450, 50);
    String input = dir.toAbsolutePath() + "/*.jsonl";
    var spark = JobTestSupport.spark();
    int asRead = spark.read().json(input).rdd().getNumPartitions();
    int cores = spark.sparkContext().defaultParallelism();
    assertTrue(asRead < 4 * cores, "the files come as " + asRead + " splits");

    Dataset<Row> spread = spread(options(input));
    assertEquals(4 * cores, spread.rdd().getNumPartitions());
    List<Row> sizes = spread.groupBy(functions.spark_partition_id()).count().collectAsList();
    long min = sizes.stream().mapToLong(r -> r.getLong(1)).min().orElseThrow();
    long max = sizes.stream().mapToLong(r -> r.getLong(1)).max().orElseThrow();
    assertEquals(500, sizes.stream().mapToLong(r -> r.getLong(1)).sum());
    // Round-robin from each split, at a random start: at most one row apart per split.
    assertTrue(max - min <= asRead, "round-robin: tasks of " + min + " to " + max + " rows");

    assertEquals(3, spread(options(input, "--partitions", "3")).rdd().getNumPartitions());
    // Selecting the columns reads the rows as they are, without the shuffle.
    assertEquals(asRead, CorpusReader.select(spark, options(input), true).rdd()
        .getNumPartitions());
  }

  private static Dataset<Row> spread(JobOptions o) {
    var spark = JobTestSupport.spark();
    return CorpusReader.spread(spark, o, CorpusReader.select(spark, o, true));
  }

  private static JobOptions options(String input, String... more) {
    List<String> args = new ArrayList<>(List.of("--input", input, "--input-format", "json",
        "--id-column", "id", "--output", "unused", "--bundle", JobTestSupport.tinyBundle()));
    args.addAll(List.of(more));
    return JobOptions.parse(args.toArray(String[]::new));
  }

  private static void write(Path file, int from, int n) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      lines.add("{\"id\":\"m" + i + "\",\"text\":\"mail number " + i + "\"}");
    }
    Files.write(file, lines);
  }
}
