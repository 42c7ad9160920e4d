package dev.zmq.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** zmq-spring uses zmq-core's public API only, and is a Spring library, not a Boot one. */
class ArchitectureTests {
    /** This module's compiled classes (target/classes), nothing else of the classpath. */
    private static final com.tngtech.archunit.core.domain.JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPath(location());

    private static java.nio.file.Path location() {
        try {
            return java.nio.file.Path.of(dev.zmq.spring.listener.ZmqListener.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theRuleSeesAReferenceToCoreInternals() {
        // ZmqContext is built on dev.zmq.internal: the same rule must fail on it
        var core = new ClassFileImporter().importClasses(dev.zmq.ZmqContext.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> noClasses().should().dependOnClassesThat()
                .resideInAPackage("dev.zmq.internal..").check(core)).isInstanceOf(AssertionError.class);
    }

    @Test
    void theLibraryIsImported() {
        assertThat(LIBRARY.stream().map(c -> c.getPackageName()).distinct())
                .contains("dev.zmq.spring.listener", "dev.zmq.spring.core", "dev.zmq.spring.socket", "dev.zmq.spring.annotation");
    }

    @Test
    void onlyZmqCoresPublicApiIsUsed() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.zmq.internal..")
                .because("Spring modules use zmq-core's public API (dev.zmq, dev.zmq.security) only").check(LIBRARY);
    }

    @Test
    void springBootIsNotNeeded() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework.boot..")
                .because("zmq-spring is usable without Spring Boot; Boot support lives in zmq-spring-boot-autoconfigure").check(LIBRARY);
    }
}
