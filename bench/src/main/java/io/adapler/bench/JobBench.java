package io.adapler.bench;

import io.adapler.udf.tokenize.TextRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job the way a user runs it: {@code ./submit.sh} in local mode, a cold JVM of its own per
 * run, on the SpamAssassin mails as prepared (three JSON Lines files), against the baseline
 * (the plain graph, one row per call, same threads) on the same mails in this JVM, round by
 * round. The job's rows/s is its summary's: read, score and write over the wall time of the
 * run, without the JVM's and the Spark session's start-up. Each variant (extra job options,
 * environment) is one more cold run per round, so that the breakdown names what each lead is
 * worth; Spark's event log of each run says where the wall time went (before, during and after
 * the scoring stage, and how busy the cores were during it).
 */
final class JobBench {
  private static final Pattern THROUGHPUT = Pattern.compile(
      "throughput\\s+([\\d,.]+) rows/s, ([\\d,.]+) tokens/s, wall ([\\d,.]+) s");
  private static final Pattern ROWS = Pattern.compile("(?m)^rows\\s+([\\d,]+)");
  private static final Pattern FLOPS = Pattern.compile("(?m)^FLOPs speedup\\s+([\\d,.]+)x");
  /** HotSpot's -XX:+CITime report at exit: the compiler threads' time over the whole run. */
  private static final Pattern JIT = Pattern.compile("Total compilation time\\s*:\\s*([\\d.]+) s");

  private JobBench() {}

  /** What one cold run reported. */
  record Run(double rowsPerSecond, double tokensPerSecond, double wallSeconds, long rows,
      double flopsSpeedup, double jitSeconds, double processSeconds,
      EventLogBreakdown.Figures breakdown) {}

  /** The section and the first variant's throughput over the baseline's (median). */
  record Result(Section section, double defaultOverBaseline) {}

  static Result run(BenchSettings s, PlainGraph baseline, Path work) throws Exception {
    JobInput jobInput = JobInput.prepare(s.data(), s.jobRows(), work);
    String input = jobInput.path();
    List<TextRow> rows = jobInput.rows();
    int n = rows.size();
    List<JobVariant> variants = s.jobVariants();
    BaselineTrial base = new BaselineTrial(baseline,
        new BenchCorpus(ids(n), rows).shares(s.callers()));
    long baseTokens = BaselineTrial.tokens(baseline, rows);
    // Warm the baseline (JIT, session arena) on a few rows; each job run is cold by design.
    new BaselineTrial(baseline, new BenchCorpus(ids(Math.min(n, 50)), rows.subList(0,
        Math.min(n, 50))).shares(s.callers())).seconds();
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    variants.forEach(v -> runs.put(v.name(), new ArrayList<>()));
    double[] baseSeconds = new double[s.sideReps()];
    for (int r = 0; r < s.sideReps(); r++) {
      StringBuilder line = new StringBuilder();
      for (JobVariant v : variants) {
        Run run = cold(s, input, v, work, r);
        if (run.rows() != n) {
          throw new IllegalStateException("job " + v.name() + " scored " + run.rows()
              + " rows of " + n);
        }
        runs.get(v.name()).add(run);
        line.append(String.format(" %s %.1f rows/s (wall %.1fs, process %.1fs)", v.name(),
            run.rowsPerSecond(), run.wallSeconds(), run.processSeconds()));
      }
      baseSeconds[r] = base.seconds();
      line.append(String.format(" baseline %.1f rows/s", n / baseSeconds[r]));
      System.out.printf("  [job] round %d/%d:%s%n", r + 1, s.sideReps(), line);
    }
    Samples baseRate = Samples.of(baseSeconds).inverted(n);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("input", input);
    json.put("rows", n);
    json.put("baseline_tokens", baseTokens);
    json.put("rows_per_second_baseline", baseRate.toJson());
    json.put("tokens_per_second_baseline", Samples.of(baseSeconds).inverted(baseTokens).toJson());
    List<Map<String, Object>> list = new ArrayList<>();
    StringBuilder md = new StringBuilder(String.format("""
        ## The job as a user runs it, against the baseline

        `./submit.sh` in local mode (local[*], %d cores), a cold JVM per run: %s (%,d mails,
        JSON Lines) at eta_scale %s, the job's own rows/s (read, score, write over its wall
        time; JVM and Spark start-up excluded). Baseline: the plain all-MiniLM-L6-v2 graph,
        one row per call, %d callers, on the same mails in the bench's JVM, in the same rounds.
        JIT compiling: the job JVM's compiler threads over the whole run (-XX:+CITime), CPU
        that competes with the scoring. %d rounds; median (min-max); ratio paired by round.

        | run | rows/s | tokens/s | wall s | JIT compiling, s | rows/s / baseline's |
        |---|---|---|---|---|---|
        | baseline (plain graph, per row) | %s | %s | %s | | 1.000 |
        """, s.callers(), input, n, s.jobEtaScale(), s.callers(), s.sideReps(),
        baseRate.format("%.1f"), Samples.of(baseSeconds).inverted(baseTokens).format("%.0f"),
        Samples.of(baseSeconds).format("%.1f")));
    StringBuilder where = new StringBuilder("""

        Where each run's wall time went (Spark's event log, medians): before the scoring stage
        (Spark SQL's first use, the bundle's check, JSON schema inference, the runtime's
        opening, the read-and-shuffle stage), the scoring stage, after it (write commit,
        summary); in the scoring stage, the share of core time in scoring tasks, in other jobs'
        tasks (the progress report's count) and idle (cores whose tasks are done, waiting for
        the last one). Wall shares move with the machine's load; the last two columns come
        from CPU times and hold on a shared machine: the scoring stage's span on idle cores
        over a perfectly balanced one (its tasks' CPU times scheduled in launch order), and
        the CPU the other stages took beside the scoring.

        | run | wall s | before scoring | scoring stage | after | scoring tasks | core busy in scoring | other jobs | idle | imbalance (CPU times) | other stages' CPU / scoring's |
        |---|---|---|---|---|---|---|---|---|---|---|
        """);
    List<RealisedSpeedup.Run> realised = new ArrayList<>();
    for (JobVariant v : variants) {
      List<Run> rs = runs.get(v.name());
      Samples rate = Samples.of(rs.stream().mapToDouble(Run::rowsPerSecond).toArray());
      realised.add(new RealisedSpeedup.Run(v.name(), rate, rs.get(0).flopsSpeedup()));
      Samples tokens = Samples.of(rs.stream().mapToDouble(Run::tokensPerSecond).toArray());
      Samples wall = Samples.of(rs.stream().mapToDouble(Run::wallSeconds).toArray());
      Samples ratio = rate.over(baseRate);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("variant", v.name());
      m.put("args", v.args());
      m.put("env", v.env());
      m.put("rows_per_second", rate.toJson());
      m.put("tokens_per_second", tokens.toJson());
      m.put("wall_seconds", wall.toJson());
      m.put("ratio_to_baseline", ratio.toJson());
      List<EventLogBreakdown.Figures> figs = rs.stream().map(Run::breakdown)
          .filter(f -> f != null).toList();
      m.put("breakdown", figs.stream().map(EventLogBreakdown.Figures::toJson).toList());
      list.add(m);
      Samples jit = Samples.of(rs.stream().mapToDouble(Run::jitSeconds).toArray());
      m.put("jit_seconds", jit.toJson());
      md.append(String.format("| %s | %s | %s | %s | %s | **%s** |%n", v.describe(),
          rate.format("%.1f"), tokens.format("%.0f"), wall.format("%.1f"), jit.format("%.1f"),
          ratio.format("%.3f")));
      if (!figs.isEmpty()) {
        where.append(EventLogBreakdown.Figures.medianRow(v.name(), figs, wall.median()));
      }
    }
    json.put("runs", list);
    json.put("realised_over_flops", RealisedSpeedup.toJson(realised));
    md.append(RealisedSpeedup.markdown(realised));
    double first = realised.get(0).rowsPerSecond().over(baseRate).median();
    return new Result(new Section("job", json, md.append(where).toString()), first);
  }

