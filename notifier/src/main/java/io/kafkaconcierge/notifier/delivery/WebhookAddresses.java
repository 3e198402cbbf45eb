package io.kafkaconcierge.notifier.delivery;

import io.kafkaconcierge.notifier.config.NotifierConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may be delivered: a host is resolved (every address) and refused if any address is not public,
 * unless the configuration allows its class (loopback, private networks). Link-local addresses, cloud metadata
 * endpoints, wildcard, carrier-grade NAT, multicast and reserved addresses are never allowed. Used at delivery
 * time, on the address the request then connects to (see {@link WebhookSender}), and at a subscription's creation.
 */
public final class WebhookAddresses {

    /** Resolves a host to all its addresses: {@link InetAddress#getAllByName} outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** What the check found. */
    public sealed interface Verdict {}

    /** Every address of the host may be used; {@code connectTo} is the one to connect to (the first). */
    public record Allowed(InetAddress connectTo) implements Verdict {}

    /** An address of the host may not be used. */
    public record Refused(String host, String address, String what, String policy) implements Verdict {
        /** As recorded for a delivery attempt. */
        public String message() {
            return "refused: webhook host " + host + " resolves to " + address + ", " + what + "; " + policy;
        }

        /** As a field error of a subscription's URL. */
        public String fieldMessage() {
            return "resolves to " + address + ", " + what + "; " + policy;
        }
    }

    /** The host has no address now (that may change: it is not a refusal). */
    public record Unresolved(String error) implements Verdict {}

    private final boolean allowLoopback;
    private final boolean allowPrivate;
    private final Resolver resolver;

    public WebhookAddresses(boolean allowLoopback, boolean allowPrivate, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public static WebhookAddresses of(NotifierConfig.Webhook config) {
        return new WebhookAddresses(config.allowLoopback(), config.allowPrivateNetworks(), InetAddress::getAllByName);
    }

    /** Resolves the host (as in a URI: an IPv6 literal in brackets) and decides. Blocking when it asks DNS. */
    public Verdict check(String host) {
        if (host == null || host.isBlank()) {
            return new Unresolved("no host");
        }
        // a host that the system resolver reads as a numeric IPv4 address (inet_aton: 0xA9FEA9FE, 0251.0376.0251.0376,
        // 2852039166, 169.254.43518): judged as that address, whatever this JVM's own resolution makes of it
        Optional<InetAddress> numeric = numericV4(host);
        if (numeric.isPresent()) {
            Refused refused = refusal(host, numeric.get());
            if (refused != null) {
                return refused;
            }
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return new Unresolved("cannot resolve " + host + ": " + e.getMessage());
        }
        if (addresses == null || addresses.length == 0) {
            return new Unresolved("cannot resolve " + host + ": no address");
        }
        for (InetAddress address : addresses) {
            Refused refused = refusal(host, address);
            if (refused != null) {
                return refused;
            }
        }
        return new Allowed(addresses[0]);
    }

    /** Whether the address may be used; pure. */
    public boolean allows(InetAddress address) {
        if (AddressClass.metadata(address)) {
            return false;
        }
        return switch (AddressClass.of(address)) {
            case PUBLIC -> true;
            case LOOPBACK -> allowLoopback;
            case PRIVATE -> allowPrivate;
            default -> false;
        };
    }

    private Refused refusal(String host, InetAddress address) {
        if (allows(address)) {
            return null;
        }
        String what =
                AddressClass.of(address).description() + (AddressClass.metadata(address) ? " (cloud metadata)" : "");
        List<String> refused = new ArrayList<>(List.of("link-local"));
        if (!allowLoopback) {
            refused.add("loopback");
        }
        if (!allowPrivate) {
            refused.add("private");
        }
        String classes = refused.size() == 1
                ? refused.get(0)
                : String.join(", ", refused.subList(0, refused.size() - 1)) + " and " + refused.get(refused.size() - 1);
        String policy = "deliveries to " + classes + " addresses are not allowed";
        if (allowLoopback || allowPrivate) {
            policy += " (nor to cloud metadata, wildcard, carrier-grade NAT, multicast or reserved ones)";
        }
        return new Refused(host, text(address), what, policy);
    }

    private static String text(InetAddress address) {
        String s = address.getHostAddress();
        int scope = s.indexOf('%');
        return scope < 0 ? s : s.substring(0, scope);
    }

    /** Whether every character of s is a digit from 0 to {@code highest} (as the regex [0-highest]+ on a non-empty s). */
    private static boolean digits(String s, char highest) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > highest) {
                return false;
            }
        }
        return true;
    }

    /**
     * The IPv4 address a host name stands for in the forms the C library's {@code inet_aton} accepts: one to four
     * dot-separated parts, each decimal, octal (leading 0) or hex (0x), the last filling the remaining bytes.
     */
    static Optional<InetAddress> numericV4(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = h.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].toLowerCase(Locale.ROOT);
            try {
                if (p.startsWith("0x")) {
                    values[i] = p.length() == 2 || p.length() > 10 ? -1 : Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    values[i] = p.length() > 12 || !digits(p, '7') ? -1 : Long.parseLong(p.substring(1), 8);
                } else {
                    values[i] = p.isEmpty() || p.length() > 10 || !digits(p, '9') ? -1 : Long.parseLong(p);
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (values[i] < 0) {
                return Optional.empty();
            }
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 0xff) {
                return Optional.empty();
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[parts.length - 1];
        if (last >= 1L << (8 * (4 - (parts.length - 1)))) {
            return Optional.empty();
        }
        address |= last;
        try {
            return Optional.of(InetAddress.getByAddress(AddressClass.bytes((int) address)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
