package dev.vigil.daemon.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Alertmanager's {@code POST /api/v2/alerts} on loopback: answers each request with
 * the next status queued ({@link #answer}; 200 once none is), optionally holding requests until
 * {@link #open} is called, and records every request's alerts and arrival time.
 */
final class StubAlertmanager implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    record Request(long arrivedNanos, int answered, JsonNode alerts) {
        List<String> agents() {
            final List<String> out = new ArrayList<>();
            alerts.forEach(a -> out.add(a.path("labels").path("agent").asText()));
            return out;
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Integer> answers = new ArrayBlockingQueue<>(64);
    private final List<Request> requests = new ArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();

    StubAlertmanager() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/api/v2/alerts", x -> {
            final long arrivedNanos = System.nanoTime();
            final byte[] body = x.getRequestBody().readAllBytes();
            arrived.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            final Integer queued = answers.poll();
            final int status = queued == null ? 200 : queued;
            synchronized (requests) {
                requests.add(new Request(arrivedNanos, status, JSON.readTree(body)));
            }
            final byte[] reply = (status == 200 ? "" : "{\"message\":\"stub says " + status + "\"}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
            x.getResponseBody().write(reply);
            x.close();
        });
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next requests get these statuses, in order. */
    StubAlertmanager answer(final int... statuses) {
        for (final int s : statuses) {
            answers.add(s);
        }
        return this;
    }

    /** Requests from now on wait until {@link #open}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    /** Requests that arrived, held ones included. */
    int arrived() {
        return arrived.get();
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        open();
        server.stop(0);
    }
}