  /** A file's non-blank lines, trimmed: one JVM option each. */
  private static List<String> lines(String path) throws IOException {
    return Files.readAllLines(Path.of(path)).stream().map(String::trim)
        .filter(l -> !l.isEmpty()).toList();
  }

  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(String.valueOf(i));
    }
    return ids;
  }

  /** Runs the job in a JVM of its own, the way submit.sh does without $SPARK_HOME. */
  private static Run cold(BenchSettings s, String input, JobVariant v, Path work, int round)
      throws Exception {
    String tag = v.name().replaceAll("[^A-Za-z0-9]+", "-") + "-" + round;
    Path events = work.resolve("events-" + tag);
    Files.createDirectories(events);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // submit.sh's JVM options, or a variant's JAVA_OPTS in their place (as submit.sh does).
    String javaOpts = v.env().get("JAVA_OPTS");
    cmd.addAll(javaOpts != null ? List.of(javaOpts.split(",")) : lines("conf/local-jvm-options.txt"));
    cmd.addAll(lines("conf/java17-opens.txt"));
    cmd.add("-XX:+CITime"); // the JIT's time, printed at exit: what C2 costs a short run
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath());
    cmd.add("-Dspark.eventLog.enabled=true");
    cmd.add("-Dspark.eventLog.compress=false");
    cmd.add("-Dspark.eventLog.rolling.enabled=false");
    cmd.add("-Dspark.eventLog.dir=" + events.toUri());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.adapler.job.ScoringJob");
    cmd.addAll(List.of("--input", input, "--input-format", "json", "--id-column", "id",
        "--text-column", "text", "--bundle", s.bundle(), "--output",
        work.resolve("job-out-" + tag).toString(), "--mode", "overwrite", "--eta-scale",
        String.valueOf(s.jobEtaScale())));
    cmd.addAll(v.args());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(v.env());
    Path log = work.resolve("job-" + tag + ".log");
    pb.redirectOutput(log.toFile());
    long start = System.nanoTime();
    int code = pb.start().waitFor();
    double process = (System.nanoTime() - start) / 1e9;
    String out = Files.readString(log);
    if (code != 0) {
      throw new IllegalStateException("job " + v.name() + " exited with " + code + ":\n" + out);
    }
    Matcher t = THROUGHPUT.matcher(out);
    Matcher r = ROWS.matcher(out);
    Matcher f = FLOPS.matcher(out);
    Matcher jit = JIT.matcher(out);
    if (!t.find() || !r.find() || !f.find()) {
      throw new IllegalStateException("job " + v.name() + ": no summary in its output:\n" + out);
    }
    EventLogBreakdown.Figures fig = EventLogBreakdown.read(events, Runtime.getRuntime().availableProcessors());
    return new Run(num(t.group(1)), num(t.group(2)), num(t.group(3)),
        (long) num(r.group(1)), num(f.group(1)), jit.find() ? num(jit.group(1)) : Double.NaN,
        process, fig);
  }

  private static double num(String s) {
    return Double.parseDouble(s.replace(",", ""));
  }
}
