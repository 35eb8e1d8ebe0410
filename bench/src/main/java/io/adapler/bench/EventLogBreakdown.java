package io.adapler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Where a job run's time went, from Spark's event log (uncompressed JSON lines): the scoring
 * stage is the stage whose tasks ran longest in total; around it, the time before it was
 * submitted (from the application's start) and its own span; within its span, how much of the
 * cores' time its tasks used, how much other stages' tasks used (another job beside it, such
 * as the progress report's count) and how much was idle (cores waiting for the stage's last
 * tasks).
 */
final class EventLogBreakdown {
  private EventLogBreakdown() {}

  /**
   * One run's figures.
   *
   * @param beforeSeconds from the application's start to the scoring stage's submission
   * @param scoringSeconds the scoring stage's span
   * @param tasks the scoring stage's tasks
   * @param longestTaskSeconds its longest task
   * @param meanTaskSeconds its mean task
   * @param busy share of cores x span in the scoring stage's tasks
   * @param other share of cores x span in other stages' tasks
   * @param stages stages in the log
   */
  record Figures(double beforeSeconds, double scoringSeconds, int tasks,
      double longestTaskSeconds, double meanTaskSeconds, double busy, double other, int stages) {

    double idle() {
      return Math.max(0, 1 - busy - other);
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("before_scoring_seconds", beforeSeconds);
      m.put("scoring_stage_seconds", scoringSeconds);
      m.put("scoring_tasks", tasks);
      m.put("longest_task_seconds", longestTaskSeconds);
      m.put("mean_task_seconds", meanTaskSeconds);
      m.put("core_share_scoring_tasks", busy);
      m.put("core_share_other_jobs", other);
      m.put("core_share_idle", idle());
      m.put("stages", stages);
      return m;
    }

    /** A Markdown row of medians over runs; wall comes from the job's summary. */
    static String medianRow(String name, List<Figures> figs, double wall) {
      return String.format("| %s | %.1f | %.1f s | %.1f s | %.1f s | %.0f | %.1f / %.1f s"
          + " | %.1f%% | %.1f%% | %.1f%% |%n", name, wall, med(figs, Figures::beforeSeconds),
          med(figs, Figures::scoringSeconds),
          wall - med(figs, Figures::beforeSeconds) - med(figs, Figures::scoringSeconds),
          med(figs, f -> f.tasks()), med(figs, Figures::longestTaskSeconds),
          med(figs, Figures::meanTaskSeconds), 100 * med(figs, Figures::busy),
          100 * med(figs, Figures::other), 100 * med(figs, Figures::idle));
    }

    private static double med(List<Figures> figs, ToDoubleFunction<Figures> f) {
      return Samples.of(figs.stream().mapToDouble(f).toArray()).median();
    }
  }

  /**
   * Reads the one event log under {@code dir}.
   *
   * @param cores the cores the tasks ran on
   * @return the figures, or null when there is no log or no stage in it
   */
  static Figures read(Path dir, int cores) throws IOException {
    Path file;
    try (var files = Files.list(dir)) {
      file = files.filter(Files::isRegularFile).findFirst().orElse(null);
    }
    if (file == null) {
      return null;
    }
    ObjectMapper json = new ObjectMapper();
    long appStart = -1;
    Map<Integer, long[]> stageSpan = new HashMap<>();
    Map<Integer, List<long[]>> tasks = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode e = json.readTree(line);
        switch (e.path("Event").asText()) {
          case "SparkListenerApplicationStart" -> appStart = e.path("Timestamp").asLong();
          case "SparkListenerStageCompleted" -> {
            JsonNode i = e.path("Stage Info");
            stageSpan.put(i.path("Stage ID").asInt(), new long[] {
                i.path("Submission Time").asLong(), i.path("Completion Time").asLong()});
          }
          case "SparkListenerTaskEnd" -> {
            JsonNode i = e.path("Task Info");
            tasks.computeIfAbsent(e.path("Stage ID").asInt(), k -> new ArrayList<>())
                .add(new long[] {i.path("Launch Time").asLong(), i.path("Finish Time").asLong()});
          }
          default -> { }
        }
      }
    }
    int scoring = -1;
    long most = -1;
    for (var t : tasks.entrySet()) {
      long total = t.getValue().stream().mapToLong(x -> x[1] - x[0]).sum();
      if (total > most && stageSpan.containsKey(t.getKey())) {
        most = total;
        scoring = t.getKey();
      }
    }
    if (scoring < 0 || appStart < 0) {
      return null;
    }
    long[] span = stageSpan.get(scoring);
    double window = Math.max(1, span[1] - span[0]) * (double) cores;
    double other = 0;
    for (var t : tasks.entrySet()) {
      if (t.getKey() != scoring) {
        for (long[] x : t.getValue()) {
          other += Math.max(0, Math.min(x[1], span[1]) - Math.max(x[0], span[0]));
        }
      }
    }
    long[] durations = tasks.get(scoring).stream().mapToLong(x -> x[1] - x[0]).toArray();
    return new Figures((span[0] - appStart) / 1e3, (span[1] - span[0]) / 1e3, durations.length,
        Arrays.stream(durations).max().orElse(0) / 1e3,
        Arrays.stream(durations).average().orElse(0) / 1e3, most / window, other / window,
        stageSpan.size());
  }
}
