package dev.zmq.samples.divide;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ventilator's batch and how it decides that the workers are ready.
 *
 * @param tasks number of tasks in the batch
 * @param minWorkload shortest workload of a task, in milliseconds
 * @param maxWorkload longest workload of a task, in milliseconds
 * @param waitForEnter wait for the user to press Enter, as the Guide does; false waits for workers instead
 * @param minWorkers without Enter: how many workers must be connected before the batch starts
 * @param settle without Enter: how long no worker may have joined or left before the batch starts
 */
@ConfigurationProperties("ventilator")
public record VentilatorProperties(@DefaultValue("100") int tasks, @DefaultValue("1") int minWorkload,
                                   @DefaultValue("100") int maxWorkload, @DefaultValue("true") boolean waitForEnter,
                                   @DefaultValue("1") int minWorkers, @DefaultValue("1s") Duration settle) {

    public VentilatorProperties {
        if (tasks < 1) {
            throw new IllegalArgumentException("ventilator.tasks must be at least 1, got " + tasks);
        }
        if (minWorkload < 0 || maxWorkload < minWorkload) {
            throw new IllegalArgumentException("ventilator.min-workload and max-workload must satisfy 0 <= min <= max, got "
                    + minWorkload + " and " + maxWorkload);
        }
        if (minWorkers < 1) {
            throw new IllegalArgumentException("ventilator.min-workers must be at least 1, got " + minWorkers);
        }
        if (settle.isNegative()) {
            throw new IllegalArgumentException("ventilator.settle must not be negative, got " + settle);
        }
    }
}
