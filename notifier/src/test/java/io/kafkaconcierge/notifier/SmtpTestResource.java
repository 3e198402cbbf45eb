package io.kafkaconcierge.notifier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.kafkaconcierge.testing.KafkaTestResource;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** The real broker and a real SMTP server (GreenMail) on 127.0.0.1; e-mail on, webhooks off. */
public class SmtpTestResource extends KafkaTestResource {

    static GreenMail smtp;

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> config = new HashMap<>(super.start());
        config.put("quarkus.mailer.host", "127.0.0.1");
        config.put("quarkus.mailer.port", String.valueOf(port));
        config.put("notifier.email.to", "payments-team@example.com,oncall@example.com");
        config.put("notifier.email.retry-schedule", "100ms,200ms");
        return config;
    }

    @Override
    public void stop() {
        smtp.stop();
    }
}
