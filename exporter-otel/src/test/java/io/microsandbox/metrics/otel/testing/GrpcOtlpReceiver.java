package io.microsandbox.metrics.otel.testing;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OTLP/gRPC receiver: grpc-java's Netty server with the official {@code MetricsService} stubs.
 * Accepts messages up to 512 MiB (a benchmark flush is far above gRPC's 4 MiB default).
 */
public final class GrpcOtlpReceiver extends ScriptedReceiver {
  private static final Context.Key<Map<String, String>> HEADERS = Context.key("headers");
  private static final int MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

  private final Server server;
  private final String scheme;
  private volatile java.time.Duration retryDelay;

  private GrpcOtlpReceiver(TestCertificates tls, boolean requireClientCertificate, boolean discard)
      throws IOException {
    super(
        Status.Code.OK.value(),
        Status.Code.UNAVAILABLE.value(),
        Status.Code.INVALID_ARGUMENT.value(),
        Status.Code.UNAUTHENTICATED.value());
    ServerCredentials credentials;
    if (tls == null) {
      credentials = InsecureServerCredentials.create();
      scheme = "http";
    } else {
      credentials =
          TlsServerCredentials.newBuilder()
              .keyManager(
                  new ByteArrayInputStream(tls.serverChainPem()),
                  new ByteArrayInputStream(tls.serverKeyPem()))
              .trustManager(new ByteArrayInputStream(tls.caPem()))
              .clientAuth(
                  requireClientCertificate
                      ? TlsServerCredentials.ClientAuth.REQUIRE
                      : TlsServerCredentials.ClientAuth.NONE)
              .build();
      scheme = "https";
    }
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .addService(
                ServerInterceptors.intercept(
                    discard ? discardingService() : new Service().bindService(),
                    new HeaderCapture()))
            .build()
            .start();
  }

  /** Starts a receiver; see {@link OtlpTestReceiver#start}. */
  public static GrpcOtlpReceiver start(TestCertificates tls, boolean requireClientCertificate) {
    return started(() -> new GrpcOtlpReceiver(tls, requireClientCertificate, false));
  }

  /** Starts a plaintext receiver that counts request bytes without decoding them. */
  public static GrpcOtlpReceiver startDiscarding() {
    return started(() -> new GrpcOtlpReceiver(null, false, true));
  }

  /** The Export method with a request "parser" that only counts bytes (benchmarks). */
  private ServerServiceDefinition discardingService() {
    MethodDescriptor.Marshaller<Long> counting =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(Long value) {
            throw new UnsupportedOperationException("requests only");
          }

          @Override
          public Long parse(InputStream stream) {
            try {
              return stream.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
              throw Status.INTERNAL.withCause(e).asRuntimeException();
            }
          }
        };
    MethodDescriptor<Long, ExportMetricsServiceResponse> export =
        MetricsServiceGrpc.getExportMethod().toBuilder(
                counting, ProtoUtils.marshaller(ExportMetricsServiceResponse.getDefaultInstance()))
            .build();
    return ServerServiceDefinition.builder(MetricsServiceGrpc.SERVICE_NAME)
        .addMethod(
            export,
            ServerCalls.asyncUnaryCall(
                (Long size, StreamObserver<ExportMetricsServiceResponse> response) -> {
                  Map<String, String> headers = HEADERS.get();
                  int code = script.answerFor(headers);
                  script.record(
                      new ReceivedRequest(
                          null,
                          headers,
                          headers.getOrDefault("grpc-encoding", ""),
                          "",
                          code,
                          size));
                  if (code == Status.Code.OK.value()) {
                    response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  } else {
                    response.onError(Status.fromCodeValue(code).asRuntimeException());
                  }
                }))
        .build();
  }

  /** Puts the request metadata in the call's context for the service to record. */
  private static final class HeaderCapture implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata metadata, ServerCallHandler<ReqT, RespT> next) {
      Map<String, String> headers = new HashMap<>();
      for (String key : metadata.keys()) {
        if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          String v = metadata.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
          headers.put(key.toLowerCase(Locale.ROOT), v);
        }
      }
      return Contexts.interceptCall(
          Context.current().withValue(HEADERS, headers), call, metadata, next);
    }
  }

  private final class Service extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(
        ExportMetricsServiceRequest request,
        StreamObserver<ExportMetricsServiceResponse> responseObserver) {
      Map<String, String> headers = HEADERS.get();
      int code = script.answerFor(headers);
      script.record(
          new ReceivedRequest(
              request,
              headers,
              headers.getOrDefault("grpc-encoding", ""),
              "",
              code == ReceiverScript.HANG ? -1 : code));
      if (code == ReceiverScript.HANG) {
        script.hang();
        code = Status.Code.UNAVAILABLE.value();
      }
      if (code == Status.Code.OK.value()) {
        ExportMetricsServiceResponse partial = partialSuccess;
        responseObserver.onNext(
            partial != null ? partial : ExportMetricsServiceResponse.getDefaultInstance());
        responseObserver.onCompleted();
      } else {
        com.google.rpc.Status.Builder status =
            com.google.rpc.Status.newBuilder()
                .setCode(code)
                .setMessage("scripted by the test: 100% " + Status.fromCodeValue(code).getCode());
        java.time.Duration delay = retryDelay;
        if (delay != null) {
          status.addDetails(
              com.google.protobuf.Any.pack(
                  com.google.rpc.RetryInfo.newBuilder()
                      .setRetryDelay(
                          com.google.protobuf.Duration.newBuilder()
                              .setSeconds(delay.getSeconds())
                              .setNanos(delay.getNano()))
                      .build()));
        }
        responseObserver.onError(
            io.grpc.protobuf.StatusProto.toStatusRuntimeException(status.build()));
      }
    }
  }

  @Override
  public String endpoint() {
    return scheme + "://127.0.0.1:" + port();
  }

  @Override
  public int port() {
    return server.getPort();
  }

  /** Attaches a {@code RetryInfo} with {@code delay} to every failure from now on. */
  public void retryDelay(java.time.Duration delay) {
    retryDelay = delay;
  }

  /** Answers the next {@code times} requests with gRPC status {@code code}. */
  public void failNext(int times, Status.Code code) {
    script.answerNext(times, code.value());
  }

  @Override
  public void close() {
    script.releaseHung();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
