package dev.zmq.samples.helloworld;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/** The role of a process, chosen with {@code --spring.profiles.active}. */
enum Role {
    SERVER(false), CLIENT(true);

    /** Refuses to start without exactly one role, before any socket exists: a usage line and exit status 2. */
    static final ApplicationListener<ApplicationEnvironmentPreparedEvent> CHECK = event -> {
        try {
            of(event.getEnvironment());
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    };

    private final boolean finishes;

    Role(boolean finishes) {
        this.finishes = finishes;
    }

    /** Whether the process exits once its work is done (otherwise it runs until stopped). */
    boolean finishes() {
        return finishes;
    }

    static Role of(Environment environment) {
        var roles = Arrays.stream(environment.getActiveProfiles())
                .flatMap(profile -> Arrays.stream(values()).filter(r -> r.name().equalsIgnoreCase(profile)))
                .toList();
        if (roles.size() != 1) {
            throw new IllegalStateException("Choose one role with --spring.profiles.active=server or client"
                    + (roles.isEmpty() ? "" : " (active: " + List.of(environment.getActiveProfiles()) + ")"));
        }
        return roles.get(0);
    }
}
