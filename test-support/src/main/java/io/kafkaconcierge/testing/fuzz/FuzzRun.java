package io.kafkaconcierge.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sends fuzz requests over {@link RawHttp} and checks every answer: no 5xx, no stack trace or class name, errors as
 * {@code application/problem+json} whose {@code status} is the HTTP status, successes as JSON (or an event stream),
 * no secret echoed. Requests are made one after the other from one seeded generator (so a seed gives the same
 * requests) and sent by a few threads.
 */
public final class FuzzRun {

    /** What must never be in an answer: traces and names of classes and packages. */
    public static final List<String> FORBIDDEN = List.of(
            "Exception",
            "exception:",
            "\tat ",
            "at io.",
            "at java.",
            "at org.",
            "java.lang",
            "java.util",
            "java.io",
            "jakarta.",
            "javax.",
            "io.quarkus",
            "io.vertx",
            "io.netty",
            "io.smallrye",
            "org.jboss",
            "com.fasterxml",
            "org.apache",
            "Caused by",
            "NullPointer",
            "StackOverflow",
            "OutOfMemory",
            ".java:");

    /**
     * Our own classes (a package, then a capitalised name): event types such as io.kafkaconcierge.topic.ready are
     * input that answers may quote.
     */
    private static final java.util.regex.Pattern OUR_CLASS =
            java.util.regex.Pattern.compile("io\\.kafkaconcierge(\\.[a-z0-9_]+)*\\.[A-Z]");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Quarkus's defaults, quarkus.http.limits.max-initial-line-length and max-header-size, with some slack. */
    private static final int MAX_INITIAL_LINE = 4000;

    private static final int MAX_HEADERS = 19 * 1024;

    /** One request: its endpoint (for the summary), what is sent, and a note of what kind of fuzz it is. */
    public record Request(
            String endpoint,
            String method,
            String target,
            byte[] head,
            byte[] body,
            String note,
            String malformedHttp) {

        public String describe() {
            String t = target.length() > 160 ? target.substring(0, 160) + "...(" + target.length() + ")" : target;
            return method + " " + t + " [" + note + "]";
        }
    }

    /** How a request's Content-Length is sent. */
    public enum Length {
        EXACT,
        NONE_CHUNKED,
        SHORTER,
        NOT_A_NUMBER,
        TWICE
    }

    private final int port;
    private final Collection<String> secrets;
    private final Duration timeout;
    private final Duration streamFor;
    private final Map<String, AtomicLong> perEndpoint = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> perEndpointStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failureKinds = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> malformedHttp = new ConcurrentHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();

    public FuzzRun(int port, Collection<String> secrets, Duration timeout, Duration streamFor) {
        this.port = port;
        this.secrets = secrets;
        this.timeout = timeout;
        this.streamFor = streamFor;
    }

