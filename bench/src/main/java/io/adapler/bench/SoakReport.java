package io.adapler.bench;

import io.adapler.bench.MemorySampler.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The soak's verdict from its samples. Warm-up (JIT, ONNX Runtime's arena reaching the
 * largest batch, Spark's first tasks) is the first {@code warmupFraction} of the rows; the
 * baseline is the median of the {@code window} samples from there on, the final figure the
 * median of the last {@code window} samples. Medians, because one sample can land on a
 * transient (a task's chunk in flight, a GC that just ran). The run passes when the final
 * resident memory exceeds the baseline by at most {@code maxGrowth}.
 *
 * @param samples in row order; the first at 0 rows, the last after the job
 * @param warmupIndex the first sample at or after the warm-up's end
 * @param rows rows scored
 * @param seconds wall time of the scoring job
 * @param peakRssMiB the process's resident high-water mark (VmHWM), between samples too
 * @param modelBytes the bundle's model.onnx
 * @param bundleBytes every file of the bundle
 * @param window samples per median
 * @param maxGrowth the growth that passes
 */
record SoakReport(List<Sample> samples, int warmupIndex, long rows, double seconds,
    double peakRssMiB, long modelBytes, long bundleBytes, int window, double maxGrowth) {

  static SoakReport of(List<Sample> samples, double warmupFraction, long rows, double seconds,
      double peakRssMiB, long modelBytes, long bundleBytes, int window, double maxGrowth) {
    int w = 0;
    while (w < samples.size() - 1 && samples.get(w).rows() < warmupFraction * rows) {
      w++;
    }
    w = Math.max(w, 1); // the sample at 0 rows is before anything ran
    if (samples.size() - w < 2 * window) {
      throw new IllegalStateException("only " + (samples.size() - w) + " samples after"
          + " warm-up, expected at least " + 2 * window + ": lower --window or raise --samples");
    }
    return new SoakReport(List.copyOf(samples), w, rows, seconds, peakRssMiB, modelBytes,
        bundleBytes, window, maxGrowth);
  }

  double baselineRss() {
    return median(samples.subList(warmupIndex, warmupIndex + window), Sample::rssMiB);
  }

  double finalRss() {
    return median(samples.subList(samples.size() - window, samples.size()), Sample::rssMiB);
  }

  double growth() {
    return finalRss() / baselineRss() - 1;
  }

  /** The largest sample after warm-up, against the baseline. */
  double maxRssAfterWarmup() {
    return samples.subList(warmupIndex, samples.size()).stream()
        .mapToDouble(Sample::rssMiB).max().orElseThrow();
  }

  double baselineHeap() {
    return median(samples.subList(warmupIndex, warmupIndex + window), Sample::heapMiB);
  }

  double finalHeap() {
    return median(samples.subList(samples.size() - window, samples.size()), Sample::heapMiB);
  }

  boolean passed() {
    return growth() <= maxGrowth;
  }

  /** One line with every figure, for logs and assertion messages. */
  String verdict() {
    Sample base = samples.get(warmupIndex);
    Sample last = samples.get(samples.size() - 1);
    return String.format(Locale.ROOT, "%s: resident memory after warm-up (%,d rows) %.1f MiB,"
        + " final %.1f MiB (medians of %d samples): growth %+.2f%% (limit %+.0f%%); single"
        + " samples %.1f -> %.1f MiB (%+.2f%%), max after warm-up %.1f MiB (%+.2f%%); heap after"
        + " GC %.1f -> %.1f MiB; peak RSS %.1f MiB = %.1fx model.onnx (%.1f MiB), %.1fx the"
        + " bundle (%.1f MiB); %,d rows in %.0f s (%.1f rows/s)",
        passed() ? "PASS" : "FAIL", base.rows(), baselineRss(), finalRss(), window,
        100 * growth(), 100 * maxGrowth, base.rssMiB(), last.rssMiB(),
        100 * (last.rssMiB() / base.rssMiB() - 1), maxRssAfterWarmup(),
        100 * (maxRssAfterWarmup() / baselineRss() - 1), baselineHeap(), finalHeap(),
        peakRssMiB, peakRssMiB / mib(modelBytes), mib(modelBytes),
        peakRssMiB / mib(bundleBytes), mib(bundleBytes), rows, seconds, rows / seconds);
  }

  String markdown() {
    StringBuilder md = new StringBuilder("| rows | s | heap after GC, MiB | non-heap, MiB"
        + " | direct, MiB | RSS, MiB | |\n|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      String note = i == warmupIndex ? "warm-up ends"
          : i == samples.size() - 1 ? "after the job" : "";
      md.append(String.format(Locale.ROOT, "| %,d | %.0f | %.1f | %.1f | %.1f | %.1f | %s |%n",
          s.rows(), s.seconds(), s.heapMiB(), s.nonHeapMiB(), s.directMiB(), s.rssMiB(), note));
    }
    return md.append('\n').append(verdict()).append('\n').toString();
  }

  Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("passed", passed());
    j.put("rows", rows);
    j.put("seconds", seconds);
    j.put("warmup_rows", samples.get(warmupIndex).rows());
    j.put("baseline_rss_mib", baselineRss());
    j.put("final_rss_mib", finalRss());
    j.put("growth", growth());
    j.put("max_growth", maxGrowth);
    j.put("max_rss_after_warmup_mib", maxRssAfterWarmup());
    j.put("peak_rss_mib", peakRssMiB);
    j.put("baseline_heap_mib", baselineHeap());
    j.put("final_heap_mib", finalHeap());
    j.put("model_onnx_bytes", modelBytes);
    j.put("bundle_bytes", bundleBytes);
    j.put("samples", samples);
    return j;
  }

  private static double median(List<Sample> s, ToDoubleFunction<Sample> f) {
    return Samples.of(s.stream().mapToDouble(f).toArray()).median();
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
