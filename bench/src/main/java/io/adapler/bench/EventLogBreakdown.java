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
   * @param untilEndSeconds from the scoring stage's submission to the application's end (the
   *     job's wall time minus this is what came before the scoring stage)
   * @param scoringSeconds the scoring stage's span
   * @param tasks the scoring stage's tasks
   * @param longestTaskSeconds its longest task
   * @param meanTaskSeconds its mean task
   * @param busy share of cores x span in the scoring stage's tasks
   * @param other share of cores x span in other stages' tasks
   * @param stages stages in the log
   * @param minTaskRows the fewest rows a scoring task read
   * @param maxTaskRows the most rows a scoring task read
   * @param imbalance the scoring stage's span on idle cores, from its tasks' CPU times
   *     scheduled in launch order on the cores, over the balanced span (CPU time / cores); 1
   *     is perfect. CPU time does not count waiting for a busy machine, so this holds on a
   *     shared one
   * @param otherCpuShare CPU time of the other stages' tasks (schema inference, the progress
   *     count, shuffle writes) over the scoring stage's
   */
  record Figures(double untilEndSeconds, double scoringSeconds, int tasks,
      double longestTaskSeconds, double meanTaskSeconds, double busy, double other, int stages,
      long minTaskRows, long maxTaskRows, double imbalance, double otherCpuShare) {

    double idle() {
      return Math.max(0, 1 - busy - other);
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scoring_start_to_end_seconds", untilEndSeconds);
      m.put("scoring_stage_seconds", scoringSeconds);
      m.put("scoring_tasks", tasks);
      m.put("longest_task_seconds", longestTaskSeconds);
      m.put("mean_task_seconds", meanTaskSeconds);
      m.put("core_share_scoring_tasks", busy);
      m.put("core_share_other_jobs", other);
      m.put("core_share_idle", idle());
      m.put("stages", stages);
      m.put("scoring_task_rows_min", minTaskRows);
      m.put("scoring_task_rows_max", maxTaskRows);
      m.put("imbalance_from_cpu_times", imbalance);
      m.put("other_stages_cpu_over_scoring_cpu", otherCpuShare);
      return m;
    }

    /** A Markdown row of medians over runs; wall comes from the job's summary. */
    static String medianRow(String name, List<Figures> figs, double wall) {
      return String.format("| %s | %.1f | %.1f s | %.1f s | %.1f s | %.0f (%.0f-%.0f rows) |"
          + " %.1f%% | %.1f%% | %.1f%% | **%.3f** | %.1f%% |%n", name, wall,
          wall - med(figs, Figures::untilEndSeconds), med(figs, Figures::scoringSeconds),
          med(figs, Figures::untilEndSeconds) - med(figs, Figures::scoringSeconds),
          med(figs, f -> f.tasks()), med(figs, f -> f.minTaskRows()),
          med(figs, f -> f.maxTaskRows()), 100 * med(figs, Figures::busy),
          100 * med(figs, Figures::other), 100 * med(figs, Figures::idle),
          med(figs, Figures::imbalance), 100 * med(figs, Figures::otherCpuShare));
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
    Path file; // Spark 4 writes a rolling log by default: a directory of events_N_ files
    try (var files = Files.walk(dir)) {
      file = files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith(".")
              && !f.getFileName().toString().startsWith("appstatus"))
          .sorted().findFirst().orElse(null);
    }
    if (file == null) {
      return null;
    }
    ObjectMapper json = new ObjectMapper();
    long appEnd = -1;
    Map<Integer, long[]> stageSpan = new HashMap<>();
    Map<Integer, List<long[]>> tasks = new HashMap<>(); // launch, finish, cpu ns, rows
    try (BufferedReader in = Files.newBufferedReader(file)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode e = json.readTree(line);
        switch (e.path("Event").asText()) {
          case "SparkListenerApplicationEnd" -> appEnd = e.path("Timestamp").asLong();
          case "SparkListenerStageCompleted" -> {
            JsonNode i = e.path("Stage Info");
            stageSpan.put(i.path("Stage ID").asInt(), new long[] {
                i.path("Submission Time").asLong(), i.path("Completion Time").asLong()});
          }
          case "SparkListenerTaskEnd" -> {
            JsonNode i = e.path("Task Info");
            JsonNode m = e.path("Task Metrics");
            long rows = m.path("Input Metrics").path("Records Read").asLong()
                + m.path("Shuffle Read Metrics").path("Total Records Read").asLong();
            tasks.computeIfAbsent(e.path("Stage ID").asInt(), k -> new ArrayList<>())
                .add(new long[] {i.path("Launch Time").asLong(), i.path("Finish Time").asLong(),
                    m.path("Executor CPU Time").asLong(), rows});
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
    if (scoring < 0 || appEnd < 0) {
      return null;
    }
    long[] span = stageSpan.get(scoring);
    double window = Math.max(1, span[1] - span[0]) * (double) cores;
    double other = 0;
    double otherCpu = 0;
    for (var t : tasks.entrySet()) {
      if (t.getKey() != scoring) {
        for (long[] x : t.getValue()) {
          other += Math.max(0, Math.min(x[1], span[1]) - Math.max(x[0], span[0]));
          otherCpu += x[2];
        }
      }
    }
    List<long[]> st = tasks.get(scoring);
    long[] durations = st.stream().mapToLong(x -> x[1] - x[0]).toArray();
    long[] rows = st.stream().mapToLong(x -> x[3]).toArray();
    double cpu = st.stream().mapToDouble(x -> x[2]).sum();
    return new Figures((appEnd - span[0]) / 1e3, (span[1] - span[0]) / 1e3, durations.length,
        Arrays.stream(durations).max().orElse(0) / 1e3,
        Arrays.stream(durations).average().orElse(0) / 1e3, most / window, other / window,
        stageSpan.size(), Arrays.stream(rows).min().orElse(0), Arrays.stream(rows).max().orElse(0),
        imbalance(st, cores), cpu > 0 ? otherCpu / cpu : 0);
  }

  /**
   * The span of tasks of the given CPU times, each started in launch order on the first free
   * core, over their total CPU time spread evenly on the cores.
   */
  static double imbalance(List<long[]> tasks, int cores) {
    List<long[]> ordered = new ArrayList<>(tasks);
    ordered.sort(java.util.Comparator.comparingLong(x -> x[0]));
    double[] free = new double[Math.max(1, cores)];
    double total = 0;
    for (long[] t : ordered) {
      int k = 0;
      for (int c = 1; c < free.length; c++) {
        if (free[c] < free[k]) {
          k = c;
        }
      }
      free[k] += t[2];
      total += t[2];
    }
    double span = Arrays.stream(free).max().orElse(0);
    return total > 0 ? span / (total / free.length) : 1;
  }
}
