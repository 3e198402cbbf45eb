package io.kafkaconcierge.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Starts one KRaft node (broker, controller or both) in this JVM: formats its storage first when it has never been
 * formatted, so a node needs one JVM start, not two.
 *
 * <pre>java -cp &lt;broker classpath&gt; io.kafkaconcierge.localkafka.BrokerMain server.properties &lt;cluster-id&gt;</pre>
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BrokerMain <server.properties> <cluster-id>");
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
        if (!formatted) {
            int code = kafka.tools.StorageTool.execute(new String[] {"format", "-t", args[1], "-c", config.toString(),
                    "--ignore-formatted"}, System.out);
            if (code != 0) {
                System.err.println("formatting the storage failed with exit code " + code);
                System.exit(code);
            }
        }
        kafka.Kafka.main(new String[] {config.toString()});
    }
}
