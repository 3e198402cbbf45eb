package io.kafkaconcierge.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    @Test
    void shouldSignLikeTheStandardWebhooksReference() {
        // the example of the Standard Webhooks specification
        WebhookSigner signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void shouldSignAlikeEveryTimeAndFromManyThreadsAtOnce() throws Exception {
        // one signer serves every attempt of its subscription, from all the subscription's dispatcher threads
        WebhookSigner signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<String>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                all.add(pool.submit(
                        () -> signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}")));
            }
            for (java.util.concurrent.Future<String> f : all) {
                assertThat(f.get()).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRefuseSecretsThatAreNotWhsecBase64() {
        assertThatThrownBy(() -> new WebhookSigner("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> new WebhookSigner("whsec_not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> new WebhookSigner("whsec_c2hvcnQ=")).hasMessageContaining("16 bytes");
    }
}
