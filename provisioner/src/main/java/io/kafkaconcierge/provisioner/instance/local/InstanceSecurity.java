package io.kafkaconcierge.provisioner.instance.local;

import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus.ListenerAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * The security of a local instance asked with {@code "security": {"authentication": "scram-sha-512", ...}}, as pure
 * functions: the broker settings of each node and the client settings the provisioner connects with. The concierge's
 * own principal {@link #ADMIN} is the instance's super user: clients' listeners take SASL/SCRAM-SHA-512 (its
 * credential bootstrapped into the metadata at format time, KIP-900), brokers talk to each other over the first
 * client listener with that credential, and nodes reach the controllers over SASL/PLAIN as the same principal
 * (SCRAM cannot serve the controller listener: its credentials live in the metadata the controllers serve).
 */
final class InstanceSecurity {

    /** The concierge's principal on its secured instances; no Kafka user of the concierge may take this name. */
    static final String ADMIN = "concierge-admin";

    static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    static final String SCRAM = "SCRAM-SHA-512";

    private InstanceSecurity() {}

    /**
     * The broker settings of one node: every client listener SASL_PLAINTEXT with SCRAM-SHA-512, the controller
     * listener SASL_PLAINTEXT with PLAIN, and with authorization the StandardAuthorizer, no access without an ACL,
     * and {@link #ADMIN} as the only super user. {@code controllerListener}: the controller listener's name.
     */
    static Map<String, String> brokerSettings(
            InstanceSpec.Security security,
            String adminPassword,
            List<String> clientListeners,
            String controllerListener) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sasl.enabled.mechanisms", SCRAM);
        p.put("sasl.mechanism.inter.broker.protocol", SCRAM);
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        String scramJaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + ADMIN
                + "\" password=\"" + adminPassword + "\";";
        for (String listener : clientListeners) {
            String prefix = "listener.name." + listener.toLowerCase();
            p.put(prefix + ".sasl.enabled.mechanisms", SCRAM);
            p.put(prefix + ".scram-sha-512.sasl.jaas.config", scramJaas);
        }
        String controller = "listener.name." + controllerListener.toLowerCase();
        p.put(controller + ".sasl.enabled.mechanisms", "PLAIN");
        p.put(
                controller + ".plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule "
                        + "required username=\"" + ADMIN + "\" password=\"" + adminPassword + "\" user_" + ADMIN + "=\""
                        + adminPassword + "\";");
        if (security.authorization()) {
            p.put("authorizer.class.name", AUTHORIZER);
            p.put("allow.everyone.if.no.acl.found", "false");
            p.put("super.users", "User:" + ADMIN);
        }
        return p;
    }

    /** What the provisioner's clients (Admin, probe producer and consumer) add to reach the instance as {@link #ADMIN}. */
    static Map<String, Object> clientSettings(String adminPassword) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                ListenerAddress.SASL_PLAINTEXT,
                SaslConfigs.SASL_MECHANISM,
                SCRAM,
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required " + "username=\"" + ADMIN
                        + "\" password=\"" + adminPassword + "\";");
    }

    /** The file {@code BrokerMain} formats the storage with: the admin's SCRAM credential (KIP-900 {@code --add-scram}). */
    static String scramBootstrap(String adminPassword) {
        return "mechanism=" + SCRAM + "\nname=" + ADMIN + "\npassword=" + adminPassword + "\n";
    }
}
