package io.kafkaconcierge.notifier.delivery;

import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.subscription.SecretBox;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.kafkaconcierge.notifier.subscription.SubscriptionStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One attempt to POST one event to a subscription's webhook, signed with every live secret of the subscription
 * (two during a rotation's overlap). The webhook id and body are the same on every attempt; the timestamp and
 * signatures are fresh. Blocking: it runs on the subscription's own dispatcher thread.
 * <p>
 * Before connecting, the URL's host is resolved and every address checked ({@link WebhookAddresses}); a refused
 * one means no connection at all. A plain http request then connects to the address that was checked (the URL's host
 * replaced by it, the Host header keeping the name), so a DNS answer that changes in between cannot redirect it. An
 * https request connects by name (certificate checks need it) and so resolves again: see delivery/DESIGN.md for
 * that window. Redirects are never followed.
 */
@ApplicationScoped
public class WebhookSender {

    /**
     * What the endpoint answered; status 0 when it did not (timeout, refused connection), or when the notifier
     * refused to connect to where the host resolves ({@code refused}).
     */
    public record Answer(int status, Optional<String> retryAfter, String error, long latencyMs, boolean refused) {

        Answer(int status, Optional<String> retryAfter, String error, long latencyMs) {
            this(status, retryAfter, error, latencyMs, false);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean gone() {
            return status == 410;
        }

        /** A refused address is final for the event: a retry resolves the same name to the same network. */
        public boolean retriable() {
            return !refused && status == 0 || status == 408 || status == 429 || status >= 500;
        }

        public String describe() {
            return error != null ? error : "HTTP " + status;
        }
    }

    /**
     * Whether a request may set its Host header, so that http requests can connect to the checked address. The
     * JDK's client reads {@code jdk.httpclient.allowRestrictedHeaders} once, when its first request is built: set
     * here, before that, unless the JVM was started with it (then host is added to its list).
     */
    static final boolean PINS_HTTP = allowHostHeader();

    private final NotifierConfig.Webhook config;
    private final WebhookAddresses addresses;
    private final SecretBox secrets;
    /**
     * Several clients, each thread always on the same one: one client's selector thread would serialise all, and the
     * threads that share a client wait for each other on its locks (timers, connection pool), which with 4 clients for
     * 30 dispatchers was seen in every profile.
     */
    private final HttpClient[] clients = new HttpClient[16];

    private final java.util.Map<String, WebhookSigner> opened = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, URI> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    public WebhookSender(NotifierConfig config, SubscriptionStore store) {
        this(config.webhook(), store.secrets());
    }

    /** With the webhook settings and the box that opens the subscriptions' secrets (for tests without Quarkus). */
    WebhookSender(NotifierConfig.Webhook config, SecretBox secrets) {
        this.config = config;
        this.secrets = secrets;
        this.addresses = WebhookAddresses.of(this.config);
        for (int i = 0; i < clients.length; i++) {
            // no proxy (the address checked is the one connected to) and no redirect (a 3xx could point anywhere)
            clients[i] = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(5))
                    // the client's own steps run on the thread that has the work: the dispatcher sending, the
                    // client's selector thread reading the answer (the body is discarded, nothing there blocks);
                    // its default pool handed every answer to another thread, the most CPU an attempt cost
                    .executor(Runnable::run)
                    .build();
        }
        if (!PINS_HTTP) {
            Log.warn("jdk.httpclient.allowRestrictedHeaders was read before the notifier could add host to it: http "
                    + "webhooks connect by name, not to the address checked. Start the JVM with "
                    + "-Djdk.httpclient.allowRestrictedHeaders=host");
        }
    }

    public Answer send(Subscription subscription, WebhookMessage message) throws InterruptedException {
        long timestamp = Instant.now().getEpochSecond();
        List<WebhookSigner> signers = subscription.liveSecrets(Instant.now()).stream()
                .map(s -> signers(s.sealed()))
                .toList();
        long start = System.nanoTime();
        try {
            URI uri = uri(subscription.url());
            WebhookAddresses.Verdict verdict = addresses.check(uri.getHost());
            if (verdict instanceof WebhookAddresses.Refused refused) {
                return new Answer(0, Optional.empty(), refused.message(), elapsed(start), true);
            }
            if (verdict instanceof WebhookAddresses.Unresolved unresolved) {
                return new Answer(0, Optional.empty(), unresolved.error(), elapsed(start));
            }
            HttpRequest request = pinned(uri, ((WebhookAddresses.Allowed) verdict).connectTo())
                    .timeout(config.timeout())
                    .header("content-type", "application/json")
                    .header("user-agent", "kafka-concierge-notifier")
                    .header("webhook-id", message.id())
                    .header("webhook-timestamp", String.valueOf(timestamp))
                    .header(
                            "webhook-signature",
                            WebhookSigner.signatures(signers, message.id(), timestamp, message.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(message.body()))
                    .build();
            HttpResponse<Void> response =
                    clients[(int) Math.floorMod(Thread.currentThread().getId(), (long) clients.length)].send(
                            request, HttpResponse.BodyHandlers.discarding());
            return new Answer(
                    response.statusCode(), response.headers().firstValue("retry-after"), null, elapsed(start));
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(0, Optional.empty(), e.toString(), elapsed(start));
        }
    }

    /**
     * The request for a URI: for plain http, to the checked address with the URI's host in the Host header; for
     * https, to the URI itself (TLS verifies the certificate against the name).
     */
    static HttpRequest.Builder pinned(URI uri, InetAddress address) {
        if (!"http".equalsIgnoreCase(uri.getScheme()) || !PINS_HTTP) {
            return HttpRequest.newBuilder(uri);
        }
        String literal = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int scope = literal.indexOf('%');
            literal = "[" + (scope < 0 ? literal : literal.substring(0, scope)) + "]";
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return HttpRequest.newBuilder(URI.create("http://" + literal + port + path + query))
                .header("Host", uri.getHost() + port);
    }

    private static boolean allowHostHeader() {
        String property = "jdk.httpclient.allowRestrictedHeaders";
        String allowed = System.getProperty(property, "").trim();
        boolean listed = java.util.Arrays.stream(allowed.split(","))
                .anyMatch(h -> h.trim().equalsIgnoreCase("host"));
        if (!listed) {
            System.setProperty(property, allowed.isEmpty() ? "host" : allowed + ",host");
        }
        try {
            HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("Host", "probe");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The URL parsed (a parse only: where it resolves to is checked on every attempt). */
    private URI uri(String url) {
        if (parsed.size() > 10_000) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(url, URI::create);
    }

    /** Opened once per sealed secret: decrypting for every attempt would cost more than the signing. */
    private WebhookSigner signers(String sealed) {
        if (opened.size() > 10_000) {
            opened.clear();
        }
        return opened.computeIfAbsent(sealed, k -> new WebhookSigner(secrets.open(k)));
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
