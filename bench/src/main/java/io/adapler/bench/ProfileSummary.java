package io.adapler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One ONNX Runtime profile (the JSON trace {@code SessionOptions.enableProfiling} writes) summed
 * by operator type over the runs after the warm-up: kernel time per type and the runs' total.
 *
 * @param runs the runs counted
 * @param runMicros the runs' total time ({@code model_run} events), microseconds
 * @param kernelMicros kernel time per operator type, microseconds
 */
record ProfileSummary(int runs, long runMicros, Map<String, Long> kernelMicros) {

  /** Reads a profile, skipping the first {@code warmup} runs and every node event inside them. */
  static ProfileSummary read(Path profile, int warmup) throws IOException {
    JsonNode events = new ObjectMapper().readTree(profile.toFile());
    List<JsonNode> runs = new ArrayList<>();
    for (JsonNode e : events) {
      if ("Session".equals(e.path("cat").asText()) && "model_run".equals(e.path("name").asText())) {
        runs.add(e);
      }
    }
    if (runs.size() <= warmup) {
      throw new IllegalArgumentException(profile + " holds " + runs.size() + " runs, no more than"
          + " the " + warmup + " warm-up runs");
    }
    runs.sort((a, b) -> Long.compare(a.path("ts").asLong(), b.path("ts").asLong()));
    JsonNode last = warmup == 0 ? null : runs.get(warmup - 1);
    long cut = last == null ? Long.MIN_VALUE : last.path("ts").asLong() + last.path("dur").asLong();
    long total = 0;
    for (JsonNode r : runs.subList(warmup, runs.size())) {
      total += r.path("dur").asLong();
    }
    Map<String, Long> kernels = new TreeMap<>();
    for (JsonNode e : events) {
      if ("Node".equals(e.path("cat").asText()) && e.path("name").asText().endsWith("_kernel_time")
          && e.path("ts").asLong() >= cut) {
        kernels.merge(e.path("args").path("op_name").asText("?"), e.path("dur").asLong(), Long::sum);
      }
    }
    return new ProfileSummary(runs.size() - warmup, total, kernels);
  }

  long kernelTotal() {
    return kernelMicros.values().stream().mapToLong(Long::longValue).sum();
  }

  double perRowMs(long micros) {
    return micros / 1000.0 / runs;
  }

  /** A Markdown table of two profiles side by side, operator types by the first's time. */
  static String table(ProfileSummary ours, ProfileSummary plain) {
    Set<String> ops = new LinkedHashSet<>();
    ours.kernelMicros.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> ops.add(e.getKey()));
    plain.kernelMicros.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> ops.add(e.getKey()));
    StringBuilder out = new StringBuilder();
    out.append("| operator type | bundle, ms per row | share | plain graph, ms per row | share |\n");
    out.append("|---|---|---|---|---|\n");
    for (String op : ops) {
      out.append(row(op, ours, ours.kernelMicros.getOrDefault(op, 0L), plain,
          plain.kernelMicros.getOrDefault(op, 0L)));
    }
    out.append(row("outside kernels (per-call overhead)", ours,
        ours.runMicros - ours.kernelTotal(), plain, plain.runMicros - plain.kernelTotal()));
    out.append(row("**session run, total**", ours, ours.runMicros, plain, plain.runMicros));
    out.append(String.format("%nplain graph's time over the bundle's: %.3f%n",
        plain.perRowMs(plain.runMicros) / ours.perRowMs(ours.runMicros)));
    return out.toString();
  }

  private static String row(String name, ProfileSummary a, long am, ProfileSummary b, long bm) {
    return String.format("| %s | %s | %s | %s | %s |%n", name, ms(a, am), share(a, am), ms(b, bm),
        share(b, bm));
  }

  private static String ms(ProfileSummary p, long micros) {
    return micros == 0 ? "-" : String.format("%.3f", p.perRowMs(micros));
  }

  private static String share(ProfileSummary p, long micros) {
    return micros == 0 ? "-" : String.format("%.1f%%", 100.0 * micros / p.runMicros);
  }
}
