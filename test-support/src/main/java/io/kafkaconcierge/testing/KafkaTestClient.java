package io.kafkaconcierge.testing;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.StatusEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: write a record, read a whole topic as it is now. */
public final class KafkaTestClient {

    private final Map<String, Object> settings;

    public KafkaTestClient(String bootstrapServers) {
        this(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** With these client settings (a secured broker's: {@link EmbeddedKafka#clientSettings()}). */
    public KafkaTestClient(Map<String, Object> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** Writes one record (acks=all) and waits for the broker to have it. */
    public void send(String topic, String key, String value, Map<String, String> headers) {
        Properties props = new Properties();
        props.putAll(settings);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    /** Writes a status event as the provisioner does: CloudEvents binary mode, keyed by resource. */
    public void sendEvent(StatusEvent event) {
        send(
                ConciergeTopics.EVENTS,
                event.resource().key(),
                new String(Json.write(event), StandardCharsets.UTF_8),
                Map.of(
                        CloudEvents.H_SPECVERSION,
                        CloudEvents.SPEC_VERSION,
                        CloudEvents.H_ID,
                        event.eventId(),
                        CloudEvents.H_TYPE,
                        event.eventType(),
                        CloudEvents.H_SOURCE,
                        "/test",
                        CloudEvents.H_TIME,
                        event.time().toString(),
                        CloudEvents.H_CONTENT_TYPE,
                        CloudEvents.CONTENT_TYPE_JSON));
    }

    /** Every record of the topic up to its end offsets at the time of the call, in partition then offset order. */
    public List<ConsumerRecord<String, String>> records(String topic) {
        Properties props = new Properties();
        props.putAll(settings);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** How many records the topic has had: the sum of its partitions' end offsets. */
    public long written(String topic) {
        Properties props = new Properties();
        props.putAll(settings);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** A counter of the topic's records that match, cheap to ask often (see {@link Tally}); close it after. */
    public Tally tally(String topic, java.util.function.Predicate<ConsumerRecord<String, String>> filter) {
        return new Tally(settings, topic, filter);
    }

    /** The records of one key. */
    public List<ConsumerRecord<String, String>> records(String topic, String key) {
        return records(topic).stream().filter(r -> key.equals(r.key())).toList();
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
