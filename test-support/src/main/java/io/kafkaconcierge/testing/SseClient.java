package io.kafkaconcierge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real Server-Sent Events client for tests: reads a stream on a thread of its own and keeps every event. */
public final class SseClient implements AutoCloseable {

    /** One event as received; comments are not kept. */
    public record Event(String id, String name, String data) {}

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final HttpResponse<InputStream> response;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * Connects; {@code lastEventId} may be null. Returns once the server said the stream is connected (reads from
     * its position), so that every event written afterwards arrives.
     */
    /** As an admin of the test identity (every team's events). */
    public static SseClient connect(String url, String lastEventId) throws IOException, InterruptedException {
        return connect(url, lastEventId, TestIdentity.bearer(TestIdentity.admin()));
    }

    /** With this Authorization header (null: none). */
    public static SseClient connect(String url, String lastEventId, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        SseClient client = new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        if (client.status() == 200 && !client.connected.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
            client.close();
            throw new IOException("the stream did not say it was connected within 20 s");
        }
        return client;
    }

    public int status() {
        return response.statusCode();
    }

    public List<Event> events() {
        return new ArrayList<>(events);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(":") && line.contains("connected")) {
                    connected.countDown();
                } else if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "")
                            .append(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Closes the stream at once (the server sees the client go). */
    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
