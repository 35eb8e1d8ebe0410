package io.adapler.job.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads an uncompressed Spark event log ({@code spark.eventLog.dir}, one JSON event a line):
 * which resource profile each stage ran with, what each profile asks of a task, and which
 * stage each task belonged to.
 *
 * @param stageProfiles resource profile id by stage id (SparkListenerStageSubmitted)
 * @param taskGpus the task GPU amount by resource profile id (SparkListenerResourceProfileAdded),
 *     absent for a profile whose tasks ask for none
 * @param taskStages stage id by task id (SparkListenerTaskEnd)
 */
record SparkEventLog(Map<Integer, Integer> stageProfiles, Map<Integer, Double> taskGpus,
    Map<Long, Integer> taskStages) {

  /** Reads every event file under the directory (one application's). */
  static SparkEventLog read(Path dir) throws IOException {
    Map<Integer, Integer> stages = new TreeMap<>();
    Map<Integer, Double> gpus = new TreeMap<>();
    Map<Long, Integer> tasks = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      for (String line : Files.readAllLines(f)) {
        if (!line.startsWith("{")) {
          continue;
        }
        JsonNode e = json.readTree(line);
        switch (e.path("Event").asText()) {
          case "SparkListenerStageSubmitted" -> stages.put(
              e.path("Stage Info").path("Stage ID").asInt(),
              e.path("Stage Info").path("Resource Profile Id").asInt());
          case "SparkListenerResourceProfileAdded" -> {
            JsonNode gpu = e.path("Task Resource Requests").path("gpu");
            if (!gpu.isMissingNode()) {
              gpus.put(e.path("Resource Profile Id").asInt(), gpu.path("Amount").asDouble());
            }
          }
          case "SparkListenerTaskEnd" -> tasks.put(e.path("Task Info").path("Task ID").asLong(),
              e.path("Stage ID").asInt());
          default -> { }
        }
      }
    }
    return new SparkEventLog(stages, gpus, tasks);
  }

  /** The stages whose profile asks for a GPU per task. */
  List<Integer> gpuStages() {
    List<Integer> out = new ArrayList<>();
    stageProfiles.forEach((stage, profile) -> {
      if (taskGpus.containsKey(profile)) {
        out.add(stage);
      }
    });
    return out;
  }
}
