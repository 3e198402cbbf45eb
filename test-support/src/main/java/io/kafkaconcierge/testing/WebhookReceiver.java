package io.kafkaconcierge.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP server on 127.0.0.1 that records every webhook it gets and answers with the status a test chooses.
 * {@link Delivery#verifies(String)} checks a signature the Standard Webhooks way, independently of the notifier.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request received. Header names are lower case. */
    public record Delivery(Map<String, String> headers, String body, int answered, long receivedAtMillis) {

        public String id() {
            return headers.get("webhook-id");
        }

        /** Whether some {@code v1,} entry of webhook-signature is the HMAC of this delivery under the secret. */
        public boolean verifies(String secret) {
            try {
                byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                String signed = headers.get("webhook-id") + "." + headers.get("webhook-timestamp") + "." + body;
                String expected = "v1,"
                        + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
                for (String entry :
                        headers.getOrDefault("webhook-signature", "").split(" ")) {
                    if (entry.equals(expected)) {
                        return true;
                    }
                }
                return false;
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private volatile ToIntFunction<Delivery> responder = d -> 200;
    private final boolean keep;
    private volatile String retryAfter;

    public WebhookReceiver() {
        this(true);
    }

    /** @param keep whether to keep every delivery for {@link #deliveries()}; a benchmark counts in its responder */
    public WebhookReceiver(boolean keep) {
        this(keep, 0);
    }

    /** On a given port: a receiver that was closed comes back where its subscribers send. */
    public WebhookReceiver(int port) {
        this(true, port);
    }

    private WebhookReceiver(boolean keep, int port) {
        this.keep = keep;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            Delivery received =
                    new Delivery(headers, new String(body, StandardCharsets.UTF_8), 0, System.currentTimeMillis());
            int status = responder.applyAsInt(received);
            if (keep) {
                deliveries.add(new Delivery(headers, received.body(), status, received.receivedAtMillis()));
            }
            String after = retryAfter;
            if (after != null && (status == 429 || status == 503)) {
                exchange.getResponseHeaders().add("Retry-After", after);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** A {@code Retry-After} value sent with every 429 and 503 answer (null: none). */
    public void retryAfter(String value) {
        this.retryAfter = value;
    }

    /** Chooses the status of each next answer. */
    public void respond(ToIntFunction<Delivery> responder) {
        this.responder = responder;
    }

    public List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    /** The deliveries answered with 2xx. */
    public List<Delivery> accepted() {
        return deliveries.stream().filter(d -> d.answered() / 100 == 2).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
