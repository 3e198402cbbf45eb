package io.kafkaconcierge.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Starts one KRaft node (broker, controller or both) in this JVM: formats its storage first when it has never been
 * formatted, so a node needs one JVM start, not two.
 *
 * <pre>java -cp &lt;broker classpath&gt; io.kafkaconcierge.localkafka.BrokerMain server.properties &lt;cluster-id&gt; [scram.properties]</pre>
 *
 * With a third argument, the storage is formatted with a SCRAM credential bootstrapped into the metadata (KIP-900,
 * {@code --add-scram}): the file, which should be readable by its owner only, holds {@code mechanism},
 * {@code name} and {@code password}; it is read in this JVM, so the password is never on a command line, and removed
 * once the storage is formatted.
 */
public final class BrokerMain {

    private BrokerMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: BrokerMain <server.properties> <cluster-id> [scram.properties]");
            System.exit(2);
        }
        Path config = Path.of(args[0]);
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            props.load(in);
        }
        String dirs = props.getProperty("log.dirs", props.getProperty("log.dir"));
        if (dirs == null) {
            System.err.println(config + " has no log.dirs");
            System.exit(2);
        }
        boolean formatted = true;
        for (String dir : dirs.split(",")) {
            formatted &= Files.exists(Path.of(dir.trim(), "meta.properties"));
        }
        Path scram = args.length == 3 ? Path.of(args[2]) : null;
        if (!formatted) {
            List<String> format =
                    new ArrayList<>(List.of("format", "-t", args[1], "-c", config.toString(), "--ignore-formatted"));
            if (scram != null) {
                format.addAll(List.of("--add-scram", scramArgument(scram)));
            }
            int code = kafka.tools.StorageTool.execute(format.toArray(String[]::new), System.out);
            if (code != 0) {
                System.err.println("formatting the storage failed with exit code " + code);
                System.exit(code);
            }
        }
        if (scram != null) {
            Files.deleteIfExists(scram);
        }
        kafka.Kafka.main(new String[] {config.toString()});
    }

    /** {@code SCRAM-SHA-512=[name=...,password=...]} from the file (its values must not hold ',', ']' or '"'). */
    private static String scramArgument(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        String mechanism = p.getProperty("mechanism", "SCRAM-SHA-512");
        String name = p.getProperty("name");
        String password = p.getProperty("password");
        if (name == null || password == null) {
            System.err.println(file + " needs name and password");
            System.exit(2);
        }
        return mechanism + "=[name=" + name + ",password=" + password + "]";
    }
}
