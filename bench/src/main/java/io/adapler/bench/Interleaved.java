package io.adapler.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs named trials round-robin for a number of repetitions, after one warm-up round, so that
 * drift on a shared machine hits every trial alike. Each trial returns seconds.
 */
final class Interleaved {
  /** One measured thing. */
  @FunctionalInterface
  interface Trial {
    double seconds() throws Exception;
  }

  private final Map<String, Trial> trials = new LinkedHashMap<>();

  Interleaved add(String name, Trial trial) {
    trials.put(name, trial);
    return this;
  }

  /**
   * Runs a warm-up round, then {@code reps} measured rounds.
   *
   * @return each trial's seconds, one per repetition
   */
  Map<String, Samples> run(int reps, String section) throws Exception {
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (String name : trials.keySet()) {
      trials.get(name).seconds();
      seconds.put(name, new ArrayList<>());
    }
    for (int r = 0; r < reps; r++) {
      Map<String, Double> groups = new LinkedHashMap<>(); // "eta0/3" prints within "eta0"
      for (Map.Entry<String, Trial> t : trials.entrySet()) {
        double s = t.getValue().seconds();
        seconds.get(t.getKey()).add(s);
        groups.merge(t.getKey().split("/")[0], s, Double::sum);
      }
      StringBuilder line = new StringBuilder();
      groups.forEach((name, s) -> line.append(String.format(" %s %.2fs", name, s)));
      System.out.printf("  [%s] round %d/%d:%s%n", section, r + 1, reps, line);
    }
    Map<String, Samples> out = new LinkedHashMap<>();
    seconds.forEach((k, v) -> out.put(k,
        Samples.of(v.stream().mapToDouble(Double::doubleValue).toArray())));
    return out;
  }
}
