package dev.zmq.spring.boot.autoconfigure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * The module's shape, as Boot's own modules have it: one public final auto-configuration per
 * concern, each listed in {@code AutoConfiguration.imports}, importing package-private
 * configurations; zmq-core's public API only.
 */
class ArchitectureTests {
    private static final JavaClasses MODULE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPath(location());

    private static Path location() {
        try {
            return Path.of(dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration.class
                    .getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void autoConfigurationsArePublicFinal() {
        classes().that().areAnnotatedWith(AutoConfiguration.class).should().bePublic().andShould()
                .haveModifier(JavaModifier.FINAL)
                .because("an auto-configuration is an entry point, not an extension point (Boot's convention)")
                .check(MODULE);
    }

    @Test
    void otherConfigurationsArePackagePrivate() {
        classes().that().areAnnotatedWith(Configuration.class).and().areNotAnnotatedWith(AutoConfiguration.class)
                .should().notBePublic()
                .because("configurations other than the entries are imported by their auto-configuration, never by users")
                .check(MODULE);
    }

    @Test
    void theRuleSeesAPublicConfiguration() {
        var wrong = new ClassFileImporter().importClasses(PublicConfiguration.class);
        assertThatThrownBy(() -> classes().that().areAnnotatedWith(Configuration.class).should().notBePublic().check(wrong))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void everyAutoConfigurationIsListedOnceAndEveryEntryExists() throws IOException {
        Set<String> listed;
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            listed = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
        }
        Set<String> declared = MODULE.stream().filter(c -> c.isAnnotatedWith(AutoConfiguration.class))
                .map(JavaClass::getName).collect(Collectors.toSet());
        assertThat(listed).isEqualTo(declared);
        // one entry per concern: each lives in its own package
        assertThat(declared.stream().map(n -> n.substring(0, n.lastIndexOf('.'))).distinct()).hasSameSizeAs(declared);
    }

    @Test
    void onlyZmqCoresPublicApiIsUsed() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.zmq.internal..")
                .because("Spring modules use zmq-core's public API only").check(MODULE);
    }

    @Configuration(proxyBeanMethods = false)
    public static class PublicConfiguration {
    }
}
