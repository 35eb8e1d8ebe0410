package io.adapler.job.options;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads one option's value as the type it takes, with a message naming the option if not. */
final class OptionValues {
  private OptionValues() {}

  static String required(Map<JobOption, String> v, JobOption o) {
    String s = v.get(o);
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("--" + o.flag() + " is required: " + o.doc());
    }
    return s.strip();
  }

  static String nonEmpty(String column) {
    if (column.isBlank()) {
      throw new IllegalArgumentException("--text-column must name a column");
    }
    return column.strip();
  }

  static String oneOf(Map<JobOption, String> v, JobOption o, Set<String> allowed) {
    String s = v.get(o).strip().toLowerCase(Locale.ROOT);
    if (!allowed.contains(s)) {
      throw new IllegalArgumentException("--" + o.flag() + " must be one of " + allowed.stream()
          .sorted().toList() + ", found '" + v.get(o) + "'");
    }
    return s;
  }

  static boolean bool(Map<JobOption, String> v, JobOption o) {
    String s = v.get(o).strip().toLowerCase(Locale.ROOT);
    if (!s.equals("true") && !s.equals("false")) {
      throw new IllegalArgumentException("--" + o.flag() + " must be true or false, found '"
          + v.get(o) + "'");
    }
    return s.equals("true");
  }

  static int integer(Map<JobOption, String> v, JobOption o, int min) {
    try {
      int n = Integer.parseInt(v.get(o).strip());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new IllegalArgumentException("--" + o.flag() + " must be an integer >= " + min
        + ", found '" + v.get(o) + "'");
  }

  /** GPUs per scoring task: 0, a fraction up to 1, or a whole number (as Spark takes them). */
  static double gpuPerTask(Map<JobOption, String> v) {
    try {
      double g = Double.parseDouble(v.get(JobOption.GPU_PER_TASK).strip());
      if (g >= 0 && (g <= 1 || g == Math.rint(g)) && Double.isFinite(g)) {
        return g;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--gpu-per-task must be 0, a fraction up to 1 (tasks "
        + "share a GPU) or a whole number of GPUs, found '" + v.get(JobOption.GPU_PER_TASK)
        + "'");
  }

  /** The eta scale asked for, or null for the bundle's default. */
  static Float etaScale(Map<JobOption, String> v) {
    if (v.get(JobOption.ETA_SCALE).isBlank()) {
      return null;
    }
    try {
      float s = Float.parseFloat(v.get(JobOption.ETA_SCALE).strip());
      if (s >= 0 && Float.isFinite(s)) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--eta-scale must be a number >= 0, found '"
        + v.get(JobOption.ETA_SCALE) + "'");
  }

  static List<String> list(String csv) {
    List<String> out = new ArrayList<>();
    Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
    return List.copyOf(out);
  }
}
