package io.kafkaconcierge.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts the records of a topic that match, from its beginning to its end at each call, with one consumer that stays
 * assigned and reads only what was written since the last call: cheap enough to ask before and after each of
 * hundreds of requests (a new consumer reading the whole topic each time costs a connection and a full read).
 */
public final class Tally implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;
    private final Predicate<ConsumerRecord<String, String>> filter;
    private long count;

    Tally(Map<String, Object> settings, String topic, Predicate<ConsumerRecord<String, String>> filter) {
        Properties props = new Properties();
        props.putAll(settings);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        this.filter = filter;
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The matching records written so far (up to the topic's end offsets now). */
    public synchronized long count() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.currentTimeMillis() + 30_000;
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("could not read " + partitions + " to their end in 30 s");
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                if (filter.test(r)) {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