    /**
     * A request with Host and {@code Connection: close}; {@code authorization} and {@code contentType} are left out
     * when null; {@code body} (may be null) with its length sent as {@code length} says.
     */
    public Request request(
            String endpoint,
            String method,
            String target,
            String authorization,
            String contentType,
            List<String[]> more,
            byte[] body,
            Length length,
            String note) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Host", "127.0.0.1:" + port});
        headers.add(new String[] {"Connection", "close"});
        if (authorization != null) {
            headers.add(new String[] {"Authorization", authorization});
        }
        if (contentType != null) {
            headers.add(new String[] {"Content-Type", contentType});
        }
        headers.addAll(more);
        byte[] payload = body;
        if (body != null) {
            switch (length) {
                case EXACT -> headers.add(new String[] {"Content-Length", String.valueOf(body.length)});
                case NONE_CHUNKED -> {
                    headers.add(new String[] {"Transfer-Encoding", "chunked"});
                    payload = chunked(body);
                }
                case SHORTER -> headers.add(new String[] {"Content-Length", String.valueOf(body.length / 2)});
                case NOT_A_NUMBER -> headers.add(new String[] {"Content-Length", "12abc"});
                case TWICE -> {
                    headers.add(new String[] {"Content-Length", String.valueOf(body.length)});
                    headers.add(new String[] {"Content-Length", String.valueOf(body.length + 1)});
                }
            }
        } else if (length == Length.EXACT && !method.equals("GET") && !method.equals("HEAD")) {
            headers.add(new String[] {"Content-Length", "0"});
        }
        byte[] head = RawHttp.head(method, target, headers);
        return new Request(
                endpoint,
                method,
                target,
                head,
                payload,
                note
                        + (body == null
                                ? ""
                                : ", " + body.length + " bytes, length "
                                        + length.name().toLowerCase()),
                malformedHttp(method, target, headers, head, length, body != null));
    }

    /**
     * Why the HTTP server itself (Netty, Vert.x) refuses the request before any application code sees it, or null.
     * Those answers are an empty 400, 414 or 431 with no content type: the one case where no problem+json is asked.
     */
    static String malformedHttp(
            String method, String target, List<String[]> headers, byte[] head, Length length, boolean body) {
        if (method.length() + target.length() + 10 > MAX_INITIAL_LINE) {
            return "request line over " + MAX_INITIAL_LINE;
        }
        if (head.length > MAX_HEADERS) {
            return "headers over " + MAX_HEADERS;
        }
        try {
            new java.net.URI(target);
        } catch (java.net.URISyntaxException e) {
            return "not a URI";
        }
        for (String[] h : headers) {
            for (char c : h[1].toCharArray()) {
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    return "control character in " + h[0];
                }
            }
        }
        if (body && (length == Length.NOT_A_NUMBER || length == Length.TWICE)) {
            return "Content-Length " + length.name().toLowerCase();
        }
        return null;
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        for (int off = 0; off < body.length; off += 8192) {
            int n = Math.min(8192, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * Sends {@code count} requests that {@code next} makes, in the order it makes them (one generator thread), with
     * {@code threads} senders, and checks each answer.
     */
    public void run(int count, int threads, Supplier<Request> next) throws InterruptedException {
        BlockingQueue<Request> queue = new ArrayBlockingQueue<>(4 * threads);
        Request end = new Request("", "", "", new byte[0], null, "end", null);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            for (Request r = queue.take(); r != end; r = queue.take()) {
                                RawHttp.Response response = RawHttp.exchange(
                                        port, r.head(), r.body(), r.method().equals("HEAD"), timeout, streamFor);
                                check(r, response);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "fuzz-sender-" + i);
            t.start();
            senders.add(t);
        }
        for (int i = 0; i < count; i++) {
            queue.put(next.get());
        }
        for (int i = 0; i < threads; i++) {
            queue.put(end);
        }
        for (Thread t : senders) {
            t.join();
        }
    }

    /** Checks one answer; failures are collected, not thrown, so that a run reports all it found. */
    public void check(Request r, RawHttp.Response response) {
        sent.incrementAndGet();
        perEndpoint.computeIfAbsent(r.endpoint(), k -> new AtomicLong()).incrementAndGet();
        String status = response.status() < 0 ? "none" : String.valueOf(response.status());
        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        perEndpointStatus
                .computeIfAbsent(r.endpoint() + " " + status, k -> new AtomicLong())
                .incrementAndGet();

        if (response.status() < 0) {
            fail(r, response, "no answer: " + response.error());
            return;
        }
        if (response.error() != null) {
            fail(r, response, "answer not read: " + response.error());
        }
        int code = response.status();
        if (r.malformedHttp() != null
                && (code == 400 || code == 414 || code == 431)
                && response.body().length == 0
                && response.header("Content-Type") == null) {
            malformedHttp
                    .computeIfAbsent(code + " " + r.malformedHttp().replaceAll(" [A-Z].*", ""), k -> new AtomicLong())
                    .incrementAndGet();
            return;
        }
        if (code >= 500) {
            fail(r, response, "status " + code);
        }
        String body = response.text();
        String everything = body + " " + response.headers();
        for (String marker : FORBIDDEN) {
            if (everything.contains(marker)) {
                fail(r, response, "answer contains '" + marker + "'");
                break;
            }
        }
        if (OUR_CLASS.matcher(everything).find()) {
            fail(r, response, "answer names a class of the concierge");
        }
        for (String secret : secrets) {
            if (everything.contains(secret)) {
                fail(r, response, "answer contains a credential");
                break;
            }
        }
        String type = response.header("Content-Type");
        String mediaType = type == null ? "" : type.toLowerCase(Locale.ROOT);
        boolean head = r.method().equals("HEAD");
        if (code >= 400) {
            if (!mediaType.startsWith("application/problem+json")) {
                fail(r, response, "error " + code + " is '" + type + "', not application/problem+json");
            } else if (!head) {
                try {
                    JsonNode problem = JSON.readTree(body);
                    if (problem == null || problem.path("status").asInt(-1) != code) {
                        fail(r, response, "problem status is not " + code);
                    }
                    if (!problem.path("type").isTextual()
                            || !problem.path("title").isTextual()) {
                        fail(r, response, "problem without type or title");
                    }
                } catch (Exception e) {
                    fail(r, response, "problem is not JSON");
                }
            }
            if (code == 401 && response.header("WWW-Authenticate") == null) {
                fail(r, response, "401 without WWW-Authenticate");
            }
        } else if (code >= 200 && code < 300 && code != 204 && !head && response.body().length > 0) {
            if (mediaType.startsWith("application/json")) {
                try {
                    JSON.readTree(body);
                } catch (Exception e) {
                    fail(r, response, "success body is not JSON");
                }
            } else if (!mediaType.startsWith("text/event-stream")) {
                fail(r, response, "success is '" + type + "'");
            }
        }
    }

    private void fail(Request r, RawHttp.Response response, String why) {
        String kind = r.endpoint() + " " + r.method() + ": " + why;
        long n = failureKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (n <= 3) {
            String body = response.text();
            synchronized (failures) {
                failures.add(why + "\n    " + r.describe() + "\n    -> " + response.status() + " "
                        + response.header("Content-Type") + " "
                        + (body.length() > 400 ? body.substring(0, 400) + "..." : body));
            }
        }
    }

    public long sent() {
        return sent.get();
    }

    public Map<String, Long> perEndpoint() {
        return snapshot(perEndpoint);
    }

    /** Up to three examples of each kind of failure. */
    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    public Map<String, Long> failureKinds() {
        return snapshot(failureKinds);
    }

    public String summary(long seed, Duration took) {
        StringBuilder s = new StringBuilder();
        s.append("fuzz seed ")
                .append(seed)
                .append(" (run again with -Dfuzz.seed=")
                .append(seed)
                .append("): ")
                .append(sent.get())
                .append(" requests in ")
                .append(took.toMillis())
                .append(" ms\n");
        s.append("statuses: ").append(snapshot(statuses)).append('\n');
        s.append("refused by the HTTP server before the application (empty body, allowed): ")
                .append(snapshot(malformedHttp))
                .append('\n');
        Map<String, Long> byEndpoint = snapshot(perEndpoint);
        Map<String, Long> byStatus = snapshot(perEndpointStatus);
        byEndpoint.forEach((endpoint, n) -> {
            Map<String, Long> of = new TreeMap<>();
            byStatus.forEach((k, v) -> {
                if (k.startsWith(endpoint + " ") && k.indexOf(' ', endpoint.length() + 1) < 0) {
                    of.put(k.substring(endpoint.length() + 1), v);
                }
            });
            s.append(String.format("  %-58s %6d  %s%n", endpoint, n, of));
        });
        if (!failureKinds.isEmpty()) {
            s.append("failures by kind:\n");
            snapshot(failureKinds)
                    .forEach((k, v) ->
                            s.append("  ").append(v).append(" x ").append(k).append('\n'));
        }
        return s.toString();
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
