package io.tenure.bench;

import io.tenure.local.LocalStack;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The per-function measurements: paired cold launches, class counts, jar size, the warm run. */
final class ColdWarm {
    private ColdWarm() {
    }

    static FunctionFigures measure(LocalStack stack, Fixture fixture, ChildJvm jvm, Target target, int launches, int warm)
            throws Exception {
        if (target.logicalId().equals("EventsPublisherFunction")) {
            // The seeding left audit events to publish: drain them, so each launch publishes what the runs before it made.
            stack.invoke(target.logicalId(), fixture.events(target.logicalId(), 1).get(0));
        }
        List<String> events = fixture.events(target.logicalId(), launches + 1);
        List<Double> bare = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        List<Double> function = new ArrayList<>();
        List<Double> firstResponse = new ArrayList<>();
        // Paired and interleaved: each round runs the three variants back to back, so drift hits all three alike.
        for (int i = 0; i < launches; i++) {
            bare.add(jvm.cold(target, ChildJvm.Variant.BARE, events.get(i), false).wallMillis());
            floor.add(jvm.cold(target, ChildJvm.Variant.FLOOR, events.get(i), false).wallMillis());
            ChildJvm.Launch launch = jvm.cold(target, ChildJvm.Variant.FUNCTION, events.get(i), false);
            function.add(launch.wallMillis());
            firstResponse.add(launch.result().path("firstResponseMs").asDouble());
        }
        // Counted apart: class logging slows the JVM, so these launches are not timed.
        String last = events.get(launches);
        int classes = jvm.cold(target, ChildJvm.Variant.FUNCTION, last, true).classes();
        int bareClasses = jvm.cold(target, ChildJvm.Variant.BARE, last, true).classes();
        int floorClasses = jvm.cold(target, ChildJvm.Variant.FLOOR, last, true).classes();
        List<String> warmEvents = fixture.events(target.logicalId(), warm + 1);
        ChildJvm.Launch warmRun = jvm.warm(target, warmEvents, "ORG#" + fixture.main().orgId(), "ORG");
        return new FunctionFigures(target.logicalId(), Files.size(target.jar()), launches, Stats.median(function),
                Stats.median(bare), Stats.median(floor), Stats.median(firstResponse), classes, bareClasses, floorClasses,
                warm, warmRun.result());
    }
}
