package io.kafkaconcierge.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookAddressesTest {

    /** A resolver for tests: a few made-up names, and literals as the JDK reads them (no DNS). */
    private static final WebhookAddresses.Resolver FAKE_DNS = host -> {
        Map<String, String[]> names = Map.of(
                "hooks.example.com", new String[] {"93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"},
                "rebind.attacker.example", new String[] {"93.184.216.34", "169.254.169.254"},
                "metadata.attacker.example", new String[] {"169.254.169.254"},
                "intranet.example", new String[] {"10.1.2.3"},
                "localhost", new String[] {"127.0.0.1", "::1"});
        String[] found = names.get(host);
        if (found == null) {
            if (Character.digit(host.charAt(0), 16) < 0 && host.charAt(0) != '[' && host.charAt(0) != ':') {
                throw new UnknownHostException(host);
            }
            return InetAddress.getAllByName(host); // a literal: the JDK parses it, no lookup
        }
        InetAddress[] addresses = new InetAddress[found.length];
        for (int i = 0; i < found.length; i++) {
            addresses[i] = InetAddress.getByName(found[i]);
        }
        return addresses;
    };

    private static final WebhookAddresses STRICT = new WebhookAddresses(false, false, FAKE_DNS);
    private static final WebhookAddresses LENIENT = new WebhookAddresses(true, true, FAKE_DNS);

    private static AddressClass classOf(String literal) throws UnknownHostException {
        return AddressClass.of(InetAddress.getByName(literal));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "93.184.216.34, PUBLIC",
        "8.8.8.8, PUBLIC",
        "1.1.1.1, PUBLIC",
        "100.63.255.255, PUBLIC",
        "100.128.0.0, PUBLIC",
        "172.15.255.255, PUBLIC",
        "172.32.0.0, PUBLIC",
        "169.253.255.255, PUBLIC",
        "127.0.0.1, LOOPBACK",
        "127.255.255.254, LOOPBACK",
        "10.0.0.1, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "192.168.1.1, PRIVATE",
        "169.254.169.254, LINK_LOCAL",
        "169.254.0.1, LINK_LOCAL",
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "100.64.0.1, SHARED",
        "100.100.100.200, SHARED",
        "100.127.255.255, SHARED",
        "224.0.0.1, MULTICAST",
        "239.255.255.250, MULTICAST",
        "240.0.0.1, RESERVED",
        "255.255.255.255, RESERVED",
        "192.0.0.192, RESERVED",
        "192.0.2.1, RESERVED",
        "198.18.0.1, RESERVED",
        "198.51.100.7, RESERVED",
        "203.0.113.9, RESERVED"
    })
    void shouldClassifyIpv4Addresses(String literal, AddressClass expected) throws Exception {
        assertThat(classOf(literal)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "2606:2800:220:1:248:1893:25c8:1946, PUBLIC",
        "2001:4860:4860::8888, PUBLIC",
        "::1, LOOPBACK",
        "::, UNSPECIFIED",
        "fe80::1, LINK_LOCAL",
        "febf::1, LINK_LOCAL",
        "fc00::1, PRIVATE",
        "fd12:3456::1, PRIVATE",
        "fec0::1, PRIVATE",
        "fd00:ec2::254, PRIVATE",
        "ff02::1, MULTICAST",
        "ff05::2, MULTICAST",
        "2001:db8::1, RESERVED",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2, RESERVED",
        "100::1, RESERVED",
        "::2:3:4:5:6, RESERVED",
        // IPv4 addresses carried in IPv6: classified by what they carry
        "::ffff:169.254.169.254, LINK_LOCAL",
        "::ffff:127.0.0.1, LOOPBACK",
        "::ffff:10.0.0.1, PRIVATE",
        "::ffff:8.8.8.8, PUBLIC",
        "::169.254.169.254, LINK_LOCAL",
        "::127.0.0.1, LOOPBACK",
        "::8.8.8.8, RESERVED",
        "64:ff9b::169.254.169.254, LINK_LOCAL",
        "64:ff9b::a9fe:a9fe, LINK_LOCAL",
        "64:ff9b::7f00:1, LOOPBACK",
        "64:ff9b::8.8.8.8, PUBLIC",
        "64:ff9b:1::a9fe:a9fe, PRIVATE",
        "2002:a9fe:a9fe::, LINK_LOCAL",
        "2002:7f00:1::1, LOOPBACK",
        "2002:c0a8:101::1, PRIVATE",
        "2002:808:808::1, PUBLIC"
    })
    void shouldClassifyIpv6AddressesAndTheIpv4AddressesTheyCarry(String literal, AddressClass expected)
            throws Exception {
        assertThat(classOf(literal)).isEqualTo(expected);
    }

    @Test
    void shouldClassifyAnIpv4MappedAddressGivenAsSixteenBytesLikeItsIpv4Address() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}, 0, mapped, 12, 4);
        // Inet6Address.getByAddress keeps it an Inet6Address (InetAddress.getByName would turn it into IPv4)
        InetAddress address = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(AddressClass.of(address)).isEqualTo(AddressClass.LINK_LOCAL);
        assertThat(AddressClass.metadata(address)).isTrue();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "0xA9FEA9FE, 169.254.169.254",
        "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
        "0251.0376.0251.0376, 169.254.169.254",
        "2852039166, 169.254.169.254",
        "169.254.43518, 169.254.169.254",
        "169.16689662, 169.254.169.254",
        "0x7f.1, 127.0.0.1",
        "0177.0.0.01, 127.0.0.1",
        "127.1, 127.0.0.1",
        "010.0.0.1, 8.0.0.1",
        "0, 0.0.0.0",
        "1.2.3.4., 1.2.3.4"
    })
    void shouldReadTheNumericHostFormsTheCLibraryAccepts(String host, String address) throws Exception {
        assertThat(WebhookAddresses.numericV4(host)).contains(InetAddress.getByName(address));
    }

    @ParameterizedTest
    @CsvSource({
        "hooks.example.com",
        "256.1.1.1",
        "1.2.3.4.5",
        "0x1g",
        "08.1.1.1",
        "1..2",
        "0x",
        "4294967296",
        "deadbeef",
        "1.2.3.256",
        "1.16777216"
    })
    void shouldNotTakeNamesOrOutOfRangeNumbersForAddresses(String host) {
        assertThat(WebhookAddresses.numericV4(host)).isEmpty();
    }

    @Test
    void shouldRefuseTheMetadataAddressInHexAndSayWhy() {
        WebhookAddresses.Verdict verdict = STRICT.check("0xA9FEA9FE");
        assertThat(verdict).isInstanceOf(WebhookAddresses.Refused.class);
        assertThat(((WebhookAddresses.Refused) verdict).message())
                .isEqualTo("refused: webhook host 0xA9FEA9FE "
                        + "resolves to 169.254.169.254, a link-local address (cloud metadata); deliveries to link-local, "
                        + "loopback and private addresses are not allowed");
    }

    @Test
    void shouldRefuseLinkLocalAndMetadataAddressesWhateverTheConfigurationAllows() {
        for (String host : new String[] {
            "169.254.169.254",
            "[::ffff:169.254.169.254]",
            "[::ffff:a9fe:a9fe]",
            "[64:ff9b::a9fe:a9fe]",
            "[fe80::1]",
            "0xA9FEA9FE",
            "2852039166",
            "0251.0376.0251.0376",
            "[fd00:ec2::254]",
            "100.100.100.200",
            "192.0.0.192",
            "metadata.attacker.example",
            "0.0.0.0",
            "[::]",
            "224.0.0.1",
            "255.255.255.255"
        }) {
            assertThat(LENIENT.check(host)).as(host).isInstanceOf(WebhookAddresses.Refused.class);
            assertThat(STRICT.check(host)).as(host).isInstanceOf(WebhookAddresses.Refused.class);
        }
        assertThat(((WebhookAddresses.Refused) LENIENT.check("[fd00:ec2::254]")).message())
                .contains("(cloud metadata)");
    }

    @Test
    void shouldRefuseANameWhenAnyOfItsAddressesIsRefused() {
        WebhookAddresses.Verdict verdict = STRICT.check("rebind.attacker.example");
        assertThat(verdict).isInstanceOf(WebhookAddresses.Refused.class);
        assertThat(((WebhookAddresses.Refused) verdict).message())
                .contains("rebind.attacker.example")
                .contains("169.254.169.254");
    }

    @Test
    void shouldRefuseLoopbackAndPrivateAddressesUnlessAllowed() {
        assertThat(STRICT.check("0x7f000001")).isInstanceOf(WebhookAddresses.Refused.class);
        for (String host : new String[] {"127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "127.1"}) {
            assertThat(STRICT.check(host)).as(host).isInstanceOf(WebhookAddresses.Refused.class);
            assertThat(new WebhookAddresses(true, false, FAKE_DNS).check(host))
                    .as(host)
                    .isInstanceOf(WebhookAddresses.Allowed.class);
        }
        for (String host : new String[] {"10.1.2.3", "intranet.example", "[fd12::1]", "192.168.0.10"}) {
            assertThat(STRICT.check(host)).as(host).isInstanceOf(WebhookAddresses.Refused.class);
            assertThat(new WebhookAddresses(true, false, FAKE_DNS).check(host))
                    .as(host)
                    .isInstanceOf(WebhookAddresses.Refused.class);
            assertThat(new WebhookAddresses(false, true, FAKE_DNS).check(host))
                    .as(host)
                    .isInstanceOf(WebhookAddresses.Allowed.class);
        }
        assertThat(((WebhookAddresses.Refused) new WebhookAddresses(true, false, FAKE_DNS).check("10.1.2.3")).message())
                .endsWith("deliveries to link-local and private addresses are not allowed (nor to cloud "
                        + "metadata, wildcard, carrier-grade NAT, multicast or reserved ones)");
    }

    @Test
    void shouldAllowPublicAddressesAndConnectToTheFirst() throws Exception {
        assertThat(STRICT.check("hooks.example.com"))
                .isEqualTo(new WebhookAddresses.Allowed(InetAddress.getByName("93.184.216.34")));
        assertThat(STRICT.check("[2001:4860:4860::8888]")).isInstanceOf(WebhookAddresses.Allowed.class);
        assertThat(STRICT.check("[::ffff:8.8.8.8]")).isInstanceOf(WebhookAddresses.Allowed.class);
    }

    @Test
    void shouldCallANameThatDoesNotResolveUnresolvedNotRefused() {
        assertThat(STRICT.check("nowhere.invalid")).isInstanceOf(WebhookAddresses.Unresolved.class);
    }

    @Test
    void shouldJudgeNumericHostsTheWayTheSystemResolverReadsThem() {
        // whatever the JVM does with 0xA9FEA9FE (this JDK does not resolve it; glibc's getaddrinfo does), the host
        // is judged as the address the C library reads in it
        WebhookAddresses realDns = new WebhookAddresses(false, false, InetAddress::getAllByName);
        assertThat(realDns.check("0xA9FEA9FE")).isInstanceOf(WebhookAddresses.Refused.class);
        assertThat(realDns.check("2852039166")).isInstanceOf(WebhookAddresses.Refused.class);
        assertThat(realDns.check("010.0.0.1")).isInstanceOf(WebhookAddresses.Refused.class);
        assertThat(realDns.check("[::ffff:169.254.169.254]")).isInstanceOf(WebhookAddresses.Refused.class);
    }
}
