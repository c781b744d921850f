package org.tracefeatures.trace;

import java.util.Objects;

/**
 * One span of an assembled trace, as the canonical span view ({@code spans}) describes it.
 *
 * <p>Public fields and a no-argument constructor make this a Flink structured type, so the
 * trace-assembly UDAF can return {@code ARRAY<Span>} and feature UDFs can take it as a parameter.
 */
public class Span {
    public static final String CHILD_OF = "CHILD_OF";
    public static final String FOLLOWS_FROM = "FOLLOWS_FROM";
    public static final String KIND_CLIENT = "client";
    public static final String KIND_SERVER = "server";
    public static final String KIND_PRODUCER = "producer";
    public static final String KIND_CONSUMER = "consumer";

    /** 16 lower-case hex digits. */
    public String spanId;
    /** The span this one references within its own trace, or null for a root. */
    public String parentSpanId;
    /** {@link #CHILD_OF} or {@link #FOLLOWS_FROM}; null when there is no parent. */
    public String referenceType;

    public String service;
    public String operation;
    /** The {@code span.kind} tag (client, server, producer, consumer, internal), or null. */
    public String spanKind;

    public boolean error;
    public long startMicros;
    public long durationMicros;
    /**
     * What a client or producer span calls, named from its tags (the spans view's {@code peer}: peer.service,
     * db.name, db.system, ...), or null: the name of the callee when the callee reports no spans of its own.
     */
    public String peer;
    /**
     * A client span with a {@code db.system} or {@code db.name} tag (the spans view's {@code calls_database}): its
     * callee is a database, the connection type OpenTelemetry's service graph names {@code database}.
     */
    public boolean callsDatabase;

    public Span() {}

    public Span(
            String spanId,
            String parentSpanId,
            String referenceType,
            String service,
            String operation,
            String spanKind,
            boolean error,
            long startMicros,
            long durationMicros) {
        this(
                spanId,
                parentSpanId,
                referenceType,
                service,
                operation,
                spanKind,
                error,
                startMicros,
                durationMicros,
                null,
                false);
    }

    public Span(
            String spanId,
            String parentSpanId,
            String referenceType,
            String service,
            String operation,
            String spanKind,
            boolean error,
            long startMicros,
            long durationMicros,
            String peer,
            boolean callsDatabase) {
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.referenceType = referenceType;
        this.service = service;
        this.operation = operation;
        this.spanKind = spanKind;
        this.error = error;
        this.startMicros = startMicros;
        this.durationMicros = durationMicros;
        this.peer = peer;
        this.callsDatabase = callsDatabase;
    }

    public long endMicros() {
        return startMicros + Math.max(0, durationMicros);
    }

    /** "service::operation", the key of span counts and critical-path shares. */
    public String serviceOperation() {
        return serviceOperation(service, operation);
    }

    /** "service::operation" of these names, a missing one named {@code null}; the text of any object. */
    public static String serviceOperation(Object service, Object operation) {
        return service + "::" + operation;
    }

    /**
     * What makes two spans the same span. Zipkin-style instrumentation gives a client span and its
     * server span one id; they differ in kind (and usually service), so they are two spans, while a
     * span delivered twice is one.
     */
    public String identity() {
        return spanId + '|' + spanKind + '|' + service;
    }

    public boolean isFollowsFrom() {
        return FOLLOWS_FROM.equals(referenceType);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Span)) {
            return false;
        }
        Span other = (Span) o;
        return error == other.error
                && callsDatabase == other.callsDatabase
                && startMicros == other.startMicros
                && durationMicros == other.durationMicros
                && Objects.equals(spanId, other.spanId)
                && Objects.equals(parentSpanId, other.parentSpanId)
                && Objects.equals(referenceType, other.referenceType)
                && Objects.equals(service, other.service)
                && Objects.equals(operation, other.operation)
                && Objects.equals(spanKind, other.spanKind)
                && Objects.equals(peer, other.peer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spanId, service, operation, startMicros);
    }

    @Override
    public String toString() {
        return serviceOperation() + "[" + spanId + (parentSpanId == null ? "" : " <- " + parentSpanId) + "]";
    }
}
