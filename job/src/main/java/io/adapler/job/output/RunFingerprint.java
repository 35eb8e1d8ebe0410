package io.adapler.job.output;

import io.adapler.job.input.CorpusReader;
import io.adapler.job.options.JobOptions;
import io.adapler.udf.bundle.ModelBundle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.Partition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.FilePartition;
import org.apache.spark.sql.execution.datasources.PartitionedFile;

/**
 * What determines a run's output, as named values: the input (its files, sizes and
 * modification times), how it is read, the columns, the bundle's checksum, the eta scale and
 * the number of parts. A resumed run may only add parts to an output whose fingerprint equals
 * its own; otherwise the parts would come from two different computations.
 *
 * <p>Settings that do not change a row's values (device, batching, threads, partitions) are
 * left out, so that a retry may run with other resources.
 *
 * @param fields the values, in a fixed order
 */
record RunFingerprint(Map<String, String> fields) {

  RunFingerprint {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /**
   * The fingerprint of a run about to score {@code input} (the dataset {@link CorpusReader}
   * returned; only its plan is looked at, no data is read).
   */
  static RunFingerprint of(JobOptions o, ModelBundle bundle, float etaScale, Dataset<Row> input) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("parts", String.valueOf(o.parts()));
    f.put("input", o.input());
    f.put("input-format", o.inputFormat());
    if (o.inputFormat().equals("csv")) {
      f.put("csv-header", String.valueOf(o.csvHeader()));
    }
    f.put("text-column", o.textColumn());
    f.put("pair-column", o.pairColumn());
    f.put("id-column", o.idColumn());
    f.put("pass-through", String.join(",", o.passThrough()));
    f.put("max-text-chars", String.valueOf(o.maxTextChars()));
    f.put("bundle", bundle.checksum());
    f.put("eta-scale", String.valueOf(etaScale));
    if (o.rationales()) { // only when on, so that runs started before the option still resume
      f.put("rationales", "true");
    }
    inputFiles(input, o.generatedId(), f);
    return new RunFingerprint(f);
  }

  /**
   * Adds the input files as Spark planned their scan. A generated id names the file split a row
   * came from, and split boundaries follow the cluster's parallelism, so with generated ids the
   * splits count too: a retry that would number the rows differently is refused instead of
   * mixing two numberings.
   */
  private static void inputFiles(Dataset<Row> input, boolean withSplits, Map<String, String> f) {
    TreeSet<String> files = new TreeSet<>();
    TreeSet<String> splits = new TreeSet<>();
    long bytes = 0;
    List<SparkPlan> scans = new ArrayList<>();
    collectScans(input.queryExecution().sparkPlan(), scans);
    for (SparkPlan plan : scans) {
      for (Partition p : ((FileSourceScanExec) plan).inputRDD().partitions()) {
        if (!(p instanceof FilePartition fp)) {
          continue;
        }
        for (PartitionedFile pf : fp.files()) {
          if (files.add(pf.filePath() + "\t" + pf.fileSize() + "\t" + pf.modificationTime())) {
            bytes += pf.fileSize();
          }
          splits.add(pf.filePath() + "\t" + pf.start() + "\t" + pf.length());
        }
      }
    }
    if (scans.isEmpty()) { // not a file scan Spark plans itself: the listing is all there is
      files.addAll(List.of(input.inputFiles()));
    }
    f.put("input-files", String.format("%d files, %d bytes, sha256 %s", files.size(), bytes,
        sha256(String.join("\n", files)).substring(0, 16)));
    if (withSplits) {
      f.put("input-splits", String.format("%d splits, sha256 %s", splits.size(),
          sha256(String.join("\n", splits)).substring(0, 16)));
    }
  }

  private static void collectScans(SparkPlan plan, List<SparkPlan> into) {
    if (plan instanceof FileSourceScanExec) {
      into.add(plan);
    }
    scala.collection.Iterator<SparkPlan> children = plan.children().iterator();
    while (children.hasNext()) {
      collectScans(children.next(), into);
    }
  }

  /** Returns one line per value that differs, as "name: X then, Y now". */
  List<String> differencesFrom(RunFingerprint then) {
    List<String> out = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(fields.keySet());
    keys.addAll(then.fields.keySet());
    for (String k : keys) {
      String was = then.fields.getOrDefault(k, "(none)");
      String now = fields.getOrDefault(k, "(none)");
      if (!was.equals(now)) {
        out.add(k + ": " + was + " then, " + now + " now");
      }
    }
    return out;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
