package io.kafkaconcierge.provisioner.instance.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Whether an instance is really ready: {@code describeCluster} answers with the expected number of brokers, and a
 * record written with {@code acks=all} to a probe topic is read back. On an instance with security every client here
 * logs in with the {@code security} settings (the concierge's SCRAM credential), so READY means a client
 * authenticating with SCRAM round-trips a record.
 */
final class InstanceProbe {

    static final String PROBE_TOPIC = "__concierge_probe";

    private InstanceProbe() {}

    /** Waits until the instance answers with {@code brokers} brokers and the round trip works; why not, if not. */
    static Optional<String> awaitReady(
            String bootstrap,
            int brokers,
            Duration timeout,
            Map<String, Object> security,
            BooleanSupplierWithReason alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        try (Admin admin = Admin.create(with(
                security,
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG,
                20,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                100,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG,
                50,
                AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG,
                100))) {
            while (System.nanoTime() < deadline) {
                Optional<String> dead = alive.problem();
                if (dead.isPresent()) {
                    return dead;
                }
                Optional<String> closed = closedPort(bootstrap);
                if (closed.isPresent()) {
                    last = closed.get();
                    Thread.sleep(50);
                    continue;
                }
                try {
                    int seen = admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .size();
                    if (seen >= brokers) {
                        roundTrip(admin, bootstrap, brokers, security);
                        return Optional.empty();
                    }
                    last = seen + " of " + brokers + " brokers answer";
                } catch (ExecutionException e) {
                    last = e.getCause().toString();
                } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
                    last = e.toString();
                }
                Thread.sleep(50);
            }
        }
        return Optional.of("not ready after " + timeout.toSeconds() + " s: " + last);
    }

    /**
     * A broker that was just restarted is still listed by describeCluster until its session times out: each
     * broker must also accept a connection.
     */
    private static Optional<String> closedPort(String bootstrap) {
        for (String address : bootstrap.split(",")) {
            int colon = address.lastIndexOf(':');
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(
                        new java.net.InetSocketAddress(
                                address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                        500);
            } catch (java.io.IOException e) {
                return Optional.of(address + " does not accept connections yet");
            }
        }
        return Optional.empty();
    }

    /** {@code security} and the given key-value pairs, as one map of client settings. */
    private static Map<String, Object> with(Map<String, Object> security, Object... pairs) {
        Map<String, Object> props = new java.util.HashMap<>(security);
        for (int i = 0; i < pairs.length; i += 2) {
            props.put((String) pairs[i], pairs[i + 1]);
        }
        return props;
    }

    private static void roundTrip(Admin admin, String bootstrap, int brokers, Map<String, Object> security)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        try {
            admin.createTopics(List.of(new NewTopic(PROBE_TOPIC, 1, (short) Math.min(3, brokers))))
                    .all()
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        byte[] value = UUID.randomUUID().toString().getBytes();
        TopicPartition tp = new TopicPartition(PROBE_TOPIC, 0);
        RecordMetadata written;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                with(
                        security,
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        10_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        10_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        5_000,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            written = producer.send(new ProducerRecord<>(PROBE_TOPIC, 0, null, value))
                    .get(10, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                with(
                        security,
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, written.offset());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (var r : records) {
                    if (java.util.Arrays.equals(r.value(), value)) {
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("the probe record written to " + PROBE_TOPIC + " was not read back");
    }

    /** Says why waiting is pointless (a process died), or nothing. */
    @FunctionalInterface
    interface BooleanSupplierWithReason {
        Optional<String> problem();
    }
}
