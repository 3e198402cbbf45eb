package io.kafkaconcierge.contracts;

import java.util.Map;

/**
 * What an UPDATE changes: a new partition count (never fewer), configs to set, and configs to return to the
 * cluster default (a {@code null} value). Absent fields stay as they are.
 */
public record TopicChange(Integer partitions, Map<String, String> config, String description) {}
