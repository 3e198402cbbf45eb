package io.kafkaconcierge.notifier.delivery;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;

/**
 * What kind of network an IP address belongs to, for deciding whether a webhook may be delivered there. Pure: no
 * lookups. IPv6 forms that carry an IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible
 * {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are classified by the IPv4 address they
 * carry, since that is where the packets end up.
 */
public enum AddressClass {
    PUBLIC("a public address"),
    LOOPBACK("a loopback address"),
    PRIVATE("a private-network address"),
    LINK_LOCAL("a link-local address"),
    UNSPECIFIED("a wildcard (unspecified) address"),
    SHARED("a carrier-grade NAT (shared, 100.64.0.0/10) address"),
    MULTICAST("a multicast address"),
    RESERVED("a reserved or special-purpose address");

    /**
     * Cloud metadata endpoints (AWS, GCP, Azure, OCI: 169.254.169.254; AWS ECS: 169.254.170.2; AWS over IPv6:
     * fd00:ec2::254; Alibaba: 100.100.100.200; OCI: 192.0.0.192). Never allowed, whatever the configuration.
     */
    private static final Set<String> METADATA =
            Set.of("169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2:0:0:0:0:0:254");

    private final String description;

    AddressClass(String description) {
        this.description = description;
    }

    /** For messages: "a link-local address". */
    public String description() {
        return description;
    }

    /** The class of an address, looking through the IPv6 forms that carry an IPv4 address. */
    public static AddressClass of(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? ofV4(toInt(b, 0)) : ofV6(b);
    }

    /** Whether the address (or the IPv4 address it carries) is a known cloud metadata endpoint. */
    public static boolean metadata(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            Optional<Integer> v4 = embeddedV4(b);
            if (v4.isPresent()) {
                return METADATA.contains(v4String(v4.get()));
            }
        }
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return METADATA.contains(scope < 0 ? text : text.substring(0, scope));
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64 well-known prefix, 6to4), if any. */
    static Optional<Integer> embeddedV4(byte[] b) {
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return Optional.of(toInt(b, 12)); // ::ffff:a.b.c.d
        }
        if (zero(b, 0, 12) && !(zero(b, 12, 15) && (b[15] == 0 || b[15] == 1))) {
            return Optional.of(toInt(b, 12)); // ::a.b.c.d (but not :: or ::1)
        }
        if (prefix(b, 0x00, 0x64, 0xff, 0x9b) && zero(b, 4, 12)) {
            return Optional.of(toInt(b, 12)); // 64:ff9b::a.b.c.d
        }
        if (prefix(b, 0x20, 0x02)) {
            return Optional.of(toInt(b, 2)); // 2002:aabb:ccdd::
        }
        return Optional.empty();
    }

    private static AddressClass ofV4(int a) {
        if (in(a, 0x00000000, 8)) {
            return UNSPECIFIED; // 0.0.0.0/8, "this network"
        }
        if (in(a, 0x7f000000, 8)) {
            return LOOPBACK;
        }
        if (in(a, 0x0a000000, 8) || in(a, 0xac100000, 12) || in(a, 0xc0a80000, 16)) {
            return PRIVATE;
        }
        if (in(a, 0xa9fe0000, 16)) {
            return LINK_LOCAL;
        }
        if (in(a, 0x64400000, 10)) {
            return SHARED;
        }
        if (in(a, 0xe0000000, 4)) {
            return MULTICAST;
        }
        if (in(a, 0xf0000000, 4) // 240/4, with the broadcast 255.255.255.255
                || in(a, 0xc0000000, 24) // 192.0.0.0/24, IETF protocol assignments
                || in(a, 0xc0000200, 24)
                || in(a, 0xc6336400, 24)
                || in(a, 0xcb007100, 24) // documentation
                || in(a, 0xc0586300, 24) // 192.88.99.0/24, 6to4 relays
                || in(a, 0xc6120000, 15)) { // 198.18.0.0/15, benchmarking
            return RESERVED;
        }
        return PUBLIC;
    }

    private static AddressClass ofV6(byte[] b) {
        if (zero(b, 0, 16)) {
            return UNSPECIFIED;
        }
        if (zero(b, 0, 15) && b[15] == 1) {
            return LOOPBACK;
        }
        Optional<Integer> v4 = embeddedV4(b);
        if (v4.isPresent()) {
            AddressClass inner = ofV4(v4.get());
            // IPv4-compatible addresses are deprecated: none is a legitimate place for a webhook
            boolean compatible = zero(b, 0, 12);
            return compatible && inner == PUBLIC ? RESERVED : inner;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xff) {
            return MULTICAST;
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return LINK_LOCAL; // fe80::/10
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return PRIVATE; // fec0::/10, the deprecated site-local
        }
        if ((first & 0xfe) == 0xfc) {
            return PRIVATE; // fc00::/7, unique local
        }
        if (prefix(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
            return PRIVATE; // 64:ff9b:1::/48, NAT64 for local use (where it carries the IPv4 address varies)
        }
        if (first == 0x00 // ::/8 besides the forms above
                || prefix(b, 0x01, 0x00) && zero(b, 2, 8) // 100::/64, discard
                || prefix(b, 0x20, 0x01, 0x00, 0x00) // 2001::/32, Teredo
                || prefix(b, 0x20, 0x01, 0x0d, 0xb8)) { // 2001:db8::/32, documentation
            return RESERVED;
        }
        return PUBLIC;
    }

    private static boolean in(int address, int network, int bits) {
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return (address & mask) == network;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean prefix(byte[] b, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if ((b[i] & 0xff) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static int toInt(byte[] b, int from) {
        return (b[from] & 0xff) << 24 | (b[from + 1] & 0xff) << 16 | (b[from + 2] & 0xff) << 8 | b[from + 3] & 0xff;
    }

    static String v4String(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    static byte[] bytes(int a) {
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }
}
