package io.kafkaconcierge.notifier.delivery;

import io.kafkaconcierge.notifier.subscription.Subscription;
import io.quarkus.mailer.Mail;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * E-mail: the event's mail ({@link EmailNotifier}) handed to the SMTP server, one attempt per call. Mailed: delivered;
 * a mail that cannot be composed: rejected (no retry makes it composable); any failure to send, the attempt timeout
 * included: retriable. There is no status code (0) and never a {@code Retry-After}.
 */
@ApplicationScoped
public class EmailChannel implements DeliveryChannel {

    private final EmailNotifier emails;

    // every mail from one thread, one after the other: sends from several dispatcher threads at once, or one after
    // the other from different threads, were seen to hang on the SMTP connection until the server's socket timeout
    // (30 s, then 421). Mail is low volume and goes to one SMTP server anyway.
    private final ExecutorService mailThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mail-sender");
        t.setDaemon(true);
        return t;
    });

    public EmailChannel(EmailNotifier emails) {
        this.emails = emails;
    }

    @Override
    public boolean carries(String type) {
        return EmailNotifier.MAILED.contains(type);
    }

    @Override
    public ChannelResult deliver(Subscription subscription, Event event) throws InterruptedException {
        Mail mail;
        try {
            mail = emails.compose(event.type(), event.data(), subscription.to());
        } catch (RuntimeException e) {
            return new ChannelResult.Rejected(0, "cannot compose the e-mail: " + e.getMessage(), 0);
        }
        return send(mail);
    }

    /** A short mail to the subscription's addresses. */
    @Override
    public ChannelResult test(Subscription subscription, String id, String type) throws InterruptedException {
        return send(emails.test(subscription.id(), subscription.to()));
    }

    private ChannelResult send(Mail mail) throws InterruptedException {
        long start = System.nanoTime();
        try {
            mailThread
                    .submit(() -> emails.sendOnce(mail).await().indefinitely())
                    .get();
            return new ChannelResult.Delivered(0, (System.nanoTime() - start) / 1_000_000);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return new ChannelResult.Retriable(
                    0, cause.toString(), Optional.empty(), (System.nanoTime() - start) / 1_000_000);
        }
    }
}
