package io.adapler.udf.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.adapler.udf.bundle.BundleLoadException;
import io.adapler.udf.bundle.ModelBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens a bundle's graph as an ONNX Runtime session on the requested device. */
final class SessionOpener {
  private static final Logger LOG = LoggerFactory.getLogger(SessionOpener.class);

  /** An open session and the device it actually runs on (CPU after a fallback). */
  record Opened(OrtSession session, Device device) {}

  private SessionOpener() {}

  /** Returns whether this build's ONNX Runtime has the CUDA execution provider compiled in. */
  static boolean cudaCompiledIn() {
    return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
  }

  static Opened open(OrtEnvironment env, ModelBundle bundle, RuntimeOptions options)
      throws BundleLoadException {
    Device device = options.device();
    if (device.isCuda()) {
      String problem;
      if (!cudaCompiledIn()) {
        problem = "this build's ONNX Runtime has no CUDA execution provider (available: "
            + OrtEnvironment.getAvailableProviders() + ")";
      } else {
        try {
          return new Opened(create(env, bundle, options, device), device);
        } catch (OrtException | RuntimeException e) {
          problem = "ONNX Runtime could not start CUDA on device " + device.index() + " (" + e
              + ")";
        }
      }
      if (!options.allowCpuFallback()) {
        throw new BundleLoadException("CUDA device " + device + " requested for bundle "
            + bundle.label() + " (" + bundle.uri() + "), but " + problem + ". Build with the"
            + " Maven `gpu` profile (mvn -Pgpu package, which ships"
            + " com.microsoft.onnxruntime:onnxruntime_gpu instead of onnxruntime) and run where"
            + " an NVIDIA GPU with CUDA 12 and cuDNN 9 is visible, choose the cpu device, or"
            + " allow CPU fallback (RuntimeOptions.optAllowCpuFallback(true))");
      }
      LOG.warn("CUDA device {} requested for bundle {} but {}; CPU fallback is allowed, running"
          + " on the CPU", device, bundle.label(), problem);
    }
    try {
      return new Opened(create(env, bundle, options, Device.cpu()), Device.cpu());
    } catch (OrtException e) {
      throw new BundleLoadException("ONNX Runtime cannot open " + bundle.modelPath()
          + " of bundle " + bundle.uri() + ": expected an ONNX graph (opset "
          + bundle.manifest().graph().opset() + ") loadable by ONNX Runtime "
          + env.getVersion() + ", found an error: " + e.getMessage()
          + "; re-export the bundle with the model/ exporter", e);
    }
  }

  private static OrtSession create(OrtEnvironment env, ModelBundle bundle,
      RuntimeOptions options, Device device) throws OrtException {
    try (SessionOptions so = new SessionOptions()) {
      configure(so, options, device);
      return env.createSession(bundle.modelPath().toString(), so);
    }
  }

  /**
   * Applies the runtime's session settings (threads, execution mode, every graph optimization,
   * the CUDA provider) to {@code so}; every bundle format (fp32, fused, int8) runs with these.
   */
  static void configure(SessionOptions so, RuntimeOptions options, Device device)
      throws OrtException {
    CpuThreading t = options.threading();
    so.setIntraOpNumThreads(t.intraOpThreads());
    so.setInterOpNumThreads(t.interOpThreads());
    so.setExecutionMode(t.parallelExecution()
        ? SessionOptions.ExecutionMode.PARALLEL
        : SessionOptions.ExecutionMode.SEQUENTIAL);
    so.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
    if (device.isCuda()) {
      so.addCUDA(device.index());
    }
  }
}
