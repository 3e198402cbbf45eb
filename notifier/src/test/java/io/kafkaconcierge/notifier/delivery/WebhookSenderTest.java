package io.kafkaconcierge.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class WebhookSenderTest {

    private static HttpRequest pinned(String url, String address) throws Exception {
        return WebhookSender.pinned(URI.create(url), InetAddress.getByName(address))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }

    @Test
    void shouldBeAbleToSetTheHostHeaderOnThisJvm() {
        assertThat(WebhookSender.PINS_HTTP).isTrue();
    }

    @Test
    void shouldConnectAPlainHttpRequestToTheCheckedAddressAndKeepTheNameInTheHostHeader() throws Exception {
        HttpRequest r = pinned("http://hooks.example.com:8080/in/%20x?a=1&b=%2F", "93.184.216.34");
        assertThat(r.uri()).hasToString("http://93.184.216.34:8080/in/%20x?a=1&b=%2F");
        assertThat(r.headers().firstValue("host")).contains("hooks.example.com:8080");

        HttpRequest v6 = pinned("http://hooks.example.com", "2606:2800:220:1:248:1893:25c8:1946");
        assertThat(v6.uri()).hasToString("http://[2606:2800:220:1:248:1893:25c8:1946]/");
        assertThat(v6.headers().firstValue("host")).contains("hooks.example.com");
    }

    @Test
    void shouldLeaveAnHttpsRequestToTheNameForTheCertificateCheck() throws Exception {
        HttpRequest r = pinned("https://hooks.example.com/in", "93.184.216.34");
        assertThat(r.uri()).hasToString("https://hooks.example.com/in");
        assertThat(r.headers().firstValue("host")).isEmpty();
    }
}
