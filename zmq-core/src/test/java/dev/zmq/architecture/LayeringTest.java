package dev.zmq.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of zmq-core's internals (context -> socket -> session -> engine -> wire/pipe/io),
 * checked on the compiled classes so it stays true: the bottom layers know nothing above them, and
 * a layer reaches up only through interfaces it owns (a pipe wakes its socket through
 * {@code PipeOwner}, never through {@code SocketCore}; a session reaches its socket through
 * {@code SessionHost}). Transports sit between the socket and its sessions: the socket picks a
 * transport, the transport makes the sessions (socket -> transport -> session -> engine). The
 * context is the top: it makes sockets, fills the transport registry and owns the ZAP client, and
 * they see it only as {@code SocketContext} or {@code ZapClient.Host}. The packages form no cycle.
 * Each rule here fails if a class breaks it.
 */
class LayeringTest {
    private static final String ROOT = "dev.zmq.internal.";
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.zmq");
    }

    @Test
    void pipesDependOnThePublicMessageTypesAndTheJdkOnly() {
        noClasses().that().resideInAPackage(ROOT + "pipe..")
                .should().dependOnClassesThat(resideInAPackage("dev.zmq..").and(resideOutsideOfPackages("dev.zmq", ROOT + "pipe..")))
                .because("the pipe is the lowest layer between sockets and connections; it reaches its sides through PipeEndpoint and PipeOwner")
                .check(core);
    }

    @Test
    void theIoLoopDependsOnNothingOfTheProject() {
        // The JDK is fine (java.., jdk.., com.sun.management for the direct-memory limit); the project is not.
        noClasses().that().resideInAPackage(ROOT + "io..")
                .should().dependOnClassesThat(resideInAPackage("dev.zmq..").and(resideOutsideOfPackage(ROOT + "io..")))
                .check(core);
    }

    @Test
    void theLocksDependOnNothingOfTheProject() {
        // The bottom of every layer that takes a lock (a socket's, a connection's): the JDK only.
        noClasses().that().resideInAPackage(ROOT + "sync..")
                .should().dependOnClassesThat(resideInAPackage("dev.zmq..").and(resideOutsideOfPackage(ROOT + "sync..")))
                .check(core);
    }

    @Test
    void theWireFormatDependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage(ROOT + "wire")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "socket..", ROOT + "session..", ROOT + "engine..",
                        ROOT + "pattern..", ROOT + "transport..", ROOT + "pipe..", ROOT + "io..")
                .check(core);
    }

    @Test
    void theEngineNeverSeesSocketsSessionsPatternsOrTransports() {
        noClasses().that().resideInAPackage(ROOT + "engine..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "socket..", ROOT + "session..", ROOT + "pattern..",
                        ROOT + "transport..")
                .because("sessions see the engine, not the other way round: the engine calls up through Owner, PipeAccess and Events")
                .check(core);
    }

    @Test
    void theEngineAndTheWireNeverSeeZapSocketsOrSessions() {
        noClasses().that().resideInAnyPackage(ROOT + "engine..", ROOT + "wire..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "zap..", ROOT + "socket..", ROOT + "session..")
                .because("mechanisms ask the ZAP handler through ZapRequester, which they own and the ZAP client implements;"
                        + " the engine reaches its session through Owner and its socket through PipeAccess and Events")
                .check(core);
    }

    @Test
    void mechanismsDependOnNothingAboveTheWire() {
        noClasses().that().resideInAPackage(ROOT + "wire.mechanism..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "engine..", ROOT + "session..", ROOT + "pattern..",
                        ROOT + "transport..", ROOT + "pipe..", ROOT + "io..", ROOT + "zap..")
                .check(core);
    }

    @Test
    void zapSeesNoSocketImplementation() {
        noClasses().that().resideInAPackage(ROOT + "zap..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "socket..", ROOT + "session..", ROOT + "engine..",
                        ROOT + "pattern..", ROOT + "transport..", ROOT + "context..", "dev.zmq.internal")
                .because("the ZAP client reaches its handler through a socket of the public API, which its context gives it"
                        + " (ZapClient.Host): it knows neither SocketCore nor ContextCore")
                .check(core);
    }

    @Test
    void patternsRouteBetweenPipesWithoutConnections() {
        noClasses().that().resideInAPackage(ROOT + "pattern..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "session..", ROOT + "engine..", ROOT + "transport..",
                        ROOT + "io..", ROOT + "wire..")
                .check(core);
    }

    @Test
    void sessionsDoNotRoute() {
        noClasses().that().resideInAPackage(ROOT + "session..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "pattern..")
                .check(core);
    }

    @Test
    void cryptoAndMonitoringStayBelowTheSockets() {
        noClasses().that().resideInAnyPackage(ROOT + "crypto..", ROOT + "monitor..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "socket..", ROOT + "session..", ROOT + "engine..",
                        ROOT + "pattern..", ROOT + "transport..")
                .check(core);
    }

    @Test
    void optionsAreALeafEveryLayerMayRead() {
        noClasses().that().resideInAPackage(ROOT + "options..")
                .should().dependOnClassesThat(resideInAPackage("dev.zmq.internal..").and(resideOutsideOfPackage(ROOT + "options..")))
                .because("a socket's options are read by patterns, transports, sessions and mechanisms alike")
                .check(core);
    }

    @Test
    void nothingBelowTheSocketSeesIt() {
        noClasses().that().resideInAnyPackage(ROOT + "session..", ROOT + "transport..", ROOT + "pattern..", ROOT + "engine..",
                        ROOT + "wire..", ROOT + "pipe..", ROOT + "io..", ROOT + "options..", ROOT + "monitor..", ROOT + "crypto..",
                        ROOT + "zap..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "socket..")
                .because("the layers under the socket call it through interfaces they own (SessionHost, PipeOwner, the engine's)")
                .check(core);
    }

    @Test
    void sessionsSeeNeitherTheSocketNorTheTransports() {
        noClasses().that().resideInAPackage(ROOT + "session..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "socket..", ROOT + "transport..")
                .because("transports make sessions, not the other way round; a connecting session dials through the Dialer it owns")
                .check(core);
    }

    @Test
    void transportsSeeTheSocketOnlyAsASessionHost() {
        noClasses().that().resideInAPackage(ROOT + "transport..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "socket..", ROOT + "pattern..")
                .check(core);
    }

    @Test
    void theRootPackageHoldsOnlyHelpersEveryLayerMayUse() {
        noClasses().that().resideInAPackage("dev.zmq.internal")
                .should().dependOnClassesThat().resideInAPackage("dev.zmq.internal.*..")
                .because("Frames and DatagramAddress serve every layer; the context lives in its own package at the top")
                .check(core);
    }

    @Test
    void onlyTheContextNamesTheTransports() {
        noClasses().that().resideInAnyPackage(ROOT + "socket..", ROOT + "session..", ROOT + "transport")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "transport.tcp..", ROOT + "transport.ipc..",
                        ROOT + "transport.udp..", ROOT + "transport.pgm..")
                .because("the context fills its Transports registry; sockets find an endpoint's transport there by scheme and"
                        + " use it by what it is (listening, stream, datagram), never by name")
                .check(core);
    }

    @Test
    void theContextIsTheTop() {
        noClasses().that().resideInAPackage("dev.zmq.internal..").and().resideOutsideOfPackage(ROOT + "context..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "context..")
                .because("the context makes sockets and the ZAP client and fills the transport registry; they see it only through"
                        + " interfaces they own (SocketContext, ZapClient.Host)")
                .check(core);
    }

    @Test
    void theInternalPackagesFormNoCycle() {
        slices().matching("dev.zmq.internal.(*)..").should().beFreeOfCycles()
                .because("each layer calls only the layers below it, and those call up only through interfaces they own")
                .check(core);
    }
}
