package dev.vigil.daemon.ingest.otlp;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;

/**
 * {@code google.rpc.Status}, the body OTLP/HTTP requires on every 4xx and 5xx answer. The
 * generated class lives in proto-google-common-protos, which Vigil does not depend on; the
 * message is three fields, so it is described here and built as a {@link DynamicMessage}, which
 * both the binary and the JSON encoders take like any generated message.
 */
final class RpcStatus {
    /** gRPC codes carried in {@code Status.code}; OTLP clients only log them. */
    static final int INVALID_ARGUMENT = 3;
    static final int NOT_FOUND = 5;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int UNIMPLEMENTED = 12;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;

    static final Descriptors.Descriptor DESCRIPTOR = describe();
    private static final Descriptors.FieldDescriptor CODE = DESCRIPTOR.findFieldByName("code");
    private static final Descriptors.FieldDescriptor MESSAGE = DESCRIPTOR.findFieldByName("message");

    private RpcStatus() {
    }

    static DynamicMessage of(final int code, final String message) {
        return DynamicMessage.newBuilder(DESCRIPTOR).setField(CODE, code).setField(MESSAGE, message).build();
    }

    static int code(final DynamicMessage status) {
        return (Integer)status.getField(CODE);
    }

    static String message(final DynamicMessage status) {
        return (String)status.getField(MESSAGE);
    }

    private static Descriptors.Descriptor describe() {
        final FileDescriptorProto file = FileDescriptorProto.newBuilder()
            .setName("google/rpc/status.proto")
            .setPackage("google.rpc")
            .setSyntax("proto3")
            .addDependency("google/protobuf/any.proto")
            .addMessageType(DescriptorProto.newBuilder()
                .setName("Status")
                .addField(field("code", 1, FieldDescriptorProto.Type.TYPE_INT32, FieldDescriptorProto.Label.LABEL_OPTIONAL))
                .addField(field("message", 2, FieldDescriptorProto.Type.TYPE_STRING, FieldDescriptorProto.Label.LABEL_OPTIONAL))
                .addField(field("details", 3, FieldDescriptorProto.Type.TYPE_MESSAGE, FieldDescriptorProto.Label.LABEL_REPEATED)
                    .setTypeName(".google.protobuf.Any")))
            .build();
        try {
            return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[] {AnyProto.getDescriptor()})
                .findMessageTypeByName("Status");
        } catch (final Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException("google.rpc.Status must describe itself", e);
        }
    }

    private static FieldDescriptorProto.Builder field(final String name, final int number, final FieldDescriptorProto.Type type,
                                                      final FieldDescriptorProto.Label label) {
        return FieldDescriptorProto.newBuilder().setName(name).setJsonName(name).setNumber(number).setType(type).setLabel(label);
    }
}
