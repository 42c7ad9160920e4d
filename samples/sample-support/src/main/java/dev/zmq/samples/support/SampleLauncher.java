package dev.zmq.samples.support;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.Environment;

/**
 * Starts a sample whose role is one Spring profile ({@code --spring.profiles.active=client}). A
 * process without exactly one role prints how to choose one and exits with status 2 before any
 * socket exists; a role that finishes (a client, a sink) exits with the application's exit code
 * once its runners returned; the others (servers, workers) run until stopped.
 *
 * @param roles every role, in the order the usage line names them
 * @param finishing the roles that end by themselves
 */
public record SampleLauncher(List<String> roles, Set<String> finishing) {

    public SampleLauncher {
        roles = List.copyOf(roles);
        finishing = Set.copyOf(finishing);
        if (!roles.containsAll(finishing)) {
            throw new IllegalArgumentException("finishing roles " + finishing + " must be among " + roles);
        }
    }

    /** Runs {@code application} with {@code args} in the role its profile names. */
    public void run(Class<?> application, String... args) {
        var spring = new SpringApplication(application);
        spring.addListeners((ApplicationEnvironmentPreparedEvent event) -> {
            try {
                role(event.getEnvironment());
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                System.exit(2);
            }
        });
        var context = spring.run(args);
        if (finishing.contains(role(context.getEnvironment()))) {
            System.exit(SpringApplication.exit(context));
        }
    }

    /** The one role among the active profiles. */
    String role(Environment environment) {
        var active = Arrays.stream(environment.getActiveProfiles()).filter(roles::contains).toList();
        if (active.size() != 1) {
            var choices = String.join(", ", roles.subList(0, roles.size() - 1)) + " or " + roles.get(roles.size() - 1);
            throw new IllegalStateException("Choose one role with --spring.profiles.active=" + choices
                    + (active.isEmpty() ? "" : " (active: " + List.of(environment.getActiveProfiles()) + ")"));
        }
        return active.get(0);
    }
}
