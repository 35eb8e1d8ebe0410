package io.adapler.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a one-node ONNX graph, {@code C = MatMul(A, B)} on fp32 with dynamic shapes:
 * the reference workload for the machine's practical matrix-product peak. Written as protobuf
 * by hand (a dozen fields) so the suite needs no ONNX library and no file on disk.
 */
final class GemmGraph {
  private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
  private static final int IR_VERSION = 8;
  private static final int OPSET = 17;

  private GemmGraph() {}

  /** Returns the serialized ModelProto. */
  static byte[] bytes() {
    byte[] node = new Proto()
        .string(1, "A").string(1, "B").string(2, "C").string(3, "gemm").string(4, "MatMul")
        .bytes();
    byte[] graph = new Proto()
        .message(1, node)
        .string(2, "gemm-peak")
        .message(11, valueInfo("A", "m", "k"))
        .message(11, valueInfo("B", "k", "n"))
        .message(12, valueInfo("C", "m", "n"))
        .bytes();
    byte[] opset = new Proto().string(1, "").varint(2, OPSET).bytes();
    return new Proto()
        .varint(1, IR_VERSION)
        .string(2, "adapler-bench")
        .message(7, graph)
        .message(8, opset)
        .bytes();
  }

  private static byte[] valueInfo(String name, String rows, String cols) {
    Proto shape = new Proto();
    for (String dim : new String[] {rows, cols}) {
      shape.message(1, new Proto().string(2, dim).bytes()); // Dimension.dim_param
    }
    byte[] tensor = new Proto().varint(1, FLOAT).message(2, shape.bytes()).bytes();
    byte[] type = new Proto().message(1, tensor).bytes(); // TypeProto.tensor_type
    return new Proto().string(1, name).message(2, type).bytes();
  }

  /** A minimal protobuf writer: varint and length-delimited fields only. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
      return this;
    }

    Proto string(int field, String value) {
      return message(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, byte[] value) {
      raw(((long) field << 3) | 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
