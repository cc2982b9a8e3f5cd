package io.microsandbox.metrics.otel.bench;

import com.google.protobuf.CodedOutputStream;
import io.microsandbox.metrics.otel.internal.ProtoWriter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The encoder's hot loop with two writers: 20,000 {@code NumberDataPoint}s (about a 3 MiB request:
 * 104 attribute bytes copied, start, time and value) written by {@link ProtoWriter} ({@code own})
 * or by protobuf-java's {@code CodedOutputStream} over a byte array ({@code coded}), the same bytes
 * either way.
 *
 * <p>Run: {@code mvn -B -ntp -Pbench -pl exporter-otel test-compile exec:exec
 * -Dbench=PointWriterBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1)
@State(Scope.Benchmark)
public class PointWriterBenchmark {
  private static final int POINTS = 20_000;

  @Param({"own", "coded"})
  public String writer;

  private final byte[] attributes = new byte[104];
  private final ProtoWriter own = new ProtoWriter(4 << 20);
  private final byte[] array = new byte[4 << 20];

  @Setup
  public void setUp() {
    for (int i = 0; i < attributes.length; i++) {
      attributes[i] = (byte) i;
    }
  }

  /** Writes the points; returns the bytes written. */
  @Benchmark
  public int points() throws IOException {
    int length = attributes.length + 27;
    if (writer.equals("own")) {
      own.reset();
      for (int i = 0; i < POINTS; i++) {
        own.numberPoint(
            attributes,
            length,
            1_780_000_000_000_000_000L + i,
            1_780_000_000_000_000_000L + i,
            6,
            i);
      }
      return own.length();
    }
    CodedOutputStream out = CodedOutputStream.newInstance(array);
    for (int i = 0; i < POINTS; i++) {
      out.writeTag(1, 2);
      out.writeUInt32NoTag(length);
      out.writeRawBytes(attributes);
      out.writeFixed64(2, 1_780_000_000_000_000_000L + i);
      out.writeFixed64(3, 1_780_000_000_000_000_000L + i);
      out.writeSFixed64(6, i);
    }
    return out.getTotalBytesWritten();
  }
}
