package io.kafkaconcierge.testing;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Real records read the way a subscriber that validates reads them: with the CloudEvents Java SDK's Kafka
 * deserializer (binary mode), written back in structured JSON with the SDK's own JSON format, and, through
 * {@code tools/contract-checks}, validated by the JavaScript SDK ({@code cloudevents} on npm), which checks every
 * attribute against the CloudEvents 1.0 rules (an absolute URI in {@code dataschema}, for one).
 */
public final class CloudEventsSdk {

    private static final EventFormat JSON = new JsonFormat();

    private CloudEventsSdk() {}

    /** The record as the SDK's {@link CloudEventDeserializer} reads it; throws what the SDK throws. */
    public static CloudEvent read(ConsumerRecord<String, String> record) {
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            return deserializer.deserialize(
                    record.topic(),
                    record.headers(),
                    record.value() == null ? null : record.value().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What is wrong with the record as a CloudEvent 1.0 in Kafka binary mode: empty when the SDK is content. */
    public static List<String> check(ConsumerRecord<String, String> record) {
        List<String> problems = new ArrayList<>();
        CloudEvent event;
        try {
            event = read(record);
        } catch (RuntimeException e) {
            return List.of("the CloudEvents SDK cannot read it: " + e);
        }
        if (event.getSpecVersion() != SpecVersion.V1) {
            problems.add("specversion " + event.getSpecVersion());
        }
        URI schema = event.getDataSchema();
        if (schema != null && !schema.isAbsolute()) {
            problems.add("dataschema is not an absolute URI: " + schema);
        }
        if (event.getTime() == null) {
            problems.add("no time");
        }
        if (!"application/json".equals(event.getDataContentType())) {
            problems.add("datacontenttype " + event.getDataContentType());
        }
        try {
            CloudEvent back = JSON.deserialize(JSON.serialize(event));
            if (!back.getId().equals(event.getId()) || !back.getType().equals(event.getType())) {
                problems.add("does not survive the SDK's structured JSON format");
            }
        } catch (RuntimeException e) {
            problems.add("the SDK cannot write it in structured JSON: " + e);
        }
        return problems;
    }

    /**
     * Validates the events with the JavaScript SDK ({@code tools/contract-checks/cloudevents.mjs}, strict mode):
     * what it says is wrong, empty when every event passes. The events go to it in structured JSON, written by the
     * Java SDK.
     */
    public static List<String> checkWithJavaScriptSdk(List<CloudEvent> events, Path dir) {
        String run = System.getProperty("concierge.contract-checks.run");
        if (run == null || run.isBlank()) {
            throw new IllegalStateException("the system property concierge.contract-checks.run (the path of "
                    + "tools/contract-checks/run) is not set: run the test through Maven");
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("cloudevents-" + System.nanoTime() + ".json");
            StringBuilder json = new StringBuilder("[");
            for (CloudEvent e : events) {
                json.append(json.length() > 1 ? ",\n" : "")
                        .append(new String(JSON.serialize(e), StandardCharsets.UTF_8));
            }
            Files.writeString(file, json.append("]\n"));
            Path log = dir.resolve(file.getFileName() + ".log");
            Process process = new ProcessBuilder(run, "cloudevents.mjs", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return List.of("the JavaScript SDK check did not finish in 3 minutes; see " + log);
            }
            List<String> output = Files.readAllLines(log);
            return process.exitValue() == 0
                    ? List.of()
                    : output.isEmpty() ? List.of("exit " + process.exitValue()) : output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
