package io.kafkaconcierge.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the house, read from the compiled classes of every module (ArchUnit): what a package may depend on
 * is a rule of the build, not a habit. A rule that fails names the classes and the dependencies that break it.
 */
class HouseRulesIT {

    private static final Path ROOT = Path.of(System.getProperty("concierge.apps.dir", ".."));
    private static final List<String> MODULES =
            List.of("contracts", "problem-json", "security", "concierge-api", "provisioner", "notifier");
    private static JavaClasses house;

    @BeforeAll
    static void importTheCompiledClasses() {
        List<Path> dirs = MODULES.stream()
                .map(m -> ROOT.resolve(m).resolve("target/classes"))
                .toList();
        assertThat(dirs)
                .allSatisfy(d -> assertThat(Files.isDirectory(d))
                        .as(d + " (build the modules first)")
                        .isTrue());
        house = new ClassFileImporter().importPaths(dirs);
        assertThat(house.stream().filter(c -> c.getPackageName().startsWith("io.kafkaconcierge")))
                .hasSizeGreaterThan(200);
    }

    /** Resources turn HTTP into calls of services and answers; talking to Kafka is the services' business. */
    @Test
    void shouldKeepKafkaOutOfTheRestResources() {
        noClasses()
                .that()
                .resideInAnyPackage("io.kafkaconcierge..rest..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka..",
                        "io.smallrye.reactive.messaging..",
                        "io.kafkaconcierge.api.messaging..",
                        "io.kafkaconcierge.notifier.messaging..")
                .because("a rest package never touches Kafka: it calls a service")
                .check(house);
    }

    /** The shared contract is a plain library: every service reads it, it reads none of them and no framework. */
    @Test
    void shouldKeepTheContractsFreeOfTheServicesAndOfTheFramework() {
        noClasses()
                .that()
                .resideInAnyPackage("io.kafkaconcierge.contracts..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.kafkaconcierge.api..",
                        "io.kafkaconcierge.provisioner..",
                        "io.kafkaconcierge.notifier..",
                        "io.kafkaconcierge.security..",
                        "io.quarkus..",
                        "jakarta.enterprise..",
                        "jakarta.ws.rs..")
                .because("contracts depends on nothing of the services")
                .check(house);
    }

    /** Services talk over Kafka only: none of them uses another's classes. */
    @Test
    void shouldKeepEachServiceToItself() {
        noClasses()
                .that()
                .resideInAnyPackage("io.kafkaconcierge.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.kafkaconcierge.provisioner..", "io.kafkaconcierge.notifier..")
                .check(house);
        noClasses()
                .that()
                .resideInAnyPackage("io.kafkaconcierge.provisioner..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.kafkaconcierge.api..", "io.kafkaconcierge.notifier..")
                .check(house);
        noClasses()
                .that()
                .resideInAnyPackage("io.kafkaconcierge.notifier..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.kafkaconcierge.api..", "io.kafkaconcierge.provisioner..")
                .check(house);
    }

    /** Configuration is read through {@code @ConfigMapping} interfaces (and injected properties), not looked up. */
    @Test
    void shouldReadConfigurationThroughMappingsNotLookups() {
        noClasses()
                .that()
                .resideInAnyPackage("io.kafkaconcierge..")
                // the one exception: Jackson's limits are set while the application initialises, before mappings
                .and()
                .doNotHaveFullyQualifiedName("io.kafkaconcierge.security.InputLimits$JsonLimits")
                .should()
                .callMethod("org.eclipse.microprofile.config.ConfigProvider", "getConfig")
                .because("configuration is injected (@ConfigMapping), so that it is validated at startup")
                .check(house);
    }

    /**
     * Periodic and blocking work runs on Quarkus's scheduler and managed executors. The classes that still make
     * their own threads are listed here so that the list can only shrink: a new class that starts a thread or an
     * executor of its own fails this test.
     */
    @Test
    void shouldMakeNoNewHandMadeThreadsOrExecutors() {
        Set<String> tolerated = Set.of(
                "io.kafkaconcierge.api.stream.EventStreamService", // one reader thread per SSE client
                "io.kafkaconcierge.contracts.kafka.TopicTail", // a blocking consumer loop per tail
                "io.kafkaconcierge.notifier.delivery.Dispatcher", // a blocking consumer loop per subscription and slot
                // the one mail-sender thread, moved here from EventDelivery (SMTP sends hang from several threads)
                "io.kafkaconcierge.notifier.delivery.EmailChannel");
        Set<String> makers = new TreeSet<>();
        for (JavaClass c : house) {
            if (!c.getPackageName().startsWith("io.kafkaconcierge")) {
                continue;
            }
            for (JavaConstructorCall call : c.getConstructorCallsFromSelf()) {
                if (call.getTargetOwner().isAssignableTo(Thread.class)) {
                    makers.add(outermost(c).getName());
                }
            }
            for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                if (call.getTargetOwner().isEquivalentTo(java.util.concurrent.Executors.class)
                        && call.getName().startsWith("new")) {
                    makers.add(outermost(c).getName());
                }
            }
        }
        assertThat(makers)
                .as("classes that make their own threads or executors (use @Scheduled or a managed "
                        + "executor instead; when one is converted, remove it from the tolerated list)")
                .isSubsetOf(tolerated);
        // the list only shrinks: a tolerated class that no longer makes threads must leave the list
        assertThat(tolerated)
                .as("tolerated classes that no longer make threads: remove them from the list")
                .isSubsetOf(makers);
    }

    /** Every resource is a thin JAX-RS class in a rest (or console) package. */
    @Test
    void shouldServeHttpOnlyFromRestPackages() {
        classes()
                .that()
                .areAnnotatedWith("jakarta.ws.rs.Path")
                .and()
                .resideInAnyPackage("io.kafkaconcierge..")
                .should()
                .resideInAnyPackage("..rest..", "..console..", "..security..")
                .check(house);
    }

    private static JavaClass outermost(JavaClass c) {
        JavaClass current = c;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }
}
