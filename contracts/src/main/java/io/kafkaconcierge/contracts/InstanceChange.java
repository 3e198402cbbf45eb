package io.kafkaconcierge.contracts;

import java.util.Map;

/**
 * What a PATCH of an instance asks to change; null fields stay as they are.
 *
 * @param brokers            a higher broker count (brokers are only added)
 * @param config             broker configs to set; a null value returns the config to its default
 * @param deletionProtection set or clear the protection against DELETE
 * @param description        a new description
 */
public record InstanceChange(
        Integer brokers, Map<String, String> config, Boolean deletionProtection, String description) {}
