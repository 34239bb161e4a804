package dev.pool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** The switch that keeps the JFR events off the lending fast path follows the recordings. */
class JfrEventsTest {

    @Test
    void recordingIsTrueExactlyWhileARecordingRuns() {
        JfrEvents.init();
        assumeTrue(!FlightRecorder.isInitialized() || FlightRecorder.getFlightRecorder().getRecordings().stream()
                .noneMatch(r -> r.getState() == RecordingState.RUNNING), "a JFR recording runs in this JVM already");
        assertThat(JfrEvents.recording).isFalse();

        try (Recording recording = new Recording()) {
            recording.start();
            assertThat(JfrEvents.recording).isTrue();
            try (RecordingStream stream = new RecordingStream()) {
                stream.startAsync();
                recording.stop();
                assertThat(JfrEvents.recording).as("the stream still runs").isTrue();
            }
        }
        assertThat(JfrEvents.recording).isFalse();
    }

    @Test
    void leaseEventIsMadeOnlyWhenTheRecordingEnablesIt() {
        JfrEvents.init();
        try (Recording recording = new Recording()) {
            recording.start();
            assertThat(JfrEvents.leaseBegins("p")).as("off by default").isNull();
            assertThat(JfrEvents.openBegins()).as("on by default").isNotNull();
        }
        try (Recording recording = new Recording()) {
            recording.enable("dev.pool.ConnectionLease");
            recording.start();
            JfrEvents.Lease lease = JfrEvents.leaseBegins("p");
            assertThat(lease).isNotNull();
            assertThat(lease.site).startsWith(getClass().getName() + ".leaseEventIsMadeOnlyWhenTheRecordingEnablesIt(");
        }
    }
}
